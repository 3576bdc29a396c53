package domain

import (
	"slices"
	"strings"
	"time"
)

// DocumentKind is a kind of completion document (竣工文档) audited at Y.
type DocumentKind string

// The completion documents of R-QYBS-3.
const (
	DocDrawings      DocumentKind = "drawings"       // 图纸
	DocEquipmentList DocumentKind = "equipment_list" // 设备清单
	DocTestReport    DocumentKind = "test_report"    // 测试报告
	DocConfigBackup  DocumentKind = "config_backup"  // 配置与密码
	DocManual        DocumentKind = "manual"         // 使用手册
)

var documentKindLabels = map[DocumentKind]string{
	DocDrawings:      "图纸",
	DocEquipmentList: "设备清单",
	DocTestReport:    "测试报告",
	DocConfigBackup:  "配置与密码",
	DocManual:        "使用手册",
}

// DocumentKinds returns the document kinds in checklist order.
func DocumentKinds() []DocumentKind {
	return []DocumentKind{DocDrawings, DocEquipmentList, DocTestReport, DocConfigBackup, DocManual}
}

// Valid reports whether k is a known document kind.
func (k DocumentKind) Valid() bool { _, ok := documentKindLabels[k]; return ok }

// Label is the Chinese name of the document kind.
func (k DocumentKind) Label() string { return documentKindLabels[k] }

// AuditVerdict is the audit's verdict on the implementation quality.
type AuditVerdict string

// The verdicts; the empty verdict means the audit is still in progress.
const (
	AuditPending AuditVerdict = ""
	AuditPass    AuditVerdict = "pass" // 合格
	AuditFail    AuditVerdict = "fail" // 不合格
)

// Label is the Chinese name of the verdict.
func (v AuditVerdict) Label() string {
	switch v {
	case AuditPass:
		return "合格"
	case AuditFail:
		return "不合格"
	case AuditPending:
		return "待审核"
	}
	return ""
}

// ContractAudit is the Y stage's record (R-QYBS-3): the completion
// documents, as hashes of stored files per kind, the kinds that do not
// apply (a PA system has no device passwords), and the verdict.
type ContractAudit struct {
	Documents map[DocumentKind][]string `json:"documents,omitempty"` // kind → blob hashes
	Waived    []DocumentKind            `json:"waived,omitempty"`    // kinds marked 不适用
	Verdict   AuditVerdict              `json:"verdict,omitempty"`
	Note      string                    `json:"note,omitempty"` // required for fail
	AuditedAt time.Time                 `json:"auditedAt,omitzero"`
	AuditedBy string                    `json:"auditedBy,omitempty"` // user id
}

// auditMaxFiles bounds the files per document kind.
const auditMaxFiles = 50

// Validate checks the audit: known kinds, plausible hashes without repeats,
// no kind both waived and filed; a verdict needs who and when; fail needs a
// note; pass needs every kind filed or waived (see MissingDocuments).
func (a ContractAudit) Validate() error {
	p := Problems{}
	for k, hashes := range a.Documents {
		f := "documents." + string(k)
		if !k.Valid() {
			p.Add(f, "invalid_kind")
			continue
		}
		if len(hashes) > auditMaxFiles {
			p.Add(f, "too_many")
		}
		for i, h := range hashes {
			if !auditIsHash(h) {
				p.Add(arcField(f, i, ""), "invalid_hash")
			} else if slices.Index(hashes, h) < i {
				p.Add(arcField(f, i, ""), "duplicate")
			}
		}
	}
	for i, k := range a.Waived {
		f := arcField("waived", i, "")
		switch {
		case !k.Valid():
			p.Add(f, "invalid_kind")
		case slices.Index(a.Waived, k) < i:
			p.Add(f, "duplicate")
		case len(a.Documents[k]) > 0:
			p.Add(f, "has_documents")
		}
	}
	switch a.Verdict {
	case AuditPending:
	case AuditPass, AuditFail:
		if a.AuditedAt.IsZero() {
			p.Add("auditedAt", "required")
		}
		arcCheckText(p, "auditedBy", a.AuditedBy, arcMaxKey, true)
	default:
		p.Add("verdict", "invalid_verdict")
	}
	arcCheckText(p, "note", a.Note, arcMaxNote, a.Verdict == AuditFail)
	if a.Verdict == AuditPass {
		for _, k := range a.MissingDocuments() {
			p.Add("documents."+string(k), "required")
		}
	}
	return p.Err()
}

// MissingDocuments lists, in checklist order, the kinds neither filed nor
// waived.
func (a ContractAudit) MissingDocuments() []DocumentKind {
	var out []DocumentKind
	for _, k := range DocumentKinds() {
		if len(a.Documents[k]) == 0 && !slices.Contains(a.Waived, k) {
			out = append(out, k)
		}
	}
	return out
}

// normalized is a deep copy with the note trimmed and the time in UTC, so
// the caller's maps and slices are never shared with the contract.
func (a ContractAudit) normalized() ContractAudit {
	c := a
	c.Note = strings.TrimSpace(a.Note)
	c.AuditedAt = a.AuditedAt.UTC()
	if a.Documents != nil {
		c.Documents = make(map[DocumentKind][]string, len(a.Documents))
		for k, v := range a.Documents {
			c.Documents[k] = slices.Clone(v)
		}
	}
	c.Waived = slices.Clone(a.Waived)
	return c
}

// auditIsHash accepts what a content-addressed blob store names files by:
// 16–128 characters of letters, digits, ':', '-' and '_' ("sha256:ab12…").
func auditIsHash(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
