// Package storetest is the conformance suite every store backend must
// pass: records, indexes, the change feed, isolation of concurrent
// updates, reopening, blobs and backup. A backend's own test calls Run (or
// RunWith, to include the tests that need backend-specific hooks).
package storetest

import (
	"context"
	"errors"
	"io"
	"testing"

	"elvcare/sync/store"
)

// Open opens (or reopens) the backend on dir. It fails t on error and
// should register a Close with t.Cleanup; the suite may also Close first.
type Open func(t *testing.T, dir string) store.Store

// Hooks are the backend-specific parts of the suite. A nil hook skips the
// tests that need it.
type Hooks struct {
	// Restore loads a Backup stream into the empty directory dir, so that
	// Open on dir sees the copy.
	Restore func(dir string, r io.Reader) error
	// DamageBlob alters the stored content of blob hash of the store in dir
	// behind the store's back, as a torn write or a bad disk would.
	DamageBlob func(t *testing.T, dir, hash string)
}

// Run runs the suite without backend hooks.
func Run(t *testing.T, open func(t *testing.T, dir string) store.Store) {
	RunWith(t, open, Hooks{})
}

// RunWith runs the whole suite. Every test gets its own directory.
func RunWith(t *testing.T, open Open, hooks Hooks) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Open, hooks Hooks)
	}{
		{"records", testRecords},
		{"invalid keys", testInvalidKeys},
		{"copies", testCopies},
		{"scan", testScan},
		{"get many", testGetMany},
		{"read own writes", testReadOwnWrites},
		{"atomic", testAtomic},
		{"indexes", testIndexes},
		{"append", testAppend},
		{"savepoint", testSavepoint},
		{"scan index", testScanIndex},
		{"feed", testFeed},
		{"feed read", testFeedRead},
		{"feed concurrent", testFeedConcurrent},
		{"isolation", testIsolation},
		{"group reads", testGroupReads},
		{"counters", testCounters},
		{"context", testContext},
		{"reopen", testReopen},
		{"closed", testClosed},
		{"blobs", testBlobs},
		{"blob limits", testBlobLimits},
		{"torn blob", testTornBlob},
		{"backup restore", testBackupRestore},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open, hooks) })
	}
}

var errBoom = errors.New("boom")

func update(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(tx store.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// put is a closure that stores one record.
func put(coll, id, data string, idx ...store.Index) func(tx store.Tx) error {
	return func(tx store.Tx) error { return tx.Put(coll, id, []byte(data), idx...) }
}

// get returns the record's data as a string, "" with ok false if missing.
func get(t *testing.T, r store.ReadTx, coll, id string) (string, bool) {
	t.Helper()
	b, err := r.Get(coll, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatalf("Get(%q, %q): %v", coll, id, err)
	}
	return string(b), true
}

// records returns coll as id → data.
func records(t *testing.T, r store.ReadTx, coll string) map[string]string {
	t.Helper()
	m := map[string]string{}
	if err := r.Scan(coll, "", 0, func(id string, data []byte) error {
		m[id] = string(data)
		return nil
	}); err != nil {
		t.Fatalf("Scan(%q): %v", coll, err)
	}
	return m
}

// changes returns the whole feed after version after.
func changes(t *testing.T, r store.ReadTx, after uint64) []store.Change {
	t.Helper()
	var cs []store.Change
	if err := r.Changes(after, 0, func(c store.Change) error {
		cs = append(cs, c)
		return nil
	}); err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	return cs
}

func lookup(t *testing.T, r store.ReadTx, coll, name, value string) []string {
	t.Helper()
	ids, err := r.Lookup(coll, name, value)
	if err != nil {
		t.Fatalf("Lookup(%q, %q, %q): %v", coll, name, value, err)
	}
	return ids
}
