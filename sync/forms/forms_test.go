package forms_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync/forms"
)

var (
	shanghai = time.FixedZone("CST", 8*3600)
	day      = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
)

// renderer returns a renderer over the installed font, or skips: the PDF
// tests need Debian's fonts-droid-fallback (make deps-test installs it).
func renderer(t *testing.T) *forms.Renderer {
	t.Helper()
	r := forms.NewRenderer(forms.Options{})
	if err := r.Check(); err != nil {
		t.Skipf("no CJK font, PDF tests skipped (apt-get install fonts-droid-fallback): %v", err)
	}
	return r
}

// poppler runs a poppler tool (pdftotext, pdffonts) on pdf.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s missing (apt-get install poppler-utils)", tool)
	}
	path := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{}, args...), path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

// dump keeps a PDF for a person to look at when FORMS_DUMP names a folder.
func dump(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("FORMS_DUMP"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func signaturePNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 20; x < 280; x++ {
		y := 50 + int(25*sinApprox(float64(x)/20))
		for dy := -2; dy <= 2; dy++ {
			img.Set(x, y+dy, color.NRGBA{0, 0, 80, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sinApprox(x float64) float64 {
	for x > 3.14159 {
		x -= 2 * 3.14159
	}
	return x - x*x*x/6 + x*x*x*x*x/120
}

func at(h, m int) *time.Time {
	v := time.Date(2026, 11, 25, h-8, m, 0, 0, time.UTC)
	return &v
}

func sampleTicket() domain.Ticket {
	return domain.Ticket{
		ID: "t1", Number: "LL-2026-00418", CustomerName: "深圳市华强物业管理有限公司", SiteName: "华强大厦",
		Address: "深圳市福田区华强北路 1019 号", ContactName: "刘经理", ContactPhone: "138 0226 1234",
		System: domain.SystemCCTV, Requested: "地下二层停车场的监控录像机没有画面了", Condition: "录像机前面板硬盘灯不亮",
		CustomerType: domain.CustomerTypeAnnual, Lead: "u-wang", LeadName: "王工", Helpers: []string{"u-zhang"},
		ArrivedAt: at(14, 5), ResultAt: at(16, 30), EquipmentIDs: []string{"eq1"},
		Work:   []domain.WorkRecord{{Text: "检查发现 1 号硬盘故障，更换 4TB 监控硬盘并重建录像计划"}, {Text: "逐路检查 16 路摄像机画面，均已恢复正常"}},
		Parts:  []domain.PartUsed{{Name: "监控硬盘", Model: "希捷 ST4000VX", Qty: 1}, {Name: "SATA 数据线", Qty: 2}},
		Swaps:  []domain.DeviceSwap{{EquipmentID: "eq1", OldSerial: "DS7816N20230511AA", NewSerial: "DS7816N20261125BB"}},
		Photos: []domain.Photo{{Hash: "p1", Caption: "更换后的硬盘"}},
		Result: &domain.TicketResult{Status: domain.ResultDone, Remark: "建议三个月后复查硬盘状态"},
		Acceptance: &domain.Acceptance{EquipmentOK: true, Accessories: domain.AccessoriesNone,
			Satisfaction: domain.SatisfactionVerySatisfied, Comments: "响应及时，师傅很专业"},
		Signature: &domain.Signature{ImageHash: "sig", ContentHash: strings.Repeat("3f9a", 16), SignerName: "刘经理",
			SignedAt: *at(16, 35)},
	}
}

func contactInput() forms.ContactInput {
	return forms.ContactInput{Ticket: sampleTicket(),
		Company: domain.Company{Name: "深圳市弱电工程技术有限公司", Address: "深圳市南山区科技园科苑路 15 号", Hotline: "0755-8888 6666"},
		Zone:    shanghai, Names: map[string]string{"u-wang": "王工", "u-zhang": "张工"},
		Devices: map[string]string{"eq1": "硬盘录像机 海康威视 DS-7816N-K2（地下二层停车场）"}, Printed: day}
}

func TestContactFormModel(t *testing.T) {
	f := forms.ContactForm(contactInput())
	if f.Title != "客户服务联络单" || f.NumberLabel != "联络单编号" || f.Number != "LL-2026-00418" {
		t.Errorf("head %q %q %q", f.Title, f.NumberLabel, f.Number)
	}
	if got := f.Party.ServiceTime.Value; got != "2026-11-25 14:05–16:30" {
		t.Errorf("service time %q", got)
	}
	var ticked []string
	for _, o := range f.CustomerType.Options {
		if o.Checked {
			ticked = append(ticked, o.Label)
		}
	}
	if len(f.CustomerType.Options) != 4 || strings.Join(ticked, ",") != "按年合同客户" {
		t.Errorf("customer type %+v", f.CustomerType)
	}
	if !f.Result.Done.Checked || f.Result.NotDone.Checked || len(f.Result.Reasons) != 3 {
		t.Errorf("result %+v", f.Result)
	}
	if sw := f.Solution.Swaps; len(sw) != 1 || sw[0].OldSerial != "DS7816N20230511AA" || !strings.Contains(sw[0].Device, "DS-7816N-K2") {
		t.Errorf("swaps %+v", sw)
	}
	sat := f.Acceptance.Items[2]
	if sat.Label != "满意度" || !sat.Options[0].Checked || sat.Options[0].Label != "很满意" {
		t.Errorf("satisfaction %+v", sat)
	}
	if !f.Signature.Signed || f.Signature.Date != "2026-11-25 16:35" || f.Signature.ImageHash != "sig" {
		t.Errorf("signature %+v", f.Signature)
	}
}

func TestContactFormPDF(t *testing.T) {
	r := renderer(t)
	imgs := forms.Images{"sig": signaturePNG(t)}
	pdf, err := r.PDF(forms.ContactForm(contactInput()), imgs, day)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "contact.pdf", pdf)
	text := poppler(t, "pdftotext", pdf, "-layout")
	for _, want := range []string{"客户服务联络单", "联络单编号", "LL-2026-00418", "深圳市华强物业管理有限公司", "客户属性", "按年合同客户",
		"《联络函》服务客户", "待服务内容", "处理方案", "希捷 ST4000VX", "DS7816N20230511AA → DS7816N20261125BB", "处理结果",
		"已完成服务", "需返修、更换设备", "满意度", "很满意", "服务态度", "宝贵意见", "响应及时", "签字人：刘经理",
		"签名内容摘要（SHA-256）", strings.Repeat("3f9a", 16), "深圳市弱电工程技术有限公司", "0755-8888 6666"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	fonts := poppler(t, "pdffonts", pdf)
	if !regexp.MustCompile(`(?m)^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`).MatchString(fonts) {
		t.Errorf("no embedded subset CJK font:\n%s", fonts)
	}
	if len(pdf) > 400<<10 {
		t.Errorf("the PDF is %d KB: is the font subset?", len(pdf)>>10)
	}
}

func TestContactFormPaperAndUnsigned(t *testing.T) {
	r := renderer(t)
	in := contactInput()
	in.Ticket.Signature = &domain.Signature{ImageHash: "paper", ContentHash: strings.Repeat("ab", 32), SignedAt: *at(17, 0), Paper: true}
	in.Ticket.Photos = append(in.Ticket.Photos, domain.Photo{Hash: "paper", Caption: "纸质联络单", Paper: true})
	f := forms.ContactForm(in)
	if len(f.Attachments) != 1 || f.Signature.ImageHash != "" || !strings.Contains(f.Signature.PaperNote, "纸质") {
		t.Fatalf("paper signature %+v %+v", f.Signature, f.Attachments)
	}
	pdf, err := r.PDF(f, forms.Images{"paper": signaturePNG(t)}, day)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "contact-paper.pdf", pdf)
	text := poppler(t, "pdftotext", pdf)
	for _, want := range []string{"纸质联络单上签字", "附：客户签字的纸质联络单照片", "第 2 页，共 2 页"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	// An unsigned ticket prints with empty boxes and no digest.
	in = contactInput()
	in.Ticket.Signature, in.Ticket.Acceptance, in.Ticket.Result = nil, nil, nil
	f = forms.ContactForm(in)
	for _, it := range f.Acceptance.Items {
		for _, o := range it.Options {
			if o.Checked {
				t.Errorf("unsigned form ticks %s", o.Label)
			}
		}
	}
	pdf, err = r.PDF(f, nil, day)
	if err != nil {
		t.Fatal(err)
	}
	if text := poppler(t, "pdftotext", pdf); !strings.Contains(text, "客户尚未签字") {
		t.Errorf("unsigned form: %s", text)
	}
}

func TestLongContentBreaksPages(t *testing.T) {
	r := renderer(t)
	in := contactInput()
	for i := 0; i < 40; i++ {
		in.Ticket.Work = append(in.Ticket.Work, domain.WorkRecord{Text: "逐层检查弱电井内的交换机与配线架，重新整理跳线并贴标签 ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"})
	}
	pdf, err := r.PDF(forms.ContactForm(in), nil, day)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "contact-long.pdf", pdf)
	text := poppler(t, "pdftotext", pdf)
	if !strings.Contains(text, "第 2 页") || !strings.Contains(text, "（续）") || !strings.Contains(text, "40. 逐层检查") {
		t.Errorf("long form did not continue on a second page:\n%s", text)
	}
}

func reportInput() forms.ReportInput {
	tk := sampleTicket()
	tk.System = domain.SystemAlarm
	n := func(v int) map[string]int { return map[string]int{"checked": v, "normal": v} }
	return forms.ReportInput{Ticket: tk, Number: "WB-2026-00007", Template: domain.IntrusionAlarmTemplate(),
		Answers: map[string]domain.ChecklistAnswer{
			"panel.dust":    {ItemKey: "panel.dust", Choice: "cleaned"},
			"panel.zones":   {ItemKey: "panel.zones", Counts: n(16)},
			"panel.battery": {ItemKey: "panel.battery", Choice: "needs_replacing", Note: "电池鼓包，已报备更换"},
			"beam.dust":     {ItemKey: "beam.dust", Counts: map[string]int{"cleaned": 6, "normal": 5}},
			"pir.battery":   {ItemKey: "pir.battery", Counts: map[string]int{"checked": 12, "replaced": 3}},
		},
		Summary: "系统总体运行正常，后备电池需更换。", Lead: "王工", Date: day,
		Company: contactInput().Company, Zone: shanghai, Printed: day}
}

func TestMaintenanceReport(t *testing.T) {
	f := forms.MaintenanceReport(reportInput())
	if f.Title != "红外防盗报警系统点检维护工作报告" || f.NumberLabel != "定期维护单编号" || f.Number != "WB-2026-00007" {
		t.Errorf("head %q %q %q", f.Title, f.NumberLabel, f.Number)
	}
	if len(f.Checklist.Sections) != 3 || len(f.Checklist.Sections[0].Items) != 6 {
		t.Fatalf("sections %+v", f.Checklist.Sections)
	}
	zones := f.Checklist.Sections[0].Items[1]
	if zones.No != 2 || *zones.Counts[0].Value != 16 || zones.Counts[1].Label != "正常" || zones.Counts[1].Unit != "个" {
		t.Errorf("zones %+v", zones)
	}
	if f.Summary.Lines[0] != "系统总体运行正常，后备电池需更换。" || f.Staff[0].Value != "王工" || f.Staff[1].Value != "2026-11-25" {
		t.Errorf("summary %+v staff %+v", f.Summary, f.Staff)
	}
	r := renderer(t)
	pdf, err := r.PDF(f, forms.Images{"sig": signaturePNG(t)}, day)
	if err != nil {
		t.Fatal(err)
	}
	dump(t, "report.pdf", pdf)
	text := poppler(t, "pdftotext", pdf)
	for _, want := range []string{"红外防盗报警系统点检维护工作报告", "定期维护单编号", "WB-2026-00007", "深圳市华强物业管理有限公司",
		"防盗主机", "清理防盗主机的灰尘", "已清理", "检查 16 个，正常 16 个", "已清理 6 对，正常 5 对", "检查 12 个，已更换 3 个",
		"不清晰已处理", "主动对射探头", "被动探头", "更换无线探头的电池", "电池鼓包", "维护总结", "维护负责人", "维护日期",
		"客户填写", "满意度", "签名内容摘要"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
}

func TestNoFont(t *testing.T) {
	r := forms.NewRenderer(forms.Options{FontPath: filepath.Join(t.TempDir(), "missing.ttf")})
	_, err := r.PDF(forms.ContactForm(contactInput()), nil, day)
	if !errors.Is(err, forms.ErrNoFont) {
		t.Fatalf("err %v, want ErrNoFont", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.ttc")
	if err := os.WriteFile(bad, []byte("ttcf\x00\x01\x00\x00 not a font"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := forms.NewRenderer(forms.Options{FontPath: bad}).Check(); !errors.Is(err, forms.ErrNoFont) {
		t.Errorf("a collection: %v, want ErrNoFont", err)
	}
}
