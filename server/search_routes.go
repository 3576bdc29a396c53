package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync/search"
)

// SearchQuery is the one search box of the archive.
type SearchQuery struct {
	Q        string `query:"q"`
	Kinds    string `query:"kinds"` // customer,site,contact,equipment (default all)
	Page     int    `query:"page"`
	PageSize int    `query:"pageSize"`
}

// SearchResult answers GET /api/search.
type SearchResult struct {
	Items       []search.Hit `json:"items"`
	Total       int          `json:"total"`
	TotalCapped bool         `json:"totalCapped"`
}

func (s *Server) searchRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/search", Access: Need(domain.PermArchiveRead), Tag: "archive",
			Summary: "Search customers, sites, contacts and equipment by any part of a Chinese name or address, a phone fragment or a serial",
			Query:   SearchQuery{}, Resp: SearchResult{}, Handle: func(c *fiber.Ctx, _ *Session) error {
				ix := s.eng.Search()
				if ix == nil {
					return domain.E(domain.KindUnavailable, "search.rebuilding")
				}
				page, size := max(1, c.QueryInt("page", 1)), c.QueryInt("pageSize", search.DefaultLimit)
				if size < 1 || size > search.MaxLimit {
					return domain.Problems{"pageSize": "invalid"}.Err()
				}
				var kinds []string
				for _, k := range strings.Split(c.Query("kinds"), ",") {
					if k = strings.TrimSpace(k); k != "" {
						kinds = append(kinds, k)
					}
				}
				q := strings.TrimSpace(c.Query("q"))
				ctx, cancel := storeCtx()
				defer cancel()
				if err := ix.CatchUp(ctx); err != nil {
					return err
				}
				res, err := ix.Search(ctx, q, kinds, (page-1)*size, size)
				if err != nil {
					return err
				}
				items := res.Hits
				if items == nil {
					items = []search.Hit{}
				}
				c.Set(fiber.HeaderCacheControl, "no-store")
				return c.JSON(SearchResult{Items: items, Total: res.Total, TotalCapped: res.TotalCapped})
			}},
	}
}
