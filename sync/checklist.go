package sync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"elvcare/domain"
	"elvcare/sync/store"
)

// Checklist is a preventive-maintenance report (R-FORM-2): the answers to
// a template's items for one ticket. Answers are keyed by item, so answers
// recorded on two devices both survive. Its number (定期维护单编号) is
// issued by the server when it first syncs.
type Checklist struct {
	ID         string                            `json:"id"`
	TicketID   string                            `json:"ticketId"`
	Number     string                            `json:"number"`
	TemplateID string                            `json:"templateId"`
	Template   domain.ChecklistTemplate          `json:"template"` // as it was when started
	Answers    map[string]domain.ChecklistAnswer `json:"answers"`
	Summary    string                            `json:"summary"` // 维护总结
	By         string                            `json:"by"`
	Started    time.Time                         `json:"started"`
	Updated    time.Time                         `json:"updated"`
}

// ChecklistStartArgs start a report on a ticket.
type ChecklistStartArgs struct {
	ID         string `json:"id"` // made by the device
	TicketID   string `json:"ticketId"`
	TemplateID string `json:"templateId"`
}

// ChecklistItemArgs answer one item.
type ChecklistItemArgs struct {
	ID     string                 `json:"id"`
	Answer domain.ChecklistAnswer `json:"answer"`
}

// ChecklistSummaryArgs set the 维护总结.
type ChecklistSummaryArgs struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

// templateScopes: technicians carry every template offline.
var templateScopes = []string{"role:technician", "role:desk", "role:manager", "role:admin"}

// InstallBuiltinTemplates is the migration that stores the built-in
// checklist templates.
func InstallBuiltinTemplates(tx store.Tx) error {
	t := domain.IntrusionAlarmTemplate()
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := tx.Put(CollTemplates, t.ID, data); err != nil {
		return err
	}
	v, err := tx.Emit(store.Change{Collection: CollTemplates, ID: t.ID, Op: "put", Data: data, Scopes: templateScopes})
	if err != nil {
		return err
	}
	return project(tx, CollTemplates, t.ID, "put", templateScopes, v)
}

func startChecklist(c *Ctx, a ChecklistStartArgs) (any, error) {
	if !IsUUIDv7(a.ID) {
		return nil, domain.Problems{"id": "invalid_id"}.Err()
	}
	var existing Checklist
	if err := c.Get(CollChecklists, a.ID, &existing); err == nil {
		return existing, nil
	}
	t, stale, err := fieldTicket(c, a.TicketID)
	if err != nil {
		return nil, err
	}
	// The report keeps the template as stored: its bytes, not decoded and
	// encoded again (see storedChecklist).
	tpl, err := getRaw(c.tx, CollTemplates, a.TemplateID)
	if err != nil {
		return nil, domain.Problems{"templateId": "not_found"}.Err()
	}
	if t.Signed() {
		return nil, fieldConflict(c, t, "signed", a)
	}
	if stale {
		if err := fieldConflict(c, t, "reassigned", a); err != nil {
			return nil, err
		}
	}
	year := c.Now.In(c.e.zone).Year()
	num, err := nextCounter(c, fmt.Sprintf("pm-%d", year))
	if err != nil {
		return nil, err
	}
	cl := storedChecklist{Checklist: Checklist{ID: a.ID, TicketID: t.ID, Number: fmt.Sprintf("WB-%d-%05d", year, num), TemplateID: a.TemplateID,
		Answers: map[string]domain.ChecklistAnswer{}, By: c.Actor.UserID, Started: c.When(), Updated: c.Now}, Template: tpl}
	data, fields, err := cl.encode()
	if err != nil {
		return nil, err
	}
	if err := saveChecklist(c, cl.ID, cl.TicketID, encodedFrom{data: data, obj: &cl, fields: fields}); err != nil {
		return nil, err
	}
	t.Checklists = append(t.Checklists, cl.ID)
	for _, u := range t.Crew() {
		if err := c.Grant("user:"+u, CollChecklists, cl.ID, "ticket:"+t.ID); err != nil {
			return nil, err
		}
	}
	if err := saveTicket(c, &t); err != nil {
		return nil, err
	}
	return json.RawMessage(data), nil
}

func saveChecklist(c *Ctx, id, ticketID string, cl any) error {
	return c.Put(CollChecklists, id, cl, PutOpts{Scopes: ticketRoleScopes, Index: []store.Index{{Name: "ticket", Value: ticketID}}})
}

// storedChecklist is a report as edits load and save it: the template it
// was started with never changes, so it stays the stored bytes (this field
// hides Checklist's own), neither decoded nor encoded again on each answer.
type storedChecklist struct {
	Checklist
	Template json.RawMessage `json:"template"`
}

// encode writes the report with its stored template spliced in as is, as
// encoding/json would write it (TestStoredChecklistEncodeAgrees), with its
// top-level split: each answer saves the report, and encoding it through
// reflection and splitting it again for the audit was most of an answer's
// cost. A field added to Checklist or domain.ChecklistAnswer must be added
// here.
func (s *storedChecklist) encode() (encoded, []rawField, error) {
	if len(s.Template) == 0 {
		return nil, nil, fmt.Errorf("encode checklist %s: no template", s.ID)
	}
	w := objWriter{b: make([]byte, 0, 2048+len(s.Template)), marks: make([]int, 0, 2*10)}
	w.open()
	w.str("id", s.ID)
	w.str("ticketId", s.TicketID)
	w.str("number", s.Number)
	w.str("templateId", s.TemplateID)
	w.member("answers")
	w.b = appendAnswers(w.b, s.Answers)
	w.str("summary", s.Summary)
	w.str("by", s.By)
	w.time("started", s.Started)
	w.time("updated", s.Updated)
	w.member("template")
	w.b = append(w.b, s.Template...)
	return w.done()
}

