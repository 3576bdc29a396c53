package domain

// IntrusionAlarmTemplateID is the id of the built-in intrusion-alarm
// checklist.
const IntrusionAlarmTemplateID = "builtin.alarm.pm"

// IntrusionAlarmTemplate is the built-in 红外防盗报警系统点检维护工作报告
// (R-FORM-2), item by item in the wording of DOMAIN.md (the source with
// its OCR slips corrected: 导物 → 异物, 外理 → 处理), ending with the
// 维护总结. The report's header (number, customer, contact, date, person in
// charge) and the acceptance block belong to the report, not the template.
func IntrusionAlarmTemplate() ChecklistTemplate {
	opt := func(key, label string, abnormal bool) ChecklistOption {
		return ChecklistOption{Key: key, Label: label, Abnormal: abnormal}
	}
	choice := func(key, text string, opts ...ChecklistOption) ChecklistItem {
		return ChecklistItem{Key: key, Text: text, Kind: AnswerChoice, Options: opts}
	}
	count := func(key, text, unit, baseKey, base, partKey, part string) ChecklistItem {
		return ChecklistItem{Key: key, Text: text, Kind: AnswerCount, Unit: unit, Counters: []ChecklistCounter{
			{Key: baseKey, Label: base},
			{Key: partKey, Label: part, AtMost: baseKey},
		}}
	}
	return ChecklistTemplate{
		ID:      IntrusionAlarmTemplateID,
		System:  SystemAlarm,
		Title:   "红外防盗报警系统点检维护工作报告",
		Version: 1,
		Sections: []ChecklistSection{
			{Key: "panel", Title: "防盗主机", Items: []ChecklistItem{
				choice("panel.dust", "清理防盗主机的灰尘",
					opt("cleaned", "已清理", false), opt("not_cleaned", "未清理", true)),
				count("panel.zones", "测试各防区的报警是否正常，警灯、警号、报警电话是否工作正常",
					"个", "checked", "检查", "normal", "正常"),
				choice("panel.battery", "检测后备电池在没市电情况下是否正常切换",
					opt("normal", "正常", false), opt("needs_replacing", "已坏需更新", true)),
				choice("panel.arming", "检查遥控布撤防和密码布撤防是否正常",
					opt("normal", "正常", false), opt("abnormal", "不正常", true)),
				choice("panel.instructions", "检查使用说明和防区示意图是否清晰",
					opt("clear", "清晰", false), opt("unclear_fixed", "不清晰已处理", false)),
				choice("panel.usage", "询查操作人员是否按说明正常使用防盗系统",
					opt("proper", "正常使用", false), opt("improper", "不正常使用", true)),
			}},
			{Key: "beam", Title: "主动对射探头", Items: []ChecklistItem{
				count("beam.dust", "清理红外对射的灰尘，检查对射内有没小虫子等异物",
					"对", "cleaned", "已清理", "normal", "正常"),
				count("beam.receiver", "检查受光器端对射是否正常 — 受光电压达到标称值，红外线阻断时继电器动作正常",
					"对", "checked", "检查", "handled", "处理"),
				count("beam.surroundings", "目测防范区域周围有没有可引起误报的物体，如杂草、树木、藤类植物",
					"对", "checked", "检查", "handled", "处理"),
			}},
			{Key: "pir", Title: "被动探头", Items: []ChecklistItem{
				choice("pir.walk_test", "步测探头的防范范围是否能正常防范",
					opt("normal", "正常", false), opt("abnormal", "不正常", true)),
				count("pir.dust", "清理探头的灰尘、杂物，检查有无小虫子等异物进入",
					"个", "checked", "检查", "handled", "处理"),
				count("pir.battery", "更换无线探头的电池",
					"个", "checked", "检查", "replaced", "已更换"),
			}},
			{Key: "summary", Title: "维护总结", Items: []ChecklistItem{
				{Key: "summary", Text: "维护总结", Kind: AnswerText},
			}},
		},
	}
}
