package domain_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"plain", "2026-03-31", "2026-03-31", false},
		{"empty is unset", "", "", false},
		{"leap day", "2028-02-29", "2028-02-29", false},
		{"no leap day", "2026-02-29", "", true},
		{"day 31 of a 30-day month", "2026-04-31", "", true},
		{"month 13", "2026-13-01", "", true},
		{"single digit month", "2026-3-31", "", true},
		{"with time", "2026-03-31T00:00:00Z", "", true},
		{"slashes", "2026/03/31", "", true},
		{"spaces", " 2026-03-31", "", true},
		{"year zero", "0000-01-01", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := domain.ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil && arCode(err) != "invalid_date" {
				t.Errorf("code = %q, want invalid_date", arCode(err))
			}
			if got := d.String(); got != tt.want {
				t.Errorf("ParseDate(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewDate(t *testing.T) {
	if _, err := domain.NewDate(2026, time.February, 30); err == nil {
		t.Error("NewDate(2026-02-30) succeeded")
	}
	d, err := domain.NewDate(2026, time.March, 31)
	if err != nil {
		t.Fatal(err)
	}
	if d.Year() != 2026 || d.Month() != time.March || d.Day() != 31 {
		t.Errorf("parts = %d %v %d", d.Year(), d.Month(), d.Day())
	}
}

func TestDateOf(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"afternoon UTC is next day in Shanghai", time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC), "2026-04-01"},
		{"just before midnight Shanghai", time.Date(2026, 3, 31, 15, 59, 59, 0, time.UTC), "2026-03-31"},
		{"new year", time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), "2026-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.DateOf(tt.at, shanghai).String(); got != tt.want {
				t.Errorf("DateOf = %s, want %s", got, tt.want)
			}
		})
	}
	start := arDate(t, "2026-04-01").StartIn(shanghai)
	if want := time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("StartIn = %v, want %v", start, want)
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name string
		from string
		days int
		want string
	}{
		{"same day", "2026-03-31", 0, "2026-03-31"},
		{"month end", "2026-03-31", 1, "2026-04-01"},
		{"year end", "2026-12-31", 1, "2027-01-01"},
		{"back over leap day", "2028-03-01", -1, "2028-02-29"},
		{"sixty days", "2027-01-30", 60, "2027-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := arDate(t, tt.from)
			got := from.AddDays(tt.days)
			if got.String() != tt.want {
				t.Errorf("AddDays = %s, want %s", got, tt.want)
			}
			if n := got.DaysSince(from); n != tt.days {
				t.Errorf("DaysSince = %d, want %d", n, tt.days)
			}
		})
	}
}

func TestDateCompare(t *testing.T) {
	a, b := arDate(t, "2026-03-31"), arDate(t, "2026-04-01")
	var zero domain.Date
	tests := []struct {
		name string
		x, y domain.Date
		want int
	}{
		{"before", a, b, -1},
		{"after", b, a, 1},
		{"equal", a, a, 0},
		{"zero before all", zero, a, -1},
		{"zero equal zero", zero, zero, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.x.Compare(tt.y); got != tt.want {
				t.Errorf("Compare = %d, want %d", got, tt.want)
			}
			if got := tt.x.Before(tt.y); got != (tt.want < 0) {
				t.Errorf("Before = %v", got)
			}
			if got := tt.x.After(tt.y); got != (tt.want > 0) {
				t.Errorf("After = %v", got)
			}
			if got := tt.x.Equal(tt.y); got != (tt.want == 0) {
				t.Errorf("Equal = %v", got)
			}
		})
	}
	if !a.Within(a, b) || !b.Within(a, b) || a.AddDays(-1).Within(a, b) || b.AddDays(1).Within(a, b) {
		t.Error("Within is not inclusive on both ends only")
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Start domain.Date `json:"start"`
		Until domain.Date `json:"until,omitzero"`
	}
	in := doc{Start: arDate(t, "2026-03-31")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(b), `{"start":"2026-03-31"}`); diff != "" {
		t.Errorf("Marshal (-got +want):\n%s", diff)
	}
	var out doc
	if err := json.Unmarshal([]byte(`{"start":"2026-03-31","until":""}`), &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(out, in); diff != "" {
		t.Errorf("Unmarshal (-got +want):\n%s", diff)
	}
	err = json.Unmarshal([]byte(`{"start":"2026-02-30"}`), &out)
	if domain.KindOf(err) != domain.KindInvalid || arCode(err) != "invalid_date" {
		t.Errorf("Unmarshal of a bad date: %v, want invalid_date", err)
	}
}
