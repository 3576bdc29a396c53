package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"sort"
	gosync "sync"
	"sync/atomic"
	"time"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/store"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openBench(prefix string) (*store.DB, *sync.Engine, func(), error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := store.Open(store.Options{Dir: dir, Migrations: sync.Migrations, DiskFloorBytes: 1, Logger: quiet()})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, nil, err
	}
	return st, sync.New(sync.Options{Store: st, Logger: quiet()}), func() { st.Close(); os.RemoveAll(dir) }, nil
}

func jsonArgs(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

// benchPush: 20 devices push 50-mutation batches of a technician's real
// day, ticket after ticket — accept, call ahead, leave, arrive, then for a
// repair work records, parts and photos, for a maintenance visit the whole
// intrusion-alarm checklist; then the result and the customer's signature —
// against raw Badger transactions of as many keys and bytes from 20
// writers, into a Badger that holds as much as the push store, in
// alternating rounds.
func benchPush(d time.Duration) error {
	const devices, batch = 20, 50
	st, e, done, err := openBench("elvbench-push-")
	if err != nil {
		return err
	}
	defer done()
	ctx := context.Background()
	// A device works through its tickets and never runs short: each takes
	// 12 (repair) or ~35 (maintenance) mutations, at up to ~1,500 a second.
	perTech := max(200, int(d.Seconds()*200))
	techs, ticketIDs, err := seedTechs(ctx, e, devices, perTech)
	if err != nil {
		return err
	}
	photo, _, err := st.Blobs().Put(ctx, bytes.NewReader(benchJPEG), 0)
	if err != nil {
		return err
	}
	sig, _, err := st.Blobs().Put(ctx, bytes.NewReader(benchPNG), 0)
	if err != nil {
		return err
	}
	days := make([]*techDay, devices)
	for i := range days {
		days[i] = &techDay{tickets: ticketIDs[i], photo: photo, sig: sig}
	}
	pushFor := func(dur time.Duration) (float64, float64, error) {
		var n atomic.Int64
		var firstErr atomic.Value
		stop := time.Now().Add(dur)
		start := time.Now()
		var wg gosync.WaitGroup
		for dv := 0; dv < devices; dv++ {
			wg.Add(1)
			go func(dv int) {
				defer wg.Done()
				day := days[dv]
				for time.Now().Before(stop) {
					ms, err := day.next(batch)
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					res, err := e.Push(ctx, techs[dv], sync.PushRequest{ClientID: fmt.Sprintf("bench-device-%02d", dv), SchemaVersion: sync.SchemaVersion, Mutations: ms})
					if err == nil {
						for _, r := range res.Results {
							if r.Status != "applied" {
								err = fmt.Errorf("mutation %d %s: %v", r.ID, r.Status, r.Err)
								break
							}
						}
					}
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					n.Add(batch)
				}
			}(dv)
		}
		wg.Wait()
		if err, _ := firstErr.Load().(error); err != nil {
			return 0, 0, err
		}
		return float64(n.Load()), time.Since(start).Seconds(), nil
	}
	rawDir, err := os.MkdirTemp("", "elvbench-rawpush-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(rawDir)
	raw, err := store.OpenRawBench(rawDir)
	if err != nil {
		return err
	}
	defer raw.Close()
	// The raw Badger starts as big as the push store: the tickets seeded
	// for the devices are in the store the push rounds write to, and what
	// an LSM tree holds is what its flushes and compactions work through
	// (an empty baseline also drifted with -d, which sizes the seed). Its
	// filler sits in a key range of its own, which the rounds' keys never
	// fall into: the layout that spares the raw side's compactions most.
	seeded := st.Stats()
	if err := raw.Fill(int(seeded.Keys), int(seeded.Bytes/max(1, seeded.Keys))); err != nil {
		return err
	}
	// A short first round measures what one pushed batch writes (keys and
	// bytes), so the raw side commits transactions of the same sizes.
	before := st.Stats()
	o, _, err := pushFor(time.Second)
	if err != nil {
		return err
	}
	after := st.Stats()
	keysPerBatch := int(float64(after.Keys-before.Keys) / (o / batch))
	bytesPerKey := int((after.Bytes - before.Bytes) / max(1, after.Keys-before.Keys))
	const rounds = 4
	slice := d / 2
	var ops, secs, rawBatches, rawSecs float64
	// Each device's mutations for a round are made before it (half as many
	// again as the first round's pace would use); one that still runs short
	// makes more as it goes.
	perRound := int(o/devices*slice.Seconds()*1.5) + batch
	for r := 0; r < rounds; r++ {
		for _, day := range days {
			day.prepare(perRound)
		}
		settle(5 * time.Second)
		c0, _ := cpuSeconds()
		o, s, err := pushFor(slice)
		if err != nil {
			return err
		}
		c1, _ := cpuSeconds()
		ops, secs = ops+o, secs+s
		settle(5 * time.Second)
		c2, _ := cpuSeconds()
		rate, err := raw.BatchRate(devices, keysPerBatch, bytesPerKey, slice)
		if err != nil {
			return err
		}
		c3, _ := cpuSeconds()
		rawMuts := rate * slice.Seconds() / float64(keysPerBatch) * batch
		fmt.Fprintf(os.Stderr, "push round %d: %.0f mutations/s, %.1f µs CPU each; raw: %.0f/s, %.1f µs CPU each\n",
			r+1, o/s, (c1-c0)/o*1e6, rawMuts/slice.Seconds(), (c3-c2)/rawMuts*1e6)
		rawBatches, rawSecs = rawBatches+rate*slice.Seconds()/float64(keysPerBatch), rawSecs+slice.Seconds()
	}
	fmt.Fprintf(os.Stderr, "push: a 50-mutation batch writes %d keys of %d bytes on average\n", keysPerBatch, bytesPerKey)
	report("push_apply_per_s", ops/secs, "mutations/s")
	report("push_vs_raw_ratio", (ops/secs)/(rawBatches*batch/rawSecs), "x")
	return nil
}

// techDay makes one device's mutations: its tickets in turn, every other
// one a maintenance visit with the intrusion-alarm checklist.
type techDay struct {
	tickets    []string
	photo, sig string
	ticket     int
	queue      []sync.PushMutation
	id         uint64
}

var alarmAnswers = func() []domain.ChecklistAnswer {
	var as []domain.ChecklistAnswer
	for _, sec := range domain.IntrusionAlarmTemplate().Sections {
		for _, it := range sec.Items {
			a := domain.ChecklistAnswer{ItemKey: it.Key}
			switch it.Kind {
			case domain.AnswerChoice:
				a.Choice = it.Options[0].Key
			case domain.AnswerCount:
				a.Counts = map[string]int{}
				for _, c := range it.Counters {
					a.Counts[c.Key] = 4
				}
			case domain.AnswerText:
				a.Text = "运行正常"
			}
			as = append(as, a)
		}
	}
	return as
}()

// prepare plans tickets until at least n mutations are queued, or the
// device's tickets run out; the rounds then time the server alone, not
// the devices making their mutations (a phone's work, not the server's).
func (d *techDay) prepare(n int) {
	for len(d.queue) < n && d.ticket < len(d.tickets) {
		d.plan(d.ticket)
		d.ticket++
	}
}

func (d *techDay) next(n int) ([]sync.PushMutation, error) {
	for len(d.queue) < n {
		if d.ticket == len(d.tickets) {
			return nil, fmt.Errorf("a bench device ran out of tickets after %d", d.ticket)
		}
		d.plan(d.ticket)
		d.ticket++
	}
	ms := d.queue[:n:n]
	d.queue = d.queue[n:]
	for i := range ms {
		d.id++
		ms[i].ID = d.id
	}
	return ms, nil
}

func (d *techDay) plan(k int) {
	tk := d.tickets[k]
	add := func(name string, args any) {
		now := time.Now()
		d.queue = append(d.queue, sync.PushMutation{Name: name, Args: jsonArgs(args), DeviceTime: &now})
	}
	add("ticket.accept", sync.TicketRef{ID: tk})
	add("ticket.callAhead", sync.CallAheadArgs{ID: tk, CallID: sync.NewID(), CalledAt: time.Now().UTC().Format(time.RFC3339), Method: "phone", AppointmentAt: time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339), Note: "客户要求下午两点后到场"})
	add("ticket.depart", sync.TicketRef{ID: tk})
	add("ticket.arrive", sync.TicketRef{ID: tk})
	if k%2 == 0 {
		add("ticket.addWork", sync.WorkArgs{ID: tk, WorkID: sync.NewID(), Text: "检查录像机硬盘与网络连接，发现 3 号硬盘坏道，更换硬盘并重新配置录像通道"})
		add("ticket.addPart", sync.PartArgs{ID: tk, PartID: sync.NewID(), Name: "监控硬盘", Model: "希捷 ST4000VX", Qty: 1})
		add("ticket.addPart", sync.PartArgs{ID: tk, PartID: sync.NewID(), Name: "网络跳线", Model: "CAT6 1m", Qty: 2})
		add("ticket.addPhoto", sync.PhotoArgs{ID: tk, PhotoID: sync.NewID(), Hash: d.photo, Caption: "更换前"})
		add("ticket.addPhoto", sync.PhotoArgs{ID: tk, PhotoID: sync.NewID(), Hash: d.photo, Caption: "更换后"})
		add("ticket.addWork", sync.WorkArgs{ID: tk, WorkID: sync.NewID(), Text: "回放检查各通道录像正常，已向客户演示"})
	} else {
		cl := sync.NewID()
		add("checklist.start", sync.ChecklistStartArgs{ID: cl, TicketID: tk, TemplateID: "builtin.alarm.pm"})
		for _, a := range alarmAnswers {
			add("checklist.setItem", sync.ChecklistItemArgs{ID: cl, Answer: a})
		}
		add("checklist.setSummary", sync.ChecklistSummaryArgs{ID: cl, Summary: "系统运行正常，已清洁主机及探测器"})
		add("ticket.addWork", sync.WorkArgs{ID: tk, WorkID: sync.NewID(), Text: "按定期维护单逐项检查报警主机、探测器与线路"})
		add("ticket.addPhoto", sync.PhotoArgs{ID: tk, PhotoID: sync.NewID(), Hash: d.photo, Caption: "报警主机"})
	}
	add("ticket.setResult", sync.ResultArgs{ID: tk, Result: domain.TicketResult{Status: "done"}})
	add("ticket.sign", sync.SignArgs{ID: tk, SignatureHash: d.sig, SignerName: "周经理", Acceptance: domain.Acceptance{EquipmentOK: true, Accessories: "none", Satisfaction: "very_satisfied"}})
}

// Small real images for the photo and signature blobs.
var (
	benchJPEG = []byte("\xff\xd8\xff\xe0\x00\x10JFIF bench photo")
	benchPNG  = []byte("\x89PNG\r\n\x1a\n bench signature")
)

// seedTechs makes n specialists, a customer with a site, and perTech
// tickets assigned to each, alternately CCTV repairs and alarm maintenance.
func seedTechs(ctx context.Context, e *sync.Engine, n, perTech int) ([]sync.Actor, [][]string, error) {
	var ms []sync.Mutation
	cu, site := sync.NewID(), sync.NewID()
	ms = append(ms,
		sync.Mutation{Name: "customer.create", Args: jsonArgs(sync.CustomerArgs{ID: cu, Name: "深圳市基准测试物业有限公司", Kind: "company"})},
		sync.Mutation{Name: "site.create", Args: jsonArgs(sync.SiteArgs{ID: site, CustomerID: cu, Name: "基准大厦", Address: "深圳市南山区科技园", District: "南山区"})})
	if _, err := e.ApplyAll(ctx, sync.System, ms); err != nil {
		return nil, nil, err
	}
	actors := make([]sync.Actor, n)
	ids := make([][]string, n)
	for i := 0; i < n; i++ {
		out, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: jsonArgs(sync.CreateUserArgs{
			Login: fmt.Sprintf("bench%02d", i), Name: "技术员", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, PasswordHash: "x"})})
		if err != nil {
			return nil, nil, err
		}
		var u domain.User
		_ = json.Unmarshal(out, &u)
		actors[i] = sync.Actor{UserID: u.ID, Roles: u.Roles}
		ms = ms[:0]
		for k := 0; k < perTech; k++ {
			id := sync.NewID()
			ids[i] = append(ids[i], id)
			sys, req := "cctv", "监控画面中断"
			if k%2 == 1 {
				sys, req = "alarm", "季度定期维护"
			}
			ms = append(ms,
				sync.Mutation{Name: "ticket.open", Args: jsonArgs(sync.OpenTicketArgs{ID: id, CustomerID: cu, SiteID: site, ContactName: "周经理", ContactPhone: "13912345678", System: sys, Requested: req})},
				sync.Mutation{Name: "ticket.assign", Args: jsonArgs(sync.AssignArgs{ID: id, Lead: u.ID})})
			// Transactions of 200 tickets: a technician's scope grows with
			// each, and one transaction holds only so much.
			if k%200 == 199 || k == perTech-1 {
				if _, err := e.ApplyAll(ctx, sync.System, ms); err != nil {
					return nil, nil, err
				}
				ms = ms[:0]
			}
		}
	}
	return actors, ids, nil
}

