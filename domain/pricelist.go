package domain

import (
	"cmp"
	"slices"
)

// TierBasis says what picks a price row among an item type's tiers.
type TierBasis string

// The tier bases.
const (
	TierNone      TierBasis = "none"       // one price for the item type
	TierSiteCount TierBasis = "site_count" // the site's total count of the item type (switches)
	TierPorts     TierBasis = "ports"      // the unit's ports (PBX)
	TierWatts     TierBasis = "watts"      // the unit's rated watts (amplifiers)
)

// priceListMaxFen bounds one unit price: 10 million yuan, far above any
// real price and far below where sums could overflow.
const priceListMaxFen = 1_000_000_000

// PriceRow is one row of the annual price table: the yearly price in fen of
// one unit of an item type, for the tier [Min, Max] of the basis (both ends
// included, Max 0 meaning no upper bound). Rows with basis none carry no
// bounds.
type PriceRow struct {
	ItemType ItemType  `json:"itemType"`
	Basis    TierBasis `json:"basis"`
	Min      int       `json:"min,omitempty"`
	Max      int       `json:"max,omitempty"`
	PriceFen int64     `json:"priceFen"`
}

// PriceList is the annual maintenance price table (按年维护, R-FEE-4): data
// an admin edits. Validate before storing it.
type PriceList struct {
	Rows []PriceRow `json:"rows"`
}

// DefaultPriceList is the source's table, with the readings of its known
// defects: switches 1–5, 6–10, 11+; PBX ports ≤50, 51–149, 150–199,
// 200–299, 300+ (the "100.00" row read as 1,000 yuan); amplifiers ≤800 W,
// 801–1500 W, over 1500 W.
func DefaultPriceList() PriceList {
	flat := func(t ItemType, yuan int64) PriceRow {
		return PriceRow{ItemType: t, Basis: TierNone, PriceFen: yuan * 100}
	}
	tier := func(t ItemType, b TierBasis, lo, hi int, yuan int64) PriceRow {
		return PriceRow{ItemType: t, Basis: b, Min: lo, Max: hi, PriceFen: yuan * 100}
	}
	return PriceList{Rows: []PriceRow{
		flat(ItemNetworkInfoPoint, 50),
		tier(ItemNetworkSwitch, TierSiteCount, 1, 5, 400),
		tier(ItemNetworkSwitch, TierSiteCount, 6, 10, 360),
		tier(ItemNetworkSwitch, TierSiteCount, 11, 0, 320),
		flat(ItemNetworkServer, 800),
		flat(ItemNetworkPC, 80),
		flat(ItemTelephoneVoicePoint, 50),
		tier(ItemTelephonePBX, TierPorts, 1, 50, 600),
		tier(ItemTelephonePBX, TierPorts, 51, 149, 1000),
		tier(ItemTelephonePBX, TierPorts, 150, 199, 1500),
		tier(ItemTelephonePBX, TierPorts, 200, 299, 1800),
		tier(ItemTelephonePBX, TierPorts, 300, 0, 3000),
		flat(ItemTelephoneBilling, 380),
		flat(ItemPASpeaker, 40),
		tier(ItemPAAmplifier, TierWatts, 1, 800, 450),
		tier(ItemPAAmplifier, TierWatts, 801, 1500, 600),
		tier(ItemPAAmplifier, TierWatts, 1501, 0, 800),
		flat(ItemCCTVCamera, 150),
		flat(ItemCCTVRecorder, 800),
		flat(ItemCCTVAuxiliary, 80),
		flat(ItemAlarmDetector, 60),
		flat(ItemAlarmPanel, 500),
		flat(ItemOneCardAttendance, 800),
		flat(ItemOneCardDoorController, 300),
		flat(ItemOneCardPOS, 800),
		flat(ItemOneCardSoftware, 800),
	}}
}

