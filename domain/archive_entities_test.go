package domain_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestNewCustomer(t *testing.T) {
	valid := domain.Customer{ID: arID(1), Name: "深圳市华强物业管理有限公司", Kind: domain.CustomerCompany}
	tests := []struct {
		name   string
		edit   func(*domain.Customer)
		want   map[string]string
		wantCu *domain.Customer
	}{
		{"valid", func(*domain.Customer) {}, nil, nil},
		{"trims", func(c *domain.Customer) { c.Name = "  华强物业 "; c.Note = " 老客户 " }, nil,
			&domain.Customer{ID: arID(1), Name: "华强物业", Kind: domain.CustomerCompany, Note: "老客户"}},
		{"missing everything", func(c *domain.Customer) { *c = domain.Customer{} },
			map[string]string{"id": "required", "name": "required", "kind": "required"}, nil},
		{"bad id and kind", func(c *domain.Customer) { c.ID = "42"; c.Kind = "alien" },
			map[string]string{"id": "invalid_id", "kind": "invalid_kind"}, nil},
		{"upper-case id", func(c *domain.Customer) { c.ID = "0192ABCD-0000-7000-8000-000000000001" },
			map[string]string{"id": "invalid_id"}, nil},
		{"name 100 chinese characters is fine", func(c *domain.Customer) { c.Name = strings.Repeat("华", 100) }, nil, nil},
		{"name 101 characters", func(c *domain.Customer) { c.Name = strings.Repeat("华", 101) },
			map[string]string{"name": "too_long"}, nil},
		{"note too long", func(c *domain.Customer) { c.Note = strings.Repeat("x", 2001) },
			map[string]string{"note": "too_long"}, nil},
		{"invalid utf-8", func(c *domain.Customer) { c.Name = "\xff\xfe" },
			map[string]string{"name": "invalid_text"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.edit(&c)
			got, err := domain.NewCustomer(c)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if tt.wantCu != nil {
				if diff := cmp.Diff(got, *tt.wantCu); diff != "" {
					t.Errorf("customer (-got +want):\n%s", diff)
				}
			}
		})
	}
}

func TestCustomerKindLabels(t *testing.T) {
	for k, want := range map[domain.CustomerKind]string{
		domain.CustomerCompany: "企业", domain.CustomerInstitution: "机关事业单位", domain.CustomerIndividual: "个人",
	} {
		if k.Label() != want || !k.Valid() {
			t.Errorf("%s: Label %q Valid %v", k, k.Label(), k.Valid())
		}
	}
}

func TestNewSite(t *testing.T) {
	area := domain.DefaultServiceArea()
	valid := domain.Site{ID: arID(2), CustomerID: arID(1), Name: "华强大厦", Address: "华强北路1019号", District: "福田区"}
	tests := []struct {
		name         string
		edit         func(*domain.Site)
		want         map[string]string
		wantCity     string
		wantDistrict string
	}{
		{"city defaults to the area", func(*domain.Site) {}, nil, "深圳", "福田区"},
		{"city with 市", func(s *domain.Site) { s.City = "深圳市" }, nil, "深圳", "福田区"},
		{"district without 区", func(s *domain.Site) { s.District = "福田" }, nil, "深圳", "福田区"},
		{"新区 without suffix", func(s *domain.Site) { s.District = "大鹏" }, nil, "深圳", "大鹏新区"},
		{"suburb district", func(s *domain.Site) { s.District = "龙岗区" }, nil, "深圳", "龙岗区"},
		{"unknown district", func(s *domain.Site) { s.District = "天河区" },
			map[string]string{"district": "invalid_district"}, "深圳", "天河区"},
		{"district required in the area", func(s *domain.Site) { s.District = " " },
			map[string]string{"district": "required"}, "深圳", ""},
		{"other city, free district", func(s *domain.Site) { s.City = "广州市"; s.District = "天河区" }, nil, "广州", "天河区"},
		{"other city, no district", func(s *domain.Site) { s.City = "东莞"; s.District = "" }, nil, "东莞", ""},
		{"missing fields", func(s *domain.Site) { s.ID, s.CustomerID, s.Name, s.Address = "", "x", "", "" },
			map[string]string{"id": "required", "customerId": "invalid_id", "name": "required", "address": "required"}, "深圳", "福田区"},
		{"address too long", func(s *domain.Site) { s.Address = strings.Repeat("路", 201) },
			map[string]string{"address": "too_long"}, "深圳", "福田区"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid
			tt.edit(&s)
			got, err := domain.NewSite(s, area)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if got.City != tt.wantCity || got.District != tt.wantDistrict {
				t.Errorf("city, district = %q, %q; want %q, %q", got.City, got.District, tt.wantCity, tt.wantDistrict)
			}
		})
	}
}

