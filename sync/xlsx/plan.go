package xlsx

import (
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"elvcare/domain"
	"elvcare/sync"
)

// Counts are how many records of each kind an import brings.
type Counts struct {
	Customers int `json:"customers"`
	Sites     int `json:"sites"`
	Contacts  int `json:"contacts"`
	Contracts int `json:"contracts"`
	Equipment int `json:"equipment"`
}

// Rows is the number of records in all.
func (c Counts) Rows() int { return c.Customers + c.Sites + c.Contacts + c.Contracts + c.Equipment }

// existing is what of the stored archive a workbook must not repeat, in
// normalized form: customer names and contract numbers.
type existing struct {
	customerNames   map[string]bool
	contractNumbers map[string]bool
}

// origin is the row a mutation was made from, and the values of its list
// cells, so a problem the write path finds names the cell.
type origin struct {
	r     row
	lists map[string][]string
	// coverRows is the row of each cover of a contract (a contract may
	// span several rows).
	coverRows []row
}

// pending is a mutation with its origin.
type pending struct {
	m sync.Mutation
	o origin
}

type customerRef struct {
	id    string
	row   int
	sites []string // site codes, in sheet order
}

type siteRef struct {
	id       string
	customer string // customer code
	row      int
}

// placeholderToken stands in for the QR token the write path draws, so the
// domain's validation of equipment can run before anything is written.
const placeholderToken = "validation-placeholder"

// planner checks a workbook and turns it into mutations.
type planner struct {
	v   vocab
	ex  existing
	now time.Time

	customers map[string]*customerRef
	sites     map[string]*siteRef
	// siteSystems are the systems of each site's equipment, for contracts
	// that leave their systems blank.
	siteSystems map[string][]domain.System

	problems []Problem
	seen     map[string]bool // sheet, row, column, value of each problem

	byKind        [5][]pending // customers, sites, contacts, contracts, equipment
	counts        Counts
	customerNames []string
}

// plan is a checked workbook: the mutations in the order they must be
// applied, or the problems.
type plan struct {
	pending       []pending
	counts        Counts
	customerNames []string
	problems      []Problem
}

func buildPlan(wb *workbook, ex existing, v vocab, now time.Time) plan {
	p := &planner{v: v, ex: ex, now: now,
		customers: map[string]*customerRef{}, sites: map[string]*siteRef{},
		siteSystems: map[string][]domain.System{}, seen: map[string]bool{}}
	p.customersSheet(wb.rows[SheetCustomers])
	p.sitesSheet(wb.rows[SheetSites])
	p.contactsSheet(wb.rows[SheetContacts])
	p.equipmentSheet(wb.rows[SheetEquipment], wb.date1904)
	p.contractsSheet(wb.rows[SheetContracts], wb.date1904)
	if len(p.problems) > 0 {
		sortProblems(p.problems)
		return plan{problems: p.problems}
	}
	var all []pending
	for _, k := range p.byKind {
		all = append(all, k...)
	}
	return plan{pending: all, counts: p.counts, customerNames: p.customerNames}
}

// The kinds, in the order their mutations are applied: a record after the
// records it refers to.
const (
	kCustomer = iota
	kSite
	kContact
	kContract
	kEquipment
)

func (p *planner) add(kind int, name string, args any, o origin) {
	raw, err := json.Marshal(args)
	if err != nil {
		panic(err) // the argument types are plain structs
	}
	p.byKind[kind] = append(p.byKind[kind], pending{m: sync.Mutation{Name: name, Args: raw}, o: o})
}

// problem records a problem once per cell and value.
func (p *planner) problem(r row, column, value, code string, params map[string]string) {
	key := r.Sheet + "\x00" + strconv.Itoa(r.Num) + "\x00" + column + "\x00" + value
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	p.problems = append(p.problems, Problem{Sheet: r.Sheet, Row: r.Num, Column: column, Value: value, Code: code, Params: params})
}

// cell records a problem on a column with the cell's value.
func (p *planner) cell(r row, column, code string, params map[string]string) {
	p.problem(r, column, r.get(column), code, params)
}

// rowParam names another row in a message.
func rowParam(n int) map[string]string { return map[string]string{"row": strconv.Itoa(n)} }

func (p *planner) choices(l choiceList) map[string]string {
	return map[string]string{"choices": strings.Join(p.v.list(l), "、")}
}

