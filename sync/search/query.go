package search

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Hit is one document found.
type Hit struct {
	Kind       string `json:"kind"` // customer, site, contact or equipment
	ID         string `json:"id"`
	CustomerID string `json:"customerId"` // "" when unknown
	Title      string `json:"title"`
	Subtitle   string `json:"subtitle"`
	// Matched is the text of the field that holds the query, as stored.
	Matched string `json:"matched"`
}

// Result is one page of hits and the number found in all.
type Result struct {
	Hits  []Hit `json:"hits"`
	Total int   `json:"total"`
	// TotalCapped: counting stopped at the count cap; there may be more.
	TotalCapped bool `json:"totalCapped"`
}

// Paging bounds.
const (
	DefaultLimit = 20
	MaxLimit     = 200
)

// ErrUnknownKind: the kinds filter names something that is not searched.
var ErrUnknownKind = domain.E(domain.KindInvalid, "search.unknown_kind")

// Search finds the documents of the given kinds (all when empty) whose
// text holds q, after normalization. Exact matches of a key value (a
// name, phone number, serial or model) come first, then key values that
// start with q, then the rest; within each, customers, sites, contacts,
// equipment, each in id order. A query with nothing to look up — empty,
// or only one or two letters or digits — finds nothing.
func (ix *Index) Search(ctx context.Context, q string, kindNames []string, offset, limit int) (Result, error) {
	res := Result{Hits: []Hit{}}
	mask, err := kindMask(kindNames)
	if err != nil {
		return res, err
	}
	p, ok := makePlan(q)
	if !ok {
		return res, nil
	}
	offset, limit = page(offset, limit)
	err = ix.read(ctx, func(qr *query) error {
		found, total, capped, err := qr.find(p, mask, offset, limit)
		if err != nil {
			return err
		}
		for _, f := range found {
			res.Hits = append(res.Hits, f.d.hit(kindOf(f.n), p.q))
		}
		res.Total, res.TotalCapped = total, capped
		return nil
	})
	return res, err
}

// SearchCustomers returns the customers that have a document holding q:
// their own name, or a site's name or address, a contact's name or phone,
// a piece of equipment's model, serial or location. Customers whose name
// is q come first, then those whose name starts with q, then the rest in
// id order.
func (ix *Index) SearchCustomers(ctx context.Context, q string, offset, limit int) (ids []string, total int, capped bool, err error) {
	ids = []string{}
	p, ok := makePlan(q)
	if !ok {
		return ids, 0, false, nil
	}
	offset, limit = page(offset, limit)
	err = ix.read(ctx, func(qr *query) error {
		seqs, t, c, err := qr.customers(p, offset, limit)
		if err != nil {
			return err
		}
		for _, seq := range seqs {
			d, err := qr.doc(docnum(kindCustomer, seq))
			if err != nil {
				return err
			}
			if d != nil {
				ids = append(ids, d.ID)
			}
		}
		total, capped = t, c
		return nil
	})
	return ids, total, capped, err
}

// ByPhone finds the contacts with a phone number, for the desk's
// caller-id intake: the number in any form NormalizePhone accepts matches
// the same number stored (an extension is ignored); a number without its
// area code, of at least 7 digits, matches the stored numbers ending with
// it.
func (ix *Index) ByPhone(ctx context.Context, number string) ([]Hit, error) {
	key := ""
	if n, err := domain.NormalizePhone(number); err == nil {
		key = Normalize(keyText(kindContact, 2, n))
	} else {
		for _, r := range Normalize(number) {
			if r >= '0' && r <= '9' {
				key += string(r)
			}
		}
	}
	p, ok := makePlan(key)
	if !ok {
		return []Hit{}, nil
	}
	var mask [numKinds]bool
	mask[kindContact] = true
	var exact, suffix []Hit
	err := ix.read(ctx, func(qr *query) error {
		found, _, _, err := qr.find(p, mask, 0, MaxLimit)
		if err != nil {
			return err
		}
		for _, f := range found {
			for _, ph := range f.d.F[min(2, len(f.d.F)):] {
				digits := Normalize(keyText(kindContact, 2, ph))
				switch {
				case digits == key:
					exact = append(exact, f.d.hit(kindContact, key))
				case len(key) >= 7 && len(digits) > len(key) && digits[len(digits)-len(key):] == key:
					suffix = append(suffix, f.d.hit(kindContact, key))
				default:
					continue
				}
				break
			}
		}
		return nil
	})
	if len(exact) > 0 {
		return exact, err
	}
	if suffix == nil {
		suffix = []Hit{}
	}
	return suffix, err
}

