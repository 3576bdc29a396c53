package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// One goroutine commits every write. It takes all the closures waiting at
// that moment, runs them one after another over one snapshot, and commits
// them in one Badger transaction: one fsync for the whole group. Because it
// is the only committer, change versions can be handed out in memory and
// still become visible in order, with no gap.

const (
	// maxGroup caps a group so one slow group does not hold back callers
	// for long and its pending writes stay cheap to scan.
	maxGroup = 512
	// maxAttempts bounds the re-runs after a commit conflict.
	maxAttempts = 5
)

const (
	statePending int32 = iota
	stateRunning
	stateCancelled
)

type request struct {
	ctx      context.Context
	fn       func(*writeTx) error
	done     chan error // buffered: the writer never waits for the caller
	state    atomic.Int32
	attempts int
}

// start claims the request for running; false means its caller gave up.
func (r *request) start() bool {
	return r.state.CompareAndSwap(statePending, stateRunning) || r.state.Load() == stateRunning
}

func (r *request) finish(err error) { r.done <- err }

// panicError carries a closure's panic from the writer back to its caller.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("store: update panicked: %v\n%s", p.value, p.stack)
}

// Update runs fn in a read-write transaction and commits it durably. fn
// runs on the writer goroutine, so it must not call Update itself (that
// would wait for itself) and should do no slow work outside tx.
func (db *DB) Update(ctx context.Context, fn func(tx Tx) error) error {
	return db.update(ctx, func(w *writeTx) error { return fn(w) })
}

