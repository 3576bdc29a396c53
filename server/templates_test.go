package server_test

import (
	"strings"
	"testing"

	"elvcare/domain"
	"elvcare/server/servertest"
)

// TestTemplateRoutes: the admin lists templates, saves a new one and its
// next version; a stale save is 409, a bad one 422 with a message per
// field in the request's language, a built-in template is read-only, and
// nobody else may read or write them.
func TestTemplateRoutes(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	h.AddUser("wang", "password-wang", domain.RoleTechnician)
	admin := h.Login("admin", "password-admin")
	tpl := map[string]any{"system": "cctv", "title": "闭路监控系统点检维护工作报告", "sections": []any{
		map[string]any{"key": "recorder", "title": "录像主机", "items": []any{
			map[string]any{"key": "recorder.dust", "text": "主机除尘", "kind": "choice", "options": []any{
				map[string]any{"key": "cleaned", "label": "已清理"}, map[string]any{"key": "not_cleaned", "label": "未清理", "abnormal": true}}},
		}}}}
	var list []struct {
		ID      string `json:"id"`
		Builtin bool   `json:"builtin"`
		Version int    `json:"version"`
	}
	if err := admin.Do("GET", "/api/templates", nil).JSON(&list); err != nil || len(list) != 1 || !list[0].Builtin {
		t.Fatalf("templates at start: %+v %v", list, err)
	}
	r := admin.Do("PUT", "/api/templates/custom.cctv.pm", map[string]any{"template": tpl, "baseVersion": 0})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"version":1`) {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	if r := admin.Do("PUT", "/api/templates/custom.cctv.pm", map[string]any{"template": tpl, "baseVersion": 1}); r.Status != 200 || !strings.Contains(string(r.Body), `"version":2`) {
		t.Fatalf("next version: %d %s", r.Status, r.Body)
	}
	if r := admin.Do("PUT", "/api/templates/custom.cctv.pm", map[string]any{"template": tpl, "baseVersion": 1}); r.Status != 409 || r.Error().Code != "template.changed" {
		t.Errorf("stale save: %d %s", r.Status, r.Body)
	}
	var one struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	if err := admin.Do("GET", "/api/templates/custom.cctv.pm", nil).JSON(&one); err != nil || one.ID != "custom.cctv.pm" || one.Version != 2 {
		t.Errorf("get: %+v %v", one, err)
	}
	if r := admin.Do("GET", "/api/templates/custom.none", nil); r.Status != 404 {
		t.Errorf("missing template: %d", r.Status)
	}
	if r := admin.Do("PUT", "/api/templates/builtin.alarm.pm", map[string]any{"template": tpl, "baseVersion": 1}); r.Status != 422 || !strings.Contains(r.Error().Fields["id"], "内置模板") {
		t.Errorf("built-in: %d %s", r.Status, r.Body)
	}
	en := h.Login("admin", "password-admin")
	en.Lang = "en"
	bad := map[string]any{"system": "cctv", "title": "x", "sections": []any{map[string]any{"key": "S", "title": "t", "items": []any{
		map[string]any{"key": "a", "text": "t", "kind": "choice", "options": []any{map[string]any{"key": "x", "label": "x"}}}}}}}
	r = en.Do("PUT", "/api/templates/custom.bad", map[string]any{"template": bad})
	if r.Status != 422 || r.Error().Fields["sections[0].key"] != "Use lowercase letters, digits and . _ - only" || r.Error().Fields["sections[0].items[0].options"] != "At least two options are needed" {
		t.Errorf("invalid template: %d %s", r.Status, r.Body)
	}
	for _, who := range []*servertest.Client{h.Login("chen", "password-chen"), h.Login("wang", "password-wang")} {
		if r := who.Do("GET", "/api/templates", nil); r.Status != 403 {
			t.Errorf("list by a non-admin: %d", r.Status)
		}
		if r := who.Do("PUT", "/api/templates/custom.x", map[string]any{"template": tpl}); r.Status != 403 {
			t.Errorf("save by a non-admin: %d", r.Status)
		}
	}
	if err := admin.Do("GET", "/api/templates", nil).JSON(&list); err != nil || len(list) != 2 {
		t.Errorf("templates after: %+v %v", list, err)
	}
}
