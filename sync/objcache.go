package sync

import (
	"bytes"
	"maps"
	"reflect"
	"slices"
	gosync "sync"

	"elvcare/domain"
)

// objCache spares device mutations decoding the records the mutations
// before them just wrote: a technician's batches touch a few tickets and
// reports dozens of times, and decoding a ticket is most of what a field
// edit costs. Each write keeps a private copy of the value it encoded,
// with the bytes it became; a later read of the record whose stored bytes
// are still exactly those takes the copy instead of decoding them. The
// bytes decide, so anything else — another writer's bytes, a write undone
// by a failed savepoint or a dropped batch, a second read of the same
// record — decodes as before.
//
// The engine keeps one for pushes. Their closures run one at a time on the
// store's writer, so the lock is never contended; it is there so that
// nothing depends on that.
type objCache struct {
	mu gosync.Mutex
	m  map[string]cachedObj
	// splits holds each kept record's bytes split into top-level fields,
	// so the audit diff of the next write does not split them again.
	splits map[string]split
}

type split struct {
	raw    []byte
	fields []rawField
}

type cachedObj struct {
	raw []byte
	v   any // a pointer to the private copy
}

// maxCached bounds the records kept; past it the cache starts over.
const maxCached = 1024

func newObjCache() *objCache {
	return &objCache{m: make(map[string]cachedObj), splits: make(map[string]split)}
}

// fields splits raw, the stored bytes of coll/id, at the top level, reusing
// the split of the last write if raw is what it wrote.
func (oc *objCache) fields(coll, id string, raw []byte) ([]rawField, bool) {
	if oc != nil && kept[coll] {
		oc.mu.Lock()
		sp, ok := oc.splits[objKey(coll, id)]
		oc.mu.Unlock()
		if ok && bytes.Equal(sp.raw, raw) {
			return sp.fields, true
		}
	}
	return topFields(raw)
}

// keepFields remembers fs as the split of raw, just written as coll/id.
// raw must not change afterwards.
func (oc *objCache) keepFields(coll, id string, raw []byte, fs []rawField) {
	if oc == nil || !kept[coll] || fs == nil {
		return
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if len(oc.splits) >= maxCached {
		clear(oc.splits)
	}
	oc.splits[objKey(coll, id)] = split{raw: raw, fields: fs}
}

func objKey(coll, id string) string { return coll + "/" + id }

// kept are the collections whose records a batch reads back after writing
// them: its tickets and their reports.
var kept = map[string]bool{CollTickets: true, CollChecklists: true}

// keep remembers v (a value or a pointer to one) as what raw decodes to.
func (oc *objCache) keep(coll, id string, raw []byte, v any) {
	if oc == nil || !kept[coll] {
		return
	}
	dst, ok := copyOf(v)
	if !ok {
		return
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if len(oc.m) >= maxCached {
		clear(oc.m)
	}
	oc.m[objKey(coll, id)] = cachedObj{raw: raw, v: dst}
}

// take fills v (a pointer) with the kept copy if raw is what it was kept
// as, and hands the copy over: the caller may change it freely.
func (oc *objCache) take(coll, id string, raw []byte, v any) bool {
	if oc == nil || !kept[coll] {
		return false
	}
	k := objKey(coll, id)
	oc.mu.Lock()
	c, ok := oc.m[k]
	delete(oc.m, k)
	oc.mu.Unlock()
	if !ok {
		return false
	}
	dst, src := reflect.ValueOf(v), reflect.ValueOf(c.v)
	if dst.Type() != src.Type() || !bytes.Equal(c.raw, raw) {
		return false
	}
	dst.Elem().Set(src.Elem())
	return true
}

// peek returns the kept copy of coll/id, of type *T, if raw is what it was
// kept as, for reading only.
func peek[T any](oc *objCache, coll, id string, raw []byte) (*T, bool) {
	if oc == nil || !kept[coll] {
		return nil, false
	}
	oc.mu.Lock()
	c, ok := oc.m[objKey(coll, id)]
	oc.mu.Unlock()
	if !ok || !bytes.Equal(c.raw, raw) {
		return nil, false
	}
	p, ok := c.v.(*T)
	return p, ok
}

// copyOf returns a deep copy of v, which shares no memory that could
// change with it, for the record types a batch reads back: tickets and
// reports, copied by hand (TestDeepCopySharesNothing fills every field and
// checks). Any other value, or a nil one, is not kept.
func copyOf(v any) (any, bool) {
	switch x := v.(type) {
	case *domain.Ticket:
		return cloneTicket(x), x != nil
	case *storedChecklist:
		return x.clone(), x != nil
	case *Checklist:
		return x.clone(), x != nil
	}
	return nil, false
}

func cloneTicket(t *domain.Ticket) *domain.Ticket {
	if t == nil {
		return nil
	}
	c := *t
	c.EquipmentIDs, c.Helpers, c.Assigned = slices.Clone(t.EquipmentIDs), slices.Clone(t.Helpers), slices.Clone(t.Assigned)
	c.Appointment, c.DepartedAt, c.ArrivedAt = clonePtr(t.Appointment), clonePtr(t.DepartedAt), clonePtr(t.ArrivedAt)
	c.Calls, c.Work, c.Parts = slices.Clone(t.Calls), slices.Clone(t.Work), slices.Clone(t.Parts)
	c.Swaps, c.Photos, c.Checklists = slices.Clone(t.Swaps), slices.Clone(t.Photos), slices.Clone(t.Checklists)
	c.Result, c.ResultAt, c.Signature = clonePtr(t.Result), clonePtr(t.ResultAt), clonePtr(t.Signature)
	if t.Acceptance != nil {
		a := *t.Acceptance
		a.Reasons = slices.Clone(a.Reasons)
		c.Acceptance = &a
	}
	if t.Callback != nil {
		cb := *t.Callback
		cb.Reasons = slices.Clone(cb.Reasons)
		c.Callback = &cb
	}
	c.CallbackAttempts = slices.Clone(t.CallbackAttempts)
	c.History = slices.Clone(t.History)
	for i := range c.History {
		c.History[i].DeviceTime = clonePtr(c.History[i].DeviceTime)
	}
	c.FieldRev = maps.Clone(t.FieldRev)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
