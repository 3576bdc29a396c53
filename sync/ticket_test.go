package sync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

// world is a small archive: 华强物业's 华强大厦 with an NVR under an annual
// contract, a desk, a manager, a specialist (王工), a technician who is not
// a specialist (张工).
type world struct {
	e                          *sync.Engine
	st                         *store.DB
	desk, manager              sync.Actor
	wang, zhang                sync.Actor
	customer, site, nvr, phone string
}

func apply(t *testing.T, e *sync.Engine, a sync.Actor, name string, args any) json.RawMessage {
	t.Helper()
	out, err := e.Apply(context.Background(), a, sync.Mutation{Name: name, Args: mustArgs(args)})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

func idOf(raw json.RawMessage) string {
	var x struct{ ID string }
	_ = json.Unmarshal(raw, &x)
	return x.ID
}

func newWorld(t *testing.T) *world {
	e, st := openEngine(t)
	w := &world{e: e, st: st}
	admin := sync.System
	mk := func(login, name string, role domain.Role, specialist bool) sync.Actor {
		id := idOf(apply(t, e, admin, "user.create", sync.CreateUserArgs{Login: login, Name: name, Roles: []domain.Role{role}, Specialist: specialist, Skills: []string{"cctv"}, PasswordHash: "h"}))
		return sync.Actor{UserID: id, Roles: []domain.Role{role}, Via: "web"}
	}
	w.desk = mk("chen", "陈小姐", domain.RoleDesk, false)
	w.manager = mk("li", "李经理", domain.RoleManager, false)
	w.wang = mk("wang", "王工", domain.RoleTechnician, true)
	w.zhang = mk("zhang", "张工", domain.RoleTechnician, false)
	w.customer = idOf(apply(t, e, w.desk, "customer.create", sync.CustomerArgs{Name: "深圳市华强物业管理有限公司", Kind: "company"}))
	w.site = idOf(apply(t, e, w.desk, "site.create", sync.SiteArgs{CustomerID: w.customer, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"}))
	apply(t, e, w.desk, "contact.create", sync.ContactArgs{CustomerID: w.customer, Name: "刘经理", Phones: []string{"13802261234"}})
	w.nvr = idOf(apply(t, e, w.desk, "equipment.create", sync.EquipmentArgs{SiteID: w.site, ItemType: domain.ItemCCTVRecorder, Model: "海康威视 DS-7816N-K2", Serial: "DS7816N20230511AA", Location: "地下二层停车场"}))
	apply(t, e, w.desk, "contract.create", sync.ContractArgs{CustomerID: w.customer, AuditedBeforeSystem: true, ContractTerms: sync.ContractTerms{
		Number: "HQ-2026-AM-01", Kind: domain.ContractAnnual, Covers: []domain.ContractCover{{SiteID: w.site, System: domain.SystemCCTV}},
		StartDate: "2026-04-01", EndDate: "2027-03-31", AnnualPriceFen: 960000}})
	return w
}

func (w *world) open(t *testing.T) domain.Ticket {
	var tk domain.Ticket
	_ = json.Unmarshal(apply(t, w.e, w.desk, "ticket.open", sync.OpenTicketArgs{CustomerID: w.customer, SiteID: w.site,
		ContactName: "刘经理", ContactPhone: "138 0226 1234", System: "cctv", EquipmentIDs: []string{w.nvr},
		Requested: "地下二层停车场的监控录像机没有画面了", PlannedDate: "2026-11-25"}), &tk)
	return tk
}

func dev(a sync.Actor) sync.Actor { return a }

type device struct {
	t      *testing.T
	w      *world
	a      sync.Actor
	client string
	next   uint64
	cursor string
	seen   map[string]json.RawMessage // coll/id → data
}

func (w *world) device(t *testing.T, a sync.Actor, client string) *device {
	return &device{t: t, w: w, a: a, client: client, seen: map[string]json.RawMessage{}}
}

func (d *device) push(ms ...sync.PushMutation) sync.PushResponse {
	d.t.Helper()
	for i := range ms {
		d.next++
		ms[i].ID = d.next
	}
	r, err := d.w.e.Push(context.Background(), d.a, sync.PushRequest{ClientID: d.client, SchemaVersion: 1, Mutations: ms})
	if err != nil {
		d.t.Fatalf("push: %v", err)
	}
	return r
}

func (d *device) pull() sync.PullResponse {
	d.t.Helper()
	r, err := d.w.e.Pull(context.Background(), d.a, sync.PullRequest{ClientID: d.client, Cursor: d.cursor})
	if err != nil {
		d.t.Fatal(err)
	}
	if r.Reset {
		d.seen = map[string]json.RawMessage{}
	}
	for _, c := range r.Changes {
		if c.Op == "put" {
			d.seen[c.Collection+"/"+c.ID] = c.Data
		} else {
			delete(d.seen, c.Collection+"/"+c.ID)
		}
	}
	d.cursor = r.Cursor
	return r
}

func m(name string, args any) sync.PushMutation {
	return sync.PushMutation{Name: name, Args: mustArgs(args)}
}

func (d *device) ticket(id string) domain.Ticket {
	var tk domain.Ticket
	_ = json.Unmarshal(d.seen["tickets/"+id], &tk)
	return tk
}

func TestTicketDayOffline(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	if tk.Number != "LL-2026-00001" || tk.CustomerType != domain.CustomerTypeAnnual || tk.State != domain.TicketNew {
		t.Fatalf("opened %s %s %s", tk.Number, tk.CustomerType, tk.State)
	}
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	phone := w.device(t, w.wang, "wang-phone-1")
	phone.pull()
	for _, key := range []string{"tickets/" + tk.ID, "customers/" + w.customer, "sites/" + w.site, "equipment/" + w.nvr, "templates/builtin.alarm.pm"} {
		if phone.seen[key] == nil {
			t.Errorf("the morning pull lacks %s", key)
		}
	}
	base := phone.ticket(tk.ID).Rev
	// The desk changes the appointment (the technician's field) while he is
	// offline; his own call-ahead, made on an older revision, wins.
	apply(t, w.e, w.desk, "ticket.setAppointment", sync.AppointmentArgs{ID: tk.ID, At: "2026-11-25T08:00:00Z", Method: "phone"})
	now := "2026-11-25T01:00:00Z"
	photo, _, err := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("\xff\xd8\xff battery photo")), 0)
	if err != nil {
		t.Fatal(err)
	}
	sig, _, _ := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("\x89PNG signature")), 0)
	cl := sync.NewID()
	batch := []sync.PushMutation{
		m("ticket.accept", sync.TicketRef{ID: tk.ID, BaseRev: base}),
		m("ticket.callAhead", sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: now, Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z", BaseRev: base}),
		m("ticket.depart", sync.TicketRef{ID: tk.ID}),
		m("ticket.arrive", sync.TicketRef{ID: tk.ID}),
		m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "硬盘故障，更换 4TB 监控硬盘"}),
		m("ticket.addPart", sync.PartArgs{ID: tk.ID, PartID: sync.NewID(), Name: "监控硬盘", Model: "希捷 ST4000VX", Qty: 1}),
		m("ticket.addPart", sync.PartArgs{ID: tk.ID, PartID: sync.NewID(), Name: "SATA 数据线", Qty: 2}),
		m("ticket.swapDevice", sync.SwapArgs{ID: tk.ID, SwapID: sync.NewID(), EquipmentID: w.nvr, NewSerial: "DS7816N20261125BB"}),
		m("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk.ID, TemplateID: "builtin.alarm.pm"}),
		m("checklist.setItem", sync.ChecklistItemArgs{ID: cl, Answer: domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned"}}),
		m("ticket.addPhoto", sync.PhotoArgs{ID: tk.ID, PhotoID: sync.NewID(), Hash: photo, Caption: "更换后的硬盘"}),
		m("ticket.setResult", sync.ResultArgs{ID: tk.ID, Result: domain.TicketResult{Status: "done"}}),
		m("ticket.sign", sync.SignArgs{ID: tk.ID, SignatureHash: sig, SignerName: "刘经理", Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none", Satisfaction: "very_satisfied"}}),
	}
	r := phone.push(batch...)
	statuses := map[string]int{}
	for _, x := range r.Results {
		statuses[x.Status]++
		if x.Status == "rejected" {
			t.Errorf("mutation %d rejected: %v", x.ID, x.Err)
		}
	}
	if statuses["conflict"] != 1 || int(r.LastMutationID) != len(batch) {
		t.Fatalf("push results %v, last %d", statuses, r.LastMutationID)
	}
	got, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if got.State != domain.TicketReturned || got.Signature == nil || len(got.Signature.ContentHash) != 64 {
		t.Fatalf("after sync: state %s signature %+v", got.State, got.Signature)
	}
	if len(got.Parts) != 2 || len(got.Work) != 1 || len(got.Photos) != 1 || len(got.Checklists) != 1 {
		t.Errorf("work %d parts %d photos %d checklists %d", len(got.Work), len(got.Parts), len(got.Photos), len(got.Checklists))
	}
	if got.Appointment == nil || !got.Appointment.At.Equal(time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("the technician's appointment did not win: %+v", got.Appointment)
	}
	cs, _ := w.e.Conflicts(context.Background(), "open")
	if len(cs) != 1 || cs[0].Field != "appointment" || len(cs[0].Kept) == 0 || len(cs[0].Lost) == 0 || cs[0].LostSide != "desk" {
		t.Fatalf("conflicts %+v", cs)
	}
	// The report keeps the template it was started with, and the answer.
	report, err := w.e.Checklist(context.Background(), cl)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(report.Template, domain.IntrusionAlarmTemplate()) || report.Answers["panel.dust"].Choice != "cleaned" || report.Number == "" {
		t.Errorf("report after sync: number %q, template %q (%d sections), answers %v", report.Number, report.Template.Title, len(report.Template.Sections), report.Answers)
	}
	// The archive follows the swap.
	var eq sync.EquipmentRecord
	_ = w.st.View(context.Background(), func(tx store.ReadTx) error { return sync.GetJSON(tx, sync.CollEquipment, w.nvr, &eq) })
	if eq.Serial != "DS7816N20261125BB" {
		t.Errorf("equipment serial %q after the swap", eq.Serial)
	}
	// A replay of the whole day changes nothing.
	phone.next = 0
	r2 := phone.push(batch...)
	if len(r2.Results) != 0 {
		t.Errorf("replay applied %d mutations", len(r2.Results))
	}
	// Signed content is immutable: a late addition becomes a conflict.
	r3 := phone.push(m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "补记"}))
	if r3.Results[0].Status != "conflict" {
		t.Errorf("edit after signing: %s", r3.Results[0].Status)
	}
	after, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if len(after.Work) != 1 || after.Signature.ContentHash != got.Signature.ContentHash {
		t.Error("signed content changed")
	}
	// The desk's callback closes the loop.
	apply(t, w.e, w.desk, "ticket.callback", sync.CallbackArgs{ID: tk.ID, Reached: true, Solved: true, Satisfaction: "very_satisfied"})
	done, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if done.State != domain.TicketCalledBack {
		t.Errorf("after callback: %s", done.State)
	}
}

func TestDispatchRules(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	// The desk dispatches only to specialists.
	_, err := w.e.Apply(context.Background(), w.desk, sync.Mutation{Name: "ticket.assign", Args: mustArgs(sync.AssignArgs{ID: tk.ID, Lead: w.zhang.UserID})})
	if domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("desk assigning a non-specialist: %v", err)
	}
	apply(t, w.e, w.desk, "ticket.escalate", sync.NoteArgs{ID: tk.ID, Note: "无专员覆盖"})
	// The desk cannot assign an escalated ticket; the manager can, anyone.
	if _, err := w.e.Apply(context.Background(), w.desk, sync.Mutation{Name: "ticket.assign", Args: mustArgs(sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})}); err == nil {
		t.Error("the desk assigned an escalated ticket")
	}
	apply(t, w.e, w.manager, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.zhang.UserID, Helpers: []string{w.wang.UserID}})
	got, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if got.State != domain.TicketAssigned || got.Lead != w.zhang.UserID || len(got.Helpers) != 1 {
		t.Errorf("after the manager's assignment: %s lead %s helpers %v", got.State, got.Lead, got.Helpers)
	}
	// A technician not on the ticket may not touch it.
	stranger := sync.Actor{UserID: "someone", Roles: []domain.Role{domain.RoleTechnician}}
	r, err := w.e.Push(context.Background(), stranger, sync.PushRequest{ClientID: "stranger-01", SchemaVersion: 1,
		Mutations: []sync.PushMutation{{ID: 1, Name: "ticket.accept", Args: mustArgs(sync.TicketRef{ID: tk.ID})}}})
	if err != nil || r.Results[0].Status != "rejected" || domain.KindOf(r.Results[0].Err) != domain.KindForbidden {
		t.Errorf("a stranger's accept: %v %+v", err, r)
	}
	// Cancelling needs a reason.
	if _, err := w.e.Apply(context.Background(), w.desk, sync.Mutation{Name: "ticket.cancel", Args: mustArgs(sync.NoteArgs{ID: tk.ID})}); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("cancel without a reason: %v", err)
	}
}

