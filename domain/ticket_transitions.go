package domain

import "slices"

// TicketTransition is one allowed move of the ticket state machine: who
// may make it, and whether it needs a reason.
type TicketTransition struct {
	From        TicketState `json:"from"`
	To          TicketState `json:"to"`
	Actors      []Actor     `json:"actors"`
	NeedsReason bool        `json:"needsReason,omitempty"`
}

var (
	ticketDeskOrManager = []Actor{ActorDesk, ActorManager}
	ticketTechnician    = []Actor{ActorTechnician}
)

// ticketTransitions is the table of R-TKT-STATES; a pair not listed is
// refused for everyone. "Technician" means the assignee: CanMove checks the
// actor, the caller checks it is the ticket's lead technician.
var ticketTransitions = []TicketTransition{
	{From: TicketNew, To: TicketAssigned, Actors: ticketDeskOrManager},
	{From: TicketNew, To: TicketEscalated, Actors: []Actor{ActorDesk}},
	{From: TicketNew, To: TicketCancelled, Actors: ticketDeskOrManager, NeedsReason: true},
	{From: TicketEscalated, To: TicketAssigned, Actors: []Actor{ActorManager}},
	{From: TicketEscalated, To: TicketCancelled, Actors: ticketDeskOrManager, NeedsReason: true},
	{From: TicketAssigned, To: TicketAssigned, Actors: ticketDeskOrManager}, // reassign
	{From: TicketAssigned, To: TicketAccepted, Actors: ticketTechnician},
	{From: TicketAssigned, To: TicketCancelled, Actors: ticketDeskOrManager, NeedsReason: true},
	{From: TicketAccepted, To: TicketAppointed, Actors: ticketTechnician},
	{From: TicketAccepted, To: TicketAssigned, Actors: ticketDeskOrManager}, // reassign
	{From: TicketAppointed, To: TicketEnRoute, Actors: ticketTechnician},
	{From: TicketAppointed, To: TicketOnSite, Actors: ticketTechnician},
	{From: TicketAppointed, To: TicketAssigned, Actors: ticketDeskOrManager}, // reassign
	{From: TicketEnRoute, To: TicketOnSite, Actors: ticketTechnician},
	{From: TicketOnSite, To: TicketResulted, Actors: ticketTechnician},
	// The customer signs on the technician's device, or the desk attaches
	// the photo of the paper form (R-TKT-7).
	{From: TicketResulted, To: TicketSigned, Actors: []Actor{ActorTechnician, ActorDesk}},
	// On sync; for paper, the desk confirms it filed the sheet.
	{From: TicketSigned, To: TicketReturned, Actors: []Actor{ActorSystem, ActorDesk}},
	{From: TicketReturned, To: TicketCalledBack, Actors: []Actor{ActorDesk}},
	{From: TicketCalledBack, To: TicketArchived, Actors: []Actor{ActorDesk}},
	{From: TicketCalledBack, To: TicketReopened, Actors: []Actor{ActorDesk}},
}

// Errors of the ticket state machine; moves refused return copies carrying
// "from", "to" and "actor" parameters, so compare by Code, not identity.
var (
	ErrTicketInvalidState    = E(KindInvalid, "ticket.invalid_state")
	ErrTicketInvalidActor    = E(KindInvalid, "ticket.invalid_actor")
	ErrTicketBadTransition   = E(KindConflict, "ticket.bad_transition")
	ErrTicketActorNotAllowed = E(KindForbidden, "ticket.actor_not_allowed")
)

// TicketTransitions returns a copy of the transition table.
func TicketTransitions() []TicketTransition {
	out := make([]TicketTransition, len(ticketTransitions))
	for i, t := range ticketTransitions {
		t.Actors = slices.Clone(t.Actors)
		out[i] = t
	}
	return out
}

// CanMove says whether actor may move a ticket from one state to another:
// nil, or an invalid-state / invalid-actor error (invalid), a move the
// table does not have (conflict), or a move the actor may not make
// (forbidden).
func CanMove(from, to TicketState, actor Actor) error {
	if !from.Valid() || !to.Valid() {
		return ErrTicketInvalidState
	}
	if !actor.Valid() {
		return ErrTicketInvalidActor
	}
	t, ok := ticketTransition(from, to)
	if !ok {
		return ErrTicketBadTransition.With("from", string(from)).With("to", string(to))
	}
	if !slices.Contains(t.Actors, actor) {
		return ErrTicketActorNotAllowed.With("from", string(from)).With("to", string(to)).With("actor", string(actor))
	}
	return nil
}

// CheckTicketMove is CanMove plus the move's own rule: cancelling needs a
// reason ("reason": "required"). A reason given on another move is
// allowed (kept as a note) but must not be too long.
func CheckTicketMove(from, to TicketState, actor Actor, reason string) error {
	if err := CanMove(from, to, actor); err != nil {
		return err
	}
	t, _ := ticketTransition(from, to)
	p := Problems{}
	arcCheckText(p, "reason", reason, arcMaxNote, t.NeedsReason)
	return p.Err()
}

// NextTicketStates lists the states actor may move a ticket to from from,
// in flow order: what the user's buttons offer.
func NextTicketStates(from TicketState, actor Actor) []TicketState {
	var out []TicketState
	for _, s := range ticketStateOrder {
		if CanMove(from, s, actor) == nil {
			out = append(out, s)
		}
	}
	return out
}

func ticketTransition(from, to TicketState) (TicketTransition, bool) {
	for _, t := range ticketTransitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return TicketTransition{}, false
}