// domainProblems records the field problems of a domain validation on the
// row's columns. For list cells the value is the element the field's index
// names ("phones[1]" → the second number).
func (p *planner) domainProblems(o origin, err error) {
	if err == nil {
		return
	}
	for _, pr := range problemsOf(o, err) {
		p.problem(row{Sheet: pr.Sheet, Num: pr.Row}, pr.Column, pr.Value, pr.Code, pr.Params)
	}
}

// problemsOf turns a domain error into problems on o's cells.
func problemsOf(o origin, err error) []Problem {
	var de *domain.Error
	if !errors.As(err, &de) {
		return nil
	}
	if len(de.Fields) == 0 {
		col := columnKeyFirst(o.r.Sheet)
		return []Problem{{Sheet: o.r.Sheet, Row: o.r.Num, Column: col, Value: o.r.get(col), Code: de.Code, Params: de.Params}}
	}
	fields := slices.SortedFunc(maps.Keys(de.Fields), func(a, b string) int {
		pa, ia := fieldPath(a)
		pb, ib := fieldPath(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ia, ib))
	})
	var out []Problem
	for _, field := range fields {
		code := de.Fields[field]
		col, idx := columnOf(o.r.Sheet, field)
		r := o.r
		if strings.HasPrefix(field, "covers[") && idx >= 0 && idx < len(o.coverRows) {
			r = o.coverRows[idx]
		}
		value := r.get(col)
		if list := o.lists[col]; idx >= 0 && idx < len(list) && !strings.HasPrefix(field, "covers[") {
			value = list[idx]
		}
		var params map[string]string
		if code == "invalid_district" {
			code, params = "import.invalid_district", map[string]string{"choices": strings.Join(newVocab().list(listDistricts), "、")}
		}
		out = append(out, Problem{Sheet: r.Sheet, Row: r.Num, Column: col, Value: value, Code: code, Params: params})
	}
	return out
}

// withoutField drops one field's problem from a validation error.
func withoutField(err error, field string) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Fields[field] == "" {
		return err
	}
	p := domain.Problems{}
	for f, code := range de.Fields {
		if f != field {
			p.Add(f, code)
		}
	}
	return p.Err()
}

func columnKeyFirst(sheetName string) string {
	sh, _ := sheetByName(sheetName)
	return sh.Cols[0].Key
}

// code reads a required workbook code; "" after recording "required".
func (p *planner) code(r row, column string) string {
	c := normCode(r.get(column))
	if c == "" {
		p.cell(r, column, "required", nil)
	}
	return c
}

// customer resolves a customer code; nil (and a problem) when it is not
// defined on the 客户 sheet.
func (p *planner) customer(r row) (string, *customerRef) {
	c := p.code(r, colCustomerCode)
	if c == "" {
		return "", nil
	}
	ref, ok := p.customers[c]
	if !ok {
		p.cell(r, colCustomerCode, "import.unknown_customer", nil)
		return c, nil
	}
	return c, ref
}

// siteCodes resolves a list of site codes that must belong to customer.
func (p *planner) siteCodes(r row, column string, codes []string, customer string) []string {
	var ids []string
	for _, raw := range codes {
		c := normCode(raw)
		s, ok := p.sites[c]
		switch {
		case !ok:
			p.problem(r, column, raw, "import.unknown_site", nil)
		case customer != "" && s.customer != "" && s.customer != customer:
			p.problem(r, column, raw, "import.site_other_customer", map[string]string{"customer": s.customer})
		default:
			ids = append(ids, s.id)
		}
	}
	return ids
}

// idOr is the id of a resolved reference, or a placeholder so the domain's
// checks of the other fields can still run.
func idOr[T any](ref *T, id func(*T) string) string {
	if ref == nil {
		return sync.NewID()
	}
	return id(ref)
}

