package search

import (
	"context"
	"fmt"

	"elvcare/sync/store"
)

// op is one write of the projection.
type op struct {
	coll, id string
	data     []byte
	del      bool
	idx      []store.Index
}

// cost estimates an op's share of a store transaction: its keys (record,
// index list, index entries) and bytes.
func (o op) cost() (keys, bytes int) {
	keys = 1
	if len(o.idx) > 0 {
		keys += 1 + len(o.idx)
	}
	bytes = 2*(len(o.coll)+len(o.id)) + len(o.data) + 40*keys
	for _, ix := range o.idx {
		bytes += len(ix.Name) + len(ix.Value)
	}
	return keys, bytes
}

func (o op) apply(tx store.Tx) error {
	if o.del {
		return tx.Delete(o.coll, o.id)
	}
	return tx.Put(o.coll, o.id, o.data, o.idx...)
}

// limits bound one store transaction well below Badger's (6 MiB and ~65k
// keys for the store's 40 MiB memtable), leaving room for the
// writes of other closures committed in the same group.
type limits struct{ keys, bytes int }

var defaultLimits = limits{keys: 30_000, bytes: 3 << 20}

// bulkLimits are for a rebuild, which has the store to itself in practice
// and gains from fewer, larger commits.
var bulkLimits = limits{keys: 40_000, bytes: 4 << 20}

func (l limits) fits(keys, bytes int) bool { return keys <= l.keys && bytes <= l.bytes }

// writeOps writes ops in as few transactions as the limits allow, in
// order; last, when set, runs in the final one.
func writeOps(ctx context.Context, st store.Store, l limits, ops []op, last func(tx store.Tx) error) error {
	for start := 0; start < len(ops) || last != nil; {
		end, keys, bytes := start, 0, 0
		for end < len(ops) {
			k, b := ops[end].cost()
			if end > start && !l.fits(keys+k, bytes+b) {
				break
			}
			keys, bytes, end = keys+k, bytes+b, end+1
		}
		final := end == len(ops)
		chunk := ops[start:end]
		err := st.Update(ctx, func(tx store.Tx) error {
			for _, o := range chunk {
				if err := o.apply(tx); err != nil {
					return err
				}
			}
			if final && last != nil {
				return last(tx)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("search: write: %w", err)
		}
		start = end
		if final {
			break
		}
	}
	return nil
}

// asyncWriter commits batches of ops in the background, so a rebuild
// reads and encodes the next batch while the store commits this one. At
// most two batches wait; the first error stops it and is returned by
// every later call.
type asyncWriter struct {
	batches chan []op
	done    chan struct{}
	err     error // set by the goroutine before done closes
	failed  chan struct{}
}

func newAsyncWriter(ctx context.Context, st store.Store, l limits) *asyncWriter {
	w := &asyncWriter{batches: make(chan []op, 2), done: make(chan struct{}), failed: make(chan struct{})}
	go func() {
		defer close(w.done)
		for ops := range w.batches {
			if w.err != nil {
				continue
			}
			if w.err = writeOps(ctx, st, l, ops, nil); w.err != nil {
				close(w.failed)
			}
		}
	}()
	return w
}

// write hands ops over; the caller must not touch them afterwards.
func (w *asyncWriter) write(ops []op) error {
	if len(ops) == 0 {
		return nil
	}
	select {
	case w.batches <- ops:
		return nil
	case <-w.failed:
		return w.close()
	}
}

// close waits for every batch handed over and returns the first error.
func (w *asyncWriter) close() error {
	select {
	case <-w.done:
	default:
		close(w.batches)
		<-w.done
	}
	return w.err
}
