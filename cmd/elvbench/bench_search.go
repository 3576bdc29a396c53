package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/google/uuid"

	"elvcare/domain"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

// The archive search benchmark: 100,000 customers with 150,000 sites,
// 200,000 contacts and 1,000,000 pieces of equipment, written in bulk
// (records and their change-feed entries, past the write path), the
// search index built from the feed, then searched over HTTP on loopback
// by a separate server process, whose resident memory is reported.
var (
	benchCustomers = scaled(100_000)
	benchSites     = scaled(150_000)
	benchContacts  = scaled(200_000)
	benchEquipment = scaled(1_000_000)
)

// loadBatch records (and as many changes) go in one transaction.
const loadBatch = 2_000

// scaled applies ELVBENCH_SEARCH_SCALE (e.g. 0.1) to a size, for a quick
// run while working on the benchmark; the figures are for scale 1.
func scaled(n int) int {
	if f, err := strconv.ParseFloat(os.Getenv("ELVBENCH_SEARCH_SCALE"), 64); err == nil && f > 0 {
		return max(1, int(float64(n)*f))
	}
	return n
}

// benchQueries are what the desk types most: a common word of company
// names, a surname, four digits of a phone number.
var benchQueries = []string{"科技", "王", "8366"}

// searchServeEnv makes elvbench the search server of the benchmark,
// serving the store in that directory.
const searchServeEnv = "ELVBENCH_SEARCH_SERVE"

