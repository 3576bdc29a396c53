package sync

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// OpenTicketArgs open a 联络单 from a request (R-TKT-1).
type OpenTicketArgs struct {
	ID           string   `json:"id,omitempty"`
	JobID        string   `json:"jobId,omitempty"` // a further visit of an existing job
	CustomerID   string   `json:"customerId"`
	SiteID       string   `json:"siteId"`
	ContactID    string   `json:"contactId,omitempty"`
	ContactName  string   `json:"contactName,omitempty"`
	ContactPhone string   `json:"contactPhone,omitempty"`
	System       string   `json:"system"`
	EquipmentIDs []string `json:"equipmentIds,omitempty"`
	Requested    string   `json:"requested"`
	Condition    string   `json:"condition,omitempty"`
	Priority     string   `json:"priority,omitempty"` // normal (default) or urgent
	PlannedDate  string   `json:"plannedDate,omitempty"`
	Liaison      bool     `json:"liaison,omitempty"`
	// TemplateID is the checklist the visit uses (maintenance visits).
	TemplateID string `json:"templateId,omitempty"`
}

// AssignArgs give a ticket a lead technician and helpers.
type AssignArgs struct {
	ID      string   `json:"id"`
	Lead    string   `json:"lead"`
	Helpers []string `json:"helpers,omitempty"`
	Reason  string   `json:"reason,omitempty"` // required to reassign
	// BaseRev is the revision the dispatcher saw: when the ticket changed
	// since (another dispatcher assigned it a moment ago) the assignment
	// is refused with 409 and who won.
	BaseRev int `json:"baseRev,omitempty"`
}

var errTicketChanged = domain.E(domain.KindConflict, "ticket.changed")

// NoteArgs carry a ticket id and a note or reason.
type NoteArgs struct {
	ID   string `json:"id"`
	Note string `json:"note,omitempty"`
}

// PlanArgs set the desk's planned date.
type PlanArgs struct {
	ID          string `json:"id"`
	PlannedDate string `json:"plannedDate"`
	BaseRev     int    `json:"baseRev,omitempty"`
}

// UpdateTicketArgs change the desk's fields of a ticket.
type UpdateTicketArgs struct {
	ID           string  `json:"id"`
	Requested    *string `json:"requested,omitempty"`
	Condition    *string `json:"condition,omitempty"`
	Priority     *string `json:"priority,omitempty"`
	ContactName  *string `json:"contactName,omitempty"`
	ContactPhone *string `json:"contactPhone,omitempty"`
	BaseRev      int     `json:"baseRev,omitempty"`
}

// AppointmentArgs set the agreed appointment.
type AppointmentArgs struct {
	ID      string `json:"id"`
	At      string `json:"at"` // RFC 3339
	Method  string `json:"method"`
	Note    string `json:"note,omitempty"`
	BaseRev int    `json:"baseRev,omitempty"`
}

// CallbackArgs record the desk's callback (R-TKT-8).
type CallbackArgs struct {
	ID           string                         `json:"id"`
	Reached      bool                           `json:"reached"`
	Solved       bool                           `json:"solved"`
	Satisfaction domain.Satisfaction            `json:"satisfaction,omitempty"`
	Reasons      []domain.DissatisfactionReason `json:"reasons,omitempty"`
	Comments     string                         `json:"comments,omitempty"`
}

var (
	errNotTechnician = domain.E(domain.KindInvalid, "ticket.not_technician")
	errNotSpecialist = domain.E(domain.KindInvalid, "ticket.not_specialist")
)

func openTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a OpenTicketArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	p := domain.Problems{}
	if a.ID != "" && !IsUUIDv7(a.ID) {
		p.Add("id", "invalid_id")
	}
	sys, err := domain.ParseSystem(a.System)
	if err != nil {
		p.Add("system", "invalid_choice")
	}
	a.Requested = strings.TrimSpace(a.Requested)
	if a.Requested == "" {
		p.Add("requested", "required")
	} else if utf8.RuneCountInString(a.Requested) > 500 {
		p.Add("requested", "too_long")
	}
	if a.Priority == "" {
		a.Priority = "normal"
	}
	if a.Priority != "normal" && a.Priority != "urgent" {
		p.Add("priority", "invalid_choice")
	}
	var planned domain.Date
	if a.PlannedDate != "" {
		if planned, err = domain.ParseDate(a.PlannedDate); err != nil {
			p.Add("plannedDate", "invalid_date")
		}
	}
	if a.CustomerID == "" {
		p.Add("customerId", "required")
	}
	if a.SiteID == "" {
		p.Add("siteId", "required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var cu domain.Customer
	if err := c.Get(CollCustomers, a.CustomerID, &cu); err != nil {
		return nil, domain.Problems{"customerId": "not_found"}.Err()
	}
	var site domain.Site
	if err := c.Get(CollSites, a.SiteID, &site); err != nil || site.CustomerID != cu.ID {
		return nil, domain.Problems{"siteId": "not_found"}.Err()
	}
	t := domain.Ticket{ID: a.ID, CustomerID: cu.ID, CustomerName: cu.Name, SiteID: site.ID, SiteName: site.Name,
		Address: site.Address, District: site.District, System: sys, EquipmentIDs: dedupe(a.EquipmentIDs),
		Requested: a.Requested, Condition: strings.TrimSpace(a.Condition), Priority: a.Priority, Liaison: a.Liaison,
		PlannedDate: planned, TemplateID: a.TemplateID, State: domain.TicketNew, Helpers: []string{}, Assigned: []string{}, Calls: []domain.Call{},
		Work: []domain.WorkRecord{}, Parts: []domain.PartUsed{}, Swaps: []domain.DeviceSwap{}, Photos: []domain.Photo{},
		Checklists: []string{}, FieldRev: map[string]int{}, Created: c.Now}
	if t.ID == "" {
		t.ID = NewID()
	}
	if _, err := c.tx.Get(CollTickets, t.ID); err == nil {
		return nil, ErrIDTaken
	}
	for _, eq := range t.EquipmentIDs {
		var r EquipmentRecord
		if err := c.Get(CollEquipment, eq, &r); err != nil || r.SiteID != site.ID {
			return nil, domain.Problems{"equipmentIds": "not_found"}.Err()
		}
	}
	if a.ContactID != "" {
		var ct domain.Contact
		if err := c.Get(CollContacts, a.ContactID, &ct); err != nil || ct.CustomerID != cu.ID {
			return nil, domain.Problems{"contactId": "not_found"}.Err()
		}
		t.ContactID, t.ContactName = ct.ID, ct.Name
		if len(ct.Phones) > 0 {
			t.ContactPhone = ct.Phones[0]
		}
	}
	if a.ContactName != "" {
		t.ContactName = strings.TrimSpace(a.ContactName)
	}
	if a.ContactPhone != "" {
		ph, err := domain.NormalizePhone(a.ContactPhone)
		if err != nil {
			return nil, domain.Problems{"contactPhone": "invalid_phone"}.Err()
		}
		t.ContactPhone = ph
	}
	if t.ContactName == "" {
		return nil, domain.Problems{"contactName": "required"}.Err()
	}
	// The customer type is derived from the coverage now and kept as it was.
	contracts, err := byIndex[domain.Contract](c.tx, CollContracts, IdxCustomer, cu.ID)
	if err != nil {
		return nil, err
	}
	cov := domain.Coverage(contracts, site.ID, sys, c.today())
	t.Coverage, t.ContractID = string(cov.Kind), cov.ContractID
	t.CustomerType = domain.CustomerTypeFor(cov.Kind, a.Liaison)
	if t.Number, err = nextNumber(c); err != nil {
		return nil, err
	}
	if err := attachJob(c, &t, a.JobID, cu.ID); err != nil {
		return nil, err
	}
	t.History = []domain.StateEntry{{State: domain.TicketNew, At: c.Now, EventAt: c.Now, By: c.Actor.UserID}}
	if err := saveTicket(c, &t); err != nil {
		return nil, err
	}
	return t, nil
}

func attachJob(c *Ctx, t *domain.Ticket, jobID, customerID string) error {
	var j Job
	if jobID != "" {
		if err := c.Get(CollJobs, jobID, &j); err != nil {
			return domain.Problems{"jobId": "not_found"}.Err()
		}
	} else {
		j = Job{ID: NewID(), CustomerID: customerID, Title: t.Requested, Created: c.Now}
	}
	j.Tickets = append(j.Tickets, t.ID)
	t.JobID = j.ID
	return c.Put(CollJobs, j.ID, j, PutOpts{Scopes: ticketRoleScopes, Index: []store.Index{{Name: IdxCustomer, Value: customerID}}})
}

func assignTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a AssignArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if a.BaseRev > 0 && t.Rev != a.BaseRev {
		by := ""
		if n := len(t.History); n > 0 {
			var u domain.User
			if c.Get(CollUsers, t.History[n-1].By, &u) == nil {
				by = u.Name
			}
		}
		return nil, errTicketChanged.With("by", by).With("lead", t.LeadName).With("state", t.State.Label())
	}
	actor := actorOf(c.Actor)
	crew := append([]string{a.Lead}, a.Helpers...)
	for i, u := range crew {
		var usr domain.User
		field := "lead"
		if i > 0 {
			field = "helpers"
		}
		if u == "" || c.Get(CollUsers, u, &usr) != nil || usr.Disabled || !usr.HasRole(domain.RoleTechnician) {
			return nil, domain.Problems{field: "not_technician"}.Err()
		}
		// The desk dispatches to specialists; others go through the
		// engineering manager (R-TKT-2).
		if i == 0 && actor == domain.ActorDesk && !usr.Specialist {
			return nil, errNotSpecialist
		}
		if i == 0 {
			t.LeadName = usr.Name
		}
	}
	reassign := t.State == domain.TicketAssigned || t.State == domain.TicketAccepted || t.State == domain.TicketAppointed
	if reassign && strings.TrimSpace(a.Reason) == "" && t.Lead != a.Lead {
		return nil, domain.Problems{"reason": "required"}.Err()
	}
	if err := move(c, &t, domain.TicketAssigned, actor, a.Reason); err != nil {
		return nil, err
	}
	if err := setCrew(c, &t, a.Lead, a.Helpers); err != nil {
		return nil, err
	}
	t.FieldRev["assignment"] = t.Rev + 1
	if err := saveTicket(c, &t); err != nil {
		return nil, err
	}
	return t, nil
}

