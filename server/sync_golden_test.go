package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/store"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestSyncGolden")

// goldenWorld is the fixed morning of the sync golden files: the clock
// stands at 2026-11-25 09:10 Shanghai time and ids come from a counter, so
// every run answers byte for byte the same.
type goldenWorld struct {
	url    string
	vars   map[string]string
	client *http.Client
}

func newGoldenWorld(t *testing.T) *goldenWorld {
	now := time.Date(2026, 11, 25, 1, 10, 0, 0, time.UTC)
	t.Cleanup(sync.SetIDSource(sync.SequentialIDs(now)))
	clock := func() time.Time { return now }
	st, err := store.Open(store.Options{Dir: t.TempDir(), DiskFloorBytes: 1, Migrations: sync.Migrations, Now: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng := sync.New(sync.Options{Store: st, Clock: clock})
	srv := server.New(server.Config{Version: "golden", Now: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, eng)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(time.Second) })

	ctx := context.Background()
	do := func(a sync.Actor, name string, args any) string {
		raw, _ := json.Marshal(args)
		out, err := eng.Apply(ctx, a, sync.Mutation{Name: name, Args: raw})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var x struct{ ID string }
		_ = json.Unmarshal(out, &x)
		return x.ID
	}
	hash, _ := server.HashPassword("golden-password")
	sys := sync.System
	wang := do(sys, "user.create", sync.CreateUserArgs{Login: "wang", Name: "王工", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, Skills: []string{"cctv", "alarm"}, PasswordHash: hash})
	desk := sync.Actor{UserID: do(sys, "user.create", sync.CreateUserArgs{Login: "chen", Name: "陈小姐", Roles: []domain.Role{domain.RoleDesk}, PasswordHash: hash}), Roles: []domain.Role{domain.RoleDesk}}
	cu := do(desk, "customer.create", sync.CustomerArgs{Name: "深圳市华强物业管理有限公司", Kind: "company"})
	site := do(desk, "site.create", sync.SiteArgs{CustomerID: cu, Name: "华强大厦", Address: "深圳市福田区华强北路 1019 号", District: "福田区"})
	do(desk, "contact.create", sync.ContactArgs{CustomerID: cu, Name: "刘经理", Phones: []string{"13802261234"}})
	nvr := do(desk, "equipment.create", sync.EquipmentArgs{SiteID: site, ItemType: domain.ItemCCTVRecorder, Model: "海康威视 DS-7816N-K2", Serial: "DS7816N20230511AA", Location: "地下二层停车场"})
	do(desk, "contract.create", sync.ContractArgs{CustomerID: cu, AuditedBeforeSystem: true, ContractTerms: sync.ContractTerms{
		Number: "HQ-2026-AM-01", Kind: domain.ContractAnnual, Covers: []domain.ContractCover{{SiteID: site, System: domain.SystemCCTV}},
		StartDate: "2026-04-01", EndDate: "2027-03-31", AnnualPriceFen: 960000}})
	ticket := do(desk, "ticket.open", sync.OpenTicketArgs{CustomerID: cu, SiteID: site, ContactName: "刘经理", ContactPhone: "13802261234",
		System: "cctv", EquipmentIDs: []string{nvr}, Requested: "地下二层停车场的监控录像机没有画面了", PlannedDate: "2026-11-25"})
	do(desk, "ticket.assign", sync.AssignArgs{ID: ticket, Lead: wang})
	sig, _, _ := st.Blobs().Put(ctx, strings.NewReader("signature-image"), 0)

	jar, _ := cookiejar.New(nil)
	g := &goldenWorld{url: "http://" + ln.Addr().String(), client: &http.Client{Jar: jar, Timeout: 10 * time.Second},
		vars: map[string]string{"ticket": ticket, "nvr": nvr, "sig": sig}}
	r, err := g.client.Post(g.url+"/api/auth/login", "application/json", strings.NewReader(`{"login":"wang","password":"golden-password"}`))
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, r)
	}
	r.Body.Close()
	return g
}

var varRe = regexp.MustCompile(`\{\{([a-z0-9:_-]+)\}\}`)

// expand replaces {{name}} with a value of the world; {{new:x}} is a fresh
// id, the same for every use of x.
func (g *goldenWorld) expand(s string) string {
	return varRe.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-2]
		if v, ok := g.vars[name]; ok {
			return v
		}
		if strings.HasPrefix(name, "new:") {
			g.vars[name] = sync.NewID()
			return g.vars[name]
		}
		return m
	})
}

var qrRe = regexp.MustCompile(`"qrToken":\s*"[^"]*"`)

func (g *goldenWorld) call(t *testing.T, method, path, body string) (int, string) {
	req, _ := http.NewRequest(method, g.url+path, strings.NewReader(g.expand(body)))
	req.Header.Set("Content-Type", "application/json")
	u, _ := req.URL.Parse(g.url)
	for _, c := range g.client.Jar.Cookies(u) {
		if c.Name == "csrf_token" {
			req.Header.Set("X-CSRF-Token", c.Value)
		}
	}
	resp, err := g.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		buf.Reset()
		buf.Write(raw)
	}
	// QR tokens come from crypto/rand: the only part that may differ.
	return resp.StatusCode, qrRe.ReplaceAllString(buf.String(), `"qrToken": "<qr>"`)
}

// TestSyncGolden runs the request → response pairs of testdata/sync/*.golden
// in order against the fixed morning. Each step is
//
//	METHOD PATH
//	request body
//	---
//	STATUS
//	response body
//
// and steps are separated by a line "===". Run with -update to rewrite the
// expected halves, then review the diff.
func TestSyncGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/sync/*.golden")
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			g := newGoldenWorld(t)
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			steps := strings.Split(string(data), "\n===\n")
			var out []string
			for i, step := range steps {
				in, want, _ := strings.Cut(step+"\n", "\n---\n")
				head, body, _ := strings.Cut(strings.TrimLeft(in, "\n"), "\n")
				method, path, _ := strings.Cut(strings.TrimSpace(head), " ")
				status, got := g.call(t, method, path, body)
				var pulled struct{ Cursor string }
				if json.Unmarshal([]byte(got), &pulled) == nil && pulled.Cursor != "" {
					g.vars["cursor"] = pulled.Cursor // the next pull goes on from here
				}
				gotText := strings.TrimSpace(strings.Join([]string{itoa(status), got}, "\n"))
				if *update {
					out = append(out, strings.TrimRight(in, "\n")+"\n---\n"+gotText+"\n")
					continue
				}
				if diff := cmp.Diff(gotText, strings.TrimSpace(want)); diff != "" {
					t.Errorf("step %d (%s %s) (-got +want):\n%s", i+1, method, path, diff)
				}
			}
			if *update {
				if err := os.WriteFile(file, []byte(strings.Join(out, "===\n")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
