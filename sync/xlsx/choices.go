package xlsx

import (
	"strings"

	"elvcare/domain"
	"elvcare/sync"
)

// vocab is the fixed vocabulary of the workbook: the Chinese labels users
// pick from, and the service area whose districts a site must name.
type vocab struct {
	area domain.ServiceArea
}

func newVocab() vocab {
	ref := sync.ArchiveReference()
	area := domain.ServiceArea{City: ref.City}
	for _, d := range ref.Districts {
		area.Districts = append(area.Districts, d.Name)
	}
	return vocab{area: area}
}

var customerKinds = []domain.CustomerKind{domain.CustomerCompany, domain.CustomerInstitution, domain.CustomerIndividual}

var contractKinds = []domain.ContractKind{domain.ContractProject, domain.ContractAnnual, domain.ContractPerVisit}

// list is the drop-down of a column.
func (v vocab) list(l choiceList) []string {
	var out []string
	switch l {
	case listCustomerKinds:
		for _, k := range customerKinds {
			out = append(out, k.Label())
		}
	case listDistricts:
		out = append(out, v.area.Districts...)
	case listContractKinds:
		for _, k := range contractKinds {
			out = append(out, k.Label())
		}
	case listStages:
		for _, s := range domain.ContractStages() {
			out = append(out, stageLabel(s))
		}
	case listSystems:
		for _, s := range domain.Systems() {
			out = append(out, s.Label())
		}
	case listItemTypes:
		for _, s := range domain.ItemSpecs() {
			out = append(out, s.Name)
		}
	}
	return out
}

// stageLabel is how a stage is written in the workbook: "B 保修".
func stageLabel(s domain.ContractStage) string { return string(s) + " " + s.Label() }

// itemTypeName is the Chinese name of an item type, "" when unknown.
func itemTypeName(t domain.ItemType) string {
	spec, _ := t.Spec()
	return spec.Name
}

func parseCustomerKind(s string) (domain.CustomerKind, bool) {
	for _, k := range customerKinds {
		if s == k.Label() || strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return "", false
}

// parseContractKind accepts the label, the label without 合同 ("按年") or
// the id.
func parseContractKind(s string) (domain.ContractKind, bool) {
	for _, k := range contractKinds {
		if s == k.Label() || s == strings.TrimSuffix(k.Label(), "合同") || strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return "", false
}

// parseStage accepts "B", "b", "B 保修", "B保修" or "保修".
func parseStage(s string) (domain.ContractStage, bool) {
	for _, st := range domain.ContractStages() {
		if s == st.Label() {
			return st, true
		}
		if len(s) > 0 && strings.EqualFold(s[:1], string(st)) {
			if rest := strings.TrimSpace(s[1:]); rest == "" || rest == st.Label() {
				return st, true
			}
		}
	}
	return "", false
}

// parseSystem accepts the label ("综合布线/网络"), either half of a label
// with a slash ("网络") or the id ("network").
func parseSystem(s string) (domain.System, bool) {
	if sys, err := domain.ParseSystem(s); err == nil {
		return sys, true
	}
	for _, sys := range domain.Systems() {
		if s == sys.Label() {
			return sys, true
		}
		for _, part := range strings.Split(sys.Label(), "/") {
			if s == part {
				return sys, true
			}
		}
	}
	return "", false
}

// parseItemType accepts the Chinese name of the price table or the id.
func parseItemType(s string) (domain.ItemType, bool) {
	if t, err := domain.ParseItemType(s); err == nil {
		return t, true
	}
	for _, spec := range domain.ItemSpecs() {
		if s == spec.Name || strings.EqualFold(s, spec.Name) {
			return spec.Type, true
		}
	}
	return "", false
}
