package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"elvcare/domain"
	"elvcare/server/servertest"
	"elvcare/sync"
)

// archiveHarness is a server with a desk user signed in and one customer
// (华强物业) with a site (华强大厦) and a CCTV recorder.
type archiveHarness struct {
	h        *servertest.Harness
	desk     *servertest.Client
	customer domain.Customer
	site     domain.Site
	nvr      sync.EquipmentRecord
}

func newArchiveHarness(t *testing.T) archiveHarness {
	t.Helper()
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	x := archiveHarness{h: h, desk: h.Login("chen", "password-chen")}
	x.post(t, "/api/customers", map[string]any{"name": "深圳市华强物业管理有限公司", "kind": "company"}, 201, &x.customer)
	x.post(t, "/api/sites", map[string]any{"customerId": x.customer.ID, "name": "华强大厦", "address": "深圳市福田区华强北路1019号", "district": "福田"}, 201, &x.site)
	x.post(t, "/api/equipment", map[string]any{"siteId": x.site.ID, "itemType": "cctv.recorder", "model": "海康威视 DS-7816N-K2",
		"location": "地下二层停车场监控室"}, 201, &x.nvr)
	return x
}

func (x archiveHarness) post(t *testing.T, path string, body any, status int, out any) servertest.Response {
	t.Helper()
	return x.call(t, x.desk, "POST", path, body, status, out)
}

func (x archiveHarness) call(t *testing.T, c *servertest.Client, method, path string, body any, status int, out any) servertest.Response {
	t.Helper()
	r := c.Do(method, path, body)
	if r.Status != status {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	if out != nil {
		if err := r.JSON(out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, r.Body)
		}
	}
	return r
}

