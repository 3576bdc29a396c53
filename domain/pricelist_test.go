package domain_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestItemSpecs(t *testing.T) {
	// id: system, name, unit, attribute — written from DOMAIN.md's table.
	want := map[domain.ItemType][4]string{
		"network.info_point":         {"network", "信息点", "点", "quantity"},
		"network.switch":             {"network", "网络交换机", "台", "none"},
		"network.server":             {"network", "服务器", "台", "none"},
		"network.pc":                 {"network", "PC机", "台", "none"},
		"telephone.voice_point":      {"telephone", "语音点", "点", "quantity"},
		"telephone.pbx":              {"telephone", "程控交换机", "台", "ports"},
		"telephone.billing_software": {"telephone", "电话计费软件", "套", "none"},
		"pa.speaker":                 {"pa", "扬声器", "个", "none"},
		"pa.amplifier":               {"pa", "功放", "台", "watts"},
		"cctv.camera":                {"cctv", "监控终端", "个", "none"},
		"cctv.recorder":              {"cctv", "监控主机", "台", "none"},
		"cctv.auxiliary":             {"cctv", "辅助设备", "台", "none"},
		"alarm.detector":             {"alarm", "防盗探头", "个", "none"},
		"alarm.panel":                {"alarm", "防盗主机", "台", "none"},
		"onecard.attendance":         {"onecard", "考勤机", "台", "none"},
		"onecard.door_controller":    {"onecard", "门禁机", "台", "none"},
		"onecard.pos":                {"onecard", "售饭机", "台", "none"},
		"onecard.software":           {"onecard", "一卡通软件", "套", "none"},
	}
	got := map[domain.ItemType][4]string{}
	for _, s := range domain.ItemSpecs() {
		got[s.Type] = [4]string{string(s.System), s.Name, s.Unit, string(s.Attribute)}
		if !s.Attribute.Valid() || !s.System.Valid() {
			t.Errorf("%s: invalid attribute or system", s.Type)
		}
	}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("ItemSpecs (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(domain.ItemTypesOf(domain.SystemPA), []domain.ItemType{"pa.speaker", "pa.amplifier"}); diff != "" {
		t.Errorf("ItemTypesOf(pa) (-got +want):\n%s", diff)
	}
}

func TestParseItemType(t *testing.T) {
	tests := []struct {
		in   string
		want domain.ItemType
		err  bool
	}{
		{"telephone.pbx", domain.ItemTelephonePBX, false},
		{" CCTV.Camera ", domain.ItemCCTVCamera, false},
		{"telephone", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseItemType(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("ParseItemType(%q) = %q, %v", tt.in, got, err)
			}
		})
	}
}

func TestDefaultPriceListIsValid(t *testing.T) {
	p := domain.DefaultPriceList()
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if m := p.MissingItems(); len(m) != 0 {
		t.Errorf("MissingItems = %v", m)
	}
}

func TestPriceListValidate(t *testing.T) {
	row := func(p domain.PriceList, t domain.ItemType, n int) int { // index of the n-th row of t
		for i, r := range p.Rows {
			if r.ItemType == t {
				if n == 0 {
					return i
				}
				n--
			}
		}
		return -1
	}
	tests := []struct {
		name string
		edit func(p *domain.PriceList)
		want map[string]string
	}{
		{"empty list", func(p *domain.PriceList) { p.Rows = nil }, map[string]string{"rows": "missing_item"}},
		{"one item dropped", func(p *domain.PriceList) {
			i := row(*p, domain.ItemNetworkPC, 0)
			p.Rows = append(p.Rows[:i], p.Rows[i+1:]...)
		}, map[string]string{"rows": "missing_item"}},
		{"unknown item", func(p *domain.PriceList) {
			p.Rows = append(p.Rows, domain.PriceRow{ItemType: "network.router", Basis: domain.TierNone, PriceFen: 1})
		}, map[string]string{"rows[26].itemType": "invalid_item_type"}},
		{"negative price", func(p *domain.PriceList) { p.Rows[0].PriceFen = -1 },
			map[string]string{"rows[0].priceFen": "negative"}},
		{"absurd price", func(p *domain.PriceList) { p.Rows[0].PriceFen = 1_000_000_001 },
			map[string]string{"rows[0].priceFen": "too_large"}},
		{"zero price is allowed", func(p *domain.PriceList) { p.Rows[0].PriceFen = 0 }, nil},
		{"flat row with bounds", func(p *domain.PriceList) { p.Rows[0].Min, p.Rows[0].Max = 1, 5 },
			map[string]string{"rows[0].min": "not_applicable", "rows[0].max": "not_applicable"}},
		{"flat item twice", func(p *domain.PriceList) {
			p.Rows = append(p.Rows, domain.PriceRow{ItemType: domain.ItemNetworkPC, Basis: domain.TierNone, PriceFen: 1})
		}, map[string]string{"rows[26].itemType": "duplicate"}},
		{"missing basis", func(p *domain.PriceList) { p.Rows[0].Basis = "" },
			map[string]string{"rows[0].basis": "required"}},
		{"unknown basis", func(p *domain.PriceList) { p.Rows[0].Basis = "weight" },
			map[string]string{"rows[0].basis": "invalid_basis"}},
		{"ports basis on a switch", func(p *domain.PriceList) {
			for i := range p.Rows {
				if p.Rows[i].ItemType == domain.ItemNetworkSwitch {
					p.Rows[i].Basis = domain.TierPorts
				}
			}
		}, map[string]string{"rows[1].basis": "not_applicable", "rows[2].basis": "not_applicable", "rows[3].basis": "not_applicable"}},
		{"mixed bases", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemTelephonePBX, 2)].Basis = domain.TierSiteCount },
			map[string]string{"rows[9].basis": "not_applicable"}},
		{"site count for info points is allowed", func(p *domain.PriceList) {
			p.Rows[0] = domain.PriceRow{ItemType: domain.ItemNetworkInfoPoint, Basis: domain.TierSiteCount, Min: 1, PriceFen: 5000}
		}, nil},
		{"tier gap", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemNetworkSwitch, 1)].Min = 7 },
			map[string]string{"rows[2].min": "tier_gap"}},
		{"tier overlap", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemNetworkSwitch, 1)].Min = 5 },
			map[string]string{"rows[2].min": "tier_overlap"}},
		{"first tier above 1", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemPAAmplifier, 0)].Min = 100 },
			map[string]string{"rows[14].min": "tier_gap"}},
		{"tier from 0", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemPAAmplifier, 0)].Min = 0 },
			map[string]string{"rows[14].min": "must_be_positive"}},
		{"no open-ended tier", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemPAAmplifier, 2)].Max = 5000 },
			map[string]string{"rows[16].max": "tier_unbounded_missing"}},
		{"open-ended tier in the middle", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemPAAmplifier, 1)].Max = 0 },
			map[string]string{"rows[16].min": "tier_overlap"}},
		{"max below min", func(p *domain.PriceList) { p.Rows[row(*p, domain.ItemNetworkSwitch, 1)].Max = 5 },
			map[string]string{"rows[2].max": "below_min", "rows[3].min": "tier_gap"}},
		{"rows in any order", func(p *domain.PriceList) { p.Rows[1], p.Rows[3] = p.Rows[3], p.Rows[1] }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := domain.DefaultPriceList()
			tt.edit(&p)
			if diff := cmp.Diff(arFields(t, p.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}