func TestSiteValidateRefusesUnnormalizedDistrict(t *testing.T) {
	s := domain.Site{ID: arID(2), CustomerID: arID(1), Name: "华强大厦", Address: "华强北路", District: "福田", City: "深圳"}
	want := map[string]string{"district": "invalid_district"}
	if diff := cmp.Diff(arFields(t, s.Validate(domain.DefaultServiceArea())), want); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}

func TestNewContact(t *testing.T) {
	valid := domain.Contact{ID: arID(3), CustomerID: arID(1), Name: "张经理", Phones: []string{"138 1234 5678"}}
	tests := []struct {
		name       string
		edit       func(*domain.Contact)
		want       map[string]string
		wantPhones []string
	}{
		{"normalizes phones", func(c *domain.Contact) {
			c.Phones = []string{"138-1234-5678", "0755 8888 1234 转 8001"}
		}, nil, []string{"13812345678", "0755-88881234转8001"}},
		{"with sites", func(c *domain.Contact) { c.SiteIDs = []string{arID(2), arID(4)} }, nil, []string{"13812345678"}},
		{"no phone", func(c *domain.Contact) { c.Phones = nil },
			map[string]string{"phones": "required"}, []string{}},
		{"bad phone kept as typed", func(c *domain.Contact) { c.Phones = []string{"13812345678", "8888123"} },
			map[string]string{"phones[1]": "invalid_phone"}, []string{"13812345678", "8888123"}},
		{"blank phone", func(c *domain.Contact) { c.Phones = []string{" "} },
			map[string]string{"phones[0]": "required"}, []string{" "}},
		{"same number twice in two forms", func(c *domain.Contact) { c.Phones = []string{"13812345678", "+86 138 1234 5678"} },
			map[string]string{"phones[1]": "duplicate"}, []string{"13812345678", "13812345678"}},
		{"too many phones", func(c *domain.Contact) {
			c.Phones = []string{"13800000001", "13800000002", "13800000003", "13800000004", "13800000005", "13800000006"}
		}, map[string]string{"phones": "too_many"},
			[]string{"13800000001", "13800000002", "13800000003", "13800000004", "13800000005", "13800000006"}},
		{"duplicate and bad site ids", func(c *domain.Contact) { c.SiteIDs = []string{arID(2), arID(2), "x"} },
			map[string]string{"siteIds[1]": "duplicate", "siteIds[2]": "invalid_id"}, []string{"13812345678"}},
		{"missing name", func(c *domain.Contact) { c.Name = "" }, map[string]string{"name": "required"}, []string{"13812345678"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.edit(&c)
			got, err := domain.NewContact(c)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if diff := cmp.Diff(got.Phones, tt.wantPhones); diff != "" {
				t.Errorf("phones (-got +want):\n%s", diff)
			}
		})
	}
}

func TestContactValidateRefusesRawPhone(t *testing.T) {
	c := domain.Contact{ID: arID(3), CustomerID: arID(1), Name: "张经理", Phones: []string{"138 1234 5678"}}
	want := map[string]string{"phones[0]": "not_normalized"}
	if diff := cmp.Diff(arFields(t, c.Validate()), want); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}

