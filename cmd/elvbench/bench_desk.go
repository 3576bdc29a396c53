package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/store"
	"elvcare/sync/xlsx"
)

// deskTickets makes n tickets spread over techs technicians: open ones
// (state from states in turn) with callbacks in month when done.
func deskTickets(n int, techs []string, states []domain.TicketState, cbAt time.Time) []domain.Ticket {
	out := make([]domain.Ticket, n)
	levels := []domain.Satisfaction{"very_satisfied", "satisfied", "neutral", "", "dissatisfied"}
	for i := range out {
		st := states[i%len(states)]
		created := cbAt.Add(-time.Duration(i%72) * time.Hour)
		arrived := created.Add(2 * time.Hour)
		t := domain.Ticket{ID: sync.NewID(), Number: fmt.Sprintf("LL-2026-%05d", i+1), JobID: sync.NewID(),
			CustomerID: fmt.Sprintf("cust-%04d", i%2000), CustomerName: fmt.Sprintf("深圳市第%04d物业管理有限公司", i%2000),
			SiteName: "1号楼", District: "福田区", ContactName: "陈经理", ContactPhone: "13800138000", System: domain.SystemCCTV,
			Requested: "监控画面中断", Priority: "normal", CustomerType: domain.CustomerTypeAnnual, State: st,
			Lead: techs[i%len(techs)], LeadName: "技术员", Helpers: []string{}, Created: created, Updated: created, ArrivedAt: &arrived,
			Rev: 3, FieldRev: map[string]int{}}
		if i%7 == 0 {
			t.Helpers = []string{techs[(i+1)%len(techs)]}
		}
		if st == domain.TicketCalledBack {
			t.Result = &domain.TicketResult{Status: domain.ResultDone}
			lv := levels[i%len(levels)]
			acc := domain.Acceptance{EquipmentOK: true, Accessories: "none", Satisfaction: lv}
			cb := domain.Callback{Reached: true, Solved: true, At: cbAt.Add(-time.Duration(i%500) * time.Minute)}
			if lv == "dissatisfied" {
				acc.Reasons = []domain.DissatisfactionReason{"response"}
			}
			t.Acceptance, t.Callback = &acc, &cb
		}
		out[i] = t
	}
	return out
}

func seedTechnicians(ctx context.Context, e *sync.Engine, n int) ([]string, error) {
	var ids []string
	for i := 0; i < n; i++ {
		out, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: jsonArgs(sync.CreateUserArgs{
			Login: fmt.Sprintf("tech%03d", i), Name: fmt.Sprintf("技术员%02d", i), Roles: []domain.Role{domain.RoleTechnician}, Specialist: i%2 == 0, Skills: []string{"cctv"}, PasswordHash: "x"})})
		if err != nil {
			return nil, err
		}
		var u domain.User
		_ = json.Unmarshal(out, &u)
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// benchDesk: the dispatch board with 5,000 open tickets and 50 technicians
// over HTTP, and one month's statistics over 50,000 tickets.
func benchDesk(time.Duration) error {
	st, e, done, err := openBench("elvbench-desk-")
	if err != nil {
		return err
	}
	defer done()
	ctx := context.Background()
	techs, err := seedTechnicians(ctx, e, 50)
	if err != nil {
		return err
	}
	open := []domain.TicketState{domain.TicketNew, domain.TicketAssigned, domain.TicketAccepted, domain.TicketAppointed,
		domain.TicketOnSite, domain.TicketReturned, domain.TicketEscalated}
	month := time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC)
	if err := e.BulkLoadTickets(ctx, deskTickets(5000, techs, open, month)); err != nil {
		return err
	}
	if err := e.BulkLoadTickets(ctx, deskTickets(50000, techs, []domain.TicketState{domain.TicketCalledBack}, month)); err != nil {
		return err
	}
	hash, _ := server.HashPassword("bench-password")
	if _, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: jsonArgs(sync.CreateUserArgs{
		Login: "chen", Name: "陈小姐", Roles: []domain.Role{domain.RoleDesk}, PasswordHash: hash})}); err != nil {
		return err
	}
	srv := server.New(server.Config{Logger: quiet()}, e)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.App().Listener(ln) }()
	defer srv.Shutdown(time.Second)
	url := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	r, err := client.Post(url+"/api/auth/login", "application/json", strings.NewReader(`{"login":"chen","password":"bench-password"}`))
	if err != nil {
		return err
	}
	r.Body.Close()
	var times []float64
	for i := 0; i < 40; i++ {
		start := time.Now()
		resp, err := client.Get(url + "/api/dispatch/board")
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) < 1000 {
			return fmt.Errorf("board: %d", resp.StatusCode)
		}
		if i >= 5 {
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
	}
	sort.Float64s(times)
	report("dispatch_board_p95_ms", times[len(times)*95/100], "ms")
	var best float64
	for i := 0; i < 5; i++ {
		start := time.Now()
		rows, err := e.MonthlyStats(ctx, "2026-10")
		if err != nil {
			return err
		}
		if len(rows) != 50 {
			return fmt.Errorf("stats: %d rows", len(rows))
		}
		if ms := float64(time.Since(start).Microseconds()) / 1000; i == 0 || ms < best {
			best = ms
		}
	}
	report("monthly_stats_ms", best, "ms")
	_ = st
	return nil
}

