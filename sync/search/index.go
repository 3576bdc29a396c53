// Package search finds customers, sites, contacts and equipment of the
// archive by any substring of their text: a Chinese name by one of its
// characters, a company by a common word such as 科技, a phone number by a
// few of its digits, a serial by a fragment.
//
// The index is a projection of the change feed, persisted in the store's
// own collections: gram posting lists over document numbers, a copy of
// each document to verify candidates and show hits, and a cursor. It
// follows the feed in small steps and is rebuilt from it, never from a
// scan of the archive. See docs/search.md.
package search

import (
	"context"
	"fmt"
	"log/slog"
	gosync "sync"
	"sync/atomic"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Options configure an Index; the zero value is usable.
type Options struct {
	Logger *slog.Logger // default slog.Default()
	// PollInterval is how often a started index looks for new changes.
	// Default 200 ms.
	PollInterval time.Duration
	// CountCap bounds the work of counting: a query that needs its
	// candidates verified counts its matches exactly up to this many, then
	// reports Result.TotalCapped. Default 10,000.
	CountCap int
	// StepChanges is how many feed entries one catch-up step reads. Default
	// 5,000.
	StepChanges int
}

// Index is the search projection of one store. It is safe for concurrent
// use.
type Index struct {
	st   store.Store
	opts Options
	log  *slog.Logger
	lim  limits

	// apply admits one writer of the projection, a step or a rebuild: a
	// one-slot semaphore, so a query waiting behind a rebuild gives up
	// with its context.
	apply chan struct{}
	// mu: queries hold it for reading; a step's writes and the switch to
	// a rebuilt generation hold it for writing, so a query sees a step
	// whole or not at all.
	mu     gosync.RWMutex
	loaded bool
	state  state // Cursor may be ahead of the stored one, see saved
	saved  uint64
	owners [numKinds][]uint32

	cursor     atomic.Uint64 // state.Cursor, read without locks
	ready      atomic.Bool   // a usable generation is loaded
	rebuilding atomic.Bool

	startMu gosync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}

	changesRead atomic.Int64 // feed entries read by steps
	multiPart   atomic.Int64 // steps written in several parts
	rebuilds    atomic.Int64
	hookPart    func(part int) error // tests: fail between the parts of a step
	hookRebuild func()               // tests: run while a rebuild is half done
}

// Status tells where the index is.
type Status struct {
	Generation int    `json:"generation"` // 0: not built
	Cursor     uint64 `json:"cursor"`     // the change-feed version applied
	Documents  int    `json:"documents"`  // numbers handed out, placeholders and deleted included
	// ChangesRead counts the feed entries catch-up steps read since New;
	// Rebuilds the rebuilds, and MultiPartSteps the steps too big for one
	// transaction.
	ChangesRead    int64 `json:"changesRead"`
	Rebuilds       int64 `json:"rebuilds"`
	MultiPartSteps int64 `json:"multiPartSteps"`
}

