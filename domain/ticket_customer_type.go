package domain

// CustomerType is the customer type printed on the 联络单 (R-TKT-1,
// R-FORM-1), derived from the coverage and the liaison flag.
type CustomerType string

// The customer types of the form.
const (
	CustomerTypeWarranty CustomerType = "warranty"  // 保内客户
	CustomerTypeAnnual   CustomerType = "annual"    // 按年合同客户
	CustomerTypePerVisit CustomerType = "per_visit" // 按次合同客户
	CustomerTypeLiaison  CustomerType = "liaison"   // 《联络函》服务客户
)

var customerTypeLabels = map[CustomerType]string{
	CustomerTypeWarranty: "保内客户",
	CustomerTypeAnnual:   "按年合同客户",
	CustomerTypePerVisit: "按次合同客户",
	CustomerTypeLiaison:  "《联络函》服务客户",
}

// Valid reports whether t is a known customer type.
func (t CustomerType) Valid() bool { _, ok := customerTypeLabels[t]; return ok }

// Label is the Chinese wording of the form.
func (t CustomerType) Label() string { return customerTypeLabels[t] }

// CustomerTypeFor derives the ticket's customer type: 《联络函》 whenever the
// work runs under a liaison letter, else from the coverage — no contract
// is billed per visit, so it reads 按次合同客户.
func CustomerTypeFor(cov CoverageKind, liaison bool) CustomerType {
	switch {
	case liaison:
		return CustomerTypeLiaison
	case cov == CoverageWarranty:
		return CustomerTypeWarranty
	case cov == CoverageAnnual:
		return CustomerTypeAnnual
	}
	return CustomerTypePerVisit
}
