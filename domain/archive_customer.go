package domain

import "strings"

// CustomerKind is what sort of organisation (or person) a customer is.
type CustomerKind string

// The customer kinds.
const (
	CustomerCompany     CustomerKind = "company"     // 企业
	CustomerInstitution CustomerKind = "institution" // 机关事业单位
	CustomerIndividual  CustomerKind = "individual"  // 个人
)

var customerKindLabels = map[CustomerKind]string{
	CustomerCompany:     "企业",
	CustomerInstitution: "机关事业单位",
	CustomerIndividual:  "个人",
}

// Valid reports whether k is a known customer kind.
func (k CustomerKind) Valid() bool { _, ok := customerKindLabels[k]; return ok }

// Label is the Chinese name of the kind.
func (k CustomerKind) Label() string { return customerKindLabels[k] }

// Customer is an entry of the customer archive (客户档案, R-ARC-1): the
// organisation that owns sites, contacts and contracts.
type Customer struct {
	ID   string       `json:"id"`
	Name string       `json:"name"` // e.g. 深圳市华强物业管理有限公司
	Kind CustomerKind `json:"kind"`
	Note string       `json:"note,omitempty"`
}

// NewCustomer trims the text fields of c and validates it.
func NewCustomer(c Customer) (Customer, error) {
	c.Name = strings.TrimSpace(c.Name)
	c.Note = strings.TrimSpace(c.Note)
	return c, c.Validate()
}

// Validate checks the customer's fields.
func (c Customer) Validate() error {
	p := Problems{}
	arcCheckID(p, "id", c.ID, true)
	arcCheckText(p, "name", c.Name, arcMaxName, true)
	switch {
	case c.Kind == "":
		p.Add("kind", "required")
	case !c.Kind.Valid():
		p.Add("kind", "invalid_kind")
	}
	arcCheckText(p, "note", c.Note, arcMaxNote, false)
	return p.Err()
}
