package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
)

// UserList is the answer of GET /api/users.
type UserList struct {
	Items []domain.User `json:"items"`
	Total int           `json:"total"`
}

// CreateUserRequest is the body of POST /api/users.
type CreateUserRequest struct {
	Login      string        `json:"login"`
	Name       string        `json:"name"`
	Password   string        `json:"password"`
	Roles      []domain.Role `json:"roles"`
	Specialist bool          `json:"specialist"`
	Skills     []string      `json:"skills"`
}

// UpdateUserRequest is the body of PATCH /api/users/{id}; absent fields stay.
type UpdateUserRequest struct {
	Name       *string        `json:"name,omitempty"`
	Roles      *[]domain.Role `json:"roles,omitempty"`
	Specialist *bool          `json:"specialist,omitempty"`
	Skills     *[]string      `json:"skills,omitempty"`
	Disabled   *bool          `json:"disabled,omitempty"`
}

// PasswordRequest is the body of POST /api/users/{id}/password.
type PasswordRequest struct {
	Password string `json:"password"`
}

func (s *Server) userRoutes() []Route {
	admin := Need(domain.PermUsersManage)
	return []Route{
		{Method: "GET", Path: "/api/users", Access: admin, Tag: "users", Summary: "List users", Resp: UserList{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				ctx, cancel := storeCtx()
				defer cancel()
				us, err := s.eng.Users().List(ctx)
				if err != nil {
					return err
				}
				if us == nil {
					us = []domain.User{}
				}
				return c.JSON(UserList{Items: us, Total: len(us)})
			}},
		{Method: "POST", Path: "/api/users", Access: admin, Tag: "users", Summary: "Create a user", Body: CreateUserRequest{},
			Resp: domain.User{}, Status: 201, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req CreateUserRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				// Check the whole form before the costly hash, so every
				// field's problem is reported at once.
				p := domain.Problems{}
				domain.UserSpec{Login: domain.NormalizeLogin(req.Login), Name: strings.TrimSpace(req.Name), Roles: req.Roles,
					Specialist: req.Specialist, Skills: req.Skills}.Validate(p)
				domain.ValidatePassword(p, "password", req.Password)
				if err := p.Err(); err != nil {
					return err
				}
				hash, err := HashPassword(req.Password)
				if err != nil {
					return err
				}
				return s.apply(c, sess, "user.create", sync.CreateUserArgs{Login: req.Login, Name: req.Name, Roles: req.Roles,
					Specialist: req.Specialist, Skills: req.Skills, PasswordHash: hash}, 201)
			}},
		{Method: "PATCH", Path: "/api/users/:id", Access: admin, Tag: "users", Summary: "Change a user (name, roles, skills, disabled)",
			Body: UpdateUserRequest{}, Resp: domain.User{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req UpdateUserRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				return s.apply(c, sess, "user.update", sync.UpdateUserArgs{ID: c.Params("id"), Name: req.Name, Roles: req.Roles,
					Specialist: req.Specialist, Skills: req.Skills, Disabled: req.Disabled}, 200)
			}},
		{Method: "POST", Path: "/api/users/:id/password", Access: admin, Tag: "users", Summary: "Set a new password (ends the user's sessions)",
			Body: PasswordRequest{}, Status: 204, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req PasswordRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				hash, err := newPasswordHash(req.Password)
				if err != nil {
					return err
				}
				raw, err := jsonOf(sync.SetPasswordArgs{ID: c.Params("id"), PasswordHash: hash})
				if err != nil {
					return err
				}
				if _, err := s.applyRaw(c, sess, "user.setPassword", raw); err != nil {
					return err
				}
				return c.SendStatus(204)
			}},
	}
}

// newPasswordHash validates and hashes a new password.
func newPasswordHash(pw string) (string, error) {
	p := domain.Problems{}
	domain.ValidatePassword(p, "password", pw)
	if err := p.Err(); err != nil {
		return "", err
	}
	return HashPassword(pw)
}
