package search_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

// archive is a small archive with the shapes the desk searches for.
type archive struct {
	c1, c2, c3, c4 customer
	s1, s2         site
	p1, p2, p3     contact
	e1, e2         equipment
}

func newArchive() archive {
	var a archive
	a.c1 = customer{ID: newID(), Name: "深圳市华强科技有限公司", Kind: "company"}
	a.c2 = customer{ID: newID(), Name: "王记五金店", Kind: "individual"}
	a.c3 = customer{ID: newID(), Name: "ABC Tech 物业", Kind: "company"}
	a.c4 = customer{ID: newID(), Name: "科技", Kind: "company"}
	a.s1 = site{ID: newID(), CustomerID: a.c1.ID, Name: "华强大厦", Address: "深圳市福田区华强北路1002号", District: "福田区"}
	a.s2 = site{ID: newID(), CustomerID: a.c3.ID, Name: "科技园A栋", Address: "深圳市南山区科技园南路15号", District: "南山区"}
	a.p1 = contact{ID: newID(), CustomerID: a.c1.ID, Name: "王经理", Phones: []string{"0755-83668899", "13812345678"}, Title: "物业经理"}
	a.p2 = contact{ID: newID(), CustomerID: a.c2.ID, Name: "王", Phones: []string{"13900001111"}}
	a.p3 = contact{ID: newID(), CustomerID: a.c3.ID, Name: "李工", Phones: []string{"0755-88881234转8001"}}
	a.e1 = equipment{ID: newID(), SiteID: a.s1.ID, CustomerID: a.c1.ID, System: "cctv", ItemType: "cctv.recorder",
		Model: "海康威视 DS-7816N-K2", Serial: "DS7816NK2-2023AAWR8366", Location: "地下二层停车场弱电间"}
	// No customerId: the index takes the site's.
	a.e2 = equipment{ID: newID(), SiteID: a.s2.ID, System: "cctv", ItemType: "cctv.recorder",
		Model: "大华 DH-NVR4216", Serial: "6J0A1B2PAZ", Location: "3号楼5层弱电井"}
	return a
}

func (a archive) recs() []rec {
	return []rec{
		putCustomer(a.c1), putCustomer(a.c2), putCustomer(a.c3), putCustomer(a.c4),
		putSite(a.s1), putSite(a.s2),
		putContact(a.p1), putContact(a.p2), putContact(a.p3),
		putEquipment(a.e1), putEquipment(a.e2),
	}
}

func TestSearchMatches(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	tests := []struct {
		name  string
		q     string
		kinds []string
		want  []string
	}{
		// Exact key values first, then prefixes, then the rest; by kind.
		{"surname", "王", nil, []string{a.p2.ID, a.c2.ID, a.p1.ID}},
		{"bigram", "科技", nil, []string{a.c4.ID, a.s2.ID, a.c1.ID}},
		{"phrase", "华强北路", nil, []string{a.s1.ID}},
		{"long phrase", "华强北路1002号", nil, []string{a.s1.ID}},
		{"phrase across fields is not a match", "华强大厦深圳", nil, []string{}},
		{"district", "福田区", nil, []string{a.s1.ID}},
		{"phone fragment", "8366", nil, []string{a.p1.ID, a.e1.ID}},
		{"phone fragment with area code", "0755-8366", nil, []string{a.p1.ID}},
		{"phone fragment with spaces", "8366 88", nil, []string{a.p1.ID}},
		{"phone with full-width digits", "１３８１２３４", nil, []string{a.p1.ID}},
		{"extension", "8001", nil, []string{a.p3.ID}},
		{"three digits", "001", nil, []string{a.p2.ID, a.p3.ID}},
		{"serial fragment", "AAWR", nil, []string{a.e1.ID}},
		{"serial fragment lower case", "aawr83", nil, []string{a.e1.ID}},
		{"serial prefix", "ds7", nil, []string{a.e1.ID}},
		{"model with separators", "DS-7816N", nil, []string{a.e1.ID}},
		{"model without separators", "ds7816n", nil, []string{a.e1.ID}},
		{"full-width model", "ＤＳ７８１６", nil, []string{a.e1.ID}},
		{"model code", "nvr", nil, []string{a.e2.ID}},
		{"location", "弱电", nil, []string{a.e1.ID, a.e2.ID}},
		{"digit and character", "5层", nil, []string{a.e2.ID}},
		{"ascii name", "abc", nil, []string{a.c3.ID}},
		{"ascii name upper case", "TECH", nil, []string{a.c3.ID}},
		{"kinds filter", "王", []string{"contact"}, []string{a.p2.ID, a.p1.ID}},
		{"two kinds", "科技", []string{"site", "customer"}, []string{a.c4.ID, a.s2.ID, a.c1.ID}},
		{"two letters find nothing", "ab", nil, []string{}},
		{"two digits find nothing", "83", nil, []string{}},
		{"punctuation finds nothing", "！—", nil, []string{}},
		{"empty", "", nil, []string{}},
		{"absent", "不存在", nil, []string{}},
		{"contact title is not searched", "物业经理", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.search(tt.q, tt.kinds...)
			if diff := cmp.Diff(ids(r), tt.want); diff != "" {
				t.Errorf("Search(%q) ids (-got +want):\n%s", tt.q, diff)
			}
			if r.Total != len(tt.want) || r.TotalCapped {
				t.Errorf("Search(%q) total %d capped %v, want %d", tt.q, r.Total, r.TotalCapped, len(tt.want))
			}
		})
	}
}

