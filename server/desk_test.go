package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"elvcare/domain"
	"elvcare/server/servertest"
	"elvcare/sync"
)

func mustApply(t *testing.T, h *servertest.Harness, a sync.Actor, name string, args any) string {
	t.Helper()
	raw, _ := json.Marshal(args)
	out, err := h.Engine.Apply(context.Background(), a, sync.Mutation{Name: name, Args: raw})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var x struct{ ID string }
	_ = json.Unmarshal(out, &x)
	return x.ID
}

// deskDay opens a ticket, has 王工 finish and sign it through sync, and
// leaves it returned for the callback.
func deskDay(t *testing.T, h *servertest.Harness) (ticket string, desk *servertest.Client) {
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	wang := h.AddUser("wang", "password-wang", domain.RoleTechnician)
	sys := sync.System
	mustApply(t, h, sys, "user.update", sync.UpdateUserArgs{ID: wang.ID, Specialist: ptr(true)})
	cu := mustApply(t, h, sys, "customer.create", sync.CustomerArgs{Name: "深圳市华强物业管理有限公司", Kind: "company"})
	site := mustApply(t, h, sys, "site.create", sync.SiteArgs{CustomerID: cu, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"})
	mustApply(t, h, sys, "contact.create", sync.ContactArgs{CustomerID: cu, Name: "刘经理", Phones: []string{"13802261234"}})
	desk = h.Login("chen", "password-chen")
	r := desk.Do("POST", "/api/tickets", sync.OpenTicketArgs{CustomerID: cu, SiteID: site, ContactName: "刘经理", ContactPhone: "13802261234", System: "cctv", Requested: "地下二层停车场的监控录像机没有画面了"})
	if r.Status != 201 {
		t.Fatalf("open: %d %s", r.Status, r.Body)
	}
	var tk domain.Ticket
	_ = r.JSON(&tk)
	if r := desk.Do("POST", "/api/tickets/"+tk.ID+"/assign", map[string]any{"lead": wang.ID, "baseRev": tk.Rev}); r.Status != 200 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	// A second dispatcher working from the same board loses with 409.
	if r := desk.Do("POST", "/api/tickets/"+tk.ID+"/assign", map[string]any{"lead": wang.ID, "baseRev": tk.Rev}); r.Status != 409 || !strings.Contains(r.Error().Message, "请刷新") {
		t.Errorf("stale assign: %d %s", r.Status, r.Body)
	}
	sig, _, _ := h.Store.Blobs().Put(context.Background(), bytes.NewReader([]byte("sig")), 0)
	phone := h.Login("wang", "password-wang")
	ms := []sync.PushMutation{
		{ID: 1, Name: "ticket.accept", Args: jsonRaw(sync.TicketRef{ID: tk.ID})},
		{ID: 2, Name: "ticket.callAhead", Args: jsonRaw(sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"})},
		{ID: 3, Name: "ticket.arrive", Args: jsonRaw(sync.TicketRef{ID: tk.ID})},
		{ID: 4, Name: "ticket.setResult", Args: jsonRaw(sync.ResultArgs{ID: tk.ID, Result: domain.TicketResult{Status: "done"}})},
		{ID: 5, Name: "ticket.sign", Args: jsonRaw(sync.SignArgs{ID: tk.ID, SignatureHash: sig, Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none", Satisfaction: "satisfied"}})},
	}
	if r := phone.Do("POST", "/api/sync/push", sync.PushRequest{ClientID: "wang-phone-01", SchemaVersion: 1, Mutations: ms}); r.Status != 200 || !strings.Contains(string(r.Body), `"lastMutationId":5`) {
		t.Fatalf("push: %d %s", r.Status, r.Body)
	}
	return tk.ID, desk
}

func ptr[T any](v T) *T { return &v }

func jsonRaw(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

func TestDeskDay(t *testing.T) {
	h := servertest.Start(t)
	id, desk := deskDay(t, h)
	var board sync.Board
	if r := desk.Do("GET", "/api/dispatch/board", nil); r.Status != 200 || r.JSON(&board) != nil {
		t.Fatalf("board: %d", r.Status)
	}
	if len(board.Returned) != 1 || board.Returned[0].ID != id || len(board.Technicians) != 1 {
		t.Errorf("board returned %d technicians %d", len(board.Returned), len(board.Technicians))
	}
	var q struct{ Items []sync.TicketSummary }
	_ = desk.Do("GET", "/api/callbacks", nil).JSON(&q)
	if len(q.Items) != 1 || q.Items[0].ReturnedAt == nil {
		t.Fatalf("callback queue %+v", q.Items)
	}
	// The customer says otherwise on the phone: the callback's answer counts.
	if r := desk.Do("POST", "/api/tickets/"+id+"/callback", map[string]any{"reached": true, "solved": true, "satisfaction": "very_satisfied"}); r.Status != 200 {
		t.Fatalf("callback: %d %s", r.Status, r.Body)
	}
	month := time.Now().In(h.Engine.Zone()).Format("2006-01")
	var st struct{ Rows []domain.TechMonth }
	_ = desk.Do("GET", "/api/stats/monthly?month="+month, nil).JSON(&st)
	if len(st.Rows) != 1 || st.Rows[0].Total != 5 || st.Rows[0].Tickets != 1 {
		t.Fatalf("stats %+v", st.Rows)
	}
	if r := desk.Do("POST", "/api/stats/monthly/"+month+"/publish", map[string]string{}); r.Status != 201 {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	if r := desk.Do("POST", "/api/stats/monthly/"+month+"/publish", map[string]string{}); r.Status != 422 {
		t.Errorf("republish without a note: %d", r.Status)
	}
	if r := desk.Do("POST", "/api/stats/monthly/"+month+"/publish", map[string]string{"note": "更正回访"}); r.Status != 201 {
		t.Errorf("republish: %d %s", r.Status, r.Body)
	}
	var pubs struct{ Items []domain.PublishedMonth }
	_ = desk.Do("GET", "/api/stats/published?month="+month, nil).JSON(&pubs)
	if len(pubs.Items) != 2 || pubs.Items[1].Version != 2 || pubs.Items[0].Rows[0].Total != 5 {
		t.Errorf("publications %+v", pubs.Items)
	}
	x := desk.Do("GET", "/api/stats/monthly.xlsx?month="+month+"&version=1", nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if x.Status != 200 || err != nil {
		t.Fatalf("xlsx: %d %v", x.Status, err)
	}
	rows, _ := f.GetRows("满意度统计")
	if len(rows) != 3 || rows[1][0] != "技术人员" || rows[2][0] != "用户wang" || rows[2][2] != "5" {
		t.Errorf("xlsx rows %v", rows)
	}
	var arch struct{ Items []sync.TicketSummary }
	var tk domain.Ticket
	_ = json.Unmarshal(must(h.Engine.Tickets().Get(context.Background(), id)), &tk)
	_ = desk.Do("GET", "/api/customers/"+tk.CustomerID+"/service-archive", nil).JSON(&arch)
	if len(arch.Items) != 1 || arch.Items[0].Score == nil || *arch.Items[0].Score != 5 {
		t.Errorf("service archive %+v", arch.Items)
	}
	var tl struct{ Items []sync.TimelineEntry }
	_ = desk.Do("GET", "/api/tickets/"+id+"/timeline", nil).JSON(&tl)
	devices := 0
	for _, e := range tl.Items {
		if e.Device == "wang-phone-01" {
			devices++
		}
	}
	if devices != 5 {
		t.Errorf("timeline has %d device entries, want 5: %+v", devices, tl.Items)
	}
}

func must(t domain.Ticket, err error) []byte { b, _ := json.Marshal(t); return b }

func TestEventsStream(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	desk := h.Login("chen", "password-chen")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+"/api/events", nil)
	resp, err := desk.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	rd := bufio.NewReader(resp.Body)
	first, _ := rd.ReadString('\n')
	h.AddUser("liu", "password-liu", domain.RoleTechnician) // a change
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("no event after a change (first %q): %v", first, err)
		}
		if strings.HasPrefix(line, "data: ") && line != first {
			return
		}
	}
}

func TestTechnicianSeesOwnFilesOnly(t *testing.T) {
	h := servertest.Start(t)
	id, _ := deskDay(t, h)
	tk, _ := h.Engine.Tickets().Get(context.Background(), id)
	hash := tk.Signature.ImageHash
	if r := h.Login("wang", "password-wang").Do("GET", "/api/sync/files/"+hash, nil); r.Status != 200 || string(r.Body) != "sig" {
		t.Errorf("holder: %d", r.Status)
	}
	h.AddUser("liu", "password-liu", domain.RoleTechnician)
	if r := h.Login("liu", "password-liu").Do("GET", "/api/sync/files/"+hash, nil); r.Status != 404 {
		t.Errorf("another technician: %d", r.Status)
	}
}
