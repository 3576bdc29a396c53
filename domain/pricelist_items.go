package domain

import (
	"slices"
	"strings"
)

// ItemType is a kind of equipment, one row group of the annual price table
// (R-FEE-4, R-ARC-3). Its id is "<system>.<item>".
type ItemType string

// The equipment item types of the source's price table.
const (
	ItemNetworkInfoPoint      ItemType = "network.info_point"
	ItemNetworkSwitch         ItemType = "network.switch"
	ItemNetworkServer         ItemType = "network.server"
	ItemNetworkPC             ItemType = "network.pc"
	ItemTelephoneVoicePoint   ItemType = "telephone.voice_point"
	ItemTelephonePBX          ItemType = "telephone.pbx"
	ItemTelephoneBilling      ItemType = "telephone.billing_software"
	ItemPASpeaker             ItemType = "pa.speaker"
	ItemPAAmplifier           ItemType = "pa.amplifier"
	ItemCCTVCamera            ItemType = "cctv.camera"
	ItemCCTVRecorder          ItemType = "cctv.recorder"
	ItemCCTVAuxiliary         ItemType = "cctv.auxiliary"
	ItemAlarmDetector         ItemType = "alarm.detector"
	ItemAlarmPanel            ItemType = "alarm.panel"
	ItemOneCardAttendance     ItemType = "onecard.attendance"
	ItemOneCardDoorController ItemType = "onecard.door_controller"
	ItemOneCardPOS            ItemType = "onecard.pos"
	ItemOneCardSoftware       ItemType = "onecard.software"
)

// ItemAttribute names the size attribute an item type's price depends on.
type ItemAttribute string

// The attributes. Quantity items are counted in bulk (a site's 480
// information points are one record); the others are one unit per record
// unless a quantity is given.
const (
	AttributeNone     ItemAttribute = "none"
	AttributeQuantity ItemAttribute = "quantity" // 点: priced per point
	AttributePorts    ItemAttribute = "ports"    // PBX: ports incl. trunks
	AttributeWatts    ItemAttribute = "watts"    // amplifier: rated power
)

// Valid reports whether a is a known attribute.
func (a ItemAttribute) Valid() bool {
	switch a {
	case AttributeNone, AttributeQuantity, AttributePorts, AttributeWatts:
		return true
	}
	return false
}

// ItemSpec describes an item type: its system, the Chinese name and unit of
// the source's price table, and the attribute its price needs.
type ItemSpec struct {
	Type      ItemType      `json:"type"`
	System    System        `json:"system"`
	Name      string        `json:"name"`
	Unit      string        `json:"unit"` // 点, 台, 个, 套
	Attribute ItemAttribute `json:"attribute"`
}

// ErrInvalidItemType is returned by ParseItemType for an unknown id.
var ErrInvalidItemType = E(KindInvalid, "invalid_item_type")

var itemSpecs = []ItemSpec{
	{ItemNetworkInfoPoint, SystemNetwork, "信息点", "点", AttributeQuantity},
	{ItemNetworkSwitch, SystemNetwork, "网络交换机", "台", AttributeNone},
	{ItemNetworkServer, SystemNetwork, "服务器", "台", AttributeNone},
	{ItemNetworkPC, SystemNetwork, "PC机", "台", AttributeNone},
	{ItemTelephoneVoicePoint, SystemTelephone, "语音点", "点", AttributeQuantity},
	{ItemTelephonePBX, SystemTelephone, "程控交换机", "台", AttributePorts},
	{ItemTelephoneBilling, SystemTelephone, "电话计费软件", "套", AttributeNone},
	{ItemPASpeaker, SystemPA, "扬声器", "个", AttributeNone},
	{ItemPAAmplifier, SystemPA, "功放", "台", AttributeWatts},
	{ItemCCTVCamera, SystemCCTV, "监控终端", "个", AttributeNone},
	{ItemCCTVRecorder, SystemCCTV, "监控主机", "台", AttributeNone},
	{ItemCCTVAuxiliary, SystemCCTV, "辅助设备", "台", AttributeNone},
	{ItemAlarmDetector, SystemAlarm, "防盗探头", "个", AttributeNone},
	{ItemAlarmPanel, SystemAlarm, "防盗主机", "台", AttributeNone},
	{ItemOneCardAttendance, SystemOneCard, "考勤机", "台", AttributeNone},
	{ItemOneCardDoorController, SystemOneCard, "门禁机", "台", AttributeNone},
	{ItemOneCardPOS, SystemOneCard, "售饭机", "台", AttributeNone},
	{ItemOneCardSoftware, SystemOneCard, "一卡通软件", "套", AttributeNone},
}

// ItemSpecs returns every item type's spec in price-table order.
func ItemSpecs() []ItemSpec { return slices.Clone(itemSpecs) }

// ItemTypesOf returns the item types of one system, in price-table order.
func ItemTypesOf(sys System) []ItemType {
	var out []ItemType
	for _, s := range itemSpecs {
		if s.System == sys {
			out = append(out, s.Type)
		}
	}
	return out
}

// Spec returns the spec of t; ok is false for an unknown item type.
func (t ItemType) Spec() (spec ItemSpec, ok bool) {
	for _, s := range itemSpecs {
		if s.Type == t {
			return s, true
		}
	}
	return ItemSpec{}, false
}

// Valid reports whether t is a known item type.
func (t ItemType) Valid() bool { _, ok := t.Spec(); return ok }

// ParseItemType reads an item type id, ignoring surrounding space and case.
func ParseItemType(s string) (ItemType, error) {
	t := ItemType(strings.ToLower(strings.TrimSpace(s)))
	if !t.Valid() {
		return "", ErrInvalidItemType
	}
	return t, nil
}
