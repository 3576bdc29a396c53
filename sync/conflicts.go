package sync

import (
	"context"
	"encoding/json"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollConflicts holds conflict records: a value that lost a merge, kept
// with the value that won so a person can decide. Nothing is silently
// dropped.
const CollConflicts = "conflicts"

// Conflict is one clash between a device's edit and the server's state.
type Conflict struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	Collection string          `json:"collection"`
	RecordID   string          `json:"recordId"`
	Field      string          `json:"field,omitempty"`
	Reason     string          `json:"reason"`             // a code: field_changed, signed, reassigned, state
	Kept       json.RawMessage `json:"kept,omitempty"`     // the value in force
	Lost       json.RawMessage `json:"lost,omitempty"`     // the value not applied
	KeptSide   string          `json:"keptSide,omitempty"` // desk or field
	LostSide   string          `json:"lostSide,omitempty"`
	By         string          `json:"by"` // the user whose mutation met the clash
	Device     string          `json:"device,omitempty"`
	Mutation   string          `json:"mutation"`
	// TicketID and Users say who sees it: the desk always, and these users.
	TicketID string   `json:"ticketId,omitempty"`
	Users    []string `json:"users,omitempty"`
	Status   string   `json:"status"` // open, resolved
	// Resolution is filled when a person decided.
	Resolution *ConflictResolution `json:"resolution,omitempty"`
}

// ConflictResolution records a decision on a conflict.
type ConflictResolution struct {
	Choice string    `json:"choice"` // kept or restored
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Conflict records a conflict in the mutation's transaction; the push
// reports the mutation as "conflict" with its id.
func (c *Ctx) Conflict(k Conflict) (Conflict, error) {
	k.ID = NewID()
	k.At = c.Now
	k.Status = "open"
	k.Mutation = c.mutation
	k.Device = c.Actor.Device
	k.By = c.Actor.UserID
	scopes := []string{"role:desk", "role:manager"}
	for _, u := range k.Users {
		scopes = append(scopes, "user:"+u)
	}
	idx := []store.Index{{Name: "status", Value: k.Status}}
	if k.TicketID != "" {
		idx = append(idx, store.Index{Name: "ticket", Value: k.TicketID})
	}
	if err := c.Put(CollConflicts, k.ID, k, PutOpts{Scopes: scopes, Index: idx}); err != nil {
		return k, err
	}
	c.conflicts = append(c.conflicts, k)
	return k, nil
}

// Conflicts lists conflict records with a status ("" for all), newest first.
func (e *Engine) Conflicts(ctx context.Context, status string) ([]Conflict, error) {
	var out []Conflict
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan(CollConflicts, "", 0, func(_ string, data []byte) error {
			var k Conflict
			if err := json.Unmarshal(data, &k); err != nil {
				return err
			}
			if status == "" || k.Status == status {
				out = append(out, k)
			}
			return nil
		})
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// ErrConflictResolved: the conflict was decided already.
var ErrConflictResolved = domain.E(domain.KindConflict, "sync.conflict_resolved")

// ResolveArgs decide a conflict: "kept" leaves the value in force,
// "restored" puts the value that lost back (for a field conflict).
type ResolveArgs struct {
	ID     string `json:"id"`
	Choice string `json:"choice"`
}

var errCannotRestore = domain.E(domain.KindInvalid, "sync.cannot_restore")

// resolveConflict is itself an audited mutation: the decision and any
// restored value go through the write path like every other change.
func resolveConflict(c *Ctx, raw json.RawMessage) (any, error) {
	var a ResolveArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if a.Choice != "kept" && a.Choice != "restored" {
		return nil, domain.Problems{"choice": "invalid_choice"}.Err()
	}
	var k Conflict
	if err := c.Get(CollConflicts, a.ID, &k); err != nil {
		return nil, err
	}
	if k.Status != "open" {
		return nil, ErrConflictResolved
	}
	if a.Choice == "restored" {
		if k.Reason != "field_changed" || k.Collection != CollTickets {
			return nil, errCannotRestore
		}
		t, err := loadTicket(c, k.RecordID)
		if err != nil {
			return nil, err
		}
		if err := restoreField(&t, k.Field, k.Lost); err != nil {
			return nil, err
		}
		t.FieldRev[k.Field] = t.Rev + 1
		if err := saveTicket(c, &t); err != nil {
			return nil, err
		}
	}
	k.Status = "resolved"
	k.Resolution = &ConflictResolution{Choice: a.Choice, By: c.Actor.UserID, At: c.Now}
	scopes := []string{"role:desk", "role:manager"}
	for _, u := range k.Users {
		scopes = append(scopes, "user:"+u)
	}
	idx := []store.Index{{Name: "status", Value: k.Status}}
	if k.TicketID != "" {
		idx = append(idx, store.Index{Name: "ticket", Value: k.TicketID})
	}
	return k, c.Put(CollConflicts, k.ID, k, PutOpts{Scopes: scopes, Index: idx})
}

func restoreField(t *domain.Ticket, field string, v json.RawMessage) error {
	var err error
	switch field {
	case "appointment":
		var ap *domain.Appointment
		err = json.Unmarshal(v, &ap)
		t.Appointment = ap
	case "result":
		var r *domain.TicketResult
		err = json.Unmarshal(v, &r)
		t.Result = r
	case "plannedDate":
		err = json.Unmarshal(v, &t.PlannedDate)
	case "priority":
		err = json.Unmarshal(v, &t.Priority)
	case "requested":
		err = json.Unmarshal(v, &t.Requested)
	case "contact":
		var m map[string]string
		err = json.Unmarshal(v, &m)
		t.ContactName, t.ContactPhone = m["name"], m["phone"]
	default:
		return errCannotRestore
	}
	if t.Signed() {
		return domain.E(domain.KindConflict, "ticket.signed")
	}
	return err
}
