package sync

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"elvcare/domain"
	"elvcare/sync/store"
)

// CollUsers holds staff accounts.
const CollUsers = "users"

// CreateUserArgs are the arguments of user.create. The server hashes the
// password before the mutation is made, so no clear password is stored or
// audited.
type CreateUserArgs struct {
	Login        string        `json:"login"`
	Name         string        `json:"name"`
	Roles        []domain.Role `json:"roles"`
	Specialist   bool          `json:"specialist"`
	Skills       []string      `json:"skills"`
	PasswordHash string        `json:"passwordHash"`
}

// UpdateUserArgs are the arguments of user.update; nil fields stay.
type UpdateUserArgs struct {
	ID         string         `json:"id"`
	Name       *string        `json:"name,omitempty"`
	Roles      *[]domain.Role `json:"roles,omitempty"`
	Specialist *bool          `json:"specialist,omitempty"`
	Skills     *[]string      `json:"skills,omitempty"`
	Disabled   *bool          `json:"disabled,omitempty"`
}

// SetPasswordArgs are the arguments of user.setPassword.
type SetPasswordArgs struct {
	ID           string `json:"id"`
	PasswordHash string `json:"passwordHash"`
}

// ErrLoginTaken: another user has that login.
var ErrLoginTaken = domain.E(domain.KindConflict, "user.login_taken")

// ErrLastAdmin: the change would leave no enabled admin.
var ErrLastAdmin = domain.E(domain.KindConflict, "user.last_admin")

func registerUsers(e *Engine) {
	e.Register("user.create", domain.PermUsersManage, createUser)
	e.Register("user.update", domain.PermUsersManage, updateUser)
	e.Register("user.setPassword", domain.PermUsersManage, setPassword)
}

// PublicUser is a user as clients see it: no password hash.
func PublicUser(u domain.User) domain.User {
	u.PasswordHash = ""
	u.Epoch = 0
	if u.Roles == nil {
		u.Roles = []domain.Role{}
	}
	if u.Skills == nil {
		u.Skills = []string{}
	}
	return u
}

func putUser(c *Ctx, u domain.User) error {
	return c.Put(CollUsers, u.ID, u, PutOpts{
		Scopes: []string{"role:admin", "user:" + u.ID},
		Index:  []store.Index{{Name: "login", Value: u.Login}},
		Secret: []string{"passwordHash", "epoch"},
	})
}

func createUser(c *Ctx, raw json.RawMessage) (any, error) {
	var a CreateUserArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	spec := domain.UserSpec{Login: domain.NormalizeLogin(a.Login), Name: strings.TrimSpace(a.Name), Roles: dedupe(a.Roles), Specialist: a.Specialist, Skills: dedupe(a.Skills)}
	p := domain.Problems{}
	spec.Validate(p)
	if a.PasswordHash == "" {
		p.Add("password", "required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	ids, err := c.tx.Lookup(CollUsers, "login", spec.Login)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		return nil, ErrLoginTaken.With("login", spec.Login)
	}
	u := domain.User{ID: NewID(), Login: spec.Login, Name: spec.Name, Roles: spec.Roles, Specialist: spec.Specialist,
		Skills: spec.Skills, CreatedAt: c.Now, PasswordHash: a.PasswordHash, Epoch: 1}
	if err := putUser(c, u); err != nil {
		return nil, err
	}
	return PublicUser(u), nil
}

func updateUser(c *Ctx, raw json.RawMessage) (any, error) {
	var a UpdateUserArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	var u domain.User
	if err := c.Get(CollUsers, a.ID, &u); err != nil {
		return nil, err
	}
	wasAdmin := u.HasRole(domain.RoleAdmin) && !u.Disabled
	accessChanged := false
	if a.Name != nil {
		u.Name = strings.TrimSpace(*a.Name)
	}
	if a.Roles != nil {
		// Roles are read afresh on every request, so a change applies at
		// the user's next request without ending the session.
		u.Roles = dedupe(*a.Roles)
	}
	if a.Specialist != nil {
		u.Specialist = *a.Specialist
	}
	if a.Skills != nil {
		u.Skills = dedupe(*a.Skills)
	}
	if a.Disabled != nil && *a.Disabled != u.Disabled {
		u.Disabled = *a.Disabled
		accessChanged = true
	}
	if !u.HasRole(domain.RoleTechnician) {
		u.Specialist = false
	}
	p := domain.Problems{}
	domain.UserSpec{Login: u.Login, Name: u.Name, Roles: u.Roles, Specialist: u.Specialist, Skills: u.Skills}.Validate(p)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if wasAdmin && (!u.HasRole(domain.RoleAdmin) || u.Disabled) {
		n, err := enabledAdmins(c.tx)
		if err != nil {
			return nil, err
		}
		if n <= 1 {
			return nil, ErrLastAdmin
		}
	}
	if accessChanged {
		u.Epoch++
	}
	if err := putUser(c, u); err != nil {
		return nil, err
	}
	return PublicUser(u), nil
}

func setPassword(c *Ctx, raw json.RawMessage) (any, error) {
	var a SetPasswordArgs
	if err := DecodeArgs(raw, &a); err != nil {
		return nil, err
	}
	if a.PasswordHash == "" {
		return nil, domain.Problems{"password": "required"}.Err()
	}
	var u domain.User
	if err := c.Get(CollUsers, a.ID, &u); err != nil {
		return nil, err
	}
	u.PasswordHash = a.PasswordHash
	u.Epoch++ // a reset password ends every session of the user
	if err := putUser(c, u); err != nil {
		return nil, err
	}
	return PublicUser(u), nil
}

func enabledAdmins(r store.ReadTx) (int, error) {
	n := 0
	err := r.Scan(CollUsers, "", 0, func(_ string, data []byte) error {
		var u domain.User
		if err := json.Unmarshal(data, &u); err != nil {
			return err
		}
		if u.HasRole(domain.RoleAdmin) && !u.Disabled {
			n++
		}
		return nil
	})
	return n, err
}

func dedupe[T comparable](in []T) []T {
	out := make([]T, 0, len(in))
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Users reads accounts.
type Users struct{ st store.Store }

// Users returns the account reader.
func (e *Engine) Users() Users { return Users{e.st} }

// Get returns a user with its password hash (for the server's checks).
func (u Users) Get(ctx context.Context, id string) (domain.User, error) {
	var out domain.User
	err := u.st.View(ctx, func(tx store.ReadTx) error { return GetJSON(tx, CollUsers, id, &out) })
	return out, err
}

// ByLogin finds a user by login; missing is domain.ErrNotFound.
func (u Users) ByLogin(ctx context.Context, login string) (domain.User, error) {
	var out domain.User
	err := u.st.View(ctx, func(tx store.ReadTx) error {
		ids, err := tx.Lookup(CollUsers, "login", domain.NormalizeLogin(login))
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return domain.ErrNotFound
		}
		return GetJSON(tx, CollUsers, ids[0], &out)
	})
	return out, err
}

// List returns every user without password hashes, by login.
func (u Users) List(ctx context.Context) ([]domain.User, error) {
	var out []domain.User
	err := u.st.View(ctx, func(tx store.ReadTx) error {
		return tx.ScanIndex(CollUsers, "login", "", func(_, id string) error {
			var x domain.User
			if err := GetJSON(tx, CollUsers, id, &x); err != nil {
				return err
			}
			out = append(out, PublicUser(x))
			return nil
		})
	})
	if errors.Is(err, store.ErrStop) {
		err = nil
	}
	return out, err
}