func TestReassignedWhileOffline(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.manager, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.zhang.UserID})
	zp := w.device(t, w.zhang, "zhang-phone")
	zp.pull()
	zp.push(m("ticket.accept", sync.TicketRef{ID: tk.ID}))
	// Meanwhile the desk moves the ticket to 王工.
	apply(t, w.e, w.manager, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID, Reason: "张工请假"})
	// 张工's offline work arrives: kept, with a conflict record for 王工 and the desk.
	r := zp.push(m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "已电话联系客户"}))
	if r.Results[0].Status != "applied" && r.Results[0].Status != "conflict" {
		t.Fatalf("offline work after reassignment: %+v", r.Results[0])
	}
	got, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if len(got.Work) != 1 {
		t.Errorf("the earlier holder's work was lost")
	}
	cs, _ := w.e.Conflicts(context.Background(), "open")
	if len(cs) == 0 || cs[0].Reason != "reassigned" {
		t.Errorf("no reassignment conflict: %+v", cs)
	}
	// The ticket leaves 张工's phone and reaches 王工's without a reset.
	inc := zp.pull()
	evicted := false
	for _, c := range inc.Changes {
		if c.ID == tk.ID && c.Op == "evict" {
			evicted = true
		}
	}
	if inc.Reset || !evicted {
		t.Errorf("reassigned ticket not evicted (reset %v)", inc.Reset)
	}
	wp := w.device(t, w.wang, "wang-phone")
	wp.pull()
	if wp.seen["tickets/"+tk.ID] == nil {
		t.Error("the new holder did not get the ticket")
	}
}

