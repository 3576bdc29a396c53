// Package demo loads ELVcare's demonstration data: staff for every role
// (and, with the archive, a realistic Shenzhen customer base), through the
// write path like any other write.
package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"elvcare/domain"
	"elvcare/sync"
)

// Login is a demo account and its password, printed at start while the
// password still works.
type Login struct {
	Login    string
	Password string
	Name     string
	Roles    []domain.Role
}

// Logins are the demo accounts.
var Logins = []Login{
	{"admin", "admin123", "系统管理员", []domain.Role{domain.RoleAdmin}},
	{"chen", "demo123", "陈小姐", []domain.Role{domain.RoleDesk}},
	{"li", "demo123", "李经理", []domain.Role{domain.RoleManager}},
	{"wang", "demo123", "王工", []domain.Role{domain.RoleTechnician}},
	{"liu", "demo123", "刘工", []domain.Role{domain.RoleTechnician}},
	{"zhang", "demo123", "张工", []domain.Role{domain.RoleTechnician}},
	{"zhao", "demo123", "赵会计", []domain.Role{domain.RoleFinance}},
}

var techProfile = map[string]struct {
	specialist bool
	skills     []string
}{
	"wang":  {true, []string{"cctv", "alarm", "onecard"}},
	"liu":   {true, []string{"network", "telephone"}},
	"zhang": {false, []string{"pa", "network", "cctv"}},
}

// HashFunc hashes a password the way the server checks it.
type HashFunc func(string) (string, error)

// Load loads the demo data into an empty store; it refuses a store that
// already has users, so real data is never mixed with the demo.
func Load(ctx context.Context, e *sync.Engine, hash HashFunc) error {
	us, err := e.Users().List(ctx)
	if err != nil {
		return err
	}
	if len(us) > 0 {
		return fmt.Errorf("demo data goes only into an empty data directory (it has %d users)", len(us))
	}
	for _, l := range Logins {
		h, err := hash(l.Password)
		if err != nil {
			return err
		}
		p := techProfile[l.Login]
		args, err := json.Marshal(sync.CreateUserArgs{Login: l.Login, Name: l.Name, Roles: l.Roles,
			Specialist: p.specialist, Skills: p.skills, PasswordHash: h})
		if err != nil {
			return err
		}
		if _, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: args}); err != nil {
			return fmt.Errorf("demo user %s: %w", l.Login, err)
		}
	}
	args, _ := json.Marshal(sync.CompanyArgs{Name: "深圳市华信弱电工程技术有限公司", Address: "深圳市福田区深南中路 3018 号", Hotline: "0755-8366 8899"})
	if _, err := e.Apply(ctx, sync.System, sync.Mutation{Name: "company.update", Args: args}); err != nil {
		return fmt.Errorf("demo company: %w", err)
	}
	if err := LoadArchive(ctx, e); err != nil {
		return fmt.Errorf("demo archive: %w", err)
	}
	if err := LoadTickets(ctx, e); err != nil {
		return fmt.Errorf("demo tickets: %w", err)
	}
	return nil
}
