package xlsx

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
	"elvcare/sync"
)

// TestProblemsAt: a failure of the write path is reported on the row and
// cell it came from, like a problem found before.
func TestProblemsAt(t *testing.T) {
	contact := origin{
		r: row{Sheet: SheetContacts, Num: 7, vals: map[string]string{
			colCustomerCode: "KH001", colPhones: "13812345678、1234", colSiteCode: "CD001、CD002"}},
		lists: map[string][]string{colPhones: {"13812345678", "1234"}, colSiteCode: {"CD001", "CD002"}},
	}
	first := row{Sheet: SheetContracts, Num: 3, vals: map[string]string{colNumber: "HT-1", colCoverSites: "CD001"}}
	second := row{Sheet: SheetContracts, Num: 4, vals: map[string]string{colNumber: "HT-1", colCoverSites: "CD002"}}
	contract := origin{r: first, coverRows: []row{first, second}}
	tests := []struct {
		name string
		o    origin
		err  error
		want []Problem
		ok   bool
	}{
		{"a field of a list cell", contact, domain.Problems{"phones[1]": "invalid_phone", "siteIds[0]": "other_customer"}.Err(), []Problem{
			{Sheet: SheetContacts, Row: 7, Column: colPhones, Value: "1234", Code: "invalid_phone"},
			{Sheet: SheetContacts, Row: 7, Column: colSiteCode, Value: "CD001", Code: "other_customer"},
		}, true},
		{"a cover of a continuation row", contract, domain.Problems{"covers[1].siteId": "not_found"}.Err(), []Problem{
			{Sheet: SheetContracts, Row: 4, Column: colCoverSites, Value: "CD002", Code: "not_found"},
		}, true},
		{"a conflict without fields", contact, sync.ErrIDTaken.With("id", "x"), []Problem{
			{Sheet: SheetContacts, Row: 7, Column: colCustomerCode, Value: "KH001", Code: "archive.id_taken", Params: map[string]string{"id": "x"}},
		}, true},
		{"wrapped in the batch error", contact, &sync.BatchError{Index: 3, Err: domain.Problems{"name": "too_long"}.Err()}, []Problem{
			{Sheet: SheetContacts, Row: 7, Column: colName, Code: "too_long"},
		}, true},
		{"not the data's fault", contact, domain.ErrForbidden, nil, false},
		{"storage", contact, domain.ErrDiskFull, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := problemsAt(tt.o, tt.err)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestCells(t *testing.T) {
	dates := map[string]string{
		"2026-03-31": "2026-03-31", "2026/3/31": "2026-03-31", "2026.3.1": "2026-03-01", "2026年3月31日": "2026-03-31",
		"20260331": "2026-03-31", "46112": "2026-03-31", "46112.75": "2026-03-31", "２０２６－０３－３１": "2026-03-31",
		"2026-03-31 00:00:00": "2026-03-31", "": "",
		"2026-02-30": "!", "31/03/2026": "!", "0": "!", "明天": "!", "-3": "!",
	}
	for in, want := range dates {
		d, ok := parseDate(in, false)
		got := d.String()
		if !ok {
			got = "!"
		}
		if got != want {
			t.Errorf("parseDate(%q) = %s, want %s", in, got, want)
		}
	}
	if d, _ := parseDate("44650", true); d.String() != "2026-03-31" {
		t.Errorf("1904 serial: %s", d)
	}
	yuan := map[string]int64{"12000": 1200000, "12,000.50": 1200050, "¥9600元": 960000, "0.01": 1, "": 0, "-5": -500}
	for in, want := range yuan {
		if got, ok := parseYuan(in); !ok || got != want {
			t.Errorf("parseYuan(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"1.005", "一万", "1e20", "NaN"} {
		if _, ok := parseYuan(bad); ok {
			t.Errorf("parseYuan(%q) accepted", bad)
		}
	}
	wholes := map[string]int{"800W": 800, "480 点": 480, "24": 24, "１２０": 120, "6.0": 6, "": 0}
	for in, want := range wholes {
		if got, ok := parseWhole(in); !ok || got != want {
			t.Errorf("parseWhole(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"1.5", "很多", "2e10"} {
		if _, ok := parseWhole(bad); ok {
			t.Errorf("parseWhole(%q) accepted", bad)
		}
	}
	neutral := map[string]string{`=HYPERLINK("x")`: `'=HYPERLINK("x")`, "+86 138": "'+86 138", "-1 层": "'-1 层",
		"@家": "'@家", "\tx": "'\tx", "华强": "华强", "": ""}
	for in, want := range neutral {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if back := cleanText(want); back != in && in != "\tx" {
			t.Errorf("cleanText(%q) = %q, want %q", want, back, in)
		}
	}
	if got := splitList(" CD001、cd002，CD003 ;CD004\nCD005 CD006 ", sepCodes); len(got) != 6 {
		t.Errorf("splitList: %q", got)
	}
	if got := splitList("综合布线/网络、闭路监控", sepLabels); len(got) != 2 || got[0] != "综合布线/网络" {
		t.Errorf("splitList of systems: %q", got)
	}
	for in, want := range map[string]domain.ContractStage{"B": domain.StageB, "b": domain.StageB, "B 保修": domain.StageB,
		"S跟进": domain.StageS, "验收": domain.StageY, "Q 签订合同": domain.StageQ} {
		if got, ok := parseStage(in); !ok || got != want {
			t.Errorf("parseStage(%q) = %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"X", "保", "B 跟进"} {
		if _, ok := parseStage(bad); ok {
			t.Errorf("parseStage(%q) accepted", bad)
		}
	}
	for in, want := range map[string]domain.System{"网络": domain.SystemNetwork, "电话/程控交换机": domain.SystemTelephone,
		"cctv": domain.SystemCCTV, "一卡通": domain.SystemOneCard} {
		if got, ok := parseSystem(in); !ok || got != want {
			t.Errorf("parseSystem(%q) = %q %v", in, got, ok)
		}
	}
}