func (p *planner) customersSheet(rows []row) {
	names := map[string]int{}
	for _, r := range rows {
		o := origin{r: r}
		code := p.code(r, colCustomerCode)
		if prev, dup := p.customers[code]; dup {
			p.cell(r, colCustomerCode, "import.duplicate", rowParam(prev.row))
		}
		kind := domain.CustomerCompany
		if s := r.get(colKind); s != "" {
			k, ok := parseCustomerKind(s)
			if !ok {
				p.cell(r, colKind, "import.invalid_choice", p.choices(listCustomerKinds))
			}
			kind = k
		}
		id := sync.NewID()
		cu, err := domain.NewCustomer(domain.Customer{ID: id, Name: r.get(colCustomerName), Kind: kind, Note: r.get(colNote)})
		p.domainProblems(o, err)
		if cu.Name != "" {
			if prev, dup := names[cu.Name]; dup {
				p.cell(r, colCustomerName, "import.duplicate", rowParam(prev))
			} else {
				names[cu.Name] = r.Num
				p.customerNames = append(p.customerNames, cu.Name)
			}
			if p.ex.customerNames[cu.Name] {
				p.cell(r, colCustomerName, "import.customer_exists", nil)
			}
		}
		if _, dup := p.customers[code]; code != "" && !dup {
			p.customers[code] = &customerRef{id: id, row: r.Num}
		}
		p.add(kCustomer, "customer.create", sync.CustomerArgs{ID: id, Name: cu.Name, Kind: cu.Kind, Note: cu.Note}, o)
		p.counts.Customers++
	}
}

func (p *planner) sitesSheet(rows []row) {
	for _, r := range rows {
		o := origin{r: r}
		code := p.code(r, colSiteCode)
		if prev, dup := p.sites[code]; dup {
			p.cell(r, colSiteCode, "import.duplicate", rowParam(prev.row))
		}
		custCode, cust := p.customer(r)
		customerID := idOr(cust, func(c *customerRef) string { return c.id })
		id := sync.NewID()
		s, err := domain.NewSite(domain.Site{ID: id, CustomerID: customerID, Name: r.get(colSiteName),
			Address: r.get(colAddress), District: r.get(colDistrict), City: r.get(colCity)}, p.v.area)
		p.domainProblems(o, err)
		if _, dup := p.sites[code]; code != "" && !dup {
			// A site of an unknown customer belongs to nobody, so rows
			// naming it are not also told it is another customer's.
			ref := &siteRef{id: id, row: r.Num}
			if cust != nil {
				ref.customer = custCode
				cust.sites = append(cust.sites, code)
			}
			p.sites[code] = ref
		}
		p.add(kSite, "site.create", sync.SiteArgs{ID: id, CustomerID: customerID, Name: s.Name, Address: s.Address,
			District: s.District, City: s.City}, o)
		p.counts.Sites++
	}
}

func (p *planner) contactsSheet(rows []row) {
	seen := map[string]int{} // customer, name, phone → row
	for _, r := range rows {
		phones := splitList(r.get(colPhones), sepPhones)
		siteCodes := splitList(r.get(colSiteCode), sepCodes)
		o := origin{r: r, lists: map[string][]string{colPhones: phones, colSiteCode: siteCodes}}
		custCode, cust := p.customer(r)
		customerID := idOr(cust, func(c *customerRef) string { return c.id })
		siteIDs := p.siteCodes(r, colSiteCode, siteCodes, custCode)
		id := sync.NewID()
		ct, err := domain.NewContact(domain.Contact{ID: id, CustomerID: customerID, SiteIDs: siteIDs,
			Name: r.get(colName), Phones: phones, Title: r.get(colTitle)})
		p.domainProblems(o, err)
		for _, ph := range ct.Phones {
			key := custCode + "\x00" + ct.Name + "\x00" + ph
			if prev, dup := seen[key]; dup && ct.Name != "" {
				p.cell(r, colName, "import.duplicate", rowParam(prev))
				break
			}
			seen[key] = r.Num
		}
		p.add(kContact, "contact.create", sync.ContactArgs{ID: id, CustomerID: customerID, SiteIDs: ct.SiteIDs,
			Name: ct.Name, Phones: ct.Phones, Title: ct.Title}, o)
		p.counts.Contacts++
	}
}

