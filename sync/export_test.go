package sync

import (
	"encoding/json"
	"slices"
	"time"

	"elvcare/domain"
)

// KeptMismatches lists the records the push cache holds whose value no
// longer encodes to the bytes it was kept as: a writer changed what it
// handed over.
func (e *Engine) KeptMismatches() (kept int, bad []string) {
	e.objs.mu.Lock()
	defer e.objs.mu.Unlock()
	for k, c := range e.objs.m {
		kept++
		if b, err := json.Marshal(c.v); err != nil || string(b) != string(c.raw) {
			bad = append(bad, k)
		}
	}
	slices.Sort(bad)
	return kept, bad
}

// TouchKept changes a kept ticket in place, as a writer that broke the
// hand-over rule would, so a test can see KeptMismatches notice.
func (e *Engine) TouchKept(id string) bool {
	e.objs.mu.Lock()
	defer e.objs.mu.Unlock()
	c, ok := e.objs.m[objKey(CollTickets, id)]
	if t, isTicket := c.v.(*domain.Ticket); ok && isTicket {
		t.Updated = t.Updated.Add(time.Second)
		return true
	}
	return false
}
