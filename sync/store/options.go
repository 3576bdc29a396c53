package store

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/skl"
)

// Options configures Open. Only Dir is required.
type Options struct {
	// Dir is the data directory: Badger in Dir/db, blobs in Dir/blobs.
	Dir string
	// DiskFloorBytes is the free space below which writes are refused with
	// ErrDiskFull, because Badger that runs out of disk may not start again.
	// 0 means 256 MiB.
	DiskFloorBytes uint64
	// GCInterval is how often the value log is garbage-collected. 0 means
	// 10 minutes.
	GCInterval time.Duration
	// Migrations are applied in Version order on Open; see Migration.
	Migrations []Migration
	// Logger receives Badger's warnings and errors and the store's own. nil
	// means slog.Default().
	Logger *slog.Logger
	// Now stamps changes emitted with a zero At. nil means time.Now.
	Now func() time.Time
}

const (
	defaultDiskFloor  = 256 << 20
	defaultGCInterval = 10 * time.Minute
)

func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		return o, errors.New("store: no data directory given")
	}
	if o.DiskFloorBytes == 0 {
		o.DiskFloorBytes = defaultDiskFloor
	}
	if o.GCInterval <= 0 {
		o.GCInterval = defaultGCInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := checkMigrations(o.Migrations); err != nil {
		return o, err
	}
	return o, nil
}

// Badger sizing for a small server (2 cores, a few GiB): fewer memtables,
// compactors and cache than Badger's defaults, which assume a big machine.
//
// The memtable is 40 MiB. With SyncWrites, Badger msyncs its memtable's
// log after every transaction, and on these machines that sync gets about
// three times slower once some 40 MiB of one log file are written (measured
// with a bare mmap+msync loop, whatever the offset it starts at); a
// memtable of 40 MiB moves on to a new log before that. One transaction
// still holds 6 MiB (15% of the memtable): a sync batch is far smaller, and
// an Excel import of ~2,800 rows fits (docs/import.md). Values under 1 MiB
// stay in the LSM tree, so ordinary records need no value-log lookups.
// Smaller memtables make more, smaller tables for a read to look through,
// so the block cache is 64 MiB (measured: a technician's first pull in a
// million-record store back to ~40 ms p95; the server's memory with the
// million-record archive stays ~150 MB).
const (
	memTableSize     = 40 << 20
	valueThreshold   = 1 << 20
	valueLogFileSize = 256 << 20
)

func badgerOptions(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		// Off by default: acknowledged writes would be lost on a power cut.
		// Throughput comes from group commit instead.
		WithSyncWrites(true).
		WithLogger(badgerLogger{log: log}).
		WithLoggingLevel(badger.WARNING).
		WithMetricsEnabled(false).
		WithMemTableSize(memTableSize).
		WithNumMemtables(3).
		WithValueThreshold(valueThreshold).
		WithValueLogFileSize(valueLogFileSize).
		WithBlockCacheSize(64 << 20).
		WithNumCompactors(2).
		WithNumGoroutines(4)
}

// txnLimits mirrors Badger's per-transaction limits (15% of the memtable,
// and that divided by the size of a skiplist node in entries), so a closure
// that alone cannot fit is refused while it runs.
type txnLimits struct {
	maxSize, maxCount, threshold int64
}

func newTxnLimits() txnLimits {
	size := int64(15 * memTableSize / 100)
	return txnLimits{maxSize: size, maxCount: size / int64(skl.MaxNodeSize), threshold: valueThreshold}
}

// entrySize is Badger's estimate for one entry: key plus value (or a
// 12-byte value pointer), two meta bytes and the 8+2 of the version suffix.
func (l txnLimits) entrySize(keyLen, valLen int) int64 {
	if int64(valLen) < l.threshold {
		return int64(keyLen+valLen) + 2 + 10
	}
	return int64(keyLen) + 12 + 2 + 10
}

func (l txnLimits) exceeded(count, size int64) bool {
	return count >= l.maxCount || size >= l.maxSize
}

// badgerLogger forwards Badger's warnings and errors to slog; its info and
// debug chatter (compactions, table counts) is dropped.
type badgerLogger struct{ log *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	b.log.Error(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}

func (b badgerLogger) Warningf(f string, a ...any) {
	b.log.Warn(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}

func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}