func (db *DB) update(ctx context.Context, fn func(*writeTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	db.queue = append(db.queue, r)
	db.mu.Unlock()
	select {
	case db.wake <- struct{}{}:
	default:
	}

	var err error
	select {
	case err = <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(statePending, stateCancelled) {
			return ctx.Err()
		}
		// Already running: the outcome is decided by the commit.
		err = <-r.done
	}
	if p, ok := err.(*panicError); ok {
		panic(p)
	}
	return err
}

// flight is a group whose commit has been sent to Badger and not yet
// acknowledged. Later groups run meanwhile, over the same snapshot with the
// writes of every group since it as overlays, so running closures overlaps
// with the fsyncs, and Badger folds commits sent close together into one
// fsync. Groups commit in the order they ran.
type flight struct {
	ran         []accepted
	after       uint64
	done        chan error
	keys, bytes int64
}

// maxLayers bounds the overlays a group reads through before the writer
// waits for the commits in flight and takes a fresh snapshot.
const maxLayers = 8

func (db *DB) take(retry []*request) ([]*request, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	batch := retry
	n := min(maxGroup-len(batch), len(db.queue))
	if n > 0 {
		batch = append(batch, db.queue[:n]...)
		// Copy down rather than reslice, so the backing array does not
		// keep growing under a steady stream of requests, and clear the
		// tail so finished requests (and their closures) can be freed.
		rest := copy(db.queue, db.queue[n:])
		clear(db.queue[rest:])
		db.queue = db.queue[:rest]
	}
	return batch, db.closed
}

func (db *DB) writeLoop() {
	defer close(db.writerDone)
	var (
		retry   []*request
		flights []*flight
		// snap is the snapshot groups read; layers are the writes of the
		// groups sent since it was taken, oldest first.
		snap   *badger.Txn
		layers []map[string]pending
		next   = db.version // the last version handed out
	)
	refresh := func() {
		if snap != nil {
			snap.Discard()
			snap = nil
		}
		layers = nil
	}
	defer refresh()
	// settleDone answers the flights whose commits are done, in order.
	settleDone := func(block bool) {
		for len(flights) > 0 {
			if !block {
				select {
				case err := <-flights[0].done:
					flights[0].done <- err
				default:
					return
				}
			}
			if !db.settle(flights[0]) {
				db.fail()
			}
			flights = flights[1:]
		}
	}
	for {
		settleDone(false)
		batch, closed := db.take(retry)
		retry = nil
		if closed {
			settleDone(true)
			for _, r := range batch {
				r.finish(ErrClosed)
			}
			return
		}
		if len(batch) == 0 {
			if len(flights) > 0 {
				select {
				case err := <-flights[0].done:
					flights[0].done <- err
				case <-db.wake:
				case <-db.stop:
				}
				continue
			}
			refresh()
			select {
			case <-db.wake:
			case <-db.stop:
			}
			continue
		}
		if err := db.failed(); err != nil {
			for _, r := range batch {
				if r.start() {
					r.finish(err)
				}
			}
			continue
		}
		if len(layers) >= maxLayers {
			settleDone(true)
			refresh()
		}
		if snap == nil {
			// Taking a snapshot waits for the commits sent to be applied.
			settleDone(true)
			layers = nil
			snap = db.bdb.NewTransaction(false)
		}
		g := &group{acc: make(map[string]pending), prev: layers, version: next, now: db.opts.Now, limits: db.limits}
		ran, rest := db.runGroup(batch, snap, g)
		retry = rest
		if len(ran) == 0 {
			continue
		}
		wtxn, keys, bytes, err := db.stage(ran)
		if err != nil {
			// Too big for one transaction: commit in chunks, synchronously.
			settleDone(true)
			refresh()
			if db.failed() != nil {
				retry = append(requests(ran), retry...)
				continue
			}
			retry = append(db.commit(ran), retry...)
			next = db.version
			continue
		}
		next = ran[len(ran)-1].after
		layers = append(layers, g.acc)
		fl := &flight{ran: ran, after: next, done: make(chan error, 1), keys: keys, bytes: bytes}
		flights = append(flights, fl)
		wtxn.CommitWith(func(err error) { fl.done <- err })
	}
}

// settle waits for a flight's commit and answers its callers; false means
// the commit failed.
func (db *DB) settle(fl *flight) bool {
	if err := <-fl.done; err != nil {
		err = fmt.Errorf("store: commit: %w", err)
		for _, a := range fl.ran {
			a.req.finish(err)
		}
		return false
	}
	db.version = fl.after
	db.last.Store(db.version)
	db.statKeys.Add(fl.keys)
	db.statBytes.Add(fl.bytes)
	for _, a := range fl.ran {
		a.req.finish(nil)
	}
	return true
}

// fail stops writes after a commit failed: groups sent after it may have
// read its writes, so the store refuses writes until it is reopened (the
// failure is an I/O error Badger could not recover from).
func (db *DB) fail() {
	db.mu.Lock()
	db.writeErr = errors.New("store: a commit failed; writes are refused until the server restarts")
	db.mu.Unlock()
	db.opts.Logger.Error("store: commit failed; refusing writes until restart")
}

func (db *DB) failed() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.writeErr
}

// stage puts the writes of ran into one write transaction, ready to
// commit, and counts its keys and bytes.
func (db *DB) stage(ran []accepted) (txn *badger.Txn, keys, bytes int64, err error) {
	txn = db.bdb.NewTransaction(true)
	for _, a := range ran {
		for k, p := range a.own {
			if p.del {
				err = txn.Delete([]byte(k))
			} else {
				err = txn.Set([]byte(k), p.val)
			}
			if err != nil {
				txn.Discard()
				return nil, 0, 0, err
			}
			keys++
			bytes += int64(len(k) + len(p.val))
		}
	}
	if last := ran[len(ran)-1].after; last > db.version {
		if err := txn.Set(keyVersion, encodeUint(last)); err != nil {
			txn.Discard()
			return nil, 0, 0, err
		}
	}
	return txn, keys, bytes, nil
}

// Stats are running totals of what the writer committed.
type Stats struct {
	Keys, Bytes int64
}

// Stats returns the totals of keys and bytes committed since Open (by the
// pipelined path, which carries all but oversize groups).
func (db *DB) Stats() Stats { return Stats{Keys: db.statKeys.Load(), Bytes: db.statBytes.Load()} }

// accepted is a closure that ran successfully, with its writes and the
// change-feed counter once it finished.
type accepted struct {
	req   *request
	own   map[string]pending
	after uint64
}

