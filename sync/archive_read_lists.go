package sync

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// SiteItem is one row of the site list.
type SiteItem struct {
	domain.Site
	CustomerName string `json:"customerName"`
	Equipment    int    `json:"equipment"` // pieces in service
}

// SiteList is a page of sites.
type SiteList struct {
	Items []SiteItem `json:"items"`
	Total int        `json:"total"`
}

// SiteQuery filters the site list; Q matches name and address.
type SiteQuery struct {
	CustomerID string
	District   string
	Q          string
	Paging
}

// Sites lists sites by customer name, then site name.
func (a Archive) Sites(ctx context.Context, q SiteQuery) (SiteList, error) {
	district := normalizeDistrict(q.District)
	text := newQuery(q.Q)
	ids, indexed := a.matchIDs(ctx, CollSites, q.Q)
	var items []SiteItem
	err := a.view(ctx, func(tx store.ReadTx) error {
		var sites []domain.Site
		var err error
		if q.CustomerID != "" {
			sites, err = byIndex[domain.Site](tx, CollSites, IdxCustomer, q.CustomerID)
		} else {
			sites, err = scanAll[domain.Site](tx, CollSites)
		}
		if err != nil {
			return err
		}
		custs := map[string]bool{}
		for _, s := range sites {
			if district != "" && s.District != district || indexed && !ids[s.ID] || !indexed && !text.match(s.Name, s.Address) {
				continue
			}
			eqs, err := tx.Lookup(CollEquipment, IdxSite, s.ID)
			if err != nil {
				return err
			}
			live := 0
			for _, id := range eqs {
				var e EquipmentRecord
				if err := GetJSON(tx, CollEquipment, id, &e); err != nil {
					return err
				}
				if !e.Retired {
					live++
				}
			}
			items = append(items, SiteItem{Site: s, Equipment: live})
			custs[s.CustomerID] = true
		}
		names, err := customerNames(tx, custs)
		for i := range items {
			items[i].CustomerName = names[items[i].CustomerID]
		}
		return err
	})
	if err != nil {
		return SiteList{}, err
	}
	slices.SortStableFunc(items, func(x, y SiteItem) int {
		return cmp.Or(cmp.Compare(x.CustomerName, y.CustomerName), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	page, total := pageOf(items, q.Paging)
	return SiteList{Items: page, Total: total}, nil
}

// Site returns one site.
func (a Archive) Site(ctx context.Context, id string) (domain.Site, error) {
	var s domain.Site
	err := a.view(ctx, func(tx store.ReadTx) error { return getOne(tx, CollSites, id, &s) })
	return s, err
}

// ContactItem is one row of the contact list.
type ContactItem struct {
	domain.Contact
	CustomerName string `json:"customerName"`
}

// ContactList is a page of contacts.
type ContactList struct {
	Items []ContactItem `json:"items"`
	Total int           `json:"total"`
}

// ContactQuery filters the contact list. Phone finds a caller: a whole
// number in any form finds the contacts with it through the index; a
// partial number of at least 4 digits matches any number containing them.
// SiteID keeps the site's contacts and the customer's contacts for all
// sites. Q matches name, title and phones.
type ContactQuery struct {
	CustomerID string
	SiteID     string
	Phone      string
	Q          string
	Paging
}

// Contacts lists contacts by customer name, then name.
func (a Archive) Contacts(ctx context.Context, q ContactQuery) (ContactList, error) {
	text := newQuery(q.Q)
	ids, indexed := a.matchIDs(ctx, CollContacts, q.Q)
	phoneDigits := digitsOf(q.Phone)
	var items []ContactItem
	err := a.view(ctx, func(tx store.ReadTx) error {
		var cs []domain.Contact
		var err error
		switch {
		case PhoneKey(q.Phone) != "":
			cs, err = byIndex[domain.Contact](tx, CollContacts, IdxPhone, PhoneKey(q.Phone))
			phoneDigits = ""
		case q.CustomerID != "":
			cs, err = byIndex[domain.Contact](tx, CollContacts, IdxCustomer, q.CustomerID)
		default:
			cs, err = scanAll[domain.Contact](tx, CollContacts)
		}
		if err != nil {
			return err
		}
		if q.Phone != "" && PhoneKey(q.Phone) == "" && len(phoneDigits) < 4 {
			return nil
		}
		var site domain.Site
		if q.SiteID != "" {
			if err := getOne(tx, CollSites, q.SiteID, &site); err != nil {
				if domain.KindOf(err) == domain.KindNotFound {
					return nil
				}
				return err
			}
		}
		custs := map[string]bool{}
		for _, c := range cs {
			switch {
			case q.CustomerID != "" && c.CustomerID != q.CustomerID:
				continue
			case q.SiteID != "" && (c.CustomerID != site.CustomerID || len(c.SiteIDs) > 0 && !slices.Contains(c.SiteIDs, q.SiteID)):
				continue
			case phoneDigits != "" && !slices.ContainsFunc(c.Phones, func(p string) bool { return strings.Contains(digitsOf(p), phoneDigits) }):
				continue
			case indexed && !ids[c.ID]:
				continue
			case !indexed && !text.match(c.Name, c.Title) && !text.match(c.Phones...):
				continue
			}
			items = append(items, ContactItem{Contact: c})
			custs[c.CustomerID] = true
		}
		names, err := customerNames(tx, custs)
		for i := range items {
			items[i].CustomerName = names[items[i].CustomerID]
		}
		return err
	})
	if err != nil {
		return ContactList{}, err
	}
	slices.SortStableFunc(items, func(x, y ContactItem) int {
		return cmp.Or(cmp.Compare(x.CustomerName, y.CustomerName), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	page, total := pageOf(items, q.Paging)
	return ContactList{Items: page, Total: total}, nil
}

// Contact returns one contact.
func (a Archive) Contact(ctx context.Context, id string) (domain.Contact, error) {
	var c domain.Contact
	err := a.view(ctx, func(tx store.ReadTx) error { return getOne(tx, CollContacts, id, &c) })
	return c, err
}

// ContractItem is one row of the contract list: the contract, its
// customer's name, its last covered day, and whether a later contract
// already renews it.
type ContractItem struct {
	domain.Contract
	CustomerName string      `json:"customerName"`
	Until        domain.Date `json:"until"`
	Renewed      bool        `json:"renewed"`
}

// ContractList is a page of contracts.
type ContractList struct {
	Items []ContractItem `json:"items"`
	Total int            `json:"total"`
}

// ContractQuery filters the contract list; Q matches the number and note.
type ContractQuery struct {
	CustomerID   string
	SiteID       string
	Kind         domain.ContractKind
	Stage        domain.ContractStage
	EndingWithin *int
	Q            string
	Paging
}

// Contracts lists contracts, the soonest to end first.
func (a Archive) Contracts(ctx context.Context, q ContractQuery) (ContractList, error) {
	today := a.e.Today()
	text := newQuery(q.Q)
	ids, indexed := a.matchIDs(ctx, CollContracts, q.Q)
	var items []ContractItem
	err := a.view(ctx, func(tx store.ReadTx) error {
		var cs []domain.Contract
		var err error
		switch {
		case q.SiteID != "":
			cs, err = byIndex[domain.Contract](tx, CollContracts, IdxSite, q.SiteID)
		case q.CustomerID != "":
			cs, err = byIndex[domain.Contract](tx, CollContracts, IdxCustomer, q.CustomerID)
		default:
			cs, err = scanAll[domain.Contract](tx, CollContracts)
		}
		if err != nil {
			return err
		}
		custs := map[string]bool{}
		for _, c := range cs {
			switch {
			case q.CustomerID != "" && c.CustomerID != q.CustomerID,
				q.Kind != "" && c.Kind != q.Kind,
				q.Stage != "" && c.Stage != q.Stage,
				indexed && !ids[c.ID],
				!indexed && !text.match(c.Number, c.Note):
				continue
			}
			renewals, err := tx.Lookup(CollContracts, IdxPrevious, c.ID)
			if err != nil {
				return err
			}
			if q.EndingWithin != nil && (len(renewals) > 0 || len(domain.ContractsEndingWithin([]domain.Contract{c}, today, *q.EndingWithin)) == 0) {
				continue
			}
			items = append(items, ContractItem{Contract: c, Until: c.Until(), Renewed: len(renewals) > 0})
			custs[c.CustomerID] = true
		}
		names, err := customerNames(tx, custs)
		for i := range items {
			items[i].CustomerName = names[items[i].CustomerID]
		}
		return err
	})
	if err != nil {
		return ContractList{}, err
	}
	slices.SortStableFunc(items, func(x, y ContractItem) int {
		return cmp.Or(x.Until.Compare(y.Until), cmp.Compare(x.Number, y.Number), cmp.Compare(x.ID, y.ID))
	})
	page, total := pageOf(items, q.Paging)
	return ContractList{Items: page, Total: total}, nil
}

// Contract returns one contract.
func (a Archive) Contract(ctx context.Context, id string) (domain.Contract, error) {
	var c domain.Contract
	err := a.view(ctx, func(tx store.ReadTx) error { return getOne(tx, CollContracts, id, &c) })
	return c, err
}

// ContractEndingItem is a renewal reminder: the contract, its last covered
// day, the days left, and the customer's name.
type ContractEndingItem struct {
	domain.ContractEnding
	CustomerName string `json:"customerName"`
}

// ContractEndingList answers the renewal reminders.
type ContractEndingList struct {
	Items []ContractEndingItem `json:"items"`
	Total int                  `json:"total"`
	Today domain.Date          `json:"today"`
	Days  int                  `json:"days"`
}

// ContractsEnding lists the contracts whose last covered day falls from
// today through today+days and that no later contract renews, soonest
// first (R-QYBS-2), through the end-date index.
func (a Archive) ContractsEnding(ctx context.Context, days int) (ContractEndingList, error) {
	today := a.e.Today()
	out := ContractEndingList{Items: []ContractEndingItem{}, Today: today, Days: days}
	if days < 0 {
		return out, nil
	}
	first, last := today.String(), today.AddDays(days).String()
	err := a.view(ctx, func(tx store.ReadTx) error {
		var cands []domain.Contract
		err := tx.ScanIndex(CollContracts, IdxEnd, "", func(v, id string) error {
			if v < first {
				return nil
			}
			if v > last {
				return store.ErrStop
			}
			renewals, err := tx.Lookup(CollContracts, IdxPrevious, id)
			if err != nil || len(renewals) > 0 {
				return err
			}
			var c domain.Contract
			if err := GetJSON(tx, CollContracts, id, &c); err != nil {
				return err
			}
			cands = append(cands, c)
			return nil
		})
		if err != nil {
			return err
		}
		custs := map[string]bool{}
		for _, c := range cands {
			custs[c.CustomerID] = true
		}
		names, err := customerNames(tx, custs)
		for _, e := range domain.ContractsEndingWithin(cands, today, days) {
			out.Items = append(out.Items, ContractEndingItem{ContractEnding: e, CustomerName: names[e.Contract.CustomerID]})
		}
		return err
	})
	out.Total = len(out.Items)
	return out, err
}

// EquipmentItem is one row of the equipment list.
type EquipmentItem struct {
	EquipmentRecord
	SiteName     string `json:"siteName"`
	CustomerName string `json:"customerName"`
}

// EquipmentList is a page of equipment.
type EquipmentList struct {
	Items []EquipmentItem `json:"items"`
	Total int             `json:"total"`
}

// EquipmentQuery filters the equipment list. Retired pieces are left out
// unless IncludeRetired. Q matches serial, model and location.
type EquipmentQuery struct {
	CustomerID     string
	SiteID         string
	System         domain.System
	ItemType       domain.ItemType
	IncludeRetired bool
	Q              string
	Paging
}

// Equipment lists equipment by customer, site, system and location.
func (a Archive) Equipment(ctx context.Context, q EquipmentQuery) (EquipmentList, error) {
	text := newQuery(q.Q)
	ids, indexed := a.matchIDs(ctx, CollEquipment, q.Q)
	var items []EquipmentItem
	err := a.view(ctx, func(tx store.ReadTx) error {
		var es []EquipmentRecord
		var err error
		switch {
		case q.SiteID != "":
			es, err = byIndex[EquipmentRecord](tx, CollEquipment, IdxSite, q.SiteID)
		case q.CustomerID != "":
			es, err = byIndex[EquipmentRecord](tx, CollEquipment, IdxCustomer, q.CustomerID)
		default:
			es, err = scanAll[EquipmentRecord](tx, CollEquipment)
		}
		if err != nil {
			return err
		}
		siteNames := map[string]string{}
		custs := map[string]bool{}
		for _, e := range es {
			switch {
			case e.Retired && !q.IncludeRetired,
				q.CustomerID != "" && e.CustomerID != q.CustomerID,
				q.System != "" && e.System != q.System,
				q.ItemType != "" && e.ItemType != q.ItemType,
				indexed && !ids[e.ID],
				!indexed && !text.match(e.Serial, e.Model, e.Location):
				continue
			}
			if _, ok := siteNames[e.SiteID]; !ok {
				var s domain.Site
				if err := getOne(tx, CollSites, e.SiteID, &s); err != nil && domain.KindOf(err) != domain.KindNotFound {
					return err
				}
				siteNames[e.SiteID] = s.Name
			}
			items = append(items, EquipmentItem{EquipmentRecord: e, SiteName: siteNames[e.SiteID]})
			custs[e.CustomerID] = true
		}
		names, err := customerNames(tx, custs)
		for i := range items {
			items[i].CustomerName = names[items[i].CustomerID]
		}
		return err
	})
	if err != nil {
		return EquipmentList{}, err
	}
	sysOrder := func(s domain.System) int { return slices.Index(domain.Systems(), s) }
	slices.SortStableFunc(items, func(x, y EquipmentItem) int {
		return cmp.Or(cmp.Compare(x.CustomerName, y.CustomerName), cmp.Compare(x.SiteName, y.SiteName),
			cmp.Compare(sysOrder(x.System), sysOrder(y.System)), cmp.Compare(x.Location, y.Location), cmp.Compare(x.ID, y.ID))
	})
	page, total := pageOf(items, q.Paging)
	return EquipmentList{Items: page, Total: total}, nil
}

// EquipmentDetail is a piece of equipment with its site, customer, the
// coverage of its system at its site today, and whether (not what)
// credentials are stored.
type EquipmentDetail struct {
	Equipment  EquipmentRecord       `json:"equipment"`
	Site       domain.Site           `json:"site"`
	Customer   domain.Customer       `json:"customer"`
	Coverage   domain.CoverageResult `json:"coverage"`
	Credential *CredentialInfo       `json:"credential,omitempty"`
}

// EquipmentByID returns a piece of equipment with its context.
func (a Archive) EquipmentByID(ctx context.Context, id string) (EquipmentDetail, error) {
	var d EquipmentDetail
	err := a.view(ctx, func(tx store.ReadTx) error {
		if err := getOne(tx, CollEquipment, id, &d.Equipment); err != nil {
			return err
		}
		return a.fillEquipment(tx, &d)
	})
	return d, err
}

// EquipmentByQR finds equipment by the token of its QR label.
func (a Archive) EquipmentByQR(ctx context.Context, token string) (EquipmentDetail, error) {
	var d EquipmentDetail
	err := a.view(ctx, func(tx store.ReadTx) error {
		if token == "" {
			return errNotFound()
		}
		ids, err := tx.Lookup(CollEquipment, IdxQR, token)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return errNotFound()
		}
		if err := getOne(tx, CollEquipment, ids[0], &d.Equipment); err != nil {
			return err
		}
		return a.fillEquipment(tx, &d)
	})
	return d, err
}

func (a Archive) fillEquipment(tx store.ReadTx, d *EquipmentDetail) error {
	if err := getOne(tx, CollSites, d.Equipment.SiteID, &d.Site); err != nil {
		return err
	}
	if err := getOne(tx, CollCustomers, d.Equipment.CustomerID, &d.Customer); err != nil {
		return err
	}
	cs, err := byIndex[domain.Contract](tx, CollContracts, IdxSite, d.Site.ID)
	if err != nil {
		return err
	}
	d.Coverage = domain.Coverage(cs, d.Site.ID, d.Equipment.System, a.e.Today())
	var rec credentialRecord
	if err := getOne(tx, CollCredentials, d.Equipment.ID, &rec); err == nil {
		d.Credential = &CredentialInfo{EquipmentID: rec.EquipmentID, SetAt: rec.SetAt, SetBy: rec.SetBy}
	} else if domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	return nil
}

// CoverageAnswer is the coverage of a system at a site on a day.
type CoverageAnswer struct {
	SiteID string        `json:"siteId"`
	System domain.System `json:"system"`
	Date   domain.Date   `json:"date"`
	domain.CoverageResult
	Label string `json:"label"` // the kind in Chinese: 保内, 按年合同, 按次合同, 无合同
}

// Coverage derives the coverage of system sys at site siteID on day (zero:
// today) from the contracts covering the site.
func (a Archive) Coverage(ctx context.Context, siteID string, sys domain.System, day domain.Date) (CoverageAnswer, error) {
	if day.IsZero() {
		day = a.e.Today()
	}
	out := CoverageAnswer{SiteID: siteID, System: sys, Date: day}
	err := a.view(ctx, func(tx store.ReadTx) error {
		var s domain.Site
		if err := getOne(tx, CollSites, siteID, &s); err != nil {
			return err
		}
		cs, err := byIndex[domain.Contract](tx, CollContracts, IdxSite, siteID)
		if err != nil {
			return err
		}
		out.CoverageResult = domain.Coverage(cs, siteID, sys, day)
		out.Label = out.Kind.Label()
		return nil
	})
	return out, err
}

// File returns a registered file's record.
func (a Archive) File(ctx context.Context, hash string) (FileRecord, error) {
	var f FileRecord
	err := a.view(ctx, func(tx store.ReadTx) error { return getOne(tx, CollFiles, hash, &f) })
	return f, err
}

// Reveals lists the credential reveals of a piece of equipment, newest
// first: the audit trail of its passwords.
func (a Archive) Reveals(ctx context.Context, equipmentID string) ([]CredentialReveal, error) {
	var out []CredentialReveal
	err := a.view(ctx, func(tx store.ReadTx) error {
		var err error
		out, err = byIndex[CredentialReveal](tx, CollCredentialReveal, IdxEquip, equipmentID)
		return err
	})
	slices.Reverse(out)
	return out, err
}
