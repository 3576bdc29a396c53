package search

import (
	"errors"
	"fmt"

	"elvcare/sync/store"
)

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
