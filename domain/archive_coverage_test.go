package domain_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

// arCoverContract is a contract of kind covering the CCTV of site arID(2).
func arCoverContract(t *testing.T, id int, kind domain.ContractKind, start, end, warranty string) domain.Contract {
	t.Helper()
	c := domain.Contract{
		ID: arID(id), CustomerID: arID(1), Number: "C-" + start, Kind: kind,
		Covers:    []domain.ContractCover{{SiteID: arID(2), System: domain.SystemCCTV}},
		StartDate: arDate(t, start), EndDate: arDate(t, end),
	}
	if warranty != "" {
		c.WarrantyUntil = arDate(t, warranty)
	}
	return c
}

func TestCoverageBoundaries(t *testing.T) {
	project := arCoverContract(t, 30, domain.ContractProject, "2025-01-10", "2025-03-31", "2026-03-31")
	annual := arCoverContract(t, 31, domain.ContractAnnual, "2026-04-01", "2027-03-31", "")
	perVisit := arCoverContract(t, 32, domain.ContractPerVisit, "2027-04-01", "2027-12-31", "")
	all := []domain.Contract{project, annual, perVisit}

	none := domain.CoverageResult{Kind: domain.CoverageNone}
	warranty := domain.CoverageResult{Kind: domain.CoverageWarranty, ContractID: arID(30), Until: arDate(t, "2026-03-31")}
	yearly := domain.CoverageResult{Kind: domain.CoverageAnnual, ContractID: arID(31), Until: arDate(t, "2027-03-31")}
	visit := domain.CoverageResult{Kind: domain.CoveragePerVisit, ContractID: arID(32), Until: arDate(t, "2027-12-31")}

	tests := []struct {
		name string
		day  string
		want domain.CoverageResult
	}{
		{"day before project start", "2025-01-09", none},
		{"project start", "2025-01-10", warranty},
		{"project completion", "2025-03-31", warranty},
		{"day after completion, in warranty", "2025-04-01", warranty},
		{"warranty end", "2026-03-31", warranty},
		{"annual start, day after warranty end", "2026-04-01", yearly},
		{"annual end", "2027-03-31", yearly},
		{"per-visit start, day after annual end", "2027-04-01", visit},
		{"per-visit end", "2027-12-31", visit},
		{"day after per-visit end", "2028-01-01", none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Coverage(all, arID(2), domain.SystemCCTV, arDate(t, tt.day))
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("Coverage on %s (-got +want):\n%s", tt.day, diff)
			}
		})
	}
}

func TestCoveragePrecedence(t *testing.T) {
	day := "2026-06-15"
	project := arCoverContract(t, 40, domain.ContractProject, "2026-01-01", "2026-03-31", "2027-12-31")
	annual := arCoverContract(t, 41, domain.ContractAnnual, "2026-01-01", "2026-12-31", "")
	annualLonger := arCoverContract(t, 42, domain.ContractAnnual, "2026-06-01", "2027-05-31", "")
	annualTwin := arCoverContract(t, 39, domain.ContractAnnual, "2026-01-01", "2026-12-31", "")
	perVisit := arCoverContract(t, 43, domain.ContractPerVisit, "2026-01-01", "2026-12-31", "")
	otherSite := arCoverContract(t, 44, domain.ContractProject, "2026-01-01", "2026-03-31", "2027-12-31")
	otherSite.Covers = []domain.ContractCover{{SiteID: arID(3), System: domain.SystemCCTV}}
	otherSystem := arCoverContract(t, 45, domain.ContractProject, "2026-01-01", "2026-03-31", "2027-12-31")
	otherSystem.Covers = []domain.ContractCover{{SiteID: arID(2), System: domain.SystemAlarm}}

	tests := []struct {
		name      string
		contracts []domain.Contract
		wantKind  domain.CoverageKind
		wantID    string
	}{
		{"no contracts", nil, domain.CoverageNone, ""},
		{"warranty beats annual and per-visit", []domain.Contract{perVisit, annual, project}, domain.CoverageWarranty, arID(40)},
		{"annual beats per-visit", []domain.Contract{perVisit, annual}, domain.CoverageAnnual, arID(41)},
		{"per-visit alone", []domain.Contract{perVisit}, domain.CoveragePerVisit, arID(43)},
		{"longer annual wins", []domain.Contract{annual, annualLonger}, domain.CoverageAnnual, arID(42)},
		{"equal annuals: smaller id", []domain.Contract{annual, annualTwin}, domain.CoverageAnnual, arID(39)},
		{"other site does not count", []domain.Contract{otherSite, perVisit}, domain.CoveragePerVisit, arID(43)},
		{"other system does not count", []domain.Contract{otherSystem}, domain.CoverageNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Coverage(tt.contracts, arID(2), domain.SystemCCTV, arDate(t, day))
			if got.Kind != tt.wantKind || got.ContractID != tt.wantID {
				t.Errorf("Coverage = %s %s, want %s %s", got.Kind, got.ContractID, tt.wantKind, tt.wantID)
			}
		})
	}
}

func TestCoverageLabels(t *testing.T) {
	want := map[domain.CoverageKind]string{"warranty": "保内", "annual": "按年合同", "per_visit": "按次合同", "none": "无合同"}
	for k, w := range want {
		if k.Label() != w || !k.Valid() {
			t.Errorf("%s: %q", k, k.Label())
		}
	}
	if domain.CoverageKind("").Valid() {
		t.Error("empty coverage is valid")
	}
}

func TestContractsEndingWithin(t *testing.T) {
	today := "2027-01-30"
	annual := arCoverContract(t, 50, domain.ContractAnnual, "2026-04-01", "2027-03-31", "")      // 60 days left
	annualLate := arCoverContract(t, 51, domain.ContractAnnual, "2026-04-02", "2027-04-01", "")  // 61 days left
	endsToday := arCoverContract(t, 52, domain.ContractPerVisit, "2026-01-30", "2027-01-30", "") // 0 days
	ended := arCoverContract(t, 53, domain.ContractAnnual, "2026-01-29", "2027-01-29", "")       // yesterday
	project := arCoverContract(t, 54, domain.ContractProject, "2024-01-01", "2024-06-30", "2027-02-28")
	projectEndsSoonWarrantyLater := arCoverContract(t, 55, domain.ContractProject, "2026-10-01", "2027-02-01", "2029-02-01")
	renewed := arCoverContract(t, 56, domain.ContractAnnual, "2026-03-01", "2027-02-28", "")
	renewal := arCoverContract(t, 57, domain.ContractAnnual, "2027-03-01", "2028-02-29", "")
	renewal.PreviousID = renewed.ID
	all := []domain.Contract{annual, annualLate, endsToday, ended, project, projectEndsSoonWarrantyLater, renewed, renewal}

	tests := []struct {
		name string
		days int
		want []string // contract id @ until / days left
	}{
		{"sixty days", 60, []string{arID(52) + "@2027-01-30/0", arID(54) + "@2027-02-28/29", arID(50) + "@2027-03-31/60"}},
		{"today only", 0, []string{arID(52) + "@2027-01-30/0"}},
		{"negative window", -1, nil},
		{"sixty-one days", 61, []string{arID(52) + "@2027-01-30/0", arID(54) + "@2027-02-28/29", arID(50) + "@2027-03-31/60", arID(51) + "@2027-04-01/61"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range domain.ContractsEndingWithin(all, arDate(t, today), tt.days) {
				got = append(got, e.Contract.ID+"@"+e.Until.String()+"/"+strconv.Itoa(e.DaysLeft))
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("ContractsEndingWithin (-got +want):\n%s", diff)
			}
		})
	}
}
