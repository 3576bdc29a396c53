package sync

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"elvcare/domain"
	"elvcare/sync/store"
)

// collSummaries is a projection of tickets kept small for boards and
// queues: decoding five thousand summaries is cheap, five thousand tickets
// with their work and photos is not. It is written with every ticket, in
// the same transaction, and not part of the change feed.
const (
	collSummaries     = "ticket_summaries"
	collOpenSummaries = "open_summaries" // only tickets still being worked: the board reads it whole
	collStatsFacts    = "stats_facts"    // id: callback month/ticket id → domain.StatsFact
)

// TicketSummary is a ticket as the dispatch board and queues show it.
type TicketSummary struct {
	ID           string              `json:"id"`
	Number       string              `json:"number"`
	JobID        string              `json:"jobId"`
	State        domain.TicketState  `json:"state"`
	CustomerID   string              `json:"customerId"`
	CustomerName string              `json:"customerName"`
	SiteName     string              `json:"siteName"`
	District     string              `json:"district,omitempty"`
	ContactName  string              `json:"contactName"`
	ContactPhone string              `json:"contactPhone"`
	System       domain.System       `json:"system"`
	Requested    string              `json:"requested"`
	Priority     string              `json:"priority"`
	CustomerType domain.CustomerType `json:"customerType"`
	PlannedDate  domain.Date         `json:"plannedDate,omitzero"`
	Appointment  *time.Time          `json:"appointment,omitempty"`
	Lead         string              `json:"lead,omitempty"`
	LeadName     string              `json:"leadName,omitempty"`
	Helpers      []string            `json:"helpers"`
	Created      time.Time           `json:"created"`
	Updated      time.Time           `json:"updated"`
	ReturnedAt   *time.Time          `json:"returnedAt,omitempty"`
	Result       domain.ResultStatus `json:"result,omitempty"`
	Signed       bool                `json:"signed"`
	Paper        bool                `json:"paper"`
	Score        *int                `json:"score,omitempty"`
	Satisfaction domain.Satisfaction `json:"satisfaction,omitempty"`
	// FormSatisfaction is what the customer ticked on the form.
	FormSatisfaction domain.Satisfaction `json:"formSatisfaction,omitempty"`
	Conflicts        int                 `json:"conflicts"`
	// Rev is the ticket's revision: a dispatcher sends it back as baseRev.
	Rev int `json:"rev"`
	// CallbackAttempts counts calls that did not reach the customer.
	CallbackAttempts int `json:"callbackAttempts"`
}

func summaryOf(t domain.Ticket, table domain.ScoreTable) TicketSummary {
	s := TicketSummary{ID: t.ID, Number: t.Number, JobID: t.JobID, State: t.State, CustomerID: t.CustomerID,
		CustomerName: t.CustomerName, SiteName: t.SiteName, District: t.District, ContactName: t.ContactName,
		ContactPhone: t.ContactPhone, System: t.System, Requested: t.Requested, Priority: t.Priority,
		CustomerType: t.CustomerType, PlannedDate: t.PlannedDate, Lead: t.Lead, LeadName: t.LeadName,
		Helpers: t.Helpers, Created: t.Created, Updated: t.Updated, Signed: t.Signed(), Rev: t.Rev,
		CallbackAttempts: len(t.CallbackAttempts)}
	if t.Acceptance != nil {
		s.FormSatisfaction = t.Acceptance.Satisfaction
	}
	if t.Appointment != nil {
		at := t.Appointment.At
		s.Appointment = &at
	}
	if t.Result != nil {
		s.Result = t.Result.Status
	}
	if t.Signature != nil {
		s.Paper = t.Signature.Paper
	}
	for i := len(t.History) - 1; i >= 0; i-- {
		if t.History[i].State == domain.TicketReturned {
			at := t.History[i].At
			s.ReturnedAt = &at
			break
		}
	}
	if t.Callback != nil {
		level, _, _ := t.ScoredSatisfaction()
		if score, err := table.Score(level); err == nil {
			s.Score = &score
		}
		s.Satisfaction = level
	}
	return s
}

func putSummary(c *Ctx, t domain.Ticket) error {
	// The score table is read only when there is a score to show: most
	// saves are field work on the push path.
	table := domain.ScoreTable{}
	if t.Callback != nil {
		var err error
		if table, err = scoreTable(c.tx); err != nil {
			return err
		}
	}
	data, err := encodeSummary(summaryOf(t, table))
	if err != nil {
		return err
	}
	return writeProjections(c.tx, t, data, c.e.zone)
}

