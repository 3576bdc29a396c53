package domain_test

import (
	"testing"
	"time"

	"elvcare/domain"
)

func TestMonthlyStats(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time { v, _ := time.ParseInLocation("2006-01-02 15:04", s, zone); return v }
	ticket := func(lead string, helpers []string, form, callback domain.Satisfaction, cbAt string, done bool) domain.Ticket {
		tk := domain.Ticket{Lead: lead, Helpers: helpers, Created: at("2026-10-10 09:00")}
		arr := at("2026-10-10 11:00")
		tk.ArrivedAt = &arr
		status := domain.ResultDone
		if !done {
			status = domain.ResultNotDone
		}
		tk.Result = &domain.TicketResult{Status: status}
		tk.Acceptance = &domain.Acceptance{EquipmentOK: true, Satisfaction: form}
		if form == domain.SatisfactionDissatisfied {
			tk.Acceptance.Reasons = []domain.DissatisfactionReason{"response"}
		}
		if cbAt != "" {
			tk.Callback = &domain.Callback{Reached: true, Solved: true, Satisfaction: callback, At: at(cbAt)}
		}
		return tk
	}
	tickets := []domain.Ticket{
		ticket("wang", []string{"zhang"}, domain.SatisfactionVerySatisfied, "", "2026-10-10 16:40", true),            // form counts: 5 each
		ticket("wang", nil, domain.SatisfactionSatisfied, domain.SatisfactionDissatisfied, "2026-10-12 10:00", true), // callback says otherwise: -5
		ticket("wang", nil, domain.SatisfactionBlank, "", "2026-10-31 23:30", false),                                 // blank: 1; Oct in Shanghai
		ticket("wang", nil, domain.SatisfactionVerySatisfied, "", "2026-11-01 00:10", true),                          // counts in November
		ticket("zhang", nil, domain.SatisfactionDissatisfied, "", "2026-10-20 09:00", true),                          // -5, reason from the form
		ticket("liu", nil, domain.SatisfactionVerySatisfied, "", "", true),                                           // no callback: not counted
	}
	names := map[string]string{"wang": "王工", "zhang": "张工", "liu": "刘工"}
	rows, err := domain.MonthlyStats(tickets, domain.Month{Year: 2026, Month: time.October}, zone, domain.DefaultScoreTable(), names)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.TechMonth{}
	for _, r := range rows {
		got[r.UserID] = r
	}
	if len(rows) != 2 {
		t.Fatalf("rows %v", rows)
	}
	w := got["wang"]
	if w.Tickets != 3 || w.Total != 5-5+1 || w.Average != 0.33 || w.Levels[domain.SatisfactionDissatisfied] != 1 || w.Levels[domain.SatisfactionBlank] != 1 {
		t.Errorf("wang: %+v", w)
	}
	if w.FirstVisitFixRate != 0.67 || w.AvgArrivalHours != 2 {
		t.Errorf("wang fix rate %v arrival %v", w.FirstVisitFixRate, w.AvgArrivalHours)
	}
	z := got["zhang"]
	if z.Tickets != 2 || z.Total != 0 || z.Reasons["response"] != 1 {
		t.Errorf("zhang (helper's crew score and −5): %+v", z)
	}
	if rows[0].UserID != "wang" {
		t.Errorf("order by total: %v first", rows[0].UserID)
	}
	nov, _ := domain.MonthlyStats(tickets, domain.Month{Year: 2026, Month: time.November}, zone, domain.DefaultScoreTable(), names)
	if len(nov) != 1 || nov[0].Total != 5 {
		t.Errorf("november %+v", nov)
	}
}

func TestPublication(t *testing.T) {
	m, err := domain.ParseMonth("2026-10")
	if err != nil {
		t.Fatal(err)
	}
	rows := []domain.TechMonth{{UserID: "wang", Total: 5}}
	p1 := domain.NewPublication(m, 1, "", time.Now(), "chen", domain.DefaultScoreTable(), rows)
	rows[0].Total = 99 // later changes do not reach a frozen snapshot
	p2 := domain.NewPublication(m, 2, "更正回访", time.Now(), "chen", domain.DefaultScoreTable(), rows)
	if p1.Rows[0].Total != 5 || p1.ID == p2.ID || p2.Label != "2026-10 第 2 版（更正回访）" {
		t.Errorf("p1 %+v p2 %+v", p1, p2)
	}
	if _, err := domain.ParseMonth("2026-13"); err == nil {
		t.Error("month 13 accepted")
	}
}
