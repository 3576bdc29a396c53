package sync

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Ticket collections.
const (
	CollTickets    = "tickets"
	CollJobs       = "jobs"
	CollChecklists = "checklists"
	CollTemplates  = "templates"
	collCounters   = "counters"
)

// ticketRoleScopes: the desk and the manager see every ticket.
var ticketRoleScopes = []string{"role:desk", "role:manager"}

// Job groups the visits of one piece of work (R-TKT-9).
type Job struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customerId"`
	Title      string    `json:"title"`
	Tickets    []string  `json:"tickets"`
	Created    time.Time `json:"created"`
}

func registerTickets(e *Engine) {
	d, f := domain.PermTicketDispatch, domain.PermTicketField
	e.Register("ticket.open", d, openTicket)
	e.Register("ticket.assign", d, assignTicket)
	e.Register("ticket.escalate", d, escalateTicket)
	e.Register("ticket.plan", d, planTicket)
	e.Register("ticket.update", d, updateTicket)
	e.Register("ticket.setAppointment", d, deskAppointment)
	e.Register("ticket.cancel", d, cancelTicket)
	e.Register("ticket.confirmFiled", domain.PermCallback, confirmFiled)
	e.Register("ticket.callback", domain.PermCallback, recordCallback)
	e.Register("ticket.archive", domain.PermCallback, archiveTicket)
	e.Register("ticket.share", domain.PermCallback, shareTicket)
	e.Register("conflict.resolve", d, resolveConflict)
	e.Register("stats.publish", domain.PermStatsPublish, publishStats)
	e.Register("maintenance.generate", d, generateMaintenance)
	e.Register("quarantine.decide", d, decideQuarantine)
	e.Register("device.revoke", domain.PermUsersManage, revokeDevice)
	e.Register("settings.setScoreTable", domain.PermSettingsManage, setScoreTable)

	registerTyped(e, "ticket.accept", f, acceptTicket)
	registerTyped(e, "ticket.callAhead", f, callAhead)
	registerTyped(e, "ticket.depart", f, departTicket)
	registerTyped(e, "ticket.arrive", f, arriveTicket)
	registerTyped(e, "ticket.addWork", f, addWork)
	registerTyped(e, "ticket.addPart", f, addPart)
	registerTyped(e, "ticket.swapDevice", f, swapDevice)
	registerTyped(e, "ticket.addPhoto", f, addPhoto)
	registerTyped(e, "ticket.setResult", f, setResult)
	registerTyped(e, "ticket.sign", f, signTicket)
	registerTyped(e, "ticket.signPaper", f, signPaper)
	registerTyped(e, "checklist.start", f, startChecklist)
	registerTyped(e, "checklist.setItem", f, setChecklistItem)
	registerTyped(e, "checklist.setSummary", f, setChecklistSummary)
}

func ticketIndex(t domain.Ticket, zone *time.Location) []store.Index {
	idx := []store.Index{
		{Name: "state", Value: string(t.State)},
		{Name: IdxCustomer, Value: t.CustomerID},
		{Name: IdxSite, Value: t.SiteID},
		{Name: "job", Value: t.JobID},
	}
	if t.Number != "" {
		idx = append(idx, store.Index{Name: "number", Value: t.Number})
	}
	for _, u := range t.Crew() {
		idx = append(idx, store.Index{Name: "holder", Value: u})
	}
	for _, eq := range t.EquipmentIDs {
		idx = append(idx, store.Index{Name: IdxEquip, Value: eq})
	}
	if !t.PlannedDate.IsZero() {
		idx = append(idx, store.Index{Name: "planned", Value: t.PlannedDate.String()})
	}
	if t.Callback != nil {
		idx = append(idx, store.Index{Name: "callbackMonth", Value: domain.MonthOf(t.Callback.At, zone).String()})
	}
	return idx
}

// saveTicket stores t with a new revision.
func saveTicket(c *Ctx, t *domain.Ticket) error {
	t.Rev++
	t.Updated = c.Now
	if t.FieldRev == nil {
		t.FieldRev = map[string]int{}
	}
	data, fields, err := encodeTicket(t)
	if err != nil {
		return fmt.Errorf("encode ticket %s: %w", t.ID, err)
	}
	if err := c.Put(CollTickets, t.ID, encodedFrom{data: data, obj: t, fields: fields}, PutOpts{Scopes: ticketRoleScopes, Index: ticketIndex(*t, c.e.zone)}); err != nil {
		return err
	}
	if c.summaries != nil {
		c.summaries[t.ID] = true
		return nil
	}
	return putSummary(c, *t)
}

// putSummaries writes the summaries of the tickets a push saved, as they
// stand at the end of its batch (a saved ticket whose mutation was undone
// gets the summary it had, again).
func putSummaries(c *Ctx, ids map[string]bool) error {
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		raw, err := getRaw(c.tx, CollTickets, id)
		if err != nil {
			return err
		}
		t, ok := peek[domain.Ticket](c.objs, CollTickets, id, raw)
		if !ok {
			t = new(domain.Ticket)
			if err := decodeRecord(raw, CollTickets, id, t); err != nil {
				return err
			}
		}
		if err := putSummary(c, *t); err != nil {
			return err
		}
	}
	return nil
}

func loadTicket(c *Ctx, id string) (domain.Ticket, error) {
	var t domain.Ticket
	if id == "" {
		return t, domain.Problems{"id": "required"}.Err()
	}
	return t, c.Get(CollTickets, id, &t)
}

