package sync

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// ContactArgs are the arguments of contact.create. SiteIDs empty means the
// contact is for all of the customer's sites. Phones may be typed in any
// form domain.NormalizePhone accepts; they are stored normalized.
type ContactArgs struct {
	ID         string   `json:"id,omitempty"`
	CustomerID string   `json:"customerId"`
	SiteIDs    []string `json:"siteIds,omitempty"`
	Name       string   `json:"name"`
	Phones     []string `json:"phones"`
	Title      string   `json:"title,omitempty"`
}

// ContactPatch is what contact.update may change; nil fields stay.
type ContactPatch struct {
	SiteIDs *[]string `json:"siteIds,omitempty"`
	Name    *string   `json:"name,omitempty"`
	Phones  *[]string `json:"phones,omitempty"`
	Title   *string   `json:"title,omitempty"`
}

// UpdateContactArgs are the arguments of contact.update.
type UpdateContactArgs struct {
	ID string `json:"id"`
	ContactPatch
}

// PhoneKey is the index value of a phone number: the digits of its
// normalized form without the extension ("0755-88881234转8001" →
// "075588881234"), which is what caller id shows. "" when s is no number.
func PhoneKey(s string) string {
	n, err := domain.NormalizePhone(s)
	if err != nil {
		return ""
	}
	n, _, _ = strings.Cut(n, "转")
	return strings.ReplaceAll(n, "-", "")
}

func putContact(c *Ctx, ct domain.Contact) error {
	idx := []store.Index{{Name: IdxCustomer, Value: ct.CustomerID}}
	for _, ph := range ct.Phones {
		if k := PhoneKey(ph); k != "" && !slices.Contains(idx, store.Index{Name: IdxPhone, Value: k}) {
			idx = append(idx, store.Index{Name: IdxPhone, Value: k})
		}
	}
	for _, s := range ct.SiteIDs {
		idx = append(idx, store.Index{Name: IdxSite, Value: s})
	}
	return c.Put(CollContacts, ct.ID, ct, PutOpts{Scopes: archiveScopes, Index: idx})
}

// checkCustomerSites records a problem for each site id that is not a site
// of customer.
func checkCustomerSites(c *Ctx, p domain.Problems, customerID string, field func(i int) string, siteIDs []string) error {
	for i, id := range siteIDs {
		var s domain.Site
		ok, err := getRef(c, p, field(i), CollSites, id, &s)
		if err != nil {
			return err
		}
		if ok && s.CustomerID != customerID {
			p.Add(field(i), "other_customer")
		}
	}
	return nil
}

func siteIDField(i int) string { return "siteIds[" + strconv.Itoa(i) + "]" }

func validateContact(c *Ctx, ct domain.Contact) (domain.Contact, error) {
	ct, verr := domain.NewContact(ct)
	p := domain.Problems{}
	mergeProblems(p, verr)
	if err := checkCustomerSites(c, p, ct.CustomerID, siteIDField, ct.SiteIDs); err != nil {
		return ct, err
	}
	if err := p.Err(); err != nil {
		return ct, err
	}
	return ct, verr
}

func createContact(c *Ctx, raw json.RawMessage) (any, error) {
	var a ContactArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	id, err := newRecordID(c, CollContacts, a.ID)
	if err != nil {
		return nil, err
	}
	p := domain.Problems{}
	var cu domain.Customer
	if _, err := getRef(c, p, "customerId", CollCustomers, a.CustomerID, &cu); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	ct, err := validateContact(c, domain.Contact{ID: id, CustomerID: a.CustomerID, SiteIDs: a.SiteIDs, Name: a.Name,
		Phones: a.Phones, Title: a.Title})
	if err != nil {
		return nil, err
	}
	return ct, putContact(c, ct)
}

func updateContact(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateContactArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var ct domain.Contact
	if err := getTarget(c, CollContacts, a.ID, &ct); err != nil {
		return nil, err
	}
	if a.SiteIDs != nil {
		ct.SiteIDs = *a.SiteIDs
	}
	if a.Name != nil {
		ct.Name = *a.Name
	}
	if a.Phones != nil {
		ct.Phones = *a.Phones
	}
	if a.Title != nil {
		ct.Title = *a.Title
	}
	ct, err := validateContact(c, ct)
	if err != nil {
		return nil, err
	}
	return ct, putContact(c, ct)
}