func TestResolveConflict(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	p := w.device(t, w.wang, "wang-phone-2")
	p.pull()
	base := p.ticket(tk.ID).Rev
	apply(t, w.e, w.desk, "ticket.setAppointment", sync.AppointmentArgs{ID: tk.ID, At: "2026-11-25T08:00:00Z", Method: "phone"})
	p.push(m("ticket.accept", sync.TicketRef{ID: tk.ID}),
		m("ticket.callAhead", sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z", BaseRev: base}))
	cs, _ := w.e.Conflicts(context.Background(), "open")
	if len(cs) != 1 {
		t.Fatalf("%d conflicts", len(cs))
	}
	apply(t, w.e, w.desk, "conflict.resolve", sync.ResolveArgs{ID: cs[0].ID, Choice: "restored"})
	got, _ := w.e.Tickets().Get(context.Background(), tk.ID)
	if !got.Appointment.At.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("restored appointment %v", got.Appointment.At)
	}
	if open, _ := w.e.Conflicts(context.Background(), "open"); len(open) != 0 {
		t.Error("conflict still open")
	}
	if _, err := w.e.Apply(context.Background(), w.desk, sync.Mutation{Name: "conflict.resolve", Args: mustArgs(sync.ResolveArgs{ID: cs[0].ID, Choice: "kept"})}); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("resolving twice: %v", err)
	}
}

