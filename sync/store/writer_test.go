package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// These tests reach inside the writer: they hold it with a blocking
// closure, wait until the others are queued, and turn off the early size
// check to exercise the commit-time split.

func openInternal(t *testing.T) *DB {
	t.Helper()
	db, err := Open(Options{Dir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (db *DB) queued() int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return len(db.queue)
}

// hold blocks the writer until the returned release is called; release
// returns the blocking update's error.
func hold(t *testing.T, db *DB) (release func() error) {
	t.Helper()
	started, unblock, errc := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		errc <- db.Update(context.Background(), func(Tx) error {
			close(started)
			<-unblock
			return nil
		})
	}()
	<-started
	return func() error { close(unblock); return <-errc }
}

func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); db.queued() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d updates queued, want %d", db.queued(), n)
		}
	}
}

// bulk writes mb MiB in 64 KiB records under prefix and emits one change.
func bulk(prefix string, mb int, runs *int) func(Tx) error {
	return func(tx Tx) error {
		if runs != nil {
			*runs++
		}
		val := []byte(strings.Repeat("v", 64<<10))
		for i := range mb * 16 {
			if err := tx.Put("bulk", fmt.Sprintf("%s-%04d", prefix, i), val); err != nil {
				return err
			}
		}
		_, err := tx.Emit(Change{Collection: "bulk", ID: prefix, Op: "put"})
		return err
	}
}

