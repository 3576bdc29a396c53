package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"elvcare/domain"
)

// Workbook is a written workbook ready to be sent. Its sheets are streamed
// (excelize keeps big sheets in temp files, not in memory): Close removes
// those files.
type Workbook struct {
	f *excelize.File
}

// WriteTo writes the .xlsx file to w.
func (b *Workbook) WriteTo(w io.Writer) (int64, error) { return b.f.WriteTo(w) }

// Close releases the workbook's temp files.
func (b *Workbook) Close() error { return b.f.Close() }

// ContentType is the media type of an .xlsx file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// validationRows is how far below the data the drop-downs reach, so rows
// added by hand get them too.
const validationRows = 2000

// writer builds a workbook in the layout.
type writer struct {
	f      *excelize.File
	v      vocab
	styles struct {
		header, text, example, exampleText, title, bold, wrap int
	}
}

func newWriter() (*writer, error) {
	w := &writer{f: excelize.NewFile(), v: newVocab()}
	w.f.SetAppProps(&excelize.AppProperties{Application: "ELVcare"})
	border := []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}}
	grey := &excelize.Font{Color: "808080", Italic: true}
	const textFmt = 49 // "@": text, so 0755… and 2026-03-31 stay as typed
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&w.styles.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}},
			Alignment: &excelize.Alignment{Vertical: "center"}, NumFmt: textFmt}},
		{&w.styles.text, excelize.Style{NumFmt: textFmt}},
		{&w.styles.example, excelize.Style{Font: grey}},
		{&w.styles.exampleText, excelize.Style{Font: grey, NumFmt: textFmt}},
		{&w.styles.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&w.styles.bold, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}}}},
		{&w.styles.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := w.f.NewStyle(&d.s)
		if err != nil {
			w.f.Close()
			return nil, err
		}
		*d.id = id
	}
	return w, nil
}

// finish drops excelize's default sheet and makes active the named one.
func (w *writer) finish(active string) (*Workbook, error) {
	if err := w.f.DeleteSheet("Sheet1"); err != nil {
		return nil, err
	}
	if i, err := w.f.GetSheetIndex(active); err == nil && i >= 0 {
		w.f.SetActiveSheet(i)
	}
	return &Workbook{f: w.f}, nil
}

// sheetWriter streams the rows of one data sheet.
type sheetWriter struct {
	w   *writer
	sh  sheet
	sw  *excelize.StreamWriter
	row int
}

// start creates a data sheet: widths, text columns, frozen bold header.
func (w *writer) start(sh sheet) (*sheetWriter, error) {
	if _, err := w.f.NewSheet(sh.Name); err != nil {
		return nil, err
	}
	sw, err := w.f.NewStreamWriter(sh.Name)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	// excelize puts the column last set first in <cols>, and Excel wants
	// them in order: set them from the last to the first.
	for i := len(sh.Cols) - 1; i >= 0; i-- {
		c := sh.Cols[i]
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return nil, err
		}
		if c.Kind == kindText {
			if err := sw.SetColStyle(i+1, i+1, w.styles.text); err != nil {
				return nil, err
			}
		}
	}
	header := make([]any, len(sh.Cols))
	for i, c := range sh.Cols {
		header[i] = excelize.Cell{StyleID: w.styles.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 20}); err != nil {
		return nil, err
	}
	return &sheetWriter{w: w, sh: sh, sw: sw, row: 1}, nil
}

// write adds a row. Values are by column: a string (neutralised, see
// Neutralize), an int or float64, or nil for an empty cell.
func (s *sheetWriter) write(vals []any, example bool) error {
	cells := make([]any, len(vals))
	for i, v := range vals {
		style := s.w.styles.text
		if example {
			style = s.w.styles.exampleText
		}
		switch v := v.(type) {
		case nil:
		case string:
			if v != "" {
				cells[i] = excelize.Cell{StyleID: style, Value: Neutralize(v)}
			}
		case int:
			if v != 0 {
				cells[i] = s.number(v, example)
			}
		case float64:
			if v != 0 {
				cells[i] = s.number(v, example)
			}
		default:
			return fmt.Errorf("xlsx: cell value of type %T", v)
		}
	}
	s.row++
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	return s.sw.SetRow(cell, cells)
}

func (s *sheetWriter) number(v any, example bool) excelize.Cell {
	if example {
		return excelize.Cell{StyleID: s.w.styles.example, Value: v}
	}
	return excelize.Cell{Value: v}
}

