package sync

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"elvcare/sync/store"
)

// TimelineEntry is one step in a record's history: who did what when,
// from which device, the device's own time beside the server's.
type TimelineEntry struct {
	At         time.Time  `json:"at"`
	DeviceTime *time.Time `json:"deviceTime,omitempty"`
	Mutation   string     `json:"mutation"`
	UserID     string     `json:"userId,omitempty"`
	UserName   string     `json:"userName,omitempty"`
	Device     string     `json:"device,omitempty"`
	Via        string     `json:"via"`
	Fields     []string   `json:"fields"` // the fields that changed
}

// auditOf reads the audit entries of coll/id: those stored under its key
// prefix (auditKey), and those of earlier versions, stored once per
// mutation and found by their "entity" index.
func auditOf(tx store.ReadTx, coll, id string) ([]AuditEntry, error) {
	var out []AuditEntry
	prefix := auditKey(coll, id, "")
	err := tx.Scan(CollAudit, prefix, 0, func(key string, data []byte) error {
		if !strings.HasPrefix(key, prefix) {
			return store.ErrStop
		}
		var a AuditEntry
		if err := decodeRecord(data, CollAudit, key, &a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids, err := tx.Lookup(CollAudit, "entity", coll+"/"+id)
	if err != nil {
		return nil, err
	}
	for _, aid := range ids {
		var a AuditEntry
		if err := GetJSON(tx, CollAudit, aid, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Timeline reads the audit log of coll/id, oldest first.
func (e *Engine) Timeline(ctx context.Context, coll, id string) ([]TimelineEntry, error) {
	var out []TimelineEntry
	names := map[string]string{}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		entries, err := auditOf(tx, coll, id)
		if err != nil {
			return err
		}
		for _, a := range entries {
			te := TimelineEntry{At: a.At, DeviceTime: a.DeviceTime, Mutation: a.Mutation, UserID: a.Actor.UserID,
				Device: a.Actor.Device, Via: a.Actor.Via, Fields: []string{}}
			if u := a.Actor.UserID; u != "" {
				if _, ok := names[u]; !ok {
					var x struct{ Name string }
					if GetJSON(tx, CollUsers, u, &x) == nil {
						names[u] = x.Name
					}
				}
				te.UserName = names[u]
			}
			for _, ch := range a.Changes {
				if ch.Collection != coll || ch.ID != id {
					continue
				}
				var m map[string]json.RawMessage
				if json.Unmarshal(ch.After, &m) == nil {
					for k := range m {
						if k != "rev" && k != "updated" && k != "fieldRev" {
							te.Fields = append(te.Fields, k)
						}
					}
				}
			}
			slices.Sort(te.Fields)
			out = append(out, te)
		}
		return nil
	})
	slices.SortStableFunc(out, func(x, y TimelineEntry) int { return x.At.Compare(y.At) })
	return out, err
}
