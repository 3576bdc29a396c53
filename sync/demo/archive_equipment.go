package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"elvcare/domain"
)

// arcModel is a device model the integrator installs, with the serial
// number pattern of its maker: a prefix and a count of random digits.
type arcModel struct {
	model  string
	serial string
	digits int
	attrs  domain.EquipmentAttributes
}

var (
	cctvRecorders = []arcModel{
		{"海康威视 DS-7816N-K2", "J", 8, domain.EquipmentAttributes{}},
		{"海康威视 DS-7932N-R4", "L", 8, domain.EquipmentAttributes{}},
		{"大华 DH-NVR4216-HDS2", "6G0", 9, domain.EquipmentAttributes{}},
	}
	cctvCameras = []arcModel{
		{"海康威视 DS-2CD3T46WDV3-I3 筒型摄像机", "K", 8, domain.EquipmentAttributes{}},
		{"海康威视 DS-2CD3346WDV3-I 半球摄像机", "K", 8, domain.EquipmentAttributes{}},
		{"大华 DH-IPC-HFW2433M-I1 筒型摄像机", "7B0", 9, domain.EquipmentAttributes{}},
		{"大华 DH-SD49425XB-HNR 球机", "8C0", 9, domain.EquipmentAttributes{}},
	}
	cctvAux = []arcModel{
		{"海康威视 DS-D5043QE 43寸监视器", "D", 8, domain.EquipmentAttributes{}},
		{"海康威视 DS-6908UD 解码器", "E", 8, domain.EquipmentAttributes{}},
	}
	netSwitches = []arcModel{
		{"华为 S5735-L24T4S-A1 交换机", "2102351HLD", 10, domain.EquipmentAttributes{}},
		{"华为 S5735-L48T4S-A1 交换机", "2102351HLE", 10, domain.EquipmentAttributes{}},
		{"H3C S5130S-28S-EI 交换机", "219801A1", 12, domain.EquipmentAttributes{}},
		{"锐捷 RG-S2928G-E 交换机", "G1LQ", 9, domain.EquipmentAttributes{}},
	}
	netServers = []arcModel{{"戴尔 PowerEdge R740 服务器", "CN0", 7, domain.EquipmentAttributes{}}}
	netPCs     = []arcModel{{"联想 启天 M430 监控工作站", "PC", 8, domain.EquipmentAttributes{}}}
	pbxModels  = []arcModel{
		{"松下 KX-TDA100 程控交换机", "9LBCA", 6, domain.EquipmentAttributes{Ports: 64}},
		{"松下 KX-TDA200 程控交换机", "9LBCB", 6, domain.EquipmentAttributes{Ports: 128}},
		{"松下 KX-TDA600 程控交换机", "9LBCF", 6, domain.EquipmentAttributes{Ports: 320}},
	}
	paAmps = []arcModel{
		{"ITC T-6240 合并式功放", "T6", 8, domain.EquipmentAttributes{Watts: 240}},
		{"TOA A-2240 功放", "A2", 8, domain.EquipmentAttributes{Watts: 240}},
		{"ITC T-61000 纯后级功放", "T1", 8, domain.EquipmentAttributes{Watts: 1000}},
		{"TOA DA-1250D 数字功放", "DA", 8, domain.EquipmentAttributes{Watts: 2000}},
	}
	paSpeakers = []arcModel{
		{"ITC T-105 吸顶喇叭", "", 0, domain.EquipmentAttributes{}},
		{"TOA PC-1860W 吸顶扬声器", "", 0, domain.EquipmentAttributes{}},
		{"TOA BS-1030W 壁挂音箱", "", 0, domain.EquipmentAttributes{}},
	}
	alarmPanels    = []arcModel{{"霍尼韦尔 Vista-120 防盗主机", "VB", 8, domain.EquipmentAttributes{}}, {"博世 AMAX 4000 防盗主机", "AM4", 8, domain.EquipmentAttributes{}}}
	alarmDetectors = []arcModel{
		{"博世 ISC-BPR2-W12 被动红外探测器", "", 0, domain.EquipmentAttributes{}},
		{"博世 DS940Q 被动红外探测器", "", 0, domain.EquipmentAttributes{}},
		{"霍尼韦尔 IS3016 被动红外探测器", "", 0, domain.EquipmentAttributes{}},
		{"艾礼富 ABT-100 主动红外对射", "", 0, domain.EquipmentAttributes{}},
	}
	cardDoors    = []arcModel{{"中控 ZKTeco inBio460 门禁控制器", "ZK46", 8, domain.EquipmentAttributes{}}, {"中控 ZKTeco C3-400 门禁控制器", "ZKC3", 8, domain.EquipmentAttributes{}}}
	cardAttend   = []arcModel{{"中控 ZKTeco iFace702 考勤机", "ZKIF", 8, domain.EquipmentAttributes{}}, {"中控 ZKTeco xFace600 考勤机", "ZKXF", 8, domain.EquipmentAttributes{}}}
	cardPOS      = []arcModel{{"中控 ZKTeco CM20 消费机", "ZKCM", 8, domain.EquipmentAttributes{}}}
	cardSoftware = []arcModel{{"中控 ZKBioSecurity V5000 一卡通软件", "", 0, domain.EquipmentAttributes{}}}
)

