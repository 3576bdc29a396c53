package forms

import (
	"fmt"
	"strings"
	"time"

	"elvcare/domain"
)

// ContactInput is what a 客户服务联络单 is made from.
type ContactInput struct {
	Ticket  domain.Ticket
	Company domain.Company
	// Zone is where the form's times are read (Asia/Shanghai).
	Zone *time.Location
	// Names maps user ids to display names (the technicians).
	Names map[string]string
	// Devices maps equipment ids to a short description (kind, model,
	// location) for the service requested and the replaced devices.
	Devices map[string]string
	// Printed is when the form is printed (the footer).
	Printed time.Time
}

// ContactForm builds the print model of a ticket's 客户服务联络单
// (R-FORM-1): header, parties, customer type, service requested, solution
// with parts and swaps, result, remarks, acceptance and signature.
func ContactForm(in ContactInput) Form {
	t := in.Ticket
	z := zoneOr(in.Zone)
	f := Form{
		Kind:        KindContact,
		Title:       "客户服务联络单",
		Company:     letterhead(in.Company),
		NumberLabel: "联络单编号",
		Number:      numberOf(t),
		Party:       partyOf(t, z),
		CustomerType: &Choice{Label: "客户属性", Options: []Option{
			{Label: domain.CustomerTypeWarranty.Label(), Checked: t.CustomerType == domain.CustomerTypeWarranty},
			{Label: domain.CustomerTypeAnnual.Label(), Checked: t.CustomerType == domain.CustomerTypeAnnual},
			{Label: domain.CustomerTypePerVisit.Label(), Checked: t.CustomerType == domain.CustomerTypePerVisit},
			{Label: domain.CustomerTypeLiaison.Label(), Checked: t.CustomerType == domain.CustomerTypeLiaison || t.Liaison},
		}},
		Requested: &Text{Label: "待服务内容", Lines: requestedLines(t, in.Devices)},
		Solution:  solutionOf(t, in.Devices),
		Result:    resultOf(t.Result),
		Remarks:   &Text{Label: "备注", Lines: remarkLines(t)},
		Staff:     []Field{{Label: "技术人员", Value: crewNames(t, in.Names)}},
	}
	f.Acceptance = acceptanceOf(t.Acceptance, "")
	f.Signature, f.Attachments = signatureOf(t, z)
	f.Footer = Footer{Left: fmt.Sprintf("%s %s · 打印于 %s", f.Title, f.Number, in.Printed.In(z).Format(minuteLayout))}
	return f
}

const (
	dateLayout   = "2006-01-02"
	minuteLayout = "2006-01-02 15:04"
)

func zoneOr(z *time.Location) *time.Location {
	if z == nil {
		return time.UTC
	}
	return z
}

func letterhead(co domain.Company) Company {
	return Company{Name: co.Name, AddressLabel: "地址", Address: co.Address, HotlineLabel: "服务热线", Hotline: co.Hotline,
		LogoHash: co.LogoHash}
}

func numberOf(t domain.Ticket) string {
	if t.Number != "" {
		return t.Number
	}
	return t.Provisional
}

func partyOf(t domain.Ticket, z *time.Location) Party {
	addr := t.Address
	if t.SiteName != "" && !strings.Contains(addr, t.SiteName) {
		addr = strings.TrimSpace(addr + "（" + t.SiteName + "）")
	}
	return Party{
		Customer:    Field{Label: "客户名称", Value: t.CustomerName},
		Contact:     Field{Label: "联系人", Value: t.ContactName},
		Phone:       Field{Label: "电话", Value: t.ContactPhone},
		Address:     Field{Label: "地址", Value: addr},
		ServiceTime: Field{Label: "服务时间", Value: serviceTime(t, z)},
	}
}

// serviceTime is the visit: from arrival to the result when both are
// known, else the agreed appointment, else the desk's planned date.
func serviceTime(t domain.Ticket, z *time.Location) string {
	switch {
	case t.ArrivedAt != nil:
		start := t.ArrivedAt.In(z)
		var end *time.Time
		if t.ResultAt != nil && t.ResultAt.In(z).Format(minuteLayout) != start.Format(minuteLayout) && t.ResultAt.After(*t.ArrivedAt) {
			e := t.ResultAt.In(z)
			end = &e
		}
		switch {
		case end == nil:
			return start.Format(minuteLayout)
		case end.Format(dateLayout) == start.Format(dateLayout):
			return start.Format(minuteLayout) + "–" + end.Format("15:04")
		default:
			return start.Format(minuteLayout) + " 至 " + end.Format(minuteLayout)
		}
	case t.Appointment != nil:
		return t.Appointment.At.In(z).Format(minuteLayout) + "（预约）"
	case !t.PlannedDate.IsZero():
		return t.PlannedDate.String() + "（计划）"
	}
	return ""
}

