package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"elvcare/sync/store"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// emit is a closure that emits n changes and then returns fail.
func emit(n int, fail error, got *[]uint64) func(tx store.Tx) error {
	return func(tx store.Tx) error {
		*got = (*got)[:0]
		for i := range n {
			v, err := tx.Emit(store.Change{Collection: "c", ID: fmt.Sprint(i), Op: "put"})
			if err != nil {
				return err
			}
			*got = append(*got, v)
		}
		return fail
	}
}

func testFeed(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	steps := []struct {
		name     string
		n        int
		fail     error
		want     []uint64 // versions the closure saw
		wantLast uint64
	}{
		{name: "first update starts at 1", n: 3, want: []uint64{1, 2, 3}, wantLast: 3},
		{name: "next update continues", n: 1, want: []uint64{4}, wantLast: 4},
		{name: "failed update", n: 2, fail: errBoom, want: []uint64{5, 6}, wantLast: 4},
		{name: "failed versions are reused", n: 2, want: []uint64{5, 6}, wantLast: 6},
		{name: "update without changes", n: 0, want: []uint64{}, wantLast: 6},
		{name: "after empty update", n: 1, want: []uint64{7}, wantLast: 7},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var got []uint64
			err := s.Update(t.Context(), emit(st.n, st.fail, &got))
			if !errors.Is(err, st.fail) || (st.fail == nil && err != nil) {
				t.Fatalf("Update: err = %v, want %v", err, st.fail)
			}
			if diff := cmp.Diff(got, st.want, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("versions (-got +want):\n%s", diff)
			}
			if got := s.LastVersion(); got != st.wantLast {
				t.Errorf("LastVersion = %d, want %d", got, st.wantLast)
			}
		})
	}
	view(t, s, func(tx store.ReadTx) error {
		var vs []uint64
		for _, c := range changes(t, tx, 0) {
			vs = append(vs, c.Version)
		}
		if diff := cmp.Diff(vs, []uint64{1, 2, 3, 4, 5, 6, 7}); diff != "" {
			t.Errorf("feed versions (-got +want):\n%s", diff)
		}
		return nil
	})
}

func testFeedRead(t *testing.T, open Open, _ Hooks) {
	s := open(t, t.TempDir())
	at := time.Date(2025, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	in := []store.Change{
		{Collection: "tickets", ID: "t1", Op: "put", Data: []byte(`{"s":"open"}`), Scopes: []string{"all", "user:u1"}, At: at},
		{Collection: "tickets", ID: "t1", Op: "delete", At: at.Add(time.Minute)},
		{Collection: "customers", ID: "c1", Op: "put", Data: []byte("客户"), Scopes: []string{"user:u2"}, At: at},
		{Collection: "customers", ID: "c2", Op: "put"}, // At filled in by the store
		{Collection: "sites", ID: "s1", Op: "put", At: at},
	}
	update(t, s, func(tx store.Tx) error {
		for i, c := range in {
			c.Version = 99 // ignored
			v, err := tx.Emit(c)
			if err != nil {
				return err
			}
			in[i].Version = v
		}
		// The closure's own changes are readable before it commits.
		if n := len(changes(t, tx, 0)); n != len(in) {
			t.Errorf("Changes inside the update: %d entries, want %d", n, len(in))
		}
		return nil
	})
	var all []store.Change
	view(t, s, func(tx store.ReadTx) error {
		all = changes(t, tx, 0)
		return nil
	})
	if len(all) == len(in) {
		if all[3].At.IsZero() {
			t.Errorf("change emitted without At was not stamped")
		}
		in[3].At = all[3].At
	}
	if diff := cmp.Diff(all, in); diff != "" {
		t.Errorf("feed (-got +want):\n%s", diff)
	}

	cases := []struct {
		name  string
		after uint64
		limit int
		stop  int
		want  []uint64
	}{
		{name: "after", after: 2, want: []uint64{3, 4, 5}},
		{name: "limit", after: 1, limit: 2, want: []uint64{2, 3}},
		{name: "stop", stop: 1, want: []uint64{1}},
		{name: "after the end", after: 5, want: nil},
		{name: "far after the end", after: ^uint64(0), want: nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []uint64
			view(t, s, func(tx store.ReadTx) error {
				return tx.Changes(tc.after, tc.limit, func(c store.Change) error {
					got = append(got, c.Version)
					if len(got) == tc.stop {
						return store.ErrStop
					}
					return nil
				})
			})
			if diff := cmp.Diff(got, tc.want); diff != "" {
				t.Errorf("Changes(%d, %d) (-got +want):\n%s", tc.after, tc.limit, diff)
			}
		})
	}
}