func page(offset, limit int) (int, int) {
	if offset < 0 {
		offset = 0
	}
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	return offset, limit
}

func kindMask(names []string) ([numKinds]bool, error) {
	var mask [numKinds]bool
	if len(names) == 0 {
		for k := range mask {
			mask[k] = true
		}
		return mask, nil
	}
	for _, name := range names {
		k, ok := parseKind(name)
		if !ok {
			return mask, ErrUnknownKind.With("kind", name)
		}
		mask[k] = true
	}
	return mask, nil
}

// plan is how a query is looked up.
type plan struct {
	q     string   // normalized
	n     int      // its length in runes
	grams []string // every document holding q has all of these
	// exact: q is itself a gram, so its posting lists are the answer and
	// nothing needs verifying.
	exact  bool
	prefix string // prefix gram of q's first (up to) 4 characters
	eq     string // exact gram, for q of up to 4 characters
}

// maxGrams bounds the posting lists a long query intersects; the rest of
// its text is checked by verification.
const maxGrams = 8

func makePlan(query string) (plan, bool) {
	rs := appendNorm(nil, query)
	p := plan{q: string(rs), n: len(rs)}
	set := gramSet(rs)
	for g := range set {
		// With two characters or more, every character is in a bigram
		// or an ASCII piece, so unigrams add nothing.
		if p.n >= 2 && len([]rune(g)) == 1 {
			continue
		}
		p.grams = append(p.grams, g)
	}
	if len(p.grams) == 0 {
		return p, false
	}
	slices.Sort(p.grams)
	if len(p.grams) > maxGrams {
		picked := make([]string, 0, maxGrams)
		for i := range maxGrams {
			picked = append(picked, p.grams[i*(len(p.grams)-1)/(maxGrams-1)])
		}
		p.grams = picked
	}
	if _, ok := set[p.q]; ok {
		p.exact, p.grams = true, []string{p.q}
	}
	p.prefix = markPrefix + string(rs[:min(p.n, maxPrefix)])
	if p.n <= maxPrefix {
		p.eq = markExact + p.q
	}
	return p, true
}

// read brings the index up to date and runs fn on one snapshot. While a
// rebuild runs, the previous generation answers as it is; without one, a
// query waits for the rebuild as long as its context allows.
func (ix *Index) read(ctx context.Context, fn func(*query) error) error {
	if !ix.rebuilding.Load() || !ix.ready.Load() {
		if err := ix.CatchUp(ctx); err != nil {
			if ctx.Err() != nil && !ix.ready.Load() {
				return ErrRebuilding.Wrap(err)
			}
			return err
		}
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if !ix.state.usable() {
		return ErrRebuilding
	}
	return ix.st.View(ctx, func(tx store.ReadTx) error {
		return fn(&query{ix: ix, tx: tx, s: ix.state, cache: map[uint32]*doc{}})
	})
}

// query answers on one snapshot; the caller holds ix.mu for reading.
type query struct {
	ix      *Index
	tx      store.ReadTx
	s       state
	cache   map[uint32]*doc
	fetches int
	scratch bitmap
}

// found is a document found, with its number.
type found struct {
	n uint32
	d *doc
}

func (q *query) doc(n uint32) (*doc, error) {
	if d, ok := q.cache[n]; ok {
		return d, nil
	}
	q.fetches++
	v, err := q.tx.Get(collDocs(q.s.Gen), docKey(n))
	if errors.Is(err, store.ErrNotFound) {
		q.cache[n] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d := new(doc)
	if err := decodeDoc(v, d); err != nil {
		return nil, fmt.Errorf("%w %s", err, docKey(n))
	}
	q.cache[n] = d
	return d, nil
}

// posting reads one posting list into b; false when there is none.
func (q *query) posting(gram string, block uint32, b *bitmap) (bool, error) {
	v, err := q.tx.Get(collPost(q.s.Gen), postKey(block, gram))
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := decodePosting(v, b); err != nil {
		return false, fmt.Errorf("%w (%s)", err, postKey(block, gram))
	}
	return true, nil
}

// blockSets are one block's documents for a plan: m holds q (or, when the
// plan is not exact, may: candidates), e ⊆ m those whose key value is q,
// p ⊆ m∖e those whose key value starts with q (or, for a query longer
// than the prefix grams, those that may).
type blockSets struct {
	block   uint32
	m, e, p *bitmap
}

func (q *query) sets(p plan, mask [numKinds]bool) ([]blockSets, error) {
	var out []blockSets
	for k := range numKinds {
		if !mask[k] || q.s.Seq[k] == 0 {
			continue
		}
		first, last := docnum(k, 1)>>blockBits, docnum(k, q.s.Seq[k])>>blockBits
		for block := first; block <= last; block++ {
			bs, ok, err := q.blockSets(p, block)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, bs)
			}
		}
	}
	return out, nil
}

