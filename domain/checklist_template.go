package domain

import (
	"slices"
)

// AnswerKind is how a checklist item is answered (R-FORM-2/3).
type AnswerKind string

// The answer kinds.
const (
	AnswerChoice AnswerKind = "choice" // one of the item's options (已清理 / 未清理)
	AnswerCount  AnswerKind = "count"  // named counters (检查 N 个，正常 N 个)
	AnswerText   AnswerKind = "text"   // free text (维护总结)
)

// Valid reports whether k is a known answer kind.
func (k AnswerKind) Valid() bool {
	return k == AnswerChoice || k == AnswerCount || k == AnswerText
}

// ChecklistOption is one choice of a choice item. Abnormal marks the
// choices that report a problem (未清理, 不正常), for highlighting.
type ChecklistOption struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Abnormal bool   `json:"abnormal,omitempty"`
}

// ChecklistCounter is one counter of a count item. AtMost names an earlier
// counter of the item it may not exceed: 正常 at most 检查.
type ChecklistCounter struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	AtMost string `json:"atMost,omitempty"`
}

// ChecklistItem is one line of a checklist: the wording, how it is
// answered, and for counts the unit (个, 对).
type ChecklistItem struct {
	Key      string             `json:"key"` // unique in the template
	Text     string             `json:"text"`
	Kind     AnswerKind         `json:"kind"`
	Options  []ChecklistOption  `json:"options,omitempty"`
	Counters []ChecklistCounter `json:"counters,omitempty"`
	Unit     string             `json:"unit,omitempty"`
}

// ChecklistSection groups items under a heading (防盗主机).
type ChecklistSection struct {
	Key   string          `json:"key"`
	Title string          `json:"title"`
	Items []ChecklistItem `json:"items"`
}

// ChecklistTemplate is a preventive-maintenance checklist for one system
// (R-FORM-3). Answers name items by key; a new Version is made when the
// wording changes, so old reports keep the wording they were made with.
type ChecklistTemplate struct {
	ID       string             `json:"id"`
	System   System             `json:"system"`
	Title    string             `json:"title"` // 红外防盗报警系统点检维护工作报告
	Version  int                `json:"version"`
	Sections []ChecklistSection `json:"sections"`
}

// Validate checks the template: keys well formed and unique (sections
// among sections, items across the template, options and counters within
// their item), every label present, choice items with two or more options,
// count items with counters whose AtMost names an earlier counter.
func (t ChecklistTemplate) Validate() error {
	p := Problems{}
	if !arcIsKey(t.ID) {
		p.Add("id", checklistKeyCode(t.ID))
	}
	switch {
	case t.System == "":
		p.Add("system", "required")
	case !t.System.Valid():
		p.Add("system", "invalid_system")
	}
	arcCheckText(p, "title", t.Title, arcMaxLine, true)
	if t.Version < 1 {
		p.Add("version", "must_be_positive")
	}
	if len(t.Sections) == 0 {
		p.Add("sections", "required")
	}
	var sectionKeys, itemKeys []string
	for i, s := range t.Sections {
		sf := arcField("sections", i, "")
		if !arcIsKey(s.Key) {
			p.Add(sf+".key", checklistKeyCode(s.Key))
		} else if slices.Contains(sectionKeys, s.Key) {
			p.Add(sf+".key", "duplicate")
		}
		sectionKeys = append(sectionKeys, s.Key)
		arcCheckText(p, sf+".title", s.Title, arcMaxName, true)
		if len(s.Items) == 0 {
			p.Add(sf+".items", "required")
		}
		for j, it := range s.Items {
			f := arcField(sf+".items", j, "")
			if arcIsKey(it.Key) && slices.Contains(itemKeys, it.Key) {
				p.Add(f+".key", "duplicate")
			}
			itemKeys = append(itemKeys, it.Key)
			checklistValidateItem(p, f, it)
		}
	}
	return p.Err()
}

func checklistValidateItem(p Problems, f string, it ChecklistItem) {
	if !arcIsKey(it.Key) {
		p.Add(f+".key", checklistKeyCode(it.Key))
	}
	arcCheckText(p, f+".text", it.Text, arcMaxLine, true)
	arcCheckText(p, f+".unit", it.Unit, 8, it.Kind == AnswerCount)
	switch {
	case it.Kind == "":
		p.Add(f+".kind", "required")
	case !it.Kind.Valid():
		p.Add(f+".kind", "invalid_kind")
	}
	if it.Kind != AnswerChoice && len(it.Options) > 0 {
		p.Add(f+".options", "not_applicable")
	}
	if it.Kind != AnswerCount && len(it.Counters) > 0 {
		p.Add(f+".counters", "not_applicable")
	}
	if it.Kind != AnswerCount && it.Unit != "" {
		p.Add(f+".unit", "not_applicable")
	}
	if it.Kind == AnswerChoice {
		if len(it.Options) < 2 {
			p.Add(f+".options", "too_few")
		}
		for k, o := range it.Options {
			of := arcField(f+".options", k, "")
			if !arcIsKey(o.Key) {
				p.Add(of+".key", checklistKeyCode(o.Key))
			} else if slices.IndexFunc(it.Options, func(x ChecklistOption) bool { return x.Key == o.Key }) < k {
				p.Add(of+".key", "duplicate")
			}
			arcCheckText(p, of+".label", o.Label, arcMaxName, true)
		}
	}
	if it.Kind == AnswerCount {
		if len(it.Counters) == 0 {
			p.Add(f+".counters", "required")
		}
		for k, c := range it.Counters {
			cf := arcField(f+".counters", k, "")
			earlier := slices.IndexFunc(it.Counters, func(x ChecklistCounter) bool { return x.Key == c.Key })
			if !arcIsKey(c.Key) {
				p.Add(cf+".key", checklistKeyCode(c.Key))
			} else if earlier < k {
				p.Add(cf+".key", "duplicate")
			}
			arcCheckText(p, cf+".label", c.Label, arcMaxName, true)
			if c.AtMost != "" {
				ref := slices.IndexFunc(it.Counters, func(x ChecklistCounter) bool { return x.Key == c.AtMost })
				if ref < 0 || ref >= k {
					p.Add(cf+".atMost", "invalid_counter")
				}
			}
		}
	}
}

// Item finds an item by key.
func (t ChecklistTemplate) Item(key string) (ChecklistItem, bool) {
	for _, s := range t.Sections {
		for _, it := range s.Items {
			if it.Key == key {
				return it, true
			}
		}
	}
	return ChecklistItem{}, false
}

// Items returns every item in order.
func (t ChecklistTemplate) Items() []ChecklistItem {
	var out []ChecklistItem
	for _, s := range t.Sections {
		out = append(out, s.Items...)
	}
	return out
}

func checklistKeyCode(k string) string {
	if k == "" {
		return "required"
	}
	return "invalid_key"
}
