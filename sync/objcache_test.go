package sync

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"elvcare/domain"
)

// fill sets every exported field reachable from v (pointers allocated,
// slices and maps given two elements) to values derived from seed, so a
// test can tell copies apart from shared memory.
func fill(v reflect.Value, seed int, depth int) {
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		v.Set(reflect.ValueOf(json.RawMessage{'[', byte('0' + seed%10), ']'}))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+seed%26)))
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(seed%100 + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(seed%100 + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(seed) + 0.5)
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), seed+1, depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth > 6 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), seed+i+1, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if depth > 6 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, seed+10*i+3, depth+1)
			fill(e, seed+i+1, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 1+seed%28, 9, seed%60, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i, depth+1)
			}
		}
	}
}

// TestDeepCopySharesNothing: a copy of a ticket or a checklist with every
// field set encodes like the original, and stays so when everything
// reachable from the original is changed.
func TestDeepCopySharesNothing(t *testing.T) {
	for _, v := range []any{&domain.Ticket{}, &storedChecklist{}, &Checklist{}} {
		src := reflect.ValueOf(v).Elem()
		fill(src, 1, 0)
		before, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		dst, _ := copyOf(v)
		// A report's stored template is shared on purpose (nothing writes
		// into it): give the original its own before changing it in place.
		if sc, ok := v.(*storedChecklist); ok {
			sc.Template = bytes.Clone(sc.Template)
		}
		// Change everything in place: elements of the same slices and maps.
		refill(src, 7)
		after, _ := json.Marshal(v)
		if string(after) == string(before) {
			t.Fatalf("%T: refill changed nothing", v)
		}
		got, _ := json.Marshal(dst)
		if string(got) != string(before) {
			t.Errorf("%T: the copy changed with the original:\n got %s\nwant %s", v, got, before)
		}
	}
}

// refill overwrites, in place, every value reachable from v, keeping the
// slices, maps and pointers themselves.
func refill(v reflect.Value, seed int) {
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		if v.Len() == 3 {
			v.Index(1).SetUint(uint64('0' + (v.Index(1).Uint()-'0'+1)%10)) // in place
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			refill(v.Elem(), seed+1)
		}
	case reflect.Slice:
		for i := range v.Len() {
			refill(v.Index(i), seed+i+1)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			refill(e, seed+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2027, 1, 1+seed%28, 0, 0, 0, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				refill(v.Field(i), seed+i)
			}
		}
	default:
		fill(v, seed, 0)
	}
}

func TestObjCacheTakeAndKeep(t *testing.T) {
	oc := newObjCache()
	tk := domain.Ticket{ID: "t1", Work: []domain.WorkRecord{{ID: "w1", Text: "更换硬盘"}}, FieldRev: map[string]int{"appointment": 3}}
	raw, _ := json.Marshal(tk)
	oc.keep(CollTickets, "t1", raw, &tk)
	tk.Work[0].Text = "changed after the write"
	tk.FieldRev["appointment"] = 9

	var wrongType Checklist
	if oc.take(CollTickets, "t1", raw, &wrongType) {
		t.Fatal("taken into another type")
	}
	oc.keep(CollTickets, "t1", raw, &domain.Ticket{ID: "t1", Work: []domain.WorkRecord{{ID: "w1", Text: "更换硬盘"}}, FieldRev: map[string]int{"appointment": 3}})
	if p, ok := peek[domain.Ticket](oc, CollTickets, "t1", raw); !ok || p.ID != "t1" {
		t.Fatal("peek missed the kept ticket")
	}
	if _, ok := peek[domain.Ticket](oc, CollTickets, "t1", []byte(`{"id":"t1"}`)); ok {
		t.Fatal("peek vouched for other bytes")
	}
	var got domain.Ticket
	if !oc.take(CollTickets, "t1", raw, &got) {
		t.Fatal("take missed")
	}
	if again, _ := json.Marshal(got); string(again) != string(raw) {
		t.Errorf("taken ticket encodes as %s, want %s", again, raw)
	}
	if oc.take(CollTickets, "t1", raw, &got) {
		t.Error("taken twice: the first taker owns it")
	}
	oc.keep(CollTickets, "t2", raw, &got)
	if oc.take(CollTickets, "t2", []byte(`{"id":"t2"}`), &got) {
		t.Error("taken for bytes it was not kept as")
	}
	oc.keep(CollSites, "s1", []byte(`{}`), &got)
	if len(oc.m) != 0 {
		t.Errorf("kept a record of a collection not read back: %v", oc.m)
	}
	for i := range maxCached + 1 {
		oc.keep(CollTickets, string(rune('a'+i%26))+string(rune(i)), raw, &tk)
	}
	if len(oc.m) > maxCached {
		t.Errorf("%d records kept, over the bound %d", len(oc.m), maxCached)
	}
}