func (p *planner) equipmentSheet(rows []row, date1904 bool) {
	serials := map[string]int{} // item type, serial → row
	for _, r := range rows {
		o := origin{r: r}
		code := p.code(r, colSiteCode)
		site, ok := p.sites[code]
		if code != "" && !ok {
			p.cell(r, colSiteCode, "import.unknown_site", nil)
		}
		siteID := idOr(site, func(s *siteRef) string { return s.id })
		var sys domain.System
		if s := r.get(colSystem); s == "" {
			p.cell(r, colSystem, "required", nil)
		} else if sys, ok = parseSystem(s); !ok {
			p.cell(r, colSystem, "import.invalid_choice", p.choices(listSystems))
		}
		var it domain.ItemType
		if s := r.get(colItemType); s != "" {
			if it, ok = parseItemType(s); !ok {
				p.cell(r, colItemType, "import.invalid_choice", p.choices(listItemTypes))
			}
		}
		install := p.date(r, colInstall, date1904)
		attrs := domain.EquipmentAttributes{
			Ports: p.whole(r, colPorts), Watts: p.whole(r, colWatts), Quantity: p.whole(r, colQuantity)}
		id := sync.NewID()
		eq, err := domain.NewEquipment(domain.Equipment{ID: id, SiteID: siteID, System: sys, ItemType: it,
			Model: r.get(colModel), Serial: r.get(colSerial), Location: r.get(colLocation), InstallDate: install,
			Attributes: attrs, QRToken: placeholderToken})
		p.domainProblems(o, err)
		if eq.Serial != "" && it != "" {
			key := string(it) + "\x00" + normCode(eq.Serial)
			if prev, dup := serials[key]; dup {
				p.cell(r, colSerial, "import.duplicate", rowParam(prev))
			} else {
				serials[key] = r.Num
			}
		}
		if site != nil && sys != "" && !slices.Contains(p.siteSystems[code], sys) {
			p.siteSystems[code] = append(p.siteSystems[code], sys)
		}
		p.add(kEquipment, "equipment.create", sync.EquipmentArgs{ID: id, SiteID: siteID, System: eq.System,
			ItemType: eq.ItemType, Model: eq.Model, Serial: eq.Serial, Location: eq.Location,
			InstallDate: install.String(), Attributes: attrs}, o)
		p.counts.Equipment++
	}
}

// date reads an optional date cell, recording a problem when unreadable.
func (p *planner) date(r row, column string, date1904 bool) domain.Date {
	d, ok := parseDate(r.get(column), date1904)
	if !ok {
		p.cell(r, column, "import.invalid_date", nil)
	}
	return d
}

// whole reads an optional whole number, recording a problem when unreadable.
func (p *planner) whole(r row, column string) int {
	n, ok := parseWhole(r.get(column))
	if !ok {
		p.cell(r, column, "invalid_number", nil)
	}
	return n
}

// contractGroup is a contract and its continuation rows: further rows with
// the same number and customer that add coverage.
type contractGroup struct {
	rows []row
}

// contractTerms are the columns a continuation row may leave blank or
// must repeat unchanged.
var contractTerms = []string{colKind, colStart, colEnd, colWarranty, colPrice, colStage, colNote}

func (p *planner) contractsSheet(rows []row, date1904 bool) {
	var groups []*contractGroup
	byNumber := map[string]*contractGroup{}
	for _, r := range rows {
		num := p.code(r, colNumber)
		if num == "" {
			continue
		}
		g, ok := byNumber[num]
		if !ok {
			g = &contractGroup{}
			byNumber[num] = g
			groups = append(groups, g)
			if p.ex.contractNumbers[num] {
				p.cell(r, colNumber, "import.contract_exists", nil)
			}
		} else {
			first := g.rows[0]
			if normCode(r.get(colCustomerCode)) != normCode(first.get(colCustomerCode)) {
				p.cell(r, colNumber, "import.duplicate", rowParam(first.Num))
				continue
			}
			for _, col := range contractTerms {
				if v := r.get(col); v != "" && v != first.get(col) {
					p.cell(r, col, "import.inconsistent", rowParam(first.Num))
				}
			}
		}
		g.rows = append(g.rows, r)
	}
	for _, g := range groups {
		p.contract(g, date1904)
	}
}

