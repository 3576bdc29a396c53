package sync

import (
	"encoding/json"

	"elvcare/domain"
	"elvcare/sync/store"
)

// SiteArgs are the arguments of site.create. City defaults to the service
// area's city; the district may be written without its suffix ("福田").
type SiteArgs struct {
	ID         string `json:"id,omitempty"`
	CustomerID string `json:"customerId"`
	Name       string `json:"name"`
	Address    string `json:"address"`
	District   string `json:"district"`
	City       string `json:"city,omitempty"`
}

// SitePatch is what site.update may change; nil fields stay. A site never
// moves to another customer: its contracts and equipment hang on it.
type SitePatch struct {
	Name     *string `json:"name,omitempty"`
	Address  *string `json:"address,omitempty"`
	District *string `json:"district,omitempty"`
	City     *string `json:"city,omitempty"`
}

// UpdateSiteArgs are the arguments of site.update.
type UpdateSiteArgs struct {
	ID string `json:"id"`
	SitePatch
}

func putSite(c *Ctx, s domain.Site) error {
	return c.Put(CollSites, s.ID, s, PutOpts{Scopes: archiveScopes, Index: []store.Index{
		{Name: IdxCustomer, Value: s.CustomerID},
		{Name: IdxDistrict, Value: s.District},
	}})
}

func createSite(c *Ctx, raw json.RawMessage) (any, error) {
	var a SiteArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	id, err := newRecordID(c, CollSites, a.ID)
	if err != nil {
		return nil, err
	}
	s, verr := domain.NewSite(domain.Site{ID: id, CustomerID: a.CustomerID, Name: a.Name, Address: a.Address,
		District: a.District, City: a.City}, serviceArea())
	p := domain.Problems{}
	mergeProblems(p, verr)
	var cu domain.Customer
	if _, err := getRef(c, p, "customerId", CollCustomers, a.CustomerID, &cu); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if verr != nil {
		return nil, verr
	}
	return s, putSite(c, s)
}

func updateSite(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateSiteArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var s domain.Site
	if err := getTarget(c, CollSites, a.ID, &s); err != nil {
		return nil, err
	}
	if a.Name != nil {
		s.Name = *a.Name
	}
	if a.Address != nil {
		s.Address = *a.Address
	}
	if a.District != nil {
		s.District = *a.District
	}
	if a.City != nil {
		s.City = *a.City
	}
	s, err := domain.NewSite(s, serviceArea())
	if err != nil {
		return nil, err
	}
	return s, putSite(c, s)
}
