package search

import "slices"

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
