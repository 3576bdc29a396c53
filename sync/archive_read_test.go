package sync_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
	"elvcare/sync"
)

// listWorld is five customers whose coverage, stages and districts differ,
// on 2026-11-25:
//
//	甲物业  福田区  annual 2026-01-01–2026-12-10 at B (ends in 15 days)
//	乙工厂  宝安区  project warranty to 2028-06-30 at Y; per-visit of the same system at Q
//	丙学校  南山区  per-visit 2026-01-01–2026-12-31 at Q
//	丁先生  龙岗区  annual ended 2026-10-31, at S
//	戊医院  福田区 ×2, 罗湖区: no contract
type listWorld struct {
	a                 *arc
	jia, yi, bing     domain.Customer
	ding, wu          domain.Customer
	jiaSite, yiSite   domain.Site
	jiaAnnual, yiProj domain.Contract
}

func newListWorld(t *testing.T) listWorld {
	a := openArchive(t)
	w := listWorld{a: a}
	w.jia = a.customer("甲物业")
	w.yi = a.customer("乙工厂")
	w.bing = a.customer("丙学校")
	w.ding = a.customer("丁先生")
	w.wu = a.customer("戊医院")

	w.jiaSite = a.site(w.jia.ID, "甲大厦", "福田区")
	w.jiaAnnual = a.contract(w.jia.ID, domain.ContractAnnual, "JIA-1", "2026-01-01", "2026-12-10", "", cover(w.jiaSite.ID, domain.SystemCCTV))
	a.move(w.jiaAnnual.ID, domain.StageB)
	a.must("contact.create", sync.ContactArgs{CustomerID: w.jia.ID, Name: "陈经理", Phones: []string{"13802561234"}}, nil)

	w.yiSite = a.site(w.yi.ID, "乙厂房", "宝安区")
	w.yiProj = a.contract(w.yi.ID, domain.ContractProject, "YI-1", "2026-01-01", "2026-06-30", "2028-06-30", cover(w.yiSite.ID, domain.SystemNetwork))
	a.move(w.yiProj.ID, domain.StageY)
	a.contract(w.yi.ID, domain.ContractPerVisit, "YI-2", "2026-01-01", "2026-12-31", "", cover(w.yiSite.ID, domain.SystemNetwork))
	sw := a.equipment(w.yiSite.ID, domain.ItemNetworkSwitch)
	a.must("equipment.update", sync.UpdateEquipmentArgs{ID: sw.ID, EquipmentPatch: sync.EquipmentPatch{Serial: ptr("2102351HLD10K9000123")}}, nil)

	bingSite := a.site(w.bing.ID, "丙校园", "南山区")
	a.contract(w.bing.ID, domain.ContractPerVisit, "BING-1", "2026-01-01", "2026-12-31", "", cover(bingSite.ID, domain.SystemPA))

	dingSite := a.site(w.ding.ID, "丁宅", "龙岗")
	old := a.contract(w.ding.ID, domain.ContractAnnual, "DING-1", "2025-11-01", "2026-10-31", "", cover(dingSite.ID, domain.SystemAlarm))
	a.move(old.ID, domain.StageB)
	a.move(old.ID, domain.StageS)

	a.site(w.wu.ID, "门诊楼", "罗湖区")
	a.site(w.wu.ID, "住院楼", "福田区")
	a.site(w.wu.ID, "行政楼", "福田区")
	return w
}

