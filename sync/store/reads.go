package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// reader is the raw key-value view that the typed reads are built on: a
// Badger snapshot for View, the snapshot under a closure's pending writes
// for Update.
type reader interface {
	// get returns a copy of the value, or ErrNotFound.
	get(key []byte) ([]byte, error)
	// iterate visits, in key order, the keys with prefix that are >= start.
	// key is valid only during fn; val is a copy, or nil unless values.
	iterate(prefix, start []byte, values bool, fn func(key, val []byte) error) error
}

// errLimit ends an iteration that reached its limit.
var errLimit = errors.New("store: limit reached")

// stopped turns the two ways of ending early into a normal return.
func stopped(err error) error {
	if errors.Is(err, ErrStop) || errors.Is(err, errLimit) {
		return nil
	}
	return err
}

// reads implements ReadTx over any reader.
type reads struct{ r reader }

func (x reads) Get(coll, id string) ([]byte, error) {
	if err := checkRecord(coll, id); err != nil {
		return nil, err
	}
	return x.r.get(dataKey(coll, id))
}

func (x reads) Scan(coll, after string, limit int, fn func(id string, data []byte) error) error {
	if err := checkPart("collection", coll); err != nil {
		return err
	}
	if strings.IndexByte(after, 0) >= 0 {
		return fmt.Errorf("%w: id %q contains a NUL byte", ErrInvalidKey, after)
	}
	prefix := dataPrefix(coll)
	start := prefix
	if after != "" {
		// The smallest key after `after`: ids hold no NUL, so nothing sorts
		// between after and after+"\x00".
		start = append(dataKey(coll, after), 0)
	}
	n := 0
	return stopped(x.r.iterate(prefix, start, true, func(k, v []byte) error {
		if err := fn(string(k[len(prefix):]), v); err != nil {
			return err
		}
		n++
		if limit > 0 && n >= limit {
			return errLimit
		}
		return nil
	}))
}

// manyGetter is a reader that reads many records of a collection in one
// pass (a Badger snapshot); on others GetMany gets them one by one.
type manyGetter interface {
	getMany(prefix []byte, ids []string, fn func(id string, val []byte) error) error
}

func (x reads) GetMany(coll string, ids []string, fn func(id string, data []byte) error) error {
	for i, id := range ids {
		if err := checkRecord(coll, id); err != nil {
			return err
		}
		if i > 0 && ids[i-1] >= id {
			return fmt.Errorf("%w: ids %q and %q are not in ascending order", ErrInvalidKey, ids[i-1], id)
		}
	}
	if g, ok := x.r.(manyGetter); ok {
		return stopped(g.getMany(dataPrefix(coll), ids, fn))
	}
	for _, id := range ids {
		v, err := x.r.get(dataKey(coll, id))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err == nil {
			err = fn(id, v)
		}
		if err != nil {
			return stopped(err)
		}
	}
	return nil
}

func (x reads) Lookup(coll, name, value string) ([]string, error) {
	if err := checkPart("collection", coll); err != nil {
		return nil, err
	}
	if err := checkIndex(Index{Name: name, Value: value}); err != nil {
		return nil, err
	}
	prefix := join(prefixIndex, coll, name, value, "")
	var ids []string
	err := x.r.iterate(prefix, prefix, false, func(k, _ []byte) error {
		ids = append(ids, string(k[len(prefix):]))
		return nil
	})
	return ids, err
}

func (x reads) ScanIndex(coll, name, prefix string, fn func(value, id string) error) error {
	if err := checkPart("collection", coll); err != nil {
		return err
	}
	if err := checkIndex(Index{Name: name, Value: prefix}); err != nil {
		return err
	}
	base := indexPrefix(coll, name)
	p := slices.Concat(base, []byte(prefix))
	return stopped(x.r.iterate(p, p, false, func(k, _ []byte) error {
		rest := k[len(base):]
		i := strings.IndexByte(string(rest), 0)
		if i < 0 {
			return fmt.Errorf("store: corrupt index key %q", k)
		}
		return fn(string(rest[:i]), string(rest[i+1:]))
	}))
}

func (x reads) Changes(after uint64, limit int, fn func(Change) error) error {
	if after == math.MaxUint64 {
		return nil
	}
	prefix := []byte(prefixFeed)
	n := 0
	return stopped(x.r.iterate(prefix, feedKey(after+1), true, func(k, v []byte) error {
		ver, ok := parseFeedKey(k)
		if !ok {
			return fmt.Errorf("store: corrupt change-feed key %q", k)
		}
		c, err := decodeChange(v)
		if err != nil {
			return fmt.Errorf("store: change %d: %w", ver, err)
		}
		c.Version = ver
		if err := fn(c); err != nil {
			return err
		}
		n++
		if limit > 0 && n >= limit {
			return errLimit
		}
		return nil
	}))
}

// badgerReader reads a Badger transaction.
type badgerReader struct {
	ctx context.Context
	txn *badger.Txn
}

func (b badgerReader) get(key []byte) ([]byte, error) {
	item, err := b.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	// The value buffer belongs to the transaction; callers keep theirs.
	return item.ValueCopy(nil)
}

// maxWalk is how many records not asked for getMany steps over before it
// seeks to the next one asked for instead. Measured (BenchmarkGetMany):
// with 1, 3,000 records of a run read in a tenth of the time of a Get
// each, every 5th in two thirds, every 60th in the same; with 4, every
// 60th took half as long again as Gets.
const maxWalk = 1

// getMany reads the records prefix+id of ids (ascending) with one
// iterator: it steps to the next key while the records asked for lie
// together (a site's equipment, made at one time), and seeks over gaps.
func (b badgerReader) getMany(prefix []byte, ids []string, fn func(id string, val []byte) error) error {
	if len(ids) == 0 {
		return nil
	}
	it := b.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	key := make([]byte, 0, len(prefix)+64)
	seek := func(id string) {
		key = append(append(key[:0], prefix...), id...)
		it.Seek(key)
	}
	seek(ids[0])
	for j, walked, n := 0, 0, 0; j < len(ids); n++ {
		if n%ctxEvery == ctxEvery-1 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		if !it.ValidForPrefix(prefix) {
			return nil // the rest are not there
		}
		item := it.Item()
		id := item.Key()[len(prefix):]
		switch want := ids[j]; {
		case string(id) > want: // ids[j] is not there
			j++
		case string(id) < want: // a record not asked for
			if walked++; walked > maxWalk {
				seek(ids[j])
				walked = 0
			} else {
				it.Next()
			}
		default:
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if err := fn(ids[j], v); err != nil {
				return err
			}
			j, walked = j+1, 0
			it.Next()
		}
	}
	return nil
}

// ctxEvery is how many keys an iteration visits between looks at ctx: often
// enough to stop a runaway report, rarely enough to cost nothing.
const ctxEvery = 256

func (b badgerReader) iterate(prefix, start []byte, values bool, fn func(key, val []byte) error) error {
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = values
	opts.Prefix = prefix
	it := b.txn.NewIterator(opts)
	defer it.Close()
	n := 0
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		if n++; n%ctxEvery == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
		}
		item := it.Item()
		var v []byte
		if values {
			var err error
			if v, err = item.ValueCopy(nil); err != nil {
				return err
			}
		}
		if err := fn(item.Key(), v); err != nil {
			return err
		}
	}
	return nil
}
