package xlsx

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"elvcare/domain"
)

// formulaStarts are the first characters that make a spreadsheet treat
// text as a formula (CSV/formula injection); the export neutralises them.
const formulaStarts = "=+-@\t\r"

// Neutralize makes text safe to hand to a spreadsheet: text starting with
// = + - @, a tab or a carriage return gets a leading single quote, so Excel
// shows it as text and never evaluates it.
func Neutralize(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// cleanText trims a cell and undoes Neutralize, so an exported value comes
// back as it was.
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		s = s[1:]
	}
	return s
}

// halfWidth maps full-width ASCII (what a Chinese input method types) to
// ASCII.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '　':
			return ' '
		}
		return r
	}, s)
}

// normCode is the form a workbook code is matched in: half-width, trimmed,
// upper case ("kh001" and "ＫＨ００１" are KH001).
func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(halfWidth(s))) }

// The separators of list cells. Systems are not split at "/", which is
// part of their labels ("综合布线/网络").
const (
	sepCodes  = "、，,；;/\n\r\t "
	sepPhones = "、，,；;/\n\r"
	sepLabels = "、，,；;\n\r"
)

// splitList splits a list cell at any of seps, dropping blanks.
func splitList(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Excel's date serials: 1 is 1900-01-01, 2958465 is 9999-12-31.
const (
	minSerial = 1
	maxSerial = 2958466
)

var (
	dateDigits = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	dateParts  = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)
)

// parseDate reads a date cell: text such as 2026-03-31, 2026/3/31,
// 2026.3.31, 2026年3月31日 or 20260331, or an Excel date serial (the raw
// value of a date-formatted cell). "" is the zero Date.
func parseDate(s string, date1904 bool) (domain.Date, bool) {
	s = halfWidth(s)
	if s == "" {
		return domain.Date{}, true
	}
	if m := dateDigits.FindStringSubmatch(s); m != nil {
		return dateOf(m[1], m[2], m[3])
	}
	if m := dateParts.FindStringSubmatch(s); m != nil {
		return dateOf(m[1], m[2], m[3])
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < minSerial || f >= maxSerial {
		return domain.Date{}, false
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return domain.Date{}, false
	}
	d, err := domain.NewDate(t.Year(), t.Month(), t.Day())
	return d, err == nil
}

func dateOf(y, m, d string) (domain.Date, bool) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	date, err := domain.NewDate(yy, time.Month(mm), dd)
	return date, err == nil
}

// unitSuffixes may follow a count or a power ("800W", "480点").
var unitSuffixes = []string{"W", "w", "瓦", "个", "台", "点", "口", "套", "对"}

// maxWhole bounds the whole numbers of a sheet; the domain has its own,
// smaller limits and says which one was passed.
const maxWhole = 1_000_000_000

// parseWhole reads a whole number, allowing a unit after it; "" is 0.
func parseWhole(s string) (int, bool) {
	s = strings.TrimSpace(halfWidth(s))
	for _, u := range unitSuffixes {
		s = strings.TrimSpace(strings.TrimSuffix(s, u))
	}
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > maxWhole {
		return 0, false
	}
	return int(f), true
}

// maxYuan bounds a price before it is turned into fen.
const maxYuan = 1e12

// parseYuan reads an amount in yuan with at most two decimals ("12000",
// "12,000.50", "¥12000元") and returns it in fen; "" is 0.
func parseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(halfWidth(s))
	s = strings.NewReplacer(",", "", "¥", "", "￥", "", "元", "", " ", "").Replace(s)
	if s == "" {
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxYuan {
		return 0, false
	}
	fen := math.Round(f * 100)
	if math.Abs(fen-f*100) > 1e-6*math.Max(1, math.Abs(f)) {
		return 0, false // more than two decimals
	}
	return int64(fen), true
}

// formatYuan writes fen as yuan for the export.
func formatYuan(fen int64) float64 { return float64(fen) / 100 }
