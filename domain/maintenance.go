package domain

import (
	"fmt"
	"time"
)

// MaintenancePlan is an annual contract's periodic maintenance of one
// system (R-FORM-3): e.g. the intrusion alarm every quarter, with its
// checklist template. The visits are opened LeadDays ahead of their date.
type MaintenancePlan struct {
	System     System `json:"system"`
	Every      string `json:"every"` // monthly, quarterly, semiannual, annual
	TemplateID string `json:"templateId,omitempty"`
	LeadDays   int    `json:"leadDays,omitempty"` // default 14
}

var planMonths = map[string]int{"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}

// PlanEveryLabel is the Chinese name of a plan's frequency.
func PlanEveryLabel(every string) string {
	return map[string]string{"monthly": "每月", "quarterly": "每季度", "semiannual": "每半年", "annual": "每年"}[every]
}

// Validate checks a plan.
func (p MaintenancePlan) Validate(prefix string, pr Problems) {
	if !p.System.Valid() {
		pr.Add(prefix+"system", "invalid_choice")
	}
	if _, ok := planMonths[p.Every]; !ok {
		pr.Add(prefix+"every", "invalid_choice")
	}
	if p.LeadDays < 0 || p.LeadDays > 90 {
		pr.Add(prefix+"leadDays", "invalid")
	}
}

// DueVisit is a maintenance visit a plan calls for.
type DueVisit struct {
	System     System `json:"system"`
	Date       Date   `json:"date"`
	TemplateID string `json:"templateId,omitempty"`
	Every      string `json:"every"`
}

// Key identifies the visit, so it is opened once.
func (d DueVisit) Key(contractID string) string {
	return fmt.Sprintf("%s/%s/%s", contractID, d.System, d.Date)
}

// DueVisits are the visits of the contract's plans whose opening window
// (LeadDays before the date, through the date) holds today: the first is
// one interval after the start, the last on or before the end.
func (c Contract) DueVisits(today Date) []DueVisit {
	var out []DueVisit
	if c.Kind != ContractAnnual || c.StartDate.IsZero() || c.EndDate.IsZero() {
		return nil
	}
	for _, p := range c.Plans {
		months, ok := planMonths[p.Every]
		if !ok {
			continue
		}
		lead := p.LeadDays
		if lead == 0 {
			lead = 14
		}
		for k := 1; ; k++ {
			due := addMonths(c.StartDate, k*months)
			if due.After(c.EndDate) {
				break
			}
			if due.AddDays(-lead).After(today) {
				break
			}
			if due.Before(today) {
				continue
			}
			out = append(out, DueVisit{System: p.System, Date: due, TemplateID: p.TemplateID, Every: p.Every})
		}
	}
	return out
}

// addMonths moves d by n months, keeping the day where the month has it
// and taking the month's last day otherwise (Jan 31 + 1 month = Feb 28).
func addMonths(d Date, n int) Date {
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := min(d.Day(), last)
	out, _ := NewDate(first.Year(), first.Month(), day)
	return out
}
