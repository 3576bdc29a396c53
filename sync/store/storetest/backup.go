package storetest

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testBackupRestore(t *testing.T, open Open, hooks Hooks) {
	if hooks.Restore == nil {
		t.Skip("backend gives no Restore hook")
	}
	s := open(t, t.TempDir())
	hashes := fill(t, s)
	want := read(t, s, hashes)

	var buf bytes.Buffer
	if err := s.Backup(context.Background(), &buf); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	// Writes after the backup must not be in it.
	update(t, s, put("tickets", "later", "x"))

	dir := filepath.Join(t.TempDir(), "restored")
	if err := hooks.Restore(dir, &buf); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	r := open(t, dir)
	if diff := cmp.Diff(read(t, r, hashes), want); diff != "" {
		t.Errorf("restored store (-got +want):\n%s", diff)
	}
}
