package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Scopes decide who pulls what. A change carries the scopes it is visible
// in: "all", "role:<role>", "user:<id>". The offline clients pull by scope,
// so for the scopes they pull (pullable) the write path keeps two
// projections in the same transaction as the write:
//
//   - membership: which records are currently visible in a scope, and for
//     what reasons (a technician sees a customer because of each of their
//     open tickets there). A first pull is a snapshot of the membership.
//   - a per-scope feed: the versions at which a record entered, changed in
//     or left a scope. A later pull reads only the caller's scope feeds, so
//     its cost does not grow with the size of the store.
//
// When a record is written, every scope it is a member of hears of it,
// whatever scopes the writer named; so the archive's writers need not know
// which technicians hold a customer.
const (
	collScopeMember = "scope_member" // id: scope/coll/id/reason → (empty)
	collScopeFeed   = "scope_feed"   // id: scope/<16 hex version> → feedEntry
	collScopesOf    = "scopes_of"    // id: coll/id → []scope it is a member of
)

// Pullable tells whether clients pull scope s (and so whether its
// projections are kept).
func Pullable(s string) bool {
	return s == "all" || s == "role:technician" || strings.HasPrefix(s, "user:")
}

type feedEntry struct {
	Collection string `json:"c"`
	ID         string `json:"i"`
	Op         string `json:"o"` // put, delete, evict
}

func memberKey(scope, coll, id string) string { return scope + "/" + coll + "/" + id }

func feedKey(scope string, v uint64) string { return fmt.Sprintf("%s/%016x", scope, v) }

func scopesOf(tx store.ReadTx, coll, id string) ([]string, error) {
	data, err := getRaw(tx, collScopesOf, coll+"/"+id)
	if domain.KindOf(err) == domain.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s, ok := plainStrings(data); ok {
		return s, nil
	}
	var s []string
	return s, json.Unmarshal(data, &s)
}

// plainStrings reads a JSON list of strings without escapes, as scope
// lists are written (every change reads one); ok is false for anything
// else, which is left to the decoder.
func plainStrings(data []byte) ([]string, bool) {
	if len(data) < 2 || data[0] != '[' || data[len(data)-1] != ']' {
		return nil, false
	}
	body := data[1 : len(data)-1]
	if len(body) == 0 {
		return []string{}, true
	}
	out := make([]string, 0, 4)
	for {
		if len(body) < 2 || body[0] != '"' {
			return nil, false
		}
		end := bytes.IndexByte(body[1:], '"') + 1
		if end == 0 {
			return nil, false
		}
		item := body[1:end]
		if bytes.IndexByte(item, '\\') >= 0 || !utf8.Valid(item) {
			return nil, false
		}
		out = append(out, string(item))
		body = body[end+1:]
		if len(body) == 0 {
			return out, true
		}
		if body[0] != ',' {
			return nil, false
		}
		body = body[1:]
	}
}

func putScopesOf(tx store.Tx, coll, id string, s []string) error {
	if len(s) == 0 {
		return tx.Delete(collScopesOf, coll+"/"+id)
	}
	data, _ := json.Marshal(s)
	return tx.Put(collScopesOf, coll+"/"+id, data)
}

func appendFeed(tx store.Tx, scope string, v uint64, e feedEntry) error {
	// By hand: this runs for every change and every scope it reaches.
	data := make([]byte, 0, 24+len(e.Collection)+len(e.ID)+len(e.Op))
	data = appendJSONString(append(data, `{"c":`...), e.Collection)
	data = appendJSONString(append(data, `,"i":`...), e.ID)
	data = appendJSONString(append(data, `,"o":`...), e.Op)
	// A feed entry is written once under a new key and has no index
	// entries, so Append is Put without the look for old ones.
	return tx.AppendOwned(collScopeFeed, feedKey(scope, v), append(data, '}'))
}

// A membership is one key per reason (scope/coll/id/reason), so a record
// held for many tickets costs one small key each, not a growing list.
func reasonKey(scope, coll, id, reason string) string {
	return memberKey(scope, coll, id) + "/" + reason
}

// isMember tells whether coll/id has any reason in scope.
func isMember(tx store.ReadTx, scope, coll, id string) (bool, error) {
	prefix := memberKey(scope, coll, id) + "/"
	found := false
	err := tx.Scan(collScopeMember, prefix, 1, func(key string, _ []byte) error {
		found = strings.HasPrefix(key, prefix)
		return store.ErrStop
	})
	if err != nil && !errors.Is(err, store.ErrStop) {
		return false, err
	}
	return found, nil
}

