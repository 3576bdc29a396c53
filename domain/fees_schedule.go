package domain

// ZoneRates is one fee in fen for the two zones inside the service area.
type ZoneRates struct {
	CityFen   int64 `json:"cityFen"`   // 市区
	SuburbFen int64 `json:"suburbFen"` // 市区外本市范围内
}

// For returns the rate of zone z; 0 outside the area (no automatic fee).
func (r ZoneRates) For(z FeeZone) int64 {
	switch z {
	case ZoneCity:
		return r.CityFen
	case ZoneSuburb:
		return r.SuburbFen
	}
	return 0
}

// FeeSchedule is the per-visit fee schedule (按次维护, R-FEE), edited by
// finance. Visit and refit are per person per visit; transport per trip.
type FeeSchedule struct {
	Visit         ZoneRates `json:"visit"`         // 上门服务费
	Refit         ZoneRates `json:"refit"`         // 返修设备二次上门安装加收
	Transport     ZoneRates `json:"transport"`     // 大型设备运输费
	MaxVisitHours int       `json:"maxVisitHours"` // longer work counts as further visits
}

// DefaultFeeSchedule is the source's schedule: visit 400/600 yuan, refit
// surcharge 320/480, transport 200/350, a visit at most 8 hours.
func DefaultFeeSchedule() FeeSchedule {
	return FeeSchedule{
		Visit:         ZoneRates{CityFen: 400_00, SuburbFen: 600_00},
		Refit:         ZoneRates{CityFen: 320_00, SuburbFen: 480_00},
		Transport:     ZoneRates{CityFen: 200_00, SuburbFen: 350_00},
		MaxVisitHours: 8,
	}
}

// Validate checks that no rate is negative or absurd and that a visit has
// a length of 1–24 hours.
func (s FeeSchedule) Validate() error {
	p := Problems{}
	for name, r := range map[string]ZoneRates{"visit": s.Visit, "refit": s.Refit, "transport": s.Transport} {
		feesCheckRate(p, name+".cityFen", r.CityFen)
		feesCheckRate(p, name+".suburbFen", r.SuburbFen)
	}
	if s.MaxVisitHours < 1 || s.MaxVisitHours > 24 {
		p.Add("maxVisitHours", "out_of_range")
	}
	return p.Err()
}

func feesCheckRate(p Problems, field string, fen int64) {
	switch {
	case fen < 0:
		p.Add(field, "negative")
	case fen > priceListMaxFen:
		p.Add(field, "too_large")
	}
}