func TestArchiveHTTP(t *testing.T) {
	x := newArchiveHarness(t)
	c := x.desk
	if x.site.District != "福田区" || x.nvr.QRToken == "" || x.nvr.CustomerID != x.customer.ID {
		t.Fatalf("setup: %+v %+v", x.site, x.nvr)
	}
	var contact domain.Contact
	x.post(t, "/api/contacts", map[string]any{"customerId": x.customer.ID, "name": "陈经理", "phones": []string{"138-0256-1234"}, "title": "工程部经理"}, 201, &contact)
	var ct domain.Contract
	x.post(t, "/api/contracts", map[string]any{"customerId": x.customer.ID, "number": "HQ-WB-2026-001", "kind": "annual",
		"covers": []map[string]string{{"siteId": x.site.ID, "system": "cctv"}}, "startDate": "2026-04-01", "endDate": "2027-03-31",
		"annualPriceFen": 3860000}, 201, &ct)

	var d sync.CustomerDetail
	x.call(t, c, "GET", "/api/customers/"+x.customer.ID, nil, 200, &d)
	if d.Customer.ID != x.customer.ID || len(d.Sites) != 1 || len(d.Contacts) != 1 || len(d.Contracts) != 1 || len(d.Equipment) != 1 || len(d.Coverage) != 1 {
		t.Errorf("detail %+v", d)
	}
	var list sync.CustomerList
	x.call(t, c, "GET", "/api/customers?q=华强&district=福田&stage=Q&pageSize=5", nil, 200, &list)
	if list.Total != 1 || list.Items[0].Summary.Equipment != 1 || list.Items[0].Summary.MainDistrict != "福田区" {
		t.Errorf("list %+v", list)
	}
	var raw map[string]json.RawMessage
	x.call(t, c, "GET", "/api/customers?coverage=warranty", nil, 200, &raw)
	if string(raw["items"]) != "[]" || string(raw["total"]) != "0" {
		t.Errorf("empty list is %s", mustJSON(raw))
	}
	var sa map[string][]any
	x.call(t, c, "GET", "/api/customers/"+x.customer.ID+"/service-archive", nil, 200, &sa)
	if sa["items"] == nil || len(sa["items"]) != 0 {
		t.Errorf("service archive %v", sa)
	}

	var up domain.Customer
	x.call(t, c, "PATCH", "/api/customers/"+x.customer.ID, map[string]any{"note": "老客户"}, 200, &up)
	if up.Note != "老客户" || up.Name != x.customer.Name {
		t.Errorf("patched %+v", up)
	}
	var st domain.Contract
	x.call(t, c, "POST", "/api/contracts/"+ct.ID+"/stage", map[string]any{"stage": "B", "note": "开始维护"}, 200, &st)
	if st.Stage != domain.StageB {
		t.Errorf("stage %s", st.Stage)
	}
	var ed sync.EquipmentDetail
	x.call(t, c, "GET", "/api/equipment/"+x.nvr.ID, nil, 200, &ed)
	if ed.Site.Name != "华强大厦" || ed.Coverage.Kind == "" || ed.Customer.ID != x.customer.ID {
		t.Errorf("equipment detail %+v", ed)
	}
	var found sync.ContactList
	x.call(t, c, "GET", "/api/contacts?phone="+urlQuery("+86 138 0256 1234"), nil, 200, &found)
	if found.Total != 1 || found.Items[0].ID != contact.ID {
		t.Errorf("caller lookup %+v", found)
	}

	tests := []struct {
		name, method, path string
		body               any
		status             int
		code               string
		fields             []string
	}{
		{"unknown customer", "GET", "/api/customers/" + sync.NewID(), nil, 404, "not_found", nil},
		{"not an id", "GET", "/api/equipment/not-an-id", nil, 404, "not_found", nil},
		{"patch unknown site", "PATCH", "/api/sites/" + sync.NewID(), map[string]any{"name": "x"}, 404, "not_found", nil},
		{"unknown field", "POST", "/api/customers", map[string]any{"name": "x", "kind": "company", "epoch": 1}, 400, "malformed", nil},
		{"server-set field on equipment", "PATCH", "/api/equipment/" + x.nvr.ID, map[string]any{"qrToken": "aaaaaaaaaaaaaaaaaaaa"}, 400, "malformed", nil},
		{"validation", "POST", "/api/sites", map[string]any{"customerId": sync.NewID(), "name": "", "address": "x", "district": "火星"}, 422, "invalid",
			[]string{"customerId", "name", "district"}},
		{"bad client id", "POST", "/api/customers", map[string]any{"id": "123", "name": "x", "kind": "company"}, 422, "invalid", []string{"id"}},
		{"id taken", "POST", "/api/customers", map[string]any{"id": x.customer.ID, "name": "x", "kind": "company"}, 409, "archive.id_taken", nil},
		{"bad stage move", "POST", "/api/contracts/" + ct.ID + "/stage", map[string]any{"stage": "Q"}, 409, "contract.bad_stage_move", nil},
		{"renew before follow-up", "POST", "/api/contracts/" + ct.ID + "/renew", map[string]any{"number": "X"}, 409, "contract.not_in_follow_up", nil},
		{"bad paging", "GET", "/api/customers?page=abc&pageSize=900", nil, 422, "invalid", []string{"page", "pageSize"}},
		{"bad filters", "GET", "/api/customers?coverage=gold&stage=Z&endingWithin=-1", nil, 422, "invalid", []string{"coverage", "stage", "endingWithin"}},
		{"bad equipment filters", "GET", "/api/equipment?system=tv&itemType=x&includeRetired=maybe", nil, 422, "invalid", []string{"system", "itemType", "includeRetired"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(tt.method, tt.path, tt.body)
			if r.Status != tt.status || r.Error().Code != tt.code {
				t.Fatalf("%d %s, want %d %s", r.Status, r.Body, tt.status, tt.code)
			}
			for _, f := range tt.fields {
				if r.Error().Fields[f] == "" {
					t.Errorf("no message for %s: %s", f, r.Body)
				}
			}
		})
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func urlQuery(s string) string {
	r := strings.NewReplacer("+", "%2B", " ", "%20")
	return r.Replace(s)
}

// TestArchiveRoutesNeverFail calls every archive route with unknown ids and
// an empty object, as a user who may do everything: 4xx, never 5xx.
func TestArchiveRoutesNeverFail(t *testing.T) {
	x := newArchiveHarness(t)
	x.h.AddUser("root", "password-root", domain.RoleAdmin, domain.RoleDesk, domain.RoleManager)
	c := x.h.Login("root", "password-root")
	for _, r := range x.h.Server.Routes() {
		if r.Tag != "archive" {
			continue
		}
		for _, id := range []string{sync.NewID(), "x", "%00"} {
			path := strings.ReplaceAll(strings.ReplaceAll(r.Path, ":id", id), ":hash", id)
			var body any
			if r.Method != "GET" {
				body = []byte("{}")
			}
			if got := c.Do(r.Method, path, body); got.Status >= 500 {
				t.Errorf("%s %s: %d %s", r.Method, path, got.Status, got.Body)
			}
		}
	}
}

func TestArchiveIdempotentCreate(t *testing.T) {
	x := newArchiveHarness(t)
	body := map[string]any{"customerId": x.customer.ID, "name": "华强花园", "address": "深圳市福田区华富路1018号", "district": "福田区"}
	first := x.desk.Do("POST", "/api/sites", body, "Idempotency-Key", "site-1")
	again := x.desk.Do("POST", "/api/sites", body, "Idempotency-Key", "site-1")
	if first.Status != 201 || again.Status != 201 || !bytes.Equal(first.Body, again.Body) {
		t.Fatalf("retry answered differently:\n%d %s\n%d %s", first.Status, first.Body, again.Status, again.Body)
	}
	var l sync.SiteList
	x.call(t, x.desk, "GET", "/api/sites?customerId="+x.customer.ID, nil, 200, &l)
	if l.Total != 2 {
		t.Errorf("%d sites after a retried create, want 2", l.Total)
	}
	body["name"] = "别的名字"
	if r := x.desk.Do("POST", "/api/sites", body, "Idempotency-Key", "site-1"); r.Status != 422 || r.Error().Code != "idempotency_key_reused" {
		t.Errorf("key reused: %d %s", r.Status, r.Body)
	}
	// A client-made id makes a retry without a key safe too: the second
	// create is a conflict, not a duplicate.
	id := sync.NewID()
	cust := map[string]any{"id": id, "name": "离线新建客户", "kind": "individual"}
	x.post(t, "/api/customers", cust, 201, nil)
	if r := x.desk.Do("POST", "/api/customers", cust); r.Status != 409 {
		t.Errorf("second create with the same id: %d", r.Status)
	}
}

func TestCredentialHTTP(t *testing.T) {
	x := newArchiveHarness(t)
	for _, r := range []domain.Role{domain.RoleManager, domain.RoleTechnician, domain.RoleFinance, domain.RoleAdmin} {
		x.h.AddUser("u-"+string(r), "password-"+string(r), r)
	}
	login := func(r domain.Role) *servertest.Client { return x.h.Login("u-"+string(r), "password-"+string(r)) }
	path := "/api/equipment/" + x.nvr.ID + "/credential"

	if r := x.desk.Do("POST", path+"/reveal", nil); r.Status != 404 || r.Error().Code != "credential.not_set" {
		t.Errorf("reveal before set: %d %s", r.Status, r.Body)
	}
	var info sync.CredentialInfo
	x.post(t, path, map[string]any{"username": "admin", "password": "Hq#B2nvr2024"}, 200, &info)
	if info.EquipmentID != x.nvr.ID {
		t.Errorf("set answered %+v", info)
	}
	if r := x.desk.Do("POST", path, map[string]any{"username": "admin"}); r.Status != 422 || r.Error().Fields["password"] == "" {
		t.Errorf("set without password: %d %s", r.Status, r.Body)
	}
	var eq sync.EquipmentDetail
	r := x.call(t, x.desk, "GET", "/api/equipment/"+x.nvr.ID, nil, 200, &eq)
	if strings.Contains(string(r.Body), "Hq#B2nvr2024") || !eq.Equipment.HasCredential || eq.Credential == nil {
		t.Errorf("equipment view: %s", r.Body)
	}

	for _, role := range []domain.Role{domain.RoleTechnician, domain.RoleFinance} {
		if r := login(role).Do("POST", path+"/reveal", nil); r.Status != 403 {
			t.Errorf("%s reveal: %d, want 403", role, r.Status)
		}
	}
	for _, c := range []*servertest.Client{x.desk, login(domain.RoleManager)} {
		var got sync.RevealedCredential
		r := x.call(t, c, "POST", path+"/reveal", nil, 200, &got)
		if got.Username != "admin" || got.Password != "Hq#B2nvr2024" || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("revealed %+v (Cache-Control %q)", got, r.Header.Get("Cache-Control"))
		}
	}
	var reveals []sync.CredentialReveal
	x.call(t, login(domain.RoleAdmin), "GET", path+"/reveals", nil, 200, &reveals)
	if len(reveals) != 2 {
		t.Errorf("%d reveals recorded, want 2", len(reveals))
	}
	if r := x.desk.Do("GET", path+"/reveals", nil); r.Status != 403 {
		t.Errorf("desk reading the reveal log: %d", r.Status)
	}
}

func TestArchiveFiles(t *testing.T) {
	x := newArchiveHarness(t)
	pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00rest-of-an-office-file")
	tests := []struct {
		name, ctype, fileName string
		body                  []byte
		status                int
		want                  string
	}{
		{"pdf", "application/pdf", "竣工图纸.pdf", pdf, 201, "application/pdf"},
		{"png sniffed", "application/octet-stream", "现场照片.png", png, 201, "image/png"},
		{"xlsx by name", "", "设备清单.xlsx", zip, 201, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"docx declared", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "手册.docx", append(zip[:len(zip):len(zip)], "-docx"...), 201, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"text", "text/plain; charset=utf-8", "配置说明.txt", []byte("NVR 管理地址 192.168.1.64\n"), 201, "text/plain"},
		{"html refused", "text/html", "x.html", []byte("<html><script>alert(1)</script></html>"), 422, "file.unsupported_type"},
		{"declared pdf, is html", "application/pdf", "x.pdf", []byte("<html><body>hi</body></html>"), 422, "file.type_mismatch"},
		{"empty", "application/pdf", "x.pdf", nil, 422, "file.empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := upload(t, x.h, x.desk, tt.ctype, tt.fileName, tt.body)
			if r.Status != tt.status {
				t.Fatalf("%d %s, want %d", r.Status, r.Body, tt.status)
			}
			if tt.status != 201 {
				if r.Error().Code != tt.want {
					t.Errorf("code %s, want %s", r.Error().Code, tt.want)
				}
				return
			}
			var f sync.FileRecord
			_ = r.JSON(&f)
			if f.ContentType != tt.want || f.Name != tt.fileName || f.Size != int64(len(tt.body)) || len(f.Hash) != 64 {
				t.Errorf("uploaded %+v", f)
			}
			got := x.desk.Do("GET", "/api/files/"+f.Hash, nil)
			if got.Status != 200 || !bytes.Equal(got.Body, tt.body) || !strings.HasPrefix(got.Header.Get("Content-Type"), tt.want) {
				t.Errorf("download: %d %q %q", got.Status, got.Header.Get("Content-Type"), got.Body)
			}
			if !strings.Contains(got.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
				t.Errorf("Content-Disposition %q", got.Header.Get("Content-Disposition"))
			}
		})
	}
	if r := x.desk.Do("GET", "/api/files/"+strings.Repeat("a", 64), nil); r.Status != 404 {
		t.Errorf("unknown file: %d", r.Status)
	}

	// A Y audit with the uploaded documents.
	var p domain.Contract
	x.post(t, "/api/contracts", map[string]any{"customerId": x.customer.ID, "number": "HQ-GC-1", "kind": "project",
		"covers": []map[string]string{{"siteId": x.site.ID, "system": "cctv"}}, "startDate": "2026-01-01", "endDate": "2026-06-30",
		"warrantyUntil": "2028-06-30"}, 201, &p)
	x.post(t, "/api/contracts/"+p.ID+"/stage", map[string]any{"stage": "Y"}, 200, nil)
	var f sync.FileRecord
	_ = upload(t, x.h, x.desk, "application/pdf", "图纸.pdf", pdf).JSON(&f)
	r := x.desk.Do("POST", "/api/contracts/"+p.ID+"/audit", map[string]any{"documents": map[string][]string{"drawings": {f.Hash}, "manual": {strings.Repeat("b", 64)}}})
	if r.Status != 422 || r.Error().Fields["documents.manual[0]"] == "" {
		t.Errorf("audit with an unknown file: %d %s", r.Status, r.Body)
	}
	var audited domain.Contract
	x.post(t, "/api/contracts/"+p.ID+"/audit", map[string]any{"documents": map[string][]string{"drawings": {f.Hash}},
		"verdict": "fail", "note": "资料不全"}, 200, &audited)
	if audited.Audit == nil || audited.Audit.Verdict != domain.AuditFail {
		t.Errorf("audit %+v", audited.Audit)
	}
}

