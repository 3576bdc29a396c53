package store

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// One goroutine commits every write. It runs the closures waiting one
// after another over one snapshot and commits them as a group in one Badger
// transaction: one fsync for the whole group. Because it is the only
// committer, change versions and Badger's commit timestamps (managed mode)
// can be handed out in memory and still become visible in order, with no
// gap: a snapshot reads at the newest commit that landed, and flights land
// in the order sent.

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
// acknowledged. Badger syncs its log once per transaction, and its write
// goroutine takes one transaction after another, so the writer keeps the
// next group ready behind the one syncing: while a flight syncs, the
// closures arriving meanwhile run into the open group, which is sent as
// soon as it holds as many closures as the last flight to land answered
// (those callers are the ones likely to come back) or the flight lands.
// Badger then starts on it the moment the flight before is done. At most
// maxFlying are sent at once; alone, a closure is sent as soon as it ran.
type flight struct {
	ran   []accepted
	after uint64 // the change version after it
	ts    uint64 // its Badger commit timestamp
	acc   map[string]pending
	done  chan error
	// setVersion: the stored version counter moves to after.
	setVersion bool
	// Set by the committer before the commit reports on done.
	keys, bytes int64
}

// commitLoop hands flights to Badger in the order the writer sent them,
// so building the transaction (a Set per key) is off the writer's path.
// It ends when the writer closes db.commits.
func (db *DB) commitLoop() {
	for fl := range db.commits {
		txn := db.bdb.NewTransactionAt(fl.ts-1, true) // writes only: the read timestamp is unused
		keys, bytes, err := stage(txn, fl)
		if err != nil {
			fl.done <- err
			continue
		}
		fl.keys, fl.bytes = keys, bytes
		done := fl.done
		_ = txn.CommitAt(fl.ts, func(err error) { done <- err }) // answers through the callback
	}
}

// maxFlying bounds the flights sent and not yet landed: one syncing, one
// waiting behind it. More would only be smaller groups, each with its own
// sync.
const maxFlying = 2