func TestConcurrentDispatchOneWins(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	desk2 := sync.Actor{UserID: idOf(apply(t, w.e, sync.System, "user.create", sync.CreateUserArgs{Login: "zhou", Name: "周小姐", Roles: []domain.Role{domain.RoleDesk}, PasswordHash: "h"})), Roles: []domain.Role{domain.RoleDesk}}
	other := idOf(apply(t, w.e, sync.System, "user.create", sync.CreateUserArgs{Login: "sun", Name: "孙工", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, PasswordHash: "h"}))
	errs := make(chan error, 2)
	for _, x := range []struct {
		a    sync.Actor
		lead string
	}{{w.desk, w.wang.UserID}, {desk2, other}} {
		go func(a sync.Actor, lead string) {
			_, err := w.e.Apply(context.Background(), a, sync.Mutation{Name: "ticket.assign", Args: mustArgs(sync.AssignArgs{ID: tk.ID, Lead: lead, BaseRev: tk.Rev})})
			errs <- err
		}(x.a, x.lead)
	}
	var ok, conflict int
	for i := 0; i < 2; i++ {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case domain.KindOf(err) == domain.KindConflict:
			conflict++
			var de *domain.Error
			if !errorsAs(err, &de) || de.Params["lead"] == "" {
				t.Errorf("the loser is not told who won: %v", err)
			}
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Errorf("%d won, %d refused", ok, conflict)
	}
	tl, err := w.e.Timeline(context.Background(), sync.CollTickets, tk.ID)
	if err != nil || len(tl) != 2 || tl[0].Mutation != "ticket.open" || tl[1].UserName == "" {
		t.Errorf("timeline %+v %v", tl, err)
	}
}

