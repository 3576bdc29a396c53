package server

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// mountUI serves the embedded PWA. Missing files are 404 — never index.html
// — so a service worker asking for a stale hashed asset does not cache HTML;
// only navigations (HTML requests for app routes) fall back to index.html.
// index.html, sw.js and the manifest must be revalidated; hashed assets are
// immutable for a year.
func (s *Server) mountUI() {
	ui := s.cfg.UI
	s.app.Get("/*", func(c *fiber.Ctx) error {
		p := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
		if strings.HasPrefix(p, "api/") || p == "api" {
			return fiber.ErrNotFound
		}
		if ui == nil {
			return fiber.ErrNotFound
		}
		if p == "" {
			p = "index.html"
		}
		data, err := fs.ReadFile(ui, p)
		if err != nil {
			if p != "index.html" && (!isNavigation(c) || path.Ext(p) != "") {
				return fiber.ErrNotFound
			}
			p = "index.html"
			if data, err = fs.ReadFile(ui, p); err != nil {
				return c.Status(503).Type("html").SendString(notBuiltPage)
			}
		}
		setCacheHeaders(c, p)
		if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
			c.Set(fiber.HeaderContentType, ct)
		}
		if path.Ext(p) == ".webmanifest" {
			c.Set(fiber.HeaderContentType, "application/manifest+json")
		}
		return c.Send(data)
	})
}

func isNavigation(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodGet {
		return false
	}
	if m := c.Get("Sec-Fetch-Mode"); m != "" {
		return m == "navigate"
	}
	return strings.Contains(c.Get(fiber.HeaderAccept), "text/html")
}

func setCacheHeaders(c *fiber.Ctx, p string) {
	switch {
	case strings.HasPrefix(p, "assets/"):
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	default:
		// index.html, sw.js, the manifest, workbox files and icons.
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>ELVcare</title>
<p style="font:16px sans-serif;margin:3em">前端尚未构建：请运行 <code>make build</code>。<br>The web app is not built: run <code>make build</code>.</p>`
