package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// pending is a write not yet committed; del marks a deletion. cold marks
// a key written once and not read again by later writes (an appended
// record, a feed entry): not worth a place in the hot cache.
type pending struct {
	val  []byte
	del  bool
	cold bool
}

// group is the state shared by the closures of one commit group: the
// snapshot they all read, the writes of the closures accepted so far, and
// the change-feed counter.
type group struct {
	base reader
	// prev holds the writes of the groups committed (or being committed)
	// since base was taken, oldest first: base does not show them.
	prev    []map[string]pending
	acc     map[string]pending
	version uint64 // last version handed out
	size    int64  // Badger's estimate of acc
	hot     *hotCache
	now     func() time.Time
	limits  txnLimits
}

// hotCache holds the newest value the writer knows of keys it read or
// wrote lately (del marks a key known to be absent). The writer is the
// only one writing to Badger, so what it last wrote or read of a key is the
// key's value, and reading it here skips Badger's memtables and levels.
type hotCache struct {
	m     map[string]pending
	bytes int
}

// hotCacheBytes bounds the cache; when full it starts over.
const hotCacheBytes = 32 << 20

func newHotCache() *hotCache { return &hotCache{m: make(map[string]pending)} }

func (h *hotCache) put(k string, p pending) {
	if old, ok := h.m[k]; ok {
		h.bytes -= len(k) + len(old.val) + 64
	} else if h.bytes > hotCacheBytes {
		h.reset()
	}
	h.m[k] = p
	h.bytes += len(k) + len(p.val) + 64
}

// learn records the writes of a group about to be committed.
func (h *hotCache) learn(acc map[string]pending) {
	for k, p := range acc {
		if p.cold {
			h.drop(k) // in case it was read as absent before
			continue
		}
		h.put(k, p)
	}
}

func (h *hotCache) drop(k string) {
	if old, ok := h.m[k]; ok {
		h.bytes -= len(k) + len(old.val) + 64
		delete(h.m, k)
	}
}

func (h *hotCache) reset() {
	clear(h.m)
	h.bytes = 0
}

// writeTx is the Tx of one closure. Its writes go to own, an overlay that
// is merged into the group only when the closure succeeds, so a failing
// closure leaves no trace while its group-mates' writes stay.
type writeTx struct {
	reads
	g      *group
	parent *writeTx // set on a savepoint's tx
	// own is the closure's overlay, shared by its savepoints: a savepoint
	// writes into it and keeps in undo how to take those writes back.
	own   map[string]pending
	undo  []undoEntry
	size  int64 // Badger's estimate of own, to refuse an oversize closure early
	done  bool
	fault error // a refused write: the closure fails even if it ignores it
}

// undoEntry is what a key held in the overlay before a savepoint wrote it.
type undoEntry struct {
	key  string
	prev pending
	had  bool
}

// newWriteTx starts a closure's overlay with room for size writes (a
// mutation writes a dozen or so; growing a map is a copy each time).
func newWriteTx(g *group, size int) *writeTx {
	w := &writeTx{g: g, own: make(map[string]pending, size)}
	w.reads = reads{r: w}
	return w
}

var errTxDone = errors.New("store: transaction used after its update returned")

func (w *writeTx) get(key []byte) ([]byte, error) {
	v, err := w.peek(key)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(v), nil
}

// peek returns the newest value of key as stored in the overlays or the
// hot cache, not copied: the caller must not change it.
func (w *writeTx) peek(key []byte) ([]byte, error) {
	if w.done {
		return nil, errTxDone
	}
	p, ok := w.own[string(key)]
	if !ok {
		p, ok = w.g.acc[string(key)]
	}
	for i := len(w.g.prev) - 1; i >= 0 && !ok; i-- {
		p, ok = w.g.prev[i][string(key)]
	}
	if !ok && w.g.hot != nil {
		p, ok = w.g.hot.m[string(key)]
	}
	if !ok {
		val, err := w.g.base.get(key) // a copy of its own
		if w.g.hot != nil {
			switch {
			case err == nil:
				w.g.hot.put(string(key), pending{val: val})
			case errors.Is(err, ErrNotFound):
				w.g.hot.put(string(key), pending{del: true})
			}
		}
		return val, err
	}
	if p.del {
		return nil, ErrNotFound
	}
	return p.val, nil
}

// Peek is Get without the copy, for a closure that only reads the bytes
// (to decode or compare them) and neither changes nor keeps them past the
// transaction.
func (w *writeTx) Peek(coll, id string) ([]byte, error) {
	if err := checkRecord(coll, id); err != nil {
		return nil, err
	}
	return w.peek(dataKey(coll, id))
}

