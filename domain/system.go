package domain

import (
	"slices"
	"strings"
)

// System is one of the six extra-low-voltage systems the company installs
// and maintains. Contracts cover systems at sites, equipment belongs to a
// system, and technicians have skills per system.
type System string

// The six systems, in the order of the source's price table.
const (
	SystemNetwork   System = "network"   // 综合布线/网络
	SystemTelephone System = "telephone" // 电话/程控交换机
	SystemPA        System = "pa"        // 公共广播
	SystemCCTV      System = "cctv"      // 闭路监控
	SystemAlarm     System = "alarm"     // 红外防盗报警
	SystemOneCard   System = "onecard"   // 一卡通 (门禁/考勤/消费)
)

// ErrInvalidSystem is returned by ParseSystem for a value that names no system.
var ErrInvalidSystem = E(KindInvalid, "invalid_system")

var systemOrder = []System{
	SystemNetwork, SystemTelephone, SystemPA, SystemCCTV, SystemAlarm, SystemOneCard,
}

var systemLabels = map[System]string{
	SystemNetwork:   "综合布线/网络",
	SystemTelephone: "电话/程控交换机",
	SystemPA:        "公共广播",
	SystemCCTV:      "闭路监控",
	SystemAlarm:     "红外防盗报警",
	SystemOneCard:   "一卡通",
}

// Systems returns every system in display order.
func Systems() []System { return slices.Clone(systemOrder) }

// Valid reports whether s is one of the six systems.
func (s System) Valid() bool {
	_, ok := systemLabels[s]
	return ok
}

// Label is the Chinese name users see, "" for an unknown system.
func (s System) Label() string { return systemLabels[s] }

// ParseSystem reads a system id, ignoring surrounding space and case.
func ParseSystem(s string) (System, error) {
	sys := System(strings.ToLower(strings.TrimSpace(s)))
	if !sys.Valid() {
		return "", ErrInvalidSystem
	}
	return sys, nil
}