func init() {
	if dir := os.Getenv(searchServeEnv); dir != "" {
		if err := serveSearch(dir); err != nil {
			fmt.Fprintf(os.Stderr, "elvbench search server: %v\n", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

func benchSearch(time.Duration) error {
	dir, err := os.MkdirTemp("", "elvbench-search-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: 1})
	if err != nil {
		return err
	}
	ctx := context.Background()
	start := time.Now()
	if err := bulkLoadArchive(ctx, st); err != nil {
		st.Close()
		return err
	}
	loaded := time.Since(start)
	// The rebuild's progress goes to stderr beside the figures.
	ix := search.New(st, search.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	start = time.Now()
	if err := ix.Rebuild(ctx); err != nil {
		st.Close()
		return err
	}
	built := time.Since(start)
	if err := errors.Join(ix.Close(), st.Close()); err != nil {
		return err
	}
	if kb, err := procStatusKB("VmHWM", "RssAnon"); err == nil {
		fmt.Fprintf(os.Stderr, "  loading process: peak resident %d MB, anonymous now %d MB\n", kb[0]>>10, kb[1]>>10)
	}
	report("archive_bulk_load_s", loaded.Seconds(), "s")
	report("archive_search_build_s", built.Seconds(), "s")
	fmt.Fprintf(os.Stderr, "  store on disk, index included: %.0f MB\n", float64(dirSize(dir))/(1<<20))

	p95, rss, err := measureSearchServer(dir)
	if err != nil {
		return err
	}
	report("archive_search_p95_ms", p95, "ms")
	report("rss_mb_1m", rss, "MB")

	perSec, err := benchCatchUp(ctx, dir)
	if err != nil {
		return err
	}
	report("archive_search_catchup_per_s", perSec, "records/s")
	return nil
}

// benchCatchUp measures the index following the feed after the build:
// new equipment of existing customers, as an import writes it, applied by
// CatchUp in its ordinary steps.
func benchCatchUp(ctx context.Context, dir string) (float64, error) {
	const n = 20_000
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: 1})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	type owner struct{ site, customer string }
	var owners []owner
	err = st.View(ctx, func(tx store.ReadTx) error {
		return tx.Scan("sites", "", 2_000, func(id string, data []byte) error {
			var s domain.Site
			if err := json.Unmarshal(data, &s); err != nil {
				return err
			}
			owners = append(owners, owner{s.ID, s.CustomerID})
			return nil
		})
	})
	if err != nil || len(owners) == 0 {
		return 0, fmt.Errorf("sites for the catch-up: %w", err)
	}
	g := newArchiveGen()
	for start := 0; start < n; start += loadBatch {
		err := st.Update(ctx, func(tx store.Tx) error {
			for i := start; i < min(n, start+loadBatch); i++ {
				o := owners[i%len(owners)]
				m := genModels[i%(len(genModels)-1)]
				q := struct {
					domain.Equipment
					CustomerID string `json:"customerId"`
				}{domain.Equipment{
					ID: uuid.Must(uuid.NewV7()).String(), SiteID: o.site, System: m.system, ItemType: m.item, Model: m.name,
					Serial:   fmt.Sprintf("%s%s%c%s", m.code, g.digits(6), 'A'+g.r.IntN(26), g.digits(6)),
					Location: g.pick(genBuildings) + g.pick(genFloors) + g.pick(genRooms),
					QRToken:  strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", ""),
				}, o.customer}
				data, err := json.Marshal(q)
				if err != nil {
					return err
				}
				if err := tx.Put("equipment", q.ID, data); err != nil {
					return err
				}
				if _, err := tx.Emit(store.Change{Collection: "equipment", ID: q.ID, Op: "put", Data: data}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	ix := search.New(st, search.Options{})
	start := time.Now()
	if err := ix.CatchUp(ctx); err != nil {
		return 0, err
	}
	took := time.Since(start)
	status, err := ix.Status(ctx)
	if err != nil {
		return 0, err
	}
	if status.Rebuilds != 0 || status.Cursor != st.LastVersion() {
		return 0, fmt.Errorf("catch-up did not follow the feed: %+v", status)
	}
	return n / took.Seconds(), ix.Close()
}

// bulkLoadArchive writes the archive with its change feed in big
// transactions, two writers at a time so generating and committing
// overlap.
func bulkLoadArchive(ctx context.Context, st store.Store) error {
	type item struct {
		coll, id string
		data     []byte
	}
	batches := make(chan []item, 4)
	errc := make(chan error, 2)
	var wg gosync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for b := range batches {
				err := st.Update(ctx, func(tx store.Tx) error {
					for _, it := range b {
						if err := tx.Put(it.coll, it.id, it.data); err != nil {
							return err
						}
						if _, err := tx.Emit(store.Change{Collection: it.coll, ID: it.id, Op: "put", Data: it.data, Scopes: []string{"role:desk"}}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					errc <- err
					for range batches {
					}
					return
				}
			}
		})
	}
	g := newArchiveGen()
	var batch []item
	emit := func(coll, id string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		batch = append(batch, item{coll, id, data})
		if len(batch) == loadBatch {
			batches <- batch
			batch = nil
		}
	}
	g.generate(emit)
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// archiveGen makes a plausible Shenzhen archive: company names built from
// common characters and trade words, Chinese surnames in their real
// frequencies, mobile and 0755 numbers, equipment of real makes with
// serials of model code, date and random digits.
type archiveGen struct {
	r *rand.Rand
}

func newArchiveGen() *archiveGen { return &archiveGen{r: rand.New(rand.NewPCG(2024, 11))} }

var (
	genBrandChars = []rune("华强中海南方鹏城安达联创宏远盛世恒通佳和金信天成新兴长城东方光明瑞丰嘉禾志远汇丰万科富康永泰博雅德信明辉鑫源荣昌宝龙卓越星河腾飞海洋昊天锦绣晨光益民同心俊峰国泰")
	genTrades     = []string{"科技", "科技", "科技", "物业管理", "电子", "实业", "投资", "建设工程", "智能科技", "信息技术", "酒店管理", "物流", "贸易", "房地产开发", "医疗器械", "教育科技", "餐饮管理", "停车场管理", "精密制造", "网络科技"}
	genForms      = []string{"有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"}
	genDistricts  = []string{"福田区", "罗湖区", "南山区", "宝安区", "龙岗区", "盐田区", "龙华区", "坪山区", "光明区", "大鹏新区"}
	genInstitutes = []string{"第%d中学", "第%d小学", "人民医院", "社区健康服务中心", "街道办事处", "图书馆", "档案馆", "税务局", "交警大队"}
	genSiteKinds  = []string{"大厦", "广场", "中心", "工业园", "科技园", "花园", "仓库", "厂区", "商务楼", "酒店"}
	genStreets    = []string{"路", "大道", "街", "一路", "二路"}
	// Surnames weighted by how common they are; 王 and 李 lead.
	genSurnames  = []string{"王", "王", "王", "王", "王", "王", "王", "李", "李", "李", "李", "李", "李", "李", "张", "张", "张", "张", "张", "张", "刘", "刘", "刘", "刘", "刘", "陈", "陈", "陈", "陈", "杨", "杨", "杨", "黄", "黄", "赵", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤"}
	genGiven     = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌玲飞鹏辉")
	genTitles    = []string{"经理", "工", "主任", "总", "先生", "女士", "主管", "科长"}
	genJobTitles = []string{"物业经理", "工程部主管", "行政主任", "IT负责人", "保安队长", "设备管理员", ""}
	genBuildings = []string{"1号楼", "2号楼", "3号楼", "A座", "B座", "C座", "主楼", "裙楼", ""}
	genFloors    = []string{"地下二层", "地下一层", "1层", "2层", "3层", "5层", "8层", "12层", "18层", "顶层"}
	genRooms     = []string{"弱电间", "弱电井", "监控室", "中心机房", "停车场", "大堂", "电梯厅", "消防控制室", "前台", "会议室"}
)

type genModel struct {
	name, code string
	system     domain.System
	item       domain.ItemType
}

var genModels = []genModel{
	{"海康威视 DS-7816N-K2", "DS7816NK2", domain.SystemCCTV, domain.ItemCCTVRecorder},
	{"海康威视 DS-2CD3T46WD-I3", "DS2CD3T46", domain.SystemCCTV, domain.ItemCCTVCamera},
	{"海康威视 DS-2CD2346FWD-IS", "DS2CD2346", domain.SystemCCTV, domain.ItemCCTVCamera},
	{"大华 DH-NVR4216-4KS2", "DHNVR4216", domain.SystemCCTV, domain.ItemCCTVRecorder},
	{"大华 DH-IPC-HFW2433M", "DHIPC2433", domain.SystemCCTV, domain.ItemCCTVCamera},
	{"宇视 IPC2124SR3-APF40", "IPC2124SR", domain.SystemCCTV, domain.ItemCCTVCamera},
	{"霍尼韦尔 VISTA-120", "VISTA120", domain.SystemAlarm, domain.ItemAlarmPanel},
	{"博世 DS-PDL1-WA", "BOSCHPDL1", domain.SystemAlarm, domain.ItemAlarmDetector},
	{"松下 KX-TDA600CN", "KXTDA600", domain.SystemTelephone, domain.ItemTelephonePBX},
	{"华为 S5735-L24T4S-A", "S5735L24", domain.SystemNetwork, domain.ItemNetworkSwitch},
	{"锐捷 RG-S2910-24GT4XS", "RGS2910", domain.SystemNetwork, domain.ItemNetworkSwitch},
	{"TOA A-2240", "TOAA2240", domain.SystemPA, domain.ItemPAAmplifier},
	{"ITC T-6240", "ITCT6240", domain.SystemPA, domain.ItemPAAmplifier},
	{"中控 iFace702", "ZKIFACE7", domain.SystemOneCard, domain.ItemOneCardAttendance},
	{"熵基 inBio460", "ZKINBIO4", domain.SystemOneCard, domain.ItemOneCardDoorController},
	{"", "", domain.SystemNetwork, domain.ItemNetworkInfoPoint},
}

func (g *archiveGen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *archiveGen) chars(rs []rune, n int) string {
	var b strings.Builder
	for range n {
		b.WriteRune(rs[g.r.IntN(len(rs))])
	}
	return b.String()
}

func (g *archiveGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte(g.r.IntN(10))
	}
	return string(b)
}

func (g *archiveGen) customer() (string, domain.CustomerKind) {
	switch n := g.r.IntN(100); {
	case n < 85:
		city := ""
		if g.r.IntN(10) < 7 {
			city = "深圳市"
		}
		return city + g.chars(genBrandChars, 2) + g.pick(genTrades) + g.pick(genForms), domain.CustomerCompany
	case n < 95:
		inst := g.pick(genInstitutes)
		if strings.Contains(inst, "%d") {
			inst = fmt.Sprintf(inst, 1+g.r.IntN(40))
		}
		return "深圳市" + g.pick(genDistricts) + inst, domain.CustomerInstitution
	}
	return g.pick(genSurnames) + g.chars(genGiven, 1+g.r.IntN(2)), domain.CustomerIndividual
}

func (g *archiveGen) phone() string {
	switch g.r.IntN(10) {
	case 0, 1, 2:
		p := "0755-" + strconv.Itoa(2+g.r.IntN(7)) + g.digits(7)
		if g.r.IntN(3) == 0 {
			p += "转" + g.digits(3+g.r.IntN(2))
		}
		return p
	}
	return "1" + strconv.Itoa(3+g.r.IntN(7)) + g.digits(9)
}

// generate calls emit with every record: each customer with its sites,
// contacts and equipment, so ids (UUIDv7) follow creation order.
func (g *archiveGen) generate(emit func(coll, id string, v any)) {
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	sites, contacts, equipment := 0, 0, 0
	for c := range benchCustomers {
		name, kind := g.customer()
		cu := domain.Customer{ID: newID(), Name: name, Kind: kind}
		emit("customers", cu.ID, cu)
		brand := []rune(name)
		var siteIDs []string
		for ; sites < (c+1)*benchSites/benchCustomers; sites++ {
			district := g.pick(genDistricts)
			s := domain.Site{
				ID: newID(), CustomerID: cu.ID, City: "深圳", District: district,
				Name:    string(brand[len(brand)/3:len(brand)/3+2]) + g.pick(genSiteKinds) + g.pick([]string{"", "A栋", "B栋", "二期"}),
				Address: "深圳市" + district + g.chars(genBrandChars, 2) + g.pick(genStreets) + strconv.Itoa(1+g.r.IntN(3000)) + "号",
			}
			siteIDs = append(siteIDs, s.ID)
			emit("sites", s.ID, s)
		}
		for ; contacts < (c+1)*benchContacts/benchCustomers; contacts++ {
			name := g.pick(genSurnames) + g.pick(genTitles)
			if g.r.IntN(3) == 0 {
				name = g.pick(genSurnames) + g.chars(genGiven, 1+g.r.IntN(2))
			}
			p := domain.Contact{ID: newID(), CustomerID: cu.ID, SiteIDs: []string{}, Name: name, Phones: []string{g.phone()}, Title: g.pick(genJobTitles)}
			if g.r.IntN(2) == 0 {
				p.Phones = append(p.Phones, g.phone())
			}
			emit("contacts", p.ID, p)
		}
		for ; equipment < (c+1)*benchEquipment/benchCustomers; equipment++ {
			m := genModels[g.r.IntN(len(genModels))]
			q := struct {
				domain.Equipment
				CustomerID string `json:"customerId"`
			}{domain.Equipment{
				ID: newID(), SiteID: siteIDs[g.r.IntN(len(siteIDs))], System: m.system, ItemType: m.item, Model: m.name,
				Location: g.pick(genBuildings) + g.pick(genFloors) + g.pick(genRooms),
				QRToken:  strings.ReplaceAll(newID(), "-", ""),
			}, cu.ID}
			if m.code != "" {
				q.Serial = fmt.Sprintf("%s%02d%02d%02d%c%c%s", m.code, 15+g.r.IntN(11), 1+g.r.IntN(12), 1+g.r.IntN(28),
					'A'+g.r.IntN(26), 'A'+g.r.IntN(26), g.digits(6))
			}
			if m.item == domain.ItemNetworkInfoPoint {
				q.Attributes.Quantity = 24 * (1 + g.r.IntN(20))
			}
			emit("equipment", q.ID, q)
		}
	}
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

// measureSearchServer runs the search server as a separate process on
// the store in dir, times the benchmark queries through it and returns
// the 95th percentile in milliseconds and its resident memory in MB.
func measureSearchServer(dir string) (p95, rssMB float64, err error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), searchServeEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() {
		stdin.Close() // the server stops when its input ends
		if werr := cmd.Wait(); err == nil && werr != nil {
			err = fmt.Errorf("search server: %w", werr)
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return 0, 0, fmt.Errorf("search server did not start: %w", err)
	}
	base := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))
	fmt.Fprintf(os.Stderr, "  search server ready in %.1f s\n", time.Since(started).Seconds())

	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) ([]byte, time.Duration, error) {
		t := time.Now()
		resp, err := client.Get(base + path)
		if err != nil {
			return nil, 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s: %s", path, resp.Status, body)
		}
		return body, time.Since(t), err
	}
	const warm, runs = 3, 60
	var all []time.Duration
	for _, q := range benchQueries {
		for _, endpoint := range []string{"/api/search", "/api/customers"} {
			path := endpoint + "?q=" + url.QueryEscape(q) + "&page=1&pageSize=20"
			var lat []time.Duration
			var body []byte
			for i := range warm + runs {
				b, d, err := get(path)
				if err != nil {
					return 0, 0, err
				}
				if i >= warm {
					lat = append(lat, d)
				}
				body = b
			}
			all = append(all, lat...)
			var page struct {
				Total  int  `json:"total"`
				Capped bool `json:"totalCapped"`
			}
			_ = json.Unmarshal(body, &page)
			fmt.Fprintf(os.Stderr, "  %-15s %-6s total %7d capped %-5v p50 %6.2f ms  p95 %6.2f ms\n",
				endpoint, q, page.Total, page.Capped, percentile(lat, 50), percentile(lat, 95))
		}
	}
	body, _, err := get("/rss")
	if err != nil {
		return 0, 0, err
	}
	var mem struct {
		RSS, Anon, File int64 // kB
	}
	if err := json.Unmarshal(body, &mem); err != nil {
		return 0, 0, fmt.Errorf("rss %q: %w", body, err)
	}
	fmt.Fprintf(os.Stderr, "  server memory: resident %d MB (anonymous %d MB, mapped files %d MB)\n",
		mem.RSS>>10, mem.Anon>>10, mem.File>>10)
	return percentile(all, 95), float64(mem.RSS) / 1024, nil
}

func percentile(ds []time.Duration, p int) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return float64(s[max(i, 0)].Microseconds()) / 1000
}

// serveSearch is the benchmark's search server: the store in dir, the
// index over it, and two endpoints shaped like the desk's — a search of
// everything and the customer list's search — until standard input ends.
func serveSearch(dir string) error {
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: 1})
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ix := search.New(st, search.Options{})
	if err := ix.CatchUp(ctx); err != nil {
		return err
	}
	ix.Start(ctx)
	defer ix.Close()

	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          10 * time.Second,
	})
	paging := func(c *fiber.Ctx) (q string, offset, limit int) {
		page, size := c.QueryInt("page", 1), c.QueryInt("pageSize", 20)
		return utils.CopyString(c.Query("q")), (max(page, 1) - 1) * size, size
	}
	app.Get("/api/search", func(c *fiber.Ctx) error {
		q, offset, limit := paging(c)
		qctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := ix.Search(qctx, q, nil, offset, limit)
		if err != nil {
			return err
		}
		return c.JSON(res)
	})
	app.Get("/api/customers", func(c *fiber.Ctx) error {
		q, offset, limit := paging(c)
		qctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ids, total, capped, err := ix.SearchCustomers(qctx, q, offset, limit)
		if err != nil {
			return err
		}
		// The list shows the customers themselves, as the real one does.
		items := make([]json.RawMessage, 0, len(ids))
		err = st.View(qctx, func(tx store.ReadTx) error {
			for _, id := range ids {
				b, err := tx.Get("customers", id)
				if err != nil {
					return err
				}
				items = append(items, b)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"items": items, "total": total, "totalCapped": capped})
	})
	app.Get("/rss", func(c *fiber.Ctx) error {
		status, err := procStatusKB("VmRSS", "RssAnon", "RssFile")
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"RSS": status[0], "Anon": status[1], "File": status[2]})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening %s\n", ln.Addr())
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
		return err
	}
	return <-served
}

// procStatusKB reads fields of this process's /proc status, in kB: VmRSS
// is the resident memory, the sum of RssAnon and RssFile (and RssShmem).
func procStatusKB(fields ...string) ([]int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(fields))
	for i, f := range fields {
		found := false
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, f+":"); ok {
				if out[i], err = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err != nil {
					return nil, err
				}
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no %s in /proc/self/status", f)
		}
	}
	return out, nil
}
