package search

import (
	"context"

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
