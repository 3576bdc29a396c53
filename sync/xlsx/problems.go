package xlsx

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"

	"elvcare/domain"
)

// Problem is one thing wrong in a workbook: where (sheet, Excel row
// number, column key), the value found and a message code. Codes are the
// domain's field codes ("required", "invalid_phone", …) or the importer's
// own ("import.unknown_customer", …); the server turns them into text in
// the reader's language, with Params substituted.
type Problem struct {
	Sheet  string            `json:"sheet"`
	Row    int               `json:"row"`
	Column string            `json:"column"`
	Value  string            `json:"value"`
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// InvalidError is the answer to a workbook with problems: nothing was
// imported. Problems are sorted by sheet, row and column.
type InvalidError struct {
	Problems []Problem
}

// ErrInvalid is the kind and code an InvalidError unwraps to.
var ErrInvalid = domain.E(domain.KindInvalid, "import.invalid")

func (e *InvalidError) Error() string {
	return "import: " + strconv.Itoa(len(e.Problems)) + " problems"
}

func (e *InvalidError) Unwrap() error { return ErrInvalid }

// IsInvalid returns the problems of an import refused for them.
func IsInvalid(err error) (*InvalidError, bool) {
	var ie *InvalidError
	ok := errors.As(err, &ie)
	return ie, ok
}

// sortProblems orders problems as a reader goes through the workbook.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(sheetOrder(a.Sheet), sheetOrder(b.Sheet)),
			cmp.Compare(a.Row, b.Row),
			cmp.Compare(columnOrder(a.Sheet, a.Column), columnOrder(b.Sheet, b.Column)),
			cmp.Compare(a.Code, b.Code),
		)
	})
}

func columnOrder(sheetName, key string) int {
	sh, _ := sheetByName(sheetName)
	if i, _ := sh.col(key); i >= 0 {
		return i
	}
	return len(sh.Cols)
}

// fieldIndex finds "[n]" in a domain field path ("phones[1]").
var fieldIndex = regexp.MustCompile(`\[(\d+)\]`)

// fieldPath splits a domain field path into its shape without indexes
// ("covers[1].siteId" → "covers.siteId") and its first index (-1 if none).
func fieldPath(f string) (string, int) {
	idx := -1
	if m := fieldIndex.FindStringSubmatch(f); m != nil {
		idx, _ = strconv.Atoi(m[1])
	}
	return fieldIndex.ReplaceAllString(f, ""), idx
}

// fieldColumns maps the domain's field names, per sheet, to columns.
var fieldColumns = map[string]map[string]string{
	SheetCustomers: {
		"id": colCustomerCode, "name": colCustomerName, "kind": colKind, "note": colNote,
	},
	SheetSites: {
		"id": colSiteCode, "customerId": colCustomerCode, "name": colSiteName, "address": colAddress,
		"district": colDistrict, "city": colCity,
	},
	SheetContacts: {
		"id": colName, "customerId": colCustomerCode, "name": colName, "phones": colPhones,
		"title": colTitle, "siteIds": colSiteCode,
	},
	SheetContracts: {
		"id": colNumber, "customerId": colCustomerCode, "number": colNumber, "kind": colKind,
		"covers": colCoverSites, "covers.siteId": colCoverSites, "covers.system": colCoverSys,
		"startDate": colStart, "endDate": colEnd, "warrantyUntil": colWarranty,
		"annualPriceFen": colPrice, "note": colNote, "stage": colStage, "history": colStage,
		"history.stage": colStage, "history.at": colStage, "history.by": colStage,
		"auditedBeforeSystem": colStage, "previousId": colNumber,
	},
	SheetEquipment: {
		"id": colSiteCode, "siteId": colSiteCode, "system": colSystem, "itemType": colItemType,
		"model": colModel, "serial": colSerial, "location": colLocation, "installDate": colInstall,
		"attributes.ports": colPorts, "attributes.watts": colWatts, "attributes.quantity": colQuantity,
		"qrToken": colSiteCode,
	},
}

// columnOf is the column of a domain field on a sheet, and the index the
// field carried; the sheet's first column when the field is not mapped.
func columnOf(sheetName, field string) (string, int) {
	path, idx := fieldPath(field)
	if c, ok := fieldColumns[sheetName][path]; ok {
		return c, idx
	}
	sh, _ := sheetByName(sheetName)
	return sh.Cols[0].Key, idx
}
