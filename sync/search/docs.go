package search

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"elvcare/domain"
)

// kind is what a document is; its value is also the top bits of the
// document number, so documents sort by kind first.
type kind uint8

const (
	kindCustomer kind = iota
	kindSite
	kindContact
	kindEquipment
	numKinds
)

// The hit kinds, as Hit.Kind and the kinds filter name them.
const (
	KindCustomer  = "customer"
	KindSite      = "site"
	KindContact   = "contact"
	KindEquipment = "equipment"
)

var kinds = [numKinds]struct {
	name   string // Hit.Kind
	coll   string // the archive collection it projects
	letter string // in the keys of the id map
}{
	{KindCustomer, "customers", "c"},
	{KindSite, "sites", "s"},
	{KindContact, "contacts", "p"},
	{KindEquipment, "equipment", "e"},
}

// ReadsRecords tells whether the index needs the records of coll in the
// change feed: the write path leaves them out of every other collection's
// changes, which no one reads back.
func ReadsRecords(coll string) bool {
	_, ok := kindOfColl(coll)
	return ok
}

func kindOfColl(coll string) (kind, bool) {
	for k, ki := range kinds {
		if ki.coll == coll {
			return kind(k), true
		}
	}
	return 0, false
}

func parseKind(name string) (kind, bool) {
	for k, ki := range kinds {
		if ki.name == name {
			return kind(k), true
		}
	}
	return 0, false
}

// Document numbers: the kind in the top bits, then a sequence number
// starting at 1 per kind (0 means "none"). A rebuild hands them out in id
// order, and ids are UUIDv7, so number order is id order; documents added
// later get the next numbers, which for new UUIDv7 ids keeps that order.
const (
	seqBits = 28
	maxSeq  = 1<<seqBits - 1
)

func docnum(k kind, seq uint32) uint32 { return uint32(k)<<seqBits | seq }
func kindOf(n uint32) kind             { return kind(n >> seqBits) }
func seqOf(n uint32) uint32            { return n & maxSeq }

// doc is the projection's copy of one archive record: what is searched,
// what a hit shows, and whom it belongs to. It is stored under its
// document number (see encodeDoc).
type doc struct {
	ID string
	// C is the customer the record belongs to ("" when unknown).
	C string
	// S is the site of a piece of equipment.
	S string
	// V: the customer was taken from the site, because the record named
	// none; a change of the site's customer then changes it too.
	V bool
	// F are the fields, in the order fieldRoles gives for the kind.
	F []string
	// P marks a customer that is referenced but not (or no longer) in the
	// archive: it has a number, so it can own documents, but no text.
	P bool
}

// The fields of each kind:
//
//	customer:  name, kind
//	site:      name, address, district
//	contact:   name, title, phone…
//	equipment: model, serial, location, system
//
// searched says which are searched, key which rank as key values (exact
// and prefix matches first).
func fieldRoles(k kind, i int) (searched, key bool) {
	switch k {
	case kindCustomer:
		return i == 0, i == 0
	case kindSite:
		return i <= 2, i == 0
	case kindContact:
		return i != 1, i != 1
	case kindEquipment:
		return i <= 2, i <= 1
	}
	return false, false
}

// source is the union of the archive records' JSON fields the projection
// reads; each kind fills its own.
type source struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Address    string   `json:"address"`
	District   string   `json:"district"`
	CustomerID string   `json:"customerId"`
	Phones     []string `json:"phones"`
	Title      string   `json:"title"`
	Model      string   `json:"model"`
	Serial     string   `json:"serial"`
	Location   string   `json:"location"`
	SiteID     string   `json:"siteId"`
	System     string   `json:"system"`
}

// docFromChange builds the document of a put of kind k. The customer of
// equipment that names none is resolved by the caller, through the site.
func docFromChange(k kind, id string, data []byte) (*doc, error) {
	var s source
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("search: decode %s %s: %w", kinds[k].name, id, err)
	}
	d := &doc{ID: id, C: s.CustomerID}
	switch k {
	case kindCustomer:
		d.C = id
		d.F = []string{s.Name, s.Kind}
	case kindSite:
		d.F = []string{s.Name, s.Address, s.District}
	case kindContact:
		d.F = append([]string{s.Name, s.Title}, s.Phones...)
	case kindEquipment:
		d.S = s.SiteID
		d.V = s.CustomerID == ""
		d.F = []string{s.Model, s.Serial, s.Location, s.System}
	}
	return d, nil
}

// keyText is the text of field i that ranks: a phone number without its
// extension, any other field as it is.
func keyText(k kind, i int, f string) string {
	if k == kindContact && i >= 2 {
		main, _, _ := strings.Cut(f, "转")
		return main
	}
	return f
}

