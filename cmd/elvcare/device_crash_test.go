package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	gosync "sync"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/store"
)

// crashDevice is one simulated phone: it pushes batches of work records
// and retries whatever it did not see acknowledged.
type crashDevice struct {
	login, client, ticket string
	http                  *http.Client
	made                  []sync.PushMutation // every mutation made, id = index+1
	acked                 uint64
}

func (d *crashDevice) csrf(base string) string {
	u, _ := url.Parse(base)
	for _, c := range d.http.Jar.Cookies(u) {
		if c.Name == "csrf_token" {
			return c.Value
		}
	}
	return ""
}

func (d *crashDevice) post(base, path string, body any) (int, []byte, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", d.csrf(base))
	r, err := d.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body)
	return r.StatusCode, b, err
}

// TestCrashDevicesExactlyOnce: 20 devices push batches while the server
// is killed with SIGKILL at random moments, 50 cycles. After every restart
// each device's mutations are applied exactly once (each adds one work
// record with its own id) and the change feed has no hole.
func TestCrashDevicesExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short mode")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	devices := seedCrashWorld(t, data, 20)
	addr := freePort(t)
	base := "http://" + addr
	rng := rand.New(rand.NewPCG(7, 11))
	const cycles = 50
	for cycle := 0; cycle < cycles; cycle++ {
		p := startServer(t, bin, data, addr)
		verifyDevices(t, cycle, base, devices)
		killAt := time.Now().Add(time.Duration(30+rng.IntN(300)) * time.Millisecond)
		var wg gosync.WaitGroup
		for _, d := range devices {
			wg.Add(1)
			go func(d *crashDevice) {
				defer wg.Done()
				for time.Now().Before(killAt) {
					// Everything not acknowledged, plus a few new ones.
					for i := 0; i < 5 && len(d.made) < int(d.acked)+40; i++ {
						id := uint64(len(d.made) + 1)
						d.made = append(d.made, sync.PushMutation{ID: id, Name: "ticket.addWork",
							Args: mustJSON(sync.WorkArgs{ID: d.ticket, WorkID: sync.NewID(), Text: fmt.Sprintf("记录 %d", id)})})
					}
					// Like the app: at most 20 a batch, halved on 413.
					batch := d.made[d.acked:min(d.acked+20, uint64(len(d.made)))]
					status, body, err := d.post(base, "/api/sync/push", sync.PushRequest{ClientID: d.client, SchemaVersion: 1, Mutations: batch})
					for status == 413 && len(batch) > 1 && err == nil {
						batch = batch[:len(batch)/2]
						status, body, err = d.post(base, "/api/sync/push", sync.PushRequest{ClientID: d.client, SchemaVersion: 1, Mutations: batch})
					}
					if err != nil {
						return // killed under us: outcome unknown, retried next cycle
					}
					if status != 200 {
						t.Errorf("%s push: %d %s", d.login, status, body)
						return
					}
					var r struct{ LastMutationID uint64 }
					_ = json.Unmarshal(body, &r)
					if r.LastMutationID < d.acked {
						t.Errorf("%s: last mutation went back", d.login)
					}
					d.acked = r.LastMutationID
				}
			}(d)
		}
		time.Sleep(time.Until(killAt))
		p.kill()
		wg.Wait()
		if out, err := exec.Command(bin, "check", "--data", data).CombinedOutput(); err != nil {
			t.Fatalf("cycle %d: feed check: %v\n%s", cycle, err, out)
		}
	}
	p := startServer(t, bin, data, addr)
	defer p.kill()
	total := verifyDevices(t, cycles, base, devices)
	t.Logf("%d mutations over %d kills", total, cycles)
	if total < 20*cycles {
		t.Errorf("only %d mutations made it: the test did not exercise the server", total)
	}
}

