package sync

import (
	"context"
	"encoding/json"
	"fmt"

	"elvcare/domain"
	"elvcare/sync/store"
)

// collPMOpened records the maintenance visits already opened, by
// contract/system/date, so a visit is opened once however often the job runs.
const collPMOpened = "pm_opened"

// GenerateResult says what a maintenance run opened.
type GenerateResult struct {
	Opened []string `json:"opened"` // ticket ids
}

// generateMaintenance opens the periodic maintenance visits now due
// (R-FORM-3): for each annual contract in force, each plan's visit whose
// opening window holds today, one ticket per covered site, with the plan's
// checklist template, planned on the visit's date, for the desk to dispatch.
func generateMaintenance(c *Ctx, _ json.RawMessage) (any, error) {
	today := c.today()
	var res GenerateResult
	var contracts []domain.Contract
	err := c.tx.Scan(CollContracts, "", 0, func(_ string, data []byte) error {
		var ct domain.Contract
		if err := json.Unmarshal(data, &ct); err != nil {
			return err
		}
		if ct.Kind == domain.ContractAnnual && len(ct.Plans) > 0 && ct.Stage != domain.StageS {
			contracts = append(contracts, ct)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ct := range contracts {
		for _, due := range ct.DueVisits(today) {
			for _, cv := range ct.Covers {
				if cv.System != due.System {
					continue
				}
				key := due.Key(ct.ID) + "/" + cv.SiteID
				if _, err := c.tx.Get(collPMOpened, key); err == nil {
					continue
				}
				contacts, err := c.tx.Lookup(CollContacts, IdxCustomer, ct.CustomerID)
				if err != nil || len(contacts) == 0 {
					continue // no one to call: the desk sees the contract's reminder instead
				}
				args, _ := json.Marshal(OpenTicketArgs{CustomerID: ct.CustomerID, SiteID: cv.SiteID, ContactID: contacts[0],
					System: string(due.System), TemplateID: due.TemplateID, PlannedDate: due.Date.String(),
					Requested: fmt.Sprintf("%s定期维护（%s）", due.System.Label(), domain.PlanEveryLabel(due.Every)),
					Condition: fmt.Sprintf("按年合同 %s 的定期维护", ct.Number)})
				out, err := openTicket(c, args)
				if err != nil {
					return nil, fmt.Errorf("maintenance visit of contract %s: %w", ct.Number, err)
				}
				t := out.(domain.Ticket)
				if err := c.tx.Put(collPMOpened, key, []byte(t.ID)); err != nil {
					return nil, err
				}
				res.Opened = append(res.Opened, t.ID)
			}
		}
	}
	if res.Opened == nil {
		res.Opened = []string{}
	}
	return res, nil
}

// GenerateMaintenance runs the maintenance job once, as the system.
func (e *Engine) GenerateMaintenance(ctx context.Context) (GenerateResult, error) {
	var r GenerateResult
	out, err := e.Apply(ctx, System, Mutation{Name: "maintenance.generate", Args: json.RawMessage("{}")})
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(out, &r)
}

// Reminders are what the desk should not forget (R-TKT-9): visits planned
// by tomorrow but not dispatched, open visits with no planned date, and
// jobs whose last visit ended not done or reopened with no next visit.
type Reminders struct {
	Undispatched []TicketSummary `json:"undispatched"`
	Unscheduled  []TicketSummary `json:"unscheduled"`
	NeedNext     []TicketSummary `json:"needNextVisit"`
}

// Reminders reads the desk's reminders.
func (e *Engine) Reminders(ctx context.Context) (Reminders, error) {
	tomorrow := e.Today().AddDays(1)
	r := Reminders{Undispatched: []TicketSummary{}, Unscheduled: []TicketSummary{}, NeedNext: []TicketSummary{}}
	err := e.st.View(ctx, func(tx store.ReadTx) error {
		all, err := openSummaries(tx)
		if err != nil {
			return err
		}
		lastOfJob := map[string]TicketSummary{}
		for _, s := range all {
			if cur, ok := lastOfJob[s.JobID]; !ok || s.Created.After(cur.Created) {
				lastOfJob[s.JobID] = s
			}
		}
		for _, s := range all {
			switch {
			case (s.State == domain.TicketNew || s.State == domain.TicketEscalated) && !s.PlannedDate.IsZero() && !s.PlannedDate.After(tomorrow):
				r.Undispatched = append(r.Undispatched, s)
			case s.PlannedDate.IsZero() && s.State != domain.TicketReturned && s.State != domain.TicketReopened:
				r.Unscheduled = append(r.Unscheduled, s)
			}
			last := lastOfJob[s.JobID]
			if last.ID == s.ID && (s.State == domain.TicketReopened || s.Result == domain.ResultNotDone) {
				r.NeedNext = append(r.NeedNext, s)
			}
		}
		return nil
	})
	return r, err
}
