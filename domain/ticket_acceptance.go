package domain

import "slices"

// Accessories says whether the system's accessories were handed over.
type Accessories string

// The answers of the form; empty means the customer did not tick any.
const (
	AccessoriesUnanswered Accessories = ""
	AccessoriesYes        Accessories = "yes"  // 是
	AccessoriesNo         Accessories = "no"   // 否
	AccessoriesNone       Accessories = "none" // 没有附件
)

var accessoriesLabels = map[Accessories]string{
	AccessoriesYes:  "是",
	AccessoriesNo:   "否",
	AccessoriesNone: "没有附件",
}

// Valid reports whether a is a known answer (or unanswered).
func (a Accessories) Valid() bool {
	_, ok := accessoriesLabels[a]
	return ok || a == AccessoriesUnanswered
}

// Label is the Chinese wording of the form.
func (a Accessories) Label() string { return accessoriesLabels[a] }

// Satisfaction is the customer's satisfaction with the service.
type Satisfaction string

// The levels; blank is 不表态, no opinion, and scores too (R-SAT-1).
const (
	SatisfactionBlank         Satisfaction = ""
	SatisfactionVerySatisfied Satisfaction = "very_satisfied" // 很满意
	SatisfactionSatisfied     Satisfaction = "satisfied"      // 满意
	SatisfactionNeutral       Satisfaction = "neutral"        // 一般
	SatisfactionDissatisfied  Satisfaction = "dissatisfied"   // 不满意
)

var satisfactionLabels = map[Satisfaction]string{
	SatisfactionBlank:         "不表态",
	SatisfactionVerySatisfied: "很满意",
	SatisfactionSatisfied:     "满意",
	SatisfactionNeutral:       "一般",
	SatisfactionDissatisfied:  "不满意",
}

// Satisfactions returns the levels in the form's order, blank last.
func Satisfactions() []Satisfaction {
	return []Satisfaction{SatisfactionVerySatisfied, SatisfactionSatisfied, SatisfactionNeutral,
		SatisfactionDissatisfied, SatisfactionBlank}
}

// Valid reports whether s is a known level (blank included).
func (s Satisfaction) Valid() bool { _, ok := satisfactionLabels[s]; return ok }

// Label is the Chinese wording; blank reads 不表态.
func (s Satisfaction) Label() string { return satisfactionLabels[s] }

// DissatisfactionReason is why a customer is not satisfied.
type DissatisfactionReason string

// The reasons of the form.
const (
	ReasonAttitude DissatisfactionReason = "attitude" // 服务态度
	ReasonSkill    DissatisfactionReason = "skill"    // 技术水平
	ReasonResponse DissatisfactionReason = "response" // 响应速度
)

var dissatisfactionLabels = map[DissatisfactionReason]string{
	ReasonAttitude: "服务态度",
	ReasonSkill:    "技术水平",
	ReasonResponse: "响应速度",
}

// Valid reports whether r is a known reason.
func (r DissatisfactionReason) Valid() bool { _, ok := dissatisfactionLabels[r]; return ok }

// Label is the Chinese wording of the form.
func (r DissatisfactionReason) Label() string { return dissatisfactionLabels[r] }

// Acceptance is the customer's block of the form (R-TKT-6), from the
// device or the callback.
type Acceptance struct {
	EquipmentOK  bool                    `json:"equipmentOk"` // 设备已经验收并正常工作
	Accessories  Accessories             `json:"accessories,omitempty"`
	Satisfaction Satisfaction            `json:"satisfaction,omitempty"`
	Reasons      []DissatisfactionReason `json:"reasons,omitempty"`  // only when dissatisfied
	Comments     string                  `json:"comments,omitempty"` // 宝贵意见
}

// Validate checks the acceptance: known answers, and at least one reason,
// each once, exactly when the customer is dissatisfied.
func (a Acceptance) Validate() error {
	p := Problems{}
	if !a.Accessories.Valid() {
		p.Add("accessories", "invalid_accessories")
	}
	if !a.Satisfaction.Valid() {
		p.Add("satisfaction", "invalid_satisfaction")
	}
	switch {
	case a.Satisfaction == SatisfactionDissatisfied && len(a.Reasons) == 0:
		p.Add("reasons", "required")
	case a.Satisfaction != SatisfactionDissatisfied && len(a.Reasons) > 0:
		p.Add("reasons", "not_applicable")
	}
	for i, r := range a.Reasons {
		f := arcField("reasons", i, "")
		switch {
		case !r.Valid():
			p.Add(f, "invalid_reason")
		case slices.Index(a.Reasons, r) < i:
			p.Add(f, "duplicate")
		}
	}
	arcCheckText(p, "comments", a.Comments, arcMaxNote, false)
	return p.Err()
}