func upload(t *testing.T, h *servertest.Harness, c *servertest.Client, ctype, name string, body []byte) servertest.Response {
	t.Helper()
	req, err := http.NewRequest("POST", h.URL+"/api/files?name="+urlQuery(name), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("X-CSRF-Token", c.Cookie("csrf_token"))
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return servertest.Response{Status: resp.StatusCode, Header: resp.Header, Body: buf.Bytes()}
}

func TestCoverageAndRemindersHTTP(t *testing.T) {
	x := newArchiveHarness(t)
	x.post(t, "/api/contracts", map[string]any{"customerId": x.customer.ID, "number": "HQ-WB-2026-001", "kind": "annual",
		"covers": []map[string]string{{"siteId": x.site.ID, "system": "cctv"}}, "startDate": "2026-04-01", "endDate": "2027-03-31",
		"annualPriceFen": 3860000}, 201, nil)
	tests := []struct {
		date, want string
	}{
		{"2026-03-31", "none"}, {"2026-04-01", "annual"}, {"2027-03-31", "annual"}, {"2027-04-01", "none"},
	}
	for _, tt := range tests {
		var got sync.CoverageAnswer
		x.call(t, x.desk, "GET", "/api/coverage?siteId="+x.site.ID+"&system=cctv&date="+tt.date, nil, 200, &got)
		if string(got.Kind) != tt.want {
			t.Errorf("%s: %+v, want %s", tt.date, got, tt.want)
		}
		if tt.want == "annual" && (got.Until.String() != "2027-03-31" || got.Label != "按年合同") {
			t.Errorf("%s: %+v", tt.date, got)
		}
	}
	if r := x.desk.Do("GET", "/api/coverage?system=tv&date=2026-02-30", nil); r.Status != 422 || len(r.Error().Fields) != 3 {
		t.Errorf("bad coverage query: %d %s", r.Status, r.Body)
	}
	if r := x.desk.Do("GET", "/api/coverage?siteId="+sync.NewID()+"&system=cctv", nil); r.Status != 404 {
		t.Errorf("unknown site: %d", r.Status)
	}
	var ending sync.ContractEndingList
	x.call(t, x.desk, "GET", "/api/contracts/ending?days=3650", nil, 200, &ending)
	if ending.Total != 1 || ending.Days != 3650 || ending.Items[0].CustomerName != x.customer.Name || ending.Items[0].Until.String() != "2027-03-31" {
		t.Errorf("ending %+v", ending)
	}
	if r := x.desk.Do("GET", "/api/contracts/ending?days=x", nil); r.Status != 422 {
		t.Errorf("bad days: %d", r.Status)
	}
}

func TestReference(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("wang", "password-wang", domain.RoleTechnician)
	var ref sync.Reference
	r := h.Login("wang", "password-wang").Do("GET", "/api/reference", nil)
	if r.Status != 200 || r.JSON(&ref) != nil {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if len(ref.Systems) != 6 || ref.Systems[3].Label != "闭路监控" || len(ref.ItemTypes) != 18 || len(ref.ContractStages) != 4 ||
		len(ref.ContractKinds) != 3 || len(ref.Districts) != 10 || ref.Districts[1].Name != "福田区" || ref.Districts[1].Zone != domain.ZoneCity ||
		ref.Districts[4].Zone != domain.ZoneSuburb {
		t.Errorf("reference %+v", ref)
	}
	if r := h.NewClient().Do("GET", "/api/reference", nil); r.Status != 401 {
		t.Errorf("anonymous: %d", r.Status)
	}
}
