package domain_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestAnnualQuoteFlatPrices(t *testing.T) {
	// yuan per unit per year, from DOMAIN.md's table.
	want := map[domain.ItemType]int64{
		"network.info_point": 50, "network.server": 800, "network.pc": 80,
		"telephone.voice_point": 50, "telephone.billing_software": 380,
		"pa.speaker": 40, "cctv.camera": 150, "cctv.recorder": 800, "cctv.auxiliary": 80,
		"alarm.detector": 60, "alarm.panel": 500,
		"onecard.attendance": 800, "onecard.door_controller": 300, "onecard.pos": 800, "onecard.software": 800,
	}
	for it, yuan := range want {
		t.Run(string(it), func(t *testing.T) {
			q, err := domain.DefaultPriceList().AnnualQuote([]domain.QuoteItem{{ItemType: it, Quantity: 3}})
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Lines[0].UnitPriceFen; got != yuan*100 {
				t.Errorf("unit price = %d fen, want %d", got, yuan*100)
			}
			if q.TotalFen != 3*yuan*100 || q.Lines[0].AmountFen != q.TotalFen {
				t.Errorf("total = %d, line = %d, want %d", q.TotalFen, q.Lines[0].AmountFen, 3*yuan*100)
			}
		})
	}
}

func TestAnnualQuoteSwitchTiers(t *testing.T) {
	tests := []struct {
		name  string
		count int
		yuan  int64
	}{
		{"1 switch", 1, 400},
		{"5 switches", 5, 400},
		{"6 switches", 6, 360},
		{"10 switches", 10, 360},
		{"11 switches", 11, 320},
		{"40 switches", 40, 320},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// one record per switch: the site's count, not the line's, picks the tier
			var items []domain.QuoteItem
			for range tt.count {
				items = append(items, domain.QuoteItem{ItemType: domain.ItemNetworkSwitch, SiteID: arID(2), Quantity: 1})
			}
			q, err := domain.DefaultPriceList().AnnualQuote(items)
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range q.Lines {
				if l.UnitPriceFen != tt.yuan*100 || l.TierValue != tt.count {
					t.Errorf("line %d: unit %d tier value %d, want %d and %d", i, l.UnitPriceFen, l.TierValue, tt.yuan*100, tt.count)
				}
			}
			if want := int64(tt.count) * tt.yuan * 100; q.TotalFen != want {
				t.Errorf("total = %d, want %d", q.TotalFen, want)
			}
		})
	}
}

func TestAnnualQuoteSwitchCountPerSite(t *testing.T) {
	items := []domain.QuoteItem{
		{ItemType: domain.ItemNetworkSwitch, SiteID: arID(2), Quantity: 4},
		{ItemType: domain.ItemNetworkSwitch, SiteID: arID(2), Quantity: 3}, // site 2 has 7: 360
		{ItemType: domain.ItemNetworkSwitch, SiteID: arID(3), Quantity: 5}, // site 3 has 5: 400
	}
	q, err := domain.DefaultPriceList().AnnualQuote(items)
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]int64
	for _, l := range q.Lines {
		got = append(got, [3]int64{int64(l.TierValue), l.UnitPriceFen, l.AmountFen})
	}
	want := [][3]int64{{7, 36000, 144000}, {7, 36000, 108000}, {5, 40000, 200000}}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("lines (-got +want):\n%s", diff)
	}
	if q.TotalFen != 452000 {
		t.Errorf("total = %d, want 452000", q.TotalFen)
	}
}

func TestAnnualQuotePBXTiers(t *testing.T) {
	tests := []struct {
		ports int
		yuan  int64
	}{
		{1, 600}, {50, 600},
		{51, 1000}, {100, 1000}, {101, 1000}, {149, 1000},
		{150, 1500}, {199, 1500},
		{200, 1800}, {299, 1800},
		{300, 3000}, {2000, 3000},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.ports), func(t *testing.T) {
			q, err := domain.DefaultPriceList().AnnualQuote([]domain.QuoteItem{
				{ItemType: domain.ItemTelephonePBX, Quantity: 1, Ports: tt.ports},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Lines[0].UnitPriceFen; got != tt.yuan*100 {
				t.Errorf("%d ports: %d fen, want %d", tt.ports, got, tt.yuan*100)
			}
		})
	}
}

func TestAnnualQuoteAmplifierTiers(t *testing.T) {
	tests := []struct {
		watts int
		yuan  int64
	}{
		{1, 450}, {800, 450},
		{801, 600}, {1500, 600},
		{1501, 800}, {5000, 800},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.watts)+"W", func(t *testing.T) {
			q, err := domain.DefaultPriceList().AnnualQuote([]domain.QuoteItem{
				{ItemType: domain.ItemPAAmplifier, Quantity: 2, Watts: tt.watts},
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := q.Lines[0].UnitPriceFen; got != tt.yuan*100 {
				t.Errorf("%d W: %d fen, want %d", tt.watts, got, tt.yuan*100)
			}
			if q.TotalFen != 2*tt.yuan*100 {
				t.Errorf("total = %d, want %d", q.TotalFen, 2*tt.yuan*100)
			}
		})
	}
}

