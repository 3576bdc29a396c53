// Package xlsx moves the customer archive (R-ARC) in and out of Excel: a
// template with Chinese headers and drop-downs, an importer that checks
// every row before anything is written and then applies the whole workbook
// as one transaction of the write path, and an export in the same layout,
// so an export can be edited and imported again.
package xlsx

// The sheets of the workbook, in the order they are written. The importer
// reads the five data sheets by name and ignores any other sheet.
const (
	SheetGuide     = "说明"
	SheetCustomers = "客户"
	SheetSites     = "场地"
	SheetContacts  = "联系人"
	SheetContracts = "合同"
	SheetEquipment = "设备"
)

// examplePrefix starts the first cell of a row the importer skips: the
// template's example rows.
const examplePrefix = "示例"

// The column names, as problems name them: the header without its "*"
// and without the hint in brackets.
const (
	colCustomerCode = "客户编号"
	colCustomerName = "客户名称"
	colKind         = "类型"
	colNote         = "备注"

	colSiteCode = "场地编号"
	colSiteName = "场地名称"
	colAddress  = "地址"
	colDistrict = "区"
	colCity     = "城市"

	colName   = "姓名"
	colPhones = "电话"
	colTitle  = "职务"

	colNumber     = "合同编号"
	colStart      = "开始日期"
	colEnd        = "结束日期"
	colWarranty   = "保修截止"
	colPrice      = "年费"
	colCoverSites = "覆盖场地编号"
	colCoverSys   = "覆盖系统"
	colStage      = "阶段"

	colSystem   = "系统"
	colItemType = "设备类型"
	colModel    = "品牌型号"
	colSerial   = "序列号"
	colLocation = "安装位置"
	colInstall  = "安装日期"
	colPorts    = "端口数"
	colWatts    = "功率"
	colQuantity = "数量"
)

// valueKind is how a column is written: as text (kept as typed, so a
// leading 0 of a phone or a code survives Excel) or as a number.
type valueKind int

const (
	kindText valueKind = iota
	kindNumber
)

// choiceList names the drop-down of a column.
type choiceList int

const (
	listNone choiceList = iota
	listCustomerKinds
	listDistricts
	listContractKinds
	listStages
	listSystems
	listItemTypes
)

// column is one column of a sheet.
type column struct {
	Key      string // the name problems use
	Header   string // the header cell: Key, "*" when required, a hint
	Required bool
	Width    float64
	Kind     valueKind
	List     choiceList
	// Strict drop-downs refuse other values in Excel; the others only warn
	// (a district outside the home city is free text).
	Strict  bool
	Help    string // the 说明 sheet's explanation
	Example string // the template's example value
}

// sheet is one data sheet.
type sheet struct {
	Name string
	Help string // one line on the 说明 sheet
	Cols []column
}

// col looks a column up by its key.
func (s sheet) col(key string) (int, column) {
	for i, c := range s.Cols {
		if c.Key == key {
			return i, c
		}
	}
	return -1, column{}
}

