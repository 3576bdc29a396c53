package storetest

import (
	"errors"
	"strings"
	"testing"

	"elvcare/sync/store"
)

// testAppend: records written once with Append read back like any other,
// their index entries are found, a failed closure or savepoint leaves none
// of them, and bad input is refused as by Put.
func testAppend(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	ix := func(name, value string) store.Index { return store.Index{Name: name, Value: value} }
	update(t, s, func(tx store.Tx) error {
		if err := tx.Append("log", "a1", []byte("one"), ix("entity", "tickets/t1"), ix("entity", "tickets/t1")); err != nil {
			return err
		}
		// Visible to the rest of its own transaction.
		if got, ok := get(t, tx, "log", "a1"); !ok || got != "one" {
			t.Errorf("Get in the same update = %q, %v", got, ok)
		}
		return tx.Append("log", "a2", []byte("two"), ix("entity", "tickets/t1"), ix("entity", "sites/s1"))
	})
	boom := errors.New("boom")
	if err := s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.Append("log", "a3", []byte("three"), ix("entity", "tickets/t1")); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failing update: err = %v, want boom", err)
	}
	update(t, s, func(tx store.Tx) error {
		err := tx.Savepoint(func(tx store.Tx) error {
			if err := tx.Append("log", "a4", []byte("four"), ix("entity", "tickets/t1")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("Savepoint: err = %v, want boom", err)
		}
		return nil
	})
	for _, bad := range [][2]string{{"log", ""}, {"a\x00b", "x"}} {
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Append(bad[0], bad[1], []byte("x")) })
		if !errors.Is(err, store.ErrInvalidKey) {
			t.Errorf("Append(%q, %q): err = %v, want ErrInvalidKey", bad[0], bad[1], err)
		}
	}
	view(t, s, func(tx store.ReadTx) error {
		for id, want := range map[string]string{"a1": "one", "a2": "two"} {
			if got, ok := get(t, tx, "log", id); !ok || got != want {
				t.Errorf("Get(%s) = %q, %v; want %q", id, got, ok, want)
			}
		}
		for _, id := range []string{"a3", "a4"} {
			if _, ok := get(t, tx, "log", id); ok {
				t.Errorf("%s was appended by a failed closure and is there", id)
			}
		}
		if got := strings.Join(lookup(t, tx, "log", "entity", "tickets/t1"), ","); got != "a1,a2" {
			t.Errorf("Lookup(entity=tickets/t1) = %s, want a1,a2", got)
		}
		if got := strings.Join(lookup(t, tx, "log", "entity", "sites/s1"), ","); got != "a2" {
			t.Errorf("Lookup(entity=sites/s1) = %s, want a2", got)
		}
		return nil
	})
}
