package server

import (
	"bufio"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/xlsx"
)

// CallbackQueue answers GET /api/callbacks.
type CallbackQueue struct {
	Items []sync.TicketSummary `json:"items"`
	Today domain.Date          `json:"today"`
}

// Timeline answers GET /api/tickets/{id}/timeline.
type Timeline struct {
	Items []sync.TimelineEntry `json:"items"`
}

// MonthlyStats answers GET /api/stats/monthly.
type MonthlyStats struct {
	Month string             `json:"month"`
	Rows  []domain.TechMonth `json:"rows"`
}

// Publications answers GET /api/stats/published.
type Publications struct {
	Items []domain.PublishedMonth `json:"items"`
}

// MonthQuery selects a month.
type MonthQuery struct {
	Month   string `query:"month"`
	Version int    `query:"version"`
}

// PublishRequest publishes the month in the path.
type PublishRequest struct {
	Note string `json:"note,omitempty"`
}

func (s *Server) deskRoutes() []Route {
	d := Need(domain.PermTicketDispatch)
	stats := Need(domain.PermStatsRead)
	return []Route{
		{Method: "GET", Path: "/api/dispatch/board", Access: d, Tag: "desk", Summary: "The dispatch board: new, escalated, assigned per technician, in progress, awaiting callback",
			Resp: sync.Board{}, Handle: func(c *fiber.Ctx, _ *Session) error { return read(c, s.eng.Board) }},
		{Method: "GET", Path: "/api/callbacks", Access: Need(domain.PermCallback), Tag: "desk", Summary: "Returned forms awaiting the same-day callback, oldest first",
			Resp: CallbackQueue{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				return read(c, func(ctx context.Context) (CallbackQueue, error) {
					items, err := s.eng.CallbackQueue(ctx)
					if items == nil {
						items = []sync.TicketSummary{}
					}
					return CallbackQueue{Items: items, Today: s.eng.Today()}, err
				})
			}},
		{Method: "GET", Path: "/api/tickets/:id/timeline", Access: d, Tag: "tickets", Summary: "Who did what when, from which device",
			Resp: Timeline{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (Timeline, error) {
					if _, err := s.eng.Tickets().Get(ctx, id); err != nil {
						return Timeline{}, err
					}
					items, err := s.eng.Timeline(ctx, sync.CollTickets, id)
					if items == nil {
						items = []sync.TimelineEntry{}
					}
					return Timeline{Items: items}, err
				})
			}},
		{Method: "GET", Path: "/api/equipment/:id/service-archive", Access: archiveRead, Tag: "archive", Summary: "The equipment's service history",
			Resp: ServiceArchive{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				id := pathID(c)
				return read(c, func(ctx context.Context) (ServiceArchive, error) {
					if _, err := s.eng.Archive().EquipmentByID(ctx, id); err != nil {
						return ServiceArchive{}, err
					}
					items, err := s.eng.ServiceArchive(ctx, "equipment", id)
					if items == nil {
						items = []sync.TicketSummary{}
					}
					return ServiceArchive{Items: items}, err
				})
			}},
		{Method: "GET", Path: "/api/stats/monthly", Access: stats, Tag: "stats", Summary: "A month's per-technician statistics, computed now",
			Query: MonthQuery{}, Resp: MonthlyStats{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				month := c.Query("month")
				return read(c, func(ctx context.Context) (MonthlyStats, error) {
					rows, err := s.eng.MonthlyStats(ctx, month)
					if rows == nil {
						rows = []domain.TechMonth{}
					}
					return MonthlyStats{Month: month, Rows: rows}, err
				})
			}},
		{Method: "POST", Path: "/api/stats/monthly/:month/publish", Access: Need(domain.PermStatsPublish), Tag: "stats",
			Summary: "Freeze the month's statistics as a new published version", Body: PublishRequest{}, Resp: domain.PublishedMonth{}, Mutates: true,
			Handle: func(c *fiber.Ctx, sess *Session) error {
				var req PublishRequest
				if len(c.Body()) > 0 {
					if err := decode(c, &req); err != nil {
						return err
					}
				}
				return s.apply(c, sess, "stats.publish", sync.PublishArgs{Month: c.Params("month"), Note: req.Note}, 201)
			}},
		{Method: "GET", Path: "/api/stats/published", Access: stats, Tag: "stats", Summary: "Published (frozen) months, every version",
			Query: MonthQuery{}, Resp: Publications{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				month := c.Query("month")
				return read(c, func(ctx context.Context) (Publications, error) {
					items, err := s.eng.Publications(ctx, month)
					if items == nil {
						items = []domain.PublishedMonth{}
					}
					return Publications{Items: items}, err
				})
			}},
		{Method: "GET", Path: "/api/stats/monthly.xlsx", Access: stats, Tag: "stats", Summary: "A month's statistics (a published version, or computed now) as .xlsx",
			Query: MonthQuery{}, RawResp: xlsx.ContentType, Handle: s.exportStats},
		{Method: "GET", Path: "/api/settings/score-table", Access: stats, Tag: "stats", Summary: "The satisfaction scoring table",
			Resp: domain.ScoreTable{}, Handle: func(c *fiber.Ctx, _ *Session) error { return read(c, s.eng.ScoreTable) }},
		{Method: "PUT", Path: "/api/settings/score-table", Access: Need(domain.PermSettingsManage), Tag: "stats", Summary: "Change the scoring table",
			Body: domain.ScoreTable{}, Resp: domain.ScoreTable{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
				var t domain.ScoreTable
				if err := decode(c, &t); err != nil {
					return err
				}
				return s.apply(c, sess, "settings.setScoreTable", t, 200)
			}},
		{Method: "GET", Path: "/api/reminders", Access: d, Tag: "desk", Summary: "Visits not dispatched by tomorrow, visits with no date, jobs needing a next visit",
			Resp: sync.Reminders{}, Handle: func(c *fiber.Ctx, _ *Session) error { return read(c, s.eng.Reminders) }},
		{Method: "POST", Path: "/api/maintenance/generate", Access: d, Tag: "desk", Summary: "Open the periodic maintenance visits now due (also runs hourly)",
			Resp: sync.GenerateResult{}, Mutates: true, Handle: func(c *fiber.Ctx, sess *Session) error {
				return s.apply(c, sess, "maintenance.generate", struct{}{}, 200)
			}},
		{Method: "GET", Path: "/api/events", Access: d, Tag: "desk", Summary: "Server-sent events: {\"version\":N} whenever data changes (the board refreshes on it)",
			RawResp: "text/event-stream", Handle: s.events},
	}
}

