package search

import (
	"math/bits"
	"slices"
)

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

func newSeqSet(n int) seqSet       { return make(seqSet, (n+63)/64+1) }
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
