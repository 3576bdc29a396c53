// Package xlsxtest builds archive workbooks for tests, with excelize and
// the template's Chinese headers written out, so tests read like the
// spreadsheets users fill in.
package xlsxtest

import (
	"maps"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Headers are the template's header rows, as a user's copy has them.
var Headers = map[string][]any{
	"客户":  {"客户编号*", "客户名称*", "类型", "备注"},
	"场地":  {"场地编号*", "客户编号*", "场地名称*", "地址*", "区*", "城市"},
	"联系人": {"客户编号*", "姓名*", "电话*（多个用、分隔）", "职务", "场地编号"},
	"合同": {"合同编号*", "客户编号*", "类型*（工程合同/按年合同/按次合同）", "开始日期*", "结束日期*", "保修截止",
		"年费（元）", "覆盖场地编号（、分隔）", "覆盖系统（、分隔）", "阶段（默认 B 保修）", "备注"},
	"设备": {"场地编号*", "系统*", "设备类型*", "品牌型号", "序列号", "安装位置", "安装日期", "端口数", "功率（W）", "数量"},
}

// Sheets are the data rows of a workbook by sheet name, without headers.
type Sheets map[string][][]any

// Clone copies s deeply enough to change rows.
func (s Sheets) Clone() Sheets {
	out := Sheets{}
	for k, rows := range s {
		for _, r := range rows {
			out[k] = append(out[k], slices.Clone(r))
		}
	}
	return out
}

// Good is a valid workbook: 2 customers, 3 sites, 3 contacts, 2 contracts
// and 10 pieces of equipment. Its 联系人 row 4 (the third contact) is the
// one tests spoil.
func Good() Sheets {
	return Sheets{
		"客户": {
			{"KH001", "深圳市华强物业管理有限公司", "企业", "华强北片区"},
			{"KH002", "深圳市南山区人民医院", "机关事业单位", ""},
		},
		"场地": {
			{"CD001", "KH001", "华强大厦", "福田区华强北路 1001 号", "福田", ""},
			{"CD002", "KH001", "华强广场", "福田区华强北路 1002 号", "福田区", "深圳"},
			{"CD003", "KH002", "住院部大楼", "南山区桃园路 89 号", "南山区", "深圳市"},
		},
		"联系人": {
			{"KH001", "张经理", "138 1234 5678、0755-8888 1234 转 8001", "物业经理", ""},
			{"KH001", "李工", "13912345678", "弱电主管", "CD001、CD002"},
			{"KH002", "王科长", "+86 137-1234-5678", "设备科科长", "CD003"},
		},
		"合同": {
			{"HT-2026-001", "KH001", "按年合同", "2026-01-01", "2026-12-31", "", 12000.5, "CD001、CD002", "闭路监控、红外防盗报警", "", "年度维护"},
			{"HT-2025-017", "KH002", "工程合同", 45658, "2025/6/30", "2027年6月30日", "", "", "", "B 保修", ""},
		},
		"设备": {
			{"CD001", "闭路监控", "监控主机", "海康威视 DS-7816N-K2", "D100001", "地下一层弱电间", "2024-05-20", "", "", ""},
			{"CD001", "闭路监控", "监控终端", "海康威视 DS-2CD3T46", "", "大堂", "", "", "", 24},
			{"CD001", "红外防盗报警", "防盗主机", "霍尼韦尔 VISTA-120", "H200001", "保安室", "", "", "", ""},
			{"CD001", "红外防盗报警", "防盗探头", "", "", "各楼层", "", "", "", 40},
			{"CD002", "闭路监控", "监控主机", "大华 DH-NVR5216", "D100002", "弱电间", "", "", "", ""},
			{"CD002", "闭路监控", "监控终端", "", "", "停车场", "", "", "", 16},
			{"CD003", "电话/程控交换机", "程控交换机", "西门子 HiPath 3800", "S300001", "一楼机房", "2019-03-01", 120, "", ""},
			{"CD003", "公共广播", "功放", "ITC T-6240", "", "消控中心", "", "", "800W", ""},
			{"CD003", "综合布线/网络", "信息点", "", "", "全楼", "", "", "", 480},
			{"CD003", "综合布线/网络", "网络交换机", "华为 S5735", "W400001", "各楼层弱电间", "", "", "", 6},
		},
	}
}

// Build writes a workbook with the five sheets (headers included) and
// returns the .xlsx file.
func Build(t testing.TB, s Sheets) []byte {
	t.Helper()
	return BuildHeaders(t, Headers, s)
}

// BuildHeaders is Build with other header rows.
func BuildHeaders(t testing.TB, headers map[string][]any, s Sheets) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		h := headers[name]
		if err := f.SetSheetRow(name, "A1", &h); err != nil {
			t.Fatal(err)
		}
		for i, r := range s[name] {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