// benchPull: a technician's first pull (300 tickets, 3,000 pieces of
// equipment in scope) in a store of 1,000,000 records and in one of 10,000,
// over HTTP on loopback.
func benchPull(time.Duration) error {
	big, gz, err := pullP95(1_000_000)
	if err != nil {
		return err
	}
	small, _, err := pullP95(10_000)
	if err != nil {
		return err
	}
	report("pull_initial_p95_ms", big, "ms")
	report("pull_scope_ratio", big/small, "x")
	report("pull_initial_gzip_kb", gz, "KB")
	return nil
}

func pullP95(records int) (p95ms, gzipKB float64, err error) {
	st, e, done, err := openBench("elvbench-pull-")
	if err != nil {
		return 0, 0, err
	}
	defer done()
	ctx := context.Background()
	hash, _ := server.HashPassword("bench-password")
	out, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: jsonArgs(sync.CreateUserArgs{
		Login: "wang", Name: "王工", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, PasswordHash: hash})})
	if err != nil {
		return 0, 0, err
	}
	var tech domain.User
	_ = json.Unmarshal(out, &tech)
	// 100 customers × 3 sites × 10 pieces of equipment, a ticket per site.
	written := 0
	for c := 0; c < 100; c++ {
		cu := sync.NewID()
		ms := []sync.Mutation{
			{Name: "customer.create", Args: jsonArgs(sync.CustomerArgs{ID: cu, Name: fmt.Sprintf("深圳市第%03d物业管理有限公司", c), Kind: "company"})},
			{Name: "contact.create", Args: jsonArgs(sync.ContactArgs{CustomerID: cu, Name: "陈经理", Phones: []string{"13800138000"}})},
		}
		for s := 0; s < 3; s++ {
			site := sync.NewID()
			ms = append(ms, sync.Mutation{Name: "site.create", Args: jsonArgs(sync.SiteArgs{ID: site, CustomerID: cu, Name: fmt.Sprintf("%d号楼", s+1), Address: "深圳市福田区深南大道 1000 号", District: "福田区"})})
			for q := 0; q < 10; q++ {
				ms = append(ms, sync.Mutation{Name: "equipment.create", Args: jsonArgs(sync.EquipmentArgs{SiteID: site, ItemType: domain.ItemCCTVCamera, Model: "海康威视 DS-2CD3T46", Serial: fmt.Sprintf("HK%03d%d%02d", c, s, q), Location: fmt.Sprintf("%d层走廊", q+1)})})
			}
			tk := sync.NewID()
			ms = append(ms,
				sync.Mutation{Name: "ticket.open", Args: jsonArgs(sync.OpenTicketArgs{ID: tk, CustomerID: cu, SiteID: site, ContactName: "陈经理", ContactPhone: "13800138000", System: "cctv", Requested: "摄像机画面模糊"})},
				sync.Mutation{Name: "ticket.assign", Args: jsonArgs(sync.AssignArgs{ID: tk, Lead: tech.ID})})
		}
		if _, err := e.ApplyAll(ctx, sync.System, ms); err != nil {
			return 0, 0, err
		}
		written += len(ms)
	}
	// The rest of the store: other customers' equipment, written in bulk.
	filler := []byte(`{"id":"x","siteId":"s","system":"cctv","itemType":"cctv.camera","model":"大华 DH-IPC-HFW2433","serial":"DH0000000000","location":"其他客户"}`)
	const per = 5000
	for written < records {
		n := min(per, records-written)
		base := written
		if err := st.Update(ctx, func(tx store.Tx) error {
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("filler-%09d", base+i)
				if err := tx.Put(sync.CollEquipment, id, filler, store.Index{Name: sync.IdxSite, Value: fmt.Sprintf("site-%07d", (base+i)/10)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, 0, err
		}
		written += n
	}
	srv := server.New(server.Config{Logger: quiet()}, e)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	go func() { _ = srv.App().Listener(ln) }()
	defer srv.Shutdown(time.Second)
	url := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	r, err := client.Post(url+"/api/auth/login", "application/json", bytes.NewReader([]byte(`{"login":"wang","password":"bench-password"}`)))
	if err != nil {
		return 0, 0, err
	}
	r.Body.Close()
	csrf := ""
	for _, c := range r.Cookies() {
		if c.Name == "csrf_token" {
			csrf = c.Value
		}
	}
	// Time a store at rest, not one still compacting what was just loaded.
	settle(time.Minute)
	var times []float64
	var body []byte
	// 200 timed pulls: with fewer, a p95 is one or two unlucky samples on
	// this shared machine, and the ratio of two of them swings.
	for i := 0; i < 205; i++ {
		req, _ := http.NewRequest("POST", url+"/api/sync/pull", bytes.NewReader([]byte(`{"clientId":"bench-phone-01","cursor":""}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", csrf)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			return 0, 0, fmt.Errorf("pull: %d %v", resp.StatusCode, err)
		}
		if i >= 5 { // warm-up
			times = append(times, float64(time.Since(start).Microseconds())/1000)
		}
	}
	var pr struct{ Changes []json.RawMessage }
	_ = json.Unmarshal(body, &pr)
	if len(pr.Changes) < 3300 {
		return 0, 0, fmt.Errorf("pull holds %d records, want the whole scope", len(pr.Changes))
	}
	sort.Float64s(times)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(body)
	zw.Close()
	fmt.Fprintf(os.Stderr, "pull in a store of %d records: p50 %.1f ms, p95 %.1f ms, slowest %.1f ms\n", records, times[len(times)/2], times[len(times)*95/100], times[len(times)-1])
	return times[len(times)*95/100], float64(buf.Len()) / 1024, nil
}
