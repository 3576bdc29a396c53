package sync

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Archive reads the customer archive: lists with filters and paging, a
// customer with everything it owns, coverage and renewal reminders.
type Archive struct{ e *Engine }

// Archive returns the archive reader.
func (e *Engine) Archive() Archive { return Archive{e} }

func errNotFound() error { return domain.ErrNotFound }

func (a Archive) view(ctx context.Context, fn func(tx store.ReadTx) error) error {
	err := a.e.st.View(ctx, fn)
	if errors.Is(err, store.ErrNotFound) {
		return domain.ErrNotFound.Wrap(err)
	}
	return err
}

// CustomerSummary is what a customer list shows of each customer.
type CustomerSummary struct {
	Sites     int `json:"sites"`
	Contacts  int `json:"contacts"`
	Contracts int `json:"contracts"`
	Equipment int `json:"equipment"` // pieces in service (retired left out)
	// MainDistrict is the district with most of the customer's sites.
	MainDistrict string `json:"mainDistrict"`
	// Coverage is the best coverage any of its systems has today (kind
	// "none" without any), with the contract and last day giving it.
	Coverage domain.CoverageResult `json:"coverage"`
	// Stages are the stages its contracts are at, in lifecycle order.
	Stages []domain.ContractStage `json:"stages"`
	// EndingSoon is the earliest day one of its contracts ends within the
	// next 60 days without a renewal, if any.
	EndingSoon domain.Date `json:"endingSoon,omitzero"`
}

// CustomerItem is one row of the customer list.
type CustomerItem struct {
	domain.Customer
	Summary CustomerSummary `json:"summary"`
}

// CustomerList is a page of customers and the number matching in all.
type CustomerList struct {
	Items []CustomerItem `json:"items"`
	Total int            `json:"total"`
}

// CustomerQuery filters the customer list. Empty fields do not filter.
type CustomerQuery struct {
	// Q matches the customer's name and note, its sites' names and
	// addresses, its contacts' names and phones, and its equipment's
	// serials and models.
	Q string
	// District keeps customers with a site in it ("福田" is 福田区).
	District string
	// Coverage keeps customers with a system covered so today; "none"
	// keeps those without any coverage.
	Coverage domain.CoverageKind
	// Stage keeps customers with a contract at that stage.
	Stage domain.ContractStage
	// EndingWithin, when set, keeps customers with a contract whose last
	// covered day is within that many days from today, not yet renewed.
	EndingWithin *int
	Paging
}

// EndingSoonDays is the horizon of CustomerSummary.EndingSoon.
const EndingSoonDays = 60

// customerBundle is a customer with what it owns, as read for lists.
type customerBundle struct {
	customer  domain.Customer
	sites     []domain.Site
	contacts  []domain.Contact
	contracts []domain.Contract
	equipment int
}

func loadBundle(tx store.ReadTx, cu domain.Customer) (customerBundle, error) {
	b := customerBundle{customer: cu}
	var err error
	if b.sites, err = byIndex[domain.Site](tx, CollSites, IdxCustomer, cu.ID); err != nil {
		return b, err
	}
	if b.contacts, err = byIndex[domain.Contact](tx, CollContacts, IdxCustomer, cu.ID); err != nil {
		return b, err
	}
	if b.contracts, err = byIndex[domain.Contract](tx, CollContracts, IdxCustomer, cu.ID); err != nil {
		return b, err
	}
	live, err := tx.Lookup(CollEquipment, IdxLive, cu.ID)
	b.equipment = len(live)
	return b, err
}

// coverageRank orders coverage kinds for "best": warranty, annual,
// per-visit, none (the domain's precedence).
func coverageRank(k domain.CoverageKind) int {
	switch k {
	case domain.CoverageWarranty:
		return 3
	case domain.CoverageAnnual:
		return 2
	case domain.CoveragePerVisit:
		return 1
	}
	return 0
}

