package server

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elvcare/domain"
	"elvcare/sync/store"
)

// OpenAPI builds the OpenAPI 3 document of every route in the table, with
// schemas derived from the Go types the handlers decode and encode, so the
// document cannot drift from the code.
func (s *Server) OpenAPI() map[string]any {
	g := &schemaGen{defs: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		p := openAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"summary":     r.Summary,
			"operationId": operationID(r),
			"tags":        []string{r.Tag},
		}
		var params []any
		for _, name := range pathParams(r.Path) {
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if r.Query != nil {
			t := reflect.TypeOf(r.Query)
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if q := f.Tag.Get("query"); q != "" {
					params = append(params, map[string]any{"name": q, "in": "query", "schema": g.schema(f.Type)})
				}
			}
		}
		if r.Mutates {
			params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header",
				"description": "A retry with the same key returns the first answer and changes nothing", "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if r.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(r.Body))}}}
		}
		if len(r.RawBody) > 0 {
			content := map[string]any{}
			for _, m := range r.RawBody {
				content[m] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
			}
			op["requestBody"] = map[string]any{"required": true, "content": content}
		}
		status := r.Status
		if status == 0 {
			status = 200
		}
		ok := map[string]any{"description": "OK"}
		switch {
		case r.Resp != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(r.Resp))}}
		case r.RawResp != "":
			ok["content"] = map[string]any{r.RawResp: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		errRef := map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(ErrorBody{}))}}}
		op["responses"] = map[string]any{strconv.Itoa(status): ok, "default": errRef}
		if !r.Access.Public {
			op["security"] = []any{map[string]any{"session": []string{}}}
			op["x-permission"] = string(r.Access.Perm)
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "ELVcare API", "version": s.cfg.Version, "description": "ELVcare (弱电售后) after-sales service API. Cookie sessions; writes need the csrf_token cookie echoed in X-CSRF-Token."},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         g.defs,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": cookieSession}},
		},
	}
}

var paramRe = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

func openAPIPath(p string) string { return paramRe.ReplaceAllString(p, "{$1}") }

func pathParams(p string) []string {
	var out []string
	for _, m := range paramRe.FindAllStringSubmatch(p, -1) {
		out = append(out, m[1])
	}
	return out
}

func operationID(r Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(r.Method))
	for _, part := range strings.Split(strings.TrimPrefix(r.Path, "/api/"), "/") {
		part = strings.TrimPrefix(part, ":")
		part = strings.Trim(part, "{}.")
		for _, w := range strings.FieldsFunc(part, func(c rune) bool { return c == '-' || c == '_' || c == '.' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

type schemaGen struct{ defs map[string]any }

var (
	timeType      = reflect.TypeOf(time.Time{})
	textMarshaler = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
	rawMessage    = reflect.TypeOf(json.RawMessage(nil))
)

// schema returns the JSON schema of t; named structs become components.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return g.schema(t.Elem())
	case t == rawMessage:
		return map[string]any{} // any JSON value
	case t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler):
		// Sent as text (domain.Date is "2026-03-31").
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		if t == reflect.TypeOf(domain.Role("")) {
			enum := make([]string, 0, len(domain.Roles))
			for _, r := range domain.Roles {
				enum = append(enum, string(r))
			}
			return map[string]any{"type": "string", "enum": enum}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if name != "" {
			if _, done := g.defs[name]; !done {
				g.defs[name] = map[string]any{} // placeholder for recursion
				g.defs[name] = g.structSchema(t)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return g.structSchema(t)
	}
	return map[string]any{}
}

func schemaName(t reflect.Type) string {
	if t.Name() == "" {
		return ""
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	switch pkg {
	case "server", "domain":
		return t.Name()
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + t.Name()
}

func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			sub := g.structSchema(f.Type)
			for k, v := range sub["properties"].(map[string]any) {
				props[k] = v
			}
			if req, ok := sub["required"].([]string); ok {
				required = append(required, req...)
			}
			continue
		}
		if name == "passwordHash" {
			continue // never sent
		}
		props[name] = g.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (s *Server) metaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/healthz", Access: Public, Tag: "meta", Summary: "Alive", Resp: Health{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				return c.JSON(Health{Status: "ok", Version: s.cfg.Version})
			}},
		{Method: "GET", Path: "/readyz", Access: Public, Tag: "meta", Summary: "Ready: the store is open and the disk above the floor", Resp: Health{},
			Handle: func(c *fiber.Ctx, _ *Session) error {
				if err := s.eng.Store().Ready(); err != nil {
					return c.Status(503).JSON(Health{Status: "unavailable", Version: s.cfg.Version, Reason: readyReason(err)})
				}
				return c.JSON(Health{Status: "ok", Version: s.cfg.Version})
			}},
		{Method: "GET", Path: "/api/openapi.json", Access: Public, Tag: "meta", Summary: "This document", RawResp: "application/json",
			Handle: func(c *fiber.Ctx, _ *Session) error { return c.JSON(s.OpenAPI()) }},
	}
}

// Health is the answer of /healthz and /readyz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
	Reason  string `json:"reason,omitempty"`
}

func readyReason(err error) string {
	switch {
	case errors.Is(err, store.ErrDiskFull):
		return "disk_full"
	case errors.Is(err, store.ErrClosed):
		return "closed"
	}
	return "not_ready"
}
