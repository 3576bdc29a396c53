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
	bdb, err := openRaw(dir)
	if err != nil {
		return 0, err
	}
	var n atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := int64(0); time.Now().Before(deadline); i++ {
				if errs[w] = rawWrite(bdb, w, i); errs[w] != nil {
					return
				}
				n.Add(1)
			}
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

func openRaw(dir string) (*badger.DB, error) {
	bdb, err := badger.Open(badgerOptions(dir, slog.Default()))
	if err != nil {
		return nil, fmt.Errorf("store: raw badger benchmark: %w", err)
	}
	return bdb, nil
}

// rawWrite commits one 100-byte value in its own transaction.
func rawWrite(bdb *badger.DB, writer int, i int64) error {
	key := binary.BigEndian.AppendUint64(fmt.Appendf(nil, "bench/%04d/", writer), uint64(i))
	return bdb.Update(func(txn *badger.Txn) error { return txn.Set(key, make([]byte, 100)) })
}

// RawBadgerBatchRate is the baseline of the push benchmark: writers
// goroutines each committing transactions of batch keys of valueSize bytes,
// SyncWrites on, for d. It returns keys written per second.
func RawBadgerBatchRate(dir string, writers, batch, valueSize int, d time.Duration) (float64, error) {
	bdb, err := openRaw(dir)
	if err != nil {
		return 0, err
	}
	var n atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	errs := make([]error, writers)
	var wg sync.WaitGroup
	val := make([]byte, valueSize)
	for w := range writers {
		wg.Go(func() {
			for i := int64(0); time.Now().Before(deadline); i++ {
				errs[w] = bdb.Update(func(txn *badger.Txn) error {
					for k := 0; k < batch; k++ {
						key := binary.BigEndian.AppendUint64(fmt.Appendf(nil, "batch/%04d/", w), uint64(i*int64(batch)+int64(k)))
						if err := txn.Set(key, val); err != nil {
							return err
						}
					}
					return nil
				})
				if errs[w] != nil {
					return
				}
				n.Add(int64(batch))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(append(errs, bdb.Close())...); err != nil {
		return 0, fmt.Errorf("store: raw badger benchmark: %w", err)
	}
	return float64(n.Load()) / elapsed.Seconds(), nil
}
