package server

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // decoders for the uploads check
	_ "image/png"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	_ "golang.org/x/image/webp"

	"elvcare/domain"
	"elvcare/sync"
)

// maxPushBytes caps one push batch; a client splits a bigger outbox (it
// gets 413 and halves the batch).
const maxPushBytes = 2 << 20

// PushResultBody is one mutation's outcome as the client reads it.
type PushResultBody struct {
	ID         uint64       `json:"id"`
	Status     string       `json:"status"`
	ConflictID string       `json:"conflictId,omitempty"`
	Reason     string       `json:"reason,omitempty"`
	Error      *ErrorDetail `json:"error,omitempty"`
}

// PushResponseBody answers POST /api/sync/push.
type PushResponseBody struct {
	LastMutationID uint64           `json:"lastMutationId"`
	Results        []PushResultBody `json:"results"`
	ServerTime     string           `json:"serverTime"`
	ClockOffsetMs  int64            `json:"clockOffsetMs"`
	ClockDrift     bool             `json:"clockDrift"`
}

// QuarantineList answers GET /api/quarantine.
type QuarantineList struct {
	Items []sync.Quarantined `json:"items"`
}

// DeviceList answers GET /api/devices.
type DeviceList struct {
	Items []sync.Client `json:"items"`
}

// DecideRequest accepts or discards a held mutation.
type DecideRequest struct {
	Accept bool `json:"accept"`
}

func (s *Server) syncRoutes() []Route {
	field := Need(domain.PermTicketField)
	d := Need(domain.PermTicketDispatch)
	return []Route{
		{Method: "GET", Path: "/api/quarantine", Access: d, Tag: "sync", Summary: "Work held from disabled users' and revoked devices' pushes",
			Resp: QuarantineList{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				status := c.Query("status", "pending")
				return read(c, func(ctx context.Context) (QuarantineList, error) {
					items, err := s.eng.QuarantineList(ctx, status)
					return QuarantineList{Items: items}, err
				})
			}},
		{Method: "POST", Path: "/api/quarantine/:client/:seq/decide", Access: d, Tag: "sync", Summary: "Accept (apply) or discard a held mutation",
			Body: DecideRequest{}, Resp: sync.Quarantined{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
				var req DecideRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				id := utils.CopyString(c.Params("client")) + "/" + utils.CopyString(c.Params("seq"))
				return s.apply(c, sess, "quarantine.decide", sync.DecideArgs{ID: id, Accept: req.Accept}, 200)
			}},
		{Method: "GET", Path: "/api/devices", Access: Need(domain.PermUsersManage), Tag: "sync", Summary: "The technicians' devices and their sync state",
			Resp: DeviceList{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				return read(c, func(ctx context.Context) (DeviceList, error) {
					items, err := s.eng.Devices(ctx)
					return DeviceList{Items: items}, err
				})
			}},
		{Method: "POST", Path: "/api/devices/:id/revoke", Access: Need(domain.PermUsersManage), Tag: "sync", Summary: "Revoke a device: its pushes are held for the desk and it wipes its data",
			Resp: sync.Client{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
				return s.apply(c, sess, "device.revoke", sync.RevokeArgs{ClientID: pathID(c)}, 200)
			}},
		{Method: "POST", Path: "/api/sync/push", Access: field, Tag: "sync", Summary: "Push a device's queued mutations (see docs/sync-protocol.md)",
			Body: sync.PushRequest{}, Resp: PushResponseBody{}, Quarantine: true, Handle: s.push},
		{Method: "POST", Path: "/api/sync/files", Access: field, Tag: "sync", Summary: "Upload a photo or signature image by content; answers its SHA-256",
			RawBody: []string{"image/jpeg", "image/png", "image/webp"}, Resp: FileHash{}, Handle: s.uploadFieldFile},
		{Method: "GET", Path: "/api/sync/files/:hash", Access: field, Tag: "sync", Summary: "A photo or signature of a ticket the caller holds",
			RawResp: "image/*", Handle: func(c *fiber.Ctx, sess *Session) error {
				hash := strings.ToLower(utils.CopyString(c.Params("hash")))
				ctx, cancel := storeCtx()
				defer cancel()
				ok, err := s.eng.Tickets().HolderHasFile(ctx, sess.User.ID, hash)
				if err != nil {
					return err
				}
				if !ok {
					return domain.ErrNotFound
				}
				return s.sendBlob(c, hash)
			}},
		{Method: "POST", Path: "/api/sync/pull", Access: field, Tag: "sync", Summary: "Pull the changes in the caller's scope since a cursor",
			Body: sync.PullRequest{}, Resp: sync.PullResponse{}, Handle: func(c *fiber.Ctx, sess *Session) error {
				var req sync.PullRequest
				if err := decode(c, &req); err != nil {
					return err
				}
				ctx, cancel := storeCtx()
				defer cancel()
				a := sess.Actor()
				a.Device = req.ClientID
				resp, err := s.eng.Pull(ctx, a, req)
				if err != nil {
					return err
				}
				body, err := resp.AppendJSON(nil)
				if err != nil {
					return err
				}
				c.Set(fiber.HeaderCacheControl, "no-store")
				c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
				return c.Send(body)
			}},
	}
}

