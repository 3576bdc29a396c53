package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync"
)

// LoginRequest is the body of POST /api/auth/login.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// Me is the signed-in user as the client sees it.
type Me struct {
	ID         string        `json:"id"`
	Login      string        `json:"login"`
	Name       string        `json:"name"`
	Roles      []domain.Role `json:"roles"`
	Specialist bool          `json:"specialist"`
	Skills     []string      `json:"skills"`
}

// LoginResponse answers a successful login.
type LoginResponse struct {
	User Me `json:"user"`
}

func meOf(u domain.User) Me {
	u = sync.PublicUser(u)
	return Me{ID: u.ID, Login: u.Login, Name: u.Name, Roles: u.Roles, Specialist: u.Specialist, Skills: u.Skills}
}

func storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

func (s *Server) authRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/auth/login", Access: Public, Tag: "auth", Summary: "Sign in; sets the session and csrf_token cookies",
			Body: LoginRequest{}, Resp: LoginResponse{}, Handle: s.login},
		{Method: "POST", Path: "/api/auth/logout", Access: Need(domain.PermSelf), Tag: "auth", Summary: "Sign out", Status: 204,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				if err := s.endSession(c, sess); err != nil {
					return err
				}
				return c.SendStatus(204)
			}},
		{Method: "GET", Path: "/api/auth/me", Access: Need(domain.PermSelf), Tag: "auth", Summary: "The signed-in user", Resp: Me{},
			Handle: func(c *fiber.Ctx, sess *Session) error {
				c.Set(fiber.HeaderCacheControl, "no-store")
				return c.JSON(meOf(sess.User))
			}},
	}
}

// login checks the password under per-account and per-address backoff. An
// unknown login costs the same time as a known one and answers the same.
func (s *Server) login(c *fiber.Ctx, _ *Session) error {
	var req LoginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	login := domain.NormalizeLogin(req.Login)
	if login == "" || req.Password == "" {
		p := domain.Problems{}
		if login == "" {
			p.Add("login", "required")
		}
		if req.Password == "" {
			p.Add("password", "required")
		}
		return p.Err()
	}
	ipKey := "ip:" + utils.CopyString(c.IP())
	acctKey := "login:" + login
	if err := s.throttle.check(acctKey); err != nil {
		return err
	}
	if err := s.throttle.check(ipKey); err != nil {
		return err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	u, err := s.eng.Users().ByLogin(ctx, login)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	hash := u.PasswordHash
	if err != nil {
		hash = dummyHash
	}
	if !CheckPassword(hash, req.Password) || err != nil {
		if ferr := s.throttle.fail(acctKey); ferr != nil {
			return ferr
		}
		if ferr := s.throttle.fail(ipKey); ferr != nil {
			return ferr
		}
		return domain.E(domain.KindUnauthenticated, "invalid_credentials")
	}
	if u.Disabled {
		return domain.E(domain.KindForbidden, "account_disabled")
	}
	_ = s.throttle.reset(acctKey)
	if _, err := s.startSession(c, u); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(LoginResponse{User: meOf(u)})
}
