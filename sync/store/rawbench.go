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

// RawBench is the baseline the store's benchmarks are judged against: a
// bare Badger with the store's options and SyncWrites on, written by
// goroutines committing their own transactions. It stays open across the
// rounds of a benchmark, as the store compared with it does, so each
// side's background work (memtable flushes, compactions) lands on the
// rounds of both alike; reopening it every round made its own rounds start
// alternately with and without a backlog, and its rate swing by 2.5×.
type RawBench struct {
	bdb  *badger.DB
	mu   sync.Mutex
	next map[string]int64 // per writer: the next key number, so rounds write new keys
}

// OpenRawBench opens the baseline's Badger in dir, which should be empty.
func OpenRawBench(dir string) (*RawBench, error) {
	bdb, err := openRaw(dir)
	if err != nil {
		return nil, err
	}
	return &RawBench{bdb: bdb, next: map[string]int64{}}, nil
}

// Close closes the baseline's Badger.
func (r *RawBench) Close() error { return r.bdb.Close() }

// SingleKeyRate is writers goroutines each committing one 100-byte key per
// transaction for d; it returns transactions per second.
func (r *RawBench) SingleKeyRate(writers int, d time.Duration) (float64, error) {
	if writers < 1 {
		return 0, errors.New("store: raw badger benchmark needs at least one writer")
	}
	return r.run("bench", writers, 1, make([]byte, 100), d)
}

// BatchRate is writers goroutines each committing transactions of batch
// keys of valueSize bytes for d; it returns keys written per second.
func (r *RawBench) BatchRate(writers, batch, valueSize int, d time.Duration) (float64, error) {
	if writers < 1 || batch < 1 {
		return 0, errors.New("store: raw badger benchmark needs at least one writer and one key")
	}
	return r.run("batch", writers, batch, make([]byte, valueSize), d)
}

// run has writers goroutines commit transactions of batch new keys, each
// set to val, until d is over, and returns keys committed per second.
func (r *RawBench) run(prefix string, writers, batch int, val []byte, d time.Duration) (float64, error) {
	var n atomic.Int64
	errs := make([]error, writers)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		name := fmt.Sprintf("%s/%04d/", prefix, w)
		r.mu.Lock()
		i := r.next[name]
		r.mu.Unlock()
		wg.Go(func() {
			for ; time.Now().Before(deadline); i += int64(batch) {
				errs[w] = r.bdb.Update(func(txn *badger.Txn) error {
					for k := range batch {
						if err := txn.Set(binary.BigEndian.AppendUint64([]byte(name), uint64(i)+uint64(k)), val); err != nil {
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
			r.mu.Lock()
			r.next[name] = i
			r.mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
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

// Fill writes keys new keys of valueSize bytes, in transactions of about
// 4 MiB, so that the baseline holds as much as the store it is compared
// with before the rounds begin. Its keys sort apart from the rounds' keys.
func (r *RawBench) Fill(keys, valueSize int) error {
	const prefix = "fill/"
	per := max(1, (4<<20)/(valueSize+32))
	val := make([]byte, valueSize)
	r.mu.Lock()
	from := r.next[prefix]
	r.next[prefix] = from + int64(keys)
	r.mu.Unlock()
	for i := from; i < from+int64(keys); i += int64(per) {
		err := r.bdb.Update(func(txn *badger.Txn) error {
			for k := i; k < min(from+int64(keys), i+int64(per)); k++ {
				if err := txn.Set(binary.BigEndian.AppendUint64([]byte(prefix), uint64(k)), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: raw badger benchmark: %w", err)
		}
	}
	return nil
}
