package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

// arContractDraft is a valid draft of each kind for site arID(2).
func arContractDraft(t *testing.T, kind domain.ContractKind) domain.Contract {
	t.Helper()
	c := domain.Contract{
		ID: arID(20), CustomerID: arID(1), Number: "HQ-2026-007", Kind: kind,
		Covers:    []domain.ContractCover{{SiteID: arID(2), System: domain.SystemCCTV}},
		StartDate: arDate(t, "2026-04-01"), EndDate: arDate(t, "2027-03-31"),
	}
	switch kind {
	case domain.ContractProject:
		c.EndDate = arDate(t, "2026-06-30")
		c.WarrantyUntil = arDate(t, "2028-06-30")
	case domain.ContractAnnual:
		c.AnnualPriceFen = 12_800_00
	}
	return c
}

// arFullAudit is an audit that passes.
func arFullAudit() domain.ContractAudit {
	docs := map[domain.DocumentKind][]string{}
	for i, k := range domain.DocumentKinds() {
		docs[k] = []string{"sha256:" + strings.Repeat(string(rune('a'+i)), 64)}
	}
	return domain.ContractAudit{Documents: docs, Verdict: domain.AuditPass, AuditedAt: arAt(30), AuditedBy: arID(90)}
}

func TestNewContract(t *testing.T) {
	tests := []struct {
		name string
		kind domain.ContractKind
		edit func(*domain.Contract)
		want map[string]string
	}{
		{"project", domain.ContractProject, func(*domain.Contract) {}, nil},
		{"annual", domain.ContractAnnual, func(*domain.Contract) {}, nil},
		{"per visit", domain.ContractPerVisit, func(*domain.Contract) {}, nil},
		{"one-day contract", domain.ContractPerVisit, func(c *domain.Contract) { c.EndDate = c.StartDate }, nil},
		{"warranty ends on completion day", domain.ContractProject, func(c *domain.Contract) { c.WarrantyUntil = c.EndDate }, nil},
		{"nothing", domain.ContractAnnual, func(c *domain.Contract) { *c = domain.Contract{} }, map[string]string{
			"id": "required", "customerId": "required", "number": "required", "kind": "required",
			"covers": "required", "startDate": "required", "endDate": "required",
		}},
		{"unknown kind", domain.ContractAnnual, func(c *domain.Contract) { c.Kind = "lease"; c.AnnualPriceFen = 0 },
			map[string]string{"kind": "invalid_kind"}},
		{"end before start", domain.ContractAnnual, func(c *domain.Contract) { c.EndDate = c.StartDate.AddDays(-1) },
			map[string]string{"endDate": "end_before_start"}},
		{"project without warranty", domain.ContractProject, func(c *domain.Contract) { c.WarrantyUntil = domain.Date{} },
			map[string]string{"warrantyUntil": "required"}},
		{"warranty before completion", domain.ContractProject, func(c *domain.Contract) { c.WarrantyUntil = c.EndDate.AddDays(-1) },
			map[string]string{"warrantyUntil": "before_end"}},
		{"warranty on an annual contract", domain.ContractAnnual, func(c *domain.Contract) { c.WarrantyUntil = c.EndDate },
			map[string]string{"warrantyUntil": "not_applicable"}},
		{"annual without price", domain.ContractAnnual, func(c *domain.Contract) { c.AnnualPriceFen = 0 },
			map[string]string{"annualPriceFen": "required"}},
		{"annual negative price", domain.ContractAnnual, func(c *domain.Contract) { c.AnnualPriceFen = -1 },
			map[string]string{"annualPriceFen": "negative"}},
		{"price on a per-visit contract", domain.ContractPerVisit, func(c *domain.Contract) { c.AnnualPriceFen = 100 },
			map[string]string{"annualPriceFen": "not_applicable"}},
		{"covers checked", domain.ContractAnnual, func(c *domain.Contract) {
			c.Covers = []domain.ContractCover{
				{SiteID: arID(2), System: domain.SystemCCTV},
				{SiteID: arID(2), System: domain.SystemCCTV},
				{SiteID: "", System: "hvac"},
				{SiteID: arID(3), System: ""},
			}
		}, map[string]string{
			"covers[1]": "duplicate", "covers[2].siteId": "required", "covers[2].system": "invalid_system",
			"covers[3].system": "required",
		}},
		{"renews itself", domain.ContractAnnual, func(c *domain.Contract) { c.PreviousID = c.ID },
			map[string]string{"previousId": "self_reference"}},
		{"number too long", domain.ContractAnnual, func(c *domain.Contract) { c.Number = strings.Repeat("9", 101) },
			map[string]string{"number": "too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := arContractDraft(t, tt.kind)
			tt.edit(&d)
			c, err := domain.NewContract(d, arAt(0), arID(90))
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Fatalf("problems (-got +want):\n%s", diff)
			}
			if err != nil {
				return
			}
			want := []domain.StageEntry{{Stage: domain.StageQ, At: arAt(0), By: arID(90)}}
			if diff := cmp.Diff(c.History, want); diff != "" || c.Stage != domain.StageQ {
				t.Errorf("stage %q, history (-got +want):\n%s", c.Stage, diff)
			}
		})
	}
}