// layout is the workbook: the template, the importer and the export all
// follow it.
var layout = []sheet{
	{
		Name: SheetCustomers,
		Help: "每行一个客户。客户编号只在本工作簿内用来关联各表，导入后系统另行分配内部编号。",
		Cols: []column{
			{Key: colCustomerCode, Header: "客户编号*", Required: true, Width: 14,
				Help: "本工作簿内的客户代号，如 KH001，不能重复；场地、联系人、合同用它指向客户。", Example: "KH001"},
			{Key: colCustomerName, Header: "客户名称*", Required: true, Width: 36,
				Help: "客户全称，最多 100 字；不能与本工作簿或系统中已有的客户重名。", Example: "深圳市华强物业管理有限公司"},
			{Key: colKind, Header: "类型", Width: 16, List: listCustomerKinds, Strict: true,
				Help: "企业、机关事业单位或个人；留空按企业导入。", Example: "企业"},
			{Key: colNote, Header: "备注", Width: 40,
				Help: "可选，最多 2000 字。", Example: "华强北片区物业，周末值班电话见联系人"},
		},
	},
	{
		Name: SheetSites,
		Help: "每行一个场地（大楼、园区、仓库等），属于一个客户。",
		Cols: []column{
			{Key: colSiteCode, Header: "场地编号*", Required: true, Width: 14,
				Help: "本工作簿内的场地代号，如 CD001，不能重复；联系人、合同、设备用它指向场地。", Example: "CD001"},
			{Key: colCustomerCode, Header: "客户编号*", Required: true, Width: 14,
				Help: "场地所属的客户，须是“客户”表中的客户编号。", Example: "KH001"},
			{Key: colSiteName, Header: "场地名称*", Required: true, Width: 24,
				Help: "如 华强大厦。", Example: "华强大厦"},
			{Key: colAddress, Header: "地址*", Required: true, Width: 36,
				Help: "详细地址，最多 200 字。", Example: "福田区华强北路 1001 号"},
			{Key: colDistrict, Header: "区*", Required: true, Width: 12, List: listDistricts,
				Help: "本市场地须为本市的区（可省略“区”字，如 福田）；外地场地填写当地的区县。", Example: "福田区"},
			{Key: colCity, Header: "城市", Width: 10,
				Help: "城市名，不带“市”；留空为本市（深圳）。外地场地按联络函计价。", Example: "深圳"},
		},
	},
	{
		Name: SheetContacts,
		Help: "每行一位联系人，属于一个客户；可只负责其中几个场地。",
		Cols: []column{
			{Key: colCustomerCode, Header: "客户编号*", Required: true, Width: 14,
				Help: "联系人所属的客户，须是“客户”表中的客户编号。", Example: "KH001"},
			{Key: colName, Header: "姓名*", Required: true, Width: 14,
				Help: "如 张经理。", Example: "张经理"},
			{Key: colPhones, Header: "电话*（多个用、分隔）", Required: true, Width: 34,
				Help:    "手机 11 位，或带区号的固定电话（如 0755-88881234，分机写在“转”后：0755-88881234转8001）；多个号码用、分隔，最多 5 个。",
				Example: "13812345678、0755-88881234转8001"},
			{Key: colTitle, Header: "职务", Width: 14,
				Help: "可选。", Example: "物业经理"},
			{Key: colSiteCode, Header: "场地编号", Width: 18,
				Help: "此人负责的场地，多个用、分隔，须是同一客户的场地；留空表示负责该客户的全部场地。", Example: "CD001"},
		},
	},
	{
		Name: SheetContracts,
		Help: "每行一份合同。导入的合同记为“系统上线前已验收”，默认处于 B 保修阶段。",
		Cols: []column{
			{Key: colNumber, Header: "合同编号*", Required: true, Width: 18,
				Help:    "纸质合同的编号，不能与本工作簿或系统中已有的合同重复。同一合同在不同场地覆盖的系统不同时，可分多行填写：合同编号、客户编号相同，其余列留空或与第一行相同。",
				Example: "HT-2026-001"},
			{Key: colCustomerCode, Header: "客户编号*", Required: true, Width: 14,
				Help: "签约客户，须是“客户”表中的客户编号。", Example: "KH001"},
			{Key: colKind, Header: "类型*（工程合同/按年合同/按次合同）", Required: true, Width: 18, List: listContractKinds, Strict: true,
				Help: "工程合同（含保修期）、按年合同（年度维护，有年费）或按次合同（按次收费）。", Example: "按年合同"},
			{Key: colStart, Header: "开始日期*", Required: true, Width: 13,
				Help: "如 2026-01-01；也可以是 Excel 的日期单元格。", Example: "2026-01-01"},
			{Key: colEnd, Header: "结束日期*", Required: true, Width: 13,
				Help: "工程合同为完工日期，其它合同为合同期的最后一天（含当天），不早于开始日期。", Example: "2026-12-31"},
			{Key: colWarranty, Header: "保修截止", Width: 13,
				Help: "工程合同必填，保修期的最后一天，不早于结束日期；其它合同留空。", Example: ""},
			{Key: colPrice, Header: "年费（元）", Width: 12, Kind: kindNumber,
				Help: "按年合同必填，单位元，最多两位小数；其它合同留空。", Example: "12000"},
			{Key: colCoverSites, Header: "覆盖场地编号（、分隔）", Width: 22,
				Help: "合同覆盖的场地，多个用、分隔，须是同一客户的场地；留空表示该客户的全部场地。", Example: "CD001"},
			{Key: colCoverSys, Header: "覆盖系统（、分隔）", Width: 28,
				Help: "合同覆盖的系统，多个用、分隔；留空表示这些场地上已登记设备的全部系统。", Example: "闭路监控、红外防盗报警"},
			{Key: colStage, Header: "阶段（默认 B 保修）", Width: 14, List: listStages, Strict: true,
				Help: "Q 签订合同、Y 验收、B 保修或 S 跟进；留空为 B 保修。按次合同没有验收阶段。", Example: "B 保修"},
			{Key: colNote, Header: "备注", Width: 30,
				Help: "可选，最多 2000 字。", Example: ""},
		},
	},
	{
		Name: SheetEquipment,
		Help: "每行一台设备，或一组按数量计的点位（如 480 个信息点记一行，数量 480）。导入后每行生成新的二维码标识。",
		Cols: []column{
			{Key: colSiteCode, Header: "场地编号*", Required: true, Width: 14,
				Help: "设备所在的场地，须是“场地”表中的场地编号。", Example: "CD001"},
			{Key: colSystem, Header: "系统*", Required: true, Width: 16, List: listSystems, Strict: true,
				Help: "综合布线/网络、电话/程控交换机、公共广播、闭路监控、红外防盗报警、一卡通之一。", Example: "闭路监控"},
			{Key: colItemType, Header: "设备类型*", Required: true, Width: 14, List: listItemTypes, Strict: true,
				Help: "年度维护价目表中的设备类型，须属于所填系统（见下方对照表）。", Example: "监控主机"},
			{Key: colModel, Header: "品牌型号", Width: 24,
				Help: "可选，如 海康威视 DS-7816N。", Example: "海康威视 DS-7816N-K2"},
			{Key: colSerial, Header: "序列号", Width: 20,
				Help: "可选；同一设备类型的序列号不能重复。", Example: "D12345678"},
			{Key: colLocation, Header: "安装位置", Width: 24,
				Help: "可选，如 地下一层弱电间。", Example: "地下一层弱电间"},
			{Key: colInstall, Header: "安装日期", Width: 13,
				Help: "可选，如 2024-05-20。", Example: "2024-05-20"},
			{Key: colPorts, Header: "端口数", Width: 10, Kind: kindNumber,
				Help: "程控交换机必填：端口总数（含中继），整数。", Example: ""},
			{Key: colWatts, Header: "功率（W）", Width: 10, Kind: kindNumber,
				Help: "功放必填：额定功率，单位瓦，整数。", Example: ""},
			{Key: colQuantity, Header: "数量", Width: 8, Kind: kindNumber,
				Help: "信息点、语音点必填（点数）；其它设备留空为 1。", Example: "1"},
		},
	},
}

// sheetByName returns the layout of a data sheet.
func sheetByName(name string) (sheet, bool) {
	for _, s := range layout {
		if s.Name == name {
			return s, true
		}
	}
	return sheet{}, false
}

// sheetOrder is the position of a sheet, for sorting problems.
func sheetOrder(name string) int {
	for i, s := range layout {
		if s.Name == name {
			return i
		}
	}
	return len(layout)
}
