package search

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func putCustomer(t *testing.T, st store.Store, id, name string) {
	t.Helper()
	data, _ := json.Marshal(map[string]string{"id": id, "name": name, "kind": "company"})
	err := st.Update(context.Background(), func(tx store.Tx) error {
		if err := tx.Put("customers", id, data); err != nil {
			return err
		}
		_, err := tx.Emit(store.Change{Collection: "customers", ID: id, Op: "put", Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hitIDs(t *testing.T, ix *Index, ctx context.Context, q string) []string {
	t.Helper()
	r, err := ix.Search(ctx, q, nil, 0, 20)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// A projection of another format is rebuilt, and the old one deleted.
func TestOtherFormatIsRebuilt(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	defer st.Close()
	putCustomer(t, st, "01", "华强物业")
	ix := New(st, Options{})
	if got := hitIDs(t, ix, ctx, "物业"); len(got) != 1 {
		t.Fatalf("first build: %v", got)
	}
	s, err := loadState(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	s.Format = format - 1
	if err := saveState(ctx, st, s); err != nil {
		t.Fatal(err)
	}

	ix = New(st, Options{PollInterval: 10 * time.Millisecond})
	ix.Start(ctx)
	defer ix.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		stt, err := ix.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stt.Generation == 2 && stt.Rebuilds == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not rebuilt: %+v", stt)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := hitIDs(t, ix, ctx, "物业"); len(got) != 1 {
		t.Errorf("after the rebuild: %v", got)
	}
	// The old generation is swept right after the switch.
	for _, coll := range genColls(1) {
		for {
			n := 0
			_ = st.View(ctx, func(tx store.ReadTx) error {
				return tx.Scan(coll, "", 0, func(string, []byte) error { n++; return nil })
			})
			if n == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s still has %d records", coll, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// While a rebuild runs, the previous generation answers; without one, a
// query gives up with ErrRebuilding when its context ends.
func TestQueriesDuringRebuild(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	defer st.Close()
	putCustomer(t, st, "01", "华强物业")

	fresh := New(st, Options{})
	var during error
	fresh.hookRebuild = func() {
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, during = fresh.Search(short, "物业", nil, 0, 10)
	}
	if got := hitIDs(t, fresh, ctx, "物业"); len(got) != 1 {
		t.Fatalf("first build: %v", got)
	}
	var de *domain.Error
	if !errors.As(during, &de) || de.Code != ErrRebuilding.Code {
		t.Errorf("query during the first build: %v, want %v", during, ErrRebuilding)
	}

	putCustomer(t, st, "02", "南山物业")
	var old []string
	fresh.hookRebuild = func() { old = hitIDs(t, fresh, ctx, "物业") }
	if err := fresh.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	// The old generation, as it was: the new customer is not caught up
	// during a rebuild.
	if len(old) != 1 || old[0] != "01" {
		t.Errorf("query during a rebuild: %v, want [01]", old)
	}
	if got := hitIDs(t, fresh, ctx, "物业"); len(got) != 2 {
		t.Errorf("after the rebuild: %v", got)
	}
}

// Losing the state record makes the next use rebuild, and the rebuild does
// not build on the records left behind.
func TestLostStateIsRebuilt(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	defer st.Close()
	putCustomer(t, st, "01", "华强物业")
	putCustomer(t, st, "02", "南山物业")
	ix := New(st, Options{})
	if got := hitIDs(t, ix, ctx, "物业"); len(got) != 2 {
		t.Fatalf("first build: %v", got)
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.Delete(collMeta, idState); err != nil {
			return err
		}
		// A deletion the new generation would miss if it kept the old
		// records: the customer is gone from the feed's last state.
		_, err := tx.Emit(store.Change{Collection: "customers", ID: "02", Op: "delete"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ix = New(st, Options{})
	if got := hitIDs(t, ix, ctx, "物业"); len(got) != 1 || got[0] != "01" {
		t.Errorf("after losing the state: %v, want [01]", got)
	}
	if got := hitIDs(t, ix, ctx, "南山"); len(got) != 0 {
		t.Errorf("after losing the state, a deleted customer is found: %v", got)
	}
}