func escalateTicket(c *Ctx, raw json.RawMessage) (any, error) {
	return simpleMove(c, raw, domain.TicketEscalated, false)
}

func cancelTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a NoteArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Note) == "" {
		return nil, domain.Problems{"note": "required"}.Err()
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if err := move(c, &t, domain.TicketCancelled, actorOf(c.Actor), a.Note); err != nil {
		return nil, err
	}
	t.CancelReason = a.Note
	crew := t.Crew()
	for _, u := range crew {
		if err := revokeTicket(c, t, u); err != nil {
			return nil, err
		}
	}
	return t, saveTicket(c, &t)
}

func simpleMove(c *Ctx, raw json.RawMessage, to domain.TicketState, _ bool) (any, error) {
	var a NoteArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if err := move(c, &t, to, actorOf(c.Actor), a.Note); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

// deskEdit applies a desk edit of field, with the merge rule when the edit
// carries the revision it was based on.
func deskEdit(c *Ctx, t *domain.Ticket, field string, baseRev int, lost any, apply func()) error {
	return mergeFieldBy(c, t, field, baseRev, domain.SideDesk, lost, apply)
}

func planTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a PlanArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	d, err := domain.ParseDate(a.PlannedDate)
	if err != nil {
		return nil, domain.Problems{"plannedDate": "invalid_date"}.Err()
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if t.State.Final() {
		return nil, domain.E(domain.KindConflict, "ticket.final")
	}
	if err := deskEdit(c, &t, "plannedDate", a.BaseRev, d, func() { t.PlannedDate = d }); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

func updateTicket(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateTicketArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if t.Signed() {
		return nil, domain.E(domain.KindConflict, "ticket.signed")
	}
	p := domain.Problems{}
	if a.Requested != nil {
		v := strings.TrimSpace(*a.Requested)
		if v == "" {
			p.Add("requested", "required")
		}
		if err := deskEdit(c, &t, "requested", a.BaseRev, v, func() { t.Requested = v }); err != nil {
			return nil, err
		}
	}
	if a.Condition != nil {
		t.Condition = strings.TrimSpace(*a.Condition)
	}
	if a.Priority != nil {
		v := *a.Priority
		if v != "normal" && v != "urgent" {
			p.Add("priority", "invalid_choice")
		}
		if err := deskEdit(c, &t, "priority", a.BaseRev, v, func() { t.Priority = v }); err != nil {
			return nil, err
		}
	}
	if a.ContactName != nil || a.ContactPhone != nil {
		name, phone := t.ContactName, t.ContactPhone
		if a.ContactName != nil {
			name = strings.TrimSpace(*a.ContactName)
		}
		if a.ContactPhone != nil {
			ph, err := domain.NormalizePhone(*a.ContactPhone)
			if err != nil {
				p.Add("contactPhone", "invalid_phone")
			}
			phone = ph
		}
		if err := deskEdit(c, &t, "contact", a.BaseRev, map[string]string{"name": name, "phone": phone}, func() {
			t.ContactName, t.ContactPhone = name, phone
		}); err != nil {
			return nil, err
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

// deskAppointment lets the desk correct the appointment (a field the
// technician owns: an offline edit of the technician's wins over it, and
// the desk's value is kept as a conflict record).
func deskAppointment(c *Ctx, raw json.RawMessage) (any, error) {
	var a AppointmentArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	ap, err := parseAppointment(a)
	if err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if err := deskEdit(c, &t, "appointment", a.BaseRev, ap, func() { t.Appointment = &ap }); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

func confirmFiled(c *Ctx, raw json.RawMessage) (any, error) {
	var a NoteArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if t.Signature == nil || !t.Signature.Paper {
		return nil, domain.E(domain.KindConflict, "ticket.not_paper")
	}
	t.Signature.Filed = true
	if err := move(c, &t, domain.TicketReturned, domain.ActorDesk, a.Note); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

func recordCallback(c *Ctx, raw json.RawMessage) (any, error) {
	var a CallbackArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	t, err := loadTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if a.Satisfaction != "" && !a.Satisfaction.Valid() {
		return nil, domain.Problems{"satisfaction": "invalid_choice"}.Err()
	}
	if a.Satisfaction == domain.Satisfaction("dissatisfied") && len(a.Reasons) == 0 {
		return nil, domain.Problems{"reasons": "required"}.Err()
	}
	if !a.Reached {
		// Not reached: the attempt is kept and the form stays in the queue.
		if t.State != domain.TicketReturned {
			return nil, domain.CheckTicketMove(t.State, domain.TicketCalledBack, domain.ActorDesk, "")
		}
		t.CallbackAttempts = append(t.CallbackAttempts, c.Now)
		return t, saveTicket(c, &t)
	}
	cb := domain.Callback{Reached: a.Reached, Solved: a.Solved, Satisfaction: a.Satisfaction, Reasons: a.Reasons,
		Comments: strings.TrimSpace(a.Comments), At: c.Now, By: c.Actor.UserID}
	t.Callback = &cb
	if err := move(c, &t, domain.TicketCalledBack, domain.ActorDesk, ""); err != nil {
		return nil, err
	}
	if !a.Solved {
		if err := move(c, &t, domain.TicketReopened, domain.ActorDesk, "回访：问题未解决"); err != nil {
			return nil, err
		}
	}
	return t, saveTicket(c, &t)
}

func archiveTicket(c *Ctx, raw json.RawMessage) (any, error) {
	t, err := simpleMove(c, raw, domain.TicketArchived, false)
	if err != nil {
		return nil, err
	}
	tk := t.(domain.Ticket)
	for _, u := range tk.Crew() {
		if err := revokeTicket(c, tk, u); err != nil {
			return nil, err
		}
	}
	return tk, nil
}

// mergeField applies an edit of a mergeable field by side. An edit based
// on a revision older than the field's last change meets a concurrent
// edit: the field's owner wins and the other value becomes a conflict
// record. An edit without a base revision (online, current) applies.
func mergeField(c *Ctx, t *domain.Ticket, field string, baseRev int, value any, apply func()) error {
	return mergeFieldBy(c, t, field, baseRev, sideOf(c.Actor), value, apply)
}

func sideOf(a Actor) domain.Side {
	if slices.Contains(a.Roles, domain.RoleTechnician) && a.Via == "device" {
		return domain.SideField
	}
	if slices.Contains(a.Roles, domain.RoleDesk) || slices.Contains(a.Roles, domain.RoleManager) {
		return domain.SideDesk
	}
	return domain.SideField
}

func mergeFieldBy(c *Ctx, t *domain.Ticket, field string, baseRev int, side domain.Side, value any, apply func()) error {
	if t.FieldRev == nil {
		t.FieldRev = map[string]int{}
	}
	changed := t.FieldRev[field]
	if baseRev == 0 || changed <= baseRev {
		apply()
		t.FieldRev[field] = t.Rev + 1
		return nil
	}
	current, _ := json.Marshal(fieldValue(*t, field))
	proposed, _ := json.Marshal(value)
	if string(current) == string(proposed) {
		return nil
	}
	k := Conflict{Collection: CollTickets, RecordID: t.ID, Field: field, Reason: "field_changed", TicketID: t.ID, Users: t.Crew()}
	other := domain.SideDesk
	if side == domain.SideDesk {
		other = domain.SideField
	}
	if domain.FieldOwner[field] == side {
		k.Kept, k.Lost = proposed, current
		k.KeptSide, k.LostSide = string(side), string(other)
		apply()
		t.FieldRev[field] = t.Rev + 1
	} else {
		k.Kept, k.Lost = current, proposed
		k.KeptSide, k.LostSide = string(other), string(side)
	}
	_, err := c.Conflict(k)
	return err
}

func fieldValue(t domain.Ticket, field string) any {
	switch field {
	case "appointment":
		return t.Appointment
	case "result":
		return t.Result
	case "plannedDate":
		return t.PlannedDate
	case "priority":
		return t.Priority
	case "requested":
		return t.Requested
	case "contact":
		return map[string]string{"name": t.ContactName, "phone": t.ContactPhone}
	}
	return nil
}
