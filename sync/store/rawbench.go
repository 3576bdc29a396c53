package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// RawBadgerSingleKeyRate measures the baseline the group-commit writer is
// judged against: writers goroutines each committing one small key per
// Badger transaction, with SyncWrites on, for d. It opens its own Badger
// in dir (which should be empty) and returns committed transactions per
// second.
func RawBadgerSingleKeyRate(dir string, writers int, d time.Duration) (float64, error) {
	if writers < 1 {
		return 0, errors.New("store: raw badger benchmark needs at least one writer")
	}
	bdb, err := badger.Open(badgerOptions(dir, slog.Default()))
	if err != nil {
		return 0, fmt.Errorf("store: raw badger benchmark: %w", err)
	}
	var n atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			errs[w] = rawWrites(bdb, w, func(int64) bool { return time.Now().Before(deadline) }, &n)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	err = errors.Join(append(errs, bdb.Close())...)
	if err != nil {
		return 0, fmt.Errorf("store: raw badger benchmark: %w", err)
	}
	return float64(n.Load()) / elapsed.Seconds(), nil
}

// rawWrites commits one 100-byte value per transaction while more(i)
// says so, counting commits in n.
func rawWrites(bdb *badger.DB, writer int, more func(i int64) bool, n *atomic.Int64) error {
	val := make([]byte, 100)
	for i := int64(0); more(i); i++ {
		key := binary.BigEndian.AppendUint64([]byte(fmt.Sprintf("bench/%04d/", writer)), uint64(i))
		if err := bdb.Update(func(txn *badger.Txn) error { return txn.Set(key, val) }); err != nil {
			return err
		}
		n.Add(1)
	}
	return nil
}
