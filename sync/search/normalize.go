package search

import (
	"unicode"
	"unicode/utf8"
)

// Normalize is the form both the indexed text and a query are compared
// in: full-width ASCII folded to half-width, letters lower-cased, and
// spaces, punctuation, symbols and control characters dropped. Dropping the
// separators is what lets "8366" find "0755-8366 8899" and "海康威视DS"
// find "海康威视 DS-7816N": names and numbers are typed with and without
// them.
func Normalize(s string) string {
	return string(appendNorm(nil, s))
}

// appendNorm appends the normalized runes of s to buf.
func appendNorm(buf []rune, s string) []rune {
	for _, r := range s {
		if r, ok := normRune(r); ok {
			buf = append(buf, r)
		}
	}
	return buf
}

// normRune maps one rune to its normalized form; ok is false for a rune
// that is dropped.
func normRune(r rune) (rune, bool) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII variants
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		return 0, false
	}
	if r < utf8.RuneSelf {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r, true
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A', true
		}
		return 0, false
	}
	if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) ||
		unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
		return 0, false
	}
	return unicode.ToLower(r), true
}

// alnum tells whether a normalized rune is ASCII: a letter or digit.
func alnum(r rune) bool { return r < utf8.RuneSelf }

// The grams of normalized text. Chinese has no word breaks, so every
// character (unigram) and every pair of neighbours (bigram) is indexed: a
// one-character query reads one posting list, a two-character query one
// bigram list, and a longer one intersects its bigrams. Runs of ASCII
// letters and digits (serial numbers, phone numbers, model codes) are
// indexed by their 3-character pieces and their 4-digit pieces instead:
// a 3-character serial fragment or a 4-digit phone fragment is then one
// exact, selective lookup, where digit bigrams would each match a tenth of
// all numbers. 4-character pieces with letters are left out because
// serials make nearly every one of them unique, which would cost one tiny
// posting list per piece. An ASCII pair is never a gram, so a query of one
// or two ASCII characters alone finds nothing.
const (
	runGram   = 3 // every piece of an ASCII run this long is a gram
	digitGram = 4 // and every all-digit piece this long
)

// forGrams calls fn with each gram of rs (UTF-8, valid only during the
// call), possibly more than once for a repeated gram.
func forGrams(rs []rune, buf []byte, fn func(g []byte)) []byte {
	for i, r := range rs {
		if !alnum(r) {
			buf = utf8.AppendRune(buf[:0], r)
			fn(buf)
		}
		if i+1 < len(rs) && !(alnum(r) && alnum(rs[i+1])) {
			buf = utf8.AppendRune(buf[:0], r)
			buf = utf8.AppendRune(buf, rs[i+1])
			fn(buf)
		}
	}
	for start := 0; start < len(rs); {
		if !alnum(rs[start]) {
			start++
			continue
		}
		end := start
		for end < len(rs) && alnum(rs[end]) {
			end++
		}
		for i := start; i+runGram <= end; i++ {
			buf = append(buf[:0], byte(rs[i]), byte(rs[i+1]), byte(rs[i+2]))
			fn(buf)
			if i+digitGram <= end && allDigits(rs[i:i+digitGram]) {
				buf = append(buf, byte(rs[i+3]))
				fn(buf)
			}
		}
		start = end
	}
	return buf
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// gramSet returns the distinct grams of normalized text.
func gramSet(rs []rune) map[string]struct{} {
	set := make(map[string]struct{})
	forGrams(rs, nil, func(g []byte) { set[string(g)] = struct{}{} })
	return set
}

// Markers of the grams that rank: "^" + the first 1–4 characters of a
// key value (a name, a phone number, a serial, a model) and "=" + a whole
// key value of at most 4 characters. Normalized text never holds a symbol,
// so they cannot clash with text grams. A query of up to 4 characters
// reads its exact and prefix matches from these postings; for a longer
// one they are told apart while its candidates are verified (an exact or
// prefix match starts with the query's first 4 characters).
const (
	markPrefix = "^"
	markExact  = "="
	maxPrefix  = 4
)

// forKeyGrams calls fn with the prefix and exact grams of one key value.
func forKeyGrams(key []rune, buf []byte, fn func(g []byte)) []byte {
	for n := 1; n <= maxPrefix && n <= len(key); n++ {
		buf = append(buf[:0], markPrefix...)
		for _, r := range key[:n] {
			buf = utf8.AppendRune(buf, r)
		}
		fn(buf)
	}
	if len(key) > 0 && len(key) <= maxPrefix {
		buf = append(buf[:0], markExact...)
		for _, r := range key {
			buf = utf8.AppendRune(buf, r)
		}
		fn(buf)
	}
	return buf
}
