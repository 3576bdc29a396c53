package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// PullRequest is the body of POST /api/sync/pull.
type PullRequest struct {
	ClientID string `json:"clientId"`
	// Cursor is the "cursor" of the last pull answer, "" (or "0") the first
	// time.
	Cursor string `json:"cursor"`
	// Limit caps the changes in one answer (default and maximum 2000).
	Limit int `json:"limit,omitempty"`
}

// PullChange is a record that entered, changed in, or left the caller's
// scope. Data is the record's current public form (absent for delete and
// evict: the client drops the record either way).
type PullChange struct {
	Version    uint64          `json:"version"`
	Collection string          `json:"collection"`
	ID         string          `json:"id"`
	Op         string          `json:"op"` // put, delete, evict
	Data       json.RawMessage `json:"data,omitempty"`
}

// PullResponse answers a pull. With Reset the client drops every record it
// pulled before (its outbox stays) and takes Changes as the whole scope.
type PullResponse struct {
	Cursor         string       `json:"cursor"`
	LastMutationID uint64       `json:"lastMutationId"`
	Changes        []PullChange `json:"changes"`
	Reset          bool         `json:"reset"`
	// More is set when the limit cut the answer: pull again at once.
	More bool `json:"more"`
}

const maxPull = 2000

// cursor format: "<version>" — opaque to clients.
func parseCursor(s string) (uint64, bool) {
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// ScopesOf are the pullable scopes of an actor.
func ScopesOf(a Actor) []string {
	out := []string{"all"}
	if a.UserID != "" {
		out = append(out, "user:"+a.UserID)
	}
	for _, r := range a.Roles {
		if s := "role:" + string(r); Pullable(s) {
			out = append(out, s)
		}
	}
	return out
}

// Pull answers the changes in the caller's scope since the cursor: the
// records that entered, changed or left it, each at its current state.
// The first pull (or one the server cannot serve incrementally) is a reset:
// a snapshot of the whole scope.
func (e *Engine) Pull(ctx context.Context, a Actor, req PullRequest) (PullResponse, error) {
	limit := req.Limit
	if limit <= 0 || limit > maxPull {
		limit = maxPull
	}
	cur, ok := parseCursor(req.Cursor)
	last := e.st.LastVersion()
	var resp PullResponse
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		cl, err := clientFor(tx, req.ClientID, a.UserID, e.now())
		if err != nil {
			return err
		}
		resp.LastMutationID = cl.LastMutationID
		scopes := ScopesOf(a)
		if !ok || cur == 0 || cur > last {
			resp.Reset = true
			return e.snapshot(tx, scopes, last, &resp)
		}
		return e.incremental(tx, scopes, cur, last, limit, &resp)
	})
	if err != nil {
		return PullResponse{}, err
	}
	if resp.Changes == nil {
		resp.Changes = []PullChange{}
	}
	return resp, nil
}

