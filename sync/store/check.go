package store

import (
	"context"
	"fmt"
)

// CheckReport is what Check found.
type CheckReport struct {
	Changes     int    // change-feed entries
	First, Last uint64 // their versions
	Problems    []string
}

// Check verifies the change feed: versions run from the first to
// LastVersion with no gap and no repeat. It reads a snapshot, so it may run
// beside writers.
func (db *DB) Check(ctx context.Context) (CheckReport, error) {
	var r CheckReport
	last := db.LastVersion()
	err := db.View(ctx, func(tx ReadTx) error {
		var prev uint64
		return tx.Changes(0, 0, func(c Change) error {
			if r.Changes == 0 {
				r.First = c.Version
			} else if c.Version != prev+1 {
				r.Problems = append(r.Problems, fmt.Sprintf("change feed jumps from %d to %d", prev, c.Version))
			}
			prev = c.Version
			r.Last = c.Version
			r.Changes++
			if len(r.Problems) > 20 {
				return ErrStop
			}
			return nil
		})
	})
	if err != nil && err != ErrStop {
		return r, err
	}
	if r.Last < last {
		r.Problems = append(r.Problems, fmt.Sprintf("last version is %d but the feed ends at %d", last, r.Last))
	}
	if r.Changes > 0 && r.First != 1 {
		r.Problems = append(r.Problems, fmt.Sprintf("change feed starts at %d", r.First))
	}
	return r, nil
}