func TestContactHasPhone(t *testing.T) {
	c, err := domain.NewContact(domain.Contact{ID: arID(3), CustomerID: arID(1), Name: "陈小姐",
		Phones: []string{"13812345678", "0755-88881234"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want bool
	}{
		{"+86 138-1234-5678", true},
		{"(0755) 8888 1234", true},
		{"0755-88881235", false},
		{"garbage", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := c.HasPhone(tt.in); got != tt.want {
				t.Errorf("HasPhone(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewEquipment(t *testing.T) {
	nvr := domain.Equipment{
		ID: arID(10), SiteID: arID(2), ItemType: domain.ItemCCTVRecorder,
		Model: " 海康威视 DS-7816N ", Serial: "DS7816N20240001", Location: "地下二层停车场",
		InstallDate: arDate(t, "2024-05-20"), QRToken: "q7Hk2mP9xR4tW8zA",
	}
	tests := []struct {
		name string
		edit func(*domain.Equipment)
		want map[string]string
	}{
		{"nvr, system from item type", func(*domain.Equipment) {}, nil},
		{"system given and matching", func(e *domain.Equipment) { e.System = domain.SystemCCTV }, nil},
		{"system mismatch", func(e *domain.Equipment) { e.System = domain.SystemAlarm },
			map[string]string{"itemType": "system_mismatch"}},
		{"unknown item type", func(e *domain.Equipment) { e.ItemType = "cctv.drone"; e.System = domain.SystemCCTV },
			map[string]string{"itemType": "invalid_item_type"}},
		{"no item type, no system", func(e *domain.Equipment) { e.ItemType = "" },
			map[string]string{"itemType": "required", "system": "required"}},
		{"pbx needs ports", func(e *domain.Equipment) { e.ItemType = domain.ItemTelephonePBX },
			map[string]string{"attributes.ports": "required"}},
		{"pbx with ports", func(e *domain.Equipment) { e.ItemType = domain.ItemTelephonePBX; e.Attributes.Ports = 120 }, nil},
		{"amplifier needs watts", func(e *domain.Equipment) { e.ItemType = domain.ItemPAAmplifier },
			map[string]string{"attributes.watts": "required"}},
		{"amplifier with watts", func(e *domain.Equipment) { e.ItemType = domain.ItemPAAmplifier; e.Attributes.Watts = 650 }, nil},
		{"info points need a quantity", func(e *domain.Equipment) { e.ItemType = domain.ItemNetworkInfoPoint },
			map[string]string{"attributes.quantity": "required"}},
		{"info points with quantity", func(e *domain.Equipment) { e.ItemType = domain.ItemNetworkInfoPoint; e.Attributes.Quantity = 480 }, nil},
		{"speakers counted in bulk", func(e *domain.Equipment) { e.ItemType = domain.ItemPASpeaker; e.Attributes.Quantity = 40 }, nil},
		{"switch ports are information", func(e *domain.Equipment) { e.ItemType = domain.ItemNetworkSwitch; e.Attributes.Ports = 24 }, nil},
		{"negative attributes", func(e *domain.Equipment) {
			e.Attributes = domain.EquipmentAttributes{Ports: -1, Watts: -1, Quantity: -1}
		},
			map[string]string{"attributes.ports": "negative", "attributes.watts": "negative", "attributes.quantity": "negative"}},
		{"missing token", func(e *domain.Equipment) { e.QRToken = "" }, map[string]string{"qrToken": "required"}},
		{"short token", func(e *domain.Equipment) { e.QRToken = "abc123" }, map[string]string{"qrToken": "invalid_token"}},
		{"token with slash", func(e *domain.Equipment) { e.QRToken = "q7Hk2mP9xR4tW8zA/" }, map[string]string{"qrToken": "invalid_token"}},
		{"missing ids", func(e *domain.Equipment) { e.ID, e.SiteID = "", "" },
			map[string]string{"id": "required", "siteId": "required"}},
		{"location too long", func(e *domain.Equipment) { e.Location = strings.Repeat("层", 201) },
			map[string]string{"location": "too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := nvr
			tt.edit(&e)
			got, err := domain.NewEquipment(e)
			if diff := cmp.Diff(arFields(t, err), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
			if err == nil && (got.Model != strings.TrimSpace(e.Model) || got.System == "") {
				t.Errorf("not normalized: %+v", got)
			}
		})
	}
}

func TestEquipmentQuoteItem(t *testing.T) {
	tests := []struct {
		name string
		eq   domain.Equipment
		want domain.QuoteItem
	}{
		{"one unit", domain.Equipment{ID: arID(10), SiteID: arID(2), ItemType: domain.ItemCCTVRecorder},
			domain.QuoteItem{ItemType: domain.ItemCCTVRecorder, SiteID: arID(2), EquipmentID: arID(10), Quantity: 1}},
		{"points", domain.Equipment{ID: arID(11), SiteID: arID(2), ItemType: domain.ItemNetworkInfoPoint,
			Attributes: domain.EquipmentAttributes{Quantity: 480}},
			domain.QuoteItem{ItemType: domain.ItemNetworkInfoPoint, SiteID: arID(2), EquipmentID: arID(11), Quantity: 480}},
		{"pbx", domain.Equipment{ID: arID(12), SiteID: arID(2), ItemType: domain.ItemTelephonePBX,
			Attributes: domain.EquipmentAttributes{Ports: 120}},
			domain.QuoteItem{ItemType: domain.ItemTelephonePBX, SiteID: arID(2), EquipmentID: arID(12), Quantity: 1, Ports: 120}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.eq.QuoteItem(), tt.want); diff != "" {
				t.Errorf("QuoteItem (-got +want):\n%s", diff)
			}
		})
	}
}