var arcLocations = map[domain.System][]string{
	sysCCTV:  {"一楼大堂", "地下一层停车场", "地下二层停车场", "电梯厅", "东侧出入口", "西侧围墙", "各楼层走廊", "天台"},
	sysNet:   {"三楼网络机房", "弱电井 5F", "弱电井 10F", "一楼弱电间", "办公区"},
	sysTel:   {"三楼机房", "一楼总机房"},
	sysPA:    {"广播机房", "一楼大堂", "各楼层走廊", "操场", "地下车库"},
	sysAlarm: {"财务室", "仓库", "机房", "档案室", "一楼外围"},
	sysCard:  {"一楼大门", "员工通道", "各楼层出入口", "食堂", "机房门"},
}

// device is one generated piece of equipment.
type device struct {
	item     domain.ItemType
	model    string
	serial   string
	location string
	attrs    domain.EquipmentAttributes
	cred     *[2]string
}

type equipGen struct{ r *rand.Rand }

func (g equipGen) pick(ms []arcModel) arcModel { return ms[g.r.IntN(len(ms))] }

func (g equipGen) serial(m arcModel) string {
	if m.digits == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(m.serial)
	for range m.digits {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

func (g equipGen) location(sys domain.System) string {
	ls := arcLocations[sys]
	return ls[g.r.IntN(len(ls))]
}

func (g equipGen) password() string {
	const chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 10)
	for i := range b {
		b[i] = chars[g.r.IntN(len(chars))]
	}
	return string(b) + "#"
}

// units makes n devices of one item type from a catalogue.
func (g equipGen) units(item domain.ItemType, ms []arcModel, n int, sys domain.System) []device {
	m := g.pick(ms)
	out := make([]device, 0, n)
	for range n {
		out = append(out, device{item: item, model: m.model, serial: g.serial(m), location: g.location(sys), attrs: m.attrs})
	}
	return out
}

// devices generates the equipment of one system at a site of a scale
// (1–3). Recorders, panels and PBXs get an admin credential.
func (g equipGen) devices(sys domain.System, scale int) []device {
	var out []device
	withCred := func(ds []device, user string) []device {
		for i := range ds {
			ds[i].cred = &[2]string{user, g.password()}
		}
		return ds
	}
	switch sys {
	case sysCCTV:
		out = append(out, withCred(g.units(domain.ItemCCTVRecorder, cctvRecorders, max(1, scale-1), sys), "admin")...)
		out = append(out, g.units(domain.ItemCCTVCamera, cctvCameras, scale+1+g.r.IntN(2), sys)...)
		if scale >= 2 {
			out = append(out, g.units(domain.ItemCCTVAuxiliary, cctvAux, 1, sys)...)
		}
	case sysNet:
		out = append(out, withCred(g.units(domain.ItemNetworkSwitch, netSwitches, scale+g.r.IntN(2), sys), "admin")...)
		out = append(out, device{item: domain.ItemNetworkInfoPoint, model: "六类信息点", location: "全楼",
			attrs: domain.EquipmentAttributes{Quantity: 80*scale + 10*g.r.IntN(8)}})
		if scale >= 3 {
			out = append(out, g.units(domain.ItemNetworkServer, netServers, 1, sys)...)
		}
		if scale >= 2 {
			out = append(out, g.units(domain.ItemNetworkPC, netPCs, 1, sys)...)
		}
	case sysTel:
		out = append(out, withCred(g.units(domain.ItemTelephonePBX, pbxModels[scale-1:scale], 1, sys), "INSTALLER")...)
		out = append(out, device{item: domain.ItemTelephoneVoicePoint, model: "语音点", location: "全楼",
			attrs: domain.EquipmentAttributes{Quantity: 60*scale + 10*g.r.IntN(6)}})
		if scale >= 2 {
			out = append(out, device{item: domain.ItemTelephoneBilling, model: "电话计费软件 V5.0", location: "机房"})
		}
	case sysPA:
		out = append(out, g.units(domain.ItemPAAmplifier, paAmps[:min(len(paAmps), scale+1)], max(1, scale-1), sys)...)
		out = append(out, g.units(domain.ItemPASpeaker, paSpeakers, scale+1, sys)...)
	case sysAlarm:
		out = append(out, withCred(g.units(domain.ItemAlarmPanel, alarmPanels, 1, sys), "installer")...)
		out = append(out, g.units(domain.ItemAlarmDetector, alarmDetectors, 2*scale+g.r.IntN(2), sys)...)
	case sysCard:
		out = append(out, g.units(domain.ItemOneCardDoorController, cardDoors, scale, sys)...)
		out = append(out, g.units(domain.ItemOneCardAttendance, cardAttend, 1, sys)...)
		if scale >= 2 {
			out = append(out, g.units(domain.ItemOneCardPOS, cardPOS, 1, sys)...)
		}
		out = append(out, g.units(domain.ItemOneCardSoftware, cardSoftware, 1, sys)...)
	}
	return out
}

// fixedDevices expands the written-out devices of a site.
func (g equipGen) fixedDevices(ds []arcDevice) []device {
	var out []device
	for _, d := range ds {
		for range max(1, d.count) {
			serial := ""
			if d.item != domain.ItemTelephoneVoicePoint && d.item != domain.ItemNetworkInfoPoint {
				serial = fmt.Sprintf("SN%010d", g.r.IntN(1e10))
			}
			out = append(out, device{item: d.item, model: d.model, serial: serial, location: d.location, attrs: d.attrs, cred: d.cred})
		}
	}
	return out
}
