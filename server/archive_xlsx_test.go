package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/server/servertest"
	"elvcare/sync/xlsx"
	"elvcare/sync/xlsx/xlsxtest"
)

var updateImportExample = flag.Bool("update-import-example", false, "rewrite docs/import-error-example.json")

// upload posts a workbook the way the import page does.
func uploadXLSX(c *servertest.Client, path string, data []byte, headers ...string) servertest.Response {
	return c.Do("POST", path, data, append([]string{"Content-Type", xlsx.ContentType}, headers...)...)
}

func customerCount(t *testing.T, c *servertest.Client) int {
	t.Helper()
	var list struct {
		Total int `json:"total"`
	}
	if err := c.Do("GET", "/api/customers", nil).JSON(&list); err != nil {
		t.Fatal(err)
	}
	return list.Total
}

func TestArchiveTemplateDownload(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	r := h.Login("chen", "password-chen").Do("GET", "/api/archive/template.xlsx", nil)
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != xlsx.ContentType {
		t.Errorf("content type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "UTF-8''") {
		t.Errorf("content disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff(f.GetSheetList(), []string{"说明", "客户", "场地", "联系人", "合同", "设备"}); diff != "" {
		t.Errorf("sheets (-got +want):\n%s", diff)
	}
}

func TestArchiveImport(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.Login("chen", "password-chen")
	good := xlsxtest.Build(t, xlsxtest.Good())

	// A dry run checks and imports nothing.
	r := uploadXLSX(c, "/api/archive/import?dryRun=1", good)
	if r.Status != 200 {
		t.Fatalf("dry run %d: %s", r.Status, r.Body)
	}
	var res xlsx.Result
	if err := r.JSON(&res); err != nil {
		t.Fatal(err)
	}
	want := xlsx.Counts{Customers: 2, Sites: 3, Contacts: 3, Contracts: 2, Equipment: 10}
	if !res.DryRun || res.Imported != want {
		t.Errorf("dry run answered %s", r.Body)
	}
	if n := customerCount(t, c); n != 0 {
		t.Errorf("dry run stored %d customers", n)
	}

	// The import, retried with its Idempotency-Key, happens once.
	key := []string{"Idempotency-Key", "import-2026-03-31-1"}
	r = uploadXLSX(c, "/api/archive/import", good, key...)
	if r.Status != 200 {
		t.Fatalf("import %d: %s", r.Status, r.Body)
	}
	if string(r.Body) != `{"imported":{"customers":2,"sites":3,"contacts":3,"contracts":2,"equipment":10}}` {
		t.Errorf("import answered %s", r.Body)
	}
	again := uploadXLSX(c, "/api/archive/import", good, key...)
	if again.Status != 200 || !bytes.Equal(again.Body, r.Body) {
		t.Errorf("retry: %d %s", again.Status, again.Body)
	}
	if n := customerCount(t, c); n != 2 {
		t.Errorf("customers %d after an import and its retry, want 2", n)
	}
	other := xlsxtest.Good()
	other["客户"][0][1] = "另一家公司"
	if r := uploadXLSX(c, "/api/archive/import", xlsxtest.Build(t, other), key...); r.Status != 422 || r.Error().Code != "idempotency_key_reused" {
		t.Errorf("same key, other file: %d %s", r.Status, r.Body)
	}

	// Not a workbook.
	if r := uploadXLSX(c, "/api/archive/import", []byte("客户编号,客户名称\nKH001,华强\n")); r.Status != 422 || r.Error().Code != "import.not_xlsx" {
		t.Errorf("csv: %d %s", r.Status, r.Body)
	}
	if r := uploadXLSX(c, "/api/archive/import?dryRun=maybe", good); r.Status != 422 {
		t.Errorf("bad dryRun: %d %s", r.Status, r.Body)
	}
}

func TestArchiveImportProblems(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.Login("chen", "password-chen")
	s := xlsxtest.Good()
	s["联系人"][2][2] = "1234"
	data := xlsxtest.Build(t, s)

	r := uploadXLSX(c, "/api/archive/import", data)
	if r.Status != 422 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	var e struct {
		Code    string             `json:"code"`
		Message string             `json:"message"`
		Fields  *map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(body["error"], &e); err != nil {
		t.Fatal(err)
	}
	if e.Code != "import.invalid" || !strings.Contains(e.Message, "共有 1 处错误") || e.Fields == nil || len(*e.Fields) != 0 {
		t.Errorf("error %+v", e)
	}
	var problems []server.ImportProblem
	if err := json.Unmarshal(body["problems"], &problems); err != nil {
		t.Fatal(err)
	}
	wantZH := []server.ImportProblem{{Sheet: "联系人", Row: 4, Column: "电话", Value: "1234", Code: "invalid_phone", Message: "电话号码格式不正确"}}
	if diff := cmp.Diff(problems, wantZH); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
	if n := customerCount(t, c); n != 0 {
		t.Errorf("a refused import stored %d customers", n)
	}

	c.Lang = "en-US,en;q=0.9"
	var en server.ImportErrorBody
	if err := uploadXLSX(c, "/api/archive/import", data).JSON(&en); err != nil {
		t.Fatal(err)
	}
	if en.Error.Message != "The workbook has 1 problem(s); nothing was imported. Fix them and import again." ||
		en.Problems[0].Message != "Not a valid phone number" {
		t.Errorf("in English: %+v", en)
	}
}

// TestImportErrorExample keeps docs/import-error-example.json, the
// sample error report of docs/import.md, what the server answers.
// -update-import-example rewrites it.
func TestImportErrorExample(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.Login("chen", "password-chen")
	s := xlsxtest.Good()
	s["客户"][1][2] = "公司"
	s["场地"][0][4] = "朝阳区"
	s["联系人"][2][2] = "1234"
	s["合同"][0][3] = "2026-13-01"
	s["合同"][1][5] = ""
	s["设备"][6][7] = ""
	s["设备"][7][0] = "CD009"
	r := uploadXLSX(c, "/api/archive/import", xlsxtest.Build(t, s))
	if r.Status != 422 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, r.Body, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	path := filepath.Join("..", "docs", "import-error-example.json")
	if *updateImportExample {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-import-example)", err)
	}
	if diff := cmp.Diff(pretty.String(), string(want)); diff != "" {
		t.Errorf("%s is stale; run go test ./server -run TestImportErrorExample -update-import-example (-got +want):\n%s", path, diff)
	}
}

func TestArchiveExportDownload(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	h.AddUser("qian", "password-qian", domain.RoleFinance)
	desk := h.Login("chen", "password-chen")
	s := xlsxtest.Good()
	s["客户"] = append(s["客户"], []any{"KH003", `=HYPERLINK("x")`, "", ""})
	if r := uploadXLSX(desk, "/api/archive/import", xlsxtest.Build(t, s)); r.Status != 200 {
		t.Fatalf("import %d: %s", r.Status, r.Body)
	}
	r := h.Login("qian", "password-qian").Do("GET", "/api/archive/export.xlsx", nil)
	if r.Status != 200 {
		t.Fatalf("export %d: %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != xlsx.ContentType {
		t.Errorf("content type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string]int{}
	neutral := false
	for _, name := range []string{"客户", "场地", "联系人", "合同", "设备"} {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		counts[name] = len(rows) - 1
		for _, row := range rows {
			if name == "客户" && row[1] == `'=HYPERLINK("x")` {
				neutral = true
			}
		}
	}
	if diff := cmp.Diff(counts, map[string]int{"客户": 3, "场地": 3, "联系人": 3, "合同": 2, "设备": 10}); diff != "" {
		t.Errorf("rows (-got +want):\n%s", diff)
	}
	if !neutral {
		t.Error("the formula-like customer name was not neutralised")
	}
}

func TestArchiveImportFileLimit(t *testing.T) {
	h := servertest.Start(t) // the default body limit admits a 20 MB workbook
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.Login("chen", "password-chen")
	big := make([]byte, xlsx.MaxBytes+1)
	copy(big, "PK\x03\x04")
	if r := uploadXLSX(c, "/api/archive/import", big); r.Status != 413 || r.Error().Code != "import.file_too_large" {
		t.Errorf("21 MB: %d %s", r.Status, r.Body)
	}
	if r := uploadXLSX(c, "/api/archive/import", nil); r.Status != 422 {
		t.Errorf("empty: %d %s", r.Status, r.Body)
	}
}