// currentCoverage derives the coverage of every system the contracts
// cover on day: the best one, and the set of kinds found.
func currentCoverage(contracts []domain.Contract, day domain.Date) (domain.CoverageResult, map[domain.CoverageKind]bool) {
	best := domain.CoverageResult{Kind: domain.CoverageNone}
	kinds := map[domain.CoverageKind]bool{}
	seen := map[domain.ContractCover]bool{}
	for _, c := range contracts {
		for _, cv := range c.Covers {
			if seen[cv] {
				continue
			}
			seen[cv] = true
			r := domain.Coverage(contracts, cv.SiteID, cv.System, day)
			if r.Kind == domain.CoverageNone {
				continue
			}
			kinds[r.Kind] = true
			rb, rr := coverageRank(best.Kind), coverageRank(r.Kind)
			if rr > rb || rr == rb && r.Until.After(best.Until) {
				best = r
			}
		}
	}
	return best, kinds
}

func (b customerBundle) summary(today domain.Date) CustomerSummary {
	s := CustomerSummary{Sites: len(b.sites), Contacts: len(b.contacts), Contracts: len(b.contracts),
		Equipment: b.equipment, Stages: []domain.ContractStage{}}
	count := map[string]int{}
	for _, st := range b.sites {
		if st.District == "" {
			continue
		}
		count[st.District]++
		if count[st.District] > count[s.MainDistrict] {
			s.MainDistrict = st.District
		}
	}
	s.Coverage, _ = currentCoverage(b.contracts, today)
	for _, stage := range domain.ContractStages() {
		if slices.ContainsFunc(b.contracts, func(c domain.Contract) bool { return c.Stage == stage }) {
			s.Stages = append(s.Stages, stage)
		}
	}
	if ending := domain.ContractsEndingWithin(b.contracts, today, EndingSoonDays); len(ending) > 0 {
		s.EndingSoon = ending[0].Until
	}
	return s
}

// matches applies the filters of q other than the text.
func (b customerBundle) matches(q CustomerQuery, district string, today domain.Date) bool {
	if district != "" && !slices.ContainsFunc(b.sites, func(s domain.Site) bool { return s.District == district }) {
		return false
	}
	if q.Stage != "" && !slices.ContainsFunc(b.contracts, func(c domain.Contract) bool { return c.Stage == q.Stage }) {
		return false
	}
	if q.Coverage != "" {
		_, kinds := currentCoverage(b.contracts, today)
		if q.Coverage == domain.CoverageNone && len(kinds) > 0 || q.Coverage != domain.CoverageNone && !kinds[q.Coverage] {
			return false
		}
	}
	if q.EndingWithin != nil && len(domain.ContractsEndingWithin(b.contracts, today, *q.EndingWithin)) == 0 {
		return false
	}
	return true
}

// matchesText is the plain-text stand-in for the search index.
func (b customerBundle) matchesText(tx store.ReadTx, q query) (bool, error) {
	if q.match(b.customer.Name, b.customer.Note) {
		return true, nil
	}
	for _, s := range b.sites {
		if q.match(s.Name, s.Address) {
			return true, nil
		}
	}
	for _, c := range b.contacts {
		if q.match(c.Name) || q.match(c.Phones...) {
			return true, nil
		}
	}
	for _, c := range b.contracts {
		if q.match(c.Number) {
			return true, nil
		}
	}
	eqs, err := byIndex[EquipmentRecord](tx, CollEquipment, IdxCustomer, b.customer.ID)
	if err != nil {
		return false, err
	}
	for _, e := range eqs {
		if q.match(e.Serial, e.Model) {
			return true, nil
		}
	}
	return false, nil
}

// normalizeDistrict spells a district filter as the sites store it.
func normalizeDistrict(d string) string {
	if n, ok := serviceArea().NormalizeDistrict(d); ok {
		return n
	}
	return d
}

