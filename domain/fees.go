package domain

// FeeStatus says how a visit is billed.
type FeeStatus string

// The fee statuses.
const (
	FeeCharged  FeeStatus = "charged"  // 按标准收费: per-visit customers and customers without a contract
	FeeWarranty FeeStatus = "warranty" // 保内: nothing charged
	FeeAnnual   FeeStatus = "annual"   // 按年合同: visits included, transport still billed
	FeeLiaison  FeeStatus = "liaison"  // 按《联络函》: priced by liaison letter, no automatic fee
)

var feeStatusLabels = map[FeeStatus]string{
	FeeCharged:  "按标准收费",
	FeeWarranty: "保内免费",
	FeeAnnual:   "按年合同已含",
	FeeLiaison:  "按《联络函》计费",
}

// Label is the Chinese name of the status.
func (s FeeStatus) Label() string { return feeStatusLabels[s] }

// FeeLineKind names a line of a visit fee.
type FeeLineKind string

// The fee line kinds.
const (
	FeeLineVisit     FeeLineKind = "visit"     // 上门服务费, per person per visit
	FeeLineRefit     FeeLineKind = "refit"     // 返修二次上门加收, per person per visit
	FeeLineTransport FeeLineKind = "transport" // 大型设备运输费, per trip
)

var feeLineLabels = map[FeeLineKind]string{
	FeeLineVisit:     "上门服务费",
	FeeLineRefit:     "返修二次上门加收",
	FeeLineTransport: "大型设备运输费",
}

// Label is the Chinese name of the line kind.
func (k FeeLineKind) Label() string { return feeLineLabels[k] }

// FeeLine is one line of a visit fee: count × unit.
type FeeLine struct {
	Kind      FeeLineKind `json:"kind"`
	UnitFen   int64       `json:"unitFen"`
	Count     int         `json:"count"`
	AmountFen int64       `json:"amountFen"`
}

// Fee is the computed fee of a visit with its breakdown.
type Fee struct {
	Status   FeeStatus `json:"status"`
	Zone     FeeZone   `json:"zone"`
	Visits   int       `json:"visits"` // billable visits: ceil(hours / max visit hours), at least 1
	Lines    []FeeLine `json:"lines"`
	TotalFen int64     `json:"totalFen"`
}

// VisitFeeInput is what the fee of one trip to a site depends on.
type VisitFeeInput struct {
	Area     ServiceArea  `json:"-"`
	Schedule FeeSchedule  `json:"-"`
	City     string       `json:"city"`     // the site's city
	District string       `json:"district"` // the site's district
	Coverage CoverageKind `json:"coverage"` // of the system at the site on the day
	Liaison  bool         `json:"liaison"`  // the work runs under a liaison letter (R-FEE-2)
	People   int          `json:"people"`   // lead technician and helpers
	// WorkedMinutes is the time on the job; 0 still counts as one visit.
	WorkedMinutes int `json:"workedMinutes"`
	// Refit marks the return visit that refits repaired equipment: it is
	// charged the refit surcharge instead of the visit fee, the visit fee
	// having been charged on the visit that found the fault.
	Refit          bool `json:"refit"`
	TransportTrips int  `json:"transportTrips"` // trips carrying large equipment
}

// ErrFeeConfig is returned by VisitFee when the area or schedule it was
// handed does not validate (the cause is wrapped).
var ErrFeeConfig = E(KindConflict, "fee_config_invalid")

// feesMaxPeople and feesMaxMinutes bound the input to sane values.
const (
	feesMaxPeople  = 50
	feesMaxMinutes = 31 * 24 * 60
)

// VisitFee computes the fee of a visit (R-FEE, R-FEE-6):
//   - in warranty (保内): nothing is charged;
//   - outside the service area's city, or under a liaison letter: priced by
//     the letter, no lines;
//   - otherwise per person per visit, a visit being at most MaxVisitHours
//     (visits = ceil(hours / MaxVisitHours), at least one): the visit fee,
//     or for a refit return visit the refit surcharge, at the zone's rate;
//     plus transport of large equipment per trip;
//   - under an annual contract the visits are included and only transport
//     is billed (R-FEE-3 bills it with the repair costs).
func VisitFee(in VisitFeeInput) (Fee, error) {
	if err := in.Area.Validate(); err != nil {
		return Fee{}, ErrFeeConfig.Wrap(err)
	}
	if err := in.Schedule.Validate(); err != nil {
		return Fee{}, ErrFeeConfig.Wrap(err)
	}
	p := Problems{}
	switch {
	case in.Coverage == "":
		p.Add("coverage", "required")
	case !in.Coverage.Valid():
		p.Add("coverage", "invalid_coverage")
	}
	switch {
	case in.People < 1:
		p.Add("people", "must_be_positive")
	case in.People > feesMaxPeople:
		p.Add("people", "too_large")
	}
	switch {
	case in.WorkedMinutes < 0:
		p.Add("workedMinutes", "negative")
	case in.WorkedMinutes > feesMaxMinutes:
		p.Add("workedMinutes", "too_large")
	}
	switch {
	case in.TransportTrips < 0:
		p.Add("transportTrips", "negative")
	case in.TransportTrips > feesMaxPeople:
		p.Add("transportTrips", "too_large")
	}
	zone, err := in.Area.Zone(in.City, in.District)
	arcMerge(p, err)
	if err := p.Err(); err != nil {
		return Fee{}, err
	}

	perVisit := in.Schedule.MaxVisitHours * 60
	visits := max(1, (in.WorkedMinutes+perVisit-1)/perVisit)
	fee := Fee{Zone: zone, Visits: visits, Lines: []FeeLine{}}
	switch {
	case in.Coverage == CoverageWarranty:
		fee.Status = FeeWarranty
		return fee, nil
	case in.Liaison || zone == ZoneOutOfArea:
		fee.Status = FeeLiaison
		return fee, nil
	case in.Coverage == CoverageAnnual:
		fee.Status = FeeAnnual
	default:
		fee.Status = FeeCharged
		kind, rates := FeeLineVisit, in.Schedule.Visit
		if in.Refit {
			kind, rates = FeeLineRefit, in.Schedule.Refit
		}
		fee.add(kind, rates.For(zone), in.People*visits)
	}
	if in.TransportTrips > 0 {
		fee.add(FeeLineTransport, in.Schedule.Transport.For(zone), in.TransportTrips)
	}
	return fee, nil
}

func (f *Fee) add(kind FeeLineKind, unit int64, count int) {
	amount := unit * int64(count)
	f.Lines = append(f.Lines, FeeLine{Kind: kind, UnitFen: unit, Count: count, AmountFen: amount})
	f.TotalFen += amount
}