// addMember makes coll/id visible in scope for reason; it reports whether
// the record was not a member before.
func addMember(tx store.Tx, scope, coll, id, reason string) (bool, error) {
	key := reasonKey(scope, coll, id, reason)
	if _, err := tx.Get(collScopeMember, key); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	// The record's scope list says whether any other reason holds it
	// there: one read, where scanning its reasons would be a seek.
	s, err := scopesOf(tx, coll, id)
	if err != nil {
		return false, err
	}
	if err := tx.Put(collScopeMember, key, nil); err != nil {
		return false, err
	}
	if slices.Contains(s, scope) {
		return false, nil
	}
	if err := putScopesOf(tx, coll, id, append(s, scope)); err != nil {
		return false, err
	}
	return true, nil
}

// dropMember removes reason; it reports whether the record left the scope.
func dropMember(tx store.Tx, scope, coll, id, reason string) (bool, error) {
	key := reasonKey(scope, coll, id, reason)
	if _, err := tx.Get(collScopeMember, key); errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := tx.Delete(collScopeMember, key); err != nil {
		return false, err
	}
	still, err := isMember(tx, scope, coll, id)
	if err != nil || still {
		return false, err
	}
	s, err := scopesOf(tx, coll, id)
	if err != nil {
		return false, err
	}
	if j := slices.Index(s, scope); j >= 0 {
		if err := putScopesOf(tx, coll, id, slices.Delete(s, j, j+1)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// project records a write of coll/id at version v in the scope projections:
// the scopes the writer named join (reason "own"), and every scope the
// record is a member of hears of the change.
func project(tx store.Tx, coll, id, op string, named []string, v uint64) error {
	for _, s := range named {
		if !Pullable(s) {
			continue
		}
		if op == "put" {
			if _, err := addMember(tx, s, coll, id, "own"); err != nil {
				return err
			}
		}
	}
	members, err := scopesOf(tx, coll, id)
	if err != nil {
		return err
	}
	for _, s := range members {
		if err := appendFeed(tx, s, v, feedEntry{Collection: coll, ID: id, Op: op}); err != nil {
			return err
		}
	}
	if op == "delete" {
		for _, s := range members {
			prefix := memberKey(s, coll, id) + "/"
			var keys []string
			err := tx.Scan(collScopeMember, prefix, 0, func(key string, _ []byte) error {
				if !strings.HasPrefix(key, prefix) {
					return store.ErrStop
				}
				keys = append(keys, key)
				return nil
			})
			if err != nil && !errors.Is(err, store.ErrStop) {
				return err
			}
			for _, k := range keys {
				if err := tx.Delete(collScopeMember, k); err != nil {
					return err
				}
			}
		}
		return putScopesOf(tx, coll, id, nil)
	}
	return nil
}

// Grant makes coll/id visible in scope for reason (e.g. "ticket:<id>"),
// so a technician's next pull brings it even though it did not change.
func (c *Ctx) Grant(scope, coll, id, reason string) error {
	isNew, err := addMember(c.tx, scope, coll, id, reason)
	if err != nil || !isNew {
		return err
	}
	return c.emitScoped(scope, coll, id, "put")
}

// Revoke takes reason away; when it was the last, the record leaves the
// scope and the scope's clients are told to evict it.
func (c *Ctx) Revoke(scope, coll, id, reason string) error {
	left, err := dropMember(c.tx, scope, coll, id, reason)
	if err != nil || !left {
		return err
	}
	return c.emitScoped(scope, coll, id, "evict")
}

// emitScoped appends a change-feed entry that only scope sees: a record
// entering or leaving it.
func (c *Ctx) emitScoped(scope, coll, id, op string) error {
	// In the change feed a grant is "grant", not "put": it carries no data,
	// and readers of the feed (search) must not take it for a new version.
	feedOp := op
	if op == "put" {
		feedOp = "grant"
	}
	v, err := c.tx.Emit(store.Change{Collection: coll, ID: id, Op: feedOp, Scopes: []string{scope}, At: c.Now})
	if err != nil {
		return err
	}
	return appendFeed(c.tx, scope, v, feedEntry{Collection: coll, ID: id, Op: op})
}
