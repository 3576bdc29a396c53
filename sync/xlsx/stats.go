package xlsx

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"elvcare/domain"
)

// StatsWorkbook writes a month's per-technician statistics (R-SAT-2) as
// .xlsx with Chinese headers, streamed so a large month stays small in
// memory; text cells are neutralised against formula injection.
func StatsWorkbook(label string, rows []domain.TechMonth) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "满意度统计"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(1, 1, 14); err != nil {
		return nil, err
	}
	if err := sw.SetColWidth(2, 14, 11); err != nil {
		return nil, err
	}
	title := []any{excelize.Cell{StyleID: bold, Value: Neutralize("技术人员满意度统计 " + label)}}
	if err := sw.SetRow("A1", title); err != nil {
		return nil, err
	}
	headers := []string{"技术人员", "工单数", "总分", "平均分", "很满意", "满意", "一般", "不表态", "不满意",
		"服务态度", "技术水平", "响应速度", "一次修复率", "平均到场（小时）"}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A2", head, excelize.RowOpts{Height: 20}); err != nil {
		return nil, err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		vals := []any{Neutralize(r.Name), r.Tickets, r.Total, r.Average,
			r.Levels[domain.SatisfactionVerySatisfied], r.Levels[domain.SatisfactionSatisfied], r.Levels[domain.SatisfactionNeutral],
			r.Levels[domain.SatisfactionBlank], r.Levels[domain.SatisfactionDissatisfied],
			r.Reasons["attitude"], r.Reasons["skill"], r.Reasons["response"],
			fmt.Sprintf("%.0f%%", r.FirstVisitFixRate*100), r.AvgArrivalHours}
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
