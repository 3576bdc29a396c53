package domain

// QuoteItem is one line of equipment to price for a year: usually one
// equipment record of a site (see Equipment.QuoteItem).
type QuoteItem struct {
	ItemType    ItemType `json:"itemType"`
	SiteID      string   `json:"siteId,omitempty"`      // groups site-count tiers; "" is one group
	EquipmentID string   `json:"equipmentId,omitempty"` // for reference only
	Quantity    int      `json:"quantity"`              // units (points for point items), 1 or more
	Ports       int      `json:"ports,omitempty"`       // required for items sized by ports
	Watts       int      `json:"watts,omitempty"`       // required for items sized by watts
}

// QuoteLine is a priced QuoteItem.
type QuoteLine struct {
	Item         QuoteItem `json:"item"`
	Name         string    `json:"name"`      // e.g. 程控交换机
	Unit         string    `json:"unit"`      // e.g. 台
	TierValue    int       `json:"tierValue"` // what picked the tier: ports, watts, the site's count; 0 for flat prices
	UnitPriceFen int64     `json:"unitPriceFen"`
	AmountFen    int64     `json:"amountFen"`
}

// Quote is an annual maintenance quote: one line per item, in input order.
type Quote struct {
	Lines    []QuoteLine `json:"lines"`
	TotalFen int64       `json:"totalFen"`
}

// ErrPriceListInvalid is returned by AnnualQuote when the price list itself
// does not validate (the cause is wrapped).
var ErrPriceListInvalid = E(KindConflict, "pricelist_invalid")

// priceQuoteMaxSize bounds ports and watts of one unit.
const priceQuoteMaxSize = 100_000

// AnnualQuote prices items for a year (R-FEE-4). Each line is unit price ×
// quantity. The unit price of an item priced by site count (switches) comes
// from the tier of the total quantity of that item type at the same site,
// and applies to every unit; items priced by ports or watts take the tier
// of their own size. Problems name the items as "items[i].field".
func (p PriceList) AnnualQuote(items []QuoteItem) (Quote, error) {
	if err := p.Validate(); err != nil {
		return Quote{}, ErrPriceListInvalid.Wrap(err)
	}
	pr := Problems{}
	type siteItem struct {
		site string
		t    ItemType
	}
	counts := map[siteItem]int{}
	for i, it := range items {
		quoteCheckItem(pr, i, it)
		counts[siteItem{it.SiteID, it.ItemType}] += it.Quantity
	}
	if err := pr.Err(); err != nil {
		return Quote{}, err
	}
	q := Quote{Lines: make([]QuoteLine, 0, len(items))}
	for _, it := range items {
		spec, _ := it.ItemType.Spec()
		value := 0
		switch p.basisOf(it.ItemType) {
		case TierSiteCount:
			value = counts[siteItem{it.SiteID, it.ItemType}]
		case TierPorts:
			value = it.Ports
		case TierWatts:
			value = it.Watts
		}
		row, _ := p.priceFor(it.ItemType, value) // a valid list prices every value
		amount := row.PriceFen * int64(it.Quantity)
		q.Lines = append(q.Lines, QuoteLine{
			Item: it, Name: spec.Name, Unit: spec.Unit, TierValue: value,
			UnitPriceFen: row.PriceFen, AmountFen: amount,
		})
		q.TotalFen += amount
	}
	return q, nil
}

func quoteCheckItem(pr Problems, i int, it QuoteItem) {
	spec, ok := it.ItemType.Spec()
	switch {
	case it.ItemType == "":
		pr.Add(arcField("items", i, "itemType"), "required")
	case !ok:
		pr.Add(arcField("items", i, "itemType"), "invalid_item_type")
	}
	arcCheckID(pr, arcField("items", i, "siteId"), it.SiteID, false)
	arcCheckID(pr, arcField("items", i, "equipmentId"), it.EquipmentID, false)
	switch {
	case it.Quantity < 1:
		pr.Add(arcField("items", i, "quantity"), "must_be_positive")
	case it.Quantity > arcMaxCount:
		pr.Add(arcField("items", i, "quantity"), "too_large")
	}
	quoteCheckSize(pr, arcField("items", i, "ports"), it.Ports, ok && spec.Attribute == AttributePorts)
	quoteCheckSize(pr, arcField("items", i, "watts"), it.Watts, ok && spec.Attribute == AttributeWatts)
}

func quoteCheckSize(pr Problems, field string, v int, required bool) {
	switch {
	case v < 0:
		pr.Add(field, "negative")
	case v == 0 && required:
		pr.Add(field, "required")
	case v > priceQuoteMaxSize:
		pr.Add(field, "too_large")
	}
}
