package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	"elvcare/sync/store"
)

// feedChange is the latest change of one record within a step.
type feedChange struct {
	k    kind
	id   string
	del  bool
	data []byte
}

// step applies the next changes of the feed: at most StepChanges entries,
// or exactly the step an interrupted write left pending. It reports
// whether the cursor moved.
//
// A step that fits one store transaction is written in one. A bigger one
// is written in four parts, so that stopping anywhere leaves a state the
// same step can be applied to again with the same outcome:
//
//  1. the new id → number mappings and the state with Pending = the
//     step's end (so numbers are never handed out twice);
//  2. the posting lists, as sets: adding a present member or removing an
//     absent one changes nothing;
//  3. the documents and owners; a document already written makes its own
//     change empty the second time, and its postings were already right;
//  4. the state with the cursor at the step's end, in the last part of 3.
func (ix *Index) step(ctx context.Context) (bool, error) {
	s := ix.state
	from, limit, stopAt := s.Cursor, ix.opts.StepChanges, uint64(math.MaxUint64)
	replay := s.Pending > s.Cursor
	if replay {
		limit, stopAt = 0, s.Pending
	}
	latest := map[string]int{}
	var list []feedChange
	to := from
	err := ix.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Changes(from, limit, func(c store.Change) error {
			if c.Version > stopAt {
				return store.ErrStop
			}
			to = c.Version
			ix.changesRead.Add(1)
			k, ok := kindOfColl(c.Collection)
			if !ok || (c.Op != "put" && c.Op != "delete") {
				return nil // scope grants and evictions carry no record
			}
			fc := feedChange{k: k, id: c.ID, del: c.Op == "delete", data: c.Data}
			key := idKey(k, c.ID)
			if i, seen := latest[key]; seen {
				list[i] = fc
			} else {
				latest[key] = len(list)
				list = append(list, fc)
			}
			return nil
		})
	})
	if err != nil {
		return false, fmt.Errorf("search: read changes: %w", err)
	}
	if replay {
		to = s.Pending
	}
	if to == from {
		return false, nil
	}
	if len(list) == 0 {
		s.Cursor = to
		ix.mu.Lock()
		ix.setStateLocked(s)
		ix.mu.Unlock()
		if s.Cursor-ix.saved >= saveEvery {
			return true, ix.persistCursor(ctx)
		}
		return true, nil
	}

	b := &batch{
		ix: ix, gen: s.Gen, seq: s.Seq,
		newIDs: map[string]uint32{}, before: map[uint32]*doc{},
		after: map[uint32]*doc{}, owner: map[uint32]uint32{},
	}
	var ops struct{ ids, post, docs []op }
	err = ix.st.View(ctx, func(tx store.ReadTx) error {
		b.tx = tx
		if err := b.applyChanges(list); err != nil {
			return err
		}
		var err error
		if ops.post, err = b.postingOps(); err != nil {
			return err
		}
		ops.ids, ops.docs, err = b.recordOps()
		return err
	})
	if err != nil {
		return false, err
	}

	next := s
	next.Cursor, next.Pending, next.Seq = to, 0, b.seq
	all := slices.Concat(ops.ids, ops.post, ops.docs)
	keys, bytes := 0, 0
	for _, o := range all {
		k, n := o.cost()
		keys, bytes = keys+k, bytes+n
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.lim.fits(keys, bytes) {
		err = writeOps(ctx, ix.st, ix.lim, all, func(tx store.Tx) error { return putState(tx, next) })
	} else {
		intent := s
		intent.Pending, intent.Seq = to, b.seq
		err = writeOps(ctx, ix.st, ix.lim, ops.ids, func(tx store.Tx) error { return putState(tx, intent) })
		if err == nil {
			err = ix.afterPart(1)
		}
		if err == nil {
			err = writeOps(ctx, ix.st, ix.lim, ops.post, nil)
		}
		if err == nil {
			err = ix.afterPart(2)
		}
		if err == nil {
			err = writeOps(ctx, ix.st, ix.lim, ops.docs, func(tx store.Tx) error { return putState(tx, next) })
		}
	}
	if err != nil {
		// What was written is repaired by applying the step again; reload
		// so the next attempt starts from the stored state.
		ix.loaded = false
		ix.ready.Store(false)
		return false, err
	}
	b.installOwners()
	ix.setStateLocked(next)
	ix.saved = next.Cursor
	ix.multiPart.Add(boolInt(!ix.lim.fits(keys, bytes)))
	return true, nil
}

// afterPart runs the test hook between the parts of a step written in
// several transactions.
func (ix *Index) afterPart(part int) error {
	if ix.hookPart != nil {
		return ix.hookPart(part)
	}
	return nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
