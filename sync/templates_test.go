package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"elvcare/domain"
	"elvcare/sync"
)

func cctvTemplate() domain.ChecklistTemplate {
	return domain.ChecklistTemplate{ID: "custom.cctv.pm", System: domain.SystemCCTV, Title: "闭路监控系统点检维护工作报告",
		Sections: []domain.ChecklistSection{{Key: "recorder", Title: "录像主机", Items: []domain.ChecklistItem{
			{Key: "recorder.dust", Text: "主机除尘", Kind: domain.AnswerChoice, Options: []domain.ChecklistOption{{Key: "cleaned", Label: "已清理"}, {Key: "not_cleaned", Label: "未清理", Abnormal: true}}},
			{Key: "camera.check", Text: "摄像机检查", Kind: domain.AnswerCount, Unit: "个", Counters: []domain.ChecklistCounter{{Key: "checked", Label: "检查"}, {Key: "normal", Label: "正常", AtMost: "checked"}}},
		}}}}
}

func TestTemplateSave(t *testing.T) {
	w := newWorld(t)
	admin := sync.Actor{UserID: "admin-1", Roles: []domain.Role{domain.RoleAdmin}, Via: "web"}
	ctx := context.Background()
	save := func(a sync.Actor, args sync.TemplateArgs) (domain.ChecklistTemplate, error) {
		out, err := w.e.Apply(ctx, a, sync.Mutation{Name: "template.save", Args: mustArgs(args)})
		var tpl domain.ChecklistTemplate
		if err == nil {
			_ = json.Unmarshal(out, &tpl)
		}
		return tpl, err
	}
	tpl := cctvTemplate()
	got, err := save(admin, sync.TemplateArgs{Template: tpl})
	if err != nil || got.Version != 1 {
		t.Fatalf("create: %+v, %v", got, err)
	}
	// A second save from the same starting point loses: someone saved meanwhile.
	tpl.Title = "闭路监控系统季度点检"
	if got, err = save(admin, sync.TemplateArgs{Template: tpl, BaseVersion: 1}); err != nil || got.Version != 2 {
		t.Fatalf("update: %+v, %v", got, err)
	}
	if _, err := save(admin, sync.TemplateArgs{Template: tpl, BaseVersion: 1}); !errors.Is(err, sync.ErrTemplateChanged) {
		t.Errorf("save over a changed version: %v", err)
	}
	if _, err := save(admin, sync.TemplateArgs{Template: cctvTemplate()}); !errors.Is(err, sync.ErrTemplateChanged) {
		t.Errorf("create over an existing id: %v", err)
	}
	// Refusals: each changes nothing.
	builtin := domain.IntrusionAlarmTemplate()
	bad := cctvTemplate()
	bad.ID = "custom.bad"
	bad.Sections[0].Items[0].Options = bad.Sections[0].Items[0].Options[:1]
	bad.Sections[0].Items[1].Counters[1].AtMost = "normal"
	tests := []struct {
		name   string
		actor  sync.Actor
		args   sync.TemplateArgs
		kind   domain.Kind
		fields map[string]string
	}{
		{"built-in is read-only", admin, sync.TemplateArgs{Template: builtin, BaseVersion: builtin.Version}, domain.KindInvalid, map[string]string{"id": "builtin_template"}},
		{"invalid items", admin, sync.TemplateArgs{Template: bad}, domain.KindInvalid,
			map[string]string{"sections[0].items[0].options": "too_few", "sections[0].items[1].counters[1].atMost": "invalid_counter"}},
		{"technician", w.wang, sync.TemplateArgs{Template: cctvTemplate()}, domain.KindForbidden, nil},
		{"desk", w.desk, sync.TemplateArgs{Template: cctvTemplate()}, domain.KindForbidden, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := save(tt.actor, tt.args)
			if domain.KindOf(err) != tt.kind {
				t.Fatalf("err %v, want kind %v", err, tt.kind)
			}
			var de *domain.Error
			errors.As(err, &de)
			for f, code := range tt.fields {
				if de == nil || de.Fields[f] != code {
					t.Errorf("field %s: got %v, want %s", f, de, code)
				}
			}
		})
	}
	list, err := w.e.Templates(ctx)
	if err != nil || len(list) != 2 || !list[0].Builtin || list[1].ID != "custom.cctv.pm" || list[1].Version != 2 || list[1].Items != 2 {
		t.Fatalf("templates %+v, %v", list, err)
	}
	// A technician's phone gets the new template in its next pull, and a
	// report started from it keeps that version.
	phone := w.device(t, w.wang, "wang-phone-tpl")
	phone.pull()
	if phone.seen["templates/custom.cctv.pm"] == nil {
		t.Error("the phone's pull lacks the new template")
	}
	if _, err := w.e.Template(ctx, "custom.missing"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("missing template: %v", err)
	}
}