func TestNewContractResetsDraftState(t *testing.T) {
	d := arContractDraft(t, domain.ContractProject)
	d.Stage = domain.StageS
	d.History = []domain.StageEntry{{Stage: domain.StageS}}
	a := arFullAudit()
	d.Audit = &a
	c, err := domain.NewContract(d, arAt(0), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	if c.Stage != domain.StageQ || len(c.History) != 1 || c.Audit != nil {
		t.Errorf("draft state kept: stage %q, history %v, audit %v", c.Stage, c.History, c.Audit)
	}
}

func TestNewContractImportStartsAtB(t *testing.T) {
	d := arContractDraft(t, domain.ContractProject)
	d.AuditedBeforeSystem = true
	a := arFullAudit()
	d.Audit = &a
	c, err := domain.NewContract(d, arAt(0), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.StageEntry{{Stage: domain.StageB, At: arAt(0), By: arID(90), Note: "audited before the system"}}
	if diff := cmp.Diff(c.History, want); diff != "" || c.Stage != domain.StageB {
		t.Errorf("stage %q, history (-got +want):\n%s", c.Stage, diff)
	}
	if c.Audit == nil || c.Audit == &a {
		t.Errorf("import's audit not kept as a copy: %p", c.Audit)
	}
}

// TestContractStageTable checks every (kind, from, to) against a list
// written apart from the table in the code.
func TestContractStageTable(t *testing.T) {
	allowed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(`
project   -> Q
project   -> B
project   Q  Y
project   Y  B
project   B  S
annual    -> Q
annual    -> B
annual    Q  Y
annual    Q  B
annual    Y  B
annual    B  S
per_visit -> Q
per_visit -> B
per_visit Q  B
per_visit B  S`), "\n") {
		f := strings.Fields(line)
		if f[1] == "->" {
			f[1] = ""
		}
		allowed[f[0]+"|"+f[1]+"|"+f[2]] = true
	}
	froms := []domain.ContractStage{domain.StageNone, domain.StageQ, domain.StageY, domain.StageB, domain.StageS}
	n := 0
	for _, kind := range []domain.ContractKind{domain.ContractProject, domain.ContractAnnual, domain.ContractPerVisit} {
		for _, from := range froms {
			for _, to := range domain.ContractStages() {
				key := string(kind) + "|" + string(from) + "|" + string(to)
				t.Run(key, func(t *testing.T) {
					err := domain.CanMoveContract(kind, from, to)
					if allowed[key] {
						n++
						if err != nil {
							t.Errorf("refused: %v", err)
						}
						return
					}
					if arCode(err) != "contract.bad_stage_move" || domain.KindOf(err) != domain.KindConflict {
						t.Errorf("err = %v, want contract.bad_stage_move", err)
					}
				})
			}
		}
	}
	if n != len(allowed) {
		t.Errorf("%d allowed moves found, list has %d", n, len(allowed))
	}
}

func TestCanMoveContractInvalid(t *testing.T) {
	tests := []struct {
		name     string
		kind     domain.ContractKind
		from, to domain.ContractStage
		code     string
	}{
		{"unknown kind", "lease", domain.StageQ, domain.StageY, "contract.invalid_kind"},
		{"unknown from", domain.ContractProject, "X", domain.StageY, "contract.invalid_stage"},
		{"unknown to", domain.ContractProject, domain.StageQ, "X", "contract.invalid_stage"},
		{"to none", domain.ContractProject, domain.StageQ, domain.StageNone, "contract.invalid_stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := arCode(domain.CanMoveContract(tt.kind, tt.from, tt.to)); got != tt.code {
				t.Errorf("code = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestContractStageLabels(t *testing.T) {
	want := map[domain.ContractStage]string{domain.StageQ: "签订合同", domain.StageY: "验收", domain.StageB: "保修", domain.StageS: "跟进"}
	for _, s := range domain.ContractStages() {
		if s.Label() != want[s] {
			t.Errorf("%s: %q, want %q", s, s.Label(), want[s])
		}
	}
	for k, w := range map[domain.ContractKind]string{"project": "工程合同", "annual": "按年合同", "per_visit": "按次合同"} {
		if k.Label() != w {
			t.Errorf("%s: %q, want %q", k, k.Label(), w)
		}
	}
}

func TestContractLifecycleProject(t *testing.T) {
	c, err := domain.NewContract(arContractDraft(t, domain.ContractProject), arAt(0), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func() error
		code string
	}{
		{"audit refused at Q", func() error { return c.RecordAudit(arFullAudit()) }, "contract.not_in_audit"},
		{"Q to B skips the audit", func() error { return c.MoveTo(domain.StageB, arAt(1), arID(90), "") }, "contract.bad_stage_move"},
		{"Q to Y", func() error { return c.MoveTo(domain.StageY, arAt(2), arID(90), "竣工") }, ""},
		{"Y to B without audit", func() error { return c.MoveTo(domain.StageB, arAt(3), arID(90), "") }, "contract.audit_not_passed"},
		{"failed audit", func() error {
			a := domain.ContractAudit{Verdict: domain.AuditFail, Note: "线缆未标识", AuditedAt: arAt(4), AuditedBy: arID(90)}
			return c.RecordAudit(a)
		}, ""},
		{"Y to B after a failed audit", func() error { return c.MoveTo(domain.StageB, arAt(5), arID(90), "") }, "contract.audit_not_passed"},
		{"pass with a missing document", func() error {
			a := arFullAudit()
			delete(a.Documents, domain.DocManual)
			return c.RecordAudit(a)
		}, "invalid"},
		{"passed audit", func() error { return c.RecordAudit(arFullAudit()) }, ""},
		{"moving back in time", func() error { return c.MoveTo(domain.StageB, arAt(1), arID(90), "") }, "invalid"},
		{"move without who", func() error { return c.MoveTo(domain.StageB, arAt(6), "", "") }, "invalid"},
		{"Y to B", func() error { return c.MoveTo(domain.StageB, arAt(6), arID(90), "") }, ""},
		{"B to Y goes back", func() error { return c.MoveTo(domain.StageY, arAt(7), arID(90), "") }, "contract.bad_stage_move"},
		{"B to S", func() error { return c.MoveTo(domain.StageS, arAt(8), arID(90), "续约跟进") }, ""},
		{"S to Q is a new contract", func() error { return c.MoveTo(domain.StageQ, arAt(9), arID(90), "") }, "contract.bad_stage_move"},
		{"S to S", func() error { return c.MoveTo(domain.StageS, arAt(9), arID(90), "") }, "contract.bad_stage_move"},
	}
	for _, s := range steps {
		if got := arCode(s.do()); got != s.code {
			t.Fatalf("%s: code %q, want %q", s.name, got, s.code)
		}
	}
	var stages []domain.ContractStage
	for _, e := range c.History {
		stages = append(stages, e.Stage)
	}
	if diff := cmp.Diff(stages, []domain.ContractStage{"Q", "Y", "B", "S"}); diff != "" {
		t.Errorf("history (-got +want):\n%s", diff)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate after the lifecycle: %v", err)
	}
}

func TestContractLifecycleShortKinds(t *testing.T) {
	for _, kind := range []domain.ContractKind{domain.ContractAnnual, domain.ContractPerVisit} {
		t.Run(string(kind), func(t *testing.T) {
			c, err := domain.NewContract(arContractDraft(t, kind), arAt(0), arID(90))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.MoveTo(domain.StageB, arAt(1), arID(90), ""); err != nil {
				t.Fatalf("Q to B: %v", err)
			}
			if err := c.MoveTo(domain.StageS, arAt(2), arID(90), ""); err != nil {
				t.Fatalf("B to S: %v", err)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
	t.Run("annual with its optional audit", func(t *testing.T) {
		c, err := domain.NewContract(arContractDraft(t, domain.ContractAnnual), arAt(0), arID(90))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.MoveTo(domain.StageY, arAt(1), arID(90), "接管审核"); err != nil {
			t.Fatal(err)
		}
		if err := c.RecordAudit(arFullAudit()); err != nil {
			t.Fatal(err)
		}
		if err := c.MoveTo(domain.StageB, arAt(2), arID(90), ""); err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Validate: %v", err)
		}
	})
	t.Run("per visit has no audit", func(t *testing.T) {
		c, err := domain.NewContract(arContractDraft(t, domain.ContractPerVisit), arAt(0), arID(90))
		if err != nil {
			t.Fatal(err)
		}
		if got := arCode(c.MoveTo(domain.StageY, arAt(1), arID(90), "")); got != "contract.bad_stage_move" {
			t.Errorf("Q to Y: code %q", got)
		}
	})
	t.Run("unregistered contract cannot move", func(t *testing.T) {
		c := arContractDraft(t, domain.ContractAnnual)
		if got := arCode(c.MoveTo(domain.StageQ, arAt(1), arID(90), "")); got != "contract.bad_stage_move" {
			t.Errorf("code %q", got)
		}
	})
}

func TestContractValidateHistory(t *testing.T) {
	base := func(t *testing.T) domain.Contract {
		c, err := domain.NewContract(arContractDraft(t, domain.ContractProject), arAt(0), arID(90))
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []func() error{
			func() error { return c.MoveTo(domain.StageY, arAt(1), arID(90), "") },
			func() error { return c.RecordAudit(arFullAudit()) },
			func() error { return c.MoveTo(domain.StageB, arAt(2), arID(90), "") },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	tests := []struct {
		name string
		edit func(*domain.Contract)
		want map[string]string
	}{
		{"consistent", func(*domain.Contract) {}, nil},
		{"stage edited by hand", func(c *domain.Contract) { c.Stage = domain.StageS },
			map[string]string{"stage": "history_mismatch"}},
		{"unknown stage", func(c *domain.Contract) { c.Stage = "Z" },
			map[string]string{"stage": "invalid_stage"}},
		{"no history", func(c *domain.Contract) { c.History = nil },
			map[string]string{"history": "required"}},
		{"history skips Y", func(c *domain.Contract) { c.History = append(c.History[:1], c.History[2]); c.Audit = nil },
			map[string]string{"history[1].stage": "invalid_move"}},
		{"history out of order", func(c *domain.Contract) { c.History[2].At = arAt(-5) },
			map[string]string{"history[2].at": "out_of_order"}},
		{"entry without who and when", func(c *domain.Contract) { c.History[1].By = ""; c.History[1].At = time.Time{} },
			map[string]string{"history[1].at": "required", "history[1].by": "required"}},
		{"audit removed after Y", func(c *domain.Contract) { c.Audit = nil },
			map[string]string{"audit": "required"}},
		{"audit failed after Y", func(c *domain.Contract) {
			a := *c.Audit
			a.Verdict, a.Note = domain.AuditFail, "返工"
			c.Audit = &a
		}, map[string]string{"audit.verdict": "not_passed"}},
		{"import flag on a contract that started at Q", func(c *domain.Contract) { c.AuditedBeforeSystem = true },
			map[string]string{"auditedBeforeSystem": "inconsistent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base(t)
			tt.edit(&c)
			if diff := cmp.Diff(arFields(t, c.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestContractValidateAuditPlacement(t *testing.T) {
	c, err := domain.NewContract(arContractDraft(t, domain.ContractAnnual), arAt(0), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	a := arFullAudit()
	c.Audit = &a
	want := map[string]string{"audit": "not_applicable"}
	if diff := cmp.Diff(arFields(t, c.Validate()), want); diff != "" {
		t.Errorf("audit at Q: problems (-got +want):\n%s", diff)
	}

	d := arContractDraft(t, domain.ContractProject)
	d.AuditedBeforeSystem = true
	bad := domain.ContractAudit{Verdict: domain.AuditFail, AuditedAt: arAt(0), AuditedBy: arID(90)}
	d.Audit = &bad
	_, err = domain.NewContract(d, arAt(0), arID(90))
	want = map[string]string{"audit.note": "required"}
	if diff := cmp.Diff(arFields(t, err), want); diff != "" {
		t.Errorf("import with a bad audit: problems (-got +want):\n%s", diff)
	}
}

func TestNewRenewal(t *testing.T) {
	prev, err := domain.NewContract(arContractDraft(t, domain.ContractAnnual), arAt(0), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	next := arContractDraft(t, domain.ContractAnnual)
	next.ID, next.CustomerID, next.Number = arID(21), arID(999), "HQ-2027-003"
	next.StartDate, next.EndDate = arDate(t, "2027-04-01"), arDate(t, "2028-03-31")
	next.AuditedBeforeSystem = true

	if _, err := domain.NewRenewal(prev, next, arAt(10), arID(90)); arCode(err) != "contract.not_in_follow_up" {
		t.Fatalf("renewal of a contract at Q: %v", err)
	}
	if err := prev.MoveTo(domain.StageB, arAt(1), arID(90), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := domain.NewRenewal(prev, next, arAt(10), arID(90)); arCode(err) != "contract.not_in_follow_up" {
		t.Fatalf("renewal of a contract at B: %v", err)
	}
	if err := prev.MoveTo(domain.StageS, arAt(2), arID(90), ""); err != nil {
		t.Fatal(err)
	}
	got, err := domain.NewRenewal(prev, next, arAt(10), arID(90))
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != domain.StageQ || got.PreviousID != prev.ID || got.CustomerID != prev.CustomerID || got.AuditedBeforeSystem {
		t.Errorf("renewal = stage %q previous %q customer %q imported %v", got.Stage, got.PreviousID, got.CustomerID, got.AuditedBeforeSystem)
	}
	if prev.Stage != domain.StageS {
		t.Errorf("previous contract moved to %q", prev.Stage)
	}
	same := next
	same.ID = prev.ID
	if _, err := domain.NewRenewal(prev, same, arAt(10), arID(90)); arFields(t, err)["previousId"] != "self_reference" {
		t.Errorf("renewal with the old id: %v", err)
	}
}

func TestContractAuditValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*domain.ContractAudit)
		want map[string]string
	}{
		{"full pass", func(*domain.ContractAudit) {}, nil},
		{"pending with nothing", func(a *domain.ContractAudit) { *a = domain.ContractAudit{} }, nil},
		{"pass with a waived kind", func(a *domain.ContractAudit) {
			delete(a.Documents, domain.DocConfigBackup)
			a.Waived = []domain.DocumentKind{domain.DocConfigBackup}
		}, nil},
		{"pass missing two kinds", func(a *domain.ContractAudit) {
			delete(a.Documents, domain.DocDrawings)
			delete(a.Documents, domain.DocTestReport)
		}, map[string]string{"documents.drawings": "required", "documents.test_report": "required"}},
		{"waived and filed", func(a *domain.ContractAudit) { a.Waived = []domain.DocumentKind{domain.DocManual} },
			map[string]string{"waived[0]": "has_documents"}},
		{"waived twice and unknown", func(a *domain.ContractAudit) {
			delete(a.Documents, domain.DocManual)
			a.Waived = []domain.DocumentKind{domain.DocManual, domain.DocManual, "photos"}
		}, map[string]string{"waived[1]": "duplicate", "waived[2]": "invalid_kind"}},
		{"unknown document kind", func(a *domain.ContractAudit) { a.Documents["photos"] = []string{"sha256:" + strings.Repeat("f", 64)} },
			map[string]string{"documents.photos": "invalid_kind"}},
		{"bad and repeated hashes", func(a *domain.ContractAudit) {
			h := a.Documents[domain.DocDrawings][0]
			a.Documents[domain.DocDrawings] = []string{h, h, "short", "has space in it ok?"}
		}, map[string]string{"documents.drawings[1]": "duplicate", "documents.drawings[2]": "invalid_hash", "documents.drawings[3]": "invalid_hash"}},
		{"fail needs a note", func(a *domain.ContractAudit) { a.Verdict = domain.AuditFail },
			map[string]string{"note": "required"}},
		{"verdict needs who and when", func(a *domain.ContractAudit) { a.AuditedAt = time.Time{}; a.AuditedBy = "" },
			map[string]string{"auditedAt": "required", "auditedBy": "required"}},
		{"unknown verdict", func(a *domain.ContractAudit) { a.Verdict = "maybe" },
			map[string]string{"verdict": "invalid_verdict"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := arFullAudit()
			tt.edit(&a)
			if diff := cmp.Diff(arFields(t, a.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestContractAuditLabels(t *testing.T) {
	want := map[domain.DocumentKind]string{"drawings": "图纸", "equipment_list": "设备清单", "test_report": "测试报告",
		"config_backup": "配置与密码", "manual": "使用手册"}
	for _, k := range domain.DocumentKinds() {
		if k.Label() != want[k] {
			t.Errorf("%s: %q, want %q", k, k.Label(), want[k])
		}
	}
	if domain.AuditPass.Label() != "合格" || domain.AuditFail.Label() != "不合格" {
		t.Error("verdict labels")
	}
}