// encodeSummary writes s as encoding/json does (TestEncodeSummaryAgrees):
// every ticket save writes its summary. A field added to TicketSummary must
// be added here.
func encodeSummary(s TicketSummary) ([]byte, error) {
	w := objWriter{b: make([]byte, 0, 768)}
	w.open()
	w.str("id", s.ID)
	w.str("number", s.Number)
	w.str("jobId", s.JobID)
	w.str("state", string(s.State))
	w.str("customerId", s.CustomerID)
	w.str("customerName", s.CustomerName)
	w.str("siteName", s.SiteName)
	w.strOmit("district", s.District)
	w.str("contactName", s.ContactName)
	w.str("contactPhone", s.ContactPhone)
	w.str("system", string(s.System))
	w.str("requested", s.Requested)
	w.str("priority", s.Priority)
	w.str("customerType", string(s.CustomerType))
	if !s.PlannedDate.IsZero() {
		w.str("plannedDate", s.PlannedDate.String())
	}
	w.timePtr("appointment", s.Appointment)
	w.strOmit("lead", s.Lead)
	w.strOmit("leadName", s.LeadName)
	w.member("helpers")
	w.b = appendStrings(w.b, s.Helpers)
	w.time("created", s.Created)
	w.time("updated", s.Updated)
	w.timePtr("returnedAt", s.ReturnedAt)
	w.strOmit("result", string(s.Result))
	w.boolean("signed", s.Signed)
	w.boolean("paper", s.Paper)
	if s.Score != nil {
		w.integer("score", *s.Score)
	}
	w.strOmit("satisfaction", string(s.Satisfaction))
	w.strOmit("formSatisfaction", string(s.FormSatisfaction))
	w.integer("conflicts", s.Conflicts)
	w.integer("rev", s.Rev)
	w.integer("callbackAttempts", s.CallbackAttempts)
	return w.close()
}

// writeProjections keeps the summary, the open-ticket list and the
// statistics facts of t in step with it. summary is handed over: the store
// keeps it uncopied.
func writeProjections(tx store.Tx, t domain.Ticket, summary []byte, zone *time.Location) error {
	idx := []store.Index{{Name: "state", Value: string(t.State)}, {Name: IdxCustomer, Value: t.CustomerID}}
	for _, eq := range t.EquipmentIDs {
		idx = append(idx, store.Index{Name: IdxEquip, Value: eq})
	}
	if err := tx.PutOwned(collSummaries, t.ID, summary, idx...); err != nil {
		return err
	}
	var err error
	if slices.Contains(OpenStates, t.State) {
		err = tx.PutOwned(collOpenSummaries, t.ID, summary)
	} else {
		err = tx.Delete(collOpenSummaries, t.ID)
	}
	if err != nil {
		return err
	}
	if f, ok := t.StatsFact(); ok {
		// A callback is recorded once; its month does not move.
		data, _ := json.Marshal(f)
		return tx.PutOwned(collStatsFacts, domain.MonthOf(f.CallbackAt, zone).String()+"/"+t.ID, data)
	}
	return nil
}

// OpenStates are the states of tickets still being worked.
var OpenStates = []domain.TicketState{domain.TicketNew, domain.TicketEscalated, domain.TicketAssigned,
	domain.TicketAccepted, domain.TicketAppointed, domain.TicketEnRoute, domain.TicketOnSite, domain.TicketResulted,
	domain.TicketSigned, domain.TicketReturned, domain.TicketReopened}