func TestAnnualQuoteSite(t *testing.T) {
	// 华强大厦: 480 information points, 7 switches, a 120-port PBX, 12 cameras, an NVR.
	var eq []domain.Equipment
	eq = append(eq, domain.Equipment{ID: arID(100), SiteID: arID(2), ItemType: domain.ItemNetworkInfoPoint,
		Attributes: domain.EquipmentAttributes{Quantity: 480}})
	for i := range 7 {
		eq = append(eq, domain.Equipment{ID: arID(101 + i), SiteID: arID(2), ItemType: domain.ItemNetworkSwitch})
	}
	eq = append(eq,
		domain.Equipment{ID: arID(110), SiteID: arID(2), ItemType: domain.ItemTelephonePBX, Attributes: domain.EquipmentAttributes{Ports: 120}},
		domain.Equipment{ID: arID(111), SiteID: arID(2), ItemType: domain.ItemCCTVCamera, Attributes: domain.EquipmentAttributes{Quantity: 12}},
		domain.Equipment{ID: arID(112), SiteID: arID(2), ItemType: domain.ItemCCTVRecorder},
	)
	var items []domain.QuoteItem
	for _, e := range eq {
		items = append(items, e.QuoteItem())
	}
	q, err := domain.DefaultPriceList().AnnualQuote(items)
	if err != nil {
		t.Fatal(err)
	}
	// 480×50 + 7×360 + 1000 + 12×150 + 800 = 24000 + 2520 + 1000 + 1800 + 800
	if want := int64(30120_00); q.TotalFen != want {
		t.Errorf("total = %d fen, want %d", q.TotalFen, want)
	}
	if l := q.Lines[0]; l.Name != "信息点" || l.Unit != "点" || l.Item.EquipmentID != arID(100) {
		t.Errorf("first line = %+v", l)
	}
	var sum int64
	for _, l := range q.Lines {
		sum += l.AmountFen
	}
	if sum != q.TotalFen {
		t.Errorf("lines sum to %d, total %d", sum, q.TotalFen)
	}
}

func TestAnnualQuoteErrors(t *testing.T) {
	tests := []struct {
		name  string
		items []domain.QuoteItem
		want  map[string]string
	}{
		{"no items is a zero quote", nil, nil},
		{"problems per item", []domain.QuoteItem{
			{ItemType: "", Quantity: 1},
			{ItemType: "network.router", Quantity: 1},
			{ItemType: domain.ItemNetworkPC, Quantity: 0},
			{ItemType: domain.ItemTelephonePBX, Quantity: 1},
			{ItemType: domain.ItemPAAmplifier, Quantity: 1, Watts: -5},
			{ItemType: domain.ItemPAAmplifier, Quantity: 1, Watts: 100_001},
			{ItemType: domain.ItemNetworkPC, Quantity: 1_000_001, SiteID: "site-2"},
		}, map[string]string{
			"items[0].itemType": "required",
			"items[1].itemType": "invalid_item_type",
			"items[2].quantity": "must_be_positive",
			"items[3].ports":    "required",
			"items[4].watts":    "negative",
			"items[5].watts":    "too_large",
			"items[6].quantity": "too_large",
			"items[6].siteId":   "invalid_id",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := domain.DefaultPriceList().AnnualQuote(tt.items)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if err == nil && (q.TotalFen != 0 || len(q.Lines) != 0) {
				t.Errorf("quote = %+v", q)
			}
		})
	}
}

func TestAnnualQuoteInvalidPriceList(t *testing.T) {
	_, err := domain.PriceList{}.AnnualQuote([]domain.QuoteItem{{ItemType: domain.ItemNetworkPC, Quantity: 1}})
	if arCode(err) != "pricelist_invalid" || domain.KindOf(err) != domain.KindConflict {
		t.Errorf("err = %v, want pricelist_invalid", err)
	}
}

func TestAnnualQuoteEditedPriceList(t *testing.T) {
	p := domain.DefaultPriceList()
	for i := range p.Rows {
		if p.Rows[i].ItemType == domain.ItemCCTVCamera {
			p.Rows[i].PriceFen = 120_00
		}
	}
	q, err := p.AnnualQuote([]domain.QuoteItem{{ItemType: domain.ItemCCTVCamera, Quantity: 16}})
	if err != nil {
		t.Fatal(err)
	}
	if q.TotalFen != 16*120_00 {
		t.Errorf("total = %d", q.TotalFen)
	}
}
