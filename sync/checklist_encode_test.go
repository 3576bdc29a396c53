package sync

import (
	"bytes"
	"encoding/json"
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
	out, err := s.encode()
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