func (s *Server) push(c *fiber.Ctx, sess *Session) error {
	if len(c.Body()) > maxPushBytes {
		return domain.E(domain.KindTooLarge, "sync.batch_too_large")
	}
	var req sync.PushRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ctx, cancel := storeCtx()
	defer cancel()
	if sess == nil {
		// A disabled user's device: hold its work for the desk, wipe it.
		uid, _ := c.Locals("quarantine").(string)
		q, err := s.eng.Quarantine(ctx, uid, req, "user_disabled")
		if err != nil {
			return err
		}
		return c.JSON(q)
	}
	resp, err := s.eng.Push(ctx, sess.Actor(), req)
	if sync.IsRevoked(err) {
		q, err := s.eng.Quarantine(ctx, sess.User.ID, req, "device_revoked")
		if err != nil {
			return err
		}
		return c.JSON(q)
	}
	if err != nil {
		return err
	}
	lang := langOf(c)
	out := PushResponseBody{LastMutationID: resp.LastMutationID, Results: make([]PushResultBody, 0, len(resp.Results)),
		ServerTime: resp.ServerTime.Format("2006-01-02T15:04:05.000Z07:00"), ClockOffsetMs: resp.ClockOffsetMs, ClockDrift: resp.ClockDrift}
	for _, r := range resp.Results {
		b := PushResultBody{ID: r.ID, Status: r.Status, ConflictID: r.ConflictID, Reason: r.Reason}
		if r.Err != nil {
			_, eb := s.errorAnswer(c, r.Err, lang)
			b.Error = &eb.Error
		}
		out.Results = append(out.Results, b)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

// maxFieldFile caps a photo or signature: the app downscales photos to a
// long side of 1600 px, well under this.
const maxFieldFile = 8 << 20

// FileHash answers an upload.
type FileHash struct {
	Hash string `json:"hash"`
	Size int64  `json:"size"`
}

// uploadFieldFile stores a photo or signature image after decoding it, so
// only real JPEG, PNG or WebP images are kept. Uploading the same content
// again answers the same hash: a cut upload is simply repeated.
func (s *Server) uploadFieldFile(c *fiber.Ctx, _ *Session) error {
	body := c.Body()
	if len(body) > maxFieldFile {
		return domain.ErrTooLarge
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || (format != "jpeg" && format != "png" && format != "webp") {
		return domain.E(domain.KindInvalid, "sync.not_image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 40_000_000 {
		return domain.E(domain.KindInvalid, "sync.not_image")
	}
	if _, _, err := image.Decode(bytes.NewReader(body)); err != nil {
		return domain.E(domain.KindInvalid, "sync.not_image")
	}
	ctx, cancel := storeCtx()
	defer cancel()
	hash, size, err := s.eng.Store().Blobs().Put(ctx, bytes.NewReader(body), maxFieldFile)
	if err != nil {
		return err
	}
	return c.JSON(FileHash{Hash: hash, Size: size})
}