// Customers lists customers by name with their summaries.
func (a Archive) Customers(ctx context.Context, q CustomerQuery) (CustomerList, error) {
	today := a.e.Today()
	district := normalizeDistrict(q.District)
	text := newQuery(q.Q)
	ids, indexed := a.matchIDs(ctx, CollCustomers, q.Q)
	var items []CustomerItem
	err := a.view(ctx, func(tx store.ReadTx) error {
		var cus []domain.Customer
		if indexed {
			// Only the customers the index found: no scan of the archive.
			for id := range ids {
				var cu domain.Customer
				if err := GetJSON(tx, CollCustomers, id, &cu); err == nil {
					cus = append(cus, cu)
				}
			}
		} else {
			var err error
			if cus, err = scanAll[domain.Customer](tx, CollCustomers); err != nil {
				return err
			}
		}
		for _, cu := range cus {
			b, err := loadBundle(tx, cu)
			if err != nil {
				return err
			}
			if !b.matches(q, district, today) {
				continue
			}
			if !indexed && !text.empty() {
				ok, err := b.matchesText(tx, text)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
			}
			items = append(items, CustomerItem{Customer: cu, Summary: b.summary(today)})
		}
		return nil
	})
	if err != nil {
		return CustomerList{}, err
	}
	slices.SortStableFunc(items, func(x, y CustomerItem) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	page, total := pageOf(items, q.Paging)
	return CustomerList{Items: page, Total: total}, nil
}

// SiteCoverage is the coverage today of one system at one site.
type SiteCoverage struct {
	SiteID string        `json:"siteId"`
	System domain.System `json:"system"`
	domain.CoverageResult
}

// CustomerDetail is a customer with its sites, contacts, contracts and
// equipment (retired pieces included, marked), and the coverage today of
// every system at every site that has equipment or a contract.
type CustomerDetail struct {
	Customer  domain.Customer   `json:"customer"`
	Summary   CustomerSummary   `json:"summary"`
	Sites     []domain.Site     `json:"sites"`
	Contacts  []domain.Contact  `json:"contacts"`
	Contracts []domain.Contract `json:"contracts"`
	Equipment []EquipmentRecord `json:"equipment"`
	Coverage  []SiteCoverage    `json:"coverage"`
}

// Customer returns a customer with everything it owns.
func (a Archive) Customer(ctx context.Context, id string) (CustomerDetail, error) {
	today := a.e.Today()
	var d CustomerDetail
	err := a.view(ctx, func(tx store.ReadTx) error {
		var cu domain.Customer
		if err := getOne(tx, CollCustomers, id, &cu); err != nil {
			return err
		}
		b, err := loadBundle(tx, cu)
		if err != nil {
			return err
		}
		eqs, err := byIndex[EquipmentRecord](tx, CollEquipment, IdxCustomer, cu.ID)
		if err != nil {
			return err
		}
		d = CustomerDetail{Customer: cu, Summary: b.summary(today), Sites: b.sites, Contacts: b.contacts,
			Contracts: b.contracts, Equipment: eqs}
		d.Coverage = coverageTable(b.sites, b.contracts, eqs, today)
		return nil
	})
	return d, err
}

// coverageTable lists the coverage of each (site, system) pair that has
// equipment in service or a contract, in site then system order.
func coverageTable(sites []domain.Site, contracts []domain.Contract, eqs []EquipmentRecord, today domain.Date) []SiteCoverage {
	pairs := map[domain.ContractCover]bool{}
	for _, e := range eqs {
		if !e.Retired {
			pairs[domain.ContractCover{SiteID: e.SiteID, System: e.System}] = true
		}
	}
	for _, c := range contracts {
		for _, cv := range c.Covers {
			pairs[cv] = true
		}
	}
	out := []SiteCoverage{}
	for _, s := range sites {
		for _, sys := range domain.Systems() {
			if pairs[domain.ContractCover{SiteID: s.ID, System: sys}] {
				out = append(out, SiteCoverage{SiteID: s.ID, System: sys, CoverageResult: domain.Coverage(contracts, s.ID, sys, today)})
			}
		}
	}
	return out
}

// customerNames reads the names of the customers with the given ids.
func customerNames(tx store.ReadTx, ids map[string]bool) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	for id := range ids {
		var cu domain.Customer
		if err := getOne(tx, CollCustomers, id, &cu); err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				continue
			}
			return nil, err
		}
		out[id] = cu.Name
	}
	return out, nil
}

// CustomerByID returns one customer without what it owns.
func (a Archive) CustomerByID(ctx context.Context, id string) (domain.Customer, error) {
	var cu domain.Customer
	err := a.view(ctx, func(tx store.ReadTx) error { return getOne(tx, CollCustomers, id, &cu) })
	return cu, err
}