func summaries(tx store.ReadTx, index string, values ...string) ([]TicketSummary, error) {
	var out []TicketSummary
	for _, v := range values {
		ids, err := tx.Lookup(collSummaries, index, v)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			data, err := tx.Get(collSummaries, id)
			if err != nil {
				return nil, err
			}
			var s TicketSummary
			if err := json.Unmarshal(data, &s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// Board is the dispatch board (R-TKT-2): new requests, the escalation
// queue, each technician's assigned work and load, work in progress, and
// returned forms awaiting their callback.
type Board struct {
	Today       domain.Date      `json:"today"`
	New         []TicketSummary  `json:"new"`
	Escalated   []TicketSummary  `json:"escalated"`
	Assigned    []TicketSummary  `json:"assigned"`   // assigned, accepted, appointed
	InProgress  []TicketSummary  `json:"inProgress"` // en route, on site, resulted, signed
	Returned    []TicketSummary  `json:"returned"`   // awaiting the callback
	Reopened    []TicketSummary  `json:"reopened"`
	Technicians []TechnicianLoad `json:"technicians"`
	Conflicts   int              `json:"conflicts"`
	Version     uint64           `json:"version"` // the change-feed version the board reflects
}

// TechnicianLoad is a technician as the dispatcher sees them.
type TechnicianLoad struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Specialist bool     `json:"specialist"`
	Skills     []string `json:"skills"`
	Today      int      `json:"today"` // open tickets planned today
	Open       int      `json:"open"`
}

// Board reads the dispatch board.
func (e *Engine) Board(ctx context.Context) (Board, error) {
	b := Board{Today: e.Today(), Version: e.st.LastVersion(), New: []TicketSummary{}, Escalated: []TicketSummary{},
		Assigned: []TicketSummary{}, InProgress: []TicketSummary{}, Returned: []TicketSummary{}, Reopened: []TicketSummary{},
		Technicians: []TechnicianLoad{}}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		all, err := openSummaries(tx)
		if err != nil {
			return err
		}
		load := map[string]*TechnicianLoad{}
		if err := tx.Scan(CollUsers, "", 0, func(_ string, data []byte) error {
			var u domain.User
			if err := json.Unmarshal(data, &u); err != nil {
				return err
			}
			if u.HasRole(domain.RoleTechnician) && !u.Disabled {
				load[u.ID] = &TechnicianLoad{ID: u.ID, Name: u.Name, Specialist: u.Specialist, Skills: append([]string{}, u.Skills...)}
			}
			return nil
		}); err != nil {
			return err
		}
		for _, s := range all {
			switch s.State {
			case domain.TicketNew:
				b.New = append(b.New, s)
			case domain.TicketEscalated:
				b.Escalated = append(b.Escalated, s)
			case domain.TicketAssigned, domain.TicketAccepted, domain.TicketAppointed:
				b.Assigned = append(b.Assigned, s)
			case domain.TicketEnRoute, domain.TicketOnSite, domain.TicketResulted, domain.TicketSigned:
				b.InProgress = append(b.InProgress, s)
			case domain.TicketReturned:
				b.Returned = append(b.Returned, s)
			case domain.TicketReopened:
				b.Reopened = append(b.Reopened, s)
			}
			if s.State != domain.TicketReturned && s.State != domain.TicketReopened {
				for _, u := range append([]string{s.Lead}, s.Helpers...) {
					if l := load[u]; l != nil {
						l.Open++
						if s.PlannedDate == b.Today {
							l.Today++
						}
					}
				}
			}
		}
		for _, l := range load {
			b.Technicians = append(b.Technicians, *l)
		}
		slices.SortFunc(b.Technicians, func(x, y TechnicianLoad) int { return strings.Compare(x.Name, y.Name) })
		ids, err := tx.Lookup(CollConflicts, "status", "open")
		b.Conflicts = len(ids)
		return err
	})
	byPlan := func(x, y TicketSummary) int {
		if c := x.PlannedDate.Compare(y.PlannedDate); c != 0 {
			return c
		}
		return strings.Compare(x.Number, y.Number)
	}
	for _, l := range [][]TicketSummary{b.New, b.Escalated, b.Assigned, b.InProgress, b.Reopened} {
		slices.SortFunc(l, byPlan)
	}
	slices.SortFunc(b.Returned, func(x, y TicketSummary) int { return x.Updated.Compare(y.Updated) })
	return b, err
}

// CallbackQueue lists the forms awaiting their same-day callback (R-TKT-8):
// those returned today, and overdue ones from before, oldest first.
func (e *Engine) CallbackQueue(ctx context.Context) ([]TicketSummary, error) {
	var out []TicketSummary
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		out, err = summaries(tx, "state", string(domain.TicketReturned))
		return err
	})
	slices.SortFunc(out, func(x, y TicketSummary) int {
		if x.ReturnedAt == nil || y.ReturnedAt == nil {
			return strings.Compare(x.Number, y.Number)
		}
		return x.ReturnedAt.Compare(*y.ReturnedAt)
	})
	return out, err
}

// ServiceArchive lists every ticket of a customer or of a piece of
// equipment (R-ARC-4), newest first.
func (e *Engine) ServiceArchive(ctx context.Context, by, id string) ([]TicketSummary, error) {
	index := IdxCustomer
	if by == "equipment" {
		index = IdxEquip
	}
	var out []TicketSummary
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		out, err = summaries(tx, index, id)
		return err
	})
	slices.SortFunc(out, func(x, y TicketSummary) int { return y.Created.Compare(x.Created) })
	return out, err
}

func openSummaries(tx store.ReadTx) ([]TicketSummary, error) {
	var out []TicketSummary
	err := tx.Scan(collOpenSummaries, "", 0, func(_ string, data []byte) error {
		var s TicketSummary
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// ByJob lists the visits of a job (R-TKT-9), oldest first.
func (e *Engine) ByJob(ctx context.Context, job string) ([]TicketSummary, error) {
	var out []TicketSummary
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		ids, err := tx.Lookup(CollTickets, "job", job)
		if err != nil {
			return err
		}
		for _, id := range ids {
			data, err := tx.Get(collSummaries, id)
			if err != nil {
				return err
			}
			var s TicketSummary
			if err := json.Unmarshal(data, &s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	slices.SortFunc(out, func(x, y TicketSummary) int { return x.Created.Compare(y.Created) })
	return out, err
}