// forDocGrams calls fn with every gram of d (repeats included).
func forDocGrams(k kind, d *doc, rs []rune, buf []byte, fn func(g []byte)) ([]rune, []byte) {
	if d == nil || d.P {
		return rs, buf
	}
	for i, f := range d.F {
		searched, key := fieldRoles(k, i)
		if searched {
			rs = appendNorm(rs[:0], f)
			buf = forGrams(rs, buf, fn)
		}
		if key {
			rs = appendNorm(rs[:0], keyText(k, i, f))
			buf = forKeyGrams(rs, buf, fn)
		}
	}
	return rs, buf
}

// docGrams returns the distinct grams of d.
func docGrams(k kind, d *doc) map[string]struct{} {
	set := make(map[string]struct{})
	forDocGrams(k, d, nil, nil, func(g []byte) { set[string(g)] = struct{}{} })
	return set
}

// matches tells whether some searched field holds q (normalized).
func (d *doc) matches(k kind, q string) bool { return d.matched(k, q) >= 0 }

// matched is the first searched field holding q, or -1.
func (d *doc) matched(k kind, q string) int {
	if d == nil || d.P {
		return -1
	}
	for i, f := range d.F {
		if s, _ := fieldRoles(k, i); s && strings.Contains(Normalize(f), q) {
			return i
		}
	}
	return -1
}

// rank is 0 when a key value is q, 1 when one starts with q, else 2.
func (d *doc) rank(k kind, q string) int {
	best := 2
	if d == nil || d.P {
		return best
	}
	for i, f := range d.F {
		if _, key := fieldRoles(k, i); key {
			n := Normalize(keyText(k, i, f))
			switch {
			case n == q:
				return 0
			case strings.HasPrefix(n, q):
				best = 1
			}
		}
	}
	return best
}

// field returns field i, or "".
func (d *doc) field(i int) string {
	if i < len(d.F) {
		return d.F[i]
	}
	return ""
}

// hit is d as a search result; q (normalized) picks the matched field.
func (d *doc) hit(k kind, q string) Hit {
	h := Hit{Kind: kinds[k].name, ID: d.ID, CustomerID: d.C}
	switch k {
	case kindCustomer:
		h.Title = d.field(0)
		h.Subtitle = domain.CustomerKind(d.field(1)).Label()
	case kindSite:
		h.Title = d.field(0)
		h.Subtitle = joinNonEmpty(" · ", d.field(2), d.field(1))
	case kindContact:
		h.Title = d.field(0)
		var phones []string
		if len(d.F) > 2 {
			phones = d.F[2:]
		}
		h.Subtitle = joinNonEmpty(" · ", d.field(1), strings.Join(phones, "、"))
	case kindEquipment:
		h.Title = d.field(0)
		if h.Title == "" {
			h.Title = domain.System(d.field(3)).Label()
		}
		h.Subtitle = joinNonEmpty(" · ", d.field(1), d.field(2))
	}
	if i := d.matched(k, q); i >= 0 {
		h.Matched = d.F[i]
	}
	return h
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Documents are stored in a small binary form rather than JSON: a rebuild
// writes and reads back every one, and a query decodes each candidate it
// verifies. It is a marker byte, a flags byte (V, P), then the id,
// customer, site and fields, each as a uvarint length and its bytes.
const (
	docMarker = 'D'
	flagV     = 1 << iota
	flagP
)

func encodeDoc(d *doc) []byte {
	n := 2 + len(d.ID) + len(d.C) + len(d.S) + 4*binary.MaxVarintLen16
	for _, f := range d.F {
		n += len(f) + binary.MaxVarintLen16
	}
	out := make([]byte, 2, n)
	out[0] = docMarker
	if d.V {
		out[1] |= flagV
	}
	if d.P {
		out[1] |= flagP
	}
	for _, s := range []string{d.ID, d.C, d.S} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	out = binary.AppendUvarint(out, uint64(len(d.F)))
	for _, f := range d.F {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	return out
}

var errDocCorrupt = errors.New("search: corrupt document")

func decodeDoc(b []byte, d *doc) error {
	if len(b) < 2 || b[0] != docMarker {
		return errDocCorrupt
	}
	*d = doc{V: b[1]&flagV != 0, P: b[1]&flagP != 0}
	b = b[2:]
	next := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	var ok bool
	for _, dst := range []*string{&d.ID, &d.C, &d.S} {
		if *dst, ok = next(); !ok {
			return errDocCorrupt
		}
	}
	nf, k := binary.Uvarint(b)
	if k <= 0 || nf > uint64(len(b)) {
		return errDocCorrupt
	}
	b = b[k:]
	if nf > 0 {
		d.F = make([]string, nf)
	}
	for i := range d.F {
		if d.F[i], ok = next(); !ok {
			return errDocCorrupt
		}
	}
	if len(b) != 0 {
		return errDocCorrupt
	}
	return nil
}
