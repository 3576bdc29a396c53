package domain

import (
	"time"
)

// Date is a civil date without a time of day or zone, such as a contract's
// last day. Its text form is "2026-03-31"; the zero Date means "not set"
// and is written as "". Dates are comparable with == and Compare.
type Date struct {
	y int
	m time.Month
	d int
}

// ErrInvalidDate is returned for text that is not a real date "YYYY-MM-DD".
var ErrInvalidDate = E(KindInvalid, "invalid_date")

const dateLayout = "2006-01-02"

// NewDate builds a date from its parts, refusing impossible ones (2026-02-30)
// and years outside 1–9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 {
		return Date{}, ErrInvalidDate
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || t.Month() != month {
		return Date{}, ErrInvalidDate
	}
	return Date{year, month, day}, nil
}

// ParseDate reads exactly "YYYY-MM-DD"; "" gives
// the zero Date without error, so optional dates decode cleanly.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, ErrInvalidDate
	}
	return NewDate(t.Year(), t.Month(), t.Day())
}

// DateOf is the civil date of instant t in zone loc: the business day of an
// event stored in UTC (loc is the configured zone, default Asia/Shanghai).
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Year returns the year of d (0 for an unset date).
func (d Date) Year() int { return d.y }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.m }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.d }

// String is "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(dateLayout)
}

// StartIn is the first instant of d in zone loc.
func (d Date) StartIn(loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days (negative n goes back).
func (d Date) AddDays(n int) Date {
	y, m, dd := d.utc().AddDate(0, 0, n).Date()
	return Date{y, m, dd}
}

// DaysSince is the number of days from o to d: positive when d is later.
func (d Date) DaysSince(o Date) int {
	return int(d.utc().Sub(o.utc()).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o. The zero
// Date sorts before every set date.
func (d Date) Compare(o Date) int {
	a, b := d.ordinal(), o.ordinal()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Equal reports whether d and o are the same day (lets go-cmp compare Dates).
func (d Date) Equal(o Date) bool { return d == o }

// Within reports whether d lies in [from, to], both ends included.
func (d Date) Within(from, to Date) bool { return !d.Before(from) && !d.After(to) }

// MarshalText writes "YYYY-MM-DD", or "" for the zero Date.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) utc() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

func (d Date) ordinal() int { return d.y*10000 + int(d.m)*100 + d.d }
