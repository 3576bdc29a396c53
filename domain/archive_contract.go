package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ContractKind is the kind of a contract (R-ARC-2).
type ContractKind string

// The contract kinds.
const (
	ContractProject  ContractKind = "project"   // 工程合同: installation, with a warranty period
	ContractAnnual   ContractKind = "annual"    // 按年合同: yearly maintenance for a price
	ContractPerVisit ContractKind = "per_visit" // 按次合同: maintenance billed per visit
)

var contractKindLabels = map[ContractKind]string{
	ContractProject:  "工程合同",
	ContractAnnual:   "按年合同",
	ContractPerVisit: "按次合同",
}

// Valid reports whether k is a known contract kind.
func (k ContractKind) Valid() bool { _, ok := contractKindLabels[k]; return ok }

// Label is the Chinese name of the kind.
func (k ContractKind) Label() string { return contractKindLabels[k] }

// ContractCover is one system at one site that a contract covers.
type ContractCover struct {
	SiteID string `json:"siteId"`
	System System `json:"system"`
}

// Contract is a customer's contract (R-ARC-2) with its lifecycle stage
// (R-QYBS). Dates are civil dates, both ends included. Change the stage
// only through MoveTo, RecordAudit and NewRenewal, which keep History.
type Contract struct {
	ID         string          `json:"id"`
	CustomerID string          `json:"customerId"`
	Number     string          `json:"number"` // the paper contract's number
	Kind       ContractKind    `json:"kind"`
	Covers     []ContractCover `json:"covers"`
	StartDate  Date            `json:"startDate"`
	EndDate    Date            `json:"endDate"` // project: completion; others: last day of the period
	// WarrantyUntil is the last day of a project contract's warranty (保内).
	WarrantyUntil Date `json:"warrantyUntil,omitzero"`
	// AnnualPriceFen is an annual contract's price per year.
	AnnualPriceFen int64 `json:"annualPriceFen,omitempty"`
	// PreviousID is the contract this one renews or supplements.
	PreviousID string         `json:"previousId,omitempty"`
	Stage      ContractStage  `json:"stage"`
	History    []StageEntry   `json:"history"`
	Audit      *ContractAudit `json:"audit,omitempty"` // Y's documents and verdict
	// AuditedBeforeSystem marks a contract imported (or taken from paper)
	// that starts at B: its audit happened before ELVcare.
	AuditedBeforeSystem bool   `json:"auditedBeforeSystem,omitempty"`
	Note                string `json:"note,omitempty"`
	// Plans are an annual contract's periodic maintenance (R-FORM-3).
	Plans []MaintenancePlan `json:"plans,omitempty"`
}

// StageEntry records one stage a contract entered: when, by whom, why.
type StageEntry struct {
	Stage ContractStage `json:"stage"`
	At    time.Time     `json:"at"`
	By    string        `json:"by"` // user id
	Note  string        `json:"note,omitempty"`
}

// NewContract registers a contract from a draft (R-QYBS-1): it trims the
// text, replaces any stage and history the draft carried, and starts the
// history at Q, or at B when the draft is marked AuditedBeforeSystem (an
// import, R-QYBS-3). Only an import keeps the draft's audit (the documents
// it brings); at Q the audit is recorded later, at Y. by is the user id.
func NewContract(draft Contract, at time.Time, by string) (Contract, error) {
	c := draft
	c.Number = strings.TrimSpace(c.Number)
	c.Note = strings.TrimSpace(c.Note)
	c.Covers = slices.Clone(c.Covers)
	c.Stage = StageQ
	note := ""
	if c.AuditedBeforeSystem {
		c.Stage, note = StageB, "audited before the system"
	}
	switch {
	case !c.AuditedBeforeSystem || c.Audit == nil:
		c.Audit = nil
	default:
		a := c.Audit.normalized()
		c.Audit = &a
	}
	c.History = []StageEntry{{Stage: c.Stage, At: at.UTC(), By: by, Note: note}}
	return c, c.Validate()
}

// Validate checks the contract's fields and that its history is a path the
// stage table allows, ending at Stage.
func (c Contract) Validate() error {
	p := Problems{}
	arcCheckID(p, "id", c.ID, true)
	arcCheckID(p, "customerId", c.CustomerID, true)
	arcCheckText(p, "number", c.Number, arcMaxName, true)
	arcCheckText(p, "note", c.Note, arcMaxNote, false)
	for i, pl := range c.Plans {
		pl.Validate(fmt.Sprintf("plans[%d].", i), p)
		if c.Kind != ContractAnnual {
			p.Add(fmt.Sprintf("plans[%d].every", i), "plans_need_annual")
		}
	}
	switch {
	case c.Kind == "":
		p.Add("kind", "required")
	case !c.Kind.Valid():
		p.Add("kind", "invalid_kind")
	}
	c.validateCovers(p)
	c.validateDates(p)
	switch {
	case c.Kind != ContractAnnual && c.AnnualPriceFen != 0:
		p.Add("annualPriceFen", "not_applicable")
	case c.Kind == ContractAnnual && c.AnnualPriceFen < 0:
		p.Add("annualPriceFen", "negative")
	case c.Kind == ContractAnnual && c.AnnualPriceFen == 0:
		p.Add("annualPriceFen", "required")
	case c.AnnualPriceFen > priceListMaxFen*100:
		p.Add("annualPriceFen", "too_large")
	}
	arcCheckID(p, "previousId", c.PreviousID, false)
	if c.PreviousID != "" && c.PreviousID == c.ID {
		p.Add("previousId", "self_reference")
	}
	if c.Kind.Valid() {
		c.validateHistory(p)
	}
	return p.Err()
}

func (c Contract) validateCovers(p Problems) {
	if len(c.Covers) == 0 {
		p.Add("covers", "required")
	}
	for i, cv := range c.Covers {
		arcCheckID(p, arcField("covers", i, "siteId"), cv.SiteID, true)
		switch {
		case cv.System == "":
			p.Add(arcField("covers", i, "system"), "required")
		case !cv.System.Valid():
			p.Add(arcField("covers", i, "system"), "invalid_system")
		}
		if slices.Index(c.Covers, cv) < i {
			p.Add(arcField("covers", i, ""), "duplicate")
		}
	}
}

func (c Contract) validateDates(p Problems) {
	if c.StartDate.IsZero() {
		p.Add("startDate", "required")
	}
	switch {
	case c.EndDate.IsZero():
		p.Add("endDate", "required")
	case c.EndDate.Before(c.StartDate):
		p.Add("endDate", "end_before_start")
	}
	switch {
	case c.Kind != ContractProject && !c.WarrantyUntil.IsZero():
		p.Add("warrantyUntil", "not_applicable")
	case c.Kind == ContractProject && c.WarrantyUntil.IsZero():
		p.Add("warrantyUntil", "required")
	case c.Kind == ContractProject && c.WarrantyUntil.Before(c.EndDate):
		p.Add("warrantyUntil", "before_end")
	}
}

// CoversSystem reports whether the contract covers system sys at site siteID.
func (c Contract) CoversSystem(siteID string, sys System) bool {
	return slices.Contains(c.Covers, ContractCover{SiteID: siteID, System: sys})
}

// Until is the last day the desk must act on before it passes: the end of
// the warranty for a project contract, the end of the period otherwise.
func (c Contract) Until() Date {
	if c.Kind == ContractProject {
		return c.WarrantyUntil
	}
	return c.EndDate
}
