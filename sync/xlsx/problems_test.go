package xlsx_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/xlsx"
	"elvcare/sync/xlsx/xlsxtest"
)

// p is a problem without params, for the table below.
func p(sheet string, row int, column, value, code string) xlsx.Problem {
	return xlsx.Problem{Sheet: sheet, Row: row, Column: column, Value: value, Code: code}
}

// TestImportProblems spoils the good workbook one way at a time and
// expects exactly the problems named, and nothing imported.
func TestImportProblems(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(s xlsxtest.Sheets)
		want  []xlsx.Problem
	}{
		{"unknown customer code", func(s xlsxtest.Sheets) { s["场地"][0][1] = "KH009" },
			[]xlsx.Problem{p("场地", 2, "客户编号", "KH009", "import.unknown_customer")}},
		{"repeated customer code", func(s xlsxtest.Sheets) {
			s["客户"] = append(s["客户"], []any{"kh001", "另一家公司", "", ""})
		}, []xlsx.Problem{p("客户", 4, "客户编号", "kh001", "import.duplicate")}},
		{"repeated customer name", func(s xlsxtest.Sheets) {
			s["客户"] = append(s["客户"], []any{"KH003", "深圳市华强物业管理有限公司", "", ""})
		}, []xlsx.Problem{p("客户", 4, "客户名称", "深圳市华强物业管理有限公司", "import.duplicate")}},
		{"missing name, unknown kind", func(s xlsxtest.Sheets) { s["客户"][1][1], s["客户"][1][2] = "", "公司" },
			[]xlsx.Problem{p("客户", 3, "客户名称", "", "required"), p("客户", 3, "类型", "公司", "import.invalid_choice")}},
		{"district not of the city", func(s xlsxtest.Sheets) { s["场地"][1][4] = "朝阳区" },
			[]xlsx.Problem{p("场地", 3, "区", "朝阳区", "import.invalid_district")}},
		{"another city's district is free text", func(s xlsxtest.Sheets) { s["场地"][1][4], s["场地"][1][5] = "南城街道", "东莞" }, nil},
		{"repeated site code", func(s xlsxtest.Sheets) {
			s["场地"] = append(s["场地"], []any{"CD003", "KH002", "门诊楼", "桃园路 89 号", "南山区", ""})
		}, []xlsx.Problem{p("场地", 5, "场地编号", "CD003", "import.duplicate")}},
		{"two bad phones of one contact", func(s xlsxtest.Sheets) { s["联系人"][0][2] = "12345、13812345678、88881234" },
			[]xlsx.Problem{p("联系人", 2, "电话", "12345", "invalid_phone"), p("联系人", 2, "电话", "88881234", "invalid_phone")}},
		{"no phone", func(s xlsxtest.Sheets) { s["联系人"][1][2] = "" },
			[]xlsx.Problem{p("联系人", 3, "电话", "", "required")}},
		{"contact at another customer's site", func(s xlsxtest.Sheets) { s["联系人"][1][4] = "CD002、CD003" },
			[]xlsx.Problem{p("联系人", 3, "场地编号", "CD003", "import.site_other_customer")}},
		{"contact at an unknown site", func(s xlsxtest.Sheets) { s["联系人"][2][4] = "CD404" },
			[]xlsx.Problem{p("联系人", 4, "场地编号", "CD404", "import.unknown_site")}},
		{"repeated contact", func(s xlsxtest.Sheets) {
			s["联系人"] = append(s["联系人"], []any{"KH001", "李工", "139-1234-5678", "", ""})
		}, []xlsx.Problem{p("联系人", 5, "姓名", "李工", "import.duplicate")}},
		{"unreadable dates", func(s xlsxtest.Sheets) { s["合同"][0][3], s["合同"][1][5] = "2026-13-01", "明年" },
			[]xlsx.Problem{p("合同", 2, "开始日期", "2026-13-01", "import.invalid_date"), p("合同", 3, "保修截止", "明年", "import.invalid_date")}},
		{"ends before it starts", func(s xlsxtest.Sheets) { s["合同"][0][4] = "2025-12-31" },
			[]xlsx.Problem{p("合同", 2, "结束日期", "2025-12-31", "end_before_start")}},
		{"annual contract without price", func(s xlsxtest.Sheets) { s["合同"][0][6] = "" },
			[]xlsx.Problem{p("合同", 2, "年费", "", "required")}},
		{"price with three decimals", func(s xlsxtest.Sheets) { s["合同"][0][6] = "12000.125" },
			[]xlsx.Problem{p("合同", 2, "年费", "12000.125", "import.invalid_money")}},
		{"project contract without warranty", func(s xlsxtest.Sheets) { s["合同"][1][5] = "" },
			[]xlsx.Problem{p("合同", 3, "保修截止", "", "required")}},
		{"unknown contract kind and system", func(s xlsxtest.Sheets) { s["合同"][0][2], s["合同"][0][8] = "包年", "闭路监控、消防" },
			[]xlsx.Problem{p("合同", 2, "类型", "包年", "import.invalid_choice"), p("合同", 2, "覆盖系统", "消防", "import.invalid_choice")}},
		{"per-visit contract at Y", func(s xlsxtest.Sheets) {
			s["合同"][0][2], s["合同"][0][6], s["合同"][0][9] = "按次合同", "", "Y"
		}, []xlsx.Problem{p("合同", 2, "阶段", "Y", "import.stage_not_allowed")}},
		{"covers another customer's site", func(s xlsxtest.Sheets) { s["合同"][0][7] = "CD001、CD003" },
			[]xlsx.Problem{p("合同", 2, "覆盖场地编号", "CD003", "import.site_other_customer")}},
		{"no systems to infer", func(s xlsxtest.Sheets) { s["合同"][0][8], s["设备"] = "", nil },
			[]xlsx.Problem{p("合同", 2, "覆盖系统", "", "import.no_systems"), p("合同", 3, "覆盖系统", "", "import.no_systems")}},
		{"contract number of another customer", func(s xlsxtest.Sheets) {
			s["合同"] = append(s["合同"], []any{"HT-2026-001", "KH002", "按次合同", "2026-01-01", "2026-12-31"})
		}, []xlsx.Problem{p("合同", 4, "合同编号", "HT-2026-001", "import.duplicate")}},
		{"continuation row that changes the terms", func(s xlsxtest.Sheets) {
			s["合同"] = append(s["合同"], []any{"HT-2026-001", "KH001", "工程合同", "", "", "", "", "CD002", "公共广播"})
		}, []xlsx.Problem{p("合同", 4, "类型", "工程合同", "import.inconsistent")}},
		{"unknown site and item type of another system", func(s xlsxtest.Sheets) {
			s["设备"][0][0], s["设备"][1][2] = "CD404", "防盗探头"
		}, []xlsx.Problem{p("设备", 2, "场地编号", "CD404", "import.unknown_site"), p("设备", 3, "设备类型", "防盗探头", "system_mismatch")}},
		{"PBX without ports, bad count", func(s xlsxtest.Sheets) { s["设备"][6][7], s["设备"][8][9] = "", "很多" },
			[]xlsx.Problem{p("设备", 8, "端口数", "", "required"), p("设备", 10, "数量", "很多", "invalid_number")}},
		{"repeated serial", func(s xlsxtest.Sheets) { s["设备"][4][4] = "D100001" },
			[]xlsx.Problem{p("设备", 6, "序列号", "D100001", "import.duplicate")}},
		{"bad install date, missing system", func(s xlsxtest.Sheets) { s["设备"][0][6], s["设备"][2][1] = "2024-02-30", "" },
			[]xlsx.Problem{p("设备", 2, "安装日期", "2024-02-30", "import.invalid_date"), p("设备", 4, "系统", "", "required")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng, st := newEngine(t)
			s := xlsxtest.Good().Clone()
			tt.spoil(s)
			_, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, s), xlsx.Options{})
			var got []xlsx.Problem
			if ie, ok := xlsx.IsInvalid(err); ok {
				got = ie.Problems
			} else if err != nil {
				t.Fatalf("err = %v, want problems", err)
			}
			if diff := cmp.Diff(got, tt.want, cmpopts.IgnoreFields(xlsx.Problem{}, "Params"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if len(tt.want) > 0 && stored(t, st) != (xlsx.Counts{}) {
				t.Errorf("a refused workbook stored %+v", stored(t, st))
			}
		})
	}
}

