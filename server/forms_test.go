package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/server/servertest"
	"elvcare/sync"
	"elvcare/sync/forms"
	"elvcare/sync/store"
)

// needPDFTools skips when the PDF tests cannot run here: they need the CJK
// font (Debian's fonts-droid-fallback) and poppler-utils, which make
// deps-test installs.
func needPDFTools(t *testing.T) {
	t.Helper()
	if err := forms.NewRenderer(forms.Options{}).Check(); err != nil {
		t.Skipf("no CJK font, PDF form tests skipped (apt-get install fonts-droid-fallback): %v", err)
	}
	for _, tool := range []string{"pdftotext", "pdffonts", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s missing, PDF form tests skipped (apt-get install poppler-utils)", tool)
		}
	}
}

// formWorld is a signed 联络单 of an alarm maintenance visit, made through
// the write path as the desk and the technician would: 华强物业's 华强大厦,
// its alarm panel under an annual contract, 王工 on site.
type formWorld struct {
	h                       *servertest.Harness
	desk                    *servertest.Client
	deskActor, wang         sync.Actor
	ticket, checklist, open string
	signature               string
}

func mutate(t *testing.T, h *servertest.Harness, a sync.Actor, name string, args any) json.RawMessage {
	t.Helper()
	raw, _ := json.Marshal(args)
	out, err := h.Engine.Apply(context.Background(), a, sync.Mutation{Name: name, Args: raw})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

func idIn(raw json.RawMessage) string {
	var x struct{ ID string }
	_ = json.Unmarshal(raw, &x)
	return x.ID
}

func signaturePNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for x := 10; x < 230; x++ {
		y := 40 + (x/7%9-4)*3
		for dy := -1; dy <= 1; dy++ {
			img.Set(x, y+dy, color.NRGBA{0, 0, 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// logoPNG is a small company logo: a blue square with a white bar.
func logoPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 120; x++ {
			c := color.NRGBA{20, 80, 160, 255}
			if y > 50 && y < 70 && x > 20 && x < 100 {
				c = color.NRGBA{255, 255, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newFormWorld(t *testing.T) *formWorld {
	t.Helper()
	h := servertest.Start(t)
	w := &formWorld{h: h}
	desk := h.AddUser("chen", "password-chen", domain.RoleDesk)
	w.deskActor = sync.Actor{UserID: desk.ID, Roles: []domain.Role{domain.RoleDesk}, Via: "web"}
	w.desk = h.Login("chen", "password-chen")
	w.wang = sync.Actor{Roles: []domain.Role{domain.RoleTechnician}, Via: "web"}
	w.wang.UserID = idIn(mutate(t, h, sync.System, "user.create", sync.CreateUserArgs{Login: "wang", Name: "王工",
		Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, Skills: []string{"alarm"}, PasswordHash: "h"}))
	d := w.deskActor
	customer := idIn(mutate(t, h, d, "customer.create", sync.CustomerArgs{Name: "深圳市华强物业管理有限公司", Kind: "company"}))
	site := idIn(mutate(t, h, d, "site.create", sync.SiteArgs{CustomerID: customer, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"}))
	mutate(t, h, d, "contact.create", sync.ContactArgs{CustomerID: customer, Name: "刘经理", Phones: []string{"13802261234"}})
	panel := idIn(mutate(t, h, d, "equipment.create", sync.EquipmentArgs{SiteID: site, ItemType: domain.ItemAlarmPanel,
		Model: "霍尼韦尔 VISTA-120", Serial: "VT120-2021-0077", Location: "一楼消防控制室"}))
	mutate(t, h, d, "contract.create", sync.ContractArgs{CustomerID: customer, AuditedBeforeSystem: true, ContractTerms: sync.ContractTerms{
		Number: "HQ-2026-AM-02", Kind: domain.ContractAnnual, Covers: []domain.ContractCover{{SiteID: site, System: domain.SystemAlarm}},
		StartDate: "2026-04-01", EndDate: "2027-03-31", AnnualPriceFen: 560000}})
	open := func(req string) string {
		return idIn(mutate(t, h, d, "ticket.open", sync.OpenTicketArgs{CustomerID: customer, SiteID: site, ContactName: "刘经理",
			ContactPhone: "138 0226 1234", System: "alarm", EquipmentIDs: []string{panel}, Requested: req, PlannedDate: "2026-11-25"}))
	}
	w.ticket = open("季度定期维护：红外防盗报警系统点检")
	w.open = open("三楼东侧对射探头误报")

	sig, _, err := h.Store.Blobs().Put(context.Background(), bytes.NewReader(signaturePNG(t)), 0)
	if err != nil {
		t.Fatal(err)
	}
	logo, _, err := h.Store.Blobs().Put(context.Background(), bytes.NewReader(logoPNG(t)), 0)
	if err != nil {
		t.Fatal(err)
	}
	mutate(t, h, sync.System, "company.update", sync.CompanyArgs{Name: "深圳市安弘弱电工程有限公司",
		Address: "深圳市南山区科技园科苑路 15 号", Hotline: "0755-8888 6666"})
	mutate(t, h, sync.System, "company.setLogo", sync.LogoArgs{Hash: logo})
	w.signature = sig
	id, tw := w.ticket, w.wang
	w.checklist = sync.NewID()
	mutate(t, h, d, "ticket.assign", sync.AssignArgs{ID: id, Lead: tw.UserID})
	mutate(t, h, tw, "ticket.accept", sync.TicketRef{ID: id})
	mutate(t, h, tw, "ticket.callAhead", sync.CallAheadArgs{ID: id, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"})
	mutate(t, h, tw, "ticket.depart", sync.TicketRef{ID: id})
	mutate(t, h, tw, "ticket.arrive", sync.TicketRef{ID: id})
	mutate(t, h, tw, "ticket.addWork", sync.WorkArgs{ID: id, WorkID: sync.NewID(), Text: "按点检表逐项检查防盗主机、对射及被动探头，清洁灰尘"})
	mutate(t, h, tw, "ticket.addPart", sync.PartArgs{ID: id, PartID: sync.NewID(), Name: "后备蓄电池", Model: "12V 7Ah", Qty: 1})
	mutate(t, h, tw, "ticket.swapDevice", sync.SwapArgs{ID: id, SwapID: sync.NewID(), EquipmentID: panel, OldSerial: "VT120-2021-0077", NewSerial: "VT120-2026-0311"})
	mutate(t, h, tw, "checklist.start", sync.ChecklistStartArgs{ID: w.checklist, TicketID: id, TemplateID: domain.IntrusionAlarmTemplateID})
	for _, a := range []domain.ChecklistAnswer{
		{ItemKey: "panel.dust", Choice: "cleaned"},
		{ItemKey: "panel.zones", Counts: map[string]int{"checked": 16, "normal": 16}},
		{ItemKey: "panel.battery", Choice: "needs_replacing", Note: "已更换新电池"},
		{ItemKey: "beam.dust", Counts: map[string]int{"cleaned": 6, "normal": 6}},
		{ItemKey: "pir.battery", Counts: map[string]int{"checked": 12, "replaced": 3}},
	} {
		mutate(t, h, tw, "checklist.setItem", sync.ChecklistItemArgs{ID: w.checklist, Answer: a})
	}
	mutate(t, h, tw, "checklist.setSummary", sync.ChecklistSummaryArgs{ID: w.checklist, Summary: "系统运行正常，已更换防盗主机后备电池。"})
	mutate(t, h, tw, "ticket.setResult", sync.ResultArgs{ID: id, Result: domain.TicketResult{Status: domain.ResultDone}})
	mutate(t, h, tw, "ticket.sign", sync.SignArgs{ID: id, SignatureHash: sig, SignerName: "刘经理", Acceptance: domain.Acceptance{
		EquipmentOK: true, Accessories: domain.AccessoriesYes, Satisfaction: domain.SatisfactionSatisfied, Comments: "师傅很细心"}})
	return w
}

// popplerText runs a poppler tool on pdf and returns what it printed.
func popplerText(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

// renderPage1 renders page 1 at 80 dpi (into FORMS_DUMP when set, for a
// person to look at) and checks it is an A4 page.
func renderPage1(t *testing.T, pdf []byte, name string) {
	t.Helper()
	dir := os.Getenv("FORMS_DUMP")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, name)
	if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width < 660 || cfg.Width > 663 || cfg.Height < 934 || cfg.Height > 937 {
		t.Errorf("page 1 is %dx%d px at 80 dpi, want A4 (661x935)", cfg.Width, cfg.Height)
	}
}

var subsetFont = regexp.MustCompile(`(?m)^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`)

func TestTicketFormPDF(t *testing.T) {
	needPDFTools(t)
	w := newFormWorld(t)
	r := w.desk.Do("GET", "/api/tickets/"+w.ticket+"/form.pdf", nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.Body, []byte("%PDF-")) {
		t.Fatalf("form.pdf: %d %s %.200s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q", cc)
	}
	cd := r.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, `inline; filename="LL-2026-00001.pdf"; filename*=UTF-8''`) ||
		!strings.Contains(cd, "%E5%AE%A2%E6%88%B7%E6%9C%8D%E5%8A%A1%E8%81%94%E7%BB%9C%E5%8D%95-LL-2026-00001.pdf") {
		t.Errorf("Content-Disposition %q", cd)
	}
	text := popplerText(t, "pdftotext", r.Body, "-layout")
	for _, want := range []string{"深圳市安弘弱电工程有限公司", "0755-8888 6666", "客户服务联络单", "联络单编号：LL-2026-00001", "深圳市华强物业管理有限公司", "刘经理", "13802261234",
		"华强大厦", "客户属性", "按年合同客户", "待服务内容", "季度定期维护", "处理方案", "清洁灰尘", "后备蓄电池 12V 7Ah × 1",
		"VT120-2021-0077 → VT120-2026-0311", "防盗主机 霍尼韦尔 VISTA-120", "处理结果", "已完成服务", "满意度", "服务态度",
		"师傅很细心", "签字人：刘经理", "签名内容摘要（SHA-256）", "技术人员", "王工"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	got, _ := w.h.Engine.Tickets().Get(context.Background(), w.ticket)
	if !strings.Contains(text, got.Signature.ContentHash) {
		t.Errorf("the signed content's SHA-256 %s is not printed", got.Signature.ContentHash)
	}
	if fonts := popplerText(t, "pdffonts", r.Body); !subsetFont.MatchString(fonts) {
		t.Errorf("no embedded subset CJK font:\n%s", fonts)
	}
	renderPage1(t, r.Body, "ticket-form")

	// The print model carries the same labels and values for the web view.
	var f forms.Form
	if err := w.desk.Do("GET", "/api/tickets/"+w.ticket+"/print", nil).JSON(&f); err != nil {
		t.Fatal(err)
	}
	if f.Title != "客户服务联络单" || f.Number != "LL-2026-00001" || !f.Result.Done.Checked || !f.Signature.Signed ||
		f.Signature.ImageHash != w.signature || f.Party.Customer.Value != "深圳市华强物业管理有限公司" || f.Acceptance.Items[2].Label != "满意度" {
		t.Errorf("print model %+v", f)
	}
	// An unknown ticket is the standard 404.
	if r := w.desk.Do("GET", "/api/tickets/"+sync.NewID()+"/form.pdf", nil); r.Status != 404 || r.Error().Code != "not_found" {
		t.Errorf("unknown ticket: %d %s", r.Status, r.Body)
	}
}

func TestMaintenanceReportPDF(t *testing.T) {
	needPDFTools(t)
	w := newFormWorld(t)
	r := w.desk.Do("GET", "/api/checklists/"+w.checklist+"/report.pdf", nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("report.pdf: %d %s", r.Status, r.Body)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="WB-2026-00001.pdf"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	// The report is dated the day its visit started, in Shenzhen.
	cl, err := w.h.Engine.Checklist(context.Background(), w.checklist)
	if err != nil {
		t.Fatal(err)
	}
	started := cl.Started.In(w.h.Engine.Zone()).Format("2006-01-02")
	text := popplerText(t, "pdftotext", r.Body, "-layout")
	for _, want := range []string{"红外防盗报警系统点检维护工作报告", "定期维护单编号：WB-2026-00001", "深圳市华强物业管理有限公司",
		"防盗主机", "清理防盗主机的灰尘", "已清理", "检查 16 个，正常 16 个", "已坏需更新", "已更换新电池", "主动对射探头",
		"已清理 6 对，正常 6 对", "被动探头", "检查 12 个，已更换 3 个", "维护总结", "已更换防盗主机后备电池", "维护负责人", "王工",
		"维护日期", started, "客户填写", "满意度", "签名内容摘要"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	if fonts := popplerText(t, "pdffonts", r.Body); !subsetFont.MatchString(fonts) {
		t.Errorf("no embedded subset CJK font:\n%s", fonts)
	}
	renderPage1(t, r.Body, "maintenance-report")
	var f forms.Form
	if err := w.desk.Do("GET", "/api/checklists/"+w.checklist+"/print", nil).JSON(&f); err != nil || f.Checklist == nil || len(f.Checklist.Sections) != 3 {
		t.Errorf("report print model %v %+v", err, f.Checklist)
	}
}

func TestShareLink(t *testing.T) {
	needPDFTools(t)
	w := newFormWorld(t)
	// An unsigned form is not shared.
	if r := w.desk.Do("POST", "/api/tickets/"+w.open+"/share", nil); r.Status != 409 || r.Error().Code != "ticket.not_signed" {
		t.Errorf("share unsigned: %d %s", r.Status, r.Body)
	}
	var link server.ShareLink
	r := w.desk.Do("POST", "/api/tickets/"+w.ticket+"/share", nil)
	if err := r.JSON(&link); r.Status != 200 || err != nil || !regexp.MustCompile(`^/s/[A-Za-z0-9_-]{24}$`).MatchString(link.URL) {
		t.Fatalf("share: %d %s", r.Status, r.Body)
	}
	var again server.ShareLink
	if err := w.desk.Do("POST", "/api/tickets/"+w.ticket+"/share", nil).JSON(&again); err != nil || again.URL != link.URL {
		t.Errorf("a second share gave %q, want the same %q", again.URL, link.URL)
	}
	// Anyone with the link gets the signed form, without signing in.
	anon := w.h.NewClient()
	r = anon.Do("GET", link.URL, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(r.Header.Get("Cache-Control"), "private") {
		t.Fatalf("shared form: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if text := popplerText(t, "pdftotext", r.Body); !strings.Contains(text, "客户服务联络单") || !strings.Contains(text, "LL-2026-00001") {
		t.Errorf("shared form text:\n%s", text)
	}
	// The token is kept out of the change feed and the audit log.
	_ = w.h.Store.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Changes(0, 0, func(c store.Change) error {
			if strings.Contains(string(c.Data), strings.TrimPrefix(link.URL, "/s/")) {
				t.Errorf("the token is in the change feed: %s", c.Data)
			}
			return nil
		})
	})
	for _, path := range []string{"/s/AAAAAAAAAAAAAAAAAAAAAAAA", "/s/short", "/s/" + strings.Repeat("x", 200)} {
		r := anon.Do("GET", path, nil)
		if r.Status != 404 || r.Error().Code != "not_found" {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	// Only the desk makes links.
	w.h.AddUser("li", "password-li", domain.RoleManager)
	if r := w.h.Login("li", "password-li").Do("POST", "/api/tickets/"+w.ticket+"/share", nil); r.Status != 403 {
		t.Errorf("manager sharing: %d", r.Status)
	}
}

func TestFormWithoutFont(t *testing.T) {
	h := servertest.StartWith(t, store.Options{}, server.Config{PDFFont: filepath.Join(t.TempDir(), "none.ttf")})
	desk := h.AddUser("chen", "password-chen", domain.RoleDesk)
	d := sync.Actor{UserID: desk.ID, Roles: []domain.Role{domain.RoleDesk}, Via: "web"}
	customer := idIn(mutate(t, h, d, "customer.create", sync.CustomerArgs{Name: "深圳市华强物业管理有限公司", Kind: "company"}))
	site := idIn(mutate(t, h, d, "site.create", sync.SiteArgs{CustomerID: customer, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"}))
	id := idIn(mutate(t, h, d, "ticket.open", sync.OpenTicketArgs{CustomerID: customer, SiteID: site, ContactName: "刘经理",
		ContactPhone: "138 0226 1234", System: "alarm", Requested: "报警主机故障"}))
	c := h.Login("chen", "password-chen")
	r := c.Do("GET", "/api/tickets/"+id+"/form.pdf", nil)
	if r.Status != 503 || r.Error().Code != "forms.no_font" || !strings.Contains(r.Error().Message, "fonts-droid-fallback") {
		t.Errorf("without a font: %d %s", r.Status, r.Body)
	}
	// The print model needs no font.
	if r := c.Do("GET", "/api/tickets/"+id+"/print", nil); r.Status != 200 {
		t.Errorf("print model without a font: %d %s", r.Status, r.Body)
	}
}
