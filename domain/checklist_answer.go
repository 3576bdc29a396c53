package domain

import "slices"

// ChecklistAnswer is the answer to one checklist item, keyed by the item so
// answers recorded offline on two devices both survive. Only the field of
// the item's kind is set.
type ChecklistAnswer struct {
	ItemKey string         `json:"itemKey"`
	Choice  string         `json:"choice,omitempty"` // an option key
	Counts  map[string]int `json:"counts,omitempty"` // counter key → count
	Text    string         `json:"text,omitempty"`
	Note    string         `json:"note,omitempty"` // the technician's remark on the item
}

// CheckAnswer checks an answer against the template's item it names
// ("itemKey": "unknown_item" when there is none).
func (t ChecklistTemplate) CheckAnswer(a ChecklistAnswer) error {
	it, ok := t.Item(a.ItemKey)
	if !ok {
		return Problems{"itemKey": "unknown_item"}.Err()
	}
	return it.CheckAnswer(a)
}

// CheckAnswer checks an answer against the item: a choice among its
// options; every counter given, none unknown, none negative, none above
// its AtMost counter; non-blank text; fields of other kinds left empty.
func (it ChecklistItem) CheckAnswer(a ChecklistAnswer) error {
	p := Problems{}
	if a.ItemKey != it.Key {
		p.Add("itemKey", "unknown_item")
	}
	if it.Kind != AnswerChoice && a.Choice != "" {
		p.Add("choice", "not_applicable")
	}
	if it.Kind != AnswerCount && len(a.Counts) > 0 {
		p.Add("counts", "not_applicable")
	}
	if it.Kind != AnswerText && a.Text != "" {
		p.Add("text", "not_applicable")
	}
	switch it.Kind {
	case AnswerChoice:
		switch {
		case a.Choice == "":
			p.Add("choice", "required")
		case !slices.ContainsFunc(it.Options, func(o ChecklistOption) bool { return o.Key == a.Choice }):
			p.Add("choice", "invalid_choice")
		}
	case AnswerCount:
		checklistCheckCounts(p, it, a.Counts)
	case AnswerText:
		arcCheckText(p, "text", a.Text, arcMaxLong, true)
	}
	arcCheckText(p, "note", a.Note, arcMaxNote, false)
	return p.Err()
}

func checklistCheckCounts(p Problems, it ChecklistItem, counts map[string]int) {
	if len(counts) == 0 {
		p.Add("counts", "required")
		return
	}
	for k := range counts {
		if !slices.ContainsFunc(it.Counters, func(c ChecklistCounter) bool { return c.Key == k }) {
			p.Add("counts."+k, "unknown_counter")
		}
	}
	for _, c := range it.Counters {
		f := "counts." + c.Key
		n, ok := counts[c.Key]
		switch {
		case !ok:
			p.Add(f, "required")
		case n < 0:
			p.Add(f, "negative")
		case n > arcMaxCount:
			p.Add(f, "too_large")
		case c.AtMost != "" && n > counts[c.AtMost]:
			p.Add(f, "exceeds_counter") // the template's AtMost says which
		}
	}
}
