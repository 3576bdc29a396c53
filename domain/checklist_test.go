package domain_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
)

// TestIntrusionAlarmTemplateWording checks the built-in template item by
// item against R-FORM-2, written out here by hand: section | text | answer,
// where a choice lists its options with "/" and a count lists
// "unit:counter/counter".
func TestIntrusionAlarmTemplateWording(t *testing.T) {
	want := strings.TrimSpace(`
防盗主机 | 清理防盗主机的灰尘 | 已清理/未清理
防盗主机 | 测试各防区的报警是否正常，警灯、警号、报警电话是否工作正常 | 个:检查/正常
防盗主机 | 检测后备电池在没市电情况下是否正常切换 | 正常/已坏需更新
防盗主机 | 检查遥控布撤防和密码布撤防是否正常 | 正常/不正常
防盗主机 | 检查使用说明和防区示意图是否清晰 | 清晰/不清晰已处理
防盗主机 | 询查操作人员是否按说明正常使用防盗系统 | 正常使用/不正常使用
主动对射探头 | 清理红外对射的灰尘，检查对射内有没小虫子等异物 | 对:已清理/正常
主动对射探头 | 检查受光器端对射是否正常 — 受光电压达到标称值，红外线阻断时继电器动作正常 | 对:检查/处理
主动对射探头 | 目测防范区域周围有没有可引起误报的物体，如杂草、树木、藤类植物 | 对:检查/处理
被动探头 | 步测探头的防范范围是否能正常防范 | 正常/不正常
被动探头 | 清理探头的灰尘、杂物，检查有无小虫子等异物进入 | 个:检查/处理
被动探头 | 更换无线探头的电池 | 个:检查/已更换
维护总结 | 维护总结 | text`)
	tpl := domain.IntrusionAlarmTemplate()
	var lines []string
	for _, s := range tpl.Sections {
		for _, it := range s.Items {
			var answer string
			switch it.Kind {
			case domain.AnswerChoice:
				var labels []string
				for _, o := range it.Options {
					labels = append(labels, o.Label)
				}
				answer = strings.Join(labels, "/")
			case domain.AnswerCount:
				var labels []string
				for _, c := range it.Counters {
					labels = append(labels, c.Label)
				}
				answer = it.Unit + ":" + strings.Join(labels, "/")
			default:
				answer = string(it.Kind)
			}
			lines = append(lines, s.Title+" | "+it.Text+" | "+answer)
		}
	}
	if diff := cmp.Diff(strings.Join(lines, "\n"), want); diff != "" {
		t.Errorf("template (-got +want):\n%s", diff)
	}
	if tpl.Title != "红外防盗报警系统点检维护工作报告" || tpl.System != domain.SystemAlarm {
		t.Errorf("title %q system %q", tpl.Title, tpl.System)
	}
	if err := tpl.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	for _, it := range tpl.Items() {
		for i, c := range it.Counters {
			if i > 0 && c.AtMost != it.Counters[0].Key {
				t.Errorf("%s: counter %s not bounded by %s", it.Key, c.Key, it.Counters[0].Key)
			}
		}
	}
}

func TestIntrusionAlarmTemplateIsFresh(t *testing.T) {
	a := domain.IntrusionAlarmTemplate()
	a.Sections[0].Items[0].Text = "changed"
	if domain.IntrusionAlarmTemplate().Sections[0].Items[0].Text == "changed" {
		t.Error("the built-in template is shared")
	}
}

func TestChecklistTemplateValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*domain.ChecklistTemplate)
		want map[string]string
	}{
		{"built in", func(*domain.ChecklistTemplate) {}, nil},
		{"empty", func(c *domain.ChecklistTemplate) { *c = domain.ChecklistTemplate{} }, map[string]string{
			"id": "required", "system": "required", "title": "required", "version": "must_be_positive", "sections": "required",
		}},
		{"bad id and system", func(c *domain.ChecklistTemplate) { c.ID = "Alarm PM"; c.System = "hvac" },
			map[string]string{"id": "invalid_key", "system": "invalid_system"}},
		{"duplicate section and item keys", func(c *domain.ChecklistTemplate) {
			c.Sections[1].Key = c.Sections[0].Key
			c.Sections[1].Items[0].Key = c.Sections[0].Items[0].Key
		}, map[string]string{"sections[1].key": "duplicate", "sections[1].items[0].key": "duplicate"}},
		{"section without items", func(c *domain.ChecklistTemplate) { c.Sections[3].Items = nil; c.Sections[3].Title = "" },
			map[string]string{"sections[3].items": "required", "sections[3].title": "required"}},
		{"choice with one option", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[0].Options = c.Sections[0].Items[0].Options[:1]
		}, map[string]string{"sections[0].items[0].options": "too_few"}},
		{"choice options checked", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[0].Options = []domain.ChecklistOption{{Key: "a", Label: "甲"}, {Key: "a", Label: ""}, {Key: "", Label: "丙"}}
		}, map[string]string{
			"sections[0].items[0].options[1].key": "duplicate", "sections[0].items[0].options[1].label": "required",
			"sections[0].items[0].options[2].key": "required",
		}},
		{"choice with counters and unit", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[0].Counters = []domain.ChecklistCounter{{Key: "n", Label: "个数"}}
			c.Sections[0].Items[0].Unit = "个"
		}, map[string]string{"sections[0].items[0].counters": "not_applicable", "sections[0].items[0].unit": "not_applicable"}},
		{"count without counters or unit", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[1].Counters = nil
			c.Sections[0].Items[1].Unit = ""
		}, map[string]string{"sections[0].items[1].counters": "required", "sections[0].items[1].unit": "required"}},
		{"count bounded by a later or unknown counter", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[1].Counters = []domain.ChecklistCounter{
				{Key: "normal", Label: "正常", AtMost: "checked"},
				{Key: "checked", Label: "检查"},
				{Key: "fixed", Label: "处理", AtMost: "broken"},
				{Key: "checked", Label: "再检查"},
			}
		}, map[string]string{
			"sections[0].items[1].counters[0].atMost": "invalid_counter",
			"sections[0].items[1].counters[2].atMost": "invalid_counter",
			"sections[0].items[1].counters[3].key":    "duplicate",
		}},
		{"count with options", func(c *domain.ChecklistTemplate) {
			c.Sections[0].Items[1].Options = []domain.ChecklistOption{{Key: "a", Label: "甲"}, {Key: "b", Label: "乙"}}
		}, map[string]string{"sections[0].items[1].options": "not_applicable"}},
		{"item without text or kind", func(c *domain.ChecklistTemplate) {
			c.Sections[3].Items[0].Text = ""
			c.Sections[3].Items[0].Kind = ""
		}, map[string]string{"sections[3].items[0].text": "required", "sections[3].items[0].kind": "required"}},
		{"unknown kind", func(c *domain.ChecklistTemplate) { c.Sections[3].Items[0].Kind = "photo" },
			map[string]string{"sections[3].items[0].kind": "invalid_kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := domain.IntrusionAlarmTemplate()
			tt.edit(&c)
			if diff := cmp.Diff(arFields(t, c.Validate()), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestChecklistCheckAnswer(t *testing.T) {
	tpl := domain.IntrusionAlarmTemplate()
	counts := func(kv ...any) map[string]int {
		m := map[string]int{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(int)
		}
		return m
	}
	tests := []struct {
		name string
		a    domain.ChecklistAnswer
		want map[string]string
	}{
		{"choice", domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned"}, nil},
		{"choice with a note", domain.ChecklistAnswer{ItemKey: "panel.battery", Choice: "needs_replacing", Note: "已更换新电池"}, nil},
		{"choice missing", domain.ChecklistAnswer{ItemKey: "panel.dust"}, map[string]string{"choice": "required"}},
		{"choice unknown", domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "已清理"}, map[string]string{"choice": "invalid_choice"}},
		{"choice with counts", domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned", Counts: counts("checked", 1)},
			map[string]string{"counts": "not_applicable"}},
		{"journey: 12 detectors checked, 1 handled", domain.ChecklistAnswer{ItemKey: "pir.dust", Counts: counts("checked", 12, "handled", 1)}, nil},
		{"all normal", domain.ChecklistAnswer{ItemKey: "panel.zones", Counts: counts("checked", 8, "normal", 8)}, nil},
		{"zero of zero", domain.ChecklistAnswer{ItemKey: "pir.battery", Counts: counts("checked", 0, "replaced", 0)}, nil},
		{"beams cleaned 4, normal 3", domain.ChecklistAnswer{ItemKey: "beam.dust", Counts: counts("cleaned", 4, "normal", 3)}, nil},
		{"normal above checked", domain.ChecklistAnswer{ItemKey: "panel.zones", Counts: counts("checked", 8, "normal", 9)},
			map[string]string{"counts.normal": "exceeds_counter"}},
		{"handled above checked", domain.ChecklistAnswer{ItemKey: "beam.receiver", Counts: counts("checked", 2, "handled", 3)},
			map[string]string{"counts.handled": "exceeds_counter"}},
		{"replaced above checked", domain.ChecklistAnswer{ItemKey: "pir.battery", Counts: counts("checked", 0, "replaced", 1)},
			map[string]string{"counts.replaced": "exceeds_counter"}},
		{"negative", domain.ChecklistAnswer{ItemKey: "panel.zones", Counts: counts("checked", -1, "normal", -2)},
			map[string]string{"counts.checked": "negative", "counts.normal": "negative"}},
		{"counter missing", domain.ChecklistAnswer{ItemKey: "panel.zones", Counts: counts("checked", 3)},
			map[string]string{"counts.normal": "required"}},
		{"counter unknown", domain.ChecklistAnswer{ItemKey: "panel.zones", Counts: counts("checked", 3, "normal", 3, "broken", 0)},
			map[string]string{"counts.broken": "unknown_counter"}},
		{"no counts", domain.ChecklistAnswer{ItemKey: "panel.zones"}, map[string]string{"counts": "required"}},
		{"count with a choice", domain.ChecklistAnswer{ItemKey: "panel.zones", Choice: "normal", Counts: counts("checked", 1, "normal", 1)},
			map[string]string{"choice": "not_applicable"}},
		{"summary", domain.ChecklistAnswer{ItemKey: "summary", Text: "系统运行正常，更换探头电池1个。"}, nil},
		{"blank summary", domain.ChecklistAnswer{ItemKey: "summary", Text: "  "}, map[string]string{"text": "required"}},
		{"summary too long", domain.ChecklistAnswer{ItemKey: "summary", Text: strings.Repeat("正", 4001)}, map[string]string{"text": "too_long"}},
		{"text on a choice", domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned", Text: "x"}, map[string]string{"text": "not_applicable"}},
		{"note too long", domain.ChecklistAnswer{ItemKey: "panel.dust", Choice: "cleaned", Note: strings.Repeat("注", 2001)},
			map[string]string{"note": "too_long"}},
		{"unknown item", domain.ChecklistAnswer{ItemKey: "panel.paint", Choice: "cleaned"}, map[string]string{"itemKey": "unknown_item"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(arFields(t, tpl.CheckAnswer(tt.a)), tt.want); diff != "" {
				t.Errorf("problems (-got +want):\n%s", diff)
			}
		})
	}
}

func TestChecklistItemCheckAnswerWrongItem(t *testing.T) {
	it, ok := domain.IntrusionAlarmTemplate().Item("panel.dust")
	if !ok {
		t.Fatal("panel.dust not found")
	}
	err := it.CheckAnswer(domain.ChecklistAnswer{ItemKey: "pir.dust", Choice: "cleaned"})
	if diff := cmp.Diff(arFields(t, err), map[string]string{"itemKey": "unknown_item"}); diff != "" {
		t.Errorf("problems (-got +want):\n%s", diff)
	}
}
