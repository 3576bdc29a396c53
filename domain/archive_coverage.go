package domain

// CoverageKind is how a system at a site is covered on a day (R-ARC-2).
type CoverageKind string

// The coverage kinds, from the best for the customer down.
const (
	CoverageWarranty CoverageKind = "warranty"  // 保内
	CoverageAnnual   CoverageKind = "annual"    // 按年合同
	CoveragePerVisit CoverageKind = "per_visit" // 按次合同
	CoverageNone     CoverageKind = "none"      // no contract: billed per visit at the same rates
)

var coverageLabels = map[CoverageKind]string{
	CoverageWarranty: "保内",
	CoverageAnnual:   "按年合同",
	CoveragePerVisit: "按次合同",
	CoverageNone:     "无合同",
}

// coverageRank orders the kinds for precedence: warranty > annual > per_visit.
var coverageRank = map[CoverageKind]int{
	CoverageWarranty: 3, CoverageAnnual: 2, CoveragePerVisit: 1, CoverageNone: 0,
}

// Valid reports whether k is a known coverage kind.
func (k CoverageKind) Valid() bool { _, ok := coverageLabels[k]; return ok }

// Label is the Chinese name of the coverage kind.
func (k CoverageKind) Label() string { return coverageLabels[k] }

// CoverageResult is the coverage of a system at a site on a day: the kind,
// and unless none, the contract giving it and its last covered day.
type CoverageResult struct {
	Kind       CoverageKind `json:"kind"`
	ContractID string       `json:"contractId,omitempty"`
	Until      Date         `json:"until,omitzero"`
}

// Coverage derives the coverage of system sys at site siteID on day from
// the contracts covering it. A project contract gives warranty from its
// start through WarrantyUntil; an annual or per-visit contract covers from
// its start through its end; both ends are included. The stage does not
// matter: a signed contract covers its dates. When several apply, warranty
// beats annual beats per-visit; between two of one kind the one lasting
// longer wins (then the smaller id, to be deterministic).
func Coverage(contracts []Contract, siteID string, sys System, day Date) CoverageResult {
	best := CoverageResult{Kind: CoverageNone}
	for _, c := range contracts {
		if !c.CoversSystem(siteID, sys) {
			continue
		}
		var kind CoverageKind
		switch c.Kind {
		case ContractProject:
			kind = CoverageWarranty
		case ContractAnnual:
			kind = CoverageAnnual
		case ContractPerVisit:
			kind = CoveragePerVisit
		default:
			continue
		}
		until := c.Until()
		if !day.Within(c.StartDate, until) {
			continue
		}
		cand := CoverageResult{Kind: kind, ContractID: c.ID, Until: until}
		if coverageBetter(cand, best) {
			best = cand
		}
	}
	return best
}

func coverageBetter(a, b CoverageResult) bool {
	if ra, rb := coverageRank[a.Kind], coverageRank[b.Kind]; ra != rb {
		return ra > rb
	}
	if c := a.Until.Compare(b.Until); c != 0 {
		return c > 0
	}
	return a.ContractID < b.ContractID
}
