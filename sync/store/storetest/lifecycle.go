package storetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"elvcare/sync/store"

	"github.com/google/go-cmp/cmp"
)

func testContext(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := s.Update(ctx, func(tx store.Tx) error {
		ran = true
		return tx.Put("c", "1", []byte("x"))
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context: err = %v, want context.Canceled", err)
	}
	if ran {
		t.Errorf("closure ran although its context was cancelled")
	}
	if err := s.View(ctx, func(store.ReadTx) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("View with a cancelled context: err = %v, want context.Canceled", err)
	}
	view(t, s, func(tx store.ReadTx) error {
		if _, ok := get(t, tx, "c", "1"); ok {
			t.Errorf("record of a cancelled update was written")
		}
		return nil
	})
}

// snapshot is everything the suite can read back from a store.
type snapshot struct {
	Records map[string]map[string]string
	Lookups map[string][]string
	Feed    []store.Change
	Last    uint64
	Blobs   map[string]string
}

// fill writes a bit of everything and returns the blob hashes it stored.
func fill(t *testing.T, s store.Store) []string {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		return errors.Join(
			tx.Put("customers", "c1", []byte(`{"name":"华东弱电"}`), store.Index{Name: "name", Value: "华东弱电"}),
			tx.Put("tickets", "t1", []byte(`{"status":"open"}`), store.Index{Name: "status", Value: "open"}, store.Index{Name: "customer", Value: "c1"}),
			tx.Put("tickets", "t2", []byte(`{"status":"done"}`), store.Index{Name: "status", Value: "done"}),
			emitErr(tx, store.Change{Collection: "customers", ID: "c1", Op: "put", Scopes: []string{"all"}}),
			emitErr(tx, store.Change{Collection: "tickets", ID: "t1", Op: "put", Data: []byte(`{"status":"open"}`)}),
		)
	})
	update(t, s, func(tx store.Tx) error {
		return errors.Join(
			tx.Delete("tickets", "t2"),
			emitErr(tx, store.Change{Collection: "tickets", ID: "t2", Op: "delete"}),
		)
	})
	var hashes []string
	for _, content := range []string{"photo of the panel", "签名.png bytes"} {
		h, _, err := s.Blobs().Put(context.Background(), bytes.NewBufferString(content), 0)
		if err != nil {
			t.Fatalf("Blobs.Put: %v", err)
		}
		hashes = append(hashes, h)
	}
	return hashes
}

func emitErr(tx store.Tx, c store.Change) error {
	_, err := tx.Emit(c)
	return err
}

func read(t *testing.T, s store.Store, hashes []string) snapshot {
	t.Helper()
	snap := snapshot{Records: map[string]map[string]string{}, Lookups: map[string][]string{}, Blobs: map[string]string{}}
	view(t, s, func(tx store.ReadTx) error {
		for _, c := range []string{"customers", "tickets"} {
			snap.Records[c] = records(t, tx, c)
		}
		snap.Lookups["tickets status=open"] = lookup(t, tx, "tickets", "status", "open")
		snap.Lookups["tickets status=done"] = lookup(t, tx, "tickets", "status", "done")
		snap.Lookups["tickets customer=c1"] = lookup(t, tx, "tickets", "customer", "c1")
		snap.Lookups["customers name=华东弱电"] = lookup(t, tx, "customers", "name", "华东弱电")
		snap.Feed = changes(t, tx, 0)
		return nil
	})
	snap.Last = s.LastVersion()
	for _, h := range hashes {
		snap.Blobs[h] = readBlob(t, s, h)
	}
	return snap
}

func readBlob(t *testing.T, s store.Store, hash string) string {
	t.Helper()
	rc, size, err := s.Blobs().Open(hash)
	if err != nil {
		return "error: " + err.Error()
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read blob %s: %v", hash, err)
	}
	if int64(len(b)) != size {
		t.Errorf("blob %s: read %d bytes, Open said %d", hash, len(b), size)
	}
	return string(b)
}

func testReopen(t *testing.T, open Open, _ Hooks) {
	dir := t.TempDir()
	s := open(t, dir)
	hashes := fill(t, s)
	want := read(t, s, hashes)
	if want.Last != 3 || len(want.Records["tickets"]) != 1 {
		t.Fatalf("unexpected state before reopening: %+v", want)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = open(t, dir)
	if diff := cmp.Diff(read(t, s, hashes), want); diff != "" {
		t.Errorf("after reopening (-got +want):\n%s", diff)
	}
	var v uint64
	update(t, s, func(tx store.Tx) error {
		var err error
		v, err = tx.Emit(store.Change{Collection: "x", ID: "1", Op: "put"})
		return err
	})
	if v != want.Last+1 {
		t.Errorf("first version after reopening = %d, want %d", v, want.Last+1)
	}
}

func testClosed(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	if err := s.Ready(); err != nil {
		t.Errorf("Ready on an open store: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	cases := []struct {
		name string
		call func() error
	}{
		{"Update", func() error { return s.Update(context.Background(), put("c", "1", "x")) }},
		{"View", func() error { return s.View(context.Background(), func(store.ReadTx) error { return nil }) }},
		{"Ready", s.Ready},
		{"Backup", func() error { return s.Backup(context.Background(), io.Discard) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, store.ErrClosed) {
				t.Errorf("err = %v, want ErrClosed", err)
			}
		})
	}
}
