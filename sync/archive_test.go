package sync_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"elvcare/domain"
	"elvcare/sync"
)

func TestCustomerCreateAndUpdate(t *testing.T) {
	a := openArchive(t)
	c := a.customer("  深圳市华强物业管理有限公司 ")
	if c.Name != "深圳市华强物业管理有限公司" || !sync.IsUUIDv7(c.ID) {
		t.Errorf("created %+v: want a trimmed name and a server UUIDv7", c)
	}
	clientID := sync.NewID()
	var mine domain.Customer
	a.must("customer.create", sync.CustomerArgs{ID: clientID, Name: "深圳市福华置业有限公司", Kind: domain.CustomerCompany}, &mine)
	if mine.ID != clientID {
		t.Errorf("client id %s not kept: %s", clientID, mine.ID)
	}
	name, note := "深圳市华强物业", "老客户"
	var up domain.Customer
	a.must("customer.update", sync.UpdateCustomerArgs{ID: c.ID, CustomerPatch: sync.CustomerPatch{Name: &name, Note: &note}}, &up)
	if up.Name != name || up.Note != note || up.Kind != domain.CustomerCompany {
		t.Errorf("updated %+v", up)
	}

	tests := []struct {
		name  string
		mut   string
		args  any
		check func(t *testing.T, err error)
	}{
		{"blank name and unknown kind", "customer.create", sync.CustomerArgs{Name: " ", Kind: "shop"}, func(t *testing.T, err error) {
			wantInvalid(t, err, "name", "required")
			wantInvalid(t, err, "kind", "invalid_kind")
		}},
		{"client id not a UUIDv7", "customer.create", sync.CustomerArgs{ID: "01920000-0000-4000-8000-000000000001", Name: "x", Kind: domain.CustomerCompany},
			func(t *testing.T, err error) { wantInvalid(t, err, "id", "invalid_id") }},
		{"client id in upper case", "customer.create", sync.CustomerArgs{ID: strings.ToUpper(sync.NewID()), Name: "x", Kind: domain.CustomerCompany},
			func(t *testing.T, err error) { wantInvalid(t, err, "id", "invalid_id") }},
		{"client id taken", "customer.create", sync.CustomerArgs{ID: clientID, Name: "x", Kind: domain.CustomerCompany},
			func(t *testing.T, err error) { wantKind(t, err, domain.KindConflict, "archive.id_taken") }},
		{"unknown field refused", "customer.create", json.RawMessage(`{"name":"x","kind":"company","createdAt":"2026-01-01"}`),
			func(t *testing.T, err error) { wantKind(t, err, domain.KindInvalid, "invalid_args") }},
		{"update of a missing customer", "customer.update", sync.UpdateCustomerArgs{ID: sync.NewID()},
			func(t *testing.T, err error) { wantKind(t, err, domain.KindNotFound, "not_found") }},
		{"update to an invalid kind", "customer.update", sync.UpdateCustomerArgs{ID: c.ID, CustomerPatch: sync.CustomerPatch{Kind: ptr(domain.CustomerKind("x"))}},
			func(t *testing.T, err error) { wantInvalid(t, err, "kind", "invalid_kind") }},
		{"technician may not write", "customer.create", sync.CustomerArgs{Name: "x", Kind: domain.CustomerCompany}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if raw, ok := tt.args.(json.RawMessage); ok {
				_, err = a.e.Apply(context.Background(), arcDesk, sync.Mutation{Name: tt.mut, Args: raw})
			} else if tt.check == nil {
				err = a.apply(arcTech, tt.mut, tt.args, nil)
				wantKind(t, err, domain.KindForbidden, "forbidden")
				return
			} else {
				err = a.apply(arcDesk, tt.mut, tt.args, nil)
			}
			tt.check(t, err)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSiteAndContact(t *testing.T) {
	a := openArchive(t)
	hq := a.customer("深圳市华强物业管理有限公司")
	other := a.customer("深圳市福华置业有限公司")
	s := a.site(hq.ID, "华强大厦", "福田") // the district without 区
	if s.District != "福田区" || s.City != "深圳" || s.CustomerID != hq.ID {
		t.Errorf("site %+v: want 福田区 in 深圳", s)
	}
	otherSite := a.site(other.ID, "福华大厦", "福田区")

	err := a.apply(arcDesk, "site.create", sync.SiteArgs{CustomerID: sync.NewID(), Name: "x", Address: "y", District: "南山区"}, nil)
	wantInvalid(t, err, "customerId", "not_found")
	err = a.apply(arcDesk, "site.create", sync.SiteArgs{CustomerID: hq.ID, Name: "x", Address: "y", District: "火星区"}, nil)
	wantInvalid(t, err, "district", "invalid_district")
	var moved domain.Site
	a.must("site.update", sync.UpdateSiteArgs{ID: s.ID, SitePatch: sync.SitePatch{District: ptr("罗湖")}}, &moved)
	if moved.District != "罗湖区" || moved.Name != "华强大厦" {
		t.Errorf("updated site %+v", moved)
	}
	wantKind(t, a.apply(arcDesk, "site.update", sync.UpdateSiteArgs{ID: "nope"}, nil), domain.KindNotFound, "not_found")
	wantKind(t, a.apply(arcDesk, "site.update", json.RawMessage(`{"id":"`+s.ID+`","customerId":"`+other.ID+`"}`), nil), domain.KindInvalid, "invalid_args")

	var c domain.Contact
	a.must("contact.create", sync.ContactArgs{CustomerID: hq.ID, SiteIDs: []string{s.ID}, Name: "陈经理",
		Phones: []string{"138 0256 1234", "（0755）8321-6688 转 801"}}, &c)
	if got := strings.Join(c.Phones, ","); got != "13802561234,0755-83216688转801" {
		t.Errorf("phones stored as %s", got)
	}
	err = a.apply(arcDesk, "contact.create", sync.ContactArgs{CustomerID: hq.ID, SiteIDs: []string{otherSite.ID, sync.NewID()}, Name: "x", Phones: []string{"12345"}}, nil)
	wantInvalid(t, err, "siteIds[0]", "other_customer")
	wantInvalid(t, err, "siteIds[1]", "not_found")
	wantInvalid(t, err, "phones[0]", "invalid_phone")
	err = a.apply(arcDesk, "contact.create", sync.ContactArgs{CustomerID: sync.NewID(), Name: "x", Phones: []string{"13800000000"}}, nil)
	wantInvalid(t, err, "customerId", "not_found")

	// The caller lookup: the office line without its extension, any form.
	for _, number := range []string{"0755-83216688", "+86 755 8321 6688", "13802561234"} {
		l, err := a.e.Archive().Contacts(context.Background(), sync.ContactQuery{Phone: number})
		if err != nil || l.Total != 1 || l.Items[0].ID != c.ID || l.Items[0].CustomerName != hq.Name {
			t.Errorf("lookup %s: %v %+v", number, err, l)
		}
	}
	// A partial number matches by digits.
	if l, _ := a.e.Archive().Contacts(context.Background(), sync.ContactQuery{Phone: "6688"}); l.Total != 1 {
		t.Errorf("partial number: %d contacts", l.Total)
	}
	newPhones := []string{"13912345678"}
	a.must("contact.update", sync.UpdateContactArgs{ID: c.ID, ContactPatch: sync.ContactPatch{Phones: &newPhones}}, nil)
	if l, _ := a.e.Archive().Contacts(context.Background(), sync.ContactQuery{Phone: "0755-83216688"}); l.Total != 0 {
		t.Errorf("old number still indexed: %+v", l)
	}
	if l, _ := a.e.Archive().Contacts(context.Background(), sync.ContactQuery{Phone: "139-1234-5678"}); l.Total != 1 {
		t.Errorf("new number not indexed")
	}
	// Contacts of a site include the customer's contacts for all sites.
	a.must("contact.create", sync.ContactArgs{CustomerID: hq.ID, Name: "刘主管", Phones: []string{"13700001111"}}, nil)
	if l, _ := a.e.Archive().Contacts(context.Background(), sync.ContactQuery{SiteID: s.ID}); l.Total != 2 {
		t.Errorf("site contacts: %d, want 2", l.Total)
	}
}

func TestContractLifecycle(t *testing.T) {
	a := openArchive(t)
	hq := a.customer("深圳市华强物业管理有限公司")
	s := a.site(hq.ID, "华强大厦", "福田区")
	other := a.customer("别家")
	os := a.site(other.ID, "别家大厦", "南山区")

	c := a.contract(hq.ID, domain.ContractAnnual, "HQ-WB-2026-001", "2026-04-01", "2027-03-31", "", cover(s.ID, domain.SystemCCTV))
	if c.Stage != domain.StageQ || len(c.History) != 1 || c.History[0].By != arcDesk.UserID {
		t.Errorf("new contract %+v", c)
	}
	err := a.apply(arcDesk, "contract.create", sync.ContractArgs{CustomerID: hq.ID, ContractTerms: sync.ContractTerms{Number: "X", Kind: domain.ContractAnnual,
		Covers: []domain.ContractCover{cover(os.ID, domain.SystemCCTV), cover(sync.NewID(), "tv")}, StartDate: "2026-02-30", EndDate: "2026-01-01", AnnualPriceFen: 100}}, nil)
	wantInvalid(t, err, "covers[0].siteId", "other_customer")
	wantInvalid(t, err, "covers[1].siteId", "not_found")
	wantInvalid(t, err, "covers[1].system", "invalid_system")
	wantInvalid(t, err, "startDate", "invalid_date")
	err = a.apply(arcDesk, "contract.create", sync.ContractArgs{CustomerID: hq.ID, ContractTerms: sync.ContractTerms{Number: "P", Kind: domain.ContractProject,
		Covers: []domain.ContractCover{cover(s.ID, domain.SystemPA)}, StartDate: "2026-01-01", EndDate: "2026-06-30", AnnualPriceFen: 100}}, nil)
	wantInvalid(t, err, "warrantyUntil", "required")
	wantInvalid(t, err, "annualPriceFen", "not_applicable")

	// Q → B → S, then no way back.
	a.move(c.ID, domain.StageB)
	kind := domain.ContractPerVisit
	wantKind(t, a.apply(arcDesk, "contract.update", sync.UpdateContractArgs{ID: c.ID, ContractPatch: sync.ContractPatch{Kind: &kind}}, nil),
		domain.KindConflict, "contract.kind_locked")
	wantKind(t, a.apply(arcDesk, "contract.renew", sync.RenewContractArgs{PreviousID: c.ID}, nil), domain.KindConflict, "contract.not_in_follow_up")
	a.move(c.ID, domain.StageS)
	wantKind(t, a.apply(arcDesk, "contract.moveStage", sync.MoveStageArgs{ID: c.ID, StageMove: sync.StageMove{Stage: domain.StageQ}}, nil),
		domain.KindConflict, "contract.bad_stage_move")
	wantInvalid(t, a.apply(arcDesk, "contract.moveStage", sync.MoveStageArgs{ID: c.ID, StageMove: sync.StageMove{Stage: "Z"}}, nil), "stage", "invalid_stage")
	wantKind(t, a.apply(arcDesk, "contract.moveStage", sync.MoveStageArgs{ID: sync.NewID(), StageMove: sync.StageMove{Stage: domain.StageB}}, nil),
		domain.KindNotFound, "not_found")

	// The renewal starts at Q for the same customer and points back.
	var r domain.Contract
	a.must("contract.renew", sync.RenewContractArgs{PreviousID: c.ID, RenewalArgs: sync.RenewalArgs{ContractTerms: sync.ContractTerms{
		Number: "HQ-WB-2027-001", Kind: domain.ContractAnnual, Covers: c.Covers, StartDate: "2027-04-01", EndDate: "2028-03-31", AnnualPriceFen: 1_300_000}}}, &r)
	if r.PreviousID != c.ID || r.CustomerID != hq.ID || r.Stage != domain.StageQ {
		t.Errorf("renewal %+v", r)
	}
	// An updated number and dates keep the end-date index in step.
	a.must("contract.update", sync.UpdateContractArgs{ID: r.ID, ContractPatch: sync.ContractPatch{StartDate: ptr("2026-01-01"), EndDate: ptr("2026-12-20")}}, nil)
	l, err := a.e.Archive().ContractsEnding(context.Background(), 30)
	if err != nil || l.Total != 1 || l.Items[0].Contract.ID != r.ID || l.Items[0].DaysLeft != 25 || l.Items[0].CustomerName != hq.Name {
		t.Errorf("ending within 30 days: %v %+v", err, l)
	}
}

func TestContractAudit(t *testing.T) {
	a := openArchive(t)
	cu := a.customer("深圳市罗湖区翠竹小学")
	s := a.site(cu.ID, "翠竹小学", "罗湖区")
	p := a.contract(cu.ID, domain.ContractProject, "CZ-GC-2026-004", "2026-01-01", "2026-06-30", "2028-06-30", cover(s.ID, domain.SystemPA))

	wantKind(t, a.apply(arcDesk, "contract.recordAudit", sync.RecordAuditArgs{ID: p.ID}, nil), domain.KindConflict, "contract.not_in_audit")
	a.move(p.ID, domain.StageY)
	wantKind(t, a.apply(arcDesk, "contract.moveStage", sync.MoveStageArgs{ID: p.ID, StageMove: sync.StageMove{Stage: domain.StageB}}, nil),
		domain.KindConflict, "contract.audit_not_passed")

	hash := storeFile(t, a, "竣工图纸")
	err := a.apply(arcDesk, "contract.recordAudit", sync.RecordAuditArgs{ID: p.ID, AuditArgs: sync.AuditArgs{
		Documents: map[domain.DocumentKind][]string{domain.DocDrawings: {hash}, domain.DocTestReport: {strings.Repeat("ab", 32)}},
		Verdict:   domain.AuditPass}}, nil)
	wantInvalid(t, err, "documents.test_report[0]", "unknown_file")
	wantInvalid(t, err, "documents.equipment_list", "required")

	docs := map[domain.DocumentKind][]string{}
	for _, k := range domain.DocumentKinds() {
		if k != domain.DocConfigBackup {
			docs[k] = []string{storeFile(t, a, string(k))}
		}
	}
	var audited domain.Contract
	a.must("contract.recordAudit", sync.RecordAuditArgs{ID: p.ID, AuditArgs: sync.AuditArgs{Documents: docs,
		Waived: []domain.DocumentKind{domain.DocConfigBackup}, Verdict: domain.AuditPass, Note: "合格"}}, &audited)
	if audited.Audit == nil || audited.Audit.AuditedBy != arcDesk.UserID || !audited.Audit.AuditedAt.Equal(arcNow) {
		t.Errorf("audit %+v", audited.Audit)
	}
	if b := a.move(p.ID, domain.StageB); b.Stage != domain.StageB || len(b.History) != 3 {
		t.Errorf("after the audit: %+v", b)
	}

	// An import starts at B with the documents it brings.
	var imp domain.Contract
	a.must("contract.create", sync.ContractArgs{CustomerID: cu.ID, AuditedBeforeSystem: true,
		Audit: &sync.AuditArgs{Documents: map[domain.DocumentKind][]string{domain.DocDrawings: {hash}}},
		ContractTerms: sync.ContractTerms{Number: "OLD-1", Kind: domain.ContractPerVisit, Covers: []domain.ContractCover{cover(s.ID, domain.SystemCCTV)},
			StartDate: "2025-01-01", EndDate: "2026-12-31"}}, &imp)
	if imp.Stage != domain.StageB || imp.Audit == nil || imp.History[0].Note == "" {
		t.Errorf("import %+v", imp)
	}
}

// storeFile stores a small text file and registers it.
func storeFile(t *testing.T, a *arc, text string) string {
	t.Helper()
	hash, size, err := a.st.Blobs().Put(context.Background(), strings.NewReader(text), 0)
	if err != nil {
		t.Fatal(err)
	}
	var f sync.FileRecord
	a.must("file.register", sync.FileArgs{Hash: hash, Name: "../../" + text + ".txt", ContentType: "text/plain", Size: size}, &f)
	if f.Name != text+".txt" || f.UploadedBy != arcDesk.UserID {
		t.Errorf("file %+v: want a clean name and the uploader", f)
	}
	return hash
}

func TestFileRegister(t *testing.T) {
	a := openArchive(t)
	hash := storeFile(t, a, "说明书")
	var again sync.FileRecord
	a.must("file.register", sync.FileArgs{Hash: hash, Name: "其他名字.txt", ContentType: "text/plain", Size: 9}, &again)
	if again.Name != "说明书.txt" {
		t.Errorf("second registration changed the record: %+v", again)
	}
	err := a.apply(arcDesk, "file.register", sync.FileArgs{Hash: strings.Repeat("0", 64), Name: "x", ContentType: "text/html", Size: 0}, nil)
	wantInvalid(t, err, "hash", "unknown_blob")
	wantInvalid(t, err, "contentType", "invalid_choice")
	wantInvalid(t, err, "size", "must_be_positive")
}

func TestEquipment(t *testing.T) {
	a := openArchive(t)
	hq := a.customer("深圳市华强物业管理有限公司")
	s := a.site(hq.ID, "华强大厦", "福田区")
	s2 := a.site(hq.ID, "华强花园", "福田区")
	other := a.site(a.customer("别家").ID, "别家大厦", "南山区")

	tokens := map[string]bool{}
	var first sync.EquipmentRecord
	for i := range 40 {
		e := a.equipment(s.ID, domain.ItemCCTVCamera)
		if i == 0 {
			first = e
		}
		if len(e.QRToken) < 26 || strings.Trim(e.QRToken, "abcdefghijklmnopqrstuvwxyz234567") != "" || tokens[e.QRToken] {
			t.Fatalf("QR token %q: want 26+ base32 characters, unique", e.QRToken)
		}
		tokens[e.QRToken] = true
	}
	if first.System != domain.SystemCCTV || first.CustomerID != hq.ID || first.Retired || first.HasCredential {
		t.Errorf("equipment %+v", first)
	}
	found, err := a.e.Archive().EquipmentByQR(context.Background(), first.QRToken)
	if err != nil || found.Equipment.ID != first.ID || found.Site.ID != s.ID {
		t.Errorf("by QR: %v %+v", err, found)
	}

	err = a.apply(arcDesk, "equipment.create", sync.EquipmentArgs{SiteID: sync.NewID(), ItemType: domain.ItemTelephonePBX}, nil)
	wantInvalid(t, err, "siteId", "not_found")
	wantInvalid(t, err, "attributes.ports", "required")
	err = a.apply(arcDesk, "equipment.create", sync.EquipmentArgs{SiteID: s.ID, System: domain.SystemPA, ItemType: domain.ItemCCTVCamera, InstallDate: "2026-13-01"}, nil)
	wantInvalid(t, err, "itemType", "system_mismatch")
	wantInvalid(t, err, "installDate", "invalid_date")
	wantKind(t, a.apply(arcDesk, "equipment.update", json.RawMessage(`{"id":"`+first.ID+`","qrToken":"abcdefabcdefabcdef"}`), nil),
		domain.KindInvalid, "invalid_args")

	var up sync.EquipmentRecord
	a.must("equipment.update", sync.UpdateEquipmentArgs{ID: first.ID, EquipmentPatch: sync.EquipmentPatch{
		SiteID: &s2.ID, ItemType: ptr(domain.ItemCCTVRecorder), Location: ptr("地下二层停车场"), InstallDate: ptr("2024-05-20")}}, &up)
	if up.SiteID != s2.ID || up.ItemType != domain.ItemCCTVRecorder || up.QRToken != first.QRToken || up.InstallDate.String() != "2024-05-20" {
		t.Errorf("updated %+v", up)
	}
	wantInvalid(t, a.apply(arcDesk, "equipment.update", sync.UpdateEquipmentArgs{ID: first.ID, EquipmentPatch: sync.EquipmentPatch{SiteID: &other.ID}}, nil),
		"siteId", "other_customer")

	var r sync.EquipmentRecord
	a.must("equipment.retire", sync.RetireEquipmentArgs{ID: first.ID, Retirement: sync.Retirement{Reason: "硬盘损坏，整机更换"}}, &r)
	if !r.Retired || r.RetiredAt == nil || r.RetiredReason == "" {
		t.Errorf("retired %+v", r)
	}
	wantKind(t, a.apply(arcDesk, "equipment.update", sync.UpdateEquipmentArgs{ID: first.ID, EquipmentPatch: sync.EquipmentPatch{Model: ptr("x")}}, nil),
		domain.KindConflict, "equipment.retired")
	wantKind(t, a.apply(arcDesk, "equipment.retire", sync.RetireEquipmentArgs{ID: first.ID}, nil), domain.KindConflict, "equipment.retired")
	wantKind(t, a.apply(arcDesk, "equipment.retire", sync.RetireEquipmentArgs{ID: "x"}, nil), domain.KindNotFound, "not_found")

	ctx := context.Background()
	live, _ := a.e.Archive().Equipment(ctx, sync.EquipmentQuery{CustomerID: hq.ID})
	all, _ := a.e.Archive().Equipment(ctx, sync.EquipmentQuery{CustomerID: hq.ID, IncludeRetired: true})
	if live.Total != 39 || all.Total != 40 || len(live.Items) != sync.DefaultPageSize {
		t.Errorf("equipment lists: %d live, %d all, page of %d", live.Total, all.Total, len(live.Items))
	}
	sum, _ := a.e.Archive().Customers(ctx, sync.CustomerQuery{Q: "华强"})
	if sum.Total != 1 || sum.Items[0].Summary.Equipment != 39 || sum.Items[0].Summary.Sites != 2 {
		t.Errorf("summary %+v", sum.Items)
	}
}

// TestMutationsOnMissingRecords: every mutation acting on a record answers
// not found for an unknown id, and writes nothing.
func TestMutationsOnMissingRecords(t *testing.T) {
	a := openArchive(t)
	id := sync.NewID()
	tests := []struct {
		name string
		args any
	}{
		{"customer.update", sync.UpdateCustomerArgs{ID: id}},
		{"site.update", sync.UpdateSiteArgs{ID: id}},
		{"contact.update", sync.UpdateContactArgs{ID: id}},
		{"contract.update", sync.UpdateContractArgs{ID: id}},
		{"contract.moveStage", sync.MoveStageArgs{ID: id, StageMove: sync.StageMove{Stage: domain.StageB}}},
		{"contract.recordAudit", sync.RecordAuditArgs{ID: id}},
		{"contract.renew", sync.RenewContractArgs{PreviousID: id}},
		{"equipment.update", sync.UpdateEquipmentArgs{ID: id}},
		{"equipment.retire", sync.RetireEquipmentArgs{ID: id}},
		{"credential.set", sync.SetCredentialArgs{EquipmentID: id, Credential: sync.Credential{Password: "x"}}},
		{"credential.reveal", sync.RevealCredentialArgs{EquipmentID: id}},
		{"customer.update", sync.UpdateCustomerArgs{}},
		{"equipment.update", sync.UpdateEquipmentArgs{ID: "a\x00b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKind(t, a.apply(arcDesk, tt.name, tt.args, nil), domain.KindNotFound, "not_found")
		})
	}
	if n := len(changes(t, a.st)); n != 0 {
		t.Errorf("refused mutations wrote %d changes", n)
	}
}
