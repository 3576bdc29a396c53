package sync

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"elvcare/domain"
)

// TestEncodeTicketAgreesWithEncoder: the hand-written ticket encoding is
// what encoding/json writes, for tickets with every field filled, empty,
// nil or awkward (strings to escape, invalid UTF-8, zones, out-of-range
// years), and its split is topFields' split of those bytes.
func TestEncodeTicketAgreesWithEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 3000 {
		var tk domain.Ticket
		fillRandom(reflect.ValueOf(&tk).Elem(), r)
		want, werr := json.Marshal(tk)
		got, fs, err := encodeTicket(&tk)
		if (err != nil) != (werr != nil) {
			t.Fatalf("ticket %d: encodeTicket error %v, encoding/json %v", i, err, werr)
		}
		if werr != nil {
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("ticket %d:\n got %s\nwant %s", i, got, want)
		}
		split, ok := topFields(want)
		if !ok || !reflect.DeepEqual(fs, split) {
			t.Fatalf("ticket %d: split %q, want %q", i, fs, split)
		}
	}
}

// TestEncodeSummaryAgrees: the hand-written summary encoding is what
// encoding/json writes.
func TestEncodeSummaryAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 13))
	for i := range 2000 {
		var s TicketSummary
		fillRandom(reflect.ValueOf(&s).Elem(), r)
		want, werr := json.Marshal(s)
		got, err := encodeSummary(s)
		if (err != nil) != (werr != nil) {
			t.Fatalf("summary %d: encodeSummary error %v, encoding/json %v", i, err, werr)
		}
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("summary %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

var awkward = []string{"", "01a2129f-b12a-7892-9229-1bb768e7f9aa", "王工", "更换前", `a"b\c`, "<&>",
	"tab\there", "\u2028", "x\u2029", "\xff\xfe", "“引号”", "ok", "\x00", "é"}

// fillRandom fills v with random values: exported fields only, each slice,
// map and pointer nil, empty or filled.
func fillRandom(v reflect.Value, r *rand.Rand) {
	switch v.Interface().(type) {
	case time.Time:
		zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -3*3600-1800)}
		years := []int{2026, 1, 9999, 10000, -1}
		y := years[0]
		if r.IntN(10) == 0 {
			y = years[r.IntN(len(years))]
		}
		if r.IntN(8) == 0 {
			v.Set(reflect.ValueOf(time.Time{}))
			return
		}
		v.Set(reflect.ValueOf(time.Date(y, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(3)*r.IntN(1e9), zones[r.IntN(len(zones))])))
		return
	case domain.Date:
		if r.IntN(3) > 0 {
			v.Set(reflect.ValueOf(domain.DateOf(time.Date(2026, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC), time.UTC)))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(awkward[r.IntN(len(awkward))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int:
		v.SetInt(int64(r.IntN(5)) - 1)
	case reflect.Pointer:
		if r.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			fillRandom(p.Elem(), r)
			v.Set(p)
		}
	case reflect.Slice:
		switch r.IntN(3) {
		case 0: // nil
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), 1+r.IntN(3), 3)
			for i := range s.Len() {
				fillRandom(s.Index(i), r)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch r.IntN(3) {
		case 0:
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for range 1 + r.IntN(4) {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fillRandom(k, r)
				fillRandom(e, r)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillRandom(v.Field(i), r)
			}
		}
	default:
		panic("fillRandom: no rule for " + v.Type().String())
	}
}

// TestAppendJSONStringMatchesEncoder: the fast path writes what
// encoding/json writes for every awkward string.
func TestAppendJSONStringMatchesEncoder(t *testing.T) {
	for _, s := range append(awkward, "王\u2028工", "\xe2\x80", "a\xe2", "深圳市南山区科技园") {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestAppendJSONTimeAgrees: UTC times written digit by digit, and times in
// other zones or out of range, come out as encoding/json writes them.
func TestAppendJSONTimeAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	times := []time.Time{{}, time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 8, 0, 0, 500, time.FixedZone("CST", 8*3600)), time.Now()}
	for range 2000 {
		times = append(times, time.Unix(r.Int64N(400e9)-62e9, r.Int64N(1e9)).UTC())
	}
	for _, tm := range times {
		want, werr := json.Marshal(tm)
		got, err := appendJSONTime([]byte("x"), tm)
		if (err != nil) != (werr != nil) || err == nil && string(got) != "x"+string(want) {
			t.Errorf("appendJSONTime(%v) = %s, %v; want x%s, %v", tm, got, err, want, werr)
		}
	}
}
