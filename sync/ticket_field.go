package sync

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"elvcare/domain"
)

// The field side's arguments. Ids of added items are made by the device
// (UUIDv7), so the same addition sent twice is one item, and additions from
// several devices all survive.
type (
	// TicketRef names a ticket and the revision the device last saw.
	TicketRef struct {
		ID      string `json:"id"`
		BaseRev int    `json:"baseRev,omitempty"`
	}
	// CallAheadArgs record the call before leaving (R-TKT-3).
	CallAheadArgs struct {
		ID            string `json:"id"`
		CallID        string `json:"callId"`
		CalledAt      string `json:"calledAt"`
		Method        string `json:"method"` // phone, wechat, sms
		AppointmentAt string `json:"appointmentAt"`
		Note          string `json:"note,omitempty"`
		BaseRev       int    `json:"baseRev,omitempty"`
	}
	// WorkArgs add a line of 处理方案.
	WorkArgs struct {
		ID     string `json:"id"`
		WorkID string `json:"workId"`
		Text   string `json:"text"`
	}
	// PartArgs add a part used.
	PartArgs struct {
		ID     string `json:"id"`
		PartID string `json:"partId"`
		Name   string `json:"name"`
		Model  string `json:"model,omitempty"`
		Qty    int    `json:"qty"`
		Note   string `json:"note,omitempty"`
	}
	// SwapArgs record a replaced device.
	SwapArgs struct {
		ID          string `json:"id"`
		SwapID      string `json:"swapId"`
		EquipmentID string `json:"equipmentId"`
		OldSerial   string `json:"oldSerial"`
		NewSerial   string `json:"newSerial"`
		NewModel    string `json:"newModel,omitempty"`
	}
	// PhotoArgs attach a photo uploaded by hash.
	PhotoArgs struct {
		ID      string `json:"id"`
		PhotoID string `json:"photoId"`
		Hash    string `json:"hash"`
		Caption string `json:"caption,omitempty"`
	}
	// ResultArgs record the result (R-TKT-5).
	ResultArgs struct {
		ID      string              `json:"id"`
		Result  domain.TicketResult `json:"result"`
		BaseRev int                 `json:"baseRev,omitempty"`
	}
	// SignArgs record the customer's acceptance and drawn signature.
	SignArgs struct {
		ID            string            `json:"id"`
		Acceptance    domain.Acceptance `json:"acceptance"`
		SignatureHash string            `json:"signatureHash"`
		SignerName    string            `json:"signerName,omitempty"`
		// ContentHash, if sent, is the device's hash of what it showed the
		// customer; a mismatch means the content changed underneath.
		ContentHash string `json:"contentHash,omitempty"`
	}
	// PaperArgs attach the photo of a hand-signed paper form (R-TKT-7).
	PaperArgs struct {
		ID         string            `json:"id"`
		PhotoHash  string            `json:"photoHash"`
		Acceptance domain.Acceptance `json:"acceptance"`
	}
)

var (
	hashRe           = regexp.MustCompile(`^[0-9a-f]{64}$`)
	errNotYourTicket = domain.E(domain.KindForbidden, "ticket.not_yours")
)

// fieldTicket loads the ticket a technician acts on. It must be theirs, or
// have been theirs: work done offline before a reassignment still counts
// (then stale is set and clashes become conflict records the new holder
// and the desk see).
func fieldTicket(c *Ctx, id string) (t domain.Ticket, stale bool, err error) {
	if t, err = loadTicket(c, id); err != nil {
		return t, false, err
	}
	stale, err = heldBy(c, t)
	return t, stale, err
}

// heldBy tells whether the acting technician may work on t: it is theirs
// (stale false) or was theirs (stale true); otherwise errNotYourTicket.
func heldBy(c *Ctx, t domain.Ticket) (stale bool, err error) {
	switch {
	case t.Holds(c.Actor.UserID):
		return false, nil
	case t.HeldBefore(c.Actor.UserID):
		return true, nil
	}
	return false, errNotYourTicket
}

