package sync

import (
	"encoding/json"
	"testing"

	"elvcare/domain"
)

func TestObjCacheTakeAndKeep(t *testing.T) {
	oc := newObjCache()
	tk := domain.Ticket{ID: "t1", Work: []domain.WorkRecord{{ID: "w1", Text: "更换硬盘"}}, FieldRev: map[string]int{"appointment": 3}}
	raw, _ := json.Marshal(tk)
	oc.keep(CollTickets, "t1", raw, &tk)

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
