package domain

import "strings"

// Site is a place where a customer has systems installed: a building, a
// campus, a warehouse (R-ARC-1). Its city and district decide the fee zone.
type Site struct {
	ID         string `json:"id"`
	CustomerID string `json:"customerId"`
	Name       string `json:"name"` // e.g. 华强大厦
	Address    string `json:"address"`
	District   string `json:"district"` // e.g. 福田区
	City       string `json:"city"`     // e.g. 深圳, without 市
}

// NewSite trims s, defaults the city to the area's city, writes the city
// without 市 and the district in the area's spelling ("福田" → "福田区"),
// then validates it.
func NewSite(s Site, area ServiceArea) (Site, error) {
	s.Name = strings.TrimSpace(s.Name)
	s.Address = strings.TrimSpace(s.Address)
	s.District = strings.TrimSpace(s.District)
	s.City = areaCityName(s.City)
	if s.City == "" {
		s.City = areaCityName(area.City)
	}
	if area.InCity(s.City) {
		if d, ok := area.NormalizeDistrict(s.District); ok {
			s.District = d
		}
	}
	return s, s.Validate(area)
}

// Validate checks the site's fields. A site in the area's city must name
// one of its districts exactly; elsewhere the district is free text.
func (s Site) Validate(area ServiceArea) error {
	p := Problems{}
	arcCheckID(p, "id", s.ID, true)
	arcCheckID(p, "customerId", s.CustomerID, true)
	arcCheckText(p, "name", s.Name, arcMaxName, true)
	arcCheckText(p, "address", s.Address, arcMaxLine, true)
	arcCheckText(p, "city", s.City, arcMaxName, true)
	if area.InCity(s.City) {
		arcCheckText(p, "district", s.District, arcMaxName, true)
		if d, ok := area.NormalizeDistrict(s.District); s.District != "" && (!ok || d != s.District) {
			p.Add("district", "invalid_district")
		}
	} else {
		arcCheckText(p, "district", s.District, arcMaxName, false)
	}
	return p.Err()
}
