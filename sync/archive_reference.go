package sync

import (
	"slices"

	"elvcare/domain"
)

// Choice is one option of a select: its id and its Chinese label.
type Choice struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// SystemRef is a system with its label and item types.
type SystemRef struct {
	ID        domain.System     `json:"id"`
	Label     string            `json:"label"`
	ItemTypes []domain.ItemType `json:"itemTypes"`
}

// DistrictRef is a district of the service area with its fee zone.
type DistrictRef struct {
	Name      string         `json:"name"`
	Zone      domain.FeeZone `json:"zone"`
	ZoneLabel string         `json:"zoneLabel"`
}

// Reference is the archive's fixed vocabulary, for the UI's selects and
// labels: systems, item types with units and the attribute their price
// needs, the service area's districts with fee zones, and the kinds and
// stages of customers, contracts, coverage, documents and audits.
type Reference struct {
	Systems        []SystemRef       `json:"systems"`
	ItemTypes      []domain.ItemSpec `json:"itemTypes"`
	City           string            `json:"city"`
	Districts      []DistrictRef     `json:"districts"`
	CustomerKinds  []Choice          `json:"customerKinds"`
	ContractKinds  []Choice          `json:"contractKinds"`
	ContractStages []Choice          `json:"contractStages"`
	CoverageKinds  []Choice          `json:"coverageKinds"`
	DocumentKinds  []Choice          `json:"documentKinds"`
	AuditVerdicts  []Choice          `json:"auditVerdicts"`
	FileTypes      []string          `json:"fileTypes"`
	MaxFileBytes   int64             `json:"maxFileBytes"`
}

// ArchiveReference returns the reference data.
func ArchiveReference() Reference {
	area := serviceArea()
	r := Reference{ItemTypes: domain.ItemSpecs(), City: area.City, FileTypes: slices.Clone(FileContentTypes), MaxFileBytes: MaxFileBytes}
	for _, s := range domain.Systems() {
		r.Systems = append(r.Systems, SystemRef{ID: s, Label: s.Label(), ItemTypes: domain.ItemTypesOf(s)})
	}
	for _, d := range area.Districts {
		z, _ := area.Zone(area.City, d)
		r.Districts = append(r.Districts, DistrictRef{Name: d, Zone: z, ZoneLabel: z.Label()})
	}
	for _, k := range []domain.CustomerKind{domain.CustomerCompany, domain.CustomerInstitution, domain.CustomerIndividual} {
		r.CustomerKinds = append(r.CustomerKinds, Choice{string(k), k.Label()})
	}
	for _, k := range []domain.ContractKind{domain.ContractProject, domain.ContractAnnual, domain.ContractPerVisit} {
		r.ContractKinds = append(r.ContractKinds, Choice{string(k), k.Label()})
	}
	for _, s := range domain.ContractStages() {
		r.ContractStages = append(r.ContractStages, Choice{string(s), s.Label()})
	}
	for _, k := range []domain.CoverageKind{domain.CoverageWarranty, domain.CoverageAnnual, domain.CoveragePerVisit, domain.CoverageNone} {
		r.CoverageKinds = append(r.CoverageKinds, Choice{string(k), k.Label()})
	}
	for _, k := range domain.DocumentKinds() {
		r.DocumentKinds = append(r.DocumentKinds, Choice{string(k), k.Label()})
	}
	for _, v := range []domain.AuditVerdict{domain.AuditPending, domain.AuditPass, domain.AuditFail} {
		r.AuditVerdicts = append(r.AuditVerdicts, Choice{string(v), v.Label()})
	}
	return r
}
