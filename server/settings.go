package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

const maxLogoBytes = 512 << 10

func jsonOf(v any) (json.RawMessage, error) { return json.Marshal(v) }

func (s *Server) settingsRoutes() []Route {
	admin := Need(domain.PermSettingsManage)
	return []Route{
		{Method: "GET", Path: "/api/settings/company", Access: Public, Tag: "settings", Summary: "The company profile (name, address, hotline, logo)",
			Resp: domain.Company{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				ctx, cancel := storeCtx()
				defer cancel()
				co, err := s.eng.Company(ctx)
				if err != nil {
					return err
				}
				return c.JSON(co)
			}},
		{Method: "PUT", Path: "/api/settings/company", Access: admin, Tag: "settings", Summary: "Change the company profile",
			Body: sync.CompanyArgs{}, Resp: domain.Company{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req sync.CompanyArgs
				if err := decode(c, &req); err != nil {
					return err
				}
				return s.apply(c, sess, "company.update", req, 200)
			}},
		{Method: "POST", Path: "/api/settings/company/logo", Access: admin, Tag: "settings", Summary: "Upload the company logo (PNG or JPEG, at most 512 KB)",
			RawBody: []string{"image/png", "image/jpeg"}, Resp: domain.Company{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				body := c.Body()
				if len(body) > maxLogoBytes {
					return domain.ErrTooLarge
				}
				ct := http.DetectContentType(body)
				if ct != "image/png" && ct != "image/jpeg" {
					return domain.E(domain.KindInvalid, "unsupported_media")
				}
				ctx, cancel := storeCtx()
				defer cancel()
				hash, _, err := s.eng.Store().Blobs().Put(ctx, bytes.NewReader(body), maxLogoBytes)
				if err != nil {
					return err
				}
				return s.apply(c, sess, "company.setLogo", sync.LogoArgs{Hash: hash}, 200)
			}},
		{Method: "GET", Path: "/api/templates", Access: admin, Tag: "settings", Summary: "The checklist templates (built-in first)",
			Resp: []sync.TemplateInfo{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				ctx, cancel := storeCtx()
				defer cancel()
				ts, err := s.eng.Templates(ctx)
				if err != nil {
					return err
				}
				return c.JSON(ts)
			}},
		{Method: "GET", Path: "/api/templates/:id", Access: admin, Tag: "settings", Summary: "One checklist template",
			Resp: domain.ChecklistTemplate{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				ctx, cancel := storeCtx()
				defer cancel()
				t, err := s.eng.Template(ctx, pathID(c))
				if err != nil {
					return err
				}
				return c.JSON(t)
			}},
		{Method: "PUT", Path: "/api/templates/:id", Access: admin, Tag: "settings",
			Summary: "Create a checklist template, or save its next version (baseVersion: the version edited; 0 for a new one)",
			Body:    sync.TemplateArgs{}, Resp: domain.ChecklistTemplate{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req sync.TemplateArgs
				if err := decode(c, &req); err != nil {
					return err
				}
				req.Template.ID = pathID(c)
				return s.apply(c, sess, "template.save", req, 200)
			}},
		{Method: "GET", Path: "/api/settings/company/logo", Access: Public, Tag: "settings", Summary: "The company logo image",
			RawResp: "image/*", Handle: func(c *fiber.Ctx, _ *Session) error {
				ctx, cancel := storeCtx()
				defer cancel()
				co, err := s.eng.Company(ctx)
				if err != nil {
					return err
				}
				if co.LogoHash == "" {
					return domain.ErrNotFound
				}
				return s.sendBlob(c, co.LogoHash)
			}},
	}
}

// sendBlob answers a stored file; blobs are addressed by content, so they
// never change and may be cached for long.
func (s *Server) sendBlob(c *fiber.Ctx, hash string) error {
	rc, _, err := s.eng.Store().Blobs().Open(hash)
	if errors.Is(err, store.ErrNotFound) {
		return domain.ErrNotFound
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, http.DetectContentType(data))
	c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	c.Set(fiber.HeaderETag, `"`+hash+`"`)
	return c.Send(data)
}
