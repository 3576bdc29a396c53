package sync

import (
	"bytes"
	"reflect"
	gosync "sync"

	"elvcare/domain"
)

// objCache spares device mutations decoding the records the mutations
// before them just wrote: a technician's batches touch a few tickets and
// reports dozens of times, and decoding a ticket is most of what a field
// edit costs. Each write hands over the value it encoded, with the bytes
// it became; a later read of the record whose stored bytes are still
// exactly those takes the value instead of decoding them. The
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

// keep remembers v, a pointer to a ticket or a report, as what raw
// decodes to. v is handed over: the writer that encoded it must not change
// it, nor anything it holds, afterwards (each handler saves its record
// last; TestObjCacheKeepsWhatWasWritten checks a realistic batch). Copying
// it here instead was a tenth of what a field edit cost.
func (oc *objCache) keep(coll, id string, raw []byte, v any) {
	if oc == nil || !kept[coll] || !keepable(v) {
		return
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	if len(oc.m) >= maxCached {
		clear(oc.m)
	}
	oc.m[objKey(coll, id)] = cachedObj{raw: raw, v: v}
}

// keepable: the record types a batch reads back, as non-nil pointers.
func keepable(v any) bool {
	switch x := v.(type) {
	case *domain.Ticket:
		return x != nil
	case *storedChecklist:
		return x != nil
	case *Checklist:
		return x != nil
	}
	return false
}

// take fills v (a pointer) with the kept value if raw is what it was kept
// as, and hands it over: it leaves the cache, and the caller may change it
// freely.
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

// peek returns the kept value of coll/id, of type *T, if raw is what it
// was kept as, for reading only.
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
