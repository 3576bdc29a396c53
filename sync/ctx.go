package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"elvcare/domain"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

// Ctx is what a mutation handler works with: the transaction, the actor,
// the server time, and helpers that keep the change feed and the audit log
// in step with every write.
type Ctx struct {
	tx       store.Tx
	e        *Engine
	mutation string
	Actor    Actor
	Now      time.Time
	// EventTime is when a device says the work happened, corrected by the
	// device's measured clock offset; nil for online writes (use Now).
	EventTime *time.Time
	// deviceTime is the device's own time of the mutation, uncorrected.
	deviceTime *time.Time
	changes    []auditChange
	conflicts  []Conflict
}

// When is when the mutation's event happened: the corrected device time
// for offline work, else the server time.
func (c *Ctx) When() time.Time {
	if c.EventTime != nil {
		return *c.EventTime
	}
	return c.Now
}

type auditChange struct {
	Collection string          `json:"collection"`
	ID         string          `json:"id"`
	Version    uint64          `json:"version"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
}

// Tx is the transaction, for reads.
func (c *Ctx) Tx() store.ReadTx { return c.tx }

// Get decodes the record coll/id into v; a missing record is domain.ErrNotFound.
func (c *Ctx) Get(coll, id string, v any) error { return GetJSON(c.tx, coll, id, v) }

// PutOpts are the options of a write.
type PutOpts struct {
	// Scopes say who pulls the change: "all", "role:desk", "user:ID".
	Scopes []string
	// Index entries of the record.
	Index []store.Index
	// Public, when set, is what the change feed and the audit log carry
	// instead of the stored value (to keep secrets such as password hashes
	// out of both).
	Public any
}

// encoded is a record its writer encoded itself (well-formed, compact
// JSON): Put stores it as is.
type encoded []byte

// Put stores v as coll/id, emits the change and records it for the audit.
func (c *Ctx) Put(coll, id string, v any, o PutOpts) error {
	var data []byte
	if e, ok := v.(encoded); ok {
		data = e
	} else {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("encode %s: %w", coll, err)
		}
	}
	before, err := c.tx.Get(coll, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := c.tx.Put(coll, id, data, o.Index...); err != nil {
		return err
	}
	pub := data
	if o.Public != nil {
		if pub, err = json.Marshal(o.Public); err != nil {
			return err
		}
		if before != nil {
			before = nil // the stored form is not public; the audit keeps the after view only
		}
	}
	auditBefore, auditAfter := before, pub
	if before != nil {
		auditBefore, auditAfter = diffJSON(before, pub)
	}
	// The change carries the record only where a reader of the feed needs
	// it (the search index); pulls read records, the audit keeps its own.
	var feedData []byte
	if search.ReadsRecords(coll) {
		feedData = pub
	}
	ver, err := c.tx.Emit(store.Change{Collection: coll, ID: id, Op: "put", Data: feedData, Scopes: o.Scopes, At: c.Now})
	if err != nil {
		return err
	}
	if err := project(c.tx, coll, id, "put", o.Scopes, ver); err != nil {
		return err
	}
	c.changes = append(c.changes, auditChange{Collection: coll, ID: id, Version: ver, Before: auditBefore, After: auditAfter})
	return nil
}

// Delete removes coll/id, emits the change and records it for the audit.
func (c *Ctx) Delete(coll, id string, scopes []string) error {
	before, err := c.tx.Get(coll, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := c.tx.Delete(coll, id); err != nil {
		return err
	}
	ver, err := c.tx.Emit(store.Change{Collection: coll, ID: id, Op: "delete", Scopes: scopes, At: c.Now})
	if err != nil {
		return err
	}
	if err := project(c.tx, coll, id, "delete", scopes, ver); err != nil {
		return err
	}
	c.changes = append(c.changes, auditChange{Collection: coll, ID: id, Version: ver, Before: before})
	return nil
}

// AuditEntry is one audit-log record: who did what, when, from where, and
// what changed.
type AuditEntry struct {
	ID         string        `json:"id"`
	At         time.Time     `json:"at"`
	DeviceTime *time.Time    `json:"deviceTime,omitempty"`
	Actor      Actor         `json:"actor"`
	Mutation   string        `json:"mutation"`
	Changes    []auditChange `json:"changes"`
}

// CollAudit is the audit log's collection.
const CollAudit = "audit"

func (c *Ctx) writeAudit(m Mutation) error {
	if len(c.changes) == 0 {
		return nil
	}
	a := AuditEntry{ID: NewID(), At: c.Now, DeviceTime: m.DeviceTime, Actor: c.Actor, Mutation: m.Name, Changes: c.changes}
	data, err := encodeAudit(a)
	if err != nil {
		return err
	}
	idx := make([]store.Index, 0, len(c.changes)+1)
	for _, ch := range c.changes {
		idx = append(idx, store.Index{Name: "entity", Value: ch.Collection + "/" + ch.ID})
	}
	if c.Actor.UserID != "" {
		idx = append(idx, store.Index{Name: "user", Value: c.Actor.UserID})
	}
	return c.tx.Put(CollAudit, a.ID, data, idx...)
}

// GetJSON decodes coll/id from r into v; missing is domain.ErrNotFound.
func GetJSON(r store.ReadTx, coll, id string, v any) error {
	data, err := r.Get(coll, id)
	if errors.Is(err, store.ErrNotFound) {
		return domain.ErrNotFound.Wrap(err)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s/%s: %w", coll, id, err)
	}
	return nil
}

// DecodeArgs decodes mutation arguments strictly: unknown fields are
// refused, so a client cannot slip in fields the server alone sets.
func DecodeArgs(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytesReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return domain.E(domain.KindInvalid, "invalid_args").Wrap(err)
	}
	return nil
}

// encodeAudit writes an audit entry as JSON by hand around the record
// snapshots, which are JSON already: encoding/json would re-scan and
// compact every one of them, on the writer's hot path.
func encodeAudit(a AuditEntry) ([]byte, error) {
	head := struct {
		ID         string     `json:"id"`
		At         time.Time  `json:"at"`
		DeviceTime *time.Time `json:"deviceTime,omitempty"`
		Actor      Actor      `json:"actor"`
		Mutation   string     `json:"mutation"`
	}{a.ID, a.At, a.DeviceTime, a.Actor, a.Mutation}
	b, err := json.Marshal(head)
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], `,"changes":[`...)
	for i, ch := range a.Changes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"collection":`...)
		b = appendJSONString(b, ch.Collection)
		b = append(b, `,"id":`...)
		b = appendJSONString(b, ch.ID)
		b = append(b, `,"version":`...)
		b = strconv.AppendUint(b, ch.Version, 10)
		if len(ch.Before) > 0 {
			b = append(append(b, `,"before":`...), ch.Before...)
		}
		if len(ch.After) > 0 {
			b = append(append(b, `,"after":`...), ch.After...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
