package domain

import (
	"slices"
	"strings"
)

// ServiceArea is the configured home city: its districts (to check a site's
// district) and the districts of the inner-city fee zone (R-FEE-1). The
// source names 深圳 and 罗湖、福田、南山; it is configuration, not code.
type ServiceArea struct {
	City          string   `json:"city"`          // e.g. 深圳, without 市
	Districts     []string `json:"districts"`     // every district of City
	CityDistricts []string `json:"cityDistricts"` // the 市区 fee zone, a subset of Districts
}

// DefaultServiceArea is Shenzhen with its districts, the city zone being
// 罗湖区, 福田区 and 南山区 as in the source's fee schedule.
func DefaultServiceArea() ServiceArea {
	return ServiceArea{
		City: "深圳",
		Districts: []string{
			"罗湖区", "福田区", "南山区", "盐田区", "宝安区",
			"龙岗区", "龙华区", "坪山区", "光明区", "大鹏新区",
		},
		CityDistricts: []string{"罗湖区", "福田区", "南山区"},
	}
}

// FeeZone is where a site lies for the visit fee.
type FeeZone string

// The fee zones.
const (
	ZoneCity      FeeZone = "city"        // 市区: the configured city districts
	ZoneSuburb    FeeZone = "suburb"      // 市区外本市范围内: the rest of the city
	ZoneOutOfArea FeeZone = "out_of_area" // 本市以外: priced by liaison letter
)

var zoneLabels = map[FeeZone]string{
	ZoneCity:      "市区",
	ZoneSuburb:    "市区外本市范围内",
	ZoneOutOfArea: "本市以外",
}

// Label is the Chinese name of the zone, "" for an unknown one.
func (z FeeZone) Label() string { return zoneLabels[z] }

// Validate checks the configuration: a city, districts without blanks or
// repeats, and city-zone districts that are districts of the city.
func (a ServiceArea) Validate() error {
	p := Problems{}
	arcCheckText(p, "city", a.City, arcMaxName, true)
	if len(a.Districts) == 0 {
		p.Add("districts", "required")
	}
	for i, d := range a.Districts {
		f := arcField("districts", i, "")
		arcCheckText(p, f, d, arcMaxName, true)
		if slices.Index(a.Districts, d) < i {
			p.Add(f, "duplicate")
		}
	}
	for i, d := range a.CityDistricts {
		f := arcField("cityDistricts", i, "")
		if !slices.Contains(a.Districts, d) {
			p.Add(f, "invalid_district")
		}
		if slices.Index(a.CityDistricts, d) < i {
			p.Add(f, "duplicate")
		}
	}
	return p.Err()
}

// InCity reports whether city names the area's city ("深圳" or "深圳市").
func (a ServiceArea) InCity(city string) bool {
	return areaCityName(city) == areaCityName(a.City)
}

// NormalizeDistrict returns the configured spelling of a district of the
// area's city, accepting it without its suffix ("南山" → "南山区",
// "大鹏" → "大鹏新区"); ok is false when no district matches.
func (a ServiceArea) NormalizeDistrict(d string) (string, bool) {
	d = strings.TrimSpace(d)
	if d == "" {
		return "", false
	}
	for _, cand := range []string{d, d + "区", d + "新区"} {
		if slices.Contains(a.Districts, cand) {
			return cand, true
		}
	}
	return "", false
}

// Zone tells the fee zone of a place. A place in another city is out of
// the area; in the area's city the district must be one of its districts.
func (a ServiceArea) Zone(city, district string) (FeeZone, error) {
	if strings.TrimSpace(city) == "" {
		return "", Problems{"city": "required"}.Err()
	}
	if !a.InCity(city) {
		return ZoneOutOfArea, nil
	}
	d, ok := a.NormalizeDistrict(district)
	if !ok {
		code := "invalid_district"
		if strings.TrimSpace(district) == "" {
			code = "required"
		}
		return "", Problems{"district": code}.Err()
	}
	if slices.Contains(a.CityDistricts, d) {
		return ZoneCity, nil
	}
	return ZoneSuburb, nil
}

func areaCityName(c string) string {
	return strings.TrimSuffix(strings.TrimSpace(c), "市")
}