// snapshot lists every record visible in scopes as of version last: scope
// by scope, in the order of the scope's member list (collection, then id),
// each record once.
func (e *Engine) snapshot(tx store.ReadTx, scopes []string, last uint64, resp *PullResponse) error {
	seen := map[string]bool{}
	for _, s := range scopes {
		// The scope's members, collection by collection, ids ascending.
		var runs []memberRun
		err := tx.Scan(collScopeMember, s+"/", 0, func(key string, _ []byte) error {
			if !strings.HasPrefix(key, s+"/") {
				return store.ErrStop
			}
			coll, rest, _ := strings.Cut(strings.TrimPrefix(key, s+"/"), "/")
			id, _, _ := strings.Cut(rest, "/")
			if seen[coll+"/"+id] {
				return nil
			}
			seen[coll+"/"+id] = true
			if n := len(runs); n == 0 || runs[n-1].coll != coll {
				runs = append(runs, memberRun{coll: coll})
			}
			r := &runs[len(runs)-1]
			r.ids = append(r.ids, id)
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrStop) {
			return err
		}
		for _, r := range runs {
			add := func(id string, data []byte) error {
				data, err := publicData(r.coll, data)
				if err != nil {
					return err
				}
				resp.Changes = append(resp.Changes, PullChange{Version: last, Collection: r.coll, ID: id, Op: "put", Data: data})
				return nil
			}
			if !slices.IsSorted(r.ids) {
				// Ids that sort apart from their member keys (one a prefix
				// of another): read one by one, in the member list's order.
				for _, id := range r.ids {
					data, err := tx.Get(r.coll, id)
					if errors.Is(err, store.ErrNotFound) {
						continue
					}
					if err == nil {
						err = add(id, data)
					}
					if err != nil {
						return err
					}
				}
				continue
			}
			// Read in key order: a scope's equipment sits together.
			if err := tx.GetMany(r.coll, r.ids, add); err != nil {
				return err
			}
		}
	}
	resp.Cursor = strconv.FormatUint(last, 10)
	return nil
}

// memberRun is the ids of one collection in a scope's member list.
type memberRun struct {
	coll string
	ids  []string
}

// incremental merges the caller's scope feeds after cur, keeping the
// latest entry per record, up to limit entries.
func (e *Engine) incremental(tx store.ReadTx, scopes []string, cur, last uint64, limit int, resp *PullResponse) error {
	type hit struct {
		v uint64
		feedEntry
	}
	var hits []hit
	for _, s := range scopes {
		n := 0
		err := tx.Scan(collScopeFeed, feedKey(s, cur), 0, func(key string, data []byte) error {
			if !strings.HasPrefix(key, s+"/") || n > limit {
				return store.ErrStop
			}
			v, err := strconv.ParseUint(key[len(s)+1:], 16, 64)
			if err != nil {
				return fmt.Errorf("scope feed key %q: %w", key, err)
			}
			var fe feedEntry
			if err := json.Unmarshal(data, &fe); err != nil {
				return err
			}
			hits = append(hits, hit{v, fe})
			n++
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrStop) {
			return err
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].v < hits[j].v })
	// last was read before this snapshot was taken: entries after it may
	// be half visible, so they wait for the next pull.
	upTo := last
	if len(hits) > limit {
		// Cut at a version so that every entry up to it is delivered.
		upTo = hits[limit-1].v
		hits = hits[:limit]
		resp.More = true
	}
	if upTo < cur {
		upTo = cur
	}
	latest := map[string]int{}
	var out []PullChange
	for _, h := range hits {
		if h.v > upTo {
			break
		}
		pc := PullChange{Version: h.v, Collection: h.Collection, ID: h.ID, Op: h.Op}
		key := h.Collection + "/" + h.ID
		if i, ok := latest[key]; ok {
			out[i].Op = "" // superseded below
		}
		latest[key] = len(out)
		out = append(out, pc)
	}
	for _, pc := range out {
		if pc.Op == "" {
			continue
		}
		if pc.Op == "put" {
			data, err := e.publicRecord(tx, pc.Collection, pc.ID)
			if errors.Is(err, store.ErrNotFound) {
				pc.Op = "delete"
			} else if err != nil {
				return err
			} else {
				pc.Data = data
			}
		}
		resp.Changes = append(resp.Changes, pc)
	}
	resp.Cursor = strconv.FormatUint(upTo, 10)
	return nil
}

// publicRecord is a record as clients may see it.
func (e *Engine) publicRecord(tx store.ReadTx, coll, id string) (json.RawMessage, error) {
	data, err := tx.Get(coll, id)
	if err != nil {
		return nil, err
	}
	return publicData(coll, data)
}

// publicData is a stored record as clients may see it: a user without
// secrets, anything else as stored.
func publicData(coll string, data []byte) (json.RawMessage, error) {
	if coll != CollUsers {
		return data, nil
	}
	var u domain.User
	if err := json.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	return json.Marshal(PublicUser(u))
}

// AppendJSON appends the answer as encoding/json writes it, byte for byte
// (TestPullResponseAppendJSON). A first pull carries thousands of records
// that are JSON already, as the server stored them; encoding/json would
// scan and rewrite each of them again, about a fifth of the pull's time.
// A record is copied as it is when that is what encoding/json would write
// (compact, nothing it escapes); any other goes through it.
func (r PullResponse) AppendJSON(b []byte) ([]byte, error) {
	n := 96 + len(r.Cursor)
	for _, ch := range r.Changes {
		n += 64 + len(ch.Collection) + len(ch.ID) + len(ch.Op) + len(ch.Data)
	}
	b = slices.Grow(b, n)
	b = appendJSONString(append(b, `{"cursor":`...), r.Cursor)
	b = strconv.AppendUint(append(b, `,"lastMutationId":`...), r.LastMutationID, 10)
	b = append(b, `,"changes":`...)
	if r.Changes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, ch := range r.Changes {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendUint(append(b, `{"version":`...), ch.Version, 10)
			b = appendJSONString(append(b, `,"collection":`...), ch.Collection)
			b = appendJSONString(append(b, `,"id":`...), ch.ID)
			b = appendJSONString(append(b, `,"op":`...), ch.Op)
			if len(ch.Data) > 0 {
				b = append(b, `,"data":`...)
				if compactPlain(ch.Data) {
					b = append(b, ch.Data...)
				} else {
					data, err := json.Marshal(ch.Data)
					if err != nil {
						return nil, err
					}
					b = append(b, data...)
				}
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = strconv.AppendBool(append(b, `,"reset":`...), r.Reset)
	b = strconv.AppendBool(append(b, `,"more":`...), r.More)
	return append(b, '}'), nil
}

// compactPlain tells whether data, a JSON value, is written by
// encoding/json as it is: no space outside strings, no control character,
// nothing it escapes (<, > and &, U+2028 and U+2029). Plain bytes — most
// of a record, Chinese text included — are skipped a table lookup each.
func compactPlain(data []byte) bool {
	in := false
	for i := 0; i < len(data); i++ {
		for i < len(data) && plainByte[data[i]] {
			i++
		}
		if i == len(data) {
			break
		}
		switch c := data[i]; {
		case c == '"':
			in = !in
		case c == '\\':
			if !in {
				return false
			}
			i++ // the escaped character, whatever it is
		case c == ' ':
			if !in {
				return false
			}
		case c == 0xe2:
			if i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9) {
				return false
			}
		default: // <, > and &, control characters
			return false
		}
	}
	return !in
}

// plainByte: bytes compactPlain need not look at — those appendJSONString
// writes as they are, but for the space and U+2028/9's first byte.
var plainByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = jsonByte[c] == bytePlain && c != ' ' || jsonByte[c] == byteHigh && c != 0xe2
	}
	return t
}()
