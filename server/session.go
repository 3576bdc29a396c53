package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
)

// Cookie names; csrf_token is a contract with clients.
const (
	cookieSession = "elv_session"
	cookieCSRF    = "csrf_token"
	headerCSRF    = "X-CSRF-Token"
)

// sessionRecord is what the server keeps of a session, under the SHA-256 of
// its token so a leaked store does not leak live sessions.
type sessionRecord struct {
	UserID   string    `json:"userId"`
	Epoch    int       `json:"epoch"`
	CSRF     string    `json:"csrf"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"lastSeen"`
}

// Session is the signed-in caller of a request.
type Session struct {
	User  domain.User
	CSRF  string
	key   string
	token string
}

// Actor is the session's user as the write path's actor.
func (s *Session) Actor() sync.Actor {
	return sync.Actor{UserID: s.User.ID, Roles: s.User.Roles, Via: "web"}
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// session returns the caller's live session, or a 401 error. Disabling a
// user or changing their roles moves their epoch, which ends every session
// made before at its next request.
func (s *Server) session(c *fiber.Ctx) (*Session, error) {
	if v, ok := c.Locals("session").(*Session); ok {
		return v, nil
	}
	token := c.Cookies(cookieSession)
	if token == "" {
		return nil, domain.ErrUnauthenticated
	}
	key := sessionKey(token)
	raw, err := s.sessions.Get(key)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, domain.E(domain.KindUnauthenticated, "session_expired")
	}
	var rec sessionRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, err
	}
	now := s.now()
	if now.Sub(rec.Created) > s.cfg.SessionAbsolute {
		_ = s.sessions.Delete(key)
		return nil, domain.E(domain.KindUnauthenticated, "session_expired")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u, err := s.eng.Users().Get(ctx, rec.UserID)
	if err != nil || u.Disabled || u.Epoch != rec.Epoch {
		_ = s.sessions.Delete(key)
		return nil, domain.E(domain.KindUnauthenticated, "session_expired")
	}
	// Touch at most once a minute: every touch is a durable write.
	if now.Sub(rec.LastSeen) > time.Minute {
		rec.LastSeen = now
		if err := s.saveSession(key, rec); err != nil {
			return nil, err
		}
	}
	sess := &Session{User: u, CSRF: rec.CSRF, key: key, token: token}
	c.Locals("session", sess)
	return sess, nil
}

func (s *Server) saveSession(key string, rec sessionRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	ttl := s.cfg.SessionIdle
	if left := s.cfg.SessionAbsolute - s.now().Sub(rec.Created); left < ttl {
		ttl = left
	}
	return s.sessions.Set(key, data, ttl)
}

// startSession makes a fresh session for u (a new id at every login, so a
// planted session cookie is worthless) and sets its cookies.
func (s *Server) startSession(c *fiber.Ctx, u domain.User) (*Session, error) {
	if old := c.Cookies(cookieSession); old != "" {
		_ = s.sessions.Delete(sessionKey(old))
	}
	token := sync.RandomToken(32)
	now := s.now()
	rec := sessionRecord{UserID: u.ID, Epoch: u.Epoch, CSRF: sync.RandomToken(24), Created: now, LastSeen: now}
	key := sessionKey(token)
	if err := s.saveSession(key, rec); err != nil {
		return nil, err
	}
	s.setCookie(c, cookieSession, token, true, s.cfg.SessionAbsolute)
	s.setCookie(c, cookieCSRF, rec.CSRF, false, s.cfg.SessionAbsolute)
	return &Session{User: u, CSRF: rec.CSRF, key: key, token: token}, nil
}

func (s *Server) endSession(c *fiber.Ctx, sess *Session) error {
	s.setCookie(c, cookieSession, "", true, -time.Hour)
	s.setCookie(c, cookieCSRF, "", false, -time.Hour)
	return s.sessions.Delete(sess.key)
}

func (s *Server) setCookie(c *fiber.Ctx, name, value string, httpOnly bool, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: httpOnly, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: s.secure(c)}
	if maxAge < 0 {
		ck.Expires = time.Unix(1, 0)
		ck.MaxAge = -1
	} else {
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.Cookie(ck)
}

// secure tells whether the request came over https (directly, or through a
// trusted proxy).
func (s *Server) secure(c *fiber.Ctx) bool { return c.Protocol() == "https" }

// checkCSRF: every cookie-authenticated write must echo the session's token
// from the csrf_token cookie in the X-CSRF-Token header.
func checkCSRF(c *fiber.Ctx, sess *Session) error {
	h := c.Get(headerCSRF)
	if h == "" || !constantEq(h, sess.CSRF) {
		return domain.E(domain.KindForbidden, "csrf")
	}
	return nil
}

func constantEq(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// disabledSessionUser finds the user of a live session whose user has since
// been disabled or had their password reset: their device's pending work is
// accepted into the quarantine, not applied. The CSRF token must match.
func (s *Server) disabledSessionUser(c *fiber.Ctx) (string, bool) {
	token := c.Cookies(cookieSession)
	if token == "" {
		return "", false
	}
	raw, err := s.sessions.Get(sessionKey(token))
	if err != nil || raw == nil {
		return "", false
	}
	var rec sessionRecord
	if json.Unmarshal(raw, &rec) != nil || s.now().Sub(rec.Created) > s.cfg.SessionAbsolute {
		return "", false
	}
	if !constantEq(c.Get(headerCSRF), rec.CSRF) {
		return "", false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u, err := s.eng.Users().Get(ctx, rec.UserID)
	if err != nil || (!u.Disabled && u.Epoch == rec.Epoch) {
		return "", false
	}
	return u.ID, true
}
