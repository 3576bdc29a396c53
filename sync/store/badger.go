package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// DB is the Badger backend of Store.
type DB struct {
	opts  Options
	log   *slog.Logger
	bdb   *badger.DB
	blobs *blobStore
	disk  *diskGuard

	last atomic.Uint64 // newest committed change version
	// visible is the Badger timestamp of the newest commit that landed:
	// snapshots read at it. The writer hands out commit timestamps itself
	// (Badger in managed mode), so it can send a group while another is
	// still syncing; every commit at or below visible has landed.
	visible atomic.Uint64

	statKeys, statBytes    atomic.Int64 // committed by the writer, for benchmarks
	statGroups, statBehind atomic.Int64 // groups sent; of those, behind another
	schema                 int          // applied migration version; set before Open returns

	mu     sync.Mutex
	idle   *sync.Cond // signalled when readers drops to 0
	closed bool
	queue  []*request
	// writeErr is set when a commit failed; writes are refused after it.
	writeErr error
	// groupBytes caps the writes of one commit group (maxGroupBytes).
	groupBytes int64
	readers    int // Views and Backups in flight; Close waits for them
	// pins counts the snapshots open at each timestamp (readers' and the
	// writer's), so versions they may read are not discarded.
	pins map[uint64]int

	wake       chan struct{} // a request was queued
	stop       chan struct{} // closed by Close
	writerDone chan struct{}
	commits    chan *flight // the writer's flights, to commitLoop
	gcDone     chan struct{}
	closeOnce  sync.Once
	closeErr   error

	// writer-owned: the newest committed version, the counter a group
	// starts from; the newest Badger timestamp handed out.
	version uint64
	ts      uint64
	limits  txnLimits
	// commitLimits are Badger's own, for sending a group whole or in
	// chunks (limits may be set lower, to refuse a closure early).
	commitLimits txnLimits
}

var _ Store = (*DB)(nil)