func (q *query) blockSets(p plan, block uint32) (blockSets, bool, error) {
	bs := blockSets{block: block, m: new(bitmap)}
	for i, g := range p.grams {
		dst := bs.m
		if i > 0 {
			dst = &q.scratch
		}
		ok, err := q.posting(g, block, dst)
		if err != nil || !ok {
			return bs, false, err
		}
		if i > 0 {
			bs.m.and(dst)
			if bs.m.empty() {
				return bs, false, nil
			}
		}
	}
	if p.eq != "" {
		e := new(bitmap)
		ok, err := q.posting(p.eq, block, e)
		if err != nil {
			return bs, false, err
		}
		if e.and(bs.m); ok && !e.empty() {
			bs.e = e
		}
	}
	pre := new(bitmap)
	ok, err := q.posting(p.prefix, block, pre)
	if err != nil {
		return bs, false, err
	}
	if pre.and(bs.m); bs.e != nil {
		pre.andNot(bs.e)
	}
	if ok && !pre.empty() {
		bs.p = pre
	}
	return bs, true, nil
}

// rest is m∖e∖p of a block.
func (bs blockSets) rest() *bitmap {
	r := *bs.m
	if bs.e != nil {
		r.andNot(bs.e)
	}
	if bs.p != nil {
		r.andNot(bs.p)
	}
	return &r
}

func count(b *bitmap) int {
	if b == nil {
		return 0
	}
	return b.count()
}

// collector counts matches in order and keeps those of the page.
type collector struct {
	q             *query
	offset, limit int
	cap           int // 0: no cap
	budget        int // most documents fetched to verify; 0: no bound
	total         int
	capped        bool
	page          []found
}

// add counts document n (d when already read) and reports whether to go
// on.
func (c *collector) add(n uint32, d *doc) (bool, error) {
	if c.total >= c.offset && len(c.page) < c.limit {
		if d == nil {
			var err error
			if d, err = c.q.doc(n); err != nil {
				return false, err
			}
		}
		if d != nil {
			c.page = append(c.page, found{n, d})
		}
	}
	c.total++
	return c.more(), nil
}

// more reports whether counting goes on, marking the count capped when not.
func (c *collector) more() bool {
	if c.cap > 0 && c.total >= c.cap || c.budget > 0 && c.q.fetches >= c.budget {
		c.capped = true
		return false
	}
	return true
}

// eachIn calls fn with the numbers in b, in order, until fn says stop.
func eachIn(block uint32, b *bitmap, fn func(n uint32) (bool, error)) (bool, error) {
	if b == nil {
		return true, nil
	}
	var err error
	goOn := b.each(func(low uint16) bool {
		var more bool
		more, err = fn(block<<blockBits | uint32(low))
		return more && err == nil
	})
	return goOn && err == nil, err
}

// find returns the page of documents matching p and how many match.
func (q *query) find(p plan, mask [numKinds]bool, offset, limit int) ([]found, int, bool, error) {
	sets, err := q.sets(p, mask)
	if err != nil {
		return nil, 0, false, err
	}
	if p.exact {
		return q.findExact(sets, offset, limit)
	}
	c := &collector{q: q, offset: offset, limit: limit, cap: q.ix.opts.CountCap, budget: q.budget()}
	exhausted, err := q.verified(p, sets, 2, func(_ int, n uint32, d *doc) (bool, error) { return c.add(n, d) })
	return c.page, c.total, c.capped || exhausted, err
}