func mustJSON(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

// verifyDevices logs each device in (sessions survive restarts, but a
// device may have never logged in) and checks its ticket: one work record
// per applied mutation, no duplicates, none beyond what was sent.
func verifyDevices(t *testing.T, cycle int, base string, devices []*crashDevice) int {
	t.Helper()
	total := 0
	for _, d := range devices {
		status, body, err := d.post(base, "/api/sync/pull", sync.PullRequest{ClientID: d.client})
		if status == 401 {
			if status, _, err := d.post(base, "/api/auth/login", map[string]string{"login": d.login, "password": "crash-password"}); err != nil || status != 200 {
				t.Fatalf("cycle %d: login %s: %v %d", cycle, d.login, err, status)
			}
			status, body, err = d.post(base, "/api/sync/pull", sync.PullRequest{ClientID: d.client})
		}
		if err != nil || status != 200 {
			t.Fatalf("cycle %d: pull %s: %v %d %s", cycle, d.login, err, status, body)
		}
		var pr struct {
			LastMutationID uint64 `json:"lastMutationId"`
			Changes        []struct {
				Collection string          `json:"collection"`
				Data       json.RawMessage `json:"data"`
			} `json:"changes"`
		}
		_ = json.Unmarshal(body, &pr)
		var tk domain.Ticket
		for _, c := range pr.Changes {
			if c.Collection == sync.CollTickets {
				_ = json.Unmarshal(c.Data, &tk)
			}
		}
		seen := map[string]bool{}
		for _, w := range tk.Work {
			if seen[w.ID] {
				t.Errorf("cycle %d: %s: work record %s twice", cycle, d.login, w.ID)
			}
			seen[w.ID] = true
		}
		if uint64(len(tk.Work)) != pr.LastMutationID || pr.LastMutationID < d.acked || pr.LastMutationID > uint64(len(d.made)) {
			t.Errorf("cycle %d: %s: %d work records, server last %d, acked %d, made %d", cycle, d.login, len(tk.Work), pr.LastMutationID, d.acked, len(d.made))
		}
		d.acked = pr.LastMutationID
		total += len(tk.Work)
	}
	return total
}

// seedCrashWorld writes, through the write path of a stopped data
// directory, n technicians each holding one ticket.
func seedCrashWorld(t *testing.T, dir string, n int) []*crashDevice {
	st, err := store.Open(store.Options{Dir: dir, Migrations: sync.Migrations, DiskFloorBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := sync.New(sync.Options{Store: st})
	ctx := context.Background()
	do := func(name string, args any) string {
		out, err := e.Apply(ctx, sync.System, sync.Mutation{Name: name, Args: mustJSON(args)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var x struct{ ID string }
		_ = json.Unmarshal(out, &x)
		return x.ID
	}
	hash, _ := server.HashPassword("crash-password")
	cu := do("customer.create", sync.CustomerArgs{Name: "深圳市测试物业有限公司", Kind: "company"})
	site := do("site.create", sync.SiteArgs{CustomerID: cu, Name: "测试大厦", Address: "深圳市南山区科技园", District: "南山区"})
	do("contact.create", sync.ContactArgs{CustomerID: cu, Name: "周经理", Phones: []string{"13912345678"}})
	var out []*crashDevice
	for i := 0; i < n; i++ {
		login := fmt.Sprintf("tech%02d", i)
		uid := do("user.create", sync.CreateUserArgs{Login: login, Name: "技术员", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, PasswordHash: hash})
		tk := do("ticket.open", sync.OpenTicketArgs{CustomerID: cu, SiteID: site, ContactName: "周经理", ContactPhone: "13912345678", System: "cctv", Requested: "测试"})
		do("ticket.assign", sync.AssignArgs{ID: tk, Lead: uid})
		jar, _ := cookiejar.New(nil)
		out = append(out, &crashDevice{login: login, client: fmt.Sprintf("crash-device-%02d", i), ticket: tk,
			http: &http.Client{Jar: jar, Timeout: 5 * time.Second}})
	}
	return out
}
