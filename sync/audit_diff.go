package sync

import (
	"bytes"
	"encoding/json"
	"slices"
)

// diffJSON reduces a record's before and after to the top-level fields that
// changed, so the audit log of a one-line addition to a ticket is one line,
// not two copies of the ticket. A list that only grew at its end is kept as
// {"$appended": [the new elements]} in after; an object of which only some
// members changed (a report's answers) as {"$members": {those members}} in
// both, a member that went away null in after. Records that are not JSON
// objects are kept whole. Fields come out in name order.
//
// It runs for every write on the writer's hot path, so it splits the
// objects at the top level without decoding them; records are what the
// server encoded itself, and anything it cannot split is kept whole.
func diffJSON(before, after []byte) (json.RawMessage, json.RawMessage) {
	b, okb := topFields(before)
	db, da, _ := diffSplit(b, okb, before, after, nil)
	return db, da
}

// diffSplit is diffJSON with before already split (okb false: it could
// not be), and after too when a is not nil; it also returns after's split,
// nil when after cannot be split.
func diffSplit(b []rawField, okb bool, before, after []byte, a []rawField) (json.RawMessage, json.RawMessage, []rawField) {
	oka := a != nil
	if !oka {
		a, oka = topFields(after)
	}
	if !okb || !oka {
		return before, after, nil
	}
	db, da := diffFields(b, a)
	return db, da, a
}

// diffFields is diffJSON of records already split. Both sides usually
// come from the same encoder with the fields in the same order, so a field
// is looked for first where it stands in the other record.
func diffFields(b, a []rawField) (json.RawMessage, json.RawMessage) {
	db, da, _ := changedFields(b, a, true)
	return joinFields(db), joinFields(da)
}

// changedFields is the members of b and a that differ: before's and
// after's, a member only in b null in after. With nested, a list that only
// grew and an object of which only some members changed come out as
// $appended and $members (one level down: those are not nested again).
// same counts the members of a left out as unchanged.
func changedFields(b, a []rawField, nested bool) (db, da []rawField, same int) {
	find := func(fs []rawField, name []byte, at int) int {
		if at < len(fs) && bytes.Equal(fs[at].name, name) {
			return at
		}
		return slices.IndexFunc(fs, func(f rawField) bool { return bytes.Equal(f.name, name) })
	}
	for j, af := range a {
		i := find(b, af.name, j)
		if i >= 0 && bytes.Equal(b[i].value, af.value) {
			same++
			continue
		}
		if i >= 0 && nested {
			if added, ok := appended(b[i].value, af.value); ok {
				v := append(append([]byte(`{"$appended":`), added...), '}')
				da = append(da, rawField{af.name, v})
				continue
			}
			if mb, ma, ok := changedMembers(b[i].value, af.value); ok {
				db = append(db, rawField{af.name, mb})
				da = append(da, rawField{af.name, ma})
				continue
			}
		}
		if i >= 0 {
			db = append(db, b[i])
		}
		da = append(da, af)
	}
	for j, bf := range b {
		if find(a, bf.name, j) < 0 {
			db = append(db, bf)
			da = append(da, rawField{bf.name, []byte("null")})
		}
	}
	return db, da, same
}

// changedMembers reduces two objects to their members that changed, as
// {"$members": {…}} each, when that leaves some out.
func changedMembers(before, after []byte) (json.RawMessage, json.RawMessage, bool) {
	if len(before) < 2 || len(after) < 2 || before[0] != '{' || after[0] != '{' {
		return nil, nil, false
	}
	bf, okb := topFields(before)
	af, oka := topFields(after)
	if !okb || !oka || len(bf) == 0 || len(af) == 0 {
		return nil, nil, false
	}
	db, da, same := changedFields(bf, af, false)
	if len(da) == 0 || same == 0 {
		return nil, nil, false
	}
	wrap := func(fs []rawField) json.RawMessage {
		return append(append([]byte(`{"$members":`), joinFields(fs)...), '}')
	}
	return wrap(db), wrap(da), true
}

