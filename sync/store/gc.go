package store

import (
	"errors"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// gcRounds bounds one GC run: each round rewrites at most one value-log
// file, and a backlog is better worked off over several ticks than in one
// long stall of disk I/O.
const gcRounds = 8

// discardEvery is how often Badger is told which old versions no snapshot
// reads any more (it keeps them all until told: see DB.discardBelow).
const discardEvery = 30 * time.Second

// gcLoop collects value-log garbage until Close; Badger never does it by
// itself, and without it replaced values keep their disk space forever.
func (db *DB) gcLoop(every time.Duration) {
	defer close(db.gcDone)
	t := time.NewTicker(every)
	defer t.Stop()
	d := time.NewTicker(discardEvery)
	defer d.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-d.C:
			db.discardBelow()
		case <-t.C:
			db.discardBelow()
			db.collectGarbage()
		}
	}
}

func (db *DB) collectGarbage() {
	for range gcRounds {
		select {
		case <-db.stop:
			return
		default:
		}
		err := db.bdb.RunValueLogGC(0.5)
		switch {
		case err == nil:
		case errors.Is(err, badger.ErrNoRewrite), errors.Is(err, badger.ErrRejected):
			return
		default:
			db.log.Warn("store: value-log GC failed", "err", err)
			return
		}
	}
}