// benchXLSX exports an archive of 50,000 rows (equipment) with the
// streaming writer, in a child process so its resident memory is its own.
func benchXLSX(time.Duration) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "elvbench-xlsx-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// Load in one process, export in another: the export's resident memory
	// is that of a server that opened the store and exported, nothing else.
	if out, err := exec.Command(self, "-child", "xlsx-load", "-dir", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("xlsx load: %w: %s", err, out)
	}
	out, err := exec.Command(self, "-child", "xlsx-export", "-dir", dir).Output()
	if err != nil {
		return fmt.Errorf("xlsx export: %w", err)
	}
	os.Stdout.Write(out)
	return nil
}

func openDir(dir string) (*store.DB, *sync.Engine, error) {
	st, err := store.Open(store.Options{Dir: dir, Migrations: sync.Migrations, DiskFloorBytes: 1, Logger: quiet()})
	if err != nil {
		return nil, nil, err
	}
	return st, sync.New(sync.Options{Store: st, Logger: quiet()}), nil
}

func childXLSXLoad(dir string) error {
	st, e, err := openDir(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	cu, site := sync.NewID(), sync.NewID()
	if _, err := e.ApplyAll(ctx, sync.System, []sync.Mutation{
		{Name: "customer.create", Args: jsonArgs(sync.CustomerArgs{ID: cu, Name: "深圳市导出测试物业有限公司", Kind: "company"})},
		{Name: "site.create", Args: jsonArgs(sync.SiteArgs{ID: site, CustomerID: cu, Name: "测试大厦", Address: "深圳市南山区科技园", District: "南山区"})},
	}); err != nil {
		return err
	}
	const rows = 50000
	for start := 0; start < rows; start += 5000 {
		base := start
		if err := st.Update(ctx, func(tx store.Tx) error {
			for i := 0; i < 5000; i++ {
				id := sync.NewID()
				rec := sync.EquipmentRecord{Equipment: domain.Equipment{ID: id, SiteID: site, System: domain.SystemCCTV, ItemType: domain.ItemCCTVCamera,
					Model: "海康威视 DS-2CD3T46", Serial: "HK" + strconv.Itoa(base+i), Location: fmt.Sprintf("%d层走廊", i%30+1), QRToken: id}, CustomerID: cu}
				data, _ := json.Marshal(rec)
				if err := tx.Put(sync.CollEquipment, id, data, store.Index{Name: sync.IdxSite, Value: site}, store.Index{Name: sync.IdxCustomer, Value: cu}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func childXLSXExport(dir string) error {
	st, _, err := openDir(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	start := time.Now()
	wb, err := xlsx.Export(ctx, st)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		return err
	}
	wb.Close()
	secs := time.Since(start).Seconds()
	report("xlsx_export_50k_s", secs, "s")
	report("xlsx_export_rss_mb", peakRSSMB(), "MB")
	return nil
}

// peakRSSMB is the process's peak resident memory (VmHWM).
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
