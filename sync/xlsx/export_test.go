package xlsx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/xlsx"
	"elvcare/sync/xlsx/xlsxtest"
)

func templateBytes(t testing.TB) []byte {
	t.Helper()
	b, err := xlsx.Template()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func exportBytes(t testing.TB, eng *sync.Engine) []byte {
	t.Helper()
	b, err := xlsx.Export(context.Background(), eng.Store())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func rows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestTemplate(t *testing.T) {
	f := open(t, templateBytes(t))
	want := []string{"说明", "客户", "场地", "联系人", "合同", "设备"}
	if diff := cmp.Diff(f.GetSheetList(), want); diff != "" {
		t.Errorf("sheets (-got +want):\n%s", diff)
	}
	for name, header := range xlsxtest.Headers {
		rs := rows(t, f, name)
		if len(rs) != 2 {
			t.Errorf("%s: %d rows, want the header and one example", name, len(rs))
			continue
		}
		var h []any
		for _, c := range rs[0] {
			h = append(h, c)
		}
		if diff := cmp.Diff(h, header); diff != "" {
			t.Errorf("%s header (-got +want):\n%s", name, diff)
		}
		if !strings.HasPrefix(rs[1][0], "示例") {
			t.Errorf("%s example row starts %q", name, rs[1][0])
		}
		panes, err := f.GetPanes(name)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", name, panes, err)
		}
	}
	// Drop-downs for the enumerations.
	lists := map[string][]string{}
	for _, name := range []string{"客户", "场地", "合同", "设备"} {
		dvs, err := f.GetDataValidations(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, dv := range dvs {
			lists[name+"!"+strings.SplitN(dv.Sqref, "2:", 2)[0]] = strings.Split(strings.Trim(dv.Formula1, `"`), ",")
		}
	}
	for key, want := range map[string]string{
		"客户!C": "机关事业单位", "场地!E": "福田区", "合同!C": "按次合同", "合同!J": "B 保修", "设备!B": "闭路监控", "设备!C": "程控交换机",
	} {
		if !slices.Contains(lists[key], want) {
			t.Errorf("drop-down %s = %v, want it to offer %s", key, lists[key], want)
		}
	}
	guide := rows(t, f, "说明")
	text := ""
	for _, r := range guide {
		text += strings.Join(r, " ") + "\n"
	}
	for _, s := range []string{"覆盖系统", "0755-88881234转8001", "示例", "程控交换机", "拆分"} {
		if !strings.Contains(text, s) {
			t.Errorf("说明 does not mention %q", s)
		}
	}
}

// TestFilledTemplateImports fills the downloaded template below its
// example rows, as a user would, and imports it.
func TestFilledTemplateImports(t *testing.T) {
	eng, st := newEngine(t)
	f := open(t, templateBytes(t))
	for name, rs := range xlsxtest.Good() {
		for i, r := range rs {
			cell, _ := excelize.CoordinatesToCellName(1, i+3)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := xlsx.Import(context.Background(), eng, desk, buf.Bytes(), xlsx.Options{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	if got := stored(t, st); got != goodCounts {
		t.Errorf("stored %+v", got)
	}
}

func TestExportRoundTrip(t *testing.T) {
	eng, st := newEngine(t)
	s := xlsxtest.Good()
	s["客户"] = append(s["客户"], []any{"KH003", `=HYPERLINK("x")`, "个人", "+86 见联系人"})
	s["场地"] = append(s["场地"], []any{"CD004", "KH003", "@家", "-1 层", "宝安", ""})
	if _, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, s), xlsx.Options{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	// A contract covering different systems at different sites, a renewal
	// not being possible here, and a retired device.
	eqs := all[sync.EquipmentRecord](t, st, sync.CollEquipment)
	retire, _ := json.Marshal(sync.RetireEquipmentArgs{ID: eqs[0].ID})
	if _, err := eng.Apply(context.Background(), desk, sync.Mutation{Name: "equipment.retire", Args: retire}); err != nil {
		t.Fatal(err)
	}
	var annual domain.Contract
	for _, c := range all[domain.Contract](t, st, sync.CollContracts) {
		if c.Number == "HT-2026-001" {
			annual = c
		}
	}
	covers := append(slices.Clone(annual.Covers[:2]), annual.Covers[2]) // CD001 both systems, CD002 CCTV only
	patch, _ := json.Marshal(sync.UpdateContractArgs{ID: annual.ID, ContractPatch: sync.ContractPatch{Covers: &covers}})
	if _, err := eng.Apply(context.Background(), desk, sync.Mutation{Name: "contract.update", Args: patch}); err != nil {
		t.Fatal(err)
	}

	data := exportBytes(t, eng)
	f := open(t, data)
	counts := map[string]int{}
	for _, name := range []string{"客户", "场地", "联系人", "合同", "设备"} {
		counts[name] = len(rows(t, f, name)) - 1
	}
	want := map[string]int{"客户": 3, "场地": 4, "联系人": 3, "合同": 3, "设备": 9}
	if diff := cmp.Diff(counts, want); diff != "" {
		t.Errorf("exported rows (-got +want):\n%s", diff)
	}
	names := map[string]bool{}
	for _, r := range rows(t, f, "客户")[1:] {
		names[r[1]] = true
	}
	if !names[`'=HYPERLINK("x")`] {
		t.Errorf("formula not neutralised: %v", names)
	}
	for _, r := range rows(t, f, "场地")[1:] {
		if r[2] == "@家" || r[3] == "-1 层" {
			t.Errorf("site text not neutralised: %v", r)
		}
	}
	// Bold header, frozen.
	style, err := f.GetCellStyle("客户", "A1")
	if err != nil {
		t.Fatal(err)
	}
	st1, err := f.GetStyle(style)
	if err != nil || st1.Font == nil || !st1.Font.Bold {
		t.Errorf("header style %+v %v", st1, err)
	}
	if p, err := f.GetPanes("设备"); err != nil || !p.Freeze {
		t.Errorf("设备 panes %+v %v", p, err)
	}
	if w, err := f.GetColWidth("客户", "B"); err != nil || w < 20 {
		t.Errorf("客户!B width %v %v", w, err)
	}

	// The export goes back into an empty system unchanged.
	eng2, st2 := newEngine(t)
	res, err := xlsx.Import(context.Background(), eng2, desk, data, xlsx.Options{})
	if err != nil {
		if ie, ok := xlsx.IsInvalid(err); ok {
			t.Fatalf("re-import: %+v", ie.Problems)
		}
		t.Fatalf("re-import: %v", err)
	}
	wantBack := xlsx.Counts{Customers: 3, Sites: 4, Contacts: 3, Contracts: 2, Equipment: 9}
	if res.Imported != wantBack || stored(t, st2) != wantBack {
		t.Errorf("re-import %+v, stored %+v, want %+v", res.Imported, stored(t, st2), wantBack)
	}
	back := map[string]domain.Customer{}
	for _, c := range all[domain.Customer](t, st2, sync.CollCustomers) {
		back[c.Name] = c
	}
	if c, ok := back[`=HYPERLINK("x")`]; !ok || c.Note != "+86 见联系人" || c.Kind != domain.CustomerIndividual {
		t.Errorf("neutralised text did not come back as typed: %v", back)
	}
	for _, c := range all[domain.Contract](t, st2, sync.CollContracts) {
		if c.Number == "HT-2026-001" && (len(c.Covers) != 3 || c.AnnualPriceFen != 1200050) {
			t.Errorf("annual contract back: %d covers, %d fen", len(c.Covers), c.AnnualPriceFen)
		}
	}
	if diff := cmp.Diff(rowsOf(t, exportBytes(t, eng2)), rowsOf(t, data)); diff != "" {
		t.Errorf("export of the re-import differs (-got +want):\n%s", diff)
	}
}

// rowsOf is every data sheet of a workbook as text.
func rowsOf(t testing.TB, data []byte) map[string][][]string {
	f := open(t, data)
	out := map[string][][]string{}
	for _, name := range []string{"客户", "场地", "联系人", "合同", "设备"} {
		out[name] = rows(t, f, name)
	}
	return out
}
