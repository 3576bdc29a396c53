package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/server/servertest"
	"elvcare/sync/store"
)

// roleLogins signs in one user per role.
func roleUsers(h *servertest.Harness) map[string]string {
	m := map[string]string{}
	for _, r := range domain.Roles {
		login := "u-" + string(r)
		h.AddUser(login, "password-"+string(r), r)
		m[string(r)] = login
	}
	return m
}

// TestAuthorizationMatrix calls every route of the table as every role and
// anonymously. A route without an access rule fails here.
func TestAuthorizationMatrix(t *testing.T) {
	h := servertest.Start(t)
	users := roleUsers(h)
	target := h.AddUser("target", "password-target", domain.RoleTechnician)
	for _, r := range h.Server.Routes() {
		if !r.Access.Public && r.Access.Perm == "" {
			t.Errorf("%s %s has no access rule", r.Method, r.Path)
			continue
		}
		path := strings.ReplaceAll(r.Path, ":id", target.ID)
		callers := append([]string{"anonymous"}, func() []string {
			var s []string
			for _, r := range domain.Roles {
				s = append(s, string(r))
			}
			return s
		}()...)
		for _, who := range callers {
			t.Run(r.Method+" "+r.Path+" as "+who, func(t *testing.T) {
				c := h.NewClient()
				var roles []domain.Role
				if who != "anonymous" {
					c = h.Login(users[who], "password-"+who)
					roles = []domain.Role{domain.Role(who)}
				}
				var body any
				if r.Method != "GET" {
					body = []byte("{}")
				}
				var got int
				if r.RawResp == "text/event-stream" {
					got = streamStatus(t, h, c, path)
				} else {
					got = c.Do(r.Method, path, body).Status
				}
				switch {
				case r.Access.Public:
					if got == 401 || got == 403 {
						t.Errorf("public route answered %d", got)
					}
				case who == "anonymous":
					if got != 401 {
						t.Errorf("anonymous got %d, want 401", got)
					}
				case !domain.Can(roles, r.Access.Perm):
					if got != 403 {
						t.Errorf("got %d, want 403 (no %s)", got, r.Access.Perm)
					}
				default:
					if got == 401 || got == 403 {
						t.Errorf("allowed caller got %d", got)
					}
				}
			})
		}
	}
	// Every API route the app serves is in the table.
	inTable := map[string]bool{}
	for _, r := range h.Server.Routes() {
		inTable[r.Method+" "+r.Path] = true
	}
	for _, r := range h.Server.App().GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/api/") && r.Path != "/api/*" && r.Method != "HEAD" && !inTable[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is served but not in the route table", r.Method, r.Path)
		}
	}
}

func TestCSRF(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	c := h.Login("admin", "password-admin")
	body := map[string]any{"login": "newbie", "name": "新人", "password": "password-1", "roles": []string{"desk"}}
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"no token", []string{"X-CSRF-Token", ""}, 403},
		{"wrong token", []string{"X-CSRF-Token", "deadbeef"}, 403},
		{"right token", nil, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := tt.header
			if hdr != nil && hdr[1] == "" {
				// Send the request without the header at all.
				r := rawNoCSRF(t, h, c, "POST", "/api/users", body)
				if r != tt.want {
					t.Errorf("got %d want %d", r, tt.want)
				}
				return
			}
			r := c.Do("POST", "/api/users", body, hdr...)
			if r.Status != tt.want {
				t.Errorf("got %d want %d: %s", r.Status, tt.want, r.Body)
			}
			if tt.want == 403 && r.Error().Code != "csrf" {
				t.Errorf("code %q, want csrf", r.Error().Code)
			}
		})
	}
}

func rawNoCSRF(t *testing.T, h *servertest.Harness, c *servertest.Client, method, path string, body any) int {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.URL+path, strings.NewReader(string(data)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestFreshSessionAtLogin(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.Login("chen", "password-chen")
	first := c.Cookie("elv_session")
	if r := c.Do("POST", "/api/auth/login", map[string]string{"login": "chen", "password": "password-chen"}); r.Status != 200 {
		t.Fatalf("second login: %d", r.Status)
	}
	second := c.Cookie("elv_session")
	if first == "" || first == second {
		t.Fatalf("session id not renewed at login: %q then %q", first, second)
	}
	// The session from before the login is dead.
	old := h.NewClient()
	req, _ := http.NewRequest("GET", h.URL+"/api/auth/me", nil)
	req.AddCookie(&http.Cookie{Name: "elv_session", Value: first})
	resp, err := old.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("old session answered %d, want 401", resp.StatusCode)
	}
	// Cookie attributes: HttpOnly session, readable csrf token, SameSite=Lax.
	r := h.NewClient().Do("POST", "/api/auth/login", map[string]string{"login": "chen", "password": "password-chen"})
	var sess, csrf string
	for _, v := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "elv_session=") {
			sess = v
		}
		if strings.HasPrefix(v, "csrf_token=") {
			csrf = v
		}
	}
	if !strings.Contains(sess, "HttpOnly") || !strings.Contains(strings.ToLower(sess), "samesite=lax") {
		t.Errorf("session cookie %q lacks HttpOnly or SameSite=Lax", sess)
	}
	if csrf == "" || strings.Contains(csrf, "HttpOnly") {
		t.Errorf("csrf cookie %q must exist and be readable by scripts", csrf)
	}
	// Logout ends the session.
	if r := c.Do("POST", "/api/auth/logout", nil); r.Status != 204 {
		t.Fatalf("logout %d", r.Status)
	}
	if r := c.Do("GET", "/api/auth/me", nil); r.Status != 401 {
		t.Errorf("after logout /me answered %d", r.Status)
	}
}

func TestAccessChangesApplyAtNextRequest(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	tech := h.AddUser("wang", "password-wang", domain.RoleTechnician)
	admin := h.Login("admin", "password-admin")
	w := h.Login("wang", "password-wang")
	if r := w.Do("GET", "/api/users", nil); r.Status != 403 {
		t.Fatalf("technician listing users: %d", r.Status)
	}
	if r := admin.Do("PATCH", "/api/users/"+tech.ID, map[string]any{"roles": []string{"technician", "admin"}}); r.Status != 200 {
		t.Fatalf("set roles: %d %s", r.Status, r.Body)
	}
	if r := w.Do("GET", "/api/users", nil); r.Status != 200 {
		t.Errorf("after gaining admin: %d", r.Status)
	}
	if r := admin.Do("PATCH", "/api/users/"+tech.ID, map[string]any{"disabled": true}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if r := w.Do("GET", "/api/auth/me", nil); r.Status != 401 {
		t.Errorf("disabled user's next request answered %d, want 401", r.Status)
	}
	r := h.NewClient().Do("POST", "/api/auth/login", map[string]string{"login": "wang", "password": "password-wang"})
	if r.Status != 403 || r.Error().Code != "account_disabled" {
		t.Errorf("disabled login: %d %s", r.Status, r.Body)
	}
}

func TestErrorShapes(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	admin := h.Login("admin", "password-admin")
	desk := h.Login("chen", "password-chen")
	en := h.Login("admin", "password-admin")
	en.Lang = "en-US,en;q=0.9"
	big := make([]byte, 600<<10)
	copy(big, "\x89PNG\r\n\x1a\n")
	tests := []struct {
		name     string
		c        *servertest.Client
		method   string
		path     string
		body     any
		status   int
		code     string
		fields   []string
		contains string
	}{
		{"malformed json", admin, "POST", "/api/users", []byte(`{"login":`), 400, "malformed", nil, "请求格式错误"},
		{"unknown field", admin, "POST", "/api/users", []byte(`{"login":"a","epoch":9}`), 400, "malformed", nil, ""},
		{"validation", admin, "POST", "/api/users", map[string]any{"login": "", "name": "", "password": "x", "roles": []string{}}, 422, "invalid", []string{"login", "name", "password"}, "输入有误"},
		{"validation in english", en, "POST", "/api/users", map[string]any{"login": "", "name": "x", "password": "password-1", "roles": []string{"desk"}}, 422, "invalid", []string{"login"}, "Some fields"},
		{"unknown id", admin, "PATCH", "/api/users/01900000-0000-7000-8000-000000000000", map[string]any{"name": "x"}, 404, "not_found", nil, "未找到"},
		{"not signed in", h.NewClient(), "GET", "/api/users", nil, 401, "unauthenticated", nil, "请先登录"},
		{"not allowed", desk, "GET", "/api/users", nil, 403, "forbidden", nil, "没有权限"},
		{"conflict", admin, "POST", "/api/users", map[string]any{"login": "chen", "name": "x", "password": "password-1", "roles": []string{"desk"}}, 409, "user.login_taken", nil, "chen"},
		{"too large", admin, "POST", "/api/settings/company/logo", big, 413, "too_large", nil, "过大"},
		{"unknown api route", admin, "GET", "/api/nothing-here", nil, 404, "route_not_found", nil, "接口不存在"},
		{"wrong credentials", h.NewClient(), "POST", "/api/auth/login", map[string]string{"login": "chen", "password": "nope-nope"}, 401, "invalid_credentials", nil, "账号或密码不正确"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.c.Do(tt.method, tt.path, tt.body)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tt.status, r.Body)
			}
			var raw map[string]map[string]any
			if err := json.Unmarshal(r.Body, &raw); err != nil || raw["error"] == nil {
				t.Fatalf("body is not the error shape: %s", r.Body)
			}
			e := r.Error()
			if e.Code != tt.code {
				t.Errorf("code %q, want %q", e.Code, tt.code)
			}
			if e.Message == "" || !strings.Contains(e.Message, tt.contains) {
				t.Errorf("message %q, want it to contain %q", e.Message, tt.contains)
			}
			for _, f := range tt.fields {
				if e.Fields[f] == "" {
					t.Errorf("no message for field %s: %v", f, e.Fields)
				}
			}
			if strings.Contains(string(r.Body), "goroutine") || strings.Contains(string(r.Body), ".go:") {
				t.Errorf("internal detail leaked: %s", r.Body)
			}
		})
	}
}

func TestDiskFloorRefusesWrites(t *testing.T) {
	h := servertest.StartWith(t, store.Options{DiskFloorBytes: 1 << 62}, server.Config{})
	r := h.NewClient().Do("GET", "/readyz", nil)
	if r.Status != 503 || !strings.Contains(string(r.Body), "disk_full") {
		t.Errorf("/readyz: %d %s", r.Status, r.Body)
	}
	if r := h.NewClient().Do("GET", "/healthz", nil); r.Status != 200 {
		t.Errorf("/healthz: %d", r.Status)
	}
	// Even the login's session write is refused: 507 with a clear message.
	r = h.NewClient().Do("POST", "/api/auth/login", map[string]string{"login": "x", "password": "y"})
	if r.Status != 507 || r.Error().Code != "disk_full" {
		t.Errorf("write below the floor: %d %s", r.Status, r.Body)
	}
}

func TestIdempotentRetry(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("admin", "password-admin", domain.RoleAdmin)
	c := h.Login("admin", "password-admin")
	body := map[string]any{"login": "liu", "name": "刘工", "password": "password-1", "roles": []string{"technician"}}
	first := c.Do("POST", "/api/users", body, "Idempotency-Key", "k-1")
	again := c.Do("POST", "/api/users", body, "Idempotency-Key", "k-1")
	if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) {
		t.Fatalf("retry answered differently:\n%d %s\n%d %s", first.Status, first.Body, again.Status, again.Body)
	}
	var list server.UserList
	_ = c.Do("GET", "/api/users", nil).JSON(&list)
	n := 0
	for _, u := range list.Items {
		if u.Login == "liu" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d users liu, want 1", n)
	}
	body["name"] = "另一个"
	if r := c.Do("POST", "/api/users", body, "Idempotency-Key", "k-1"); r.Status != 422 || r.Error().Code != "idempotency_key_reused" {
		t.Errorf("key reused for another body: %d %s", r.Status, r.Body)
	}
	// Without a key a second create is a conflict, not a silent duplicate.
	body["name"] = "刘工"
	if r := c.Do("POST", "/api/users", body); r.Status != 409 {
		t.Errorf("second create without key: %d", r.Status)
	}
}

func TestLoginThrottle(t *testing.T) {
	h := servertest.Start(t)
	h.AddUser("chen", "password-chen", domain.RoleDesk)
	c := h.NewClient()
	var last servertest.Response
	for i := 0; i < 7; i++ {
		last = c.Do("POST", "/api/auth/login", map[string]string{"login": "chen", "password": "wrong-password"},
			"X-Forwarded-For", "10.0.0."+string(rune('1'+i)))
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after 7 failures: %d Retry-After=%q", last.Status, last.Header.Get("Retry-After"))
	}
	if !strings.Contains(last.Error().Message, "秒后再试") {
		t.Errorf("message %q", last.Error().Message)
	}
	// Even the right password waits; there is no permanent lock-out.
	if r := c.Do("POST", "/api/auth/login", map[string]string{"login": "chen", "password": "password-chen"}); r.Status != 429 {
		t.Errorf("right password during backoff: %d", r.Status)
	}
}

func TestStaticFiles(t *testing.T) {
	ui := fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>ELVcare</title>")},
		"sw.js":                {Data: []byte("self.x=1")},
		"manifest.webmanifest": {Data: []byte("{}")},
		"assets/app-abc123.js": {Data: []byte("console.log(1)")},
	}
	h := servertest.StartWith(t, store.Options{}, server.Config{UI: ui})
	c := h.NewClient()
	tests := []struct {
		name, path, accept, mode string
		status                   int
		cache, ctype             string
	}{
		{"index", "/", "text/html", "navigate", 200, "no-cache", "text/html"},
		{"navigation fallback", "/tech/tickets/42", "text/html", "navigate", 200, "no-cache", "text/html"},
		{"service worker", "/sw.js", "*/*", "same-origin", 200, "no-cache", "javascript"},
		{"manifest", "/manifest.webmanifest", "*/*", "cors", 200, "no-cache", "manifest+json"},
		{"hashed asset", "/assets/app-abc123.js", "*/*", "no-cors", 200, "immutable", "javascript"},
		{"missing asset is 404, not html", "/assets/app-old999.js", "*/*", "no-cors", 404, "", "json"},
		{"missing api is 404 json", "/api/none", "text/html", "navigate", 404, "", "json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do("GET", tt.path, nil, "Accept", tt.accept, "Sec-Fetch-Mode", tt.mode)
			if r.Status != tt.status {
				t.Fatalf("status %d want %d", r.Status, tt.status)
			}
			if tt.cache != "" && !strings.Contains(r.Header.Get("Cache-Control"), tt.cache) {
				t.Errorf("Cache-Control %q, want %q", r.Header.Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(r.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("Content-Type %q, want %q", r.Header.Get("Content-Type"), tt.ctype)
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("no CSP: %q", csp)
			}
		})
	}
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	h := servertest.Start(t)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := h.NewClient().Do("GET", "/api/openapi.json", nil).JSON(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	for _, r := range h.Server.Routes() {
		p := r.Path
		for _, part := range strings.Split(p, "/") {
			if strings.HasPrefix(part, ":") {
				p = strings.Replace(p, part, "{"+part[1:]+"}", 1)
			}
		}
		if doc.Paths[p][strings.ToLower(r.Method)] == nil {
			t.Errorf("%s %s missing from the OpenAPI document", r.Method, p)
		}
	}
}

// streamStatus opens a server-sent-events route and reads only its status.
func streamStatus(t *testing.T, h *servertest.Harness, c *servertest.Client, path string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+path, nil)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