// fieldTicketHead is fieldTicket for edits that only need to know whose the
// ticket is and whether it is signed (checklist answers, one per item):
// it decodes those fields and leaves the rest of the ticket alone.
func fieldTicketHead(c *Ctx, id string) (t domain.Ticket, stale bool, err error) {
	if id == "" {
		return t, false, domain.Problems{"id": "required"}.Err()
	}
	var head struct {
		ID        string            `json:"id"`
		Lead      string            `json:"lead"`
		Helpers   []string          `json:"helpers"`
		Assigned  []string          `json:"assigned"`
		Signature *domain.Signature `json:"signature"`
	}
	raw, err := getRaw(c.tx, CollTickets, id)
	if err != nil {
		return t, false, err
	}
	if full, ok := peek[domain.Ticket](c.objs, CollTickets, id, raw); ok {
		// The ticket a mutation before this one wrote: no need to decode.
		head.ID, head.Lead, head.Signature = full.ID, full.Lead, full.Signature
		head.Helpers, head.Assigned = slices.Clone(full.Helpers), slices.Clone(full.Assigned)
		if head.Signature != nil {
			sig := *head.Signature
			head.Signature = &sig
		}
	} else if err := decodeRecord(raw, CollTickets, id, &head); err != nil {
		return t, false, err
	}
	t = domain.Ticket{ID: head.ID, Lead: head.Lead, Helpers: head.Helpers, Assigned: head.Assigned, Signature: head.Signature}
	stale, err = heldBy(c, t)
	return t, stale, err
}

// fieldConflict records that a field mutation could not apply as sent.
func fieldConflict(c *Ctx, t domain.Ticket, reason string, lost any) error {
	b, _ := json.Marshal(lost)
	_, err := c.Conflict(Conflict{Collection: CollTickets, RecordID: t.ID, Reason: reason, Lost: b, TicketID: t.ID,
		Users: append(t.Crew(), c.Actor.UserID), KeptSide: "desk", LostSide: "field"})
	return err
}

// fieldMove moves the ticket for the technician. A move the ticket's
// current state no longer allows (the desk cancelled or reassigned it
// meanwhile) is recorded as a conflict, not refused: the device moves on.
func fieldMove(c *Ctx, t *domain.Ticket, stale bool, to domain.TicketState, what any) (bool, error) {
	if stale {
		return false, fieldConflict(c, *t, "reassigned", what)
	}
	err := move(c, t, to, domain.ActorTechnician, "")
	if err == nil {
		return true, nil
	}
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindConflict {
		return false, fieldConflict(c, *t, "state", map[string]any{"from": t.State, "to": to, "what": what})
	}
	return false, err
}

func acceptTicket(c *Ctx, a TicketRef) (any, error) {
	t, stale, err := fieldTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if _, err := fieldMove(c, &t, stale, domain.TicketAccepted, "accept"); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}

func parseAppointment(a AppointmentArgs) (domain.Appointment, error) {
	at, err := time.Parse(time.RFC3339, a.At)
	p := domain.Problems{}
	if err != nil {
		p.Add("at", "invalid_date")
	}
	if !validMethod(a.Method) {
		p.Add("method", "invalid_choice")
	}
	return domain.Appointment{At: at.UTC(), Method: a.Method, Note: strings.TrimSpace(a.Note)}, p.Err()
}

func validMethod(m string) bool {
	return m == "phone" || m == "wechat" || m == "sms" || m == "onsite"
}