type pendingKV struct {
	key string
	pending
}

// iterate merges the pending writes into the snapshot's iteration. The
// pending set of a group is small (bounded by the group cap), so collecting
// and sorting it per call is cheaper than keeping a sorted structure.
func (w *writeTx) iterate(prefix, start []byte, values bool, fn func(key, val []byte) error) error {
	if w.done {
		return errTxDone
	}
	merged := make(map[string]pending)
	pre, from := string(prefix), string(start)
	for _, m := range w.layers() {
		for k, p := range m {
			if strings.HasPrefix(k, pre) && k >= from {
				merged[k] = p
			}
		}
	}
	if len(merged) == 0 {
		return w.g.base.iterate(prefix, start, values, fn)
	}
	ps := make([]pendingKV, 0, len(merged))
	for k, p := range merged {
		ps = append(ps, pendingKV{k, p})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].key < ps[j].key })

	i := 0
	emit := func(p pendingKV) error {
		if p.del {
			return nil
		}
		var v []byte
		if values {
			v = bytes.Clone(p.val)
		}
		return fn([]byte(p.key), v)
	}
	err := w.g.base.iterate(prefix, start, values, func(k, v []byte) error {
		for ; i < len(ps) && ps[i].key < string(k); i++ {
			if err := emit(ps[i]); err != nil {
				return err
			}
		}
		if i < len(ps) && ps[i].key == string(k) {
			i++
			return emit(ps[i-1])
		}
		return fn(k, v)
	})
	if err != nil {
		return err
	}
	for ; i < len(ps); i++ {
		if err := emit(ps[i]); err != nil {
			return err
		}
	}
	return nil
}

// write records one pending write, refusing it when this closure alone
// would no longer fit in a Badger transaction.
func (w *writeTx) write(key []byte, p pending) error {
	if w.done {
		return errTxDone
	}
	k := string(key)
	size := w.size + w.g.limits.entrySize(len(k), len(p.val))
	old, had := w.own[k]
	if had {
		size -= w.g.limits.entrySize(len(k), len(old.val))
	}
	count := len(w.own)
	if !had {
		count++
	}
	if w.g.limits.exceeded(int64(count), size) {
		w.fault = fmt.Errorf("%w: one update wrote more than %d bytes in %d keys", ErrTooBig, size, count)
		return w.fault
	}
	if w.parent != nil {
		w.undo = append(w.undo, undoEntry{key: k, prev: old, had: had})
	}
	w.own[k] = p
	w.size = size
	return nil
}

func (w *writeTx) set(key, val []byte) error { return w.write(key, pending{val: val}) }

func (w *writeTx) del(key []byte) error { return w.write(key, pending{del: true}) }

// maxValue caps one record or change; Badger refuses values beyond its
// value-log file size with an error that would fail the whole group.
const maxValue = 64 << 20

func (w *writeTx) Put(coll, id string, data []byte, idx ...Index) error {
	return w.put(coll, id, bytes.Clone(data), idx)
}

func (w *writeTx) PutOwned(coll, id string, data []byte, idx ...Index) error {
	return w.put(coll, id, data, idx)
}

func (w *writeTx) put(coll, id string, data []byte, idx []Index) error {
	want, err := w.checkPut(coll, id, data, idx)
	if err != nil {
		return err
	}
	list, err := w.peek(metaKey(coll, id))
	switch {
	case errors.Is(err, ErrNotFound):
		list, err = nil, nil
	case err != nil:
		return err
	case len(want) > 0 && sameIndexes(list, want):
		// The usual replace: the same index entries as before.
		return w.set(dataKey(coll, id), data)
	}
	var have []Index
	if list != nil {
		if have, err = decodeIndexes(list); err != nil {
			return err
		}
	}
	for _, ix := range have {
		if _, found := slices.BinarySearchFunc(want, ix, compareIndex); !found {
			if err := w.del(indexKey(coll, ix, id)); err != nil {
				return err
			}
		}
	}
	for _, ix := range want {
		if _, found := slices.BinarySearchFunc(have, ix, compareIndex); !found {
			if err := w.set(indexKey(coll, ix, id), nil); err != nil {
				return err
			}
		}
	}
	switch {
	case len(want) > 0 && !slices.Equal(want, have):
		err = w.set(metaKey(coll, id), encodeIndexes(want))
	case len(want) == 0 && len(have) > 0:
		err = w.del(metaKey(coll, id))
	}
	if err != nil {
		return err
	}
	return w.set(dataKey(coll, id), data)
}