func (s *Server) exportStats(c *fiber.Ctx, _ *Session) error {
	month := c.Query("month")
	version := c.QueryInt("version")
	ctx, cancel := storeCtx()
	defer cancel()
	var rows []domain.TechMonth
	label := month
	if version > 0 {
		ps, err := s.eng.Publications(ctx, month)
		if err != nil {
			return err
		}
		found := false
		for _, p := range ps {
			if p.Version == version {
				rows, label, found = p.Rows, p.Label, true
			}
		}
		if !found {
			return domain.ErrNotFound
		}
	} else {
		var err error
		if rows, err = s.eng.MonthlyStats(ctx, month); err != nil {
			return err
		}
	}
	data, err := xlsx.StatsWorkbook(label, rows)
	if err != nil {
		return err
	}
	setDownload(c, fmt.Sprintf("满意度统计-%s.xlsx", month), fmt.Sprintf("stats-%s.xlsx", month))
	return c.Send(data)
}

// events streams {"version":N} when the change feed moves, and a comment
// every 20 s so proxies keep the stream open. Clients reconnect on their
// own (EventSource does).
func (s *Server) events(c *fiber.Ctx, _ *Session) error {
	c.Set(fiber.HeaderContentType, "text/event-stream")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	st := s.eng.Store()
	c.Context().SetBodyStreamWriter(fasthttp.StreamWriter(func(w *bufio.Writer) {
		last := uint64(0)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		idle := 0
		for range tick.C {
			v := st.LastVersion()
			if v != last {
				last = v
				idle = 0
				fmt.Fprintf(w, "data: {\"version\":%d}\n\n", v)
			} else if idle++; idle%40 == 0 {
				fmt.Fprint(w, ": keep-alive\n\n")
			}
			if err := w.Flush(); err != nil {
				return // the client went away
			}
			if s.closing.Load() {
				return
			}
		}
	}))
	return nil
}