// findExact pages through postings that need no verification: counting
// is a popcount, and only the page's documents are read.
func (q *query) findExact(sets []blockSets, offset, limit int) ([]found, int, bool, error) {
	total := 0
	for _, bs := range sets {
		total += bs.m.count()
	}
	c := &collector{q: q, offset: offset, limit: limit}
	skip := offset
	for tier := range 3 {
		for _, bs := range sets {
			b := bs.e
			switch tier {
			case 1:
				b = bs.p
			case 2:
				b = bs.rest()
			}
			if n := count(b); skip >= n {
				skip -= n
				c.total += n
				continue
			}
			if len(c.page) >= limit {
				return c.page, total, false, nil
			}
			if _, err := eachIn(bs.block, b, func(n uint32) (bool, error) {
				if _, err := c.add(n, nil); err != nil {
					return false, err
				}
				return len(c.page) < limit, nil
			}); err != nil {
				return nil, 0, false, err
			}
			skip = 0
		}
	}
	return c.page, total, false, nil
}

// budget is how many documents a query may read to verify candidates.
func (q *query) budget() int { return 2 * q.ix.opts.CountCap }

// verified visits the documents matching p in result order — exact key
// matches (tier 0), prefix matches (1), the rest (2) — up to tier upTo,
// verifying candidates against their text, until fn says stop or the
// reading budget is spent (exhausted). fn gets the tier, the number and
// the document when it was read.
func (q *query) verified(p plan, sets []blockSets, upTo int, fn func(tier int, n uint32, d *doc) (bool, error)) (exhausted bool, err error) {
	spent := func() bool { return q.fetches >= q.budget() }
	// Tiers 0 and 1: from postings for a short query; a longer one reads
	// its prefix candidates and ranks them.
	var ranked [2][]found
	if p.n <= maxPrefix {
		for tier := range 2 {
			for _, bs := range sets {
				b := bs.e
				if tier == 1 {
					b = bs.p
				}
				more, err := eachIn(bs.block, b, func(n uint32) (bool, error) { return fn(tier, n, nil) })
				if err != nil || !more {
					return false, err
				}
			}
		}
	} else {
		for _, bs := range sets {
			more, err := eachIn(bs.block, bs.p, func(n uint32) (bool, error) {
				d, err := q.doc(n)
				if err != nil {
					return false, err
				}
				if r := d.rank(kindOf(n), p.q); r < 2 {
					ranked[r] = append(ranked[r], found{n, d})
				}
				exhausted = spent()
				return !exhausted, nil
			})
			if err != nil {
				return false, err
			}
			if !more {
				break
			}
		}
		for tier, fs := range ranked {
			for _, f := range fs {
				if more, err := fn(tier, f.n, f.d); err != nil || !more {
					return false, err
				}
			}
		}
		if exhausted {
			return true, nil
		}
	}
	if upTo < 2 {
		return false, nil
	}
	// Tier 2: the other candidates, verified.
	isRanked := map[uint32]bool{}
	for _, fs := range ranked {
		for _, f := range fs {
			isRanked[f.n] = true
		}
	}
	for _, bs := range sets {
		r := bs.m
		if p.n <= maxPrefix {
			r = bs.rest()
		}
		more, err := eachIn(bs.block, r, func(n uint32) (bool, error) {
			if isRanked[n] {
				return true, nil
			}
			d, err := q.doc(n)
			if err != nil {
				return false, err
			}
			if d.matches(kindOf(n), p.q) {
				if more, err := fn(2, n, d); err != nil || !more {
					return false, err
				}
			}
			exhausted = spent()
			return !exhausted, nil
		})
		if err != nil || !more {
			return exhausted, err
		}
	}
	return false, nil
}

