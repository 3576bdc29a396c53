package search_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/sync/search"
)

// model is the archive as the test wrote it, searched by brute force: the
// oracle the index must agree with.
type model struct {
	customers map[string]customer
	sites     map[string]site
	contacts  map[string]contact
	equipment map[string]equipment
}

func newModel() *model {
	return &model{map[string]customer{}, map[string]site{}, map[string]contact{}, map[string]equipment{}}
}

func (m *model) apply(r rec) {
	switch r.coll {
	case "customers":
		if r.v == nil {
			delete(m.customers, r.id)
		} else {
			m.customers[r.id] = r.v.(customer)
		}
	case "sites":
		if r.v == nil {
			delete(m.sites, r.id)
		} else {
			m.sites[r.id] = r.v.(site)
		}
	case "contacts":
		if r.v == nil {
			delete(m.contacts, r.id)
		} else {
			m.contacts[r.id] = r.v.(contact)
		}
	case "equipment":
		if r.v == nil {
			delete(m.equipment, r.id)
		} else {
			m.equipment[r.id] = r.v.(equipment)
		}
	}
}

// mdoc is one record as the oracle sees it.
type mdoc struct {
	kind     int
	id, cust string
	searched []string
	keys     []string
}

func (m *model) docs() []mdoc {
	var out []mdoc
	for _, c := range m.customers {
		out = append(out, mdoc{0, c.ID, c.ID, []string{c.Name}, []string{c.Name}})
	}
	for _, s := range m.sites {
		out = append(out, mdoc{1, s.ID, s.CustomerID, []string{s.Name, s.Address, s.District}, []string{s.Name}})
	}
	for _, p := range m.contacts {
		keys := []string{p.Name}
		for _, ph := range p.Phones {
			main, _, _ := strings.Cut(ph, "转")
			keys = append(keys, main)
		}
		out = append(out, mdoc{2, p.ID, p.CustomerID, append([]string{p.Name}, p.Phones...), keys})
	}
	for _, q := range m.equipment {
		cust := q.CustomerID
		if cust == "" {
			cust = m.sites[q.SiteID].CustomerID
		}
		out = append(out, mdoc{3, q.ID, cust, []string{q.Model, q.Serial, q.Location}, []string{q.Model, q.Serial}})
	}
	return out
}

func tooShort(nq string) bool {
	if nq == "" {
		return true
	}
	for _, r := range nq {
		if r >= 0x80 {
			return false
		}
	}
	return len(nq) < 3
}

type mhit struct {
	tier, kind int
	id, cust   string
}

func (m *model) search(q string) []mhit {
	nq := search.Normalize(q)
	if tooShort(nq) {
		return nil
	}
	var hits []mhit
	for _, d := range m.docs() {
		match := false
		for _, f := range d.searched {
			match = match || strings.Contains(search.Normalize(f), nq)
		}
		if !match {
			continue
		}
		tier := 2
		for _, k := range d.keys {
			nk := search.Normalize(k)
			if nk == nq {
				tier = 0
				break
			}
			if strings.HasPrefix(nk, nq) {
				tier = 1
			}
		}
		hits = append(hits, mhit{tier, d.kind, d.id, d.cust})
	}
	slices.SortFunc(hits, func(a, b mhit) int {
		if a.tier != b.tier {
			return a.tier - b.tier
		}
		if a.kind != b.kind {
			return a.kind - b.kind
		}
		return strings.Compare(a.id, b.id)
	})
	return hits
}

func (m *model) searchCustomers(q string) []string {
	type ranked struct {
		tier int
		id   string
	}
	seen := map[string]bool{}
	var out []ranked
	for _, h := range m.search(q) {
		if _, live := m.customers[h.cust]; !live || seen[h.cust] {
			continue
		}
		seen[h.cust] = true
		tier := 2
		nq, nk := search.Normalize(q), search.Normalize(m.customers[h.cust].Name)
		switch {
		case nk == nq:
			tier = 0
		case strings.HasPrefix(nk, nq):
			tier = 1
		}
		out = append(out, ranked{tier, h.cust})
	}
	slices.SortFunc(out, func(a, b ranked) int {
		if a.tier != b.tier {
			return a.tier - b.tier
		}
		return strings.Compare(a.id, b.id)
	})
	ids := []string{}
	for _, r := range out {
		ids = append(ids, r.id)
	}
	return ids
}

