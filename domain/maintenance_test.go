package domain_test

import (
	"testing"

	"elvcare/domain"
)

func TestDueVisits(t *testing.T) {
	d := func(s string) domain.Date { v, _ := domain.ParseDate(s); return v }
	c := domain.Contract{Kind: domain.ContractAnnual, StartDate: d("2026-01-31"), EndDate: d("2026-12-31"),
		Plans: []domain.MaintenancePlan{{System: domain.SystemAlarm, Every: "quarterly", TemplateID: "builtin.alarm.pm"}, {System: domain.SystemCCTV, Every: "annual"}}}
	tests := []struct {
		today string
		want  []string // system/date
	}{
		{"2026-04-15", nil},                          // 15 days before 04-30: not yet
		{"2026-04-16", []string{"alarm/2026-04-30"}}, // 14 days before: open it
		{"2026-04-30", []string{"alarm/2026-04-30"}}, // the day itself
		{"2026-05-01", nil},                          // past: the generator opened it already
		{"2026-07-20", []string{"alarm/2026-07-31"}},
		{"2026-12-20", nil}, // 2027-01-31 is after the end; the annual CCTV visit (2027-01-31) too
	}
	for _, tt := range tests {
		t.Run(tt.today, func(t *testing.T) {
			var got []string
			for _, v := range c.DueVisits(d(tt.today)) {
				got = append(got, string(v.System)+"/"+v.Date.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %v want %v", got, tt.want)
				}
			}
		})
	}
	// Month ends: Jan 31 + 1 month is Feb 28.
	m := domain.Contract{Kind: domain.ContractAnnual, StartDate: d("2026-01-31"), EndDate: d("2026-12-31"),
		Plans: []domain.MaintenancePlan{{System: domain.SystemNetwork, Every: "monthly", LeadDays: 3}}}
	if v := m.DueVisits(d("2026-02-26")); len(v) != 1 || v[0].Date.String() != "2026-02-28" {
		t.Errorf("february: %v", v)
	}
	perVisit := c
	perVisit.Kind = domain.ContractPerVisit
	if v := perVisit.DueVisits(d("2026-04-20")); v != nil {
		t.Errorf("per-visit contracts have no plans: %v", v)
	}
	p := domain.Problems{}
	domain.MaintenancePlan{System: "hvac", Every: "weekly"}.Validate("plans[0].", p)
	if p["plans[0].system"] == "" || p["plans[0].every"] == "" {
		t.Errorf("plan validation %v", p)
	}
}