// Validate checks the table so that every quote can be priced:
//   - each row names a known item type, a basis that fits it (ports only
//     for items sized by ports, watts only for items sized by watts) and a
//     price of 0 or more fen;
//   - all rows of an item type share one basis; basis none means exactly
//     one row without bounds;
//   - tiers start at 1, follow each other without gap or overlap, and the
//     last one has no upper bound;
//   - every item type has a price ("rows": "missing_item", see MissingItems).
func (p PriceList) Validate() error {
	pr := Problems{}
	groups := map[ItemType][]int{}
	for i, r := range p.Rows {
		spec, ok := r.ItemType.Spec()
		switch {
		case r.ItemType == "":
			pr.Add(arcField("rows", i, "itemType"), "required")
		case !ok:
			pr.Add(arcField("rows", i, "itemType"), "invalid_item_type")
		}
		switch {
		case r.PriceFen < 0:
			pr.Add(arcField("rows", i, "priceFen"), "negative")
		case r.PriceFen > priceListMaxFen:
			pr.Add(arcField("rows", i, "priceFen"), "too_large")
		}
		switch r.Basis {
		case TierNone:
			if r.Min != 0 {
				pr.Add(arcField("rows", i, "min"), "not_applicable")
			}
			if r.Max != 0 {
				pr.Add(arcField("rows", i, "max"), "not_applicable")
			}
		case TierSiteCount, TierPorts, TierWatts:
			if ok && !priceBasisFits(r.Basis, spec.Attribute) {
				pr.Add(arcField("rows", i, "basis"), "not_applicable")
			}
			if r.Min < 1 {
				pr.Add(arcField("rows", i, "min"), "must_be_positive")
			}
			if r.Max != 0 && r.Max < r.Min {
				pr.Add(arcField("rows", i, "max"), "below_min")
			}
		case "":
			pr.Add(arcField("rows", i, "basis"), "required")
		default:
			pr.Add(arcField("rows", i, "basis"), "invalid_basis")
		}
		if ok {
			groups[r.ItemType] = append(groups[r.ItemType], i)
		}
	}
	for _, idx := range groups {
		p.validateGroup(pr, idx)
	}
	if len(p.MissingItems()) > 0 {
		pr.Add("rows", "missing_item")
	}
	return pr.Err()
}

// validateGroup checks the rows (by index) of one item type together.
func (p PriceList) validateGroup(pr Problems, idx []int) {
	first := p.Rows[idx[0]]
	for _, i := range idx[1:] {
		if p.Rows[i].Basis != first.Basis {
			pr.Add(arcField("rows", i, "basis"), "inconsistent")
			return
		}
	}
	if first.Basis == TierNone {
		for _, i := range idx[1:] {
			pr.Add(arcField("rows", i, "itemType"), "duplicate")
		}
		return
	}
	sorted := slices.Clone(idx)
	slices.SortStableFunc(sorted, func(a, b int) int { return cmp.Compare(p.Rows[a].Min, p.Rows[b].Min) })
	if lo := p.Rows[sorted[0]].Min; lo > 1 {
		pr.Add(arcField("rows", sorted[0], "min"), "tier_gap")
	}
	for k := 1; k < len(sorted); k++ {
		prev, cur := p.Rows[sorted[k-1]], p.Rows[sorted[k]]
		switch {
		case prev.Max == 0 || cur.Min <= prev.Max:
			pr.Add(arcField("rows", sorted[k], "min"), "tier_overlap")
		case cur.Min > prev.Max+1:
			pr.Add(arcField("rows", sorted[k], "min"), "tier_gap")
		}
	}
	if last := sorted[len(sorted)-1]; p.Rows[last].Max != 0 {
		pr.Add(arcField("rows", last, "max"), "tier_unbounded_missing")
	}
}

// MissingItems lists, in price-table order, the item types the list has
// no row for.
func (p PriceList) MissingItems() []ItemType {
	var out []ItemType
	for _, s := range itemSpecs {
		if !slices.ContainsFunc(p.Rows, func(r PriceRow) bool { return r.ItemType == s.Type }) {
			out = append(out, s.Type)
		}
	}
	return out
}

// priceFor finds the row of item type t whose tier holds value (ignored for
// basis none).
func (p PriceList) priceFor(t ItemType, value int) (PriceRow, bool) {
	for _, r := range p.Rows {
		if r.ItemType != t {
			continue
		}
		if r.Basis == TierNone || value >= r.Min && (r.Max == 0 || value <= r.Max) {
			return r, true
		}
	}
	return PriceRow{}, false
}

// basisOf is the basis of item type t's rows, "" when it has none.
func (p PriceList) basisOf(t ItemType) TierBasis {
	for _, r := range p.Rows {
		if r.ItemType == t {
			return r.Basis
		}
	}
	return ""
}

func priceBasisFits(b TierBasis, a ItemAttribute) bool {
	switch b {
	case TierPorts:
		return a == AttributePorts
	case TierWatts:
		return a == AttributeWatts
	case TierSiteCount:
		return a == AttributeNone || a == AttributeQuantity
	}
	return true
}