// gen makes random archive records from small alphabets, so that texts
// share characters, pieces and prefixes.
type gen struct {
	r *rand.Rand
	m *model
}

const (
	hanzi  = "王李张华强科技园深圳电子号楼层大厦南山福田弱电"
	ascii  = "ab12d7"
	digits = "0135"
)

func (g *gen) text(alpha string, n int) string {
	rs := []rune(alpha)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[g.r.IntN(len(rs))])
		if g.r.IntN(8) == 0 {
			b.WriteString([]string{" ", "-", "（", "Ａ"}[g.r.IntN(4)])
		}
	}
	return b.String()
}

func (g *gen) mixed() string {
	switch g.r.IntN(4) {
	case 0:
		return g.text(ascii, 1+g.r.IntN(8))
	case 1:
		return g.text(hanzi+ascii, 1+g.r.IntN(8))
	}
	return g.text(hanzi, 1+g.r.IntN(7))
}

func (g *gen) phone() string {
	p := "13" + g.text(digits, 6)
	switch g.r.IntN(3) {
	case 0:
		p = "0755-" + g.text(digits, 5)
	case 1:
		p = "0755-" + g.text(digits, 4) + "转" + g.text(digits, 2)
	}
	return p
}

func pick[V any](g *gen, m map[string]V) (string, bool) {
	if len(m) == 0 {
		return "", false
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[g.r.IntN(len(keys))], true
}

// op returns one random write: mostly new records, some edits, a few
// deletions.
func (g *gen) op() rec {
	m := g.m
	cust, hasCust := pick(g, m.customers)
	st, hasSite := pick(g, m.sites)
	switch n := g.r.IntN(20); {
	case n < 3 || !hasCust:
		c := customer{ID: newID(), Name: g.mixed(), Kind: "company"}
		if id, ok := pick(g, m.customers); ok && g.r.IntN(3) == 0 {
			c.ID = id // an edit
		}
		return putCustomer(c)
	case n < 6 || !hasSite:
		s := site{ID: newID(), CustomerID: cust, Name: g.mixed(), Address: g.mixed(), District: g.text(hanzi, 2)}
		if id, ok := pick(g, m.sites); ok && g.r.IntN(3) == 0 {
			s.ID = id // an edit, maybe to another customer
		}
		return putSite(s)
	case n < 10:
		p := contact{ID: newID(), CustomerID: cust, Name: g.text(hanzi, 1+g.r.IntN(3)), Phones: []string{g.phone()}}
		if g.r.IntN(2) == 0 {
			p.Phones = append(p.Phones, g.phone())
		}
		if id, ok := pick(g, m.contacts); ok && g.r.IntN(3) == 0 {
			p.ID, p.CustomerID = id, m.contacts[id].CustomerID
		}
		return putContact(p)
	case n < 17:
		q := equipment{ID: newID(), SiteID: st, System: "cctv", ItemType: "cctv.camera",
			Model: g.mixed(), Serial: g.text(ascii+digits, 4+g.r.IntN(8)), Location: g.mixed()}
		if g.r.IntN(2) == 0 {
			q.CustomerID = m.sites[st].CustomerID
		}
		if id, ok := pick(g, m.equipment); ok && g.r.IntN(3) == 0 {
			q.ID = id
		}
		return putEquipment(q)
	}
	colls := []string{"customers", "sites", "contacts", "equipment"}
	coll := colls[g.r.IntN(4)]
	var id string
	var ok bool
	switch coll {
	case "customers":
		id, ok = pick(g, m.customers)
	case "sites":
		id, ok = pick(g, m.sites)
	case "contacts":
		id, ok = pick(g, m.contacts)
	default:
		id, ok = pick(g, m.equipment)
	}
	if !ok {
		return g.op()
	}
	return rec{coll, id, nil}
}

// queries picks pieces of what is stored, whole key values, and random
// strings.
func (g *gen) queries(n int) []string {
	var qs []string
	docs := g.m.docs()
	for range n {
		d := docs[g.r.IntN(len(docs))]
		switch g.r.IntN(4) {
		case 0:
			qs = append(qs, d.keys[g.r.IntN(len(d.keys))])
		case 1:
			qs = append(qs, g.mixed())
		default:
			f := []rune(search.Normalize(d.searched[g.r.IntN(len(d.searched))]))
			if len(f) == 0 {
				continue
			}
			i := g.r.IntN(len(f))
			j := min(len(f), i+1+g.r.IntN(6))
			qs = append(qs, string(f[i:j]))
		}
	}
	return qs
}

// checkOracle compares the index with the model on the queries qs,
// counting in stats what the queries exercised.
func (e *env) checkOracle(t *testing.T, m *model, stats map[string]int, qs []string, when string) {
	t.Helper()
	for _, q := range qs {
		want := m.search(q)
		stats[fmt.Sprintf("found:%v", len(want) > 0)]++
		for _, h := range want {
			stats[fmt.Sprintf("tier%d", h.tier)]++
		}
		got := e.search(q)
		type hit struct{ ID, Cust string }
		var g, w []hit
		for _, h := range got.Hits {
			g = append(g, hit{h.ID, h.CustomerID})
		}
		for _, h := range want {
			w = append(w, hit{h.id, h.cust})
		}
		if len(w) > search.MaxLimit {
			w = w[:search.MaxLimit]
		}
		if diff := cmp.Diff(g, w); diff != "" {
			t.Fatalf("%s: Search(%q) (-got +want):\n%s", when, q, diff)
		}
		if got.Total != len(want) || got.TotalCapped {
			t.Fatalf("%s: Search(%q) total %d capped %v, want %d", when, q, got.Total, got.TotalCapped, len(want))
		}
		if diff := cmp.Diff(e.customers(q), m.searchCustomers(q)); diff != "" {
			t.Fatalf("%s: SearchCustomers(%q) (-got +want):\n%s", when, q, diff)
		}
	}
}

// TestAgreesWithBruteForce writes random archive records, edits and
// deletions and compares every query with a brute-force scan of the model:
// after a build, over many small steps written in parts, after stopping
// between the parts of a step, after a rebuild and after a restart.
// SEARCH_SEED=n runs another sequence.
func TestAgreesWithBruteForce(t *testing.T) {
	opt := search.Options{StepChanges: 7}
	e := newEnv(t, opt)
	tiny := func() { search.SetTxLimits(e.ix, 40, 16<<10) }
	m := newModel()
	seed := uint64(1)
	if v := os.Getenv("SEARCH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, 2)), m: m}
	stats := map[string]int{}
	defer func() { t.Logf("seed %d: %v", seed, stats) }()
	write := func(n int) {
		var batch []rec
		for range n {
			r := g.op()
			m.apply(r)
			batch = append(batch, r)
		}
		e.write(batch...)
	}

	write(150)
	e.checkOracle(t, m, stats, g.queries(60), "built")

	tiny()
	for round := range 6 {
		for range 4 {
			write(10)
		}
		e.checkOracle(t, m, stats, g.queries(30), fmt.Sprintf("steps, round %d", round))
	}
	if st, _ := e.ix.Status(ctx(t)); st.MultiPartSteps == 0 {
		t.Errorf("no step was written in parts: %+v", st)
	}

	for part := 1; part <= 2; part++ {
		crash := errors.New("crash")
		search.FailAfterPart(e.ix, part, crash)
		write(40)
		if _, err := e.ix.Search(ctx(t), "王", nil, 0, 10); !errors.Is(err, crash) {
			t.Fatalf("the step did not stop after part %d: %v", part, err)
		}
		e.reopen()
		tiny()
		e.checkOracle(t, m, stats, g.queries(40), fmt.Sprintf("after a stop after part %d", part))
	}

	if err := e.ix.Rebuild(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.checkOracle(t, m, stats, g.queries(60), "rebuilt")
	write(30)
	e.reopen()
	e.checkOracle(t, m, stats, g.queries(60), "reopened")
}
