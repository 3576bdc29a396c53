// Package server is ELVcare's HTTP face: Fiber routes, authentication,
// middleware, JSON in and out, and the embedded PWA. It is thin: it decodes,
// authenticates, calls the write path or a reader, and encodes. No business
// rule lives here.
package server

import (
	"context"
	"io/fs"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"elvcare/sync"
)

// Config is what the server needs from the command line.
type Config struct {
	// TrustedProxies are the addresses (or CIDRs) whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; empty means none.
	TrustedProxies []string
	// BodyLimit caps a request body.
	BodyLimit int
	// SessionIdle ends a session unused this long; SessionAbsolute ends any
	// session this long after login.
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// UI is the built PWA (pwa.Dist()); nil serves a notice.
	UI fs.FS
	// PDFFont is the TrueType CJK font of the printed forms; empty tries
	// Debian's fonts-droid-fallback and the other defaults.
	PDFFont string
	// Version is printed by /healthz.
	Version string
	Logger  *slog.Logger
	// Now is the clock (tests fix it).
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.BodyLimit == 0 {
		c.BodyLimit = 24 << 20 // the largest upload is a 20 MB document
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = 7 * 24 * time.Hour
	}
	if c.SessionAbsolute == 0 {
		c.SessionAbsolute = 30 * 24 * time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Server is the HTTP application.
type Server struct {
	cfg      Config
	eng      *sync.Engine
	app      *fiber.App
	log      *slog.Logger
	now      func() time.Time
	sessions *KV
	throttle throttle
	routes   []Route
	closing  atomic.Bool // set at shutdown: live streams end
}

// New builds the application over an engine.
func New(cfg Config, eng *sync.Engine) *Server {
	cfg.defaults()
	s := &Server{cfg: cfg, eng: eng, log: cfg.Logger, now: cfg.Now}
	s.sessions = NewKV(eng.Store(), "sessions", cfg.Now)
	s.throttle = throttle{kv: NewKV(eng.Store(), "throttle", cfg.Now), now: cfg.Now, free: 5, limit: 5 * time.Minute}
	s.app = fiber.New(fiber.Config{
		AppName:                 "ELVcare",
		ErrorHandler:            s.errorHandler,
		BodyLimit:               cfg.BodyLimit,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            60 * time.Second,
		IdleTimeout:             120 * time.Second,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
		DisableStartupMessage:   true,
		// Handlers copy what they keep (utils.CopyString); Immutable
		// would copy every string of every request.
	})
	s.app.Use(recover.New(recover.Config{EnableStackTrace: false}))
	s.app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	s.app.Use(securityHeaders)
	// Fastest level: a first pull is a few MB of JSON and phones wait on the CPU.
	s.app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	s.routes = s.routeTable()
	s.mount()
	s.mountUI()
	return s
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// App is the Fiber application, for tests (app.Test) and listeners.
func (s *Server) App() *fiber.App { return s.app }

// Routes is the route table, for the authorization-matrix test and docs.
func (s *Server) Routes() []Route { return s.routes }

// Shutdown stops accepting requests and waits for running ones, up to d.
func (s *Server) Shutdown(d time.Duration) error {
	s.closing.Store(true)
	return s.app.ShutdownWithTimeout(d)
}

// Maintain runs the periodic housekeeping until ctx ends: expired sessions,
// throttle records and old idempotency records are swept.
func (s *Server) Maintain(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.sessions.Sweep(ctx); err != nil {
				s.log.Warn("sweep sessions", "err", err)
			}
			if err := s.throttle.kv.Sweep(ctx); err != nil {
				s.log.Warn("sweep throttle", "err", err)
			}
			if err := s.eng.PruneIdempotency(ctx, 7*24*time.Hour); err != nil {
				s.log.Warn("prune idempotency", "err", err)
			}
		}
	}
}

// securityHeaders sets what Helmet would and what it leaves out: a CSP and
// HSTS (only meaningful over https; browsers ignore it over http).
func securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
	if c.Protocol() == "https" {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}
