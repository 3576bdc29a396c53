package search

import (
	"errors"
	"fmt"
	"slices"

	"elvcare/sync/store"
)

// batch computes one step: the documents as the step leaves them, their
// owners, and from those the writes.
type batch struct {
	ix     *Index
	tx     store.ReadTx
	gen    int
	seq    [numKinds]uint32
	newIDs map[string]uint32 // id key → number handed out in this step
	before map[uint32]*doc   // as stored (nil: none)
	after  map[uint32]*doc   // as the step leaves them (nil: deleted)
	owner  map[uint32]uint32 // new owners
	// ownChunks are the owner chunks the step writes, filled by recordOps.
	ownChunks map[ownChunkID][]uint32
}

type ownChunkID struct {
	k     kind
	chunk uint32
}

func (b *batch) applyChanges(list []feedChange) error {
	byKind := [numKinds][]feedChange{}
	for _, c := range list {
		byKind[c.k] = append(byKind[c.k], c)
	}
	for k := range byKind {
		// Id order, so new numbers follow id order within a step.
		slices.SortFunc(byKind[k], func(a, b feedChange) int {
			switch {
			case a.id < b.id:
				return -1
			case a.id > b.id:
				return 1
			}
			return 0
		})
		for _, c := range byKind[k] {
			if err := b.applyChange(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyChange projects one change. Kinds come in order — customers,
// sites, contacts, equipment — so a site is known before the equipment
// that takes its customer from it.
func (b *batch) applyChange(c feedChange) error {
	n, ok, err := b.num(c.k, c.id)
	if err != nil {
		return err
	}
	if c.del {
		if !ok {
			return nil
		}
		var d *doc
		if c.k == kindCustomer {
			d = &doc{ID: c.id, C: c.id, P: true}
		}
		if err := b.set(n, d, 0); err != nil {
			return err
		}
		if c.k == kindSite {
			return b.siteChanged(c.id)
		}
		return nil
	}
	d, err := docFromChange(c.k, c.id, c.data)
	if err != nil {
		// A record the index cannot read must not stop it for good.
		b.ix.log.Error("search: skipped a change", "err", err)
		return nil
	}
	if !ok {
		if n, err = b.alloc(c.k, c.id); err != nil {
			return err
		}
	}
	var owner uint32
	switch c.k {
	case kindCustomer:
		owner = seqOf(n)
	case kindEquipment:
		if d.V {
			if d.C, err = b.siteCustomer(d.S); err != nil {
				return err
			}
		}
		fallthrough
	default:
		if owner, err = b.customerSeq(d.C); err != nil {
			return err
		}
	}
	if err := b.set(n, d, owner); err != nil {
		return err
	}
	if c.k == kindSite {
		return b.siteChanged(c.id)
	}
	return nil
}

// num returns the number of a record, if it has one.
func (b *batch) num(k kind, id string) (uint32, bool, error) {
	key := idKey(k, id)
	if n, ok := b.newIDs[key]; ok {
		return n, true, nil
	}
	v, err := b.tx.Get(collIDs(b.gen), key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	n, err := parseDocKey(string(v))
	if err != nil {
		return 0, false, fmt.Errorf("search: id map %s: %w", key, err)
	}
	return n, true, nil
}

func (b *batch) alloc(k kind, id string) (uint32, error) {
	if b.seq[k] >= maxSeq {
		return 0, fmt.Errorf("search: more than %d %s documents", maxSeq, kinds[k].name)
	}
	b.seq[k]++
	n := docnum(k, b.seq[k])
	b.newIDs[idKey(k, id)] = n
	return n, nil
}

// stored returns the document as stored before the step.
func (b *batch) stored(n uint32) (*doc, error) {
	if d, ok := b.before[n]; ok {
		return d, nil
	}
	v, err := b.tx.Get(collDocs(b.gen), docKey(n))
	if errors.Is(err, store.ErrNotFound) {
		b.before[n] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := new(doc)
	if err := decodeDoc(v, d); err != nil {
		return nil, fmt.Errorf("%w %s", err, docKey(n))
	}
	b.before[n] = d
	return d, nil
}

// current returns the document as the step has left it so far.
func (b *batch) current(n uint32) (*doc, error) {
	if d, ok := b.after[n]; ok {
		return d, nil
	}
	return b.stored(n)
}

func (b *batch) set(n uint32, d *doc, owner uint32) error {
	if _, err := b.stored(n); err != nil {
		return err
	}
	b.after[n], b.owner[n] = d, owner
	return nil
}

// customerSeq returns the sequence number of a customer, giving a
// customer not seen yet a number and a placeholder document, so whatever
// names it has an owner until it arrives.
func (b *batch) customerSeq(id string) (uint32, error) {
	if id == "" {
		return 0, nil
	}
	n, ok, err := b.num(kindCustomer, id)
	if err != nil || ok {
		return seqOf(n), err
	}
	if n, err = b.alloc(kindCustomer, id); err != nil {
		return 0, err
	}
	return seqOf(n), b.set(n, &doc{ID: id, C: id, P: true}, 0)
}

// siteCustomer is the customer of a site as the step has left it.
func (b *batch) siteCustomer(siteID string) (string, error) {
	if siteID == "" {
		return "", nil
	}
	n, ok, err := b.num(kindSite, siteID)
	if err != nil || !ok {
		return "", err
	}
	d, err := b.current(n)
	if err != nil || d == nil {
		return "", err
	}
	return d.C, nil
}

// siteChanged gives the equipment that takes its customer from the site
// the site's customer now.
func (b *batch) siteChanged(siteID string) error {
	keys, err := b.tx.Lookup(collDocs(b.gen), idxSite, siteID)
	if err != nil {
		return err
	}
	cust, err := b.siteCustomer(siteID)
	if err != nil {
		return err
	}
	for _, key := range keys {
		n, err := parseDocKey(key)
		if err != nil {
			return fmt.Errorf("search: document key %q: %w", key, err)
		}
		d, err := b.current(n)
		if err != nil {
			return err
		}
		if d == nil || !d.V || d.S != siteID || d.C == cust {
			continue
		}
		nd := *d
		nd.C = cust
		owner, err := b.customerSeq(cust)
		if err != nil {
			return err
		}
		if err := b.set(n, &nd, owner); err != nil {
			return err
		}
	}
	return nil
}

// idxSite indexes the equipment whose customer comes from its site.
const idxSite = "site"

// postingOps turns the documents' gram changes into posting list writes.
func (b *batch) postingOps() ([]op, error) {
	type delta struct{ add, rem []uint16 }
	deltas := map[string]*delta{}
	get := func(key string) *delta {
		d := deltas[key]
		if d == nil {
			d = &delta{}
			deltas[key] = d
		}
		return d
	}
	for n, nd := range b.after {
		k := kindOf(n)
		old, now := docGrams(k, b.before[n]), docGrams(k, nd)
		block, low := n>>blockBits, uint16(n)
		for g := range old {
			if _, keep := now[g]; !keep {
				d := get(postKey(block, g))
				d.rem = append(d.rem, low)
			}
		}
		for g := range now {
			if _, had := old[g]; !had {
				d := get(postKey(block, g))
				d.add = append(d.add, low)
			}
		}
	}
	keys := make([]string, 0, len(deltas))
	for key := range deltas {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	coll := collPost(b.gen)
	ops := make([]op, 0, len(keys))
	var bm bitmap
	for _, key := range keys {
		v, err := b.tx.Get(coll, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			bm.reset()
		case err != nil:
			return nil, err
		default:
			if err := decodePosting(v, &bm); err != nil {
				return nil, fmt.Errorf("%w (%s)", err, key)
			}
		}
		d := deltas[key]
		for _, l := range d.rem {
			bm.clear(l)
		}
		for _, l := range d.add {
			bm.set(l)
		}
		if data := encodeBitmap(&bm); data == nil {
			ops = append(ops, op{coll: coll, id: key, del: true})
		} else {
			ops = append(ops, op{coll: coll, id: key, data: data})
		}
	}
	return ops, nil
}

// recordOps returns the writes of the id map, and of the documents with
// the owner chunks.
func (b *batch) recordOps() (ids, docs []op, err error) {
	for key, n := range b.newIDs {
		ids = append(ids, op{coll: collIDs(b.gen), id: key, data: []byte(docKey(n))})
	}
	slices.SortFunc(ids, func(x, y op) int { return compareStrings(x.id, y.id) })
	nums := make([]uint32, 0, len(b.after))
	for n := range b.after {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		docs = append(docs, docOp(b.gen, n, b.after[n]))
	}
	b.ownChunks = map[ownChunkID][]uint32{}
	for n, owner := range b.owner {
		k, seq := kindOf(n), seqOf(n)
		id := ownChunkID{k, seq >> ownChunkBits}
		chunk, ok := b.ownChunks[id]
		if !ok {
			chunk = b.ix.ownerChunk(k, id.chunk, b.seq[k])
			b.ownChunks[id] = chunk
		}
		chunk[seq&(ownChunk-1)] = owner
	}
	chunkIDs := make([]ownChunkID, 0, len(b.ownChunks))
	for id := range b.ownChunks {
		chunkIDs = append(chunkIDs, id)
	}
	slices.SortFunc(chunkIDs, func(x, y ownChunkID) int {
		if x.k != y.k {
			return int(x.k) - int(y.k)
		}
		return int(x.chunk) - int(y.chunk)
	})
	for _, id := range chunkIDs {
		docs = append(docs, op{coll: collOwn(b.gen), id: ownKey(id.k, id.chunk), data: encodeOwners(b.ownChunks[id])})
	}
	return ids, docs, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// docOp writes document n (nil: deletes it).
func docOp(gen int, n uint32, d *doc) op {
	if d == nil {
		return op{coll: collDocs(gen), id: docKey(n), del: true}
	}
	o := op{coll: collDocs(gen), id: docKey(n), data: encodeDoc(d)}
	if d.V && d.S != "" {
		o.idx = []store.Index{{Name: idxSite, Value: d.S}}
	}
	return o
}

// ownerChunk copies the owners of one chunk, sized for the sequence
// numbers handed out up to last.
func (ix *Index) ownerChunk(k kind, chunk, last uint32) []uint32 {
	base := chunk << ownChunkBits
	size := min(uint32(ownChunk), last+1-base)
	out := make([]uint32, size)
	if cur := ix.owners[k]; int(base) < len(cur) {
		copy(out, cur[base:])
	}
	return out
}

// installOwners puts the step's owners in memory; the caller holds mu.
func (b *batch) installOwners() {
	for k := range b.ix.owners {
		if need := int(b.seq[k]) + 1; len(b.ix.owners[k]) < need {
			grown := make([]uint32, need, need+need/4)
			copy(grown, b.ix.owners[k])
			b.ix.owners[k] = grown
		}
	}
	for n, owner := range b.owner {
		b.ix.owners[kindOf(n)][seqOf(n)] = owner
	}
}
