package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// benchWriters is how many goroutines write at once: about the number of
// technicians pushing at the same moment on a busy morning.
const benchWriters = 16

// parallel runs op b.N times spread over benchWriters goroutines and
// reports the rate.
func parallel(b *testing.B, op func(writer int, i int64) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := range benchWriters {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
				if err := op(w, i); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkUpdate16: one small Put and one Emit per Update, durably
// committed, from 16 goroutines.
func BenchmarkUpdate16(b *testing.B) {
	db, err := Open(Options{Dir: b.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	data := make([]byte, 100)
	parallel(b, func(w int, i int64) error {
		return db.Update(context.Background(), func(tx Tx) error {
			id := fmt.Sprintf("%02d-%d", w, i)
			if err := tx.Put("bench", id, data); err != nil {
				return err
			}
			_, err := tx.Emit(Change{Collection: "bench", ID: id, Op: "put"})
			return err
		})
	})
}

// BenchmarkRawBadger16 is the baseline: the same goroutines each
// committing one key per Badger transaction with SyncWrites.
func BenchmarkRawBadger16(b *testing.B) {
	bdb, err := openRaw(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer bdb.Close()
	parallel(b, func(w int, i int64) error { return rawWrite(bdb, w, i) })
}

func TestRawBench(t *testing.T) {
	r, err := OpenRawBench(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	count := func() int {
		t.Helper()
		var keys int
		err := r.bdb.View(func(txn *badger.Txn) error {
			it := txn.NewIterator(badger.IteratorOptions{})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				keys++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	// Filling twice adds new keys both times, in transactions that fit.
	for range 2 {
		if err := r.Fill(30_000, 200); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 60_000 {
		t.Fatalf("filled %d keys, want 60000", n)
	}
	for round := range 2 {
		single, err := r.SingleKeyRate(2, 50*time.Millisecond)
		if err != nil || single <= 0 {
			t.Fatalf("round %d: single-key rate %v, %v", round, single, err)
		}
		batch, err := r.BatchRate(2, 10, 300, 50*time.Millisecond)
		if err != nil || batch <= 0 {
			t.Fatalf("round %d: batch rate %v, %v", round, batch, err)
		}
	}
	// Rounds write new keys: nothing was overwritten.
	if n := count(); n <= 60_000 {
		t.Fatalf("%d keys after the rounds", n)
	}
	if _, err := r.BatchRate(0, 10, 300, time.Millisecond); err == nil {
		t.Error("a batch benchmark without writers ran")
	}
}

// BenchmarkGetMany reads 3,000 records of 200,000 — every one of a run,
// every 5th, every 60th — with GetMany and with a Get each: reading in key
// order wins where records lie together and costs about the same where
// they do not.
func BenchmarkGetMany(b *testing.B) {
	db, err := Open(Options{Dir: b.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	val := make([]byte, 300)
	for batch := range 40 {
		if err := db.Update(ctx, func(tx Tx) error {
			for i := batch * 5000; i < (batch+1)*5000; i++ {
				if err := tx.Put("m", fmt.Sprintf("r%08d", i), val); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	for _, step := range []int{1, 5, 60} {
		var ids []string
		for i := 0; len(ids) < 3000; i += step {
			ids = append(ids, fmt.Sprintf("r%08d", i))
		}
		b.Run(fmt.Sprintf("every%d/GetMany", step), func(b *testing.B) {
			for b.Loop() {
				_ = db.View(ctx, func(tx ReadTx) error {
					return tx.GetMany("m", ids, func(string, []byte) error { return nil })
				})
			}
		})
		b.Run(fmt.Sprintf("every%d/Get", step), func(b *testing.B) {
			for b.Loop() {
				_ = db.View(ctx, func(tx ReadTx) error {
					for _, id := range ids {
						if _, err := tx.Get("m", id); err != nil {
							return err
						}
					}
					return nil
				})
			}
		})
	}
}
