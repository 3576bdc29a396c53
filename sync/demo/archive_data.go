package demo

import "elvcare/domain"

// The demo archive: Shenzhen customers of an ELV integrator, written as
// data. Equipment is generated per site from its systems and scale (see
// archive_equipment.go); dates are relative to the day the demo is loaded.

type arcCustomer struct {
	name      string
	kind      domain.CustomerKind
	note      string
	sites     []arcSite
	contacts  []arcContact
	contracts []arcContract
}

type arcSite struct {
	name, district, address string
	systems                 []domain.System
	scale                   int // 1 small, 2 medium, 3 large
	// fixed are equipment written out instead of generated for a system
	// (the journeys' devices).
	fixed map[domain.System][]arcDevice
}

type arcDevice struct {
	item     domain.ItemType
	model    string
	location string
	attrs    domain.EquipmentAttributes
	count    int // records of this device; 0 means 1
	// cred is the device's admin login, stored encrypted.
	cred *[2]string
}

type arcContact struct {
	name, title string
	phones      []string // "" entries are generated: mobile or landline
	sites       []int    // indexes into the customer's sites; none: all
}

// arcContract is a contract spec. untilIn is the last covered day (the
// warranty end of a project, the period end otherwise) in days from the
// load day; the other dates follow from it.
type auditState int

const (
	auditNone     auditState = iota // no documents yet
	auditPartial                    // some documents filed
	auditComplete                   // every document filed, verdict pending
	auditFailed                     // verdict fail, being fixed
)

type arcContract struct {
	kind    domain.ContractKind
	number  string
	sites   []int           // covered sites; nil: all
	systems []domain.System // covered systems; nil: every system installed at the site
	untilIn int
	// endMarch31 sets the period end to the first 31 March more than 30
	// days ahead (the journey's 按年合同 until 2027-03-31).
	endMarch31 bool
	stage      domain.ContractStage
	// imported contracts start at B, audited before the system.
	imported bool
	// audit is how far the Y audit got, for a contract left at Y.
	audit     auditState
	priceYuan int64
	renew     bool // at S: a renewal follows, at Q
	note      string
}

const (
	sysNet   = domain.SystemNetwork
	sysTel   = domain.SystemTelephone
	sysPA    = domain.SystemPA
	sysCCTV  = domain.SystemCCTV
	sysAlarm = domain.SystemAlarm
	sysCard  = domain.SystemOneCard
)

var (
	company     = domain.CustomerCompany
	institution = domain.CustomerInstitution
	individual  = domain.CustomerIndividual
	project     = domain.ContractProject
	annual      = domain.ContractAnnual
	perVisit    = domain.ContractPerVisit
)

func login(user, pass string) *[2]string { return &[2]string{user, pass} }

