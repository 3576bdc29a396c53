package domain_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

func TestTicketResultValidate(t *testing.T) {
	tests := []struct {
		name string
		r    domain.TicketResult
		want map[string]string
	}{
		{"done", domain.TicketResult{Status: domain.ResultDone}, nil},
		{"done with a remark", domain.TicketResult{Status: domain.ResultDone, Remark: "更换了硬盘"}, nil},
		{"needs repair", domain.TicketResult{Status: domain.ResultNotDone, Reason: domain.NotDoneNeedsRepair}, nil},
		{"needs contact", domain.TicketResult{Status: domain.ResultNotDone, Reason: domain.NotDoneNeedsContact}, nil},
		{"other with remark", domain.TicketResult{Status: domain.ResultNotDone, Reason: domain.NotDoneOther, Remark: "客户要求改期"}, nil},
		{"other without remark", domain.TicketResult{Status: domain.ResultNotDone, Reason: domain.NotDoneOther, Remark: " "},
			map[string]string{"remark": "required"}},
		{"not done without reason", domain.TicketResult{Status: domain.ResultNotDone}, map[string]string{"reason": "required"}},
		{"done with a reason", domain.TicketResult{Status: domain.ResultDone, Reason: domain.NotDoneNeedsRepair},
			map[string]string{"reason": "not_applicable"}},
		{"unknown reason", domain.TicketResult{Status: domain.ResultNotDone, Reason: "tired"}, map[string]string{"reason": "invalid_reason"}},
		{"no status", domain.TicketResult{}, map[string]string{"status": "required"}},
		{"unknown status", domain.TicketResult{Status: "half"}, map[string]string{"status": "invalid_status"}},
		{"remark too long", domain.TicketResult{Status: domain.ResultDone, Remark: strings.Repeat("备", 2001)},
			map[string]string{"remark": "too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(arFields(t, tt.r.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestAcceptanceValidate(t *testing.T) {
	tests := []struct {
		name string
		a    domain.Acceptance
		want map[string]string
	}{
		{"journey: 设备正常, 没有附件, 很满意", domain.Acceptance{EquipmentOK: true, Accessories: domain.AccessoriesNone,
			Satisfaction: domain.SatisfactionVerySatisfied}, nil},
		{"all blank", domain.Acceptance{}, nil},
		{"dissatisfied with reasons", domain.Acceptance{Satisfaction: domain.SatisfactionDissatisfied,
			Reasons: []domain.DissatisfactionReason{domain.ReasonResponse, domain.ReasonAttitude}, Comments: "等了三天"}, nil},
		{"dissatisfied without reason", domain.Acceptance{Satisfaction: domain.SatisfactionDissatisfied},
			map[string]string{"reasons": "required"}},
		{"reasons when satisfied", domain.Acceptance{Satisfaction: domain.SatisfactionSatisfied,
			Reasons: []domain.DissatisfactionReason{domain.ReasonSkill}}, map[string]string{"reasons": "not_applicable"}},
		{"reasons when blank", domain.Acceptance{Reasons: []domain.DissatisfactionReason{domain.ReasonSkill}},
			map[string]string{"reasons": "not_applicable"}},
		{"bad and repeated reasons", domain.Acceptance{Satisfaction: domain.SatisfactionDissatisfied,
			Reasons: []domain.DissatisfactionReason{domain.ReasonSkill, domain.ReasonSkill, "price"}},
			map[string]string{"reasons[1]": "duplicate", "reasons[2]": "invalid_reason"}},
		{"unknown answers", domain.Acceptance{Accessories: "maybe", Satisfaction: "ecstatic"},
			map[string]string{"accessories": "invalid_accessories", "satisfaction": "invalid_satisfaction"}},
		{"comments too long", domain.Acceptance{Comments: strings.Repeat("好", 2001)}, map[string]string{"comments": "too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(arFields(t, tt.a.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestTicketOutcomeComplete(t *testing.T) {
	tests := []struct {
		name string
		o    domain.TicketOutcome
		want bool
	}{
		{"done and confirmed", domain.TicketOutcome{Result: domain.TicketResult{Status: domain.ResultDone},
			Acceptance: domain.Acceptance{EquipmentOK: true}}, true},
		{"done, not confirmed", domain.TicketOutcome{Result: domain.TicketResult{Status: domain.ResultDone}}, false},
		{"not done, confirmed", domain.TicketOutcome{Result: domain.TicketResult{Status: domain.ResultNotDone, Reason: domain.NotDoneNeedsRepair},
			Acceptance: domain.Acceptance{EquipmentOK: true}}, false},
		{"nothing", domain.TicketOutcome{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Complete(); got != tt.want {
				t.Errorf("Complete = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTicketOutcomeValidate(t *testing.T) {
	o := domain.TicketOutcome{
		Result:     domain.TicketResult{Status: domain.ResultNotDone},
		Acceptance: domain.Acceptance{Satisfaction: domain.SatisfactionDissatisfied},
	}
	want := map[string]string{"result.reason": "required", "acceptance.reasons": "required"}
	if diff := cmp.Diff(arFields(t, o.Validate()), want); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}

func TestTicketOutcomeLabels(t *testing.T) {
	got := []string{
		domain.ResultDone.Label(), domain.ResultNotDone.Label(),
		domain.NotDoneNeedsRepair.Label(), domain.NotDoneNeedsContact.Label(), domain.NotDoneOther.Label(),
		domain.AccessoriesYes.Label(), domain.AccessoriesNo.Label(), domain.AccessoriesNone.Label(),
		domain.ReasonAttitude.Label(), domain.ReasonSkill.Label(), domain.ReasonResponse.Label(),
	}
	want := []string{"已完成服务", "未完成服务", "需返修、更换设备", "需重新联络", "其它见备注", "是", "否", "没有附件",
		"服务态度", "技术水平", "响应速度"}
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("labels (-got +want):\n%s", diff)
	}
	var sat []string
	for _, s := range domain.Satisfactions() {
		sat = append(sat, s.Label())
	}
	if diff := cmp.Diff(sat, []string{"很满意", "满意", "一般", "不满意", "不表态"}); diff != "" {
		t.Errorf("satisfaction labels (-got +want):\n%s", diff)
	}
}

func TestScoreTable(t *testing.T) {
	table := domain.DefaultScoreTable()
	tests := []struct {
		level domain.Satisfaction
		want  int
	}{
		{domain.SatisfactionVerySatisfied, 5},
		{domain.SatisfactionSatisfied, 3},
		{domain.SatisfactionNeutral, 2},
		{domain.SatisfactionBlank, 1},
		{domain.SatisfactionDissatisfied, -5},
	}
	for _, tt := range tests {
		t.Run(tt.level.Label(), func(t *testing.T) {
			got, err := table.Score(tt.level)
			if err != nil || got != tt.want {
				t.Errorf("Score = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
	if _, err := table.Score("ecstatic"); arCode(err) != "invalid_satisfaction" {
		t.Errorf("unknown level: %v", err)
	}
	edited := table
	edited.Neutral = 0
	if got, _ := edited.Score(domain.SatisfactionNeutral); got != 0 {
		t.Errorf("edited table scores %d", got)
	}
}

func TestScoreTableValidate(t *testing.T) {
	if err := domain.DefaultScoreTable().Validate(); err != nil {
		t.Errorf("default: %v", err)
	}
	bad := domain.ScoreTable{VerySatisfied: 101, Dissatisfied: -101}
	want := map[string]string{"verySatisfied": "out_of_range", "dissatisfied": "out_of_range"}
	if diff := cmp.Diff(arFields(t, bad.Validate()), want); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}

func TestCustomerTypeFor(t *testing.T) {
	tests := []struct {
		name    string
		cov     domain.CoverageKind
		liaison bool
		want    domain.CustomerType
		label   string
	}{
		{"warranty", domain.CoverageWarranty, false, domain.CustomerTypeWarranty, "保内客户"},
		{"annual", domain.CoverageAnnual, false, domain.CustomerTypeAnnual, "按年合同客户"},
		{"per visit", domain.CoveragePerVisit, false, domain.CustomerTypePerVisit, "按次合同客户"},
		{"no contract reads per visit", domain.CoverageNone, false, domain.CustomerTypePerVisit, "按次合同客户"},
		{"liaison over per visit", domain.CoveragePerVisit, true, domain.CustomerTypeLiaison, "《联络函》服务客户"},
		{"liaison over annual", domain.CoverageAnnual, true, domain.CustomerTypeLiaison, "《联络函》服务客户"},
		{"liaison over none", domain.CoverageNone, true, domain.CustomerTypeLiaison, "《联络函》服务客户"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.CustomerTypeFor(tt.cov, tt.liaison)
			if got != tt.want || got.Label() != tt.label || !got.Valid() {
				t.Errorf("CustomerTypeFor = %q (%s), want %q (%s)", got, got.Label(), tt.want, tt.label)
			}
		})
	}
}