func TestMaintenanceGeneration(t *testing.T) {
	w := newWorld(t) // the engine clock is 2026-11-25
	site2 := idOf(apply(t, w.e, w.desk, "site.create", sync.SiteArgs{CustomerID: w.customer, Name: "华强花园", Address: "深圳市福田区华富路 1018 号", District: "福田区"}))
	apply(t, w.e, w.desk, "contract.create", sync.ContractArgs{CustomerID: w.customer, AuditedBeforeSystem: true, ContractTerms: sync.ContractTerms{
		Number: "HQ-2026-AL-02", Kind: domain.ContractAnnual, StartDate: "2026-03-01", EndDate: "2027-02-28", AnnualPriceFen: 600000,
		Covers: []domain.ContractCover{{SiteID: w.site, System: domain.SystemAlarm}, {SiteID: site2, System: domain.SystemAlarm}},
		Plans:  []domain.MaintenancePlan{{System: domain.SystemAlarm, Every: "quarterly", TemplateID: "builtin.alarm.pm"}}}})
	r, err := w.e.GenerateMaintenance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 2026-12-01 is due (within 14 days of the 25th): one visit per covered site.
	if len(r.Opened) != 2 {
		t.Fatalf("opened %d visits, want 2", len(r.Opened))
	}
	tk, _ := w.e.Tickets().Get(context.Background(), r.Opened[0])
	if tk.PlannedDate.String() != "2026-12-01" || tk.TemplateID != "builtin.alarm.pm" || tk.State != domain.TicketNew || tk.CustomerType != domain.CustomerTypeAnnual {
		t.Errorf("visit %s %s %s %s", tk.PlannedDate, tk.TemplateID, tk.State, tk.CustomerType)
	}
	again, _ := w.e.GenerateMaintenance(context.Background())
	if len(again.Opened) != 0 {
		t.Errorf("a second run opened %d more", len(again.Opened))
	}
	rem, _ := w.e.Reminders(context.Background())
	if len(rem.Undispatched) != 0 {
		t.Errorf("visits planned for next week are not yet undispatched reminders: %d", len(rem.Undispatched))
	}
}

