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
	v   reflect.Value // a pointer to the private copy
}

// maxCached bounds the records kept; past it the cache starts over.
const maxCached = 1024

func newObjCache() *objCache {
	return &objCache{m: make(map[string]cachedObj), splits: make(map[string]split)}
}

// fields splits raw, the stored bytes of coll/id, at the top level, reusing
// the split of the last write if raw is what it wrote.
func (oc *objCache) fields(coll, id string, raw []byte) ([]rawField, bool) {
	if oc != nil {
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
	if oc == nil || !kept[coll] {
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
	if oc == nil {
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
	dst := reflect.ValueOf(v)
	if dst.Type() != c.v.Type() || !bytes.Equal(c.raw, raw) {
		return false
	}
	dst.Elem().Set(c.v.Elem())
	return true
}

// peek returns the kept copy of coll/id, of type *T, if raw is what it was
// kept as, for reading only.
func peek[T any](oc *objCache, coll, id string, raw []byte) (*T, bool) {
	if oc == nil {
		return nil, false
	}
	oc.mu.Lock()
	c, ok := oc.m[objKey(coll, id)]
	oc.mu.Unlock()
	if !ok || !bytes.Equal(c.raw, raw) {
		return nil, false
	}
	p, ok := c.v.Interface().(*T)
	return p, ok
}

// cloner is a type that copies itself deeply, faster than deepCopy.
type cloner interface{ clone() any }

// cloners copy the records of other packages that device mutations keep
// most often, by hand; TestDeepCopySharesNothing checks them field by field.
var cloners = map[reflect.Type]func(any) any{
	reflect.TypeFor[*domain.Ticket](): func(v any) any { return cloneTicket(v.(*domain.Ticket)) },
}

func cloneTicket(t *domain.Ticket) *domain.Ticket {
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

// copyOf returns a pointer to a deep copy of v (a value or a pointer to
// one); false for a nil pointer.
func copyOf(v any) (reflect.Value, bool) {
	if f, ok := cloners[reflect.TypeOf(v)]; ok {
		if reflect.ValueOf(v).IsNil() {
			return reflect.Value{}, false
		}
		return reflect.ValueOf(f(v)), true
	}
	if c, ok := v.(cloner); ok {
		if p := reflect.ValueOf(v); p.Kind() == reflect.Pointer && p.IsNil() {
			return reflect.Value{}, false
		}
		return reflect.ValueOf(c.clone()), true
	}
	src := reflect.ValueOf(v)
	if src.Kind() == reflect.Pointer {
		if src.IsNil() {
			return reflect.Value{}, false
		}
		src = src.Elem()
	}
	dst := reflect.New(src.Type())
	deepCopy(dst.Elem(), src)
	return dst, true
}

// deepCopy sets dst to a copy of src sharing no memory that could change:
// pointers, slices and maps are copied all the way down. Strings are
// shared (immutable), and so are unexported fields (time.Time's location),
// which encoding/json neither reads nor writes.
func deepCopy(dst, src reflect.Value) { copyWith(planFor(src.Type()), dst, src) }

// copyPlan is what deepCopy needs to know of a type, worked out once.
type copyPlan struct {
	refs      bool  // a copy by assignment could share changeable memory
	fields    []int // of a struct: the exported fields with refs
	fieldPlan []*copyPlan
	elem, key *copyPlan // of a pointer, slice, array or map
}

var plans gosync.Map // reflect.Type → *copyPlan

func planFor(t reflect.Type) *copyPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*copyPlan)
	}
	building := map[reflect.Type]*copyPlan{}
	p := buildPlan(t, building)
	for bt, bp := range building {
		plans.LoadOrStore(bt, bp)
	}
	return p
}

func buildPlan(t reflect.Type, building map[reflect.Type]*copyPlan) *copyPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*copyPlan)
	}
	if p, ok := building[t]; ok {
		return p // a recursive type: it holds a pointer, so refs is set
	}
	p := &copyPlan{}
	building[t] = p
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		p.elem = buildPlan(t.Elem(), building)
		p.refs = t.Kind() != reflect.Array || p.elem.refs
	case reflect.Map:
		p.refs = true
		p.key, p.elem = buildPlan(t.Key(), building), buildPlan(t.Elem(), building)
	case reflect.Interface:
		p.refs = true
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				if fp := buildPlan(f.Type, building); fp.refs {
					p.fields = append(p.fields, i)
					p.fieldPlan = append(p.fieldPlan, fp)
				}
			}
		}
		p.refs = len(p.fields) > 0
	}
	return p
}

func copyWith(p *copyPlan, dst, src reflect.Value) {
	if !p.refs {
		dst.Set(src)
		return
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		n := reflect.New(src.Type().Elem())
		copyWith(p.elem, n.Elem(), src.Elem())
		dst.Set(n)
	case reflect.Slice:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if p.elem.refs {
			for i := range src.Len() {
				copyWith(p.elem, s.Index(i), src.Index(i))
			}
		} else {
			reflect.Copy(s, src)
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		kt, vt := src.Type().Key(), src.Type().Elem()
		for it := src.MapRange(); it.Next(); {
			k, v := it.Key(), it.Value()
			if p.key.refs {
				k = reflect.New(kt).Elem()
				copyWith(p.key, k, it.Key())
			}
			if p.elem.refs {
				v = reflect.New(vt).Elem()
				copyWith(p.elem, v, it.Value())
			}
			m.SetMapIndex(k, v)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // unexported fields as they are
		for i, f := range p.fields {
			copyWith(p.fieldPlan[i], dst.Field(f), src.Field(f))
		}
	case reflect.Array:
		for i := range src.Len() {
			copyWith(p.elem, dst.Index(i), src.Index(i))
		}
	case reflect.Interface:
		if src.IsNil() {
			dst.SetZero()
			return
		}
		v := reflect.New(src.Elem().Type()).Elem()
		deepCopy(v, src.Elem())
		dst.Set(v)
	default:
		dst.Set(src)
	}
}
