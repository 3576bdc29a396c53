package forms

import (
	"fmt"
	"math"
	"strings"
)

// The grid of the forms' tables, in mm; the columns of every row line up
// with it: label | value | label | value | label | value.
const (
	colLabel = 22.0
	colWide  = 106.0 // 地址, signature: the first three value columns
	colName  = 62.0
	colLabl2 = 18.0
	colMid   = 26.0
	colLast  = 34.0
	colRest  = contentW - colLabel
	// The maintenance table: 项目 | 维护内容 | 处理结果.
	colItem   = colWide
	colResult = contentW - colLabel - colItem

	rowMin = 8.0
)

func (d *doc) form(f Form) {
	d.header(f)
	d.beginTable()
	d.party(f.Party)
	switch f.Kind {
	case KindMaintenance:
		d.checklist(f)
	default:
		d.contactBody(f)
	}
	d.together(append(d.acceptance(f.Acceptance), d.signature(f.Signature)))
	d.endTable()
	d.digest(f.Signature)
}

// header is the letterhead — logo, company name, address and hotline —
// then the title and the form's number.
func (d *doc) header(f Form) {
	top := d.y
	co := f.Company
	var sub []string
	if co.Address != "" {
		sub = append(sub, co.AddressLabel+"："+co.Address)
	}
	if co.Hotline != "" {
		sub = append(sub, co.HotlineLabel+"："+co.Hotline)
	}
	subLine := strings.Join(sub, "　　")
	logoW := 0.0
	if co.LogoHash != "" {
		logoW, _ = d.image(co.LogoHash, marginX, top, 36, 12.5)
	}
	if logoW > 0 {
		x := marginX + logoW + 4
		d.text(x, top+6, co.Name, stCompany)
		if subLine != "" {
			d.text(x, top+12, subLine, style{size: 9})
		}
	} else {
		d.centered(top+6, co.Name, stCompany)
		if subLine != "" {
			d.centered(top+12, subLine, style{size: 9})
		}
	}
	rule := top + 14.5
	if subLine == "" {
		rule = top + 9.5
	}
	d.p.SetLineWidth(0.6)
	d.p.Line(marginX, rule, pageW-marginX, rule)
	d.p.SetLineWidth(thinLine)
	d.p.Line(marginX, rule+0.9, pageW-marginX, rule+0.9)
	d.centered(rule+10, f.Title, stTitle)
	num := f.NumberLabel + "：" + f.Number
	d.text(pageW-marginX-d.width(num, stBody), rule+16, num, stBody)
	d.y = rule + 18
}

func (d *doc) centered(base float64, s string, st style) {
	d.text((pageW-d.width(s, st))/2, base, s, st)
}

func (d *doc) party(p Party) {
	d.row(rowMin,
		d.labelCell(colLabel, p.Customer.Label), d.textCell(colName, p.Customer.Value),
		d.labelCell(colLabl2, p.Contact.Label), d.textCell(colMid, p.Contact.Value),
		d.labelCell(colLabl2, p.Phone.Label), d.textCell(colLast, p.Phone.Value))
	d.row(rowMin,
		d.labelCell(colLabel, p.Address.Label), d.textCell(colWide, p.Address.Value),
		d.labelCell(colLabl2, p.ServiceTime.Label), d.textCell(colLast, p.ServiceTime.Value))
}

// lines is a flow of the lines, one under the other.
func (d *doc) lines(ls []string) *flow {
	f := d.flow(stBody)
	for i, l := range ls {
		if i > 0 {
			f.Break()
		}
		f.Text(l)
	}
	return f
}

func (d *doc) contactBody(f Form) {
	if ct := f.CustomerType; ct != nil {
		d.row(rowMin, d.labelCell(colLabel, ct.Label), d.valueCell(colRest, d.flow(stBody).Boxes(ct.Options)))
	}
	if r := f.Requested; r != nil {
		d.row(16, d.labelCell(colLabel, r.Label), d.valueCell(colRest, d.lines(r.Lines)))
	}
	if s := f.Solution; s != nil {
		d.row(28, d.labelCell(colLabel, s.Label), d.valueCell(colRest, d.solution(s)))
	}
	if r := f.Result; r != nil {
		fl := d.flow(stBody).Box(r.Done).Space(5).Box(r.NotDone).Glued("（")
		for i, o := range r.Reasons {
			if i > 0 {
				fl.Space(2.5)
			}
			fl.Box(o)
		}
		fl.Glued("）")
		d.row(rowMin, d.labelCell(colLabel, r.Label), d.valueCell(colRest, fl))
	}
	if r := f.Remarks; r != nil {
		d.row(12, d.labelCell(colLabel, r.Label), d.valueCell(colRest, d.lines(r.Lines)))
	}
	for _, s := range f.Staff {
		d.row(rowMin, d.labelCell(colLabel, s.Label), d.textCell(colRest, s.Value))
	}
}

