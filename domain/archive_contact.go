package domain

import (
	"slices"
	"strings"
)

// arcMaxPhones bounds the numbers one contact carries.
const arcMaxPhones = 5

// Contact is a person at a customer the desk and technicians phone
// (R-ARC-1): for the whole customer, or for some of its sites.
type Contact struct {
	ID         string   `json:"id"`
	CustomerID string   `json:"customerId"`
	SiteIDs    []string `json:"siteIds"` // empty: all of the customer's sites
	Name       string   `json:"name"`    // e.g. 张经理
	Phones     []string `json:"phones"`  // normalized, see NormalizePhone
	Title      string   `json:"title,omitempty"`
}

// NewContact trims c and normalizes its phone numbers, then validates it.
// A number that cannot be normalized is kept as typed, so Validate can say
// which one is wrong.
func NewContact(c Contact) (Contact, error) {
	c.Name = strings.TrimSpace(c.Name)
	c.Title = strings.TrimSpace(c.Title)
	phones := make([]string, len(c.Phones))
	for i, ph := range c.Phones {
		if n, err := NormalizePhone(ph); err == nil {
			phones[i] = n
		} else {
			phones[i] = ph
		}
	}
	c.Phones = phones
	if c.SiteIDs == nil {
		c.SiteIDs = []string{}
	}
	return c, c.Validate()
}

// Validate checks the contact: at least one phone, each valid and stored
// in normalized form ("not_normalized" otherwise), no number or site twice.
func (c Contact) Validate() error {
	p := Problems{}
	arcCheckID(p, "id", c.ID, true)
	arcCheckID(p, "customerId", c.CustomerID, true)
	arcCheckText(p, "name", c.Name, arcMaxName, true)
	arcCheckText(p, "title", c.Title, arcMaxName, false)
	for i, id := range c.SiteIDs {
		f := arcField("siteIds", i, "")
		arcCheckID(p, f, id, true)
		if slices.Index(c.SiteIDs, id) < i {
			p.Add(f, "duplicate")
		}
	}
	switch {
	case len(c.Phones) == 0:
		p.Add("phones", "required")
	case len(c.Phones) > arcMaxPhones:
		p.Add("phones", "too_many")
	}
	for i, ph := range c.Phones {
		f := arcField("phones", i, "")
		n, err := NormalizePhone(ph)
		switch {
		case strings.TrimSpace(ph) == "":
			p.Add(f, "required")
		case err != nil:
			p.Add(f, "invalid_phone")
		case n != ph:
			p.Add(f, "not_normalized")
		case slices.Index(c.Phones, ph) < i:
			p.Add(f, "duplicate")
		}
	}
	return p.Err()
}

// HasPhone reports whether the contact has the number, given in any form
// NormalizePhone accepts: how the desk finds a caller.
func (c Contact) HasPhone(number string) bool {
	n, err := NormalizePhone(number)
	return err == nil && slices.Contains(c.Phones, n)
}
