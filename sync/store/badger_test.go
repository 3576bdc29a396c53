package store_test

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"elvcare/sync/store"
	"elvcare/sync/store/storetest"
)

func openDB(t *testing.T, opts store.Options) *store.DB {
	t.Helper()
	db, err := tryOpen(t, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

// tryOpen opens with test logging and closes the store when the test ends.
func tryOpen(t *testing.T, opts store.Options) (*store.DB, error) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	db, err := store.Open(opts)
	if err == nil {
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	return db, err
}

func blobPath(dir, hash string) string { return filepath.Join(dir, "blobs", hash[:2], hash) }

func TestBadger(t *testing.T) {
	storetest.RunWith(t,
		func(t *testing.T, dir string) store.Store { return openDB(t, store.Options{Dir: dir}) },
		storetest.Hooks{
			Restore: store.Restore,
			DamageBlob: func(t *testing.T, dir, hash string) {
				p := blobPath(dir, hash)
				st, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				// A torn write: the first half made it to disk.
				if err := os.Truncate(p, st.Size()/2); err != nil {
					t.Fatal(err)
				}
			},
		})
}

// TestRunWithoutHooks keeps the plain entry point of the suite working.
func TestRunWithoutHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("the hooked run covers the same tests")
	}
	storetest.Run(t, func(t *testing.T, dir string) store.Store { return openDB(t, store.Options{Dir: dir}) })
}

