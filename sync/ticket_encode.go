package sync

import (
	"slices"
	"strconv"
	"time"

	"elvcare/domain"
)

// encodeTicket writes t as encoding/json does, byte for byte
// (TestEncodeTicketAgreesWithEncoder fills every field and compares), and
// hands back the top-level split with it. Every field edit on the push
// path saves its ticket, and encoding/json's reflection plus a second pass
// to split the result for the audit diff were a third of what a save cost.
// A field added to domain.Ticket or to a type it holds must be added here.
func encodeTicket(t *domain.Ticket) ([]byte, []rawField, error) {
	w := objWriter{b: make([]byte, 0, 4096), marks: make([]int, 0, 2*48)}
	w.open()
	w.str("id", t.ID)
	w.str("number", t.Number)
	w.strOmit("provisional", t.Provisional)
	w.str("jobId", t.JobID)
	w.str("customerId", t.CustomerID)
	w.str("customerName", t.CustomerName)
	w.str("siteId", t.SiteID)
	w.str("siteName", t.SiteName)
	w.str("address", t.Address)
	w.strOmit("district", t.District)
	w.strOmit("contactId", t.ContactID)
	w.str("contactName", t.ContactName)
	w.str("contactPhone", t.ContactPhone)
	w.str("system", string(t.System))
	w.member("equipmentIds")
	w.b = appendStrings(w.b, t.EquipmentIDs)
	w.str("requested", t.Requested)
	w.strOmit("condition", t.Condition)
	w.str("priority", t.Priority)
	w.str("customerType", string(t.CustomerType))
	w.boolean("liaison", t.Liaison)
	w.str("coverage", t.Coverage)
	w.strOmit("templateId", t.TemplateID)
	w.strOmit("contractId", t.ContractID)
	w.str("state", string(t.State))
	if !t.PlannedDate.IsZero() {
		w.str("plannedDate", t.PlannedDate.String())
	}
	w.strOmit("lead", t.Lead)
	w.strOmit("leadName", t.LeadName)
	w.member("helpers")
	w.b = appendStrings(w.b, t.Helpers)
	w.member("assigned")
	w.b = appendStrings(w.b, t.Assigned)
	if a := t.Appointment; a != nil {
		w.member("appointment")
		o := w.object()
		o.time("at", a.At)
		o.str("method", a.Method)
		o.strOmit("note", a.Note)
		w.end(o)
	}
	w.member("calls")
	w.b = appendList(w.b, t.Calls, appendCall, &w.err)
	w.timePtr("departedAt", t.DepartedAt)
	w.timePtr("arrivedAt", t.ArrivedAt)
	w.member("work")
	w.b = appendList(w.b, t.Work, appendWork, &w.err)
	w.member("parts")
	w.b = appendList(w.b, t.Parts, appendPart, &w.err)
	w.member("swaps")
	w.b = appendList(w.b, t.Swaps, appendSwap, &w.err)
	w.member("photos")
	w.b = appendList(w.b, t.Photos, appendPhoto, &w.err)
	w.member("checklists")
	w.b = appendStrings(w.b, t.Checklists)
	if r := t.Result; r != nil {
		w.member("result")
		o := w.object()
		o.str("status", string(r.Status))
		o.strOmit("reason", string(r.Reason))
		o.strOmit("remark", r.Remark)
		w.end(o)
	}
	w.timePtr("resultAt", t.ResultAt)
	if a := t.Acceptance; a != nil {
		w.member("acceptance")
		o := w.object()
		o.boolean("equipmentOk", a.EquipmentOK)
		o.strOmit("accessories", string(a.Accessories))
		o.strOmit("satisfaction", string(a.Satisfaction))
		if len(a.Reasons) > 0 {
			o.member("reasons")
			o.b = appendStrings(o.b, a.Reasons)
		}
		o.strOmit("comments", a.Comments)
		w.end(o)
	}
	if s := t.Signature; s != nil {
		w.member("signature")
		o := w.object()
		o.str("imageHash", s.ImageHash)
		o.str("contentHash", s.ContentHash)
		o.strOmit("signerName", s.SignerName)
		o.time("signedAt", s.SignedAt)
		o.boolOmit("paper", s.Paper)
		o.boolOmit("filed", s.Filed)
		w.end(o)
	}
	if cb := t.Callback; cb != nil {
		w.member("callback")
		o := w.object()
		o.boolean("reached", cb.Reached)
		o.boolean("solved", cb.Solved)
		o.strOmit("satisfaction", string(cb.Satisfaction))
		if len(cb.Reasons) > 0 {
			o.member("reasons")
			o.b = appendStrings(o.b, cb.Reasons)
		}
		o.strOmit("comments", cb.Comments)
		o.time("at", cb.At)
		o.str("by", cb.By)
		w.end(o)
	}
	if len(t.CallbackAttempts) > 0 {
		w.member("callbackAttempts")
		w.b = appendList(w.b, t.CallbackAttempts, appendJSONTime, &w.err)
	}
	w.strOmit("cancelReason", t.CancelReason)
	w.member("history")
	w.b = appendList(w.b, t.History, appendStateEntry, &w.err)
	w.integer("rev", t.Rev)
	w.member("fieldRev")
	w.b = appendIntMap(w.b, t.FieldRev)
	w.time("created", t.Created)
	w.time("updated", t.Updated)
	return w.done()
}