var demoCustomers = []arcCustomer{
	{
		name: "深圳市华强物业管理有限公司", kind: company, note: "华强北片区物业，按年维护老客户",
		sites: []arcSite{
			{name: "华强大厦", district: "福田区", address: "深圳市福田区华强北路1019号华强大厦", systems: []domain.System{sysCCTV, sysAlarm, sysCard, sysNet}, scale: 3,
				fixed: map[domain.System][]arcDevice{
					sysCCTV: {
						{item: domain.ItemCCTVRecorder, model: "海康威视 DS-7816N-K2", location: "地下二层停车场监控室", cred: login("admin", "Hq#B2nvr2024")},
						{item: domain.ItemCCTVRecorder, model: "海康威视 DS-7932N-R4", location: "一楼消防控制室", cred: login("admin", "Hq#1Fnvr2024")},
						{item: domain.ItemCCTVCamera, model: "海康威视 DS-2CD3T46WDV3-I3 筒型摄像机", location: "地下二层停车场", count: 8},
						{item: domain.ItemCCTVCamera, model: "海康威视 DS-2CD3346WDV3-I 半球摄像机", location: "一楼大堂", count: 4},
						{item: domain.ItemCCTVCamera, model: "海康威视 DS-2CD3346WDV3-I 半球摄像机", location: "电梯厅 2F–20F", count: 6},
						{item: domain.ItemCCTVAuxiliary, model: "海康威视 DS-D5043QE 43寸监视器", location: "一楼消防控制室", count: 2},
					},
					sysAlarm: {
						{item: domain.ItemAlarmPanel, model: "霍尼韦尔 Vista-120 防盗主机", location: "一楼消防控制室", cred: login("installer", "4112")},
						{item: domain.ItemAlarmDetector, model: "博世 ISC-BPR2-W12 被动红外探测器", location: "地下二层设备房", count: 8},
						{item: domain.ItemAlarmDetector, model: "艾礼富 ABT-100 主动红外对射", location: "大厦外围", count: 4},
					},
					sysCard: {
						{item: domain.ItemOneCardDoorController, model: "中控 ZKTeco inBio460 门禁控制器", location: "3楼东侧门"},
						{item: domain.ItemOneCardDoorController, model: "中控 ZKTeco inBio460 门禁控制器", location: "5楼办公区", count: 3},
						{item: domain.ItemOneCardAttendance, model: "中控 ZKTeco iFace702 考勤机", location: "一楼员工通道"},
						{item: domain.ItemOneCardSoftware, model: "中控 ZKBioSecurity V5000", location: "物业管理处服务器"},
					},
				}},
			{name: "华强花园", district: "福田区", address: "深圳市福田区华富路1018号华强花园", systems: []domain.System{sysCCTV, sysCard}, scale: 2},
		},
		contacts: []arcContact{
			{name: "陈经理", title: "工程部经理", phones: []string{"13802561234", "0755-83216688"}},
			{name: "刘主管", title: "华强大厦弱电主管", phones: []string{""}, sites: []int{0}},
			{name: "黄师傅", title: "华强花园值班电工", phones: []string{""}, sites: []int{1}},
		},
		contracts: []arcContract{
			{kind: annual, number: "HQ-WB-2026-001", sites: []int{0}, systems: []domain.System{sysCCTV, sysAlarm, sysCard}, endMarch31: true, stage: domain.StageB, priceYuan: 38600, note: "华强大厦监控、防盗、门禁年度维护"},
			{kind: project, number: "HQ-GC-2025-017", sites: []int{1}, untilIn: 420, stage: domain.StageB, imported: true, note: "华强花园监控及门禁改造工程"},
			{kind: perVisit, number: "HQ-AC-2024-003", sites: []int{0}, systems: []domain.System{sysNet}, untilIn: 250, stage: domain.StageB, imported: true},
		},
	},
	{
		name: "深圳市福华置业有限公司", kind: company, note: "福华大厦写字楼",
		sites: []arcSite{{name: "福华大厦", district: "福田区", address: "深圳市福田区福华三路88号", systems: []domain.System{sysNet, sysTel, sysCCTV, sysCard}, scale: 3}},
		contacts: []arcContact{
			{name: "周经理", title: "物业经理", phones: []string{"", ""}},
			{name: "吴工", title: "网络管理员", phones: []string{""}},
		},
		contracts: []arcContract{
			{kind: annual, number: "FH-WB-2025-008", untilIn: 6, stage: domain.StageB, priceYuan: 52800, note: "即将到期，需跟进续签"},
			{kind: project, number: "FH-GC-2024-002", systems: []domain.System{sysNet}, untilIn: 35, stage: domain.StageB, imported: true},
		},
	},
	{
		name: "深圳市罗湖区翠竹小学", kind: institution,
		sites: []arcSite{{name: "翠竹小学校园", district: "罗湖区", address: "深圳市罗湖区翠竹路2038号", systems: []domain.System{sysPA, sysCCTV, sysNet}, scale: 2}},
		contacts: []arcContact{
			{name: "李主任", title: "总务处主任", phones: []string{"", ""}},
		},
		contracts: []arcContract{
			{kind: project, number: "CZ-GC-2026-004", systems: []domain.System{sysPA}, untilIn: 790, stage: domain.StageY, audit: auditPartial, note: "校园广播系统改造，竣工资料审核中"},
			{kind: annual, number: "CZ-WB-2026-001", systems: []domain.System{sysCCTV, sysNet}, untilIn: 13, stage: domain.StageB, priceYuan: 12800},
		},
	},
	{
		name: "深圳市罗湖区东门医院", kind: institution, note: "门诊楼、住院楼",
		sites: []arcSite{
			{name: "门诊楼", district: "罗湖区", address: "深圳市罗湖区东门中路1016号门诊楼", systems: []domain.System{sysTel, sysPA, sysCCTV, sysNet}, scale: 3},
			{name: "住院楼", district: "罗湖区", address: "深圳市罗湖区东门中路1016号住院楼", systems: []domain.System{sysPA, sysCCTV, sysCard}, scale: 2},
		},
		contacts: []arcContact{
			{name: "郑科长", title: "设备科科长", phones: []string{"", ""}},
			{name: "何工", title: "信息科", phones: []string{""}, sites: []int{0}},
		},
		contracts: []arcContract{
			{kind: annual, number: "DM-WB-2026-002", untilIn: 210, stage: domain.StageB, priceYuan: 68000},
			{kind: project, number: "DM-GC-2026-011", sites: []int{1}, systems: []domain.System{sysCard}, untilIn: 800, stage: domain.StageQ, note: "住院楼门禁扩容，施工中"},
		},
	},
	{
		name: "深圳市南山云谷物业管理有限公司", kind: company, note: "科技园写字楼两栋",
		sites: []arcSite{
			{name: "云谷A座", district: "南山区", address: "深圳市南山区高新南七道云谷A座", systems: []domain.System{sysNet, sysCCTV, sysCard, sysPA}, scale: 3},
			{name: "云谷B座", district: "南山区", address: "深圳市南山区高新南七道云谷B座", systems: []domain.System{sysNet, sysCCTV, sysCard}, scale: 2},
		},
		contacts: []arcContact{
			{name: "林经理", title: "工程经理", phones: []string{"", ""}},
			{name: "许主管", title: "B座管理处", phones: []string{""}, sites: []int{1}},
		},
		contracts: []arcContract{
			{kind: annual, number: "YG-WB-2026-005", untilIn: 21, stage: domain.StageB, priceYuan: 75600},
			{kind: project, number: "YG-GC-2023-009", sites: []int{0}, systems: []domain.System{sysPA}, untilIn: -40, stage: domain.StageS, imported: true, renew: true, note: "保修期满，已续签按年合同"},
		},
	},
	{
		name: "深圳蛇口海景酒店有限公司", kind: company,
		sites: []arcSite{{name: "海景酒店", district: "南山区", address: "深圳市南山区蛇口望海路1177号", systems: []domain.System{sysTel, sysPA, sysCCTV, sysCard, sysNet}, scale: 3}},
		contacts: []arcContact{
			{name: "邓总监", title: "工程总监", phones: []string{"", ""}},
			{name: "谢工", title: "弱电领班", phones: []string{""}},
		},
		contracts: []arcContract{
			{kind: annual, number: "HJ-WB-2026-003", untilIn: 150, stage: domain.StageB, priceYuan: 46000},
			{kind: perVisit, number: "HJ-AC-2026-001", systems: []domain.System{sysTel}, untilIn: 300, stage: domain.StageQ},
		},
	},
	{
		name: "深圳市南山区海湾实验学校", kind: institution,
		sites:    []arcSite{{name: "海湾实验学校", district: "南山区", address: "深圳市南山区后海大道2233号", systems: []domain.System{sysPA, sysCCTV, sysCard, sysNet}, scale: 2}},
		contacts: []arcContact{{name: "罗老师", title: "信息中心", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: project, number: "HW-GC-2025-006", untilIn: 560, stage: domain.StageB, note: "新校区智能化工程"},
		},
	},
	{
		name: "深圳市福永精密五金制品厂", kind: company, note: "福永工业区厂房及宿舍",
		sites: []arcSite{
			{name: "福永厂区", district: "宝安区", address: "深圳市宝安区福永街道凤凰第一工业区12栋", systems: []domain.System{sysCCTV, sysCard, sysTel}, scale: 2},
			{name: "员工宿舍", district: "宝安区", address: "深圳市宝安区福永街道凤凰第一工业区宿舍楼", systems: []domain.System{sysCCTV}, scale: 1},
		},
		contacts: []arcContact{{name: "杨厂长", title: "厂长", phones: []string{""}}, {name: "钟主管", title: "行政主管", phones: []string{""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "FY-AC-2026-002", untilIn: 200, stage: domain.StageB},
		},
	},
	{
		name: "深圳市顺达物流有限公司", kind: company, note: "西乡仓库，夜间无人值守",
		sites: []arcSite{{name: "鹤洲仓库", district: "宝安区", address: "深圳市宝安区西乡街道鹤洲工业区物流园3号仓", systems: []domain.System{sysAlarm, sysCCTV}, scale: 2,
			fixed: map[domain.System][]arcDevice{sysAlarm: {
				{item: domain.ItemAlarmPanel, model: "博世 AMAX 4000 防盗主机", location: "仓库值班室", cred: login("installer", "12345678")},
				{item: domain.ItemAlarmDetector, model: "博世 DS940Q 被动红外探测器", location: "仓库内", count: 10},
				{item: domain.ItemAlarmDetector, model: "艾礼富 ABT-150 主动红外对射", location: "仓库外围围墙", count: 4},
			}}}},
		contacts: []arcContact{{name: "赵经理", title: "仓库经理", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "SD-WB-2026-004", untilIn: 27, stage: domain.StageB, priceYuan: 9800},
		},
	},
	{
		name: "深圳市龙岗区布吉街道办事处", kind: institution,
		sites: []arcSite{{name: "布吉街道办办公楼", district: "龙岗区", address: "深圳市龙岗区布吉街道布吉路88号", systems: []domain.System{sysTel, sysNet, sysPA}, scale: 2,
			fixed: map[domain.System][]arcDevice{sysTel: {
				{item: domain.ItemTelephonePBX, model: "松下 KX-TDA100 程控交换机", location: "三楼机房", attrs: domain.EquipmentAttributes{Ports: 64}, cred: login("INSTALLER", "1234")},
				{item: domain.ItemTelephoneVoicePoint, model: "语音点", location: "全楼", attrs: domain.EquipmentAttributes{Quantity: 96}},
				{item: domain.ItemTelephoneBilling, model: "电话计费软件 V5.0", location: "三楼机房"},
			}}}},
		contacts: []arcContact{{name: "孙科长", title: "办公室", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "BJ-AC-2026-001", untilIn: 95, stage: domain.StageB, note: "电话系统按次维护"},
		},
	},
	{
		name: "深圳市坂田电子科技有限公司", kind: company,
		sites:    []arcSite{{name: "坂田厂区", district: "龙岗区", address: "深圳市龙岗区坂田街道岗头工业区6号", systems: []domain.System{sysNet, sysCCTV, sysCard, sysTel}, scale: 3}},
		contacts: []arcContact{{name: "马经理", title: "IT经理", phones: []string{"", ""}}, {name: "胡工", title: "设备工程师", phones: []string{""}}},
		contracts: []arcContract{
			{kind: annual, number: "BT-WB-2025-010", untilIn: -10, stage: domain.StageS, renew: true, priceYuan: 36000, note: "已续签"},
			{kind: project, number: "BT-GC-2026-003", systems: []domain.System{sysNet}, untilIn: 760, stage: domain.StageY, note: "网络升级工程，待验收"},
		},
	},
	{
		name: "深圳市龙华区观澜实验学校", kind: institution,
		sites:    []arcSite{{name: "观澜实验学校", district: "龙华区", address: "深圳市龙华区观澜街道环观南路56号", systems: []domain.System{sysPA, sysCCTV, sysNet, sysCard}, scale: 2}},
		contacts: []arcContact{{name: "冯校长", title: "副校长", phones: []string{""}}, {name: "曾老师", title: "电教员", phones: []string{""}}},
		contracts: []arcContract{
			{kind: annual, number: "GL-WB-2026-002", untilIn: 45, stage: domain.StageB, priceYuan: 15600},
		},
	},
	{
		name: "深圳市民治大厦物业管理有限公司", kind: company,
		sites:    []arcSite{{name: "民治大厦", district: "龙华区", address: "深圳市龙华区民治大道368号", systems: []domain.System{sysCCTV, sysCard, sysAlarm}, scale: 2}},
		contacts: []arcContact{{name: "彭经理", title: "管理处经理", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "MZ-WB-2025-006", untilIn: -25, stage: domain.StageS, priceYuan: 18800, note: "已过期未续签"},
		},
	},
	{
		name: "深圳市光明区凤凰社区健康服务中心", kind: institution,
		sites:    []arcSite{{name: "凤凰社康中心", district: "光明区", address: "深圳市光明区凤凰街道凤凰路35号", systems: []domain.System{sysNet, sysCCTV, sysPA}, scale: 1}},
		contacts: []arcContact{{name: "董主任", title: "中心主任", phones: []string{""}}},
		contracts: []arcContract{
			{kind: project, number: "FH-GC-2026-008", untilIn: 700, stage: domain.StageB, note: "社康中心弱电工程"},
		},
	},
	{
		name: "深圳市光明新材料科技有限公司", kind: company,
		sites:    []arcSite{{name: "公明厂区", district: "光明区", address: "深圳市光明区公明街道松白路4012号", systems: []domain.System{sysCCTV, sysCard, sysNet, sysTel}, scale: 2}},
		contacts: []arcContact{{name: "萧经理", title: "行政经理", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "GM-AC-2026-003", untilIn: 160, stage: domain.StageB},
		},
	},
	{
		name: "深圳市坪山新能源科技有限公司", kind: company,
		sites: []arcSite{
			{name: "坑梓工厂", district: "坪山区", address: "深圳市坪山区坑梓街道金沙路9号", systems: []domain.System{sysCCTV, sysCard, sysNet, sysPA}, scale: 3},
			{name: "研发楼", district: "坪山区", address: "深圳市坪山区坑梓街道金沙路11号研发楼", systems: []domain.System{sysNet, sysCard}, scale: 1},
		},
		contacts: []arcContact{{name: "袁经理", title: "基建部", phones: []string{"", ""}}, {name: "潘工", title: "网络工程师", phones: []string{""}, sites: []int{1}}},
		contracts: []arcContract{
			{kind: project, number: "PS-GC-2026-002", untilIn: 820, stage: domain.StageQ, note: "新厂房智能化工程已签约"},
			{kind: annual, number: "PS-WB-2026-001", sites: []int{0}, untilIn: 120, stage: domain.StageB, priceYuan: 42000},
		},
	},
	{
		name: "深圳市坪山区六联学校", kind: institution,
		sites:    []arcSite{{name: "六联学校", district: "坪山区", address: "深圳市坪山区坪山街道六联社区", systems: []domain.System{sysPA, sysCCTV}, scale: 1}},
		contacts: []arcContact{{name: "蒋主任", title: "总务主任", phones: []string{""}}},
		contracts: []arcContract{
			{kind: project, number: "LL-GC-2024-001", untilIn: 52, stage: domain.StageB, imported: true, note: "保修即将到期"},
		},
	},
	{
		name: "深圳市福田香蜜湖酒店有限公司", kind: company,
		sites:    []arcSite{{name: "香蜜湖酒店", district: "福田区", address: "深圳市福田区香蜜湖路3008号", systems: []domain.System{sysTel, sysPA, sysCCTV, sysCard}, scale: 2}},
		contacts: []arcContact{{name: "韩经理", title: "工程部", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "XMH-WB-2026-001", untilIn: 240, stage: domain.StageY, audit: auditPartial, priceYuan: 33000, note: "接手原系统，审核竣工资料"},
		},
	},
	{
		name: "深圳市东门商业管理有限公司", kind: company,
		sites:    []arcSite{{name: "东门商业广场", district: "罗湖区", address: "深圳市罗湖区解放路2001号", systems: []domain.System{sysCCTV, sysPA, sysAlarm}, scale: 3}},
		contacts: []arcContact{{name: "唐经理", title: "商场工程部", phones: []string{"", ""}}, {name: "陆主管", title: "安防主管", phones: []string{""}}},
		contracts: []arcContract{
			{kind: annual, number: "DM-WB-2026-007", untilIn: 330, stage: domain.StageB, priceYuan: 56000},
		},
	},
	{
		name: "深圳市国贸物业管理有限公司", kind: company,
		sites:    []arcSite{{name: "国贸大厦", district: "罗湖区", address: "深圳市罗湖区人民南路3002号", systems: []domain.System{sysTel, sysNet, sysCCTV, sysPA, sysCard}, scale: 3}},
		contacts: []arcContact{{name: "程经理", title: "工程部经理", phones: []string{"", ""}}, {name: "魏工", title: "机房值班", phones: []string{""}}},
		contracts: []arcContract{
			{kind: annual, number: "GM-WB-2026-011", untilIn: 185, stage: domain.StageB, priceYuan: 96000},
			{kind: project, number: "GM-GC-2026-015", systems: []domain.System{sysCCTV}, untilIn: 780, stage: domain.StageY, audit: auditFailed, note: "监控高清化改造，审核不合格后整改中"},
		},
	},
	{
		name: "深圳市南山区西丽社区健康服务中心", kind: institution,
		sites:    []arcSite{{name: "西丽社康中心", district: "南山区", address: "深圳市南山区西丽街道留仙大道1号", systems: []domain.System{sysNet, sysCCTV}, scale: 1}},
		contacts: []arcContact{{name: "梁主任", title: "中心主任", phones: []string{""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "XL-AC-2026-001", untilIn: 280, stage: domain.StageB},
		},
	},
	{
		name: "深圳市盐田港仓储有限公司", kind: company,
		sites:    []arcSite{{name: "盐田港仓库", district: "盐田区", address: "深圳市盐田区盐田港保税区7号仓", systems: []domain.System{sysCCTV, sysAlarm}, scale: 2}},
		contacts: []arcContact{{name: "蔡经理", title: "仓储部", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "YT-WB-2026-003", untilIn: 88, stage: domain.StageB, priceYuan: 14500},
		},
	},
	{
		name: "深圳宝安机场商务酒店有限公司", kind: company,
		sites:    []arcSite{{name: "机场商务酒店", district: "宝安区", address: "深圳市宝安区航城街道机场南路8号", systems: []domain.System{sysTel, sysNet, sysCCTV, sysCard, sysPA}, scale: 2}},
		contacts: []arcContact{{name: "贾经理", title: "工程部", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "JC-WB-2026-002", untilIn: 60, stage: domain.StageB, priceYuan: 29000},
		},
	},
	{
		name: "深圳市龙岗区横岗社区健康服务中心", kind: institution,
		sites:    []arcSite{{name: "横岗社康中心", district: "龙岗区", address: "深圳市龙岗区横岗街道松柏路63号", systems: []domain.System{sysNet, sysTel}, scale: 1}},
		contacts: []arcContact{{name: "丁主任", title: "中心主任", phones: []string{""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "HG-AC-2025-004", untilIn: -60, stage: domain.StageS, note: "合同已到期"},
		},
	},
	{
		name: "深圳市福田区园岭街道办事处", kind: institution,
		sites:    []arcSite{{name: "园岭街道办", district: "福田区", address: "深圳市福田区园岭街道八卦岭路43号", systems: []domain.System{sysTel, sysNet, sysCCTV}, scale: 2}},
		contacts: []arcContact{{name: "沈科长", title: "综合科", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "YL-WB-2026-001", untilIn: 270, stage: domain.StageQ, priceYuan: 21000, note: "新签合同"},
		},
	},
	{
		name: "深圳市南山智能装备有限公司", kind: company,
		sites:    []arcSite{{name: "西丽研发中心", district: "南山区", address: "深圳市南山区西丽街道打石一路深圳国际创新谷", systems: []domain.System{sysNet, sysCard, sysCCTV}, scale: 2}},
		contacts: []arcContact{{name: "任经理", title: "IT主管", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: project, number: "NS-GC-2024-005", untilIn: 15, stage: domain.StageB, imported: true, note: "保修期即将结束"},
		},
	},
	{
		name: "王先生（华侨城别墅）", kind: individual, note: "私人住宅，安防系统",
		sites:    []arcSite{{name: "华侨城别墅", district: "南山区", address: "深圳市南山区华侨城香山中街波托菲诺别墅", systems: []domain.System{sysAlarm, sysCCTV}, scale: 1}},
		contacts: []arcContact{{name: "王先生", phones: []string{""}}},
		contracts: []arcContract{
			{kind: perVisit, number: "WXS-AC-2025-001", untilIn: -120, stage: domain.StageS},
		},
	},
	{
		name: "李女士（景田住宅）", kind: individual,
		sites:    []arcSite{{name: "景田住宅", district: "福田区", address: "深圳市福田区景田北路景鹏大厦", systems: []domain.System{sysAlarm}, scale: 1}},
		contacts: []arcContact{{name: "李女士", phones: []string{""}}},
	},
	{
		name: "深圳市大鹏新区南澳度假村有限公司", kind: company,
		sites:    []arcSite{{name: "南澳度假村", district: "大鹏新区", address: "深圳市大鹏新区南澳街道海滨路", systems: []domain.System{sysPA, sysCCTV, sysNet, sysTel}, scale: 2}},
		contacts: []arcContact{{name: "黎经理", title: "工程部", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: annual, number: "NA-WB-2026-001", untilIn: 140, stage: domain.StageB, priceYuan: 31000},
		},
	},
	{
		name: "深圳市宝安区西乡实验学校", kind: institution,
		sites:    []arcSite{{name: "西乡实验学校", district: "宝安区", address: "深圳市宝安区西乡街道共和工业路", systems: []domain.System{sysPA, sysCCTV, sysCard}, scale: 2}},
		contacts: []arcContact{{name: "叶老师", title: "电教中心", phones: []string{"", ""}}},
		contracts: []arcContract{
			{kind: project, number: "XX-GC-2026-006", untilIn: 745, stage: domain.StageY, audit: auditComplete, note: "校园安防工程，资料已齐待审"},
			{kind: perVisit, number: "XX-AC-2026-002", systems: []domain.System{sysPA}, untilIn: 110, stage: domain.StageB},
		},
	},
}