// move changes the state after the domain allowed it, and records the
// move with both times.
func move(c *Ctx, t *domain.Ticket, to domain.TicketState, actor domain.Actor, note string) error {
	if err := domain.CheckTicketMove(t.State, to, actor, note); err != nil {
		return err
	}
	t.State = to
	e := domain.StateEntry{State: to, At: c.Now, EventAt: c.When(), By: c.Actor.UserID, Device: c.Actor.Device, Note: note}
	if c.EventTime != nil {
		e.DeviceTime = c.deviceTime
	}
	t.History = append(t.History, e)
	return nil
}

// actorOf is the domain actor of the caller for ticket moves.
func actorOf(a Actor) domain.Actor {
	for _, pref := range []domain.Role{domain.RoleManager, domain.RoleDesk, domain.RoleTechnician} {
		if slices.Contains(a.Roles, pref) {
			x, _ := domain.ActorForRole(pref)
			return x
		}
	}
	if a.Via == "system" || a.Via == "cli" {
		return domain.ActorSystem
	}
	return ""
}

// nextNumber issues the next 联络单编号 of the year: LL-2026-00418.
func nextNumber(c *Ctx) (string, error) {
	year := c.Now.In(c.e.zone).Year()
	n, err := nextCounter(c, fmt.Sprintf("ticket-%d", year))
	return fmt.Sprintf("LL-%d-%05d", year, n), err
}

// grantTicket gives user the ticket and what they need for it offline: the
// customer, the site, its contacts and equipment, and the checklists.
func grantTicket(c *Ctx, t domain.Ticket, user string) error {
	return forTicketRecords(c, t, func(coll, id string) error {
		return c.Grant("user:"+user, coll, id, "ticket:"+t.ID)
	})
}

// revokeTicket takes them back when the ticket leaves user.
func revokeTicket(c *Ctx, t domain.Ticket, user string) error {
	return forTicketRecords(c, t, func(coll, id string) error {
		return c.Revoke("user:"+user, coll, id, "ticket:"+t.ID)
	})
}

func forTicketRecords(c *Ctx, t domain.Ticket, fn func(coll, id string) error) error {
	if err := fn(CollTickets, t.ID); err != nil {
		return err
	}
	if t.CustomerID != "" {
		if err := fn(CollCustomers, t.CustomerID); err != nil {
			return err
		}
	}
	if t.SiteID != "" {
		if err := fn(CollSites, t.SiteID); err != nil {
			return err
		}
		eqs, err := c.tx.Lookup(CollEquipment, IdxSite, t.SiteID)
		if err != nil {
			return err
		}
		for _, id := range eqs {
			if err := fn(CollEquipment, id); err != nil {
				return err
			}
		}
	}
	if t.CustomerID != "" {
		cts, err := c.tx.Lookup(CollContacts, IdxCustomer, t.CustomerID)
		if err != nil {
			return err
		}
		for _, id := range cts {
			if err := fn(CollContacts, id); err != nil {
				return err
			}
		}
	}
	for _, id := range t.Checklists {
		if err := fn(CollChecklists, id); err != nil {
			return err
		}
	}
	return nil
}

// setCrew changes who holds t, granting and revoking what they see.
func setCrew(c *Ctx, t *domain.Ticket, lead string, helpers []string) error {
	before := t.Crew()
	t.Lead, t.Helpers = lead, dedupe(helpers)
	t.Helpers = slices.DeleteFunc(t.Helpers, func(h string) bool { return h == lead })
	after := t.Crew()
	for _, u := range after {
		if !slices.Contains(t.Assigned, u) {
			t.Assigned = append(t.Assigned, u)
		}
		if !slices.Contains(before, u) {
			if err := grantTicket(c, *t, u); err != nil {
				return err
			}
		}
	}
	for _, u := range before {
		if !slices.Contains(after, u) {
			if err := revokeTicket(c, *t, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// Tickets reads tickets.
type Tickets struct{ e *Engine }

// Tickets returns the ticket reader.
func (e *Engine) Tickets() Tickets { return Tickets{e} }

// Get returns one ticket.
func (r Tickets) Get(ctx context.Context, id string) (domain.Ticket, error) {
	var t domain.Ticket
	err := r.e.st.View(ctx, func(tx store.ReadTx) error { return GetJSON(tx, CollTickets, id, &t) })
	return t, err
}

// ByState lists the tickets in any of states, newest first.
func (r Tickets) ByState(ctx context.Context, states ...domain.TicketState) ([]domain.Ticket, error) {
	var out []domain.Ticket
	err := r.e.st.View(ctx, func(tx store.ReadTx) error {
		for _, s := range states {
			ids, err := tx.Lookup(CollTickets, "state", string(s))
			if err != nil {
				return err
			}
			for _, id := range ids {
				var t domain.Ticket
				if err := GetJSON(tx, CollTickets, id, &t); err != nil {
					return err
				}
				out = append(out, t)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b domain.Ticket) int { return strings.Compare(b.ID, a.ID) })
	return out, err
}

// HeldBy lists the tickets a user holds.
func (r Tickets) HeldBy(ctx context.Context, user string) ([]domain.Ticket, error) {
	var out []domain.Ticket
	err := r.e.st.View(ctx, func(tx store.ReadTx) error {
		ids, err := tx.Lookup(CollTickets, "holder", user)
		if err != nil {
			return err
		}
		for _, id := range ids {
			var t domain.Ticket
			if err := GetJSON(tx, CollTickets, id, &t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// HolderHasFile tells whether hash is a photo or the signature of a ticket
// user holds or held: technicians see the files of their own work only.
func (r Tickets) HolderHasFile(ctx context.Context, user, hash string) (bool, error) {
	ts, err := r.HeldBy(ctx, user)
	if err != nil {
		return false, err
	}
	for _, t := range ts {
		if t.Signature != nil && t.Signature.ImageHash == hash {
			return true, nil
		}
		for _, p := range t.Photos {
			if p.Hash == hash {
				return true, nil
			}
		}
	}
	return false, nil
}
