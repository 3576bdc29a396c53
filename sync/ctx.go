package sync

import (
	"encoding/json"
	jsonv2 "encoding/json/v2"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

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
	// objs, in a push, keeps what the batch's mutations wrote for the
	// ones after them (objCache); nil elsewhere.
	objs *objCache
	// summaries, in a push, collects the tickets saved: their summaries
	// are written once, at the end of the batch (a batch saves each of
	// its tickets a dozen times); nil elsewhere: written with the ticket.
	summaries map[string]bool
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
func (c *Ctx) Get(coll, id string, v any) error {
	raw, err := getRaw(c.tx, coll, id)
	if err != nil {
		return err
	}
	if c.objs.take(coll, id, raw, v) {
		return nil
	}
	return decodeRecord(raw, coll, id, v)
}

// PutOpts are the options of a write.
type PutOpts struct {
	// Scopes say who pulls the change: "all", "role:desk", "user:ID".
	Scopes []string
	// Index entries of the record.
	Index []store.Index
	// Public, when set, is what the change feed and the audit log carry
	// instead of the stored value (to keep secrets out of both); the audit
	// then keeps the after view only.
	Public any
	// Secret names top-level fields of the stored record (a password hash)
	// that the change feed and the audit log leave out. Unlike Public, the
	// audit still shows what else changed, before and after.
	Secret []string
}

// encoded is a record its writer encoded itself (well-formed, compact
// JSON): Put stores it as is.
type encoded []byte

// encodedFrom is an encoded record with the value it was encoded from, for
// the objCache of a push, and its top-level split when the encoder made it
// (nil: Put splits data itself). All of it is handed over: nothing may
// change the data, the value or anything the value holds afterwards.
type encodedFrom struct {
	data   encoded
	obj    any
	fields []rawField
}

// Put stores v as coll/id, emits the change and records it for the audit.
func (c *Ctx) Put(coll, id string, v any, o PutOpts) error {
	var data []byte
	var split []rawField
	var obj any   // kept for the batch's next reads only when handed over
	owned := true // data is this write's own: the store may keep it uncopied
	switch e := v.(type) {
	case encoded:
		data, owned = e, false
	case encodedFrom:
		data, obj, split = e.data, e.obj, e.fields
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return fmt.Errorf("encode %s: %w", coll, err)
		}
	}
	before, err := getRaw(c.tx, coll, id) // read only, before the Put replaces it
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	put := c.tx.Put
	if owned {
		put = c.tx.PutOwned
	}
	if err := put(coll, id, data, o.Index...); err != nil {
		return err
	}
	if obj != nil {
		c.objs.keep(coll, id, data, obj)
	}
	pub := data
	// The change carries the record only where a reader of the feed needs
	// it (the search index); pulls read records, the audit keeps its own.
	feedsRecord := search.ReadsRecords(coll)
	var auditBefore, auditAfter json.RawMessage
	switch {
	case len(o.Secret) > 0:
		pub, auditBefore, auditAfter = publicDiff(before, data, o.Secret, feedsRecord)
	case o.Public != nil:
		// The stored form is not public: the audit keeps the after view only.
		if pub, err = json.Marshal(o.Public); err != nil {
			return err
		}
		auditAfter = pub
	case before != nil:
		bf, okb := c.objs.fields(coll, id, before)
		var af []rawField
		auditBefore, auditAfter, af = diffSplit(bf, okb, before, pub, split)
		c.objs.keepFields(coll, id, pub, af)
	default:
		auditAfter = pub
	}
	var feedData []byte
	if feedsRecord {
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
	// One entry per record changed, under the record's key prefix, so a
	// record's timeline is one range read and an entry costs one key. The
	// entries of one mutation share their id. An entry is never changed
	// or deleted, so it is appended. (Earlier versions stored one entry
	// per mutation, found by an "entity" index; Timeline reads both.)
	a := AuditEntry{ID: NewID(), At: c.Now, DeviceTime: m.DeviceTime, Actor: c.Actor, Mutation: m.Name}
	for i, ch := range c.changes {
		if slices.ContainsFunc(c.changes[:i], func(x auditChange) bool { return x.Collection == ch.Collection && x.ID == ch.ID }) {
			continue // written with the first change of the record
		}
		a.Changes = a.Changes[:0]
		for _, x := range c.changes[i:] {
			if x.Collection == ch.Collection && x.ID == ch.ID {
				a.Changes = append(a.Changes, x)
			}
		}
		data, err := encodeAudit(a)
		if err != nil {
			return err
		}
		if err := c.tx.AppendOwned(CollAudit, auditKey(ch.Collection, ch.ID, a.ID), data); err != nil {
			return err
		}
	}
	return nil
}

// auditKey is the id of a record's audit entry: coll/id/<entry id>, so the
// entries of a record sort together, oldest first (UUIDv7 ids).
func auditKey(coll, id, entry string) string { return coll + "/" + id + "/" + entry }

// GetJSON decodes coll/id from r into v; missing is domain.ErrNotFound.
func GetJSON(r store.ReadTx, coll, id string, v any) error {
	data, err := getRaw(r, coll, id)
	if err != nil {
		return err
	}
	return decodeRecord(data, coll, id, v)
}

// peeker is the store's write transaction: Peek is Get without a copy.
type peeker interface {
	Peek(coll, id string) ([]byte, error)
}

// getRaw reads coll/id's stored bytes; missing is domain.ErrNotFound. In a
// write transaction they are not copied: the caller only reads them.
func getRaw(r store.ReadTx, coll, id string) ([]byte, error) {
	get := r.Get
	if p, ok := r.(peeker); ok {
		get = p.Peek
	}
	data, err := get(coll, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, domain.ErrNotFound.Wrap(err)
	}
	return data, err
}

func decodeRecord(data []byte, coll, id string, v any) error {
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
	// encoding/json's rules (names matched ignoring case), unknown fields
	// refused; one value and nothing after it.
	if err := jsonv2.Unmarshal(raw, v, json.DefaultOptionsV1(), jsonv2.RejectUnknownMembers(true)); err != nil {
		return domain.E(domain.KindInvalid, "invalid_args").Wrap(err)
	}
	return nil
}

// encodeAudit writes an audit entry as JSON by hand around the record
// snapshots, which are JSON already: encoding/json would re-scan and
// compact every one of them, on the writer's hot path.
func encodeAudit(a AuditEntry) ([]byte, error) {
	n := 256
	for _, ch := range a.Changes {
		n += 96 + len(ch.Collection) + len(ch.ID) + len(ch.Before) + len(ch.After)
	}
	b := make([]byte, 0, n)
	b = appendJSONString(append(b, `{"id":`...), a.ID)
	b, err := appendJSONTime(append(b, `,"at":`...), a.At)
	if err != nil {
		return nil, err
	}
	if a.DeviceTime != nil {
		if b, err = appendJSONTime(append(b, `,"deviceTime":`...), *a.DeviceTime); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"actor":{`...)
	sep := ""
	if a.Actor.UserID != "" {
		b = appendJSONString(append(b, `"userId":`...), a.Actor.UserID)
		sep = ","
	}
	if len(a.Actor.Roles) > 0 {
		b = append(append(b, sep...), `"roles":[`...)
		for i, r := range a.Actor.Roles {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, string(r))
		}
		b = append(b, ']')
		sep = ","
	}
	if a.Actor.Device != "" {
		b = appendJSONString(append(append(b, sep...), `"device":`...), a.Actor.Device)
		sep = ","
	}
	b = appendJSONString(append(append(b, sep...), `"via":`...), a.Actor.Via)
	b = appendJSONString(append(b, `},"mutation":`...), a.Mutation)
	b = append(b, `,"changes":[`...)
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

// appendJSONTime appends t as encoding/json writes a time (RFC 3339 with
// nanoseconds, quoted), refusing the years it refuses. The server's own
// times are UTC: those are written digit by digit, a record holds dozens.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); t.Location() == time.UTC && y >= 0 && y <= 9999 {
		_, mo, d := t.Date()
		h, mi, sec := t.Clock()
		b = append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
			'-', byte('0'+mo/10), byte('0'+mo%10), '-', byte('0'+d/10), byte('0'+d%10),
			'T', byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10), ':', byte('0'+sec/10), byte('0'+sec%10))
		if ns := t.Nanosecond(); ns != 0 {
			digits := 9
			for ns%10 == 0 {
				ns /= 10
				digits--
			}
			b = appendDigits(append(b, '.'), ns, digits)
		}
		return append(b, 'Z', '"'), nil
	}
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

// appendDigits appends n, not negative, zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}

// appendJSONString appends s as a JSON string, as encoding/json writes it.
// Ids and most text — Chinese included — need no escaping and are written
// as they are; anything encoding/json escapes or replaces (quotes,
// backslashes, control characters, <, > and &, U+2028 and U+2029, invalid
// UTF-8) goes through the encoder.
func appendJSONString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch jsonByte[s[i]] {
		case byteEscaped:
			return append(b, marshalString(s)...)
		case byteHigh:
			ascii = false
			if s[i] == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				return append(b, marshalString(s)...)
			}
		}
	}
	if !ascii && !utf8.ValidString(s) {
		return append(b, marshalString(s)...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// jsonByte sorts bytes for appendJSONString: written as they are, escaped
// by encoding/json, or part of a multi-byte character.
var jsonByte = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 0x80:
			t[c] = byteHigh
		case c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&':
			t[c] = byteEscaped
		}
	}
	return t
}()

const (
	bytePlain = iota
	byteEscaped
	byteHigh
)

func marshalString(s string) []byte {
	q, _ := json.Marshal(s)
	return q
}
