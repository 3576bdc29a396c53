package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"elvcare/sync/store"
)

// Paging of list reads: Page counts from 1; PageSize defaults to 20 and is
// capped at MaxPageSize.
type Paging struct {
	Page     int
	PageSize int
}

// Page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 200
)

func (p Paging) normalized() Paging {
	if p.Page < 1 {
		p.Page = 1
	}
	switch {
	case p.PageSize <= 0:
		p.PageSize = DefaultPageSize
	case p.PageSize > MaxPageSize:
		p.PageSize = MaxPageSize
	}
	return p
}

// pageOf returns the page of items and the total before paging.
func pageOf[T any](items []T, p Paging) ([]T, int) {
	p = p.normalized()
	total := len(items)
	from := min((p.Page-1)*p.PageSize, total)
	to := min(from+p.PageSize, total)
	out := make([]T, 0, to-from)
	return append(out, items[from:to]...), total
}

// maxMatches caps the ids a search hands a filtered list: a query that
// matches more is too broad to browse, and the list says how many it shows.
const maxMatches = 5000

// matchIDs asks the search index for the ids of coll matching q, and true;
// without an index (or a query) it answers false and lists fall back to
// textMatch over what they scan.
func (a Archive) matchIDs(ctx context.Context, coll, q string) (map[string]bool, bool) {
	ix := a.e.search
	if ix == nil || strings.TrimSpace(q) == "" {
		return nil, false
	}
	if err := ix.CatchUp(ctx); err != nil {
		return nil, false
	}
	out := map[string]bool{}
	if coll == CollCustomers {
		ids, _, _, err := ix.SearchCustomers(ctx, q, 0, maxMatches)
		if err != nil {
			return nil, false
		}
		for _, id := range ids {
			out[id] = true
		}
		return out, true
	}
	kind := map[string]string{CollSites: "site", CollContacts: "contact", CollEquipment: "equipment"}[coll]
	if kind == "" {
		return nil, false
	}
	res, err := ix.Search(ctx, q, []string{kind}, 0, maxMatches)
	if err != nil {
		return nil, false
	}
	for _, h := range res.Hits {
		out[h.ID] = true
	}
	return out, true
}

// query prepares q for textMatch: trimmed and lower-cased, and its digits
// when q is a number (so "0755 8888" finds "0755-88881234").
type query struct {
	text   string
	digits string
}

func newQuery(q string) query {
	q = strings.ToLower(strings.TrimSpace(q))
	var d strings.Builder
	numeric := q != ""
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == ' ' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			numeric = false
		}
	}
	out := query{text: q}
	if numeric && d.Len() >= 3 {
		out.digits = d.String()
	}
	return out
}

func (q query) empty() bool { return q.text == "" }

// match reports whether any field contains the query (case-insensitive),
// or, for a numeric query, whether any field's digits contain its digits.
func (q query) match(fields ...string) bool {
	if q.empty() {
		return true
	}
	for _, f := range fields {
		if f == "" {
			continue
		}
		if strings.Contains(strings.ToLower(f), q.text) {
			return true
		}
		if q.digits != "" && strings.Contains(digitsOf(f), q.digits) {
			return true
		}
	}
	return false
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) && r < 128 {
			return r
		}
		return -1
	}, s)
}

// scanAll decodes every record of coll.
func scanAll[T any](tx store.ReadTx, coll string) ([]T, error) {
	var out []T
	err := tx.Scan(coll, "", 0, func(id string, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("decode %s/%s: %w", coll, id, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// byIndex decodes the records of coll whose index name has value, in id
// order.
func byIndex[T any](tx store.ReadTx, coll, name, value string) ([]T, error) {
	ids, err := tx.Lookup(coll, name, value)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		var v T
		if err := GetJSON(tx, coll, id, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// getOne decodes coll/id; a missing or malformed id is domain.ErrNotFound.
func getOne(tx store.ReadTx, coll, id string, v any) error {
	if id == "" {
		return errNotFound()
	}
	err := GetJSON(tx, coll, id, v)
	if errors.Is(err, store.ErrInvalidKey) {
		return errNotFound()
	}
	return err
}
