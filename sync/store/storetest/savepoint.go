package storetest

import (
	"errors"
	"strings"
	"testing"

	"elvcare/sync/store"
)

// testSavepoint: a failed savepoint takes back exactly its own writes —
// values, deletions, index entries, nested savepoints that succeeded inside
// it — and the versions it emitted, while the writes around it stay; a
// savepoint that succeeds is part of its transaction.
func testSavepoint(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	ix := func(name, value string) store.Index { return store.Index{Name: name, Value: value} }
	update(t, s, func(tx store.Tx) error {
		return tx.Put("sp", "old", []byte("committed"), ix("state", "open"))
	})
	var versions []uint64
	emit := func(tx store.Tx, id string) error {
		v, err := tx.Emit(store.Change{Collection: "sp", ID: id, Op: "put"})
		versions = append(versions, v)
		return err
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.Put("sp", "a", []byte("1")); err != nil {
			return err
		}
		if err := emit(tx, "a"); err != nil {
			return err
		}
		// A failed savepoint: a changed value, a new record, a deletion, a
		// changed index entry and an emitted change, all taken back.
		err := tx.Savepoint(func(tx store.Tx) error {
			errs := []error{tx.Put("sp", "a", []byte("2")), tx.Put("sp", "b", []byte("1")), tx.Delete("sp", "old"),
				tx.Put("sp", "old2", []byte("x"), ix("state", "open")), emit(tx, "b")}
			if got, ok := get(t, tx, "sp", "a"); !ok || got != "2" {
				t.Errorf("inside the savepoint a = %q, %v", got, ok)
			}
			return errors.Join(append(errs, errBoom)...)
		})
		if !errors.Is(err, errBoom) {
			t.Errorf("Savepoint: %v, want boom", err)
		}
		if got, ok := get(t, tx, "sp", "a"); !ok || got != "1" {
			t.Errorf("after the failed savepoint a = %q, %v; want 1", got, ok)
		}
		if _, ok := get(t, tx, "sp", "b"); ok {
			t.Error("b, written by the failed savepoint, is there")
		}
		if got, ok := get(t, tx, "sp", "old"); !ok || got != "committed" {
			t.Errorf("old, deleted by the failed savepoint, = %q, %v", got, ok)
		}
		// Its version is handed out again: the feed has no gap.
		if err := emit(tx, "c"); err != nil {
			return err
		}
		// Nested: an inner savepoint that succeeded inside an outer one that
		// failed is taken back with it.
		err = tx.Savepoint(func(tx store.Tx) error {
			if err := tx.Put("sp", "d", []byte("outer")); err != nil {
				return err
			}
			if err := tx.Savepoint(func(tx store.Tx) error { return tx.Put("sp", "e", []byte("inner")) }); err != nil {
				return err
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Errorf("outer savepoint: %v, want boom", err)
		}
		// And the other way round: a failed inner savepoint in a successful
		// outer one leaves the outer's writes.
		return tx.Savepoint(func(tx store.Tx) error {
			if err := tx.Put("sp", "f", []byte("outer")); err != nil {
				return err
			}
			if err := tx.Savepoint(func(tx store.Tx) error {
				if err := tx.Put("sp", "f", []byte("inner")); err != nil {
					return err
				}
				return errBoom
			}); !errors.Is(err, errBoom) {
				t.Errorf("inner savepoint: %v, want boom", err)
			}
			return tx.Put("sp", "g", []byte("outer"))
		})
	})
	if len(versions) != 3 || versions[1] != versions[2] || versions[0]+1 != versions[2] {
		t.Errorf("versions emitted %v: the failed savepoint's should be handed out again", versions)
	}
	view(t, s, func(tx store.ReadTx) error {
		want := map[string]string{"a": "1", "old": "committed", "f": "outer", "g": "outer"}
		for id, v := range want {
			if got, ok := get(t, tx, "sp", id); !ok || got != v {
				t.Errorf("committed %s = %q, %v; want %q", id, got, ok, v)
			}
		}
		for _, id := range []string{"b", "old2", "d", "e"} {
			if _, ok := get(t, tx, "sp", id); ok {
				t.Errorf("%s, written by a failed savepoint, was committed", id)
			}
		}
		if got := strings.Join(lookup(t, tx, "sp", "state", "open"), ","); got != "old" {
			t.Errorf("Lookup(state=open) = %s, want old", got)
		}
		return nil
	})
}