func (p *planner) contract(g *contractGroup, date1904 bool) {
	r := g.rows[0]
	o := origin{r: r}
	custCode, cust := p.customer(r)
	customerID := idOr(cust, func(c *customerRef) string { return c.id })
	var kind domain.ContractKind
	kindKnown := true
	if s := r.get(colKind); s != "" {
		if kind, kindKnown = parseContractKind(s); !kindKnown {
			p.cell(r, colKind, "import.invalid_choice", p.choices(listContractKinds))
		}
	}
	start, end := p.date(r, colStart, date1904), p.date(r, colEnd, date1904)
	warranty := p.date(r, colWarranty, date1904)
	price, ok := parseYuan(r.get(colPrice))
	if !ok {
		p.cell(r, colPrice, "import.invalid_money", nil)
	}
	stage := domain.StageB
	if s := r.get(colStage); s != "" {
		if stage, ok = parseStage(s); !ok {
			p.cell(r, colStage, "import.invalid_choice", p.choices(listStages))
		}
	}
	before := len(p.problems)
	covers, coverRows := p.covers(g, custCode, cust)
	o.coverRows = coverRows
	// When the coverage cells were already found wrong, the domain's
	// "no coverage" only repeats it.
	coverReported := len(p.problems) > before

	// A contract is created at Q or, audited before the system, at B; Y
	// and S are one move further, in the same transaction.
	audited := stage == domain.StageB || stage == domain.StageS
	var move domain.ContractStage
	switch stage {
	case domain.StageY:
		move = domain.StageY
		if kind.Valid() && domain.CanMoveContract(kind, domain.StageQ, domain.StageY) != nil {
			p.cell(r, colStage, "import.stage_not_allowed", nil)
		}
	case domain.StageS:
		move = domain.StageS
	}
	id := sync.NewID()
	ct, err := domain.NewContract(domain.Contract{ID: id, CustomerID: customerID, Number: r.get(colNumber), Kind: kind,
		Covers: covers, StartDate: start, EndDate: end, WarrantyUntil: warranty, AnnualPriceFen: price,
		Note: r.get(colNote), AuditedBeforeSystem: audited}, p.now, "import")
	if coverReported {
		err = withoutField(err, "covers")
	}
	if !kindKnown {
		// Whether a warranty or a price applies depends on the kind.
		err = withoutField(withoutField(err, "warrantyUntil"), "annualPriceFen")
	}
	p.domainProblems(o, err)
	p.add(kContract, "contract.create", sync.ContractArgs{ID: id, CustomerID: customerID, AuditedBeforeSystem: audited,
		ContractTerms: sync.ContractTerms{Number: ct.Number, Kind: kind, Covers: covers, StartDate: start.String(),
			EndDate: end.String(), WarrantyUntil: warranty.String(), AnnualPriceFen: price, Note: ct.Note}}, o)
	if move != "" {
		p.add(kContract, "contract.moveStage", sync.MoveStageArgs{ID: id,
			StageMove: sync.StageMove{Stage: move, Note: "导入时的阶段"}}, o)
	}
	p.counts.Contracts++
}

// covers are the site × system pairs of a contract's rows: listed sites
// (blank: all the customer's sites) times listed systems (blank: the
// systems of those sites' equipment). coverRows says which row each came
// from.
func (p *planner) covers(g *contractGroup, custCode string, cust *customerRef) ([]domain.ContractCover, []row) {
	var covers []domain.ContractCover
	var rows []row
	for _, r := range g.rows {
		codes := splitList(r.get(colCoverSites), sepCodes)
		if len(codes) == 0 && cust != nil {
			if len(cust.sites) == 0 {
				p.cell(r, colCoverSites, "import.no_sites", nil)
			}
			codes = cust.sites
		}
		siteIDs := p.siteCodes(r, colCoverSites, codes, custCode)
		var systems []domain.System
		for _, s := range splitList(r.get(colCoverSys), sepLabels) {
			sys, ok := parseSystem(s)
			if !ok {
				p.problem(r, colCoverSys, s, "import.invalid_choice", p.choices(listSystems))
				continue
			}
			if !slices.Contains(systems, sys) {
				systems = append(systems, sys)
			}
		}
		if r.get(colCoverSys) == "" {
			for _, sys := range domain.Systems() {
				for _, c := range codes {
					if slices.Contains(p.siteSystems[normCode(c)], sys) && !slices.Contains(systems, sys) {
						systems = append(systems, sys)
					}
				}
			}
			if len(systems) == 0 && len(siteIDs) > 0 {
				p.cell(r, colCoverSys, "import.no_systems", nil)
			}
		}
		for _, id := range siteIDs {
			for _, sys := range systems {
				covers = append(covers, domain.ContractCover{SiteID: id, System: sys})
				rows = append(rows, r)
			}
		}
	}
	return covers, rows
}

// problemsAt maps a failure of the write path back to the row it came
// from, as problems; ok is false for failures that are not the data's
// fault (permissions, storage).
func problemsAt(o origin, err error) ([]Problem, bool) {
	switch domain.KindOf(err) {
	case domain.KindInvalid, domain.KindConflict, domain.KindNotFound:
	default:
		return nil, false
	}
	ps := problemsOf(o, err)
	if len(ps) == 0 {
		return nil, false
	}
	sortProblems(ps)
	return ps, true
}
