package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync"
)

// Access is who may call a route: anyone (Public), or a signed-in user
// whose roles grant Perm.
type Access struct {
	Public bool
	Perm   domain.Permission
}

// Public is the access of routes anyone may call.
var Public = Access{Public: true}

// Need is the access of routes that need a permission.
func Need(p domain.Permission) Access { return Access{Perm: p} }

// Route is one API endpoint: the table below is the single source of the
// routes, their access rules and their OpenAPI description.
type Route struct {
	Method  string
	Path    string // Fiber syntax: /api/users/:id
	Access  Access
	Summary string
	Tag     string
	Body    any // the request body type (a zero value), or nil
	Query   any // a struct whose `query` tags are the query parameters, or nil
	Resp    any // the response body type, or nil for no body
	Status  int // success status; 200 when zero
	// RawBody: the body is not JSON (uploads); its media types.
	RawBody []string
	// RawResp: the response is not JSON; its media type.
	RawResp string
	// Mutates: the route writes through the write path and honours
	// Idempotency-Key.
	Mutates bool
	// Quarantine: a session whose user was disabled meanwhile is let
	// through with no Session, its pushes to be held (sync push only).
	Quarantine bool
	Handle     func(c *fiber.Ctx, sess *Session) error
}

// mount registers every route of the table with its access check in front.
func (s *Server) mount() {
	for _, r := range s.routes {
		r := r
		s.app.Add(r.Method, r.Path, func(c *fiber.Ctx) error {
			sess, err := s.authorize(c, r)
			if err != nil {
				return err
			}
			return r.Handle(c, sess)
		})
	}
	s.app.All("/api/*", func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// authorize enforces a route's access rule: 401 without a live session,
// 403 without the permission or, for a write, without the CSRF token.
func (s *Server) authorize(c *fiber.Ctx, r Route) (*Session, error) {
	if r.Access.Public {
		sess, _ := s.session(c) // optional: public routes may use it
		return sess, nil
	}
	if r.Quarantine {
		if uid, ok := s.disabledSessionUser(c); ok {
			c.Locals("quarantine", uid)
			return nil, nil
		}
	}
	sess, err := s.session(c)
	if err != nil {
		return nil, err
	}
	if !domain.Can(sess.User.Roles, r.Access.Perm) {
		return nil, domain.ErrForbidden
	}
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		if err := checkCSRF(c, sess); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// decode reads a JSON body strictly: malformed JSON and unknown fields are
// 400, so a client cannot set fields the server alone sets.
func decode(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return domain.ErrMalformed
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return domain.ErrMalformed.Wrap(err)
	}
	return nil
}

// apply runs a mutation for the session's user, honouring Idempotency-Key,
// and answers its JSON result with status.
func (s *Server) apply(c *fiber.Ctx, sess *Session, name string, args any, status int) error {
	raw, err := json.Marshal(args)
	if err != nil {
		return err
	}
	res, err := s.applyRaw(c, sess, name, raw)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(status).Send(res)
}

func (s *Server) applyRaw(c *fiber.Ctx, sess *Session, name string, raw json.RawMessage) (json.RawMessage, error) {
	ctx, cancel := storeCtx()
	defer cancel()
	a := sync.Actor{Via: "public"}
	if sess != nil {
		a = sess.Actor()
	}
	key := strings.TrimSpace(c.Get("Idempotency-Key"))
	if len(key) > 200 {
		return nil, domain.Problems{"Idempotency-Key": "too_long"}.Err()
	}
	m := sync.Mutation{Name: name, Args: raw, IdempotencyKey: utils.CopyString(key)}
	if key != "" {
		sum := sha256.Sum256(append([]byte(c.Method()+" "+c.Path()+"\n"), c.Body()...))
		m.Fingerprint = hex.EncodeToString(sum[:])
	}
	return s.eng.Apply(ctx, a, m)
}

func (s *Server) routeTable() []Route {
	var rs []Route
	rs = append(rs, s.authRoutes()...)
	rs = append(rs, s.userRoutes()...)
	rs = append(rs, s.settingsRoutes()...)
	rs = append(rs, s.syncRoutes()...)
	rs = append(rs, s.ticketRoutes()...)
	rs = append(rs, s.formRoutes()...)
	rs = append(rs, s.deskRoutes()...)
	rs = append(rs, s.searchRoutes()...)
	rs = append(rs, s.metaRoutes()...)
	rs = append(rs, s.archiveRoutes()...)
	rs = append(rs, s.xlsxRoutes()...)
	return rs
}