// maxGroupBytes caps the writes of one group well under what one Badger
// transaction holds, so a busy writer keeps committing asynchronously
// instead of splitting oversize groups synchronously.
const maxGroupBytes = 4 << 20

// runGroup runs the closures of one group over snap and g's overlays and
// returns those that succeeded, which the caller commits, and those left
// for the next group once this one is full.
func (db *DB) runGroup(batch []*request, snap *badger.Txn, g *group) ([]accepted, []*request) {
	if err := db.disk.check(); err != nil {
		for _, r := range batch {
			if r.start() {
				r.finish(err)
			}
		}
		return nil, nil
	}
	var ran []accepted
	var size int64
	for i, r := range batch {
		if size > db.groupBytes {
			return ran, batch[i:]
		}
		if !r.start() {
			continue
		}
		if err := r.ctx.Err(); err != nil {
			r.finish(err)
			continue
		}
		g.base = badgerReader{ctx: r.ctx, txn: snap}
		before := g.version
		tx := newWriteTx(g)
		err := runClosure(r.fn, tx)
		tx.done = true
		if err == nil {
			err = tx.fault
		}
		if err != nil {
			g.version = before
			r.finish(err)
			continue
		}
		for k, p := range tx.own {
			g.acc[k] = p
		}
		size += tx.size
		ran = append(ran, accepted{req: r, own: tx.own, after: g.version})
	}
	return ran, nil
}

func runClosure(fn func(*writeTx) error, tx *writeTx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return fn(tx)
}

// commit writes the accepted closures in as few transactions as fit,
// in order, so the state after each commit is one the closures saw.
func (db *DB) commit(ran []accepted) (retry []*request) {
	for start := 0; start < len(ran); {
		end := len(ran)
		for {
			n, err := db.writeChunk(ran[start:end])
			if err == nil {
				db.version = ran[end-1].after
				db.last.Store(db.version)
				for _, a := range ran[start:end] {
					a.req.finish(nil)
				}
				start = end
				break
			}
			switch {
			case errors.Is(err, badger.ErrTxnTooBig) && n > 0:
				// Commit what fits; the rest goes in the next transaction.
				end = start + n
				continue
			case errors.Is(err, badger.ErrTxnTooBig):
				// This closure alone is too big. Those after it may have
				// read its writes or got versions after its own: re-run them.
				ran[start].req.finish(fmt.Errorf("%w: %w", ErrTooBig, err))
				return requests(ran[start+1:])
			case errors.Is(err, badger.ErrConflict):
				for _, a := range ran[start:] {
					if a.req.attempts++; a.req.attempts >= maxAttempts {
						a.req.finish(fmt.Errorf("store: commit conflict %d times: %w", a.req.attempts, err))
					} else {
						retry = append(retry, a.req)
					}
				}
				return retry
			default:
				err = fmt.Errorf("store: commit: %w", err)
				for _, a := range ran[start:] {
					a.req.finish(err)
				}
				return nil
			}
		}
	}
	return nil
}

func requests(as []accepted) []*request {
	rs := make([]*request, len(as))
	for i, a := range as {
		rs[i] = a.req
	}
	return rs
}

// writeChunk commits the writes of ch in one transaction. On ErrTxnTooBig,
// n is how many closures fit entirely.
func (db *DB) writeChunk(ch []accepted) (n int, err error) {
	txn := db.bdb.NewTransaction(true)
	defer txn.Discard()
	for i, a := range ch {
		for k, p := range a.own {
			if p.del {
				err = txn.Delete([]byte(k))
			} else {
				err = txn.Set([]byte(k), p.val)
			}
			if err != nil {
				return i, err
			}
		}
	}
	if last := ch[len(ch)-1].after; last > db.version {
		if err := txn.Set(keyVersion, encodeUint(last)); err != nil {
			return len(ch) - 1, err
		}
	}
	if err := txn.Commit(); err != nil {
		return len(ch) - 1, err
	}
	return len(ch), nil
}