func callAhead(c *Ctx, a CallAheadArgs) (any, error) {
	p := domain.Problems{}
	if !IsUUIDv7(a.CallID) {
		p.Add("callId", "invalid_id")
	}
	calledAt, err := time.Parse(time.RFC3339, a.CalledAt)
	if err != nil {
		p.Add("calledAt", "invalid_date")
	}
	ap, err := parseAppointment(AppointmentArgs{At: a.AppointmentAt, Method: a.Method, Note: a.Note})
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			for f, code := range de.Fields {
				if f == "at" {
					f = "appointmentAt"
				}
				p.Add(f, code)
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	t, stale, err := fieldTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range t.Calls {
		if x.ID == a.CallID {
			return t, nil // already recorded
		}
	}
	t.Calls = append(t.Calls, domain.Call{ID: a.CallID, At: calledAt.UTC(), Method: a.Method, Note: ap.Note, By: c.Actor.UserID})
	if err := mergeFieldBy(c, &t, "appointment", a.BaseRev, domain.SideField, ap, func() { t.Appointment = &ap }); err != nil {
		return nil, err
	}
	if t.State == domain.TicketAccepted {
		if _, err := fieldMove(c, &t, stale, domain.TicketAppointed, "callAhead"); err != nil {
			return nil, err
		}
	}
	return t, saveTicket(c, &t)
}

func departTicket(c *Ctx, a TicketRef) (any, error) {
	return stamp(c, a, domain.TicketEnRoute, func(t *domain.Ticket, at time.Time) { t.DepartedAt = &at })
}

func arriveTicket(c *Ctx, a TicketRef) (any, error) {
	return stamp(c, a, domain.TicketOnSite, func(t *domain.Ticket, at time.Time) { t.ArrivedAt = &at })
}

// stamp moves the ticket and records when it happened on the device
// (corrected by the device's clock offset): arrival feeds statistics.
func stamp(c *Ctx, a TicketRef, to domain.TicketState, set func(*domain.Ticket, time.Time)) (any, error) {
	t, stale, err := fieldTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	moved, err := fieldMove(c, &t, stale, to, string(to))
	if err != nil {
		return nil, err
	}
	if moved {
		set(&t, c.When())
	}
	return t, saveTicket(c, &t)
}

// addItem appends a work item unless the form is signed (then the item is
// kept as a conflict record) or its id is already there.
func addItem(c *Ctx, ticketID, itemID string, item any, has func(domain.Ticket) bool, add func(*domain.Ticket)) (any, error) {
	if !IsUUIDv7(itemID) {
		return nil, domain.Problems{"itemId": "invalid_id"}.Err()
	}
	t, stale, err := fieldTicket(c, ticketID)
	if err != nil {
		return nil, err
	}
	if has(t) {
		return t, nil
	}
	if t.Signed() {
		return t, fieldConflict(c, t, "signed", item)
	}
	if stale {
		if err := fieldConflict(c, t, "reassigned", item); err != nil {
			return nil, err
		}
	}
	add(&t)
	return t, saveTicket(c, &t)
}

func textOK(p domain.Problems, field, s string, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		p.Add(field, "required")
	case utf8.RuneCountInString(s) > max:
		p.Add(field, "too_long")
	}
	return s
}

