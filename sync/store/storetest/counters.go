package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"elvcare/sync/store"
)

// testCounters: many writers read-modify-write a few shared counters while
// others fail after writing to them, and every counter moves its index
// entry along. Whatever a backend overlaps (groups running while earlier
// ones commit, cached reads), each update must read the newest committed
// value: the counts come out exact, the failed writes leave no trace, and
// the index holds each counter once, at its final value.
func testCounters(t *testing.T, open Open, _ Hooks) {
	const writers, updates, counters = 16, 150, 4
	s := open(t, t.TempDir())
	bump := func(id string, fail bool) error {
		return s.Update(context.Background(), func(tx store.Tx) error {
			n := 0
			if v, err := tx.Get("n", id); err == nil {
				n, _ = strconv.Atoi(string(v))
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			n++
			if err := tx.Put("n", id, []byte(strconv.Itoa(n)), store.Index{Name: "count", Value: fmt.Sprintf("%06d", n)}); err != nil {
				return err
			}
			if fail {
				return errBoom
			}
			return nil
		})
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range updates {
				id := fmt.Sprint((w + i) % counters)
				fail := (w*updates+i)%7 == 0
				if err := bump(id, fail); (err != nil) != fail {
					t.Errorf("writer %d update %d (fail %v): %v", w, i, fail, err)
					return
				}
			}
		})
	}
	wg.Wait()
	want := map[string]int{}
	for w := range writers {
		for i := range updates {
			if (w*updates+i)%7 != 0 {
				want[fmt.Sprint((w+i)%counters)]++
			}
		}
	}
	view(t, s, func(tx store.ReadTx) error {
		got := records(t, tx, "n")
		for id, n := range want {
			if got[id] != strconv.Itoa(n) {
				t.Errorf("counter %s = %s, want %d", id, got[id], n)
			}
			if ids := lookup(t, tx, "n", "count", fmt.Sprintf("%06d", n)); len(ids) == 0 {
				t.Errorf("counter %s missing from the index at %d", id, n)
			}
		}
		entries := 0
		err := tx.ScanIndex("n", "count", "", func(string, string) error { entries++; return nil })
		if err != nil {
			return err
		}
		if entries != counters {
			t.Errorf("%d index entries, want one per counter (%d)", entries, counters)
		}
		return nil
	})
}
