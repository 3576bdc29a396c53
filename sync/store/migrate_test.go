package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"elvcare/sync/store"

	"github.com/google/go-cmp/cmp"
)

// migrations builds the numbered test migrations, counting calls in calls
// (by version) and failing the stepped one on step failStep (0: never).
func migrations(calls map[int]int, failStep int) []store.Migration {
	return []store.Migration{
		{Version: 1, Name: "seed tickets", Apply: func(tx store.Tx) error {
			calls[1]++
			for i := range 10 {
				status := "open"
				if i%2 == 1 {
					status = "done"
				}
				if err := tx.Put("tickets", fmt.Sprintf("t%02d", i), []byte(status)); err != nil {
					return err
				}
			}
			return tx.Put("settings", "default", []byte("zone=Asia/Shanghai"))
		}},
		{Version: 2, Name: "index tickets by status", Step: func(tx store.Tx, cursor string) (string, error) {
			calls[2]++
			if calls[2] == failStep {
				return "", errors.New("disk pulled")
			}
			const batch = 3
			next, n := "", 0
			err := tx.Scan("tickets", cursor, batch, func(id string, data []byte) error {
				calls[-2]++ // records migrated
				next, n = id, n+1
				return tx.Put("tickets", id, data, store.Index{Name: "status", Value: string(data)})
			})
			if err != nil || n < batch {
				return "", err
			}
			return next, nil
		}},
		{Version: 3, Name: "move settings to config", Apply: func(tx store.Tx) error {
			calls[3]++
			b, err := tx.Get("settings", "default")
			if err != nil {
				return err
			}
			return errors.Join(tx.Put("config", "default", b), tx.Delete("settings", "default"))
		}},
	}
}

func TestMigrations(t *testing.T) {
	dir := t.TempDir()
	calls := map[int]int{}
	all := migrations(calls, 0)
	steps := []struct {
		name       string
		migrations []store.Migration
		wantErr    error // nil, ErrNewerSchema, or errAny
		wantSchema int
		wantCalls  map[int]int // calls made by this step
	}{
		{name: "empty store without migrations", wantSchema: 0, wantCalls: map[int]int{}},
		{name: "first migration", migrations: all[:1], wantSchema: 1, wantCalls: map[int]int{1: 1}},
		{name: "reopen does not re-apply", migrations: all[:1], wantSchema: 1, wantCalls: map[int]int{}},
		{
			name:       "stepped migration fails midway",
			migrations: append(all[:1:1], migrations(calls, 2)[1]),
			wantErr:    errAny, wantSchema: 1,
			// The first step (3 records) committed, the second failed.
			wantCalls: map[int]int{2: 2, -2: 3},
		},
		{
			name:       "resumes after the last committed step",
			migrations: all,
			wantSchema: 3,
			// 7 records left: steps of 3, 3, 1; none migrated twice.
			wantCalls: map[int]int{2: 3, -2: 7, 3: 1},
		},
		{name: "reopen with all applied", migrations: all, wantSchema: 3, wantCalls: map[int]int{}},
		{name: "older program refused", migrations: all[:2], wantErr: store.ErrNewerSchema, wantCalls: map[int]int{}},
		{name: "no migrations known refused", wantErr: store.ErrNewerSchema, wantCalls: map[int]int{}},
		{name: "still intact", migrations: all, wantSchema: 3, wantCalls: map[int]int{}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clear(calls)
			db, err := tryOpen(t, store.Options{Dir: dir, Migrations: st.migrations})
			switch {
			case st.wantErr == errAny && err == nil:
				t.Fatalf("Open succeeded, want an error")
			case st.wantErr != errAny && !errors.Is(err, st.wantErr):
				t.Fatalf("Open: err = %v, want %v", err, st.wantErr)
			}
			if diff := cmp.Diff(calls, st.wantCalls); diff != "" {
				t.Errorf("migration calls (-got +want):\n%s", diff)
			}
			if err != nil {
				return
			}
			if got := db.SchemaVersion(); got != st.wantSchema {
				t.Errorf("SchemaVersion = %d, want %d", got, st.wantSchema)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}

	t.Run("newer schema message", func(t *testing.T) {
		_, err := tryOpen(t, store.Options{Dir: dir, Migrations: all[:2]})
		if msg := fmt.Sprint(err); !strings.Contains(msg, "schema 3") || !strings.Contains(msg, "up to 2") {
			t.Errorf("error %q should name both versions", msg)
		}
	})

	t.Run("effects", func(t *testing.T) {
		db := openDB(t, store.Options{Dir: dir, Migrations: all})
		type state struct {
			Open, Done []string
			Settings   bool
			Config     string
		}
		var got state
		err := db.View(context.Background(), func(tx store.ReadTx) error {
			var err1, err2, err3 error
			got.Open, err1 = tx.Lookup("tickets", "status", "open")
			got.Done, err2 = tx.Lookup("tickets", "status", "done")
			_, err := tx.Get("settings", "default")
			got.Settings = err == nil
			b, err3 := tx.Get("config", "default")
			got.Config = string(b)
			return errors.Join(err1, err2, err3)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := state{
			Open:   []string{"t00", "t02", "t04", "t06", "t08"},
			Done:   []string{"t01", "t03", "t05", "t07", "t09"},
			Config: "zone=Asia/Shanghai",
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("after migrations (-got +want):\n%s", diff)
		}
	})
}

// errAny stands for "some error" in the table.
var errAny = errors.New("any error")

func TestMigrationFailureWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := []store.Migration{{Version: 1, Name: "half done", Apply: func(tx store.Tx) error {
		if err := tx.Put("c", "1", []byte("x")); err != nil {
			return err
		}
		return errors.New("cannot convert")
	}}}
	if _, err := tryOpen(t, store.Options{Dir: dir, Migrations: bad}); err == nil {
		t.Fatal("Open succeeded despite a failing migration")
	}
	db := openDB(t, store.Options{Dir: dir})
	if v := db.SchemaVersion(); v != 0 {
		t.Errorf("SchemaVersion = %d after a failed migration, want 0", v)
	}
	err := db.View(context.Background(), func(tx store.ReadTx) error {
		_, err := tx.Get("c", "1")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("write of the failed migration: err = %v, want ErrNotFound", err)
	}
}