func (db *DB) take(retry []*request, room int) ([]*request, bool) {
	db.mu.Lock()
	defer db.mu.Unlock()
	batch := retry
	n := min(room-len(batch), len(db.queue))
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
	defer close(db.commits) // after the last flight landed: ends commitLoop
	var (
		retry  []*request
		flying []*flight // sent, oldest first
		// snap is the snapshot groups read, at the newest landed commit
		// (snapTs, pinned); the writes of the flights still flying, which
		// it does not show, lie over it.
		snap   *badger.Txn
		snapTs uint64
		next   = db.version // the last version handed out
		open   *group       // the group being filled
		ran    []accepted   // its closures that succeeded
		hot    = newHotCache()
		// want is how many callers the last flight to land answered.
		want = 1
	)
	drop := func() {
		if snap != nil {
			snap.Discard()
			db.unpin(snapTs)
		}
		snap = nil
	}
	defer drop()
	// land answers the oldest flight once its commit is done; block waits
	// for it. It reports whether a flight landed. Flights land in the order
	// sent, whatever order Badger calls back in.
	land := func(block bool) bool {
		if len(flying) == 0 {
			return false
		}
		fl := flying[0]
		if !block {
			select {
			case err := <-fl.done:
				fl.done <- err
			default:
				return false
			}
		}
		flying[0] = nil
		flying = flying[1:]
		if !db.settle(fl) {
			db.fail()
		}
		want = max(1, len(fl.ran))
		return true
	}
	landAll := func() {
		for land(true) {
		}
	}
	// send commits the open group behind the flights flying: the committer
	// goroutine hands it to Badger while the writer runs the next closures.
	send := func() {
		g, group := open, ran
		open, ran = nil, nil
		if db.failed() != nil {
			retry, next = append(requests(group), retry...), db.version
			return
		}
		// Badger counts the version key and its own end-of-transaction entry too.
		if db.commitLimits.exceeded(int64(len(g.acc)+2), g.size+64) {
			// Too big for one transaction: commit in chunks, synchronously.
			// Some closures may be run again: forget what they wrote.
			landAll()
			drop()
			hot.reset()
			retry, next = append(db.commit(group), retry...), db.version
			return
		}
		hot.learn(g.acc)
		db.ts++
		fl := &flight{ran: group, after: g.version, ts: db.ts, acc: g.acc, done: make(chan error, 1),
			setVersion: g.version > db.version}
		if len(flying) > 0 {
			db.statBehind.Add(1)
		}
		db.statGroups.Add(1)
		flying = append(flying, fl)
		db.commits <- fl
	}
	for {
		for land(false) {
		}
		if len(flying) == 0 && len(ran) > 0 {
			send()
		}
		room := maxGroup - len(ran)
		if open != nil && open.size > db.groupBytes {
			room = 0
		}
		batch, closed := db.take(retry, max(room, len(retry)))
		retry = nil
		if closed {
			landAll()
			if len(ran) > 0 {
				send()
				landAll()
			}
			for _, r := range append(retry, batch...) {
				r.finish(ErrClosed)
			}
			return
		}
		if len(batch) == 0 || room <= 0 {
			// Nothing to run, or the group is full: send it behind the
			// flight when it is as big as the last one to land (or full),
			// else wait for the flight to land, or for work.
			retry = batch
			if len(ran) > 0 && len(flying) < maxFlying && (len(ran) >= want || room <= 0) {
				send()
				continue
			}
			if len(flying) == 0 {
				drop() // idle: hold no old versions back from compaction
			}
			select {
			case err := <-oldestDone(flying):
				flying[0].done <- err
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
		if ts := db.visible.Load(); snap == nil || snapTs != ts {
			drop()
			db.pin(ts)
			snap, snapTs = db.bdb.NewTransactionAt(ts, false), ts
		}
		if open == nil {
			open = &group{acc: make(map[string]pending), version: next, now: db.opts.Now, limits: db.limits, hot: hot}
		}
		open.prev = open.prev[:0]
		for _, fl := range flying {
			open.prev = append(open.prev, fl.acc)
		}
		ran, retry = db.runGroup(batch, snap, open, ran)
		next = open.version
	}
}

// oldestDone is the channel the oldest flight's commit reports on; nil
// (never ready) when nothing is flying.
func oldestDone(flying []*flight) chan error {
	if len(flying) == 0 {
		return nil
	}
	return flying[0].done
}

// settle waits for a flight's commit and answers its callers; false means
// the commit failed. A flight sent behind one that failed may have read
// its writes, so its callers are told of the failure even if its own
// commit went through (nothing is acknowledged that rests on a lost write).
func (db *DB) settle(fl *flight) bool {
	err := <-fl.done
	if err == nil {
		err = db.failed()
	}
	if err != nil {
		err = fmt.Errorf("store: commit: %w", err)
		for _, a := range fl.ran {
			a.req.finish(err)
		}
		return false
	}
	db.version = fl.after
	db.visible.Store(fl.ts)
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

// stage puts the writes of a flight into one write transaction, ready to
// commit, and counts its keys and bytes.
func stage(txn *badger.Txn, fl *flight) (keys, bytes int64, err error) {
	for k, p := range fl.acc {
		if p.del {
			err = txn.Delete([]byte(k))
		} else {
			err = txn.Set([]byte(k), p.val)
		}
		if err != nil {
			txn.Discard()
			return 0, 0, err
		}
		keys++
		bytes += int64(len(k) + len(p.val))
	}
	if fl.setVersion {
		if err := txn.Set(keyVersion, encodeUint(fl.after)); err != nil {
			txn.Discard()
			return 0, 0, err
		}
	}
	return keys, bytes, nil
}

// Stats are running totals of what the writer committed.
type Stats struct {
	Keys, Bytes int64
	// Groups sent, and of those, sent while another was still syncing.
	Groups, Behind int64
}

// Stats returns the totals of keys and bytes committed since Open (by the
// pipelined path, which carries all but oversize groups).
func (db *DB) Stats() Stats {
	return Stats{Keys: db.statKeys.Load(), Bytes: db.statBytes.Load(), Groups: db.statGroups.Load(), Behind: db.statBehind.Load()}
}

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

// runGroup runs the closures of batch into the group g over snap and g's
// overlays, appending those that succeed to ran, and returns the ones left
// for a later group once g is full.
func (db *DB) runGroup(batch []*request, snap *badger.Txn, g *group, ran []accepted) ([]accepted, []*request) {
	if err := db.disk.check(); err != nil {
		for _, r := range batch {
			if r.start() {
				r.finish(err)
			}
		}
		return ran, nil
	}
	for i, r := range batch {
		if g.size > db.groupBytes || len(ran) >= maxGroup {
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
		tx := newWriteTx(g, 16)
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
		g.size += tx.size
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
	txn := db.bdb.NewTransactionAt(db.ts, true)
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
	if err := txn.CommitAt(db.ts+1, nil); err != nil {
		return len(ch) - 1, err
	}
	db.ts++
	db.visible.Store(db.ts)
	return len(ch), nil
}