// publicDiff is diffJSON of before and after (nil when new) without
// their top-level fields named in secret (unquoted), and pub is after
// without them (made only when wantPub, or when the audit needs it whole);
// each record is split once. What it cannot split counts as an empty
// object: a secret is never let through by a malformed record.
func publicDiff(before, after []byte, secret []string, wantPub bool) (pub, b, a json.RawMessage) {
	af, ok := topFields(after)
	af = dropFields(af, secret)
	var bf []rawField
	okb := false
	if ok && before != nil {
		bf, okb = topFields(before)
	}
	if wantPub || !okb {
		pub = joinFields(slices.Clone(af))
	}
	if !okb {
		return pub, nil, pub
	}
	b, a = diffFields(dropFields(bf, secret), af)
	return pub, b, a
}

func dropFields(fs []rawField, names []string) []rawField {
	return slices.DeleteFunc(fs, func(f rawField) bool {
		return slices.ContainsFunc(names, func(n string) bool {
			return len(f.name) == len(n)+2 && string(f.name[1:len(f.name)-1]) == n
		})
	})
}

// rawField is one member of a JSON object: its name as written (quoted)
// and its value's bytes.
type rawField struct{ name, value []byte }

// joinFields writes fields as an object, in name order. Names are compared
// as written: the server's encoder escapes a name one way only, and the
// closing quote sorts before any character of a name.
func joinFields(fs []rawField) []byte {
	slices.SortFunc(fs, func(x, y rawField) int { return bytes.Compare(x.name, y.name) })
	n := 2
	for _, f := range fs {
		n += len(f.name) + len(f.value) + 2
	}
	out := make([]byte, 0, n)
	out = append(out, '{')
	for i, f := range fs {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(append(append(out, f.name...), ':'), f.value...)
	}
	return append(out, '}')
}

// topFields splits a JSON object into its members; ok is false when data
// is not one well-formed object (then nothing is split).
func topFields(data []byte) (fs []rawField, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil, skipSpace(data, i+1) == len(data)
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, false
		}
		end, ok := skipString(data, i)
		if !ok {
			return nil, false
		}
		name := data[i:end]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		i = skipSpace(data, i+1)
		vend, ok := skipValue(data, i)
		if !ok {
			return nil, false
		}
		if fs == nil {
			fs = make([]rawField, 0, 16)
		}
		fs = append(fs, rawField{name, data[i:vend]})
		i = skipSpace(data, vend)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return fs, skipSpace(data, i+1) == len(data)
		default:
			return nil, false
		}
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at data[i].
func skipString(data []byte, i int) (int, bool) {
	// Most strings have no escape: find the closing quote at once.
	q := bytes.IndexByte(data[i+1:], '"')
	if q < 0 {
		return 0, false
	}
	if bytes.IndexByte(data[i+1:i+1+q], '\\') < 0 {
		return i + 2 + q, true
	}
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index after the value starting at data[i]. It
// matches brackets and strings; the scalars between are checked by
// appended's json.Valid where it matters, and a record is the server's
// own encoding.
func skipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return 0, false
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				end, ok := skipString(data, j)
				if !ok {
					return 0, false
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	}
	j := i
	for ; j < len(data); j++ {
		switch data[j] {
		case ',', '}', ']', ' ', '\n', '\t', '\r':
			return j, j > i
		}
	}
	return j, j > i
}

// appended returns the elements after adds to the end of the list before.
func appended(before, after json.RawMessage) (json.RawMessage, bool) {
	before, after = bytes.TrimSpace(before), bytes.TrimSpace(after)
	if len(before) < 2 || len(after) <= len(before) || before[0] != '[' || before[len(before)-1] != ']' || after[len(after)-1] != ']' {
		return nil, false
	}
	head := before[:len(before)-1]
	if !bytes.HasPrefix(after, head) {
		return nil, false
	}
	rest := after[len(head):]
	if len(before) > 2 {
		if rest[0] != ',' {
			return nil, false
		}
		rest = rest[1:]
	}
	out := make([]byte, 0, len(rest)+1)
	out = append(out, '[')
	out = append(out, rest...)
	if !json.Valid(out) {
		return nil, false
	}
	return out, true
}
