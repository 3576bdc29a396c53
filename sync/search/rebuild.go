package search

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"elvcare/sync/store"
)

// feedChunk is how many feed entries one read transaction of a rebuild
// visits: short snapshots, while the writes between them go on.
const feedChunk = 20_000

// docChunk is how many documents a rebuild writes at a time.
const docChunk = 5_000

// rebuildLocked builds a new generation from the whole change feed, in
// three passes that each hold little in memory:
//
//  1. read the feed for the last change of every record, and each site's
//     customer (equipment that names no customer takes its site's);
//  2. number the live records in id order per kind, read the feed again
//     and write each record's last version as a document;
//  3. read the documents in number order — one 65,536-document block at a
//     time — and write the block's posting lists, each once.
//
// Then the state switches to the new generation and the old one is left
// for the sweep. The caller holds the apply lock.
func (ix *Index) rebuildLocked(ctx context.Context) error {
	ix.rebuilding.Store(true)
	defer ix.rebuilding.Store(false)
	if err := ix.sweepLocked(ctx); err != nil {
		return err
	}
	old := ix.state
	gen := old.Gen + 1
	mark := old
	mark.Building = gen
	if err := saveState(ctx, ix.st, mark); err != nil {
		return err
	}
	// Records of this generation can only be left over if the state was
	// lost (deleted by hand, say); a rebuild must not build on them.
	for _, coll := range genColls(gen) {
		if err := dropCollection(ctx, ix.st, coll, ix.lim); err != nil {
			return err
		}
	}
	ix.mu.Lock()
	ix.state = mark
	ix.mu.Unlock()
	upTo := ix.st.LastVersion()
	began := time.Now()
	lap := func(pass string) {
		ix.log.Info("search: rebuild pass done", "pass", pass, "elapsed", time.Since(began).Round(time.Millisecond))
	}

	// Pass 1.
	type last struct {
		ver uint64
		num uint32
		del bool
	}
	lasts := map[string]last{}
	siteCust := map[string]string{}
	err := readFeed(ctx, ix.st, upTo, func(c store.Change) error {
		k, ok := kindOfColl(c.Collection)
		if !ok || (c.Op != "put" && c.Op != "delete") {
			return nil // scope grants and evictions carry no record
		}
		del := c.Op == "delete"
		lasts[idKey(k, c.ID)] = last{ver: c.Version, del: del}
		if k == kindSite {
			var s source
			if del || json.Unmarshal(c.Data, &s) != nil {
				delete(siteCust, c.ID)
			} else {
				siteCust[c.ID] = s.CustomerID
			}
		}
		return nil
	}, nil)
	if err != nil {
		return err
	}

	lap("last versions")

	// Pass 2.
	var live [numKinds][]string
	for key, l := range lasts {
		if !l.del {
			k := kindOfLetter(key)
			live[k] = append(live[k], key)
		}
	}
	var seq [numKinds]uint32
	var owners [numKinds][]uint32
	for k := range live {
		slices.Sort(live[k])
		if len(live[k]) > maxSeq {
			return fmt.Errorf("search: more than %d %s documents", maxSeq, kinds[k].name)
		}
		for i, key := range live[k] {
			l := lasts[key]
			l.num = docnum(kind(k), uint32(i+1))
			lasts[key] = l
		}
		seq[k] = uint32(len(live[k]))
		owners[k] = make([]uint32, seq[k]+1)
		live[k] = nil
	}
	w := newAsyncWriter(ctx, ix.st, bulkLimits)
	defer func() { _ = w.close() }()
	var ops []op
	flush := func() error {
		err := w.write(ops)
		ops = nil
		return err
	}
	add := func(n uint32, key string, d *doc) error {
		ops = append(ops, docOp(gen, n, d), op{coll: collIDs(gen), id: key, data: []byte(docKey(n))})
		if len(ops) >= 2*docChunk {
			return flush()
		}
		return nil
	}
	placeholders := map[string]uint32{}
	customerSeq := func(id string) (uint32, error) {
		if id == "" {
			return 0, nil
		}
		key := idKey(kindCustomer, id)
		if l, ok := lasts[key]; ok && !l.del {
			return seqOf(l.num), nil
		}
		if n, ok := placeholders[id]; ok {
			return seqOf(n), nil
		}
		seq[kindCustomer]++
		n := docnum(kindCustomer, seq[kindCustomer])
		placeholders[id] = n
		owners[kindCustomer] = append(owners[kindCustomer], 0)
		return seqOf(n), add(n, key, &doc{ID: id, C: id, P: true})
	}
	err = readFeed(ctx, ix.st, upTo, func(c store.Change) error {
		k, ok := kindOfColl(c.Collection)
		if !ok {
			return nil
		}
		key := idKey(k, c.ID)
		l := lasts[key]
		if l.ver != c.Version || l.del {
			return nil
		}
		d, err := docFromChange(k, c.ID, c.Data)
		if err != nil {
			ix.log.Error("search: skipped a record", "err", err)
			return nil
		}
		owner := seqOf(l.num)
		if k != kindCustomer {
			if k == kindEquipment && d.V {
				d.C = siteCust[d.S]
			}
			if owner, err = customerSeq(d.C); err != nil {
				return err
			}
		}
		owners[k][seqOf(l.num)] = owner
		return add(l.num, key, d)
	}, flush)
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	clear(lasts)
	clear(siteCust)
	lap("documents")
	if ix.hookRebuild != nil {
		ix.hookRebuild()
	}

	// Pass 3.
	w = newAsyncWriter(ctx, ix.st, bulkLimits)
	if err := buildPostings(ctx, ix.st, gen, w); err != nil {
		return err
	}
	for k := range owners {
		for chunk := 0; chunk < len(owners[k]); chunk += ownChunk {
			end := min(chunk+ownChunk, len(owners[k]))
			ops = append(ops, op{coll: collOwn(gen), id: ownKey(kind(k), uint32(chunk>>ownChunkBits)), data: encodeOwners(owners[k][chunk:end])})
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := w.close(); err != nil {
		return err
	}
	lap("postings")

	next := state{Format: format, Gen: gen, Cursor: upTo, Seq: seq, Stale: old.Stale}
	if old.Gen > 0 {
		next.Stale = append(slices.Clone(old.Stale), old.Gen)
	}
	if err := saveState(ctx, ix.st, next); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.owners = owners
	ix.setStateLocked(next)
	ix.mu.Unlock()
	ix.saved = next.Cursor
	ix.rebuilds.Add(1)
	ix.log.Info("search: index rebuilt", "generation", gen, "version", upTo,
		"documents", seq[kindCustomer]+seq[kindSite]+seq[kindContact]+seq[kindEquipment])
	return nil
}

func kindOfLetter(key string) kind {
	for k, ki := range kinds {
		if strings.HasPrefix(key, ki.letter+":") {
			return kind(k)
		}
	}
	panic("search: id key without a kind: " + key)
}

// readFeed calls fn with each change up to version upTo, in short read
// transactions; between, when set, runs after each.
func readFeed(ctx context.Context, st store.Store, upTo uint64, fn func(store.Change) error, between func() error) error {
	for after := uint64(0); after < upTo; {
		n := 0
		err := st.View(ctx, func(tx store.ReadTx) error {
			return tx.Changes(after, feedChunk, func(c store.Change) error {
				if c.Version > upTo {
					return store.ErrStop
				}
				after, n = c.Version, n+1
				return fn(c)
			})
		})
		if err != nil {
			return fmt.Errorf("search: read changes: %w", err)
		}
		if n == 0 {
			return nil
		}
		if between != nil {
			if err := between(); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildPostings writes the posting lists of generation gen from its
// documents, one block at a time, through w.
func buildPostings(ctx context.Context, st store.Store, gen int, w *asyncWriter) error {
	acc := map[string]*[]uint16{}
	cur := uint32(1<<32 - 1)
	var (
		scratch bitmap
		rs      []rune
		buf     []byte
	)
	flushBlock := func() error {
		if len(acc) == 0 {
			return nil
		}
		grams := make([]string, 0, len(acc))
		for g := range acc {
			grams = append(grams, g)
		}
		slices.Sort(grams)
		ops := make([]op, 0, len(grams))
		for _, g := range grams {
			ops = append(ops, op{coll: collPost(gen), id: postKey(cur, g), data: encodeLows(*acc[g], &scratch)})
		}
		clear(acc)
		return w.write(ops)
	}
	after := ""
	for {
		n := 0
		err := st.View(ctx, func(tx store.ReadTx) error {
			return tx.Scan(collDocs(gen), after, feedChunk, func(id string, data []byte) error {
				after, n = id, n+1
				num, err := parseDocKey(id)
				if err != nil {
					return fmt.Errorf("search: document key %q: %w", id, err)
				}
				var d doc
				if err := decodeDoc(data, &d); err != nil {
					return fmt.Errorf("%w %s", err, id)
				}
				if block := num >> blockBits; block != cur {
					if err := flushBlock(); err != nil {
						return err
					}
					cur = block
				}
				low := uint16(num)
				rs, buf = forDocGrams(kindOf(num), &d, rs, buf, func(g []byte) {
					if p, ok := acc[string(g)]; ok {
						if l := *p; l[len(l)-1] != low {
							*p = append(l, low)
						}
						return
					}
					acc[string(g)] = &[]uint16{low}
				})
				return nil
			})
		})
		if err != nil {
			return err
		}
		if n == 0 {
			return flushBlock()
		}
	}
}
