package server

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
)

// TicketList is the answer of GET /api/tickets.
type TicketList struct {
	Items []domain.Ticket `json:"items"`
	Total int             `json:"total"`
}

// TicketDetail is a ticket with its maintenance reports and conflicts.
type TicketDetail struct {
	Ticket     domain.Ticket    `json:"ticket"`
	Checklists []sync.Checklist `json:"checklists"`
	Conflicts  []sync.Conflict  `json:"conflicts"`
}

// TicketQuery filters GET /api/tickets.
type TicketQuery struct {
	State  string `query:"state"`  // one state, or several separated by commas
	Holder string `query:"holder"` // a technician's user id
	Job    string `query:"job"`    // the visits of a job
}

// JobVisits answers GET /api/jobs/{id}/visits.
type JobVisits struct {
	Items []sync.TicketSummary `json:"items"`
}

// ConflictList is the answer of GET /api/conflicts.
type ConflictList struct {
	Items []sync.Conflict `json:"items"`
}

// ResolveConflictRequest decides a conflict.
type ResolveConflictRequest struct {
	Choice string `json:"choice"` // kept: leave the value in force; restored: put the other value back
}

// ticketAction is a desk route that runs one ticket mutation with the
// path's id added to the body's arguments.
func (s *Server) ticketAction(path, summary string, perm domain.Permission, mutation string, args any) Route {
	return Route{Method: "POST", Path: "/api/tickets/:id/" + path, Access: Need(perm), Tag: "tickets", Summary: summary,
		Body: args, Resp: domain.Ticket{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
			body := map[string]any{}
			if len(strings.TrimSpace(string(c.Body()))) > 0 {
				if err := json.Unmarshal(c.Body(), &body); err != nil {
					return domain.ErrMalformed.Wrap(err)
				}
			}
			body["id"] = pathID(c)
			raw, err := json.Marshal(body)
			if err != nil {
				return err
			}
			res, err := s.applyRaw(c, sess, mutation, raw)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
			return c.Send(res)
		}}
}

func (s *Server) ticketRoutes() []Route {
	d := domain.PermTicketDispatch
	cb := domain.PermCallback
	return []Route{
		{Method: "GET", Path: "/api/tickets", Access: Need(d), Tag: "tickets", Summary: "List tickets by state or holder",
			Query: TicketQuery{}, Resp: TicketList{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				return read(c, func(ctx context.Context) (TicketList, error) { return s.listTickets(ctx, c) })
			}},
		{Method: "POST", Path: "/api/tickets", Access: Need(d), Tag: "tickets", Summary: "Open a 联络单",
			Body: sync.OpenTicketArgs{}, Resp: domain.Ticket{}, Status: 201, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req sync.OpenTicketArgs
				if err := decode(c, &req); err != nil {
					return err
				}
				return s.apply(c, sess, "ticket.open", req, 201)
			}},
		{Method: "GET", Path: "/api/tickets/:id", Access: Need(d), Tag: "tickets", Summary: "A ticket with its reports and conflicts",
			Resp: TicketDetail{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (TicketDetail, error) { return s.ticketDetail(ctx, id) })
			}},
		{Method: "GET", Path: "/api/jobs/:id/visits", Access: Need(d), Tag: "tickets", Summary: "The visits of a multi-visit job, oldest first",
			Resp: JobVisits{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (JobVisits, error) {
					items, err := s.eng.ByJob(ctx, id)
					if items == nil {
						items = []sync.TicketSummary{}
					}
					return JobVisits{Items: items}, err
				})
			}},
		s.ticketAction("assign", "Assign a lead technician and helpers (reassign with a reason)", d, "ticket.assign", sync.AssignArgs{}),
		s.ticketAction("escalate", "Escalate to the engineering manager", d, "ticket.escalate", sync.NoteArgs{}),
		s.ticketAction("plan", "Set the planned date", d, "ticket.plan", sync.PlanArgs{}),
		s.ticketAction("update", "Change the desk's fields", d, "ticket.update", sync.UpdateTicketArgs{}),
		s.ticketAction("appointment", "Correct the agreed appointment", d, "ticket.setAppointment", sync.AppointmentArgs{}),
		s.ticketAction("cancel", "Cancel with a reason", d, "ticket.cancel", sync.NoteArgs{}),
		s.ticketAction("filed", "Confirm the paper form was filed", cb, "ticket.confirmFiled", sync.NoteArgs{}),
		s.ticketAction("callback", "Record the same-day callback", cb, "ticket.callback", sync.CallbackArgs{}),
		s.ticketAction("archive", "File the ticket in the service archive", cb, "ticket.archive", sync.NoteArgs{}),
		{Method: "GET", Path: "/api/conflicts", Access: Need(d), Tag: "tickets", Summary: "Open conflict records from sync",
			Resp: ConflictList{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				return read(c, func(ctx context.Context) (ConflictList, error) {
					cs, err := s.eng.Conflicts(ctx, "open")
					if cs == nil {
						cs = []sync.Conflict{}
					}
					return ConflictList{Items: cs}, err
				})
			}},
		{Method: "POST", Path: "/api/conflicts/:id/resolve", Access: Need(d), Tag: "tickets", Summary: "Decide a conflict: keep the value in force, or restore the other",
			Body: ResolveConflictRequest{}, Resp: sync.Conflict{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
				var req ResolveConflictRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				return s.apply(c, sess, "conflict.resolve", sync.ResolveArgs{ID: pathID(c), Choice: req.Choice}, 200)
			}},
		{Method: "GET", Path: "/api/blobs/:hash", Access: Need(d), Tag: "tickets", Summary: "A photo or signature of a ticket",
			RawResp: "image/*", Handle: func(c *fiber.Ctx, _ *Session) error { return s.sendBlob(c, strings.ToLower(c.Params("hash"))) }},
	}
}

func (s *Server) listTickets(ctx context.Context, c *fiber.Ctx) (TicketList, error) {
	var states []domain.TicketState
	for _, st := range strings.Split(c.Query("state"), ",") {
		if st = strings.TrimSpace(st); st != "" {
			if !domain.TicketState(st).Valid() {
				return TicketList{}, domain.Problems{"state": "invalid_choice"}.Err()
			}
			states = append(states, domain.TicketState(st))
		}
	}
	var items []domain.Ticket
	var err error
	switch {
	case c.Query("holder") != "":
		items, err = s.eng.Tickets().HeldBy(ctx, c.Query("holder"))
	case len(states) > 0:
		items, err = s.eng.Tickets().ByState(ctx, states...)
	default:
		items, err = s.eng.Tickets().ByState(ctx, domain.TicketStates()...)
	}
	if items == nil {
		items = []domain.Ticket{}
	}
	return TicketList{Items: items, Total: len(items)}, err
}

func (s *Server) ticketDetail(ctx context.Context, id string) (TicketDetail, error) {
	t, err := s.eng.Tickets().Get(ctx, id)
	if err != nil {
		return TicketDetail{}, err
	}
	d := TicketDetail{Ticket: t, Checklists: []sync.Checklist{}, Conflicts: []sync.Conflict{}}
	for _, cid := range t.Checklists {
		cl, err := s.eng.Checklist(ctx, cid)
		if err != nil {
			return d, err
		}
		d.Checklists = append(d.Checklists, cl)
	}
	cs, err := s.eng.Conflicts(ctx, "")
	for _, k := range cs {
		if k.TicketID == id {
			d.Conflicts = append(d.Conflicts, k)
		}
	}
	return d, err
}
