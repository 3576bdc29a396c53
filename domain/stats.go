package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Month is a calendar month, "2026-10".
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "2026-10".
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return Month{}, E(KindInvalid, "invalid_month")
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the month of t in zone.
func MonthOf(t time.Time, zone *time.Location) Month {
	t = t.In(zone)
	return Month{t.Year(), t.Month()}
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Satisfaction of a ticket for scoring (R-SAT-1): the callback's answer
// when the customer gave one there, else the form's; blank means no
// opinion.
func (t Ticket) ScoredSatisfaction() (Satisfaction, []DissatisfactionReason, string) {
	if t.Callback != nil && t.Callback.Satisfaction != SatisfactionBlank {
		return t.Callback.Satisfaction, t.Callback.Reasons, "callback"
	}
	if t.Acceptance != nil {
		return t.Acceptance.Satisfaction, t.Acceptance.Reasons, "form"
	}
	return SatisfactionBlank, nil, "none"
}

// TechMonth is one technician's line of the monthly statistics (R-SAT-2).
type TechMonth struct {
	UserID   string                        `json:"userId"`
	Name     string                        `json:"name"`
	Tickets  int                           `json:"tickets"`
	Total    int                           `json:"total"`
	Average  float64                       `json:"average"`
	Levels   map[Satisfaction]int          `json:"levels"`  // count per level ("" = no opinion)
	Reasons  map[DissatisfactionReason]int `json:"reasons"` // dissatisfaction reasons
	FixedNow int                           `json:"fixedFirstVisit"`
	// FirstVisitFixRate is the share of the technician's tickets done on
	// that visit (result 已完成).
	FirstVisitFixRate float64 `json:"firstVisitFixRate"`
	// AvgArrivalHours is the mean time from the request to arrival on site,
	// by the device's corrected time.
	AvgArrivalHours float64 `json:"avgArrivalHours"`
	arrivals        int
	arrivalHours    float64
}

// StatsFact is what the monthly statistics need of a called-back ticket:
// small enough to keep as a projection, so a month of fifty thousand
// tickets is read without decoding them whole.
type StatsFact struct {
	Crew         []string                `json:"crew"`
	Level        Satisfaction            `json:"level,omitempty"`
	Reasons      []DissatisfactionReason `json:"reasons,omitempty"`
	Done         bool                    `json:"done,omitempty"`
	ArrivalHours float64                 `json:"arrivalHours,omitempty"` // 0: unknown
	CallbackAt   time.Time               `json:"callbackAt"`
}

// StatsFact returns the ticket's fact, false when it has no callback yet.
func (t Ticket) StatsFact() (StatsFact, bool) {
	if t.Callback == nil {
		return StatsFact{}, false
	}
	level, reasons, _ := t.ScoredSatisfaction()
	f := StatsFact{Crew: t.Crew(), Level: level, Reasons: reasons, Done: t.Result != nil && t.Result.Status == ResultDone,
		CallbackAt: t.Callback.At}
	if t.ArrivedAt != nil && t.ArrivedAt.After(t.Created) {
		f.ArrivalHours = t.ArrivedAt.Sub(t.Created).Hours()
	}
	return f, true
}

// MonthlyStats computes the statistics of month from tickets: a ticket
// counts in the month its callback was recorded, for every technician on
// it (lead and helpers). names maps user ids to names.
func MonthlyStats(tickets []Ticket, m Month, zone *time.Location, table ScoreTable, names map[string]string) ([]TechMonth, error) {
	facts := make([]StatsFact, 0, len(tickets))
	for _, t := range tickets {
		if f, ok := t.StatsFact(); ok && MonthOf(f.CallbackAt, zone) == m {
			facts = append(facts, f)
		}
	}
	return MonthlyStatsOf(facts, table, names)
}

// MonthlyStatsOf computes the statistics from one month's facts.
func MonthlyStatsOf(facts []StatsFact, table ScoreTable, names map[string]string) ([]TechMonth, error) {
	rows := map[string]*TechMonth{}
	for _, t := range facts {
		level, reasons := t.Level, t.Reasons
		score, err := table.Score(level)
		if err != nil {
			return nil, err
		}
		done := t.Done
		for _, u := range t.Crew {
			r := rows[u]
			if r == nil {
				r = &TechMonth{UserID: u, Name: names[u], Levels: map[Satisfaction]int{}, Reasons: map[DissatisfactionReason]int{}}
				rows[u] = r
			}
			r.Tickets++
			r.Total += score
			r.Levels[level]++
			for _, why := range reasons {
				r.Reasons[why]++
			}
			if done {
				r.FixedNow++
			}
			if t.ArrivalHours > 0 {
				r.arrivals++
				r.arrivalHours += t.ArrivalHours
			}
		}
	}
	out := make([]TechMonth, 0, len(rows))
	for _, r := range rows {
		r.Average = round2(float64(r.Total) / float64(r.Tickets))
		r.FirstVisitFixRate = round2(float64(r.FixedNow) / float64(r.Tickets))
		if r.arrivals > 0 {
			r.AvgArrivalHours = round2(r.arrivalHours / float64(r.arrivals))
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b TechMonth) int {
		if a.Total != b.Total {
			return b.Total - a.Total
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

func round2(f float64) float64 { return float64(int64(f*100+0.5*sign(f))) / 100 }

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// PublishedMonth is a frozen month of statistics: kept unchanged as the
// basis of performance reviews. Publishing again makes a new version beside
// it, labelled, never an overwrite.
type PublishedMonth struct {
	ID          string      `json:"id"` // month/version
	Month       string      `json:"month"`
	Version     int         `json:"version"`
	Label       string      `json:"label"` // e.g. 2026-10 第 2 版（更正回访）
	Note        string      `json:"note,omitempty"`
	PublishedAt time.Time   `json:"publishedAt"`
	By          string      `json:"by"`
	Table       ScoreTable  `json:"scoreTable"`
	Rows        []TechMonth `json:"rows"`
}

// NewPublication freezes rows as version `version` of month.
func NewPublication(m Month, version int, note string, at time.Time, by string, table ScoreTable, rows []TechMonth) PublishedMonth {
	label := fmt.Sprintf("%s 第 %d 版", m, version)
	if note = strings.TrimSpace(note); note != "" {
		label += "（" + note + "）"
	}
	return PublishedMonth{ID: fmt.Sprintf("%s/%d", m, version), Month: m.String(), Version: version, Label: label,
		Note: note, PublishedAt: at, By: by, Table: table, Rows: slices.Clone(rows)}
}

// After tells whether m comes after o.
func (m Month) After(o Month) bool {
	return m.Year > o.Year || (m.Year == o.Year && m.Month > o.Month)
}
