package domain_test

import (
	"testing"

	"elvcare/domain"
)

func TestCan(t *testing.T) {
	tests := []struct {
		name  string
		roles []domain.Role
		perm  domain.Permission
		want  bool
	}{
		{"admin manages users", []domain.Role{domain.RoleAdmin}, domain.PermUsersManage, true},
		{"desk cannot manage users", []domain.Role{domain.RoleDesk}, domain.PermUsersManage, false},
		{"technician cannot manage users", []domain.Role{domain.RoleTechnician}, domain.PermUsersManage, false},
		{"technician does field work", []domain.Role{domain.RoleTechnician}, domain.PermTicketField, true},
		{"desk does no field work", []domain.Role{domain.RoleDesk}, domain.PermTicketField, false},
		{"desk dispatches", []domain.Role{domain.RoleDesk}, domain.PermTicketDispatch, true},
		{"manager dispatches", []domain.Role{domain.RoleManager}, domain.PermTicketDispatch, true},
		{"only manager has the escalation queue", []domain.Role{domain.RoleDesk}, domain.PermTicketEscalated, false},
		{"manager has the escalation queue", []domain.Role{domain.RoleManager}, domain.PermTicketEscalated, true},
		{"finance sees fees", []domain.Role{domain.RoleFinance}, domain.PermFinance, true},
		{"desk does not see pay", []domain.Role{domain.RoleDesk}, domain.PermFinance, false},
		{"technician cannot reveal credentials", []domain.Role{domain.RoleTechnician}, domain.PermCredentialRead, false},
		{"finance cannot reveal credentials", []domain.Role{domain.RoleFinance}, domain.PermCredentialRead, false},
		{"desk reveals credentials", []domain.Role{domain.RoleDesk}, domain.PermCredentialRead, true},
		{"roles add up", []domain.Role{domain.RoleTechnician, domain.RoleFinance}, domain.PermFinance, true},
		{"no roles, nothing", nil, domain.PermSelf, false},
		{"unknown role, nothing", []domain.Role{"root"}, domain.PermSelf, false},
		{"everyone has self", []domain.Role{domain.RoleFinance}, domain.PermSelf, true},
		{"only admin edits settings", []domain.Role{domain.RoleDesk, domain.RoleManager}, domain.PermSettingsManage, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.Can(tt.roles, tt.perm); got != tt.want {
				t.Errorf("Can(%v, %s) = %v, want %v", tt.roles, tt.perm, got, tt.want)
			}
		})
	}
}

func TestEveryRoleHasSelf(t *testing.T) {
	for _, r := range domain.Roles {
		if !domain.Can([]domain.Role{r}, domain.PermSelf) {
			t.Errorf("role %s lacks %s", r, domain.PermSelf)
		}
		if r.Label() == string(r) {
			t.Errorf("role %s has no Chinese label", r)
		}
	}
}

func TestUserSpecValidate(t *testing.T) {
	tests := []struct {
		name string
		spec domain.UserSpec
		want map[string]string
	}{
		{"good technician", domain.UserSpec{Login: "wang", Name: "王工", Roles: []domain.Role{domain.RoleTechnician}, Specialist: true, Skills: []string{"cctv"}}, nil},
		{"missing all", domain.UserSpec{}, map[string]string{"login": "required", "name": "required", "roles": "required"}},
		{"bad login", domain.UserSpec{Login: "王", Name: "x", Roles: []domain.Role{domain.RoleDesk}}, map[string]string{"login": "invalid_login"}},
		{"unknown role", domain.UserSpec{Login: "ab", Name: "x", Roles: []domain.Role{"boss"}}, map[string]string{"roles": "invalid_choice"}},
		{"unknown skill", domain.UserSpec{Login: "ab", Name: "x", Roles: []domain.Role{domain.RoleTechnician}, Skills: []string{"hvac"}}, map[string]string{"skills": "invalid_choice"}},
		{"specialist must be technician", domain.UserSpec{Login: "ab", Name: "x", Roles: []domain.Role{domain.RoleDesk}, Specialist: true}, map[string]string{"specialist": "specialist_needs_technician"}},
		{"name too long", domain.UserSpec{Login: "ab", Name: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", Roles: []domain.Role{domain.RoleDesk}}, map[string]string{"name": "too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := domain.Problems{}
			tt.spec.Validate(p)
			if len(p) != len(tt.want) {
				t.Fatalf("problems %v, want %v", p, tt.want)
			}
			for k, v := range tt.want {
				if p[k] != v {
					t.Errorf("field %s: got %q want %q", k, p[k], v)
				}
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, want := range map[string]string{"": "required", "short": "password_too_short", "longenough": ""} {
		p := domain.Problems{}
		domain.ValidatePassword(p, "password", pw)
		if p["password"] != want {
			t.Errorf("%q: got %q want %q", pw, p["password"], want)
		}
	}
}