func TestOpenOptions(t *testing.T) {
	cases := []struct {
		name string
		opts store.Options
	}{
		{"no dir", store.Options{}},
		{"migrations out of order", store.Options{Migrations: []store.Migration{
			{Version: 2, Name: "b", Apply: noop}, {Version: 1, Name: "a", Apply: noop},
		}}},
		{"repeated version", store.Options{Migrations: []store.Migration{
			{Version: 1, Name: "a", Apply: noop}, {Version: 1, Name: "b", Apply: noop},
		}}},
		{"version zero", store.Options{Migrations: []store.Migration{{Version: 0, Name: "z", Apply: noop}}}},
		{"neither apply nor step", store.Options{Migrations: []store.Migration{{Version: 1, Name: "a"}}}},
		{"both apply and step", store.Options{Migrations: []store.Migration{{
			Version: 1, Name: "a", Apply: noop,
			Step: func(store.Tx, string) (string, error) { return "", nil },
		}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Dir == "" && tc.name != "no dir" {
				tc.opts.Dir = t.TempDir()
			}
			if _, err := tryOpen(t, tc.opts); err == nil {
				t.Errorf("Open succeeded")
			}
		})
	}
}

func noop(store.Tx) error { return nil }

func TestDiskFloor(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, store.Options{Dir: dir, DiskFloorBytes: 1 << 62})
	ran := false
	cases := []struct {
		name string
		call func() error
	}{
		{"Ready", db.Ready},
		{"Update", func() error {
			return db.Update(t.Context(), func(tx store.Tx) error {
				ran = true
				_, err := tx.Emit(store.Change{Collection: "c", ID: "1", Op: "put"})
				return errors.Join(err, tx.Put("c", "1", []byte("x")))
			})
		}},
		{"Blobs.Put", func() error {
			_, _, err := db.Blobs().Put(t.Context(), strings.NewReader("x"), 0)
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); !errors.Is(err, store.ErrDiskFull) {
				t.Errorf("err = %v, want ErrDiskFull", err)
			}
		})
	}
	if ran {
		t.Errorf("an update ran with the disk below the floor")
	}
	if err := db.View(t.Context(), func(tx store.ReadTx) error {
		_, err := tx.Get("c", "1")
		if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("Get: err = %v, want ErrNotFound", err)
		}
		return nil
	}); err != nil {
		t.Errorf("reads must go on below the floor: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, store.Options{Dir: dir})
	if v := db.LastVersion(); v != 0 {
		t.Errorf("LastVersion after refused writes = %d", v)
	}
	if err := db.Ready(); err != nil {
		t.Errorf("Ready with the default floor: %v", err)
	}
}

func TestTooBig(t *testing.T) {
	db := openDB(t, store.Options{Dir: t.TempDir()})
	val := bytes.Repeat([]byte("z"), 10<<10)
	err := db.Update(t.Context(), func(tx store.Tx) error {
		for i := range 5000 { // 50 MB
			if err := tx.Put("big", fmt.Sprintf("%05d", i), val); err != nil {
				return err
			}
		}
		_, err := tx.Emit(store.Change{Collection: "big", ID: "all", Op: "put"})
		return err
	})
	if !errors.Is(err, store.ErrTooBig) {
		t.Fatalf("50 MB update: err = %v, want ErrTooBig", err)
	}
	if err := db.View(t.Context(), func(tx store.ReadTx) error {
		return tx.Scan("big", "", 0, func(id string, _ []byte) error {
			return fmt.Errorf("record %s of a refused update exists", id)
		})
	}); err != nil {
		t.Error(err)
	}
	// The store goes on, and versions were not consumed.
	var v uint64
	if err := db.Update(t.Context(), func(tx store.Tx) error {
		var err error
		v, err = tx.Emit(store.Change{Collection: "big", ID: "small", Op: "put"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if v != 1 {
		t.Errorf("version after the refused update = %d, want 1", v)
	}
	if err := db.Update(t.Context(), func(tx store.Tx) error {
		return tx.Put("big", "huge", make([]byte, 65<<20))
	}); !errors.Is(err, store.ErrTooBig) {
		t.Errorf("65 MB record: err = %v, want ErrTooBig", err)
	}
}

func TestUpdatePanic(t *testing.T) {
	db := openDB(t, store.Options{Dir: t.TempDir()})
	func() {
		defer func() {
			if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "kaboom") {
				t.Errorf("recovered %v, want the closure's panic", p)
			}
		}()
		_ = db.Update(t.Context(), func(tx store.Tx) error {
			if err := tx.Put("c", "1", []byte("x")); err != nil {
				return err
			}
			panic("kaboom")
		})
	}()
	if err := db.Update(t.Context(), func(tx store.Tx) error { return tx.Put("c", "2", []byte("y")) }); err != nil {
		t.Fatalf("Update after a panic: %v", err)
	}
	if err := db.View(t.Context(), func(tx store.ReadTx) error {
		if _, err := tx.Get("c", "1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("write of the panicking closure: err = %v, want ErrNotFound", err)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
}

func TestRestoreRefuses(t *testing.T) {
	src := openDB(t, store.Options{Dir: t.TempDir()})
	if err := src.Update(t.Context(), func(tx store.Tx) error { return tx.Put("c", "1", []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if err := src.Backup(t.Context(), &good); err != nil {
		t.Fatal(err)
	}
	withBlob := func(name, content string) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		tr := tar.NewReader(bytes.NewReader(good.Bytes()))
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tw.WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(tw, tr); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(content)), Mode: 0o600}); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, content); err != nil {
			t.Fatal(err)
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	wrongHash := strings.Repeat("ab", 32)
	cases := []struct {
		name   string
		dirty  bool // the target directory already holds a file
		backup []byte
	}{
		{"non-empty directory", true, good.Bytes()},
		{"damaged blob", false, withBlob("blobs/"+wrongHash, "not what the name says")},
		{"unknown entry", false, withBlob("etc/passwd", "x")},
		{"no records", false, func() []byte {
			var b bytes.Buffer
			tw := tar.NewWriter(&b)
			tw.Close()
			return b.Bytes()
		}()},
		{"not a tar", false, []byte("hello")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.dirty {
				if err := os.WriteFile(filepath.Join(dir, "keep"), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := store.Restore(dir, bytes.NewReader(tc.backup)); err == nil {
				t.Fatalf("Restore succeeded")
			}
			entries, _ := os.ReadDir(dir)
			want := 0
			if tc.dirty {
				want = 1
			}
			if len(entries) != want {
				t.Errorf("after a refused restore the directory holds %d entries, want %d", len(entries), want)
			}
		})
	}
}

// TestGC runs the value-log collector often while values are replaced,
// to show it runs beside the writer and stops with Close.
func TestGC(t *testing.T) {
	db := openDB(t, store.Options{Dir: t.TempDir(), GCInterval: 5 * time.Millisecond})
	val := bytes.Repeat([]byte("g"), 2<<20) // over the value threshold: goes to the value log
	for i := range 10 {
		if err := db.Update(t.Context(), func(tx store.Tx) error {
			return tx.Put("gc", fmt.Sprint(i%2), val)
		}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}
