package server

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync"
)

// params reads query parameters, collecting every problem so a bad query
// is one 422 naming each parameter.
type params struct {
	c *fiber.Ctx
	p domain.Problems
}

func queryParams(c *fiber.Ctx) *params { return &params{c: c, p: domain.Problems{}} }

func (q *params) str(name string) string {
	return utils.CopyString(strings.TrimSpace(q.c.Query(name)))
}

// intIn reads an optional integer in [lo, hi]; absent gives def.
func (q *params) intIn(name string, def, lo, hi int) int {
	n, ok := q.optInt(name, lo, hi)
	if !ok {
		return def
	}
	return n
}

// optInt reads an optional integer in [lo, hi]; ok is false when absent
// or wrong (wrong is recorded).
func (q *params) optInt(name string, lo, hi int) (int, bool) {
	s := q.str(name)
	if s == "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		q.p.Add(name, "invalid_number")
		return 0, false
	case n < lo || n > hi:
		q.p.Add(name, "out_of_range")
		return 0, false
	}
	return n, true
}

func (q *params) optIntPtr(name string, lo, hi int) *int {
	if n, ok := q.optInt(name, lo, hi); ok {
		return &n
	}
	return nil
}

func (q *params) boolean(name string) bool {
	switch strings.ToLower(q.str(name)) {
	case "", "0", "false", "no":
		return false
	case "1", "true", "yes":
		return true
	}
	q.p.Add(name, "invalid_choice")
	return false
}

func (q *params) paging() sync.Paging {
	return sync.Paging{Page: q.intIn("page", 1, 1, 1_000_000), PageSize: q.intIn("pageSize", sync.DefaultPageSize, 1, sync.MaxPageSize)}
}

func (q *params) system(name string) domain.System {
	s := q.str(name)
	if s == "" {
		return ""
	}
	sys, err := domain.ParseSystem(s)
	if err != nil {
		q.p.Add(name, "invalid_system")
	}
	return sys
}

func (q *params) itemType(name string) domain.ItemType {
	s := q.str(name)
	if s == "" {
		return ""
	}
	t, err := domain.ParseItemType(s)
	if err != nil {
		q.p.Add(name, "invalid_item_type")
	}
	return t
}

func (q *params) stage(name string) domain.ContractStage {
	s := domain.ContractStage(strings.ToUpper(q.str(name)))
	if s != "" && !s.Valid() {
		q.p.Add(name, "invalid_stage")
	}
	return s
}

func (q *params) coverage(name string) domain.CoverageKind {
	k := domain.CoverageKind(q.str(name))
	if k != "" && !k.Valid() {
		q.p.Add(name, "invalid_kind")
	}
	return k
}

func (q *params) contractKind(name string) domain.ContractKind {
	k := domain.ContractKind(q.str(name))
	if k != "" && !k.Valid() {
		q.p.Add(name, "invalid_kind")
	}
	return k
}

func (q *params) date(name string) domain.Date {
	d, err := domain.ParseDate(q.str(name))
	if err != nil {
		q.p.Add(name, "invalid_date")
	}
	return d
}

func (q *params) err() error { return q.p.Err() }

// Query parameters of the archive lists, for the OpenAPI document.
type (
	// CustomerListQuery are the parameters of GET /api/customers.
	CustomerListQuery struct {
		Q            string `query:"q"`
		District     string `query:"district"`
		Coverage     string `query:"coverage"` // warranty, annual, per_visit, none
		Stage        string `query:"stage"`    // Q, Y, B, S
		EndingWithin int    `query:"endingWithin"`
		Page         int    `query:"page"`
		PageSize     int    `query:"pageSize"`
	}
	// SiteListQuery are the parameters of GET /api/sites.
	SiteListQuery struct {
		CustomerID string `query:"customerId"`
		District   string `query:"district"`
		Q          string `query:"q"`
		Page       int    `query:"page"`
		PageSize   int    `query:"pageSize"`
	}
	// ContactListQuery are the parameters of GET /api/contacts.
	ContactListQuery struct {
		CustomerID string `query:"customerId"`
		SiteID     string `query:"siteId"`
		Phone      string `query:"phone"`
		Q          string `query:"q"`
		Page       int    `query:"page"`
		PageSize   int    `query:"pageSize"`
	}
	// ContractListQuery are the parameters of GET /api/contracts.
	ContractListQuery struct {
		CustomerID   string `query:"customerId"`
		SiteID       string `query:"siteId"`
		Kind         string `query:"kind"`
		Stage        string `query:"stage"`
		EndingWithin int    `query:"endingWithin"`
		Q            string `query:"q"`
		Page         int    `query:"page"`
		PageSize     int    `query:"pageSize"`
	}
	// EndingQuery are the parameters of GET /api/contracts/ending.
	EndingQuery struct {
		Days int `query:"days"` // default 60
	}
	// EquipmentListQuery are the parameters of GET /api/equipment.
	EquipmentListQuery struct {
		CustomerID     string `query:"customerId"`
		SiteID         string `query:"siteId"`
		System         string `query:"system"`
		ItemType       string `query:"itemType"`
		IncludeRetired bool   `query:"includeRetired"`
		Q              string `query:"q"`
		Page           int    `query:"page"`
		PageSize       int    `query:"pageSize"`
	}
	// CoverageQuery are the parameters of GET /api/coverage.
	CoverageQuery struct {
		SiteID string `query:"siteId"`
		System string `query:"system"`
		Date   string `query:"date"` // YYYY-MM-DD, default today (Asia/Shanghai)
	}
	// FileUploadQuery are the parameters of POST /api/files.
	FileUploadQuery struct {
		Name string `query:"name"` // the original file name
	}
)