func appendCall(b []byte, c domain.Call) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("id", c.ID)
	o.time("at", c.At)
	o.str("method", c.Method)
	o.strOmit("note", c.Note)
	o.str("by", c.By)
	return o.close()
}

func appendWork(b []byte, r domain.WorkRecord) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("id", r.ID)
	o.str("text", r.Text)
	o.time("at", r.At)
	o.str("by", r.By)
	return o.close()
}

func appendPart(b []byte, p domain.PartUsed) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("id", p.ID)
	o.str("name", p.Name)
	o.strOmit("model", p.Model)
	o.integer("qty", p.Qty)
	o.strOmit("note", p.Note)
	o.str("by", p.By)
	return o.close()
}

func appendSwap(b []byte, s domain.DeviceSwap) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("id", s.ID)
	o.str("equipmentId", s.EquipmentID)
	o.str("oldSerial", s.OldSerial)
	o.str("newSerial", s.NewSerial)
	o.strOmit("newModel", s.NewModel)
	o.str("by", s.By)
	return o.close()
}

func appendPhoto(b []byte, p domain.Photo) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("id", p.ID)
	o.str("hash", p.Hash)
	o.strOmit("caption", p.Caption)
	o.time("at", p.At)
	o.str("by", p.By)
	o.boolOmit("paper", p.Paper)
	return o.close()
}

func appendStateEntry(b []byte, e domain.StateEntry) ([]byte, error) {
	o := objWriter{b: b}
	o.open()
	o.str("state", string(e.State))
	o.time("at", e.At)
	o.time("eventAt", e.EventAt)
	o.timePtr("deviceTime", e.DeviceTime)
	o.str("by", e.By)
	o.strOmit("device", e.Device)
	o.strOmit("note", e.Note)
	return o.close()
}

// appendList writes a list as encoding/json does: nil is null.
func appendList[T any](b []byte, xs []T, each func([]byte, T) ([]byte, error), errp *error) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = each(b, x); err != nil && *errp == nil {
			*errp = err
		}
	}
	return append(b, ']')
}

func appendStrings[S ~string](b []byte, xs []S) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(x))
	}
	return append(b, ']')
}

// appendIntMap writes a map with its keys in order, as encoding/json does.
func appendIntMap(b []byte, m map[string]int) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var small [8]string // a report item's counters, a ticket's fields
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, k), ':')
		b = strconv.AppendInt(b, int64(m[k]), 10)
	}
	return append(b, '}')
}

// objWriter writes a JSON object member by member. At the top level it
// marks where each member's name and value start, to hand back the split.
type objWriter struct {
	b     []byte
	marks []int // name start, value start of each member (top level only)
	n     int   // members written
	err   error
}

func (w *objWriter) open() { w.b = append(w.b, '{') }

func (w *objWriter) member(name string) {
	if w.n > 0 {
		w.b = append(w.b, ',')
	}
	w.n++
	start := len(w.b)
	w.b = append(append(append(w.b, '"'), name...), '"', ':')
	if w.marks != nil {
		w.marks = append(w.marks, start, len(w.b))
	}
}

func (w *objWriter) str(name, s string) {
	w.member(name)
	w.b = appendJSONString(w.b, s)
}

func (w *objWriter) strOmit(name, s string) {
	if s != "" {
		w.str(name, s)
	}
}

func (w *objWriter) boolean(name string, v bool) {
	w.member(name)
	w.b = strconv.AppendBool(w.b, v)
}

func (w *objWriter) integer(name string, v int) {
	w.member(name)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *objWriter) boolOmit(name string, v bool) {
	if v {
		w.member(name)
		w.b = append(w.b, "true"...)
	}
}

func (w *objWriter) time(name string, t time.Time) {
	w.member(name)
	var err error
	if w.b, err = appendJSONTime(w.b, t); err != nil && w.err == nil {
		w.err = err
	}
}

func (w *objWriter) timePtr(name string, t *time.Time) {
	if t != nil {
		w.time(name, *t)
	}
}

// object starts a nested object as the value of the member just named;
// end takes its bytes back.
func (w *objWriter) object() objWriter {
	o := objWriter{b: w.b}
	o.open()
	return o
}

func (w *objWriter) end(o objWriter) {
	w.b = append(o.b, '}')
	if o.err != nil && w.err == nil {
		w.err = o.err
	}
}

func (w *objWriter) close() ([]byte, error) { return append(w.b, '}'), w.err }

// done closes a top-level object and returns it with its members.
func (w *objWriter) done() ([]byte, []rawField, error) {
	w.b = append(w.b, '}')
	if w.err != nil {
		return nil, nil, w.err
	}
	fs := make([]rawField, len(w.marks)/2)
	for i := range fs {
		name, val := w.marks[2*i], w.marks[2*i+1]
		end := len(w.b) - 1 // the closing brace
		if 2*i+2 < len(w.marks) {
			end = w.marks[2*i+2] - 1 // the comma before the next name
		}
		fs[i] = rawField{name: w.b[name : val-1], value: w.b[val:end]}
	}
	return w.b, fs, nil
}
