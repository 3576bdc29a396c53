package server_test

import (
	"net/url"
	"testing"

	"elvcare/domain"
	"elvcare/server/servertest"
	"elvcare/sync"
)

func TestSearchBox(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	desk := h.Login("chen", "password-chen")
	sys := sync.System
	cu := mustApply(t, h, sys, "customer.create", sync.CustomerArgs{Name: "深圳市华强科技有限公司", Kind: "company"})
	mustApply(t, h, sys, "customer.create", sync.CustomerArgs{Name: "深圳市南山物业管理有限公司", Kind: "company"})
	site := mustApply(t, h, sys, "site.create", sync.SiteArgs{CustomerID: cu, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"})
	mustApply(t, h, sys, "contact.create", sync.ContactArgs{CustomerID: cu, Name: "王经理", Phones: []string{"0755-83668899"}})
	mustApply(t, h, sys, "equipment.create", sync.EquipmentArgs{SiteID: site, ItemType: domain.ItemCCTVRecorder, Model: "海康威视 DS-7816N-K2", Serial: "DS7816N20230511AA"})
	tests := []struct {
		name, q, kind string
	}{
		{"common bigram", "科技", "customer"},
		{"one character surname", "王", "contact"},
		{"phone fragment", "8366", "contact"},
		{"serial fragment", "20230511", "equipment"},
		{"address substring", "华强北", "site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res struct {
				Items []struct{ Kind, CustomerID string }
				Total int
			}
			r := desk.Do("GET", "/api/search?q="+url.QueryEscape(tt.q), nil)
			if r.Status != 200 || r.JSON(&res) != nil {
				t.Fatalf("search: %d %s", r.Status, r.Body)
			}
			found := false
			for _, it := range res.Items {
				if it.Kind == tt.kind && it.CustomerID == cu {
					found = true
				}
			}
			if !found {
				t.Errorf("%q did not find the %s: %+v", tt.q, tt.kind, res.Items)
			}
			// The customer list finds the customer through any of its records.
			var list struct {
				Items []struct{ ID string }
				Total int
			}
			_ = desk.Do("GET", "/api/customers?q="+url.QueryEscape(tt.q), nil).JSON(&list)
			if list.Total != 1 || list.Items[0].ID != cu {
				t.Errorf("customer list for %q: %+v", tt.q, list)
			}
		})
	}
}

// Assigning a ticket writes scope grants for the customer's records into
// the change feed; the index must not take them for new versions.
func TestSearchAfterAssignment(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	wang := h.AddUser("wang", "password-wang", domain.RoleTechnician)
	desk := h.Login("chen", "password-chen")
	sys := sync.System
	cu := mustApply(t, h, sys, "customer.create", sync.CustomerArgs{Name: "深圳市鹏城安防科技有限公司", Kind: "company"})
	site := mustApply(t, h, sys, "site.create", sync.SiteArgs{CustomerID: cu, Name: "鹏城大厦", Address: "深圳市南山区科技园", District: "南山区"})
	mustApply(t, h, sys, "contact.create", sync.ContactArgs{CustomerID: cu, Name: "周经理", Phones: []string{"13912345678"}})
	tk := mustApply(t, h, sys, "ticket.open", sync.OpenTicketArgs{CustomerID: cu, SiteID: site, ContactName: "周经理", ContactPhone: "13912345678", System: "cctv", Requested: "画面中断"})
	mustApply(t, h, sys, "ticket.assign", sync.AssignArgs{ID: tk, Lead: wang.ID})
	for _, q := range []string{"鹏城", "周经理", "2345"} {
		var list struct{ Total int }
		_ = desk.Do("GET", "/api/customers?q="+url.QueryEscape(q), nil).JSON(&list)
		if list.Total != 1 {
			t.Errorf("%q after an assignment: %d customers", q, list.Total)
		}
	}
}
