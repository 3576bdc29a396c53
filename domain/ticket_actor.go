package domain

// Actor is who moves a ticket: a person acting in a role, or the system
// itself (a technician's sync). It is not Role: a user holds roles, a move
// is made as one actor, and the system holds no role.
type Actor string

// The actors of the ticket state machine.
const (
	ActorDesk       Actor = "desk"       // 客户服务中心
	ActorManager    Actor = "manager"    // 工程部经理
	ActorTechnician Actor = "technician" // 技术人员
	ActorSystem     Actor = "system"     // 系统 (sync)
)

var actorLabels = map[Actor]string{
	ActorDesk:       "客户服务中心",
	ActorManager:    "工程部经理",
	ActorTechnician: "技术人员",
	ActorSystem:     "系统",
}

// Actors returns the four actors.
func Actors() []Actor { return []Actor{ActorDesk, ActorManager, ActorTechnician, ActorSystem} }

// Valid reports whether a is a known actor.
func (a Actor) Valid() bool { _, ok := actorLabels[a]; return ok }

// Label is the Chinese name of the actor.
func (a Actor) Label() string { return actorLabels[a] }

// ActorForRole is the actor a user acts as through role r; ok is false for
// roles that never move tickets (finance, admin).
func ActorForRole(r Role) (a Actor, ok bool) {
	switch r {
	case RoleDesk:
		return ActorDesk, true
	case RoleManager:
		return ActorManager, true
	case RoleTechnician:
		return ActorTechnician, true
	}
	return "", false
}
