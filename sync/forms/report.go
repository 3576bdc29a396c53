package forms

import (
	"fmt"
	"time"

	"elvcare/domain"
)

// ReportInput is what a maintenance report (定期维护, R-FORM-2) is made
// from: the report's number, template snapshot and answers, and the ticket
// of the visit, whose acceptance and signature the report carries.
type ReportInput struct {
	Ticket   domain.Ticket
	Number   string // 定期维护单编号: WB-2026-00001
	Template domain.ChecklistTemplate
	Answers  map[string]domain.ChecklistAnswer
	Summary  string // 维护总结
	Lead     string // 维护负责人's name
	Date     time.Time
	Company  domain.Company
	Zone     *time.Location
	Printed  time.Time
}

// summaryKey is the template item that holds the 维护总结; it prints below
// the table, not as a row of it.
const summaryKey = "summary"

// MaintenanceReport builds the print model of a maintenance report: every
// item of the template in its own wording, numbered per section as on
// paper, with the boxes ticked or the counts filled, then 维护总结,
// 维护负责人, 维护日期 and the customer's block.
func MaintenanceReport(in ReportInput) Form {
	t := in.Ticket
	z := zoneOr(in.Zone)
	summary := in.Summary
	cl := &Checklist{Columns: [3]string{"项目", "维护内容", "处理结果"}, Sections: []ReportSection{}}
	for _, sec := range in.Template.Sections {
		rs := ReportSection{Title: sec.Title}
		for _, it := range sec.Items {
			a, answered := in.Answers[it.Key]
			if it.Key == summaryKey && it.Kind == domain.AnswerText {
				if summary == "" && answered {
					summary = a.Text
				}
				continue
			}
			rs.Items = append(rs.Items, reportItem(len(rs.Items)+1, it, a, answered))
		}
		if len(rs.Items) > 0 {
			cl.Sections = append(cl.Sections, rs)
		}
	}
	date := ""
	if !in.Date.IsZero() {
		date = in.Date.In(z).Format(dateLayout)
	}
	f := Form{
		Kind:        KindMaintenance,
		Title:       in.Template.Title,
		Company:     letterhead(in.Company),
		NumberLabel: "定期维护单编号",
		Number:      in.Number,
		Party:       partyOf(t, z),
		Checklist:   cl,
		Summary:     &Text{Label: "维护总结", Lines: splitLines(summary)},
		Staff:       []Field{{Label: "维护负责人", Value: in.Lead}, {Label: "维护日期", Value: date}},
	}
	f.Acceptance = acceptanceOf(t.Acceptance, "客户填写")
	f.Signature, f.Attachments = signatureOf(t, z)
	ref := in.Number
	if n := numberOf(t); n != "" {
		ref += "（联络单 " + n + "）"
	}
	f.Footer = Footer{Left: fmt.Sprintf("定期维护单 %s · 打印于 %s", ref, in.Printed.In(z).Format(minuteLayout))}
	return f
}

func reportItem(no int, it domain.ChecklistItem, a domain.ChecklistAnswer, answered bool) ReportItem {
	ri := ReportItem{No: no, Text: it.Text, Answered: answered, Note: oneLine(a.Note)}
	switch it.Kind {
	case domain.AnswerChoice:
		for _, o := range it.Options {
			ri.Options = append(ri.Options, Option{Label: o.Label, Checked: answered && a.Choice == o.Key})
		}
	case domain.AnswerCount:
		for _, c := range it.Counters {
			cnt := Count{Label: c.Label, Unit: it.Unit}
			if n, ok := a.Counts[c.Key]; answered && ok {
				cnt.Value = &n
			}
			ri.Counts = append(ri.Counts, cnt)
		}
	case domain.AnswerText:
		ri.Answer = oneLine(a.Text)
	}
	return ri
}