// solution prints the work, then the parts, the replaced devices and the
// photos (R-TKT-4).
func (d *doc) solution(s *Solution) *flow {
	f := d.flow(stBody)
	n := 0
	next := func() {
		if n > 0 {
			f.Break()
		}
		n++
	}
	for i, w := range s.Work {
		next()
		f.Text(fmt.Sprintf("%d. ", i+1)).Glued(w)
	}
	if len(s.Parts) > 0 {
		next()
		f.Text(s.PartsLabel + "：").Glued(strings.Join(s.Parts, "；"))
	}
	if len(s.Swaps) > 0 {
		next()
		f.Text(s.SwapsLabel + "：")
		for _, sw := range s.Swaps {
			f.Break().Text(sw.Device + "：").Keep(sw.OldSerial + " → " + sw.NewSerial)
			if sw.NewModel != "" {
				f.Glued("（新型号 ").Glued(sw.NewModel + "）")
			}
		}
	}
	if s.PhotosNote != "" {
		next()
		f.Text(s.PhotosNote)
	}
	return f
}

// checklist is the maintenance table: a heading row, each section with
// its title in a cell spanning its items, then 维护总结 and who and when.
func (d *doc) checklist(f Form) {
	cl := f.Checklist
	if cl == nil {
		return
	}
	d.row(8, d.labelCell(colLabel, cl.Columns[0]), d.labelCell(colItem, cl.Columns[1]), d.labelCell(colResult, cl.Columns[2]))
	for _, s := range cl.Sections {
		d.section(s)
	}
	if s := f.Summary; s != nil {
		d.row(12, d.labelCell(colLabel, s.Label), d.valueCell(colRest, d.lines(s.Lines)))
	}
	if len(f.Staff) == 2 {
		d.row(rowMin, d.labelCell(colLabel, f.Staff[0].Label), d.textCell(colWide, f.Staff[0].Value),
			d.labelCell(colLabl2, f.Staff[1].Label), d.textCell(colLast, f.Staff[1].Value))
	}
}

func (d *doc) section(s ReportSection) {
	var rows [][]laid
	var hs []float64
	total := 0.0
	for _, it := range s.Items {
		text := d.flow(stBody).Text(fmt.Sprintf("%d  ", it.No)).Glued(it.Text)
		if it.Note != "" {
			text.Break().Text("备注：").Glued(it.Note)
		}
		cells := []cell{d.valueCell(colItem, text), d.valueCell(colResult, d.answer(it))}
		ls, h := d.layout(7.5, cells)
		rows, hs = append(rows, ls), append(hs, h)
		total += h
	}
	if d.y+total > contentBottom && total <= contentBottom-marginTop-8 {
		d.newPage()
	}
	title := d.labelCell(colLabel, s.Title)
	start := d.y
	closeTitle := func() {
		if d.y > start {
			lt := laid{cell: title, lines: title.content.wrap(colLabel - 2*padX), lh: lineHeight(title.content.st)}
			d.drawCell(marginX, start, d.y-start, lt)
		}
	}
	for i, ls := range rows {
		if d.y+hs[i] > contentBottom {
			closeTitle()
			d.newPage()
			start = d.y
		}
		x := marginX + colLabel
		for _, c := range ls {
			d.drawCell(x, d.y, hs[i], c)
			x += c.w
		}
		d.y += hs[i]
	}
	closeTitle()
}

// layout lays cells out and gives the row's height.
func (d *doc) layout(minH float64, cells []cell) ([]laid, float64) {
	ls := make([]laid, len(cells))
	h := minH
	for i, c := range cells {
		ls[i] = laid{cell: c, lines: c.content.wrap(c.w - 2*padX), lh: lineHeight(c.content.st)}
		h = math.Max(h, ls[i].height())
	}
	return ls, h
}