// close adds the drop-downs and ends the sheet.
func (s *sheetWriter) close() error {
	last := s.row + validationRows
	for i, c := range s.sh.Cols {
		if c.List == listNone {
			continue
		}
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, last)
		if err := dv.SetDropList(s.w.v.list(c.List)); err != nil {
			return err
		}
		if c.Strict {
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Key, "请从下拉列表中选择。")
		} else {
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Key, "不在下拉列表中。本市的场地请从列表中选择；外地场地可继续填写。")
		}
		if err := s.w.f.AddDataValidation(s.sh.Name, dv); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

// guide writes the 说明 sheet: the rules, every column with an example,
// and the item types of each system.
func (w *writer) guide() error {
	const name = SheetGuide
	if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	f := w.f
	widths := []float64{12, 22, 8, 70, 30}  // A–E
	for i := len(widths) - 1; i >= 0; i-- { // last first, as in start
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, widths[i]); err != nil {
			return err
		}
	}
	r := 1
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		if style > 0 {
			return f.SetCellStyle(name, cell, cell, style)
		}
		return nil
	}
	line := func(vals []string, style int) error {
		for i, v := range vals {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := set(fmt.Sprintf("%s%d", col, r), v, style); err != nil {
				return err
			}
		}
		r++
		return nil
	}
	if err := set("A1", "客户档案导入模板 · 填写说明", w.styles.title); err != nil {
		return err
	}
	r = 3
	// A rule is one long line: it runs on over the empty cells beside it.
	for i, rule := range guideRules {
		if err := set(fmt.Sprintf("A%d", r), fmt.Sprintf("%d. %s", i+1, rule), 0); err != nil {
			return err
		}
		r++
	}
	r++
	if err := line([]string{"工作表", "列", "必填", "说明", "示例"}, w.styles.bold); err != nil {
		return err
	}
	for _, sh := range layout {
		if err := line([]string{sh.Name, "", "", sh.Help, ""}, w.styles.wrap); err != nil {
			return err
		}
		for _, c := range sh.Cols {
			req := ""
			if c.Required {
				req = "是"
			}
			if err := line([]string{"", c.Header, req, c.Help, c.Example}, w.styles.wrap); err != nil {
				return err
			}
		}
	}
	r++
	if err := line([]string{"系统", "设备类型", "单位", "需填写", ""}, w.styles.bold); err != nil {
		return err
	}
	for _, spec := range itemSpecs() {
		if err := line(spec, 0); err != nil {
			return err
		}
	}
	return nil
}

// guideRules are the general rules on the 说明 sheet.
var guideRules = []string{
	"共五张表：客户、场地、联系人、合同、设备。第一行是表头，请勿修改；从第二行起每行一条记录。带 * 的列必须填写。",
	"客户编号、场地编号是本工作簿内的代号（如 KH001、CD001），只用于各表之间相互引用；导入时系统会另行分配内部编号，代号本身不保存。",
	"第一格以“示例”开头的行不会导入，可以保留，也可以删除。",
	"日期写成 2026-03-31（也可以是 Excel 的日期单元格）；一格中有多个值时用顿号“、”分隔。",
	"导入前会逐行检查全部数据：只要有一处错误，整个工作簿都不会导入，系统会列出每处错误所在的表、行、列和原因，改正后重新导入即可。可以先“只检查不导入”。",
	"整个工作簿在一个事务中导入：要么全部导入，要么完全不导入，即使中途断电也不会只导入一部分。",
	fmt.Sprintf("单次导入最多 %d 行数据、文件不超过 20 MB；数据更多时请按客户拆分成几个工作簿分别导入，每个工作簿须包含所拆客户的全部场地、联系人、合同和设备。", MaxRows),
	"导入只新增档案，不修改已有档案：客户名称或合同编号与系统中已有的重复时会报错。",
	"导出的文件与本模板格式相同，修改后可以导入到一个新的系统。以 = + - @ 开头的文字在导出时前面加了单引号 '，导入时会自动去掉。设备的二维码标识和设备密码不导出，导入后重新生成。",
}

// itemSpecs are the rows of the item-type table on the 说明 sheet.
func itemSpecs() [][]string {
	var out [][]string
	for _, spec := range domain.ItemSpecs() {
		need := ""
		switch spec.Attribute {
		case domain.AttributeQuantity:
			need = "数量（点数）"
		case domain.AttributePorts:
			need = "端口数"
		case domain.AttributeWatts:
			need = "功率（W）"
		}
		out = append(out, []string{spec.System.Label(), spec.Name, spec.Unit, need, ""})
	}
	return out
}
