package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/demo"
	"elvcare/sync/store"
)

// loadDemo loads the whole demo on 2026-11-25 (the journeys' week).
func loadDemo(t *testing.T) *sync.Engine {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir(), DiskFloorBytes: 1, Migrations: sync.Migrations,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 25, 1, 10, 0, 0, time.UTC)
	key := make([]byte, sync.CredentialKeySize)
	e := sync.New(sync.Options{Store: st, Clock: func() time.Time { return now }, CredentialKey: key})
	start := time.Now()
	if err := demo.Load(context.Background(), e, func(s string) (string, error) { return "hash:" + s, nil }); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > loadBudget {
		t.Errorf("demo load took %v, want under 3 s", d)
	}
	return e
}

func TestDemoArchive(t *testing.T) {
	e := loadDemo(t)
	ctx := context.Background()
	a := e.Archive()
	all := sync.Paging{PageSize: sync.MaxPageSize}

	cus, err := a.Customers(ctx, sync.CustomerQuery{Paging: all})
	if err != nil {
		t.Fatal(err)
	}
	sites, _ := a.Sites(ctx, sync.SiteQuery{Paging: all})
	contacts, _ := a.Contacts(ctx, sync.ContactQuery{Paging: all})
	contracts, _ := a.Contracts(ctx, sync.ContractQuery{Paging: all})
	eq, _ := a.Equipment(ctx, sync.EquipmentQuery{Paging: sync.Paging{PageSize: 1}})
	t.Logf("customers %d, sites %d, contacts %d, contracts %d, equipment %d", cus.Total, sites.Total, contacts.Total, contracts.Total, eq.Total)
	if cus.Total != 30 || sites.Total != 35 || contacts.Total != 42 || contracts.Total != 42 {
		t.Errorf("counts: customers %d sites %d contacts %d contracts %d; want 30, 35, 42, 42",
			cus.Total, sites.Total, contacts.Total, contracts.Total)
	}
	if eq.Total < 300 || eq.Total > 600 {
		t.Errorf("%d pieces of equipment, want a few hundred", eq.Total)
	}

	// Every system, contract kind and stage appears.
	systems := map[domain.System]bool{}
	all600 := sync.Paging{PageSize: sync.MaxPageSize}
	for page := 1; ; page++ {
		all600.Page = page
		l, err := a.Equipment(ctx, sync.EquipmentQuery{Paging: all600})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range l.Items {
			systems[x.System] = true
		}
		if page*all600.PageSize >= l.Total {
			break
		}
	}
	if len(systems) != 6 {
		t.Errorf("systems %v, want all six", systems)
	}
	kinds, stages := map[domain.ContractKind]bool{}, map[domain.ContractStage]bool{}
	for _, c := range contracts.Items {
		kinds[c.Kind], stages[c.Stage] = true, true
	}
	if len(kinds) != 3 || len(stages) != 4 {
		t.Errorf("contract kinds %v stages %v, want every one", kinds, stages)
	}

	// The journey: 华强物业's basement NVR is under the annual contract
	// until 2027-03-31.
	hq, err := a.Customers(ctx, sync.CustomerQuery{Q: "华强物业"})
	if err != nil || hq.Total != 1 {
		t.Fatalf("华强物业: %v %+v", err, hq)
	}
	d, err := a.Customer(ctx, hq.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var nvr *sync.EquipmentRecord
	for i, x := range d.Equipment {
		if x.Model == "海康威视 DS-7816N-K2" && x.Location == "地下二层停车场监控室" {
			nvr = &d.Equipment[i]
		}
	}
	if nvr == nil {
		t.Fatal("no 地下二层停车场 NVR at 华强物业")
	}
	ed, err := a.EquipmentByID(ctx, nvr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ed.Site.Name != "华强大厦" || ed.Site.District != "福田区" || ed.Coverage.Kind != domain.CoverageAnnual ||
		ed.Coverage.Until.String() != "2027-03-31" || ed.Credential == nil || !ed.Equipment.HasCredential {
		t.Errorf("journey NVR: site %s %s, coverage %+v, credential %v", ed.Site.Name, ed.Site.District, ed.Coverage, ed.Credential)
	}

	// Renewal reminders: some annual contracts end within 30 days.
	ending, err := a.ContractsEnding(ctx, 30)
	if err != nil {
		t.Fatal(err)
	}
	annual := 0
	for _, x := range ending.Items {
		if x.Contract.Kind == domain.ContractAnnual {
			annual++
		}
	}
	if annual < 3 {
		t.Errorf("%d annual contracts end within 30 days, want several: %+v", annual, ending.Items)
	}
	// The caller lookup finds 陈经理 by his office line typed loosely.
	cs, err := a.Contacts(ctx, sync.ContactQuery{Phone: "0755 8321 6688"})
	if err != nil || cs.Total != 1 || cs.Items[0].Name != "陈经理" {
		t.Errorf("caller lookup: %v %+v", err, cs)
	}
}

func TestDemoArchiveDeterministic(t *testing.T) {
	names := func() []string {
		e := loadDemo(t)
		l, err := e.Archive().Contacts(context.Background(), sync.ContactQuery{Paging: sync.Paging{PageSize: sync.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range l.Items {
			out = append(out, c.ID+" "+c.Name+" "+c.Phones[0])
		}
		return out
	}
	a, b := names(), names()
	if len(a) != len(b) {
		t.Fatalf("two loads differ in size: %d, %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("load differs at %d: %q vs %q", i, a[i], b[i])
		}
	}
}
