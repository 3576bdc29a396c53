package sync

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"elvcare/domain"
)

// A report edited through storedChecklist is stored with its template once,
// as it was, and reads back the same as one encoded whole.
func TestStoredChecklistEncode(t *testing.T) {
	cl := Checklist{ID: "01a2", TicketID: "01a1", Number: "WB-2026-00001", TemplateID: "builtin.alarm.pm",
		Template: domain.IntrusionAlarmTemplate(), Answers: map[string]domain.ChecklistAnswer{"panel.dust": {ItemKey: "panel.dust", Choice: "cleaned"}},
		Summary: "正常", By: "u1", Started: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Updated: time.Date(2026, 11, 25, 9, 5, 0, 0, time.UTC)}
	whole, _ := json.Marshal(cl)
	var s storedChecklist
	if err := json.Unmarshal(whole, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Template) == 0 || !reflect.DeepEqual(s.Checklist.Template, domain.ChecklistTemplate{}) {
		t.Fatalf("the stored template was decoded: raw %d bytes, decoded %q", len(s.Template), s.Checklist.Template.Title)
	}
	tpl, err := s.template()
	if err != nil || !reflect.DeepEqual(tpl, cl.Template) {
		t.Fatalf("template() = %q, %v", tpl.Title, err)
	}
	s.Answers["panel.battery"] = domain.ChecklistAnswer{ItemKey: "panel.battery", Choice: "normal"}
	out, _, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, []byte(`"template":`)); n != 1 {
		t.Fatalf("%d template fields in %s", n, out)
	}
	var back Checklist
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	cl.Answers["panel.battery"] = s.Answers["panel.battery"]
	if !reflect.DeepEqual(back, cl) {
		t.Errorf("read back %+v\nwant %+v", back, cl)
	}
	if !json.Valid(out) {
		t.Errorf("not JSON: %s", out)
	}
}

// TestStoredChecklistEncodeAgrees: the hand-written report encoding is
// what encoding/json writes for the report with its template spliced in,
// for reports with every field filled, empty or awkward, and its split is
// topFields' split of those bytes.
func TestStoredChecklistEncodeAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	tpl := json.RawMessage(`{"id":"builtin.alarm.pm","sections":[]}`)
	for i := range 2000 {
		var cl Checklist
		fillRandom(reflect.ValueOf(&cl).Elem(), r)
		s := storedChecklist{Checklist: cl, Template: tpl}
		head, werr := json.Marshal(struct {
			Checklist
			Template *struct{} `json:"template,omitempty"`
		}{Checklist: cl})
		got, fs, err := s.encode()
		if (err != nil) != (werr != nil) {
			t.Fatalf("report %d: encode error %v, encoding/json %v", i, err, werr)
		}
		if werr != nil {
			continue
		}
		want := append(append(head[:len(head)-1:len(head)-1], `,"template":`...), append(tpl, '}')...)
		if !bytes.Equal(got, want) {
			t.Fatalf("report %d:\n got %s\nwant %s", i, got, want)
		}
		split, ok := topFields(want)
		if !ok || !reflect.DeepEqual(fs, split) {
			t.Fatalf("report %d: split %q, want %q", i, fs, split)
		}
	}
	if _, _, err := (&storedChecklist{}).encode(); err == nil {
		t.Error("a report without its template was encoded")
	}
}