func TestHitFields(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	got := e.search("8366").Hits
	want := []search.Hit{
		{Kind: "contact", ID: a.p1.ID, CustomerID: a.c1.ID, Title: "王经理", Subtitle: "物业经理 · 0755-83668899、13812345678", Matched: "0755-83668899"},
		{Kind: "equipment", ID: a.e1.ID, CustomerID: a.c1.ID, Title: "海康威视 DS-7816N-K2", Subtitle: "DS7816NK2-2023AAWR8366 · 地下二层停车场弱电间", Matched: "DS7816NK2-2023AAWR8366"},
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("hits (-got +want):\n%s", diff)
	}
	got = e.search("3号楼").Hits
	want = []search.Hit{{Kind: "equipment", ID: a.e2.ID, CustomerID: a.c3.ID, Title: "大华 DH-NVR4216", Subtitle: "6J0A1B2PAZ · 3号楼5层弱电井", Matched: "3号楼5层弱电井"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("equipment without customerId (-got +want):\n%s", diff)
	}
	got = e.search("华强大厦").Hits
	want = []search.Hit{{Kind: "site", ID: a.s1.ID, CustomerID: a.c1.ID, Title: "华强大厦", Subtitle: "福田区 · 深圳市福田区华强北路1002号", Matched: "华强大厦"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("site (-got +want):\n%s", diff)
	}
	got = e.search("五金").Hits
	want = []search.Hit{{Kind: "customer", ID: a.c2.ID, CustomerID: a.c2.ID, Title: "王记五金店", Subtitle: "个人", Matched: "王记五金店"}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("customer (-got +want):\n%s", diff)
	}
}

func TestSearchCustomers(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	tests := []struct {
		q    string
		want []string
	}{
		{"8366", []string{a.c1.ID}},                 // a contact's phone and a serial, one customer
		{"弱电", []string{a.c1.ID, a.c3.ID}},          // equipment of two customers
		{"nvr", []string{a.c3.ID}},                  // equipment whose customer is its site's
		{"王", []string{a.c2.ID, a.c1.ID}},           // name prefix first, then by id
		{"科技", []string{a.c4.ID, a.c1.ID, a.c3.ID}}, // exact name, then by id
		{"华强北路1002", []string{a.c1.ID}},             // a site's address, verified
		{"8881234", []string{a.c3.ID}},              // a phone, verified
		{"不存在", []string{}},
	}
	for _, tt := range tests {
		got, total, capped, err := e.ix.SearchCustomers(ctx(t), tt.q, 0, 20)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("SearchCustomers(%q) (-got +want):\n%s", tt.q, diff)
		}
		if total != len(tt.want) || capped {
			t.Errorf("SearchCustomers(%q) total %d capped %v, want %d", tt.q, total, capped, len(tt.want))
		}
	}
}

func TestUpdateAndDelete(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	if got := e.search("科技"); len(got.Hits) != 3 {
		t.Fatalf("before: %v", ids(got))
	}

	c1 := a.c1
	c1.Name = "深圳市华强电子有限公司"
	e1 := a.e1
	e1.Serial = "XY99990000"
	e.write(putCustomer(c1), putEquipment(e1), rec{"contacts", a.p1.ID, nil})

	check := func(q string, want []string) {
		t.Helper()
		if diff := cmp.Diff(ids(e.search(q)), want); diff != "" {
			t.Errorf("Search(%q) (-got +want):\n%s", q, diff)
		}
	}
	check("科技", []string{a.c4.ID, a.s2.ID})
	check("电子", []string{a.c1.ID})
	check("8366", []string{})
	check("9999", []string{a.e1.ID})
	check("王经理", []string{})
	check("13812345678", []string{})
	if diff := cmp.Diff(e.customers("8366"), []string{}); diff != "" {
		t.Errorf("customers after delete (-got +want):\n%s", diff)
	}

	// A site moving to another customer takes along the equipment that
	// names no customer of its own.
	s2 := a.s2
	s2.CustomerID = a.c1.ID
	e.write(putSite(s2))
	if diff := cmp.Diff(e.customers("nvr"), []string{a.c1.ID}); diff != "" {
		t.Errorf("customers after site move (-got +want):\n%s", diff)
	}
	if h := e.search("nvr").Hits; len(h) != 1 || h[0].CustomerID != a.c1.ID {
		t.Errorf("equipment after site move: %+v", h)
	}

	// A deleted customer owns nothing.
	e.write(rec{"customers", a.c3.ID, nil})
	if diff := cmp.Diff(e.customers("李工"), []string{}); diff != "" {
		t.Errorf("customers of a deleted customer (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(ids(e.search("李工")), []string{a.p3.ID}); diff != "" {
		t.Errorf("contact of a deleted customer (-got +want):\n%s", diff)
	}
	// And comes back when written again.
	e.write(putCustomer(a.c3))
	if diff := cmp.Diff(e.customers("李工"), []string{a.c3.ID}); diff != "" {
		t.Errorf("customers after re-creation (-got +want):\n%s", diff)
	}
}

func TestContactBeforeItsCustomer(t *testing.T) {
	e := newEnv(t, search.Options{})
	e.write(putCustomer(customer{ID: newID(), Name: "先有的客户", Kind: "company"}))
	e.search("客户") // build
	cid := newID()
	p := contact{ID: newID(), CustomerID: cid, Name: "赵主任", Phones: []string{"13700000000"}}
	e.write(putContact(p))
	if diff := cmp.Diff(e.customers("赵主任"), []string{}); diff != "" {
		t.Errorf("customer not yet there (-got +want):\n%s", diff)
	}
	e.write(putCustomer(customer{ID: cid, Name: "后到的客户", Kind: "company"}))
	if diff := cmp.Diff(e.customers("赵主任"), []string{cid}); diff != "" {
		t.Errorf("customer arrived (-got +want):\n%s", diff)
	}
}

func TestCatchUpFindsWhatWasJustWritten(t *testing.T) {
	e := newEnv(t, search.Options{PollInterval: time.Hour})
	a := newArchive()
	e.write(a.recs()...)
	e.ix.Start(ctx(t))
	for i := range 5 {
		p := contact{ID: newID(), CustomerID: a.c1.ID, Name: fmt.Sprintf("新联系人%d", i), Phones: []string{"13600000000"}}
		e.write(putContact(p))
		if diff := cmp.Diff(ids(e.search(p.Name)), []string{p.ID}); diff != "" {
			t.Fatalf("just written (-got +want):\n%s", diff)
		}
	}
	// CatchUp alone, too.
	p := contact{ID: newID(), CustomerID: a.c1.ID, Name: "钱工", Phones: []string{"13500000000"}}
	e.write(putContact(p))
	if err := e.ix.CatchUp(ctx(t)); err != nil {
		t.Fatal(err)
	}
	st, err := e.ix.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.Cursor != e.st.LastVersion() {
		t.Errorf("cursor %d after CatchUp, want %d", st.Cursor, e.st.LastVersion())
	}
}

func TestStartFollows(t *testing.T) {
	e := newEnv(t, search.Options{PollInterval: 10 * time.Millisecond})
	a := newArchive()
	e.write(a.recs()...)
	e.ix.Start(ctx(t))
	p := contact{ID: newID(), CustomerID: a.c1.ID, Name: "孙工", Phones: []string{"13500000001"}}
	e.write(putContact(p))
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := e.ix.Status(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		if st.Cursor == e.st.LastVersion() && st.Generation > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the started index did not follow: %+v, last version %d", st, e.st.LastVersion())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRebuildGivesTheSameResults(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()[:5]...)
	e.search("王") // built from the feed so far; the rest arrives in steps
	e.write(a.recs()[5:]...)
	c1 := a.c1
	c1.Name = "深圳市华强电子科技有限公司"
	e.write(putCustomer(c1), rec{"contacts", a.p2.ID, nil})

	queries := []string{"王", "科技", "华强", "8366", "0755", "弱电", "nvr", "ds7816", "福田", "华强北路1002号", "电子科技"}
	before := map[string]search.Result{}
	for _, q := range queries {
		before[q] = e.search(q)
	}
	custBefore := map[string][]string{}
	for _, q := range queries {
		custBefore[q] = e.customers(q)
	}
	if err := e.ix.Rebuild(ctx(t)); err != nil {
		t.Fatal(err)
	}
	st, err := e.ix.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.Generation != 2 {
		t.Errorf("generation %d after a rebuild, want 2", st.Generation)
	}
	for _, q := range queries {
		if diff := cmp.Diff(e.search(q), before[q]); diff != "" {
			t.Errorf("Search(%q) after rebuild (-got +want):\n%s", q, diff)
		}
		if diff := cmp.Diff(e.customers(q), custBefore[q]); diff != "" {
			t.Errorf("SearchCustomers(%q) after rebuild (-got +want):\n%s", q, diff)
		}
	}
	// The old generation is gone.
	for _, coll := range search.GenColls(1) {
		n := 0
		err := e.st.View(ctx(t), func(tx store.ReadTx) error {
			return tx.Scan(coll, "", 0, func(string, []byte) error { n++; return nil })
		})
		if err != nil || n != 0 {
			t.Errorf("%s has %d records after the rebuild (%v)", coll, n, err)
		}
	}
}

func TestRestartKeepsTheIndex(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	want := e.search("王")
	e.reopen()

	st, err := e.ix.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.Generation != 1 || st.Cursor != e.st.LastVersion() {
		t.Errorf("after restart: %+v, want generation 1 at version %d", st, e.st.LastVersion())
	}
	p := contact{ID: newID(), CustomerID: a.c1.ID, Name: "王工", Phones: []string{"13500000002"}}
	e.write(putContact(p), putCustomer(customer{ID: newID(), Name: "新客户", Kind: "company"}))
	got := e.search("王")
	if diff := cmp.Diff(ids(got), append(ids(want), p.ID)); diff != "" {
		t.Errorf("after restart (-got +want):\n%s", diff)
	}
	st, err = e.ix.Status(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if st.Rebuilds != 0 || st.ChangesRead != 2 {
		t.Errorf("after restart the index read %d changes and rebuilt %d times, want 2 and 0", st.ChangesRead, st.Rebuilds)
	}
}

func TestPagingAndTotal(t *testing.T) {
	e := newEnv(t, search.Options{})
	cid := newID()
	recs := []rec{putCustomer(customer{ID: cid, Name: "大客户", Kind: "company"})}
	var want []string
	for i := range 45 {
		p := contact{ID: newID(), CustomerID: cid, Name: fmt.Sprintf("王%02d", i), Phones: []string{"13800000000"}}
		recs = append(recs, putContact(p))
		want = append(want, p.ID)
	}
	e.write(recs...)
	for _, q := range []string{"王", "138000"} {
		var got []string
		for _, off := range []int{0, 20, 40, 60} {
			r, err := e.ix.Search(ctx(t), q, nil, off, 20)
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != 45 || r.TotalCapped {
				t.Errorf("Search(%q) offset %d: total %d capped %v, want 45", q, off, r.Total, r.TotalCapped)
			}
			got = append(got, ids(r)...)
		}
		if diff := cmp.Diff(got, want); diff != "" {
			t.Errorf("Search(%q) pages (-got +want):\n%s", q, diff)
		}
	}
	ids, total, capped, err := e.ix.SearchCustomers(ctx(t), "王", 0, 20)
	if err != nil || total != 1 || capped || len(ids) != 1 || ids[0] != cid {
		t.Errorf("SearchCustomers: %v %d %v %v", ids, total, capped, err)
	}
	ids, _, _, err = e.ix.SearchCustomers(ctx(t), "王", 1, 20)
	if err != nil || len(ids) != 0 {
		t.Errorf("SearchCustomers second page: %v %v", ids, err)
	}
}

func TestCountCap(t *testing.T) {
	e := newEnv(t, search.Options{CountCap: 10})
	var recs []rec
	for i := range 30 {
		cid := newID()
		recs = append(recs, putCustomer(customer{ID: cid, Name: fmt.Sprintf("老王物业%02d", i), Kind: "company"}))
	}
	e.write(recs...)
	// Needs verification (three characters): counted up to the cap.
	r, err := e.ix.Search(ctx(t), "王物业", nil, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 10 || !r.TotalCapped || len(r.Hits) != 5 {
		t.Errorf("verified: total %d capped %v hits %d, want 10, capped, 5", r.Total, r.TotalCapped, len(r.Hits))
	}
	_, total, capped, err := e.ix.SearchCustomers(ctx(t), "王物业", 0, 5)
	if err != nil || total != 10 || !capped {
		t.Errorf("customers verified: total %d capped %v (%v), want 10, capped", total, capped, err)
	}
	// Postings alone: counted exactly.
	r, err = e.ix.Search(ctx(t), "物业", nil, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 30 || r.TotalCapped {
		t.Errorf("exact: total %d capped %v, want 30", r.Total, r.TotalCapped)
	}
}

func TestByPhone(t *testing.T) {
	e := newEnv(t, search.Options{})
	a := newArchive()
	e.write(a.recs()...)
	tests := []struct {
		number string
		want   []string
	}{
		{"+86 138 1234 5678", []string{a.p1.ID}},
		{"13812345678", []string{a.p1.ID}},
		{"(0755) 8366-8899", []string{a.p1.ID}},
		{"075588881234", []string{a.p3.ID}}, // the extension is ignored
		{"83668899", []string{a.p1.ID}},     // no area code: the end of a number
		{"8366", []string{}},                // too short to be a caller
		{"13812345670", []string{}},
	}
	for _, tt := range tests {
		hits, err := e.ix.ByPhone(ctx(t), tt.number)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{}
		for _, h := range hits {
			got = append(got, h.ID)
		}
		if diff := cmp.Diff(got, tt.want); diff != "" {
			t.Errorf("ByPhone(%q) (-got +want):\n%s", tt.number, diff)
		}
	}
}

func TestUnknownKind(t *testing.T) {
	e := newEnv(t, search.Options{})
	_, err := e.ix.Search(ctx(t), "王", []string{"ticket"}, 0, 10)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != search.ErrUnknownKind.Code || de.Kind != domain.KindInvalid {
		t.Errorf("unknown kind: %v, want %v", err, search.ErrUnknownKind)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＤＳ－７８１６Ｎ", "ds7816n"},
		{"0755-8366 8899", "075583668899"},
		{"华强（集团）有限公司", "华强集团有限公司"},
		{"ABC　Tech", "abctech"},
		{"王 经理", "王经理"},
	}
	for _, tt := range tests {
		if got := search.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Queries, writes and the follower at once: run with -race.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t, search.Options{PollInterval: 5 * time.Millisecond, StepChanges: 3})
	a := newArchive()
	e.write(a.recs()...)
	e.ix.Start(ctx(t))
	done := make(chan struct{})
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := e.ix.Search(ctx(t), "王", nil, 0, 5); err != nil {
					errs <- err
					return
				}
				if _, _, _, err := e.ix.SearchCustomers(ctx(t), "科技", 0, 5); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var want []string
	for i := range 60 {
		p := contact{ID: newID(), CustomerID: a.c2.ID, Name: fmt.Sprintf("王并发%02d", i), Phones: []string{"13300000000"}}
		want = append(want, p.ID)
		e.write(putContact(p))
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(ids(e.search("王并发")), want); diff != "" {
		t.Errorf("after concurrent writes (-got +want):\n%s", diff)
	}
}