// testFeedConcurrent has many writers emit while readers follow the feed
// the way a pulling device does, and checks that no reader ever sees a
// version before the one below it, nor a LastVersion ahead of the feed.
func testFeedConcurrent(t *testing.T, open Open, _ Hooks) {
	const writers, updates, readers = 16, 200, 4
	s := open(t, t.TempDir())
	var emitted atomic.Uint64
	var writing sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			for i := range updates {
				n := 1 + (w+i)%3
				err := s.Update(context.Background(), func(tx store.Tx) error {
					if err := tx.Put("w", fmt.Sprintf("%02d-%03d", w, i), []byte("x")); err != nil {
						return err
					}
					for j := range n {
						if _, err := tx.Emit(store.Change{Collection: "w", ID: fmt.Sprint(j), Op: "put"}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Errorf("writer %d update %d: %v", w, i, err)
					return
				}
				emitted.Add(uint64(n))
			}
		})
	}
	done := make(chan struct{})
	var reading sync.WaitGroup
	for r := range readers {
		reading.Go(func() {
			var seen uint64
			follow := func() bool {
				last := s.LastVersion()
				err := s.View(context.Background(), func(tx store.ReadTx) error {
					return tx.Changes(seen, 0, func(c store.Change) error {
						if c.Version != seen+1 {
							return fmt.Errorf("reader %d: version %d after %d", r, c.Version, seen)
						}
						seen = c.Version
						return nil
					})
				})
				if err == nil && seen < last {
					err = fmt.Errorf("reader %d: LastVersion was %d but the feed showed only up to %d", r, last, seen)
				}
				if err != nil {
					t.Error(err)
					return false
				}
				return true
			}
			for {
				select {
				case <-done:
					follow()
					if want := emitted.Load(); seen != want {
						t.Errorf("reader %d: saw up to %d, want %d", r, seen, want)
					}
					return
				default:
					if !follow() {
						return
					}
				}
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()
	if got, want := s.LastVersion(), emitted.Load(); got != want {
		t.Errorf("LastVersion = %d, want %d", got, want)
	}
	view(t, s, func(tx store.ReadTx) error {
		if n := len(records(t, tx, "w")); n != writers*updates {
			t.Errorf("%d records, want %d", n, writers*updates)
		}
		return nil
	})
}

// gate runs an update that blocks until release is closed, so the updates
// started meanwhile pile up and run as one group in a group-committing
// backend. started is closed once the blocking closure runs.
func gate(t *testing.T, s store.Store) (started, release chan struct{}, wait func()) {
	started, release = make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.Update(context.Background(), func(tx store.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	return started, release, func() {
		if err := <-errc; err != nil {
			t.Errorf("gate update: %v", err)
		}
	}
}

// testIsolation checks that in concurrent updates (grouped or not) the
// writes of failing closures vanish and the others' all stay.
func testIsolation(t *testing.T, open Open, _ Hooks) {
	const n = 64
	s := open(t, t.TempDir())
	started, release, waitGate := gate(t, s)
	<-started
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Update(context.Background(), func(tx store.Tx) error {
				id := fmt.Sprintf("%02d", i)
				if err := tx.Put("iso", id, []byte(id), store.Index{Name: "parity", Value: fmt.Sprint(i % 2)}); err != nil {
					return err
				}
				if _, err := tx.Emit(store.Change{Collection: "iso", ID: id, Op: "put"}); err != nil {
					return err
				}
				if i%2 == 1 {
					return errBoom
				}
				return nil
			})
		})
	}
	time.Sleep(50 * time.Millisecond) // let the updates queue up behind the gate
	close(release)
	wg.Wait()
	waitGate()

	want := map[string]string{}
	var wantIDs []string
	for i, err := range errs {
		if i%2 == 1 {
			if !errors.Is(err, errBoom) {
				t.Errorf("update %d: err = %v, want its own error", i, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
		id := fmt.Sprintf("%02d", i)
		want[id] = id
		wantIDs = append(wantIDs, id)
	}
	view(t, s, func(tx store.ReadTx) error {
		if diff := cmp.Diff(records(t, tx, "iso"), want); diff != "" {
			t.Errorf("records (-got +want):\n%s", diff)
		}
		if diff := cmp.Diff(lookup(t, tx, "iso", "parity", "0"), wantIDs); diff != "" {
			t.Errorf("even index (-got +want):\n%s", diff)
		}
		if ids := lookup(t, tx, "iso", "parity", "1"); len(ids) != 0 {
			t.Errorf("odd index entries of failed updates survive: %v", ids)
		}
		var feedIDs []string
		for i, c := range changes(t, tx, 0) {
			if c.Version != uint64(i+1) {
				t.Errorf("change %d has version %d", i, c.Version)
			}
			feedIDs = append(feedIDs, c.ID)
		}
		if diff := cmp.Diff(feedIDs, wantIDs, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("feed ids (-got +want):\n%s", diff)
		}
		return nil
	})
	if got, want := s.LastVersion(), uint64(n/2); got != want {
		t.Errorf("LastVersion = %d, want %d", got, want)
	}
}

// testGroupReads has concurrent updates increment one counter: each must
// see the increments of those that ran before it, and none of the failed
// ones.
func testGroupReads(t *testing.T, open Open, _ Hooks) {
	const n = 40
	s := open(t, t.TempDir())
	update(t, s, put("ctr", "x", "0"))
	started, release, waitGate := gate(t, s)
	<-started
	var wg sync.WaitGroup
	var ok atomic.Int64
	for i := range n {
		wg.Go(func() {
			err := s.Update(context.Background(), func(tx store.Tx) error {
				b, err := tx.Get("ctr", "x")
				if err != nil {
					return err
				}
				var v int
				if _, err := fmt.Sscan(string(b), &v); err != nil {
					return err
				}
				if err := tx.Put("ctr", "x", []byte(fmt.Sprint(v+1))); err != nil {
					return err
				}
				if i%3 == 0 {
					return errBoom
				}
				return nil
			})
			switch {
			case err == nil:
				ok.Add(1)
			case !errors.Is(err, errBoom):
				t.Errorf("update %d: %v", i, err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	waitGate()
	view(t, s, func(tx store.ReadTx) error {
		if got, want := func() string { v, _ := get(t, tx, "ctr", "x"); return v }(), fmt.Sprint(ok.Load()); got != want {
			t.Errorf("counter = %s, want %s (the number of successful updates)", got, want)
		}
		return nil
	})
}
