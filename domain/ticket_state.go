package domain

// TicketState is where a service ticket (技术服务联络单) is in the one state
// machine the desk and the field share (R-TKT-STATES).
type TicketState string

// The fourteen states.
const (
	TicketNew        TicketState = "new"         // 待派单
	TicketEscalated  TicketState = "escalated"   // 待工程部派工
	TicketAssigned   TicketState = "assigned"    // 已派单
	TicketAccepted   TicketState = "accepted"    // 已接单
	TicketAppointed  TicketState = "appointed"   // 已预约
	TicketEnRoute    TicketState = "en_route"    // 已出发
	TicketOnSite     TicketState = "on_site"     // 已到场
	TicketResulted   TicketState = "resulted"    // 已处理
	TicketSigned     TicketState = "signed"      // 客户已签字
	TicketReturned   TicketState = "returned"    // 已交回
	TicketCalledBack TicketState = "called_back" // 已回访
	TicketReopened   TicketState = "reopened"    // 需跟进
	TicketArchived   TicketState = "archived"    // 已归档
	TicketCancelled  TicketState = "cancelled"   // 已取消
)

var ticketStateOrder = []TicketState{
	TicketNew, TicketEscalated, TicketAssigned, TicketAccepted, TicketAppointed,
	TicketEnRoute, TicketOnSite, TicketResulted, TicketSigned, TicketReturned,
	TicketCalledBack, TicketReopened, TicketArchived, TicketCancelled,
}

var ticketStateLabels = map[TicketState]string{
	TicketNew:        "待派单",
	TicketEscalated:  "待工程部派工",
	TicketAssigned:   "已派单",
	TicketAccepted:   "已接单",
	TicketAppointed:  "已预约",
	TicketEnRoute:    "已出发",
	TicketOnSite:     "已到场",
	TicketResulted:   "已处理",
	TicketSigned:     "客户已签字",
	TicketReturned:   "已交回",
	TicketCalledBack: "已回访",
	TicketReopened:   "需跟进",
	TicketArchived:   "已归档",
	TicketCancelled:  "已取消",
}

// TicketStates returns the fourteen states in flow order.
func TicketStates() []TicketState {
	return append([]TicketState(nil), ticketStateOrder...)
}

// Valid reports whether s is one of the fourteen states.
func (s TicketState) Valid() bool { _, ok := ticketStateLabels[s]; return ok }

// Label is the Chinese name of the state.
func (s TicketState) Label() string { return ticketStateLabels[s] }

// Final reports whether no move leaves s: archived, cancelled, and
// reopened (its follow-up is a new ticket under the same job, R-TKT-9).
func (s TicketState) Final() bool {
	if !s.Valid() {
		return false
	}
	for _, t := range ticketTransitions {
		if t.From == s {
			return false
		}
	}
	return true
}