func TestImportHeaderProblems(t *testing.T) {
	eng, _ := newEngine(t)
	headers := map[string][]any{}
	for k, v := range xlsxtest.Headers {
		headers[k] = slices.Clone(v)
	}
	headers["联系人"][2] = "手机"                                   // unknown, and 电话 is then missing
	headers["设备"] = append(headers["设备"], "系统")                // twice
	headers["客户"] = []any{"客户名称*", "客户编号*", "备注", "类型（企业/个人）"} // reordered: fine
	s := xlsxtest.Good()
	for i, r := range s["客户"] {
		s["客户"][i] = []any{r[1], r[0], r[3], r[2]}
	}
	_, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.BuildHeaders(t, headers, s), xlsx.Options{})
	ie, ok := xlsx.IsInvalid(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	want := []xlsx.Problem{
		p("联系人", 1, "电话", "", "import.missing_column"),
		p("联系人", 1, "C", "手机", "import.unknown_column"),
		p("设备", 1, "系统", "系统", "import.duplicate_column"),
	}
	if diff := cmp.Diff(ie.Problems, want, cmpopts.IgnoreFields(xlsx.Problem{}, "Params")); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}

// TestImportStagesAndContinuations: a contract may start at any stage its
// kind allows, and span rows that add coverage.
func TestImportStagesAndContinuations(t *testing.T) {
	eng, st := newEngine(t)
	s := xlsxtest.Good()
	s["合同"] = [][]any{
		{"HT-A", "KH001", "按年合同", "2026-01-01", "2026-12-31", "", "9600", "CD001", "闭路监控、红外防盗报警", "S 跟进", ""},
		{"HT-A", "KH001", "", "", "", "", "", "CD002", "闭路监控"},
		{"HT-B", "KH001", "工程合同", "2026-01-01", "2026-03-31", "2028-03-31", "", "CD002", "闭路监控", "Y 验收", ""},
		{"HT-C", "KH002", "按次", "2026-01-01", "2026-12-31", "", "", "", "公共广播", "q", ""},
	}
	if _, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, s), xlsx.Options{}); err != nil {
		if ie, ok := xlsx.IsInvalid(err); ok {
			t.Fatalf("%+v", ie.Problems)
		}
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range all[domain.Contract](t, st, sync.CollContracts) {
		var path string
		for _, h := range c.History {
			path += string(h.Stage)
		}
		got[c.Number] = path + " " + string(rune('0'+len(c.Covers)))
	}
	want := map[string]string{"HT-A": "BS 3", "HT-B": "QY 1", "HT-C": "Q 1"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("stage paths and cover counts (-got +want):\n%s", diff)
	}
}
