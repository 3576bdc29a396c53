package server

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
)

// ControlSocket is the file name of the local control socket in the data
// directory. While the server holds the store's lock, the command line
// (elvcare user …, backup, demo) works through it instead of opening the
// store. Only the owner of the data directory can connect (mode 0600).
const ControlSocket = "elvcare.sock"

// ControlApply is the body of POST /ctl/apply.
type ControlApply struct {
	Name string          `json:"name"`
	Args json.RawMessage `json:"args"`
}

// DemoLoader loads the demo data; the command wires it in.
type DemoLoader func() error

// ListenControl serves the control API on dataDir/elvcare.sock until the
// returned app is shut down.
func (s *Server) ListenControl(dataDir string, demo DemoLoader) (*fiber.App, error) {
	path := filepath.Join(dataDir, ControlSocket)
	_ = os.Remove(path) // a stale socket from a crash; the store lock proves we own the dir
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	app := fiber.New(fiber.Config{ErrorHandler: s.errorHandler, DisableStartupMessage: true, BodyLimit: 1 << 20,
		ReadTimeout: time.Minute, WriteTimeout: 30 * time.Minute})
	cli := sync.Actor{Via: "cli", Roles: []domain.Role{domain.RoleAdmin, domain.RoleDesk, domain.RoleManager}}
	app.Post("/ctl/apply", func(c *fiber.Ctx) error {
		var req ControlApply
		if err := decode(c, &req); err != nil {
			return err
		}
		ctx, cancel := storeCtx()
		defer cancel()
		res, err := s.eng.Apply(ctx, cli, sync.Mutation{Name: req.Name, Args: req.Args})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(res)
	})
	app.Get("/ctl/users", func(c *fiber.Ctx) error {
		ctx, cancel := storeCtx()
		defer cancel()
		us, err := s.eng.Users().List(ctx)
		if err != nil {
			return err
		}
		return c.JSON(us)
	})
	app.Get("/ctl/user/:login", func(c *fiber.Ctx) error {
		ctx, cancel := storeCtx()
		defer cancel()
		u, err := s.eng.Users().ByLogin(ctx, c.Params("login"))
		if err != nil {
			return err
		}
		return c.JSON(sync.PublicUser(u))
	})
	app.Get("/ctl/backup", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/x-tar")
		// Written to a temp file first so a failure is an error answer, not
		// a truncated stream that looks like a backup.
		f, err := os.CreateTemp(dataDir, "backup-*.tmp")
		if err != nil {
			return err
		}
		// Unlinked at once: the open file stays readable until the
		// stream, which closes it, is sent.
		_ = os.Remove(f.Name())
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		if err := s.eng.Store().Backup(ctx, f); err != nil {
			f.Close()
			return err
		}
		if _, err := f.Seek(0, 0); err != nil {
			f.Close()
			return err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return err
		}
		return c.SendStream(f, int(st.Size()))
	})
	app.Post("/ctl/demo", func(c *fiber.Ctx) error {
		if demo == nil {
			return domain.ErrNotFound
		}
		if err := demo(); err != nil {
			return err
		}
		return c.SendStatus(204)
	})
	go func() {
		if err := app.Listener(ln); err != nil {
			s.log.Warn("control socket stopped", "err", err)
		}
	}()
	return app, nil
}