func addWork(c *Ctx, a WorkArgs) (any, error) {
	p := domain.Problems{}
	text := textOK(p, "text", a.Text, 2000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	w := domain.WorkRecord{ID: a.WorkID, Text: text, At: c.When(), By: c.Actor.UserID}
	return addItem(c, a.ID, a.WorkID, w, func(t domain.Ticket) bool { return domain.HasItem(t.Work, a.WorkID) }, func(t *domain.Ticket) { t.Work = append(t.Work, w) })
}

func addPart(c *Ctx, a PartArgs) (any, error) {
	p := domain.Problems{}
	name := textOK(p, "name", a.Name, 100)
	if a.Qty <= 0 || a.Qty > 10000 {
		p.Add("qty", "invalid")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	part := domain.PartUsed{ID: a.PartID, Name: name, Model: strings.TrimSpace(a.Model), Qty: a.Qty, Note: strings.TrimSpace(a.Note), By: c.Actor.UserID}
	return addItem(c, a.ID, a.PartID, part, func(t domain.Ticket) bool { return domain.HasItem(t.Parts, a.PartID) }, func(t *domain.Ticket) { t.Parts = append(t.Parts, part) })
}

func swapDevice(c *Ctx, a SwapArgs) (any, error) {
	p := domain.Problems{}
	newSerial := textOK(p, "newSerial", a.NewSerial, 64)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var eq EquipmentRecord
	if err := c.Get(CollEquipment, a.EquipmentID, &eq); err != nil {
		return nil, domain.Problems{"equipmentId": "not_found"}.Err()
	}
	swap := domain.DeviceSwap{ID: a.SwapID, EquipmentID: a.EquipmentID, OldSerial: strings.TrimSpace(a.OldSerial),
		NewSerial: newSerial, NewModel: strings.TrimSpace(a.NewModel), By: c.Actor.UserID}
	applied := false
	res, err := addItem(c, a.ID, a.SwapID, swap, func(t domain.Ticket) bool { return domain.HasItem(t.Swaps, a.SwapID) }, func(t *domain.Ticket) {
		t.Swaps = append(t.Swaps, swap)
		applied = true
	})
	if err != nil || !applied {
		return res, err
	}
	// The archive follows: old serial out, new serial in (R-TKT-4).
	if swap.OldSerial == "" {
		swap.OldSerial = eq.Serial
	}
	eq.Serial = newSerial
	if swap.NewModel != "" {
		eq.Model = swap.NewModel
	}
	if err := putEquipment(c, eq); err != nil {
		return nil, err
	}
	return res, nil
}

func addPhoto(c *Ctx, a PhotoArgs) (any, error) {
	if !hashRe.MatchString(a.Hash) || !c.e.st.Blobs().Has(a.Hash) {
		return nil, domain.Problems{"hash": "unknown_blob"}.Err()
	}
	ph := domain.Photo{ID: a.PhotoID, Hash: a.Hash, Caption: strings.TrimSpace(a.Caption), At: c.When(), By: c.Actor.UserID}
	return addItem(c, a.ID, a.PhotoID, ph, func(t domain.Ticket) bool { return domain.HasItem(t.Photos, a.PhotoID) }, func(t *domain.Ticket) { t.Photos = append(t.Photos, ph) })
}

func setResult(c *Ctx, a ResultArgs) (any, error) {
	if err := a.Result.Validate(); err != nil {
		return nil, err
	}
	t, stale, err := fieldTicket(c, a.ID)
	if err != nil {
		return nil, err
	}
	if t.Signed() {
		return t, fieldConflict(c, t, "signed", a.Result)
	}
	r := a.Result
	if err := mergeFieldBy(c, &t, "result", a.BaseRev, domain.SideField, r, func() {
		t.Result = &r
		at := c.When()
		t.ResultAt = &at
	}); err != nil {
		return nil, err
	}
	if t.State == domain.TicketOnSite {
		if _, err := fieldMove(c, &t, stale, domain.TicketResulted, r); err != nil {
			return nil, err
		}
	}
	return t, saveTicket(c, &t)
}

func signTicket(c *Ctx, a SignArgs) (any, error) {
	if err := a.Acceptance.Validate(); err != nil {
		return nil, err
	}
	if !hashRe.MatchString(a.SignatureHash) || !c.e.st.Blobs().Has(a.SignatureHash) {
		return nil, domain.Problems{"signatureHash": "unknown_blob"}.Err()
	}
	return sign(c, a.ID, a.Acceptance, a.SignatureHash, strings.TrimSpace(a.SignerName), false, a)
}

func signPaper(c *Ctx, a PaperArgs) (any, error) {
	if !hashRe.MatchString(a.PhotoHash) || !c.e.st.Blobs().Has(a.PhotoHash) {
		return nil, domain.Problems{"photoHash": "unknown_blob"}.Err()
	}
	return sign(c, a.ID, a.Acceptance, a.PhotoHash, "", true, a)
}

// sign seals the form: the acceptance, the signature image and the hash
// of the content signed. A signed form is immutable; a second signature
// is a conflict record. A drawn signature that syncs returns the form to
// the desk at once; a paper one waits for the desk to file the sheet.
func sign(c *Ctx, id string, acc domain.Acceptance, image, signer string, paper bool, what any) (any, error) {
	t, stale, err := fieldTicket(c, id)
	if err != nil {
		return nil, err
	}
	if t.Signed() {
		if t.Signature.ImageHash == image {
			return t, nil
		}
		return t, fieldConflict(c, t, "signed", what)
	}
	if t.Result == nil {
		return nil, domain.E(domain.KindConflict, "ticket.no_result")
	}
	moved, err := fieldMove(c, &t, stale, domain.TicketSigned, what)
	if err != nil || !moved {
		return t, err
	}
	at := c.When()
	checks, err := checklistsHash(c, t)
	if err != nil {
		return nil, err
	}
	t.Acceptance = &acc
	t.Signature = &domain.Signature{ImageHash: image, SignerName: signer, SignedAt: at, Paper: paper,
		ContentHash: t.ContentHash(acc, signer, at, checks)}
	if paper {
		photoID := NewID()
		t.Photos = append(t.Photos, domain.Photo{ID: photoID, Hash: image, Caption: "纸质联络单", At: at, By: c.Actor.UserID, Paper: true})
	} else if err := move(c, &t, domain.TicketReturned, domain.ActorSystem, ""); err != nil {
		return nil, err
	}
	return t, saveTicket(c, &t)
}
