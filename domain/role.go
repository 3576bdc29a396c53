package domain

import "slices"

// Role is what a staff member does (DOMAIN.md "People"). A user may hold
// several roles.
type Role string

// The roles; their ids are a contract with clients and scripts.
const (
	RoleDesk       Role = "desk"
	RoleManager    Role = "manager"
	RoleTechnician Role = "technician"
	RoleFinance    Role = "finance"
	RoleAdmin      Role = "admin"
)

// Roles lists every role in display order.
var Roles = []Role{RoleDesk, RoleManager, RoleTechnician, RoleFinance, RoleAdmin}

// Valid tells whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Label is the role's Chinese name as users see it.
func (r Role) Label() string {
	switch r {
	case RoleDesk:
		return "客户服务中心"
	case RoleManager:
		return "工程部经理"
	case RoleTechnician:
		return "技术人员"
	case RoleFinance:
		return "财务"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// Permission is one thing a role may do. Routes and mutations name the
// permission they need; the table below is the only place that grants them.
type Permission string

// The permissions.
const (
	PermSelf            Permission = "self"             // read own account, log out
	PermUsersManage     Permission = "users.manage"     // list, create, edit, disable users
	PermSettingsManage  Permission = "settings.manage"  // company profile, tables
	PermArchiveRead     Permission = "archive.read"     // customers, sites, contacts, contracts, equipment
	PermArchiveWrite    Permission = "archive.write"    // create and edit the archive
	PermArchiveImport   Permission = "archive.import"   // Excel import
	PermCredentialRead  Permission = "credential.read"  // audited reveal of device passwords
	PermTicketDispatch  Permission = "ticket.dispatch"  // open, assign, escalate tickets
	PermTicketEscalated Permission = "ticket.escalated" // the manager's escalation queue
	PermTicketField     Permission = "ticket.field"     // field work on own tickets, sync
	PermCallback        Permission = "ticket.callback"  // callbacks, archive tickets
	PermStatsRead       Permission = "stats.read"       // monthly statistics
	PermStatsPublish    Permission = "stats.publish"    // publish a month
	PermFinance         Permission = "finance"          // fees, pay sheets, exports
	PermAuditRead       Permission = "audit.read"       // the audit log
)

var grants = map[Role][]Permission{
	RoleDesk: {PermSelf, PermArchiveRead, PermArchiveWrite, PermArchiveImport, PermCredentialRead,
		PermTicketDispatch, PermCallback, PermStatsRead, PermStatsPublish},
	RoleManager: {PermSelf, PermArchiveRead, PermCredentialRead, PermTicketDispatch, PermTicketEscalated,
		PermStatsRead},
	RoleTechnician: {PermSelf, PermTicketField},
	RoleFinance:    {PermSelf, PermArchiveRead, PermStatsRead, PermFinance},
	RoleAdmin: {PermSelf, PermUsersManage, PermSettingsManage, PermArchiveRead, PermArchiveWrite,
		PermArchiveImport, PermCredentialRead, PermStatsRead, PermAuditRead},
}

// Can tells whether any of roles grants p.
func Can(roles []Role, p Permission) bool {
	for _, r := range roles {
		if slices.Contains(grants[r], p) {
			return true
		}
	}
	return false
}