func TestCommitSplit(t *testing.T) {
	type want struct {
		errs  []error  // per update, nil or what errors.Is must match
		feed  []string // ids in the feed, in version order
		runs  []int    // how often each closure ran
		count int      // bulk records stored
	}
	cases := []struct {
		name string
		mbs  []int // MiB written by each update of one group
		want want
	}{
		{
			name: "group over the limit is split",
			mbs:  []int{3, 3, 3, 3, 3, 3},
			want: want{
				errs:  []error{nil, nil, nil, nil, nil, nil},
				feed:  []string{"u0", "u1", "u2", "u3", "u4", "u5"},
				runs:  []int{1, 1, 1, 1, 1, 1},
				count: 18 * 16,
			},
		},
		{
			name: "one update alone too big",
			mbs:  []int{1, 12, 1, 1},
			want: want{
				errs: []error{nil, ErrTooBig, nil, nil},
				feed: []string{"u0", "u2", "u3"},
				// Those after the refused one ran again, on a state
				// without its writes and with its versions given back.
				runs:  []int{1, 1, 2, 2},
				count: 3 * 16,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openInternal(t)
			// No early refusal: let Badger's ErrTxnTooBig reach the commit.
			db.limits = txnLimits{maxSize: 1 << 40, maxCount: 1 << 40, threshold: valueThreshold}
			db.groupBytes = 1 << 40 // and no early end of the group
			release := hold(t, db)
			errs := make([]error, len(tc.mbs))
			runs := make([]int, len(tc.mbs))
			var wg sync.WaitGroup
			for i, mb := range tc.mbs {
				waitQueued(t, db, i) // queue in order
				wg.Go(func() { errs[i] = db.Update(context.Background(), bulk(fmt.Sprintf("u%d", i), mb, &runs[i])) })
			}
			waitQueued(t, db, len(tc.mbs))
			if err := release(); err != nil {
				t.Fatal(err)
			}
			wg.Wait()

			for i, err := range errs {
				if w := tc.want.errs[i]; !errors.Is(err, w) || (w == nil && err != nil) {
					t.Errorf("update %d: err = %v, want %v", i, err, w)
				}
			}
			if diff := cmp.Diff(runs, tc.want.runs); diff != "" {
				t.Errorf("runs (-got +want):\n%s", diff)
			}
			var feed []string
			count := 0
			if err := db.View(context.Background(), func(tx ReadTx) error {
				if err := tx.Changes(0, 0, func(c Change) error {
					if c.Version != uint64(len(feed)+1) {
						return fmt.Errorf("version %d at position %d", c.Version, len(feed))
					}
					feed = append(feed, c.ID)
					return nil
				}); err != nil {
					return err
				}
				return tx.Scan("bulk", "", 0, func(string, []byte) error { count++; return nil })
			}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(feed, tc.want.feed); diff != "" {
				t.Errorf("feed (-got +want):\n%s", diff)
			}
			if count != tc.want.count {
				t.Errorf("%d records, want %d", count, tc.want.count)
			}
			if got := db.LastVersion(); got != uint64(len(tc.want.feed)) {
				t.Errorf("LastVersion = %d, want %d", got, len(tc.want.feed))
			}
		})
	}
}

func TestUpdateContext(t *testing.T) {
	t.Run("cancelled while queued", func(t *testing.T) {
		db := openInternal(t)
		release := hold(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan struct{}, 1)
		errc := make(chan error, 1)
		go func() {
			errc <- db.Update(ctx, func(tx Tx) error {
				ran <- struct{}{}
				return tx.Put("c", "1", []byte("x"))
			})
		}()
		waitQueued(t, db, 1)
		cancel()
		// The caller is answered at once, while the writer is still held.
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if err := release(); err != nil {
			t.Fatal(err)
		}
		// A later update through the same writer proves the queue moved on.
		if err := db.Update(context.Background(), func(Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ran:
			t.Errorf("the cancelled closure ran")
		default:
		}
	})
	t.Run("cancelled while running", func(t *testing.T) {
		db := openInternal(t)
		ctx, cancel := context.WithCancel(context.Background())
		err := db.Update(ctx, func(tx Tx) error {
			cancel()
			return tx.Put("c", "1", []byte("x"))
		})
		if err != nil {
			t.Errorf("an update that ran waits for its commit: err = %v", err)
		}
		if err := db.View(context.Background(), func(tx ReadTx) error {
			_, err := tx.Get("c", "1")
			return err
		}); err != nil {
			t.Errorf("Get: %v", err)
		}
	})
}

func TestCloseWithQueue(t *testing.T) {
	db := openInternal(t)
	release := hold(t, db)
	const n = 5
	errc := make(chan error, n)
	for i := range n {
		go func() {
			errc <- db.Update(context.Background(), func(tx Tx) error { return tx.Put("c", fmt.Sprint(i), nil) })
		}()
	}
	waitQueued(t, db, n)
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	for range n {
		if err := <-errc; !errors.Is(err, ErrClosed) {
			t.Errorf("queued update: err = %v, want ErrClosed", err)
		}
	}
	// The running update still commits; Close waits for it.
	if err := release(); err != nil {
		t.Errorf("running update: %v", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestGroupsBehindAFlight: under steady load from many writers the next
// group is sent while the one before still syncs, and every write still
// lands exactly once, in version order, visible to readers only complete.
func TestGroupsBehindAFlight(t *testing.T) {
	db := openInternal(t)
	const writers, each = 16, 150
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := db.Update(t.Context(), func(tx Tx) error {
					if _, err := tx.Emit(Change{Collection: "c", ID: fmt.Sprint(w), Op: "put"}); err != nil {
						return err
					}
					return tx.Put("c", fmt.Sprintf("%02d-%03d", w, i), []byte("x"))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	// A reader meanwhile: a snapshot holding version N holds every record
	// written by the updates up to N (one record per version here).
	stop := make(chan struct{})
	var readerErr error
	var rd sync.WaitGroup
	rd.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			err := db.View(t.Context(), func(tx ReadTx) error {
				var versions, records int
				if err := tx.Changes(0, 0, func(Change) error { versions++; return nil }); err != nil {
					return err
				}
				if err := tx.Scan("c", "", 0, func(string, []byte) error { records++; return nil }); err != nil {
					return err
				}
				if versions != records {
					return fmt.Errorf("snapshot with %d versions and %d records", versions, records)
				}
				return nil
			})
			if err != nil {
				readerErr = err
				return
			}
		}
	})
	wg.Wait()
	close(stop)
	rd.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if readerErr != nil {
		t.Fatal(readerErr)
	}
	if got := db.LastVersion(); got != writers*each {
		t.Errorf("LastVersion = %d, want %d", got, writers*each)
	}
	st := db.Stats()
	if st.Behind == 0 || st.Groups >= writers*each {
		t.Errorf("stats %+v: want groups of several closures, some sent behind a flight", st)
	}
	t.Logf("%d groups, %d sent behind a flight", st.Groups, st.Behind)
}

// TestOldestReadPinsSnapshots: versions a snapshot may read are not given
// up to compaction while it is open.
func TestOldestReadPinsSnapshots(t *testing.T) {
	db := openInternal(t)
	put := func(id string) {
		t.Helper()
		if err := db.Update(t.Context(), func(tx Tx) error { return tx.Put("c", id, []byte(id)) }); err != nil {
			t.Fatal(err)
		}
	}
	put("a")
	inView, release := make(chan uint64), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.View(t.Context(), func(tx ReadTx) error {
			inView <- db.visible.Load()
			<-release
			// Still the snapshot it started with.
			if _, err := tx.Get("c", "b"); !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("the open snapshot sees a later write: %v", err)
			}
			return nil
		})
	}()
	pinned := <-inView
	put("b")
	put("c")
	if got, now := db.oldestRead(), db.visible.Load(); got != pinned || now <= pinned {
		t.Errorf("oldestRead = %d with a snapshot open at %d (newest %d)", got, pinned, now)
	}
	db.discardBelow()
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, now := db.oldestRead(), db.visible.Load(); got != now {
		t.Errorf("oldestRead = %d after the snapshot closed, want the newest %d", got, now)
	}
}

// TestHotCacheCountsReplacedValues: rewriting the same keys does not fill
// the cache (it counts what it holds, not what passed through it).
func TestHotCacheCountsReplacedValues(t *testing.T) {
	h := newHotCache()
	val := make([]byte, 1<<10)
	for i := range 3 * hotCacheBytes / len(val) {
		h.put(fmt.Sprintf("k%d", i%8), pending{val: val})
		if len(h.m) < min(i+1, 8) {
			t.Fatalf("after %d writes to 8 keys the cache holds %d: it started over", i+1, len(h.m))
		}
	}
	if want := 8 * (2 + len(val) + 64); h.bytes != want {
		t.Errorf("bytes = %d, want %d", h.bytes, want)
	}
	h.drop("k0")
	h.drop("k0")
	if want := 7 * (2 + len(val) + 64); h.bytes != want || len(h.m) != 7 {
		t.Errorf("after a drop: bytes = %d (want %d), %d keys", h.bytes, want, len(h.m))
	}
}

// TestPeekSharesGetCopies: Peek sees what Get sees — own writes, the
// group's, committed ones — without a copy; what Get returns is the
// caller's to change.
func TestPeekSharesGetCopies(t *testing.T) {
	db := openInternal(t)
	if err := db.Update(t.Context(), func(tx Tx) error { return tx.Put("c", "old", []byte("committed")) }); err != nil {
		t.Fatal(err)
	}
	err := db.Update(t.Context(), func(tx Tx) error {
		w := tx.(*writeTx)
		if err := tx.Put("c", "new", []byte("pending")); err != nil {
			return err
		}
		for id, want := range map[string]string{"old": "committed", "new": "pending"} {
			got, err := tx.Get("c", id)
			if err != nil || string(got) != want {
				t.Errorf("Get(%s) = %q, %v", id, got, err)
			}
			got[0] = 'X' // the caller's copy
			peeked, err := w.Peek("c", id)
			if err != nil || string(peeked) != want {
				t.Errorf("Peek(%s) = %q, %v after changing Get's copy", id, peeked, err)
			}
		}
		if _, err := w.Peek("c", "none"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Peek of a missing record: %v", err)
		}
		if _, err := w.Peek("c", ""); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Peek with an empty id: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPutCopiesPutOwnedKeeps: Put and Append keep a copy of the caller's
// buffer; PutOwned and AppendOwned keep the buffer itself (the caller hands
// it over), and both land whole.
func TestPutCopiesPutOwnedKeeps(t *testing.T) {
	db := openInternal(t)
	bufs := map[string][]byte{"put": []byte("put-1"), "append": []byte("append-1"), "owned": []byte("owned-1"), "appendOwned": []byte("appendOwned-1")}
	err := db.Update(t.Context(), func(tx Tx) error {
		w := tx.(*writeTx)
		errs := []error{
			tx.Put("c", "put", bufs["put"], Index{Name: "k", Value: "v"}),
			tx.Append("c", "append", bufs["append"]),
			w.PutOwned("c", "owned", bufs["owned"], Index{Name: "k", Value: "v"}),
			w.AppendOwned("c", "appendOwned", bufs["appendOwned"]),
		}
		for id, b := range bufs {
			b[len(b)-1] = '2' // the caller changes its buffer afterwards
			got, err := w.Peek("c", id)
			errs = append(errs, err)
			owned := strings.HasPrefix(id, "owned") || strings.HasSuffix(id, "Owned")
			if want := map[bool]string{true: id + "-2", false: id + "-1"}[owned]; string(got) != want {
				t.Errorf("%s: stored %q, want %q", id, got, want)
			}
		}
		return errors.Join(errs...)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(t.Context(), func(r ReadTx) error {
		got, err := r.Lookup("c", "k", "v")
		if err != nil {
			return err
		}
		if !slices.Equal(got, []string{"owned", "put"}) {
			t.Errorf("index k=v lists %v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSameIndexes: the replace shortcut compares a stored index list with
// the new entries exactly as encodeIndexes would write them.
func TestSameIndexes(t *testing.T) {
	lists := [][]Index{nil, {{Name: "state", Value: "open"}}, {{Name: "state", Value: "open"}, {Name: "user", Value: "u1"}},
		{{Name: "state", Value: "ope"}}, {{Name: "stat", Value: "eopen"}}, {{Name: "state", Value: ""}}, {{Name: "state", Value: "open"}, {Name: "user", Value: "u"}}}
	for i, a := range lists {
		for j, b := range lists {
			if got, want := sameIndexes(encodeIndexes(a), b), i == j || len(a) == 0 && len(b) == 0; got != want {
				t.Errorf("sameIndexes(%v, %v) = %v", a, b, got)
			}
		}
	}
	if sameIndexes([]byte("state\x00open"), []Index{{Name: "state", Value: "open"}}) {
		t.Error("a list cut short matched")
	}
}