// Status returns the index's position; it reads the stored state if the
// index was not used yet and is not busy (a rebuild is not waited for).
func (ix *Index) Status(ctx context.Context) (Status, error) {
	select {
	case ix.apply <- struct{}{}:
		err := ix.loadLocked(ctx)
		ix.unlock()
		if err != nil {
			return Status{}, err
		}
	default:
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := Status{Generation: ix.state.Gen, Cursor: ix.state.Cursor, ChangesRead: ix.changesRead.Load(),
		Rebuilds: ix.rebuilds.Load(), MultiPartSteps: ix.multiPart.Load()}
	for _, n := range ix.state.Seq {
		s.Documents += int(n)
	}
	return s, nil
}

// New returns the index of st; it reads nothing until first used.
func New(st store.Store, o Options) *Index {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	if o.CountCap <= 0 {
		o.CountCap = 10_000
	}
	if o.StepChanges <= 0 {
		o.StepChanges = 5_000
	}
	return &Index{st: st, opts: o, log: o.Logger, lim: defaultLimits, apply: make(chan struct{}, 1)}
}

func (ix *Index) lock(ctx context.Context) error {
	select {
	case ix.apply <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (ix *Index) unlock() { <-ix.apply }

// ErrRebuilding: the index is being built and has no earlier complete
// generation to answer from.
var ErrRebuilding = domain.E(domain.KindUnavailable, "search.rebuilding")

// saveEvery is how far the cursor may run ahead of the stored one over
// changes the index ignores (tickets, users…) before it is written: a
// restart reads those again, which is harmless.
const saveEvery = 10_000

// Start brings the index up to date in the background — rebuilding it
// first when there is none or it has another format — and then follows
// new changes until ctx ends or Close is called.
func (ix *Index) Start(ctx context.Context) {
	ix.startMu.Lock()
	defer ix.startMu.Unlock()
	if ix.done != nil {
		return
	}
	ctx, ix.cancel = context.WithCancel(ctx)
	ix.done = make(chan struct{})
	go ix.follow(ctx)
}

func (ix *Index) follow(ctx context.Context) {
	defer close(ix.done)
	var backoff time.Duration
	for {
		wait := ix.opts.PollInterval
		if err := ix.CatchUp(ctx); err != nil && ctx.Err() == nil {
			// A store that fails keeps failing for a while: back off.
			ix.log.Error("search: catch up", "err", err)
			backoff = min(2*max(backoff, wait), 30*time.Second)
			wait = backoff
		} else {
			backoff = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Close stops a started index and stores its cursor. The store stays open.
func (ix *Index) Close() error {
	ix.startMu.Lock()
	if ix.done != nil {
		ix.cancel()
		<-ix.done
		ix.done = nil
	}
	ix.startMu.Unlock()
	ix.apply <- struct{}{}
	defer ix.unlock()
	if !ix.loaded || !ix.state.usable() || ix.state.Cursor == ix.saved {
		return nil
	}
	return ix.persistCursor(context.Background())
}

// CatchUp applies every change up to the store's newest version now,
// building the index first if there is none. Search calls it, so a record
// written a moment ago is found.
func (ix *Index) CatchUp(ctx context.Context) error {
	target := ix.st.LastVersion()
	if ix.ready.Load() && ix.cursor.Load() >= target {
		return nil
	}
	if err := ix.lock(ctx); err != nil {
		return err
	}
	defer ix.unlock()
	if err := ix.loadLocked(ctx); err != nil {
		return err
	}
	if !ix.state.usable() {
		if err := ix.rebuildLocked(ctx); err != nil {
			return err
		}
	}
	if err := ix.sweepLocked(ctx); err != nil {
		return err
	}
	for ix.state.Cursor < target || ix.state.Pending > ix.state.Cursor {
		if err := ctx.Err(); err != nil {
			return err
		}
		moved, err := ix.step(ctx)
		if err != nil {
			return err
		}
		if !moved {
			break
		}
	}
	return nil
}

// Rebuild drops the projection and builds it again from the whole change
// feed. Queries keep using the previous generation, if there is one, until
// the new one is complete.
func (ix *Index) Rebuild(ctx context.Context) error {
	if err := ix.lock(ctx); err != nil {
		return err
	}
	defer ix.unlock()
	if err := ix.loadLocked(ctx); err != nil {
		return err
	}
	if err := ix.rebuildLocked(ctx); err != nil {
		return err
	}
	return ix.sweepLocked(ctx)
}

// loadLocked reads the state and the owners of the current generation
// once.
func (ix *Index) loadLocked(ctx context.Context) error {
	if ix.loaded {
		return nil
	}
	s, err := loadState(ctx, ix.st)
	if err != nil {
		return err
	}
	var owners [numKinds][]uint32
	if s.usable() {
		if owners, err = loadOwners(ctx, ix.st, s); err != nil {
			return err
		}
	}
	ix.mu.Lock()
	ix.state, ix.saved, ix.owners, ix.loaded = s, s.Cursor, owners, true
	ix.mu.Unlock()
	ix.cursor.Store(s.Cursor)
	ix.ready.Store(s.usable())
	return nil
}

func loadOwners(ctx context.Context, st store.Store, s state) ([numKinds][]uint32, error) {
	var owners [numKinds][]uint32
	for k := range owners {
		owners[k] = make([]uint32, s.Seq[k]+1)
	}
	err := st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(collOwn(s.Gen), "", 0, func(id string, data []byte) error {
			k, chunk, err := parseOwnKey(id)
			if err != nil {
				return err
			}
			base := int(chunk) << ownChunkBits
			for i := 0; i+4 <= len(data); i += 4 {
				if seq := base + i/4; seq < len(owners[k]) {
					owners[k][seq] = uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
				}
			}
			return nil
		})
	})
	if err != nil {
		return owners, fmt.Errorf("search: read owners: %w", err)
	}
	return owners, nil
}

// persistCursor stores the state with the cursor reached in memory.
func (ix *Index) persistCursor(ctx context.Context) error {
	if err := saveState(ctx, ix.st, ix.state); err != nil {
		return err
	}
	ix.saved = ix.state.Cursor
	return nil
}

// setStateLocked installs s for queries. The caller holds the apply lock
// and mu.
func (ix *Index) setStateLocked(s state) {
	ix.state = s
	ix.cursor.Store(s.Cursor)
	ix.ready.Store(s.usable())
}

// sweepLocked deletes the records of generations no longer used.
func (ix *Index) sweepLocked(ctx context.Context) error {
	s := ix.state
	gens := append([]int(nil), s.Stale...)
	if s.Building > 0 && s.Building != s.Gen {
		gens = append(gens, s.Building)
	}
	if len(gens) == 0 {
		return nil
	}
	for _, g := range gens {
		for _, coll := range genColls(g) {
			if err := dropCollection(ctx, ix.st, coll, ix.lim); err != nil {
				return err
			}
		}
	}
	s.Stale, s.Building = nil, 0
	if err := saveState(ctx, ix.st, s); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.setStateLocked(s)
	ix.mu.Unlock()
	ix.saved = s.Cursor
	return nil
}

// dropCollection deletes every record of coll, a batch at a time.
func dropCollection(ctx context.Context, st store.Store, coll string, l limits) error {
	batch := l.keys / 4
	after := "" // scanning on from the last deleted id skips its tombstones
	for {
		var ids []string
		err := st.View(ctx, func(tx store.ReadTx) error {
			return tx.Scan(coll, after, batch, func(id string, _ []byte) error {
				ids = append(ids, id)
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("search: drop %s: %w", coll, err)
		}
		if len(ids) == 0 {
			return nil
		}
		after = ids[len(ids)-1]
		err = st.Update(ctx, func(tx store.Tx) error {
			for _, id := range ids {
				if err := tx.Delete(coll, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("search: drop %s: %w", coll, err)
		}
	}
}