func names(l sync.CustomerList) []string {
	var out []string
	for _, c := range l.Items {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out
}

func TestCustomerListFilters(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	days := func(n int) *int { return &n }
	tests := []struct {
		name string
		q    sync.CustomerQuery
		want []string
	}{
		{"all", sync.CustomerQuery{}, []string{"丁先生", "丙学校", "乙工厂", "戊医院", "甲物业"}},
		{"district without suffix", sync.CustomerQuery{District: "福田"}, []string{"戊医院", "甲物业"}},
		{"outer district", sync.CustomerQuery{District: "宝安区"}, []string{"乙工厂"}},
		{"warranty", sync.CustomerQuery{Coverage: domain.CoverageWarranty}, []string{"乙工厂"}},
		{"annual", sync.CustomerQuery{Coverage: domain.CoverageAnnual}, []string{"甲物业"}},
		{"per-visit where not outranked", sync.CustomerQuery{Coverage: domain.CoveragePerVisit}, []string{"丙学校"}},
		{"no coverage", sync.CustomerQuery{Coverage: domain.CoverageNone}, []string{"丁先生", "戊医院"}},
		{"stage Q", sync.CustomerQuery{Stage: domain.StageQ}, []string{"丙学校", "乙工厂"}},
		{"stage Y", sync.CustomerQuery{Stage: domain.StageY}, []string{"乙工厂"}},
		{"stage S", sync.CustomerQuery{Stage: domain.StageS}, []string{"丁先生"}},
		{"ending within 15 days, the last day included", sync.CustomerQuery{EndingWithin: days(15)}, []string{"甲物业"}},
		{"ending within 14 days", sync.CustomerQuery{EndingWithin: days(14)}, nil},
		{"ending within 60 days", sync.CustomerQuery{EndingWithin: days(60)}, []string{"丙学校", "乙工厂", "甲物业"}},
		{"filters combine", sync.CustomerQuery{District: "福田区", Coverage: domain.CoverageNone}, []string{"戊医院"}},
		{"q: name", sync.CustomerQuery{Q: "物业"}, []string{"甲物业"}},
		{"q: site name", sync.CustomerQuery{Q: "住院"}, []string{"戊医院"}},
		{"q: phone digits in any form", sync.CustomerQuery{Q: "138 0256"}, []string{"甲物业"}},
		{"q: serial, any case", sync.CustomerQuery{Q: "hld10k9"}, []string{"乙工厂"}},
		{"q: no match", sync.CustomerQuery{Q: "不存在"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := w.a.e.Archive().Customers(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(names(l), tt.want); diff != "" || l.Total != len(tt.want) {
				t.Errorf("total %d (-got +want):\n%s", l.Total, diff)
			}
		})
	}
}

func TestCustomerListPagingAndSummary(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	a := w.a.e.Archive()
	p2, err := a.Customers(ctx, sync.CustomerQuery{Paging: sync.Paging{Page: 2, PageSize: 2}})
	if err != nil {
		t.Fatal(err)
	}
	// By name in code-point order: 丁 丙 乙 戊 甲.
	if p2.Total != 5 || len(p2.Items) != 2 || p2.Items[0].Name != "乙工厂" || p2.Items[1].Name != "戊医院" {
		t.Errorf("page 2 of 2: %+v", p2)
	}
	if p, _ := a.Customers(ctx, sync.CustomerQuery{Paging: sync.Paging{Page: 9, PageSize: 2}}); p.Total != 5 || p.Items == nil || len(p.Items) != 0 {
		t.Errorf("past the end: %+v", p)
	}
	jia, _ := a.Customers(ctx, sync.CustomerQuery{Q: "甲物业"})
	want := sync.CustomerSummary{Sites: 1, Contacts: 1, Contracts: 1, MainDistrict: "福田区",
		Coverage:   domain.CoverageResult{Kind: domain.CoverageAnnual, ContractID: w.jiaAnnual.ID, Until: mustDate(t, "2026-12-10")},
		Stages:     []domain.ContractStage{domain.StageB},
		EndingSoon: mustDate(t, "2026-12-10")}
	if diff := cmp.Diff(jia.Items[0].Summary, want); diff != "" {
		t.Errorf("summary (-got +want):\n%s", diff)
	}
	wu, _ := a.Customers(ctx, sync.CustomerQuery{Q: "戊医院"})
	if s := wu.Items[0].Summary; s.MainDistrict != "福田区" || s.Coverage.Kind != domain.CoverageNone || len(s.Stages) != 0 || s.Sites != 3 {
		t.Errorf("戊医院 summary %+v", s)
	}
	yi, _ := a.Customers(ctx, sync.CustomerQuery{Q: "乙工厂"})
	if s := yi.Items[0].Summary; s.Coverage.Kind != domain.CoverageWarranty || !slices.Equal(s.Stages, []domain.ContractStage{domain.StageQ, domain.StageY}) || s.Equipment != 1 {
		t.Errorf("乙工厂 summary %+v", s)
	}

	d, err := a.Customer(ctx, w.yi.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sites) != 1 || len(d.Contracts) != 2 || len(d.Equipment) != 1 || len(d.Coverage) != 1 ||
		d.Coverage[0].Kind != domain.CoverageWarranty || d.Coverage[0].System != domain.SystemNetwork {
		t.Errorf("detail %+v", d)
	}
	if _, err := a.Customer(ctx, sync.NewID()); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := a.Customer(ctx, ""); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("empty id: %v", err)
	}
}

func mustDate(t *testing.T, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOtherLists(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	a := w.a.e.Archive()
	sites, _ := a.Sites(ctx, sync.SiteQuery{District: "福田"})
	if sites.Total != 3 || sites.Items[0].CustomerName != "戊医院" {
		t.Errorf("sites in 福田区: %+v", sites)
	}
	if s, _ := a.Sites(ctx, sync.SiteQuery{CustomerID: w.yi.ID}); s.Total != 1 || s.Items[0].Equipment != 1 {
		t.Errorf("乙's sites: %+v", s)
	}
	cs, _ := a.Contracts(ctx, sync.ContractQuery{Kind: domain.ContractAnnual})
	if cs.Total != 2 || cs.Items[0].Number != "DING-1" {
		t.Errorf("annual contracts, soonest end first: %+v", cs)
	}
	if cs, _ := a.Contracts(ctx, sync.ContractQuery{SiteID: w.yiSite.ID, Stage: domain.StageY}); cs.Total != 1 || cs.Items[0].ID != w.yiProj.ID {
		t.Errorf("contracts of a site at Y: %+v", cs)
	}
	n := 30
	if cs, _ := a.Contracts(ctx, sync.ContractQuery{EndingWithin: &n}); cs.Total != 1 || cs.Items[0].ID != w.jiaAnnual.ID {
		t.Errorf("contracts ending within 30 days: %+v", cs)
	}
	eq, _ := a.Equipment(ctx, sync.EquipmentQuery{System: domain.SystemNetwork, Q: "2102351"})
	if eq.Total != 1 || eq.Items[0].SiteName != "乙厂房" || eq.Items[0].CustomerName != "乙工厂" {
		t.Errorf("equipment: %+v", eq)
	}
}

func TestCoverageBoundaries(t *testing.T) {
	w := newListWorld(t)
	ctx := context.Background()
	a := w.a.e.Archive()
	tests := []struct {
		site string
		sys  domain.System
		day  string
		want domain.CoverageKind
	}{
		{w.jiaSite.ID, domain.SystemCCTV, "2025-12-31", domain.CoverageNone},
		{w.jiaSite.ID, domain.SystemCCTV, "2026-01-01", domain.CoverageAnnual},
		{w.jiaSite.ID, domain.SystemCCTV, "2026-12-10", domain.CoverageAnnual},
		{w.jiaSite.ID, domain.SystemCCTV, "2026-12-11", domain.CoverageNone},
		{w.jiaSite.ID, domain.SystemPA, "2026-06-01", domain.CoverageNone},
		{w.yiSite.ID, domain.SystemNetwork, "2026-07-01", domain.CoverageWarranty}, // after completion, in warranty
		{w.yiSite.ID, domain.SystemNetwork, "2028-06-30", domain.CoverageWarranty},
		{w.yiSite.ID, domain.SystemNetwork, "2028-07-01", domain.CoverageNone},
		{w.jiaSite.ID, domain.SystemCCTV, "", domain.CoverageAnnual}, // today
	}
	for _, tt := range tests {
		t.Run(tt.day+" "+string(tt.sys), func(t *testing.T) {
			var day domain.Date
			if tt.day != "" {
				day = mustDate(t, tt.day)
			}
			got, err := a.Coverage(ctx, tt.site, tt.sys, day)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != tt.want || got.Label != tt.want.Label() {
				t.Errorf("got %+v, want %s", got, tt.want)
			}
		})
	}
	if _, err := a.Coverage(ctx, sync.NewID(), domain.SystemCCTV, domain.Date{}); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown site: %v", err)
	}
}

// TestBusinessDayInShanghai: at 00:30 in Shanghai on 11 December it is
// still 10 December in UTC; the annual contract ending on the 10th no
// longer covers.
func TestBusinessDayInShanghai(t *testing.T) {
	w := newListWorld(t)
	*w.a.now = time.Date(2026, 12, 10, 16, 30, 0, 0, time.UTC)
	if got := w.a.e.Today().String(); got != "2026-12-11" {
		t.Fatalf("today %s, want 2026-12-11", got)
	}
	got, err := w.a.e.Archive().Coverage(context.Background(), w.jiaSite.ID, domain.SystemCCTV, domain.Date{})
	if err != nil || got.Kind != domain.CoverageNone || got.Date.String() != "2026-12-11" {
		t.Errorf("coverage at 00:30 on the 11th: %v %+v", err, got)
	}
}
