package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/forms"
	"elvcare/sync/store"
)

// ShareLink is the answer of POST /api/tickets/:id/share: the path of the
// customer's copy of the signed form, to open or send as it is.
type ShareLink struct {
	URL string `json:"url"`
}

// maxPictureBytes caps a picture read into a PDF (a logo, a signature, the
// photo of a paper form).
const maxPictureBytes = 20 << 20

// formRoutes are the printable forms (R-FORM): the 联络单 and the
// maintenance report as PDF, the 联络单's print model for the web app's
// print view, and the customer's copy behind an unguessable link.
func (s *Server) formRoutes() []Route {
	h := &formHandlers{s: s, pdf: forms.NewRenderer(forms.Options{FontPath: s.cfg.PDFFont})}
	d := domain.PermTicketDispatch
	return []Route{
		{Method: "GET", Path: "/api/tickets/:id/form.pdf", Access: Need(d), Tag: "forms",
			Summary: "The 客户服务联络单 as PDF (503 forms.no_font without a CJK font)", RawResp: "application/pdf",
			Handle: func(c *fiber.Ctx, _ *Session) error { return h.ticketPDF(c, pathID(c)) }},
		{Method: "GET", Path: "/api/tickets/:id/print", Access: Need(d), Tag: "forms",
			Summary: "The 客户服务联络单's print model: every label and value of the form",
			Resp:    forms.Form{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (forms.Form, error) { return h.contactForm(ctx, id) })
			}},
		{Method: "GET", Path: "/api/checklists/:id/report.pdf", Access: Need(d), Tag: "forms",
			Summary: "A maintenance report (点检维护工作报告) as PDF", RawResp: "application/pdf",
			Handle: func(c *fiber.Ctx, _ *Session) error { return h.reportPDF(c, pathID(c)) }},
		{Method: "GET", Path: "/api/checklists/:id/print", Access: Need(d), Tag: "forms",
			Summary: "A maintenance report's print model", Resp: forms.Form{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (forms.Form, error) { return h.reportForm(ctx, id) })
			}},
		{Method: "POST", Path: "/api/tickets/:id/share", Access: Need(domain.PermCallback), Tag: "forms",
			Summary: "The customer's link to the signed form (made once, then the same)", Resp: ShareLink{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				raw, err := s.applyRaw(c, sess, "ticket.share", []byte(fmt.Sprintf(`{"id":%q}`, pathID(c))))
				if err != nil {
					return err
				}
				var sh sync.Share
				if err := json.Unmarshal(raw, &sh); err != nil {
					return err
				}
				c.Set(fiber.HeaderCacheControl, "no-store")
				return c.JSON(ShareLink{URL: "/s/" + sh.Token})
			}},
		{Method: "GET", Path: "/s/:token", Access: Public, Tag: "forms",
			Summary: "The customer's copy of a signed 联络单 (PDF), by its share link", RawResp: "application/pdf",
			Handle: func(c *fiber.Ctx, _ *Session) error { return h.sharedPDF(c, utils.CopyString(c.Params("token"))) }},
	}
}

// formHandlers hold the renderer, which keeps the font once loaded.
type formHandlers struct {
	s   *Server
	pdf *forms.Renderer
}

func (h *formHandlers) ticketPDF(c *fiber.Ctx, id string) error {
	ctx, cancel := storeCtx()
	defer cancel()
	f, err := h.contactForm(ctx, id)
	if err != nil {
		return err
	}
	return h.send(c, f)
}

func (h *formHandlers) reportPDF(c *fiber.Ctx, id string) error {
	ctx, cancel := storeCtx()
	defer cancel()
	f, err := h.reportForm(ctx, id)
	if err != nil {
		return err
	}
	return h.send(c, f)
}

// sharedPDF serves the customer's copy: only a signed form, and an
// unknown link is the same 404 as any missing record.
func (h *formHandlers) sharedPDF(c *fiber.Ctx, token string) error {
	ctx, cancel := storeCtx()
	defer cancel()
	t, err := h.s.eng.Tickets().ByShare(ctx, token)
	if err != nil {
		return err
	}
	if !t.Signed() {
		return domain.ErrNotFound
	}
	f, err := h.contactFormOf(ctx, t)
	if err != nil {
		return err
	}
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set("Referrer-Policy", "no-referrer")
	return h.send(c, f)
}

// contactForm reads a ticket and what its form shows.
func (h *formHandlers) contactForm(ctx context.Context, id string) (forms.Form, error) {
	t, err := h.s.eng.Tickets().Get(ctx, id)
	if err != nil {
		return forms.Form{}, err
	}
	return h.contactFormOf(ctx, t)
}

