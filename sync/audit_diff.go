package sync

import (
	"bytes"
	"encoding/json"
)

// diffJSON reduces a record's before and after to the top-level fields that
// changed, so the audit log of a one-line addition to a ticket is one line,
// not two copies of the ticket. A list that only grew at its end is kept as
// {"$appended": [the new elements]} in after. Records that are not JSON
// objects are kept whole.
func diffJSON(before, after []byte) (json.RawMessage, json.RawMessage) {
	var b, a map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil {
		return before, after
	}
	db, da := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, av := range a {
		bv, had := b[k]
		if had && bytes.Equal(bv, av) {
			continue
		}
		if had {
			if added, ok := appended(bv, av); ok {
				da[k], _ = json.Marshal(map[string]json.RawMessage{"$appended": added})
				continue
			}
			db[k] = bv
		}
		da[k] = av
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			db[k] = bv
			da[k] = json.RawMessage("null")
		}
	}
	ob, _ := json.Marshal(db)
	oa, _ := json.Marshal(da)
	return ob, oa
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