func TestCallbackNotReachedStaysQueued(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	sig, _, _ := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("sig")), 0)
	p := w.device(t, w.wang, "wang-phone-9")
	p.push(m("ticket.accept", sync.TicketRef{ID: tk.ID}),
		m("ticket.callAhead", sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"}),
		m("ticket.arrive", sync.TicketRef{ID: tk.ID}),
		m("ticket.setResult", sync.ResultArgs{ID: tk.ID, Result: domain.TicketResult{Status: "done"}}),
		m("ticket.sign", sync.SignArgs{ID: tk.ID, SignatureHash: sig, Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none"}}))
	apply(t, w.e, w.desk, "ticket.callback", sync.CallbackArgs{ID: tk.ID, Reached: false})
	q, _ := w.e.CallbackQueue(context.Background())
	if len(q) != 1 || q[0].CallbackAttempts != 1 {
		t.Fatalf("after an unanswered call: %+v", q)
	}
	apply(t, w.e, w.desk, "ticket.callback", sync.CallbackArgs{ID: tk.ID, Reached: true, Solved: true})
	if q, _ := w.e.CallbackQueue(context.Background()); len(q) != 0 {
		t.Errorf("still queued after the callback")
	}
	visits, _ := w.e.ByJob(context.Background(), tk.JobID)
	if len(visits) != 1 || visits[0].Rev == 0 {
		t.Errorf("job visits %+v", visits)
	}
}

// The change feed carries records only for the collections the search
// index reads; a ticket's change is a reference, and pulls still get the
// ticket whole.
func TestFeedCarriesRecordsOnlyForSearch(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	withData := map[string]bool{}
	err := w.st.View(context.Background(), func(tx store.ReadTx) error {
		return tx.Changes(0, 0, func(c store.Change) error {
			if c.Op == "put" {
				withData[c.Collection] = withData[c.Collection] || len(c.Data) > 0
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !withData[sync.CollCustomers] || !withData[sync.CollEquipment] {
		t.Errorf("archive changes lost their records: %v", withData)
	}
	if d, ok := withData[sync.CollTickets]; !ok || d {
		t.Errorf("ticket changes: seen %v, with data %v", ok, d)
	}
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	phone := w.device(t, w.wang, "wang-phone-feed")
	phone.pull()
	if got := phone.ticket(tk.ID); got.ID != tk.ID || got.Number != tk.Number {
		t.Errorf("the pull lacks the ticket: %+v", got)
	}
}

// A checklist answer is the technician's while the ticket is theirs; once
// the form is signed, or the ticket went to another technician, it becomes
// a conflict record; someone who never held the ticket is refused.
func TestChecklistAnswerOwnership(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	wang := w.device(t, w.wang, "wang-phone-cl")
	cl := sync.NewID()
	answer := func(item, choice string) sync.PushMutation {
		return m("checklist.setItem", sync.ChecklistItemArgs{ID: cl, Answer: domain.ChecklistAnswer{ItemKey: item, Choice: choice}})
	}
	statusOf := func(r sync.PushResponse) string { return r.Results[len(r.Results)-1].Status }
	r := wang.push(m("ticket.accept", sync.TicketRef{ID: tk.ID}),
		m("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk.ID, TemplateID: "builtin.alarm.pm"}),
		answer("panel.dust", "cleaned"))
	if statusOf(r) != sync.StatusApplied {
		t.Fatalf("the holder's answer: %+v", r.Results)
	}
	zhang := w.device(t, w.zhang, "zhang-phone-cl")
	if r := zhang.push(answer("panel.dust", "not_cleaned")); statusOf(r) != sync.StatusRejected {
		t.Errorf("a technician who never held the ticket: %+v", r.Results)
	}
	liu := idOf(apply(t, w.e, sync.System, "user.create", sync.CreateUserArgs{Login: "liu", Name: "刘工", Roles: []domain.Role{domain.RoleTechnician},
		Specialist: true, Skills: []string{"cctv"}, PasswordHash: "h"}))
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: liu, Reason: "王工请假"})
	if r := wang.push(answer("panel.arming", "normal")); statusOf(r) != sync.StatusConflict || r.Results[0].Reason != "reassigned" {
		t.Errorf("the former holder's answer after the reassignment: %+v", r.Results)
	}
	report, err := w.e.Checklist(context.Background(), cl)
	if err != nil {
		t.Fatal(err)
	}
	if report.Answers["panel.dust"].Choice != "cleaned" || report.Answers["panel.arming"].Choice != "normal" {
		t.Errorf("answers %+v", report.Answers)
	}

	// Signed: the report is part of the signed content and stays as signed.
	tk2 := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk2.ID, Lead: w.wang.UserID})
	sig, _, _ := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("\x89PNG sig")), 0)
	cl = sync.NewID()
	r = wang.push(m("ticket.accept", sync.TicketRef{ID: tk2.ID}),
		m("ticket.callAhead", sync.CallAheadArgs{ID: tk2.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"}),
		m("ticket.arrive", sync.TicketRef{ID: tk2.ID}),
		m("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk2.ID, TemplateID: "builtin.alarm.pm"}),
		answer("panel.dust", "cleaned"),
		m("ticket.setResult", sync.ResultArgs{ID: tk2.ID, Result: domain.TicketResult{Status: "done"}}),
		m("ticket.sign", sync.SignArgs{ID: tk2.ID, SignatureHash: sig, Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none"}}),
		answer("panel.dust", "not_cleaned"))
	if last := r.Results[len(r.Results)-1]; last.Status != sync.StatusConflict || last.Reason != "signed" {
		t.Errorf("an answer after signing: %+v", r.Results)
	}
	if report, _ := w.e.Checklist(context.Background(), cl); report.Answers["panel.dust"].Choice != "cleaned" {
		t.Errorf("the signed report changed: %+v", report.Answers)
	}
}

// TestPushReadsBackWhatItWrote: within a batch, a mutation reads the
// ticket as the ones before it left it — including when one of them wrote
// the ticket and then failed, so its write was undone.
func TestPushReadsBackWhatItWrote(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	w.e.Register("test.writeThenFail", domain.PermTicketField, func(c *sync.Ctx, raw json.RawMessage) (any, error) {
		var got domain.Ticket
		if err := c.Get(sync.CollTickets, tk.ID, &got); err != nil {
			return nil, err
		}
		got.Requested = "这次修改会被撤销"
		got.Work = append(got.Work, domain.WorkRecord{ID: sync.NewID(), Text: "撤销的记录"})
		if err := c.Put(sync.CollTickets, got.ID, &got, sync.PutOpts{Scopes: []string{"role:desk"}}); err != nil {
			return nil, err
		}
		return nil, domain.Problems{"id": "invalid"}.Err()
	})
	phone := w.device(t, w.wang, "wang-phone-2")
	phone.pull()
	r := phone.push(
		m("ticket.accept", sync.TicketRef{ID: tk.ID, BaseRev: phone.ticket(tk.ID).Rev}),
		m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "第一条"}),
		m("test.writeThenFail", map[string]string{}),
		m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "第二条"}),
		m("ticket.addPart", sync.PartArgs{ID: tk.ID, PartID: sync.NewID(), Name: "监控硬盘", Qty: 1}),
	)
	var statuses []string
	for _, x := range r.Results {
		statuses = append(statuses, x.Status)
	}
	if want := []string{"applied", "applied", "rejected", "applied", "applied"}; !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	// A second batch reads what the first one left.
	phone.push(m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "第三条"}))
	got, err := w.e.Tickets().Get(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, wr := range got.Work {
		texts = append(texts, wr.Text)
	}
	if want := []string{"第一条", "第二条", "第三条"}; !slices.Equal(texts, want) || got.Requested != tk.Requested || len(got.Parts) != 1 {
		t.Errorf("work %v (want %v), requested %q, %d parts", texts, want, got.Requested, len(got.Parts))
	}
}

// TestObjCacheKeepsWhatWasWritten: the push cache holds the values the
// handlers encoded, handed over without a copy; after every push of a
// technician's day — one mutation at a time and in whole batches, a ticket
// and its report — each value kept still encodes to exactly the bytes it
// was kept as. A handler that changed its record after saving it would
// fail here (checked by changing one in place).
func TestObjCacheKeepsWhatWasWritten(t *testing.T) {
	w := newWorld(t)
	sig, _, _ := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("\x89PNG signature")), 0)
	photo, _, _ := w.st.Blobs().Put(context.Background(), bytes.NewReader([]byte("\xff\xd8\xff photo")), 0)
	phone := w.device(t, w.wang, "wang-phone-cache")
	day := func(tk domain.Ticket) []sync.PushMutation {
		cl := sync.NewID()
		return []sync.PushMutation{
			m("ticket.accept", sync.TicketRef{ID: tk.ID}),
			m("ticket.callAhead", sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"}),
			m("ticket.depart", sync.TicketRef{ID: tk.ID}),
			m("ticket.arrive", sync.TicketRef{ID: tk.ID}),
			m("ticket.addWork", sync.WorkArgs{ID: tk.ID, WorkID: sync.NewID(), Text: "检查报警主机"}),
			m("ticket.addPart", sync.PartArgs{ID: tk.ID, PartID: sync.NewID(), Name: "蓄电池", Model: "12V 7Ah", Qty: 1}),
			m("ticket.swapDevice", sync.SwapArgs{ID: tk.ID, SwapID: sync.NewID(), EquipmentID: w.nvr, NewSerial: "DS7816N" + tk.Number}),
			m("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk.ID, TemplateID: "builtin.alarm.pm"}),
			m("checklist.setItem", sync.ChecklistItemArgs{ID: cl, Answer: domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned"}}),
			m("checklist.setSummary", sync.ChecklistSummaryArgs{ID: cl, Summary: "系统运行正常"}),
			m("ticket.addPhoto", sync.PhotoArgs{ID: tk.ID, PhotoID: sync.NewID(), Hash: photo, Caption: "报警主机"}),
			m("ticket.setResult", sync.ResultArgs{ID: tk.ID, Result: domain.TicketResult{Status: "done"}}),
			m("ticket.sign", sync.SignArgs{ID: tk.ID, SignatureHash: sig, SignerName: "刘经理", Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none", Satisfaction: "very_satisfied"}}),
		}
	}
	check := func(when string) int {
		t.Helper()
		kept, bad := w.e.KeptMismatches()
		if len(bad) > 0 {
			t.Fatalf("%s: kept values that no longer encode to their bytes: %v", when, bad)
		}
		return kept
	}
	var last string
	for round := range 2 {
		tk := w.open(t)
		apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
		ms := day(tk)
		if round == 0 {
			for _, x := range ms { // one mutation a push
				for _, r := range phone.push(x).Results {
					if r.Status != "applied" {
						t.Fatalf("%s: %s %v", x.Name, r.Status, r.Err)
					}
				}
				check(x.Name)
			}
		} else { // the whole day in one batch
			for _, r := range phone.push(ms...).Results {
				if r.Status != "applied" {
					t.Fatalf("mutation %d: %s %v", r.ID, r.Status, r.Err)
				}
			}
		}
		if check("after the day") == 0 {
			t.Fatal("the push cache kept nothing")
		}
		got, _ := w.e.Tickets().Get(context.Background(), tk.ID)
		if got.Signature == nil || len(got.Work) != 1 || len(got.Checklists) != 1 {
			t.Fatalf("after the day: %+v", got)
		}
		last = tk.ID
	}
	if !w.e.TouchKept(last) {
		t.Fatal("the last ticket is not kept")
	}
	if _, bad := w.e.KeptMismatches(); len(bad) != 1 {
		t.Fatalf("a ticket changed in place went unnoticed: %v", bad)
	}
}

// TestAuditPerRecord: a mutation that changes several records leaves one
// audit entry per record (sharing the mutation's entry id), each with that
// record's changes only; a record's timeline also reads the entries of
// earlier versions, stored once per mutation and found by their index.
func TestAuditPerRecord(t *testing.T) {
	w := newWorld(t)
	tk := w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	phone := w.device(t, w.wang, "wang-phone-audit")
	phone.pull()
	cl := sync.NewID()
	phone.push(
		m("ticket.accept", sync.TicketRef{ID: tk.ID, BaseRev: phone.ticket(tk.ID).Rev}),
		m("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk.ID, TemplateID: "builtin.alarm.pm"}),
	)
	var start []sync.AuditEntry
	for _, a := range audits(t, w.st) {
		if a.Mutation == "checklist.start" {
			start = append(start, a)
		}
	}
	if len(start) != 2 || start[0].ID != start[1].ID {
		t.Fatalf("checklist.start audit entries %+v: want two sharing an id", start)
	}
	for _, a := range start {
		if len(a.Changes) != 1 || (a.Changes[0].Collection != sync.CollTickets && a.Changes[0].Collection != sync.CollChecklists) {
			t.Errorf("entry %+v: want one change of its own record", a)
		}
	}
	// An entry as earlier versions wrote it: by its own id, with an index.
	old := sync.AuditEntry{ID: "01900000-0000-7000-8000-0000000000aa", At: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
		Actor: sync.Actor{Via: "web"}, Mutation: "ticket.update"}
	data, _ := json.Marshal(map[string]any{"id": old.ID, "at": old.At, "actor": old.Actor, "mutation": old.Mutation,
		"changes": []map[string]any{{"collection": sync.CollTickets, "id": tk.ID, "version": 1, "after": map[string]string{"requested": "旧记录"}}}})
	if err := w.st.Update(context.Background(), func(tx store.Tx) error {
		return tx.Put(sync.CollAudit, old.ID, data, store.Index{Name: "entity", Value: sync.CollTickets + "/" + tk.ID})
	}); err != nil {
		t.Fatal(err)
	}
	tl, err := w.e.Timeline(context.Background(), sync.CollTickets, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	var muts []string
	for _, e := range tl {
		muts = append(muts, e.Mutation)
	}
	if want := []string{"ticket.update", "ticket.open", "ticket.assign", "ticket.accept", "checklist.start"}; !slices.Equal(muts, want) {
		t.Errorf("timeline %v, want %v", muts, want)
	}
	if !slices.Equal(tl[0].Fields, []string{"requested"}) {
		t.Errorf("the old entry's fields %v", tl[0].Fields)
	}
}

// TestPushLeavesSummariesCurrent: a push writes its tickets' summaries once,
// at the end of the batch; they show each ticket as the batch left it —
// including a mutation rejected after ones that applied — for the board,
// the service archive and the open list alike.
func TestPushLeavesSummariesCurrent(t *testing.T) {
	w := newWorld(t)
	tk, tk2 := w.open(t), w.open(t)
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk.ID, Lead: w.wang.UserID})
	apply(t, w.e, w.desk, "ticket.assign", sync.AssignArgs{ID: tk2.ID, Lead: w.wang.UserID})
	p := w.device(t, w.wang, "wang-summaries")
	p.pull()
	r := p.push(m("ticket.accept", sync.TicketRef{ID: tk.ID}),
		m("ticket.callAhead", sync.CallAheadArgs{ID: tk.ID, CallID: sync.NewID(), CalledAt: "2026-11-25T01:00:00Z", Method: "phone", AppointmentAt: "2026-11-25T06:00:00Z"}),
		m("ticket.depart", sync.TicketRef{ID: tk.ID}),
		m("ticket.arrive", sync.TicketRef{ID: tk.ID}),
		m("ticket.accept", sync.TicketRef{ID: tk2.ID}),
		m("ticket.addPart", sync.PartArgs{ID: tk2.ID, PartID: sync.NewID(), Name: "硬盘", Qty: 0}), // rejected: no quantity
		m("ticket.setResult", sync.ResultArgs{ID: tk.ID, Result: domain.TicketResult{Status: domain.ResultDone}}))
	want := []string{"applied", "applied", "applied", "applied", "applied", "rejected", "applied"}
	for i, res := range r.Results {
		if res.Status != want[i] {
			t.Fatalf("mutation %d: %s %v", i+1, res.Status, res.Err)
		}
	}
	sums, err := w.e.ServiceArchive(context.Background(), "customer", w.customer)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]sync.TicketSummary{}
	for _, s := range sums {
		got[s.ID] = s
	}
	for _, id := range []string{tk.ID, tk2.ID} {
		full, err := w.e.Tickets().Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		s := got[id]
		if s.State != full.State || s.Rev != full.Rev || !s.Updated.Equal(full.Updated) {
			t.Errorf("summary of %s: state %s rev %d updated %v; ticket: %s %d %v", id, s.State, s.Rev, s.Updated, full.State, full.Rev, full.Updated)
		}
	}
	if s := got[tk.ID]; s.State != domain.TicketResulted || s.Result != domain.ResultDone {
		t.Errorf("first ticket's summary: %s %s", s.State, s.Result)
	}
	board, err := w.e.Board(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(board); !bytes.Contains(b, []byte(`"state":"accepted"`)) {
		t.Errorf("the board does not show the second ticket accepted: %s", b)
	}
}