// Open opens or creates the store in opts.Dir and applies pending
// migrations. It refuses data written by a newer program (ErrNewerSchema)
// before writing anything.
func Open(opts Options) (*DB, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	for _, d := range []string{dbDir(opts.Dir), tmpDir(opts.Dir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	bdb, err := openManaged(dbDir(opts.Dir), opts.Logger)
	if err != nil && strings.Contains(err.Error(), "Create a new file") {
		// A process killed while Badger was opening or closing its memtable
		// file can leave it so that the first open after fails and the
		// second succeeds (Badger issue #2207): try once more.
		opts.Logger.Warn("store: badger refused to open after a crash; retrying", "err", err)
		bdb, err = openManaged(dbDir(opts.Dir), opts.Logger)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open badger in %s: %w", opts.Dir, err)
	}
	db := &DB{
		opts:         opts,
		log:          opts.Logger,
		bdb:          bdb,
		disk:         newDiskGuard(opts.Dir, opts.DiskFloorBytes, opts.Logger),
		wake:         make(chan struct{}, 1),
		stop:         make(chan struct{}),
		writerDone:   make(chan struct{}),
		commits:      make(chan *flight, maxFlying),
		gcDone:       make(chan struct{}),
		limits:       newTxnLimits(),
		commitLimits: newTxnLimits(),
		groupBytes:   maxGroupBytes,
		pins:         make(map[uint64]int),
		ts:           bdb.MaxVersion(),
	}
	db.visible.Store(db.ts)
	db.idle = sync.NewCond(&db.mu)
	db.blobs = newBlobStore(blobDir(opts.Dir), opts.Logger, db.Ready)

	schema, version, err := readCounters(bdb)
	if err == nil {
		db.schema = schema
		db.version = version
		db.last.Store(version)
		if known := highestMigration(opts.Migrations); schema > known {
			err = fmt.Errorf("%w: the data is at schema %d, this program knows up to %d", ErrNewerSchema, schema, known)
		}
	}
	if err == nil {
		err = db.blobs.cleanTmp()
	}
	if err != nil {
		return nil, errors.Join(err, bdb.Close())
	}

	go db.commitLoop()
	go db.writeLoop()
	go db.gcLoop(opts.GCInterval)
	if err := db.migrate(context.Background()); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db, nil
}

// openManaged opens Badger with the store choosing commit timestamps
// (managed mode): the writer is the only committer, so Badger needs
// neither its conflict detection nor its wait, in every new transaction,
// for the commits before it to land.
func openManaged(dir string, log *slog.Logger) (*badger.DB, error) {
	return badger.OpenManaged(badgerOptions(dir, log).WithDetectConflicts(false))
}

func dbDir(dir string) string   { return filepath.Join(dir, "db") }
func blobDir(dir string) string { return filepath.Join(dir, "blobs") }
func tmpDir(dir string) string  { return filepath.Join(dir, "blobs", "tmp") }

// readCounters reads the schema version and the newest change version. The
// version is the larger of the stored counter and the last feed key, so a
// counter lost to a bug can never make versions repeat.
func readCounters(bdb *badger.DB) (schema int, version uint64, err error) {
	err = bdb.View(func(txn *badger.Txn) error {
		r := badgerReader{ctx: context.Background(), txn: txn}
		b, err := r.get(keySchema)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			s, err := decodeUint(b)
			if err != nil {
				return fmt.Errorf("schema version: %w", err)
			}
			if s > math.MaxInt32 {
				return fmt.Errorf("store: schema version %d out of range", s)
			}
			schema = int(s)
		}
		b, err = r.get(keyVersion)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			if version, err = decodeUint(b); err != nil {
				return fmt.Errorf("change version: %w", err)
			}
		}
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Reverse = true
		opts.Prefix = []byte(prefixFeed)
		it := txn.NewIterator(opts)
		defer it.Close()
		// In reverse, Seek finds the largest key <= its argument.
		if it.Seek(feedKey(math.MaxUint64)); it.ValidForPrefix(opts.Prefix) {
			if v, ok := parseFeedKey(it.Item().Key()); ok && v > version {
				version = v
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("store: read counters: %w", err)
	}
	return schema, version, err
}

// View runs fn on a snapshot. The snapshot stays valid only during fn.
func (db *DB) View(ctx context.Context, fn func(tx ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ts, err := db.enter()
	if err != nil {
		return err
	}
	defer db.leave(ts)
	txn := db.bdb.NewTransactionAt(ts, false)
	defer txn.Discard()
	return fn(reads{r: badgerReader{ctx: ctx, txn: txn}})
}

// enter registers a reader, so Close waits for it instead of closing
// Badger under it, and returns the timestamp it reads at, pinned.
func (db *DB) enter() (uint64, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return 0, ErrClosed
	}
	db.readers++
	ts := db.visible.Load()
	db.pins[ts]++
	return ts, nil
}

func (db *DB) leave(ts uint64) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.unpinLocked(ts)
	if db.readers--; db.readers == 0 {
		db.idle.Broadcast()
	}
}

// pin keeps the versions a snapshot at ts reads from being discarded.
func (db *DB) pin(ts uint64) {
	db.mu.Lock()
	db.pins[ts]++
	db.mu.Unlock()
}

func (db *DB) unpin(ts uint64) {
	db.mu.Lock()
	db.unpinLocked(ts)
	db.mu.Unlock()
}

func (db *DB) unpinLocked(ts uint64) {
	if db.pins[ts]--; db.pins[ts] <= 0 {
		delete(db.pins, ts)
	}
}

// discardBelow lets Badger's compactions drop the versions no snapshot can
// read any more: those older than the newest one at or below the oldest
// pinned timestamp.
func (db *DB) discardBelow() { db.bdb.SetDiscardTs(db.oldestRead()) }

// oldestRead is the oldest timestamp a snapshot reads at, open or to come.
func (db *DB) oldestRead() uint64 {
	db.mu.Lock()
	defer db.mu.Unlock()
	ts := db.visible.Load()
	for p := range db.pins {
		ts = min(ts, p)
	}
	return ts
}

// LastVersion is the newest committed change version.
func (db *DB) LastVersion() uint64 { return db.last.Load() }

// SchemaVersion is the version of the newest migration applied.
func (db *DB) SchemaVersion() int {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.schema
}

// Blobs is the file store in Dir/blobs.
func (db *DB) Blobs() Blobs { return db.blobs }

// Ready tells whether writes are accepted now.
func (db *DB) Ready() error {
	db.mu.Lock()
	closed, werr := db.closed, db.writeErr
	db.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if werr != nil {
		return werr
	}
	return db.disk.check()
}

// Close answers queued updates with ErrClosed, lets the running group
// finish, waits for readers and closes Badger. It is safe to call twice.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.mu.Lock()
		db.closed = true
		queued := db.queue
		db.queue = nil
		db.mu.Unlock()
		for _, r := range queued {
			r.finish(ErrClosed)
		}
		close(db.stop)
		<-db.writerDone
		<-db.gcDone
		db.mu.Lock()
		for db.readers > 0 {
			db.idle.Wait()
		}
		db.mu.Unlock()
		if err := db.bdb.Close(); err != nil {
			db.closeErr = fmt.Errorf("store: close badger: %w", err)
		}
	})
	return db.closeErr
}