// customers returns the page of customer sequence numbers for
// SearchCustomers.
func (q *query) customers(p plan, offset, limit int) ([]uint32, int, bool, error) {
	var all [numKinds]bool
	for k := range all {
		all[k] = true
	}
	sets, err := q.sets(p, all)
	if err != nil {
		return nil, 0, false, err
	}
	owners := q.ix.owners
	live := func(seq uint32) bool {
		return seq != 0 && int(seq) < len(owners[kindCustomer]) && owners[kindCustomer][seq] != 0
	}
	ownerOf := func(n uint32) uint32 {
		k, seq := kindOf(n), seqOf(n)
		if int(seq) >= len(owners[k]) {
			return 0
		}
		if o := owners[k][seq]; live(o) {
			return o
		}
		return 0
	}
	c := &collector{q: q, offset: offset, limit: limit}
	var pageSeqs []uint32
	seen := newSeqSet(len(owners[kindCustomer]))
	add := func(seq uint32) (bool, error) {
		if seen.has(seq) {
			return true, nil
		}
		seen.set(seq)
		if c.total >= offset && len(pageSeqs) < limit {
			pageSeqs = append(pageSeqs, seq)
		}
		c.total++
		return c.more(), nil
	}

	if p.exact {
		// Every document in the postings matches: count owners directly.
		for tier := range 2 {
			for _, bs := range sets {
				if kindOf(bs.block<<blockBits) != kindCustomer {
					continue
				}
				b := bs.e
				if tier == 1 {
					b = bs.p
				}
				if _, err := eachIn(bs.block, b, func(n uint32) (bool, error) { return add(seqOf(n)) }); err != nil {
					return nil, 0, false, err
				}
			}
		}
		rest := newSeqSet(len(owners[kindCustomer]))
		for _, bs := range sets {
			bs.m.each(func(low uint16) bool {
				if o := ownerOf(bs.block<<blockBits | uint32(low)); o != 0 && !seen.has(o) {
					rest.set(o)
				}
				return true
			})
		}
		rest.each(func(seq uint32) bool {
			more, _ := add(seq)
			return more
		})
		return pageSeqs, c.total, false, nil
	}

	// Verified: customers ranked by their own name first, then every
	// other owner of a candidate, in order, confirmed by its first
	// candidate that verifies.
	c.cap, c.budget = q.ix.opts.CountCap, q.budget()
	var custSets []blockSets
	for _, bs := range sets {
		if kindOf(bs.block<<blockBits) == kindCustomer {
			custSets = append(custSets, bs)
		}
	}
	stopped := false
	exhausted, err := q.verified(p, custSets, 1, func(_ int, n uint32, _ *doc) (bool, error) {
		more, err := add(seqOf(n))
		stopped = !more
		return more, err
	})
	if err != nil || stopped || exhausted {
		return pageSeqs, c.total, c.capped || exhausted, err
	}
	var pairs []uint64 // owner << 32 | document number
	for _, bs := range sets {
		bs.m.each(func(low uint16) bool {
			n := bs.block<<blockBits | uint32(low)
			if o := ownerOf(n); o != 0 && !seen.has(o) {
				pairs = append(pairs, uint64(o)<<32|uint64(n))
			}
			return true
		})
	}
	slices.Sort(pairs)
	for i := 0; i < len(pairs); {
		o := uint32(pairs[i] >> 32)
		j := i
		for j < len(pairs) && uint32(pairs[j]>>32) == o {
			j++
		}
		for _, pr := range pairs[i:j] {
			n := uint32(pr)
			d, err := q.doc(n)
			if err != nil {
				return nil, 0, false, err
			}
			if d.matches(kindOf(n), p.q) {
				more, err := add(o)
				if err != nil || !more {
					return pageSeqs, c.total, c.capped, err
				}
				break
			}
			if !c.more() {
				return pageSeqs, c.total, c.capped, nil
			}
		}
		i = j
	}
	return pageSeqs, c.total, false, nil
}

// seqSet is a set of sequence numbers.
type seqSet []uint64

func newSeqSet(n int) seqSet        { return make(seqSet, (n+63)/64+1) }
func (s seqSet) has(v uint32) bool { return int(v>>6) < len(s) && s[v>>6]&(1<<(v&63)) != 0 }
func (s seqSet) set(v uint32) {
	if int(v>>6) < len(s) {
		s[v>>6] |= 1 << (v & 63)
	}
}

func (s seqSet) each(fn func(v uint32) bool) {
	for i, w := range s {
		for w != 0 {
			t := uint32(bits.TrailingZeros64(w))
			if !fn(uint32(i)<<6 | t) {
				return
			}
			w &= w - 1
		}
	}
}