func requestedLines(t domain.Ticket, devices map[string]string) []string {
	lines := splitLines(t.Requested)
	if t.Condition != "" {
		lines = append(lines, "现状："+oneLine(t.Condition))
	}
	var eqs []string
	for _, id := range t.EquipmentIDs {
		if d := devices[id]; d != "" {
			eqs = append(eqs, d)
		}
	}
	sys := ""
	if t.System.Valid() {
		sys = "系统：" + t.System.Label()
	}
	switch {
	case sys != "" && len(eqs) > 0:
		lines = append(lines, sys+"；设备："+strings.Join(eqs, "、"))
	case sys != "":
		lines = append(lines, sys)
	case len(eqs) > 0:
		lines = append(lines, "设备："+strings.Join(eqs, "、"))
	}
	return lines
}

func solutionOf(t domain.Ticket, devices map[string]string) *Solution {
	s := &Solution{Label: "处理方案", Work: []string{}, PartsLabel: "使用配件", Parts: []string{},
		SwapsLabel: "更换设备（旧序列号 → 新序列号）", Swaps: []Swap{}}
	for _, w := range t.Work {
		s.Work = append(s.Work, oneLine(w.Text))
	}
	for _, p := range t.Parts {
		line := p.Name
		if p.Model != "" {
			line += " " + p.Model
		}
		line += fmt.Sprintf(" × %d", p.Qty)
		if p.Note != "" {
			line += "（" + oneLine(p.Note) + "）"
		}
		s.Parts = append(s.Parts, line)
	}
	for _, sw := range t.Swaps {
		dev := devices[sw.EquipmentID]
		if dev == "" {
			dev = "设备"
		}
		old := sw.OldSerial
		if old == "" {
			old = "未记录"
		}
		s.Swaps = append(s.Swaps, Swap{Device: dev, OldSerial: old, NewSerial: sw.NewSerial, NewModel: sw.NewModel})
	}
	var site []string
	for _, p := range t.Photos {
		if !p.Paper {
			c := p.Caption
			if c == "" {
				c = "现场照片"
			}
			site = append(site, c)
		}
	}
	if len(site) > 0 {
		s.PhotosNote = fmt.Sprintf("现场照片 %d 张（%s），已存入客户服务档案", len(site), strings.Join(site, "、"))
	}
	return s
}

func resultOf(r *domain.TicketResult) *Result {
	res := &Result{Label: "处理结果",
		Done:    Option{Label: domain.ResultDone.Label()},
		NotDone: Option{Label: domain.ResultNotDone.Label()}}
	for _, reason := range []domain.NotDoneReason{domain.NotDoneNeedsRepair, domain.NotDoneNeedsContact, domain.NotDoneOther} {
		res.Reasons = append(res.Reasons, Option{Label: reason.Label(),
			Checked: r != nil && r.Status == domain.ResultNotDone && r.Reason == reason})
	}
	if r != nil {
		res.Done.Checked = r.Status == domain.ResultDone
		res.NotDone.Checked = r.Status == domain.ResultNotDone
	}
	return res
}

func remarkLines(t domain.Ticket) []string {
	if t.Result == nil {
		return []string{}
	}
	return splitLines(t.Result.Remark)
}

func crewNames(t domain.Ticket, names map[string]string) string {
	lead := t.LeadName
	if n := names[t.Lead]; n != "" {
		lead = n
	}
	var helpers []string
	for _, h := range t.Helpers {
		if n := names[h]; n != "" {
			helpers = append(helpers, n)
		}
	}
	if len(helpers) == 0 {
		return lead
	}
	return lead + "（协助：" + strings.Join(helpers, "、") + "）"
}

// splitLines keeps the line breaks the user typed, without blank lines.
func splitLines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(splitLines(s), " ") }