// answer is an item's result as the paper has it: the options with one
// ticked, or the counts written in (检查 8 个，正常 8 个).
func (d *doc) answer(it ReportItem) *flow {
	f := d.flow(stBody)
	switch {
	case len(it.Options) > 0:
		f.Boxes(it.Options)
	case len(it.Counts) > 0:
		f.Box(Option{Checked: it.Answered})
		for i, c := range it.Counts {
			v := "____"
			if c.Value != nil {
				v = fmt.Sprint(*c.Value)
			}
			part := c.Label + " " + v + " " + c.Unit
			if i > 0 {
				f.Glued("，")
			}
			f.Glued(part)
		}
	default:
		f.Text(it.Answer)
	}
	return f
}

// rowSpec is a row not yet drawn.
type rowSpec struct {
	minH  float64
	cells []cell
}

// together draws rows on one page: when they do not fit on what is left
// of this one (and do on a page of their own) they start the next.
func (d *doc) together(rows []rowSpec) {
	total := 0.0
	for _, r := range rows {
		_, h := d.layout(r.minH, r.cells)
		total += h
	}
	if d.y+total > contentBottom && total <= contentBottom-marginTop-8 {
		d.newPage()
	}
	for _, r := range rows {
		d.row(r.minH, r.cells...)
	}
}

// acceptance is the customer's block (R-TKT-6): the greeting (beside
// 客户填写 on the report), the four questions, the comments.
func (d *doc) acceptance(a Acceptance) []rowSpec {
	greeting := d.flow(stBody).Text(a.Greeting)
	rows := []rowSpec{{7.5, []cell{{w: contentW, content: greeting}}}}
	if a.Heading != "" {
		rows[0].cells = []cell{d.labelCell(colLabel, a.Heading), d.valueCell(colRest, greeting)}
	}
	for _, it := range a.Items {
		fl := d.flow(stBody).Text(fmt.Sprintf("%d  ", it.No)).Glued(it.Question).Space(3).Boxes(it.Options)
		rows = append(rows, rowSpec{7.5, []cell{d.labelCell(colLabel, it.Label), d.valueCell(colRest, fl)}})
	}
	fl := d.flow(stBody).Text(a.Comments.Label)
	for _, l := range a.Comments.Lines {
		fl.Break().Text(l)
	}
	return append(rows, rowSpec{12, []cell{d.labelCell(colLabel, "宝贵意见"), d.valueCell(colRest, fl)}})
}

// signature is the last row: the drawn signature and the signer's name,
// or the note of a paper signature, and the date.
func (d *doc) signature(s Signature) rowSpec {
	fl := d.flow(stBody)
	sig := d.valueCell(colWide, fl)
	switch {
	case s.Paper:
		fl.Text(s.PaperNote)
	case s.Signed:
		if s.ImageHash != "" && d.register(s.ImageHash) != "" {
			sig.image, sig.imageH = s.ImageHash, 12
		}
		if s.SignerName != "" {
			fl.Text("签字人：").Glued(s.SignerName)
		}
	}
	return rowSpec{18, []cell{d.labelCell(colLabel, s.Label), sig, d.labelCell(colLabl2, s.DateLabel), d.textCell(colLast, s.Date)}}
}

// digest prints, small, the SHA-256 of the signed content under the
// table, for verification.
func (d *doc) digest(s Signature) {
	fl := d.flow(stSmall)
	if s.Signed {
		fl.Text(s.DigestLabel + "：").Glued(s.Digest).Break().Text(s.DigestNote)
	} else {
		fl.Text("客户尚未签字。")
	}
	d.y += 1.5
	d.p.SetTextColor(70, 70, 70)
	d.paragraph(fl, marginX, contentW)
	d.p.SetTextColor(0, 0, 0)
}

// paragraph draws a flow without borders at y.
func (d *doc) paragraph(fl *flow, x, w float64) {
	lh := lineHeight(fl.st)
	for _, ln := range fl.wrap(w) {
		d.room(lh)
		d.drawLine(x, d.y, ln, fl.st)
		d.y += lh
	}
}

// attachments prints each picture on a page of its own, as large as fits.
func (d *doc) attachments(f Form) {
	for _, a := range f.Attachments {
		if d.register(a.Hash) == "" {
			continue
		}
		d.newPage()
		d.text(marginX, d.y+5, a.Caption, style{size: 12, bold: true})
		d.y += 9
		if w, h := d.image(a.Hash, marginX, d.y, contentW, contentBottom-d.y); w > 0 {
			d.p.SetDrawColor(160, 160, 160)
			d.p.Rect(marginX, d.y, w, h, "D")
			d.p.SetDrawColor(0, 0, 0)
		}
	}
}