func (h *formHandlers) contactFormOf(ctx context.Context, t domain.Ticket) (forms.Form, error) {
	co, err := h.s.eng.Company(ctx)
	if err != nil {
		return forms.Form{}, err
	}
	names := map[string]string{}
	for _, u := range t.Crew() {
		if user, err := h.s.eng.Users().Get(ctx, u); err == nil {
			names[u] = user.Name
		}
	}
	devices := map[string]string{}
	ids := append([]string{}, t.EquipmentIDs...)
	for _, sw := range t.Swaps {
		ids = append(ids, sw.EquipmentID)
	}
	for _, id := range ids {
		if _, done := devices[id]; done {
			continue
		}
		if eq, err := h.s.eng.Archive().EquipmentByID(ctx, id); err == nil {
			devices[id] = describeDevice(eq.Equipment.Equipment)
		}
	}
	return forms.ContactForm(forms.ContactInput{Ticket: t, Company: co, Zone: h.s.eng.Zone(), Names: names,
		Devices: devices, Printed: h.s.now()}), nil
}

// describeDevice is how a device is named on the form: kind, model,
// location — 硬盘录像机 海康威视 DS-7816N-K2（地下二层停车场）.
func describeDevice(eq domain.Equipment) string {
	var parts []string
	if spec, ok := eq.ItemType.Spec(); ok {
		parts = append(parts, spec.Name)
	}
	if eq.Model != "" {
		parts = append(parts, eq.Model)
	}
	s := strings.Join(parts, " ")
	if eq.Location != "" {
		s += "（" + eq.Location + "）"
	}
	return s
}

// reportForm reads a maintenance report, its ticket and who made it.
func (h *formHandlers) reportForm(ctx context.Context, id string) (forms.Form, error) {
	cl, err := h.s.eng.Checklist(ctx, id)
	if err != nil {
		return forms.Form{}, err
	}
	t, err := h.s.eng.Tickets().Get(ctx, cl.TicketID)
	if err != nil {
		return forms.Form{}, err
	}
	co, err := h.s.eng.Company(ctx)
	if err != nil {
		return forms.Form{}, err
	}
	lead := t.LeadName
	if u, err := h.s.eng.Users().Get(ctx, cl.By); err == nil {
		lead = u.Name
	}
	return forms.MaintenanceReport(forms.ReportInput{Ticket: t, Number: cl.Number, Template: cl.Template, Answers: cl.Answers,
		Summary: cl.Summary, Lead: lead, Date: cl.Started, Company: co, Zone: h.s.eng.Zone(), Printed: h.s.now()}), nil
}

// send draws f and answers it inline, named in Chinese (RFC 5987 with an
// ASCII fallback). A missing font is 503 with a message that says what to
// install.
func (h *formHandlers) send(c *fiber.Ctx, f forms.Form) error {
	pdf, err := h.pdf.PDF(f, h.pictures(f), h.s.now())
	if errors.Is(err, forms.ErrNoFont) {
		h.s.log.Warn("no CJK font: PDF forms cannot be made", "id", requestID(c), "err", err)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusServiceUnavailable).JSON(ErrorBody{ErrorDetail{Code: "forms.no_font",
			Message: localize(messages, "forms.no_font", langOf(c), nil)}})
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	num := f.Number
	if num == "" {
		num = string(f.Kind)
	}
	c.Set(fiber.HeaderContentDisposition, contentDisposition(f.Title+"-"+num+".pdf", num+".pdf"))
	return c.Send(pdf)
}

// pictures reads the pictures the form names; one that cannot be read is
// left out of the PDF rather than failing it.
func (h *formHandlers) pictures(f forms.Form) forms.Images {
	imgs := forms.Images{}
	hashes := []string{f.Company.LogoHash, f.Signature.ImageHash}
	for _, a := range f.Attachments {
		hashes = append(hashes, a.Hash)
	}
	for _, hash := range hashes {
		if hash == "" || imgs[hash] != nil {
			continue
		}
		data, err := h.readBlob(hash)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				h.s.log.Warn("picture for a PDF form", "hash", hash, "err", err)
			}
			continue
		}
		imgs[hash] = data
	}
	return imgs
}

func (h *formHandlers) readBlob(hash string) ([]byte, error) {
	rc, size, err := h.s.eng.Store().Blobs().Open(hash)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > maxPictureBytes {
		return nil, fmt.Errorf("blob %s is %d bytes", hash, size)
	}
	return io.ReadAll(io.LimitReader(rc, maxPictureBytes))
}

// contentDisposition names a file to show inline: the UTF-8 name per
// RFC 5987 (filename*), and an ASCII one for old clients.
func contentDisposition(name, ascii string) string {
	var fallback strings.Builder
	for _, r := range ascii {
		if r < 0x80 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	const attrChar = "!#$&+-.^_`|~"
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || strings.IndexByte(attrChar, b) >= 0) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`inline; filename="%s"; filename*=UTF-8''%s`, fallback.String(), enc.String())
}