func appendAnswers(b []byte, m map[string]domain.ChecklistAnswer) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		a := m[k]
		b = append(appendJSONString(b, k), ':')
		o := objWriter{b: b}
		o.open()
		o.str("itemKey", a.ItemKey)
		o.strOmit("choice", a.Choice)
		if len(a.Counts) > 0 {
			o.member("counts")
			o.b = appendIntMap(o.b, a.Counts)
		}
		o.strOmit("text", a.Text)
		o.strOmit("note", a.Note)
		b, _ = o.close()
	}
	return append(b, '}')
}

// template decodes the report's template, once per distinct template.
func (s *storedChecklist) template() (domain.ChecklistTemplate, error) {
	return frozenTemplates.get(s.Template)
}

// templateCache holds decoded templates by their stored bytes. Reports
// share a handful of templates, and a template's bytes never change under
// a report, so decoding one per answer would be waste.
type templateCache struct {
	mu sync.Mutex
	m  map[string]domain.ChecklistTemplate
}

var frozenTemplates = &templateCache{m: map[string]domain.ChecklistTemplate{}}

// templateCacheSize bounds the cache; templates are few, edited rarely.
const templateCacheSize = 64

func (tc *templateCache) get(raw []byte) (domain.ChecklistTemplate, error) {
	tc.mu.Lock()
	t, ok := tc.m[string(raw)]
	tc.mu.Unlock()
	if ok {
		return t, nil
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return t, fmt.Errorf("decode checklist template: %w", err)
	}
	tc.mu.Lock()
	if len(tc.m) >= templateCacheSize {
		clear(tc.m)
	}
	tc.m[string(raw)] = t
	tc.mu.Unlock()
	return t, nil
}

// editChecklist loads a report for an edit by its technician; a signed
// form's reports are immutable.
func editChecklist(c *Ctx, id string, lost any, edit func(*storedChecklist) error) (any, error) {
	var cl storedChecklist
	if err := c.Get(CollChecklists, id, &cl); err != nil {
		return nil, err
	}
	t, stale, err := fieldTicketHead(c, cl.TicketID)
	if err != nil {
		return nil, err
	}
	if t.Signed() {
		return cl, fieldConflict(c, t, "signed", lost)
	}
	if stale {
		if err := fieldConflict(c, t, "reassigned", lost); err != nil {
			return nil, err
		}
	}
	if err := edit(&cl); err != nil {
		return nil, err
	}
	cl.Updated = c.Now
	data, fields, err := cl.encode()
	if err != nil {
		return nil, err
	}
	return json.RawMessage(data), saveChecklist(c, cl.ID, cl.TicketID, encodedFrom{data: data, obj: &cl, fields: fields})
}

func setChecklistItem(c *Ctx, a ChecklistItemArgs) (any, error) {
	return editChecklist(c, a.ID, a.Answer, func(cl *storedChecklist) error {
		tpl, err := cl.template()
		if err != nil {
			return err
		}
		if err := tpl.CheckAnswer(a.Answer); err != nil {
			return err
		}
		cl.Answers[a.Answer.ItemKey] = a.Answer
		return nil
	})
}

func setChecklistSummary(c *Ctx, a ChecklistSummaryArgs) (any, error) {
	s := strings.TrimSpace(a.Summary)
	if utf8.RuneCountInString(s) > 2000 {
		return nil, domain.Problems{"summary": "too_long"}.Err()
	}
	return editChecklist(c, a.ID, a.Summary, func(cl *storedChecklist) error {
		cl.Summary = s
		return nil
	})
}

// signedChecklist is the part of a report the customer's signature covers.
type signedChecklist struct {
	ID      string                            `json:"id"`
	Answers map[string]domain.ChecklistAnswer `json:"answers"`
	Summary string                            `json:"summary"`
}

// checklistsHash is the hash of a ticket's checklist answers, part of the
// signed content.
func checklistsHash(c *Ctx, t domain.Ticket) (string, error) {
	if len(t.Checklists) == 0 {
		return "", nil
	}
	ids := slices.Clone(t.Checklists)
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range ids {
		raw, err := getRaw(c.tx, CollChecklists, id)
		if err != nil {
			return "", err
		}
		var cl signedChecklist // the template stays undecoded
		if kept, ok := peek[storedChecklist](c.objs, CollChecklists, id, raw); ok {
			// The report an answer of this batch just wrote: no decoding.
			cl = signedChecklist{ID: kept.ID, Answers: kept.Answers, Summary: kept.Summary}
		} else if err := decodeRecord(raw, CollChecklists, id, &cl); err != nil {
			return "", err
		}
		b, _ := json.Marshal(cl)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func nextCounter(c *Ctx, key string) (int, error) {
	var n struct {
		N int `json:"n"`
	}
	if data, err := c.tx.Get(collCounters, key); err == nil {
		_ = json.Unmarshal(data, &n)
	}
	n.N++
	data, _ := json.Marshal(n)
	return n.N, c.tx.Put(collCounters, key, data)
}

// Checklists reads maintenance reports.
func (e *Engine) Checklist(ctx context.Context, id string) (Checklist, error) {
	var cl Checklist
	err := e.st.View(ctx, func(tx store.ReadTx) error { return GetJSON(tx, CollChecklists, id, &cl) })
	return cl, err
}