// Append writes the record and its index entries and nothing else: no list
// of the entries to find them again, and no look at what was there.
func (w *writeTx) Append(coll, id string, data []byte, idx ...Index) error {
	return w.append(coll, id, bytes.Clone(data), idx)
}

func (w *writeTx) AppendOwned(coll, id string, data []byte, idx ...Index) error {
	return w.append(coll, id, data, idx)
}

func (w *writeTx) append(coll, id string, data []byte, idx []Index) error {
	want, err := w.checkPut(coll, id, data, idx)
	if err != nil {
		return err
	}
	for _, ix := range want {
		if err := w.write(indexKey(coll, ix, id), pending{cold: true}); err != nil {
			return err
		}
	}
	return w.write(dataKey(coll, id), pending{val: data, cold: true})
}

// checkPut refuses a write a Put or Append may not make and returns its
// index entries sorted and deduplicated.
func (w *writeTx) checkPut(coll, id string, data []byte, idx []Index) ([]Index, error) {
	if w.done {
		return nil, errTxDone
	}
	if err := checkRecord(coll, id); err != nil {
		return nil, err
	}
	if len(data) > maxValue {
		return nil, fmt.Errorf("%w: record %s/%s is %d bytes", ErrTooBig, coll, id, len(data))
	}
	return normalizeIndexes(idx)
}

func (w *writeTx) Delete(coll, id string) error {
	if w.done {
		return errTxDone
	}
	if err := checkRecord(coll, id); err != nil {
		return err
	}
	if _, err := w.get(dataKey(coll, id)); errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	have, err := w.indexes(coll, id)
	if err != nil {
		return err
	}
	for _, ix := range have {
		if err := w.del(indexKey(coll, ix, id)); err != nil {
			return err
		}
	}
	if len(have) > 0 {
		if err := w.del(metaKey(coll, id)); err != nil {
			return err
		}
	}
	return w.del(dataKey(coll, id))
}

func (w *writeTx) Emit(c Change) (uint64, error) {
	if w.done {
		return 0, errTxDone
	}
	if len(c.Data) > maxValue {
		return 0, fmt.Errorf("%w: change of %s/%s carries %d bytes", ErrTooBig, c.Collection, c.ID, len(c.Data))
	}
	v := w.g.version + 1
	c.Version = v
	if c.At.IsZero() {
		c.At = w.g.now()
	}
	c.At = c.At.UTC()
	if err := w.write(feedKey(v), pending{val: encodeChange(c), cold: true}); err != nil {
		return 0, err
	}
	w.g.version = v
	return v, nil
}

// indexes returns the sorted index entries record coll/id has now.
func (w *writeTx) indexes(coll, id string) ([]Index, error) {
	b, err := w.get(metaKey(coll, id))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeIndexes(b)
}

func compareIndex(a, b Index) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(a.Value, b.Value)
}

// normalizeIndexes validates, sorts and deduplicates, so the stored list
// can be binary-searched and a duplicate entry is written once.
func normalizeIndexes(idx []Index) ([]Index, error) {
	for _, ix := range idx {
		if err := checkIndex(ix); err != nil {
			return nil, err
		}
	}
	out := slices.Clone(idx)
	slices.SortFunc(out, compareIndex)
	return slices.CompactFunc(out, func(a, b Index) bool { return compareIndex(a, b) == 0 }), nil
}

// layers lists the pending writes visible to w, oldest first, so a later
// layer's write to a key replaces an earlier one's.
func (w *writeTx) layers() []map[string]pending {
	return append(append(slices.Clone(w.g.prev), w.g.acc), w.own)
}

// Savepoint runs fn on a nested transaction: if fn fails, its writes and
// the versions it emitted are dropped while the writes made before it in
// tx stay; if it succeeds they become part of tx.
func (w *writeTx) Savepoint(fn func(tx Tx) error) error {
	if w.done {
		return errTxDone
	}
	child := &writeTx{g: w.g, parent: w, own: w.own, size: w.size}
	child.reads = reads{r: child}
	before := w.g.version
	err := runClosure(func(c *writeTx) error { return fn(c) }, child)
	child.done = true
	if err == nil {
		err = child.fault
	}
	if err != nil {
		for i := len(child.undo) - 1; i >= 0; i-- {
			if u := child.undo[i]; u.had {
				w.own[u.key] = u.prev
			} else {
				delete(w.own, u.key)
			}
		}
		w.g.version = before
		if p, ok := err.(*panicError); ok {
			panic(p)
		}
		return err
	}
	if w.parent != nil {
		w.undo = append(w.undo, child.undo...) // undone with w, if w fails
	}
	w.size = child.size
	return nil
}
