package xlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
	"elvcare/sync/xlsx"
	"elvcare/sync/xlsx/xlsxtest"
)

var desk = sync.Actor{UserID: "0190a000-0000-7000-8000-0000000000d1", Roles: []domain.Role{domain.RoleDesk}, Via: "web"}

func openStore(t testing.TB, dir string) *store.DB {
	t.Helper()
	st, err := store.Open(store.Options{Dir: dir, Migrations: sync.Migrations, DiskFloorBytes: 1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// newEngine is an engine over a fresh store with the import registered.
func newEngine(t testing.TB) (*sync.Engine, *store.DB) {
	t.Helper()
	st := openStore(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	eng := sync.New(sync.Options{Store: st})
	xlsx.Register(eng)
	return eng, st
}

// stored counts the archive's records.
func stored(t testing.TB, st store.Store) xlsx.Counts {
	t.Helper()
	var c xlsx.Counts
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		for coll, n := range map[string]*int{sync.CollCustomers: &c.Customers, sync.CollSites: &c.Sites,
			sync.CollContacts: &c.Contacts, sync.CollContracts: &c.Contracts, sync.CollEquipment: &c.Equipment} {
			if err := tx.Scan(coll, "", 0, func(string, []byte) error { *n++; return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// all decodes every record of a collection.
func all[T any](t testing.TB, st store.Store, coll string) []T {
	t.Helper()
	var out []T
	err := st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Scan(coll, "", 0, func(_ string, data []byte) error {
			var v T
			if err := json.Unmarshal(data, &v); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var goodCounts = xlsx.Counts{Customers: 2, Sites: 3, Contacts: 3, Contracts: 2, Equipment: 10}

func TestImportGoodWorkbook(t *testing.T) {
	eng, st := newEngine(t)
	res, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, xlsxtest.Good()), xlsx.Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if diff := cmp.Diff(res, xlsx.Result{Imported: goodCounts}); diff != "" {
		t.Errorf("result (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(stored(t, st), goodCounts); diff != "" {
		t.Errorf("stored (-got +want):\n%s", diff)
	}

	customers := map[string]domain.Customer{}
	for _, c := range all[domain.Customer](t, st, sync.CollCustomers) {
		customers[c.ID] = c
	}
	sites := map[string]domain.Site{}
	for _, s := range all[domain.Site](t, st, sync.CollSites) {
		sites[s.ID] = s
		if _, ok := customers[s.CustomerID]; !ok {
			t.Errorf("site %s points to no imported customer", s.Name)
		}
		if !sync.IsUUIDv7(s.ID) {
			t.Errorf("site id %q is not a UUIDv7", s.ID)
		}
	}
	byName := map[string]domain.Site{}
	for _, s := range sites {
		byName[s.Name] = s
	}
	if got := byName["华强大厦"]; got.District != "福田区" || got.City != "深圳" {
		t.Errorf("华强大厦: district %q city %q, want 福田区 深圳", got.District, got.City)
	}
	if got := byName["住院部大楼"]; customers[got.CustomerID].Kind != domain.CustomerInstitution {
		t.Errorf("住院部大楼's customer kind %q", customers[got.CustomerID].Kind)
	}

	contacts := map[string]domain.Contact{}
	for _, c := range all[domain.Contact](t, st, sync.CollContacts) {
		contacts[c.Name] = c
	}
	if diff := cmp.Diff(contacts["张经理"].Phones, []string{"13812345678", "0755-88881234转8001"}); diff != "" {
		t.Errorf("张经理's phones (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(contacts["王科长"].Phones, []string{"13712345678"}); diff != "" {
		t.Errorf("王科长's phones (-got +want):\n%s", diff)
	}
	if got := contacts["李工"].SiteIDs; len(got) != 2 || sites[got[0]].Name != "华强大厦" || sites[got[1]].Name != "华强广场" {
		t.Errorf("李工's sites %v", got)
	}
	if got := contacts["张经理"].SiteIDs; len(got) != 0 {
		t.Errorf("张经理 should be for all sites, has %v", got)
	}

	contracts := map[string]domain.Contract{}
	for _, c := range all[domain.Contract](t, st, sync.CollContracts) {
		contracts[c.Number] = c
		if c.Stage != domain.StageB || !c.AuditedBeforeSystem {
			t.Errorf("contract %s at %s, audited before the system %v; want B, true", c.Number, c.Stage, c.AuditedBeforeSystem)
		}
	}
	annual := contracts["HT-2026-001"]
	if annual.AnnualPriceFen != 1200050 || annual.Kind != domain.ContractAnnual || len(annual.Covers) != 4 {
		t.Errorf("annual contract: %+v", annual)
	}
	project := contracts["HT-2025-017"]
	if got := project.StartDate.String() + " " + project.EndDate.String() + " " + project.WarrantyUntil.String(); got != "2025-01-01 2025-06-30 2027-06-30" {
		t.Errorf("project dates %s (an Excel serial, 2025/6/30, 2027年6月30日)", got)
	}
	var systems []domain.System
	for _, cv := range project.Covers {
		systems = append(systems, cv.System)
		if sites[cv.SiteID].Name != "住院部大楼" {
			t.Errorf("project covers site %s", sites[cv.SiteID].Name)
		}
	}
	if diff := cmp.Diff(systems, []domain.System{domain.SystemNetwork, domain.SystemTelephone, domain.SystemPA}); diff != "" {
		t.Errorf("project's systems, from the site's equipment (-got +want):\n%s", diff)
	}

	eqs := all[sync.EquipmentRecord](t, st, sync.CollEquipment)
	tokens := map[string]bool{}
	for _, e := range eqs {
		tokens[e.QRToken] = true
		if e.CustomerID != sites[e.SiteID].CustomerID {
			t.Errorf("equipment %s: customer %s, its site's %s", e.ID, e.CustomerID, sites[e.SiteID].CustomerID)
		}
		switch e.ItemType {
		case domain.ItemTelephonePBX:
			if e.Attributes.Ports != 120 || e.InstallDate.String() != "2019-03-01" {
				t.Errorf("PBX: %+v", e.Equipment)
			}
		case domain.ItemPAAmplifier:
			if e.Attributes.Watts != 800 {
				t.Errorf("amplifier watts %d, want 800 (from 800W)", e.Attributes.Watts)
			}
		case domain.ItemNetworkInfoPoint:
			if e.Attributes.Quantity != 480 {
				t.Errorf("information points %d", e.Attributes.Quantity)
			}
		}
	}
	if len(tokens) != 10 || tokens[""] {
		t.Errorf("QR tokens not all drawn and distinct: %v", tokens)
	}
}

func TestImportBadPhoneImportsNothing(t *testing.T) {
	eng, st := newEngine(t)
	s := xlsxtest.Good()
	s["联系人"][2][2] = "1234" // 联系人 row 4: header, then two good contacts
	before := st.LastVersion()
	_, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, s), xlsx.Options{})
	ie, ok := xlsx.IsInvalid(err)
	if !ok {
		t.Fatalf("err = %v, want problems", err)
	}
	want := []xlsx.Problem{{Sheet: "联系人", Row: 4, Column: "电话", Value: "1234", Code: "invalid_phone"}}
	if diff := cmp.Diff(ie.Problems, want); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
	if got := stored(t, st); got != (xlsx.Counts{}) {
		t.Errorf("stored %+v after a refused import", got)
	}
	if st.LastVersion() != before {
		t.Errorf("change feed moved from %d to %d", before, st.LastVersion())
	}
	if domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("kind %v, want invalid", domain.KindOf(err))
	}
}

func TestDryRunImportsNothing(t *testing.T) {
	eng, st := newEngine(t)
	before := st.LastVersion()
	res, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, xlsxtest.Good()), xlsx.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res, xlsx.Result{Imported: goodCounts, DryRun: true}); diff != "" {
		t.Errorf("result (-got +want):\n%s", diff)
	}
	if got := stored(t, st); got != (xlsx.Counts{}) {
		t.Errorf("dry run stored %+v", got)
	}
	if st.LastVersion() != before {
		t.Errorf("dry run moved the change feed from %d to %d", before, st.LastVersion())
	}
	// A dry run then the real import: the same workbook goes in.
	if _, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, xlsxtest.Good()), xlsx.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := stored(t, st); got != goodCounts {
		t.Errorf("after the import: %+v", got)
	}
}

func TestImportIdempotencyKey(t *testing.T) {
	eng, st := newEngine(t)
	data := xlsxtest.Build(t, xlsxtest.Good())
	opts := xlsx.Options{IdempotencyKey: "import-7f3a"}
	first, err := xlsx.Import(context.Background(), eng, desk, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := xlsx.Import(context.Background(), eng, desk, data, opts)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if diff := cmp.Diff(again, first); diff != "" {
		t.Errorf("retry answered differently (-got +want):\n%s", diff)
	}
	if got := stored(t, st); got != goodCounts {
		t.Errorf("after a retry: %+v, want one import", got)
	}
	other := xlsxtest.Good()
	other["客户"][0][1] = "另一家公司"
	if _, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, other), opts); !errors.Is(err, sync.ErrIdempotencyReuse) {
		t.Errorf("same key, other file: err = %v, want idempotency_key_reused", err)
	}
	// Without the key the same file is refused as a repeat of the archive.
	_, err = xlsx.Import(context.Background(), eng, desk, data, xlsx.Options{})
	ie, ok := xlsx.IsInvalid(err)
	if !ok || ie.Problems[0].Code != "import.customer_exists" {
		t.Errorf("second import without key: %v", err)
	}
}

func TestImportKeyIsPerUser(t *testing.T) {
	eng, st := newEngine(t)
	opts := xlsx.Options{IdempotencyKey: "same-key"}
	if _, err := xlsx.Import(context.Background(), eng, desk, xlsxtest.Build(t, xlsxtest.Good()), opts); err != nil {
		t.Fatal(err)
	}
	other := desk
	other.UserID = "0190a000-0000-7000-8000-0000000000d2"
	s := xlsxtest.Good()
	s["客户"][0][1], s["客户"][1][1] = "甲公司", "乙医院"
	s["合同"][0][0], s["合同"][1][0] = "HT-9", "HT-10"
	if _, err := xlsx.Import(context.Background(), eng, other, xlsxtest.Build(t, s), opts); err != nil {
		t.Fatalf("another user's same key: %v", err)
	}
	if got := stored(t, st).Customers; got != 4 {
		t.Errorf("customers %d, want 4", got)
	}
}

func TestImportRefusesWhatIsNoWorkbook(t *testing.T) {
	eng, _ := newEngine(t)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"json", []byte(`{}`), "import.not_xlsx"},
		{"a zip that is no workbook", zipBytes(t), "import.not_xlsx"},
		{"template only", templateBytes(t), "import.empty"},
		{"headers only", xlsxtest.Build(t, xlsxtest.Sheets{}), "import.empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := xlsx.Import(context.Background(), eng, desk, tt.data, xlsx.Options{})
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tt.want {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
}

func zipBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create("hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("你好"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportNeedsPermission(t *testing.T) {
	eng, st := newEngine(t)
	finance := sync.Actor{UserID: desk.UserID, Roles: []domain.Role{domain.RoleFinance}, Via: "web"}
	_, err := xlsx.Import(context.Background(), eng, finance, xlsxtest.Build(t, xlsxtest.Good()), xlsx.Options{})
	if domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("finance: err = %v, want forbidden", err)
	}
	if got := stored(t, st); got != (xlsx.Counts{}) {
		t.Errorf("stored %+v", got)
	}
}

// TestConcurrentImportsOfOneFile: two imports of the same workbook at
// once (a double click) import it once; the other is refused.
func TestConcurrentImportsOfOneFile(t *testing.T) {
	for range 3 {
		eng, st := newEngine(t)
		data := xlsxtest.Build(t, xlsxtest.Good())
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := xlsx.Import(context.Background(), eng, desk, data, xlsx.Options{})
				errs <- err
			}()
		}
		var failed []error
		for range 2 {
			if err := <-errs; err != nil {
				failed = append(failed, err)
			}
		}
		if len(failed) != 1 {
			t.Fatalf("%d of 2 imports failed: %v", len(failed), failed)
		}
		t.Logf("the second import: %v", failed[0])
		_, invalid := xlsx.IsInvalid(failed[0])
		if !invalid && !errors.Is(failed[0], xlsx.ErrConcurrentImport) {
			t.Errorf("the second import failed with %v", failed[0])
		}
		if got := stored(t, st); got != goodCounts {
			t.Errorf("stored %+v, want one import", got)
		}
	}
}

// TestImportTooBigForOneTransaction: a workbook over a transaction's
// capacity is refused whole, with the message asking to split it, and a
// dry run says so too.
func TestImportTooBigForOneTransaction(t *testing.T) {
	eng, st := newEngine(t)
	s := xlsxtest.Sheets{}
	note := strings.Repeat("维护记录见纸质档案。", 200) // 2000 characters, the most a note holds
	for i := range 700 {
		s["客户"] = append(s["客户"], []any{fmt.Sprintf("KH%04d", i), fmt.Sprintf("客户%04d", i), "", note})
	}
	data := xlsxtest.Build(t, s)
	for _, dry := range []bool{true, false} {
		_, err := xlsx.Import(context.Background(), eng, desk, data, xlsx.Options{DryRun: dry})
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != "import.too_big" || de.Kind != domain.KindTooLarge || de.Params["rows"] != "700" {
			t.Errorf("dry run %v: err = %v, want import.too_big", dry, err)
		}
	}
	if got := stored(t, st); got != (xlsx.Counts{}) {
		t.Errorf("stored %+v", got)
	}
}
