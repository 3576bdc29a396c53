// Package servertest runs the real ELVcare server over loopback on a real
// store in a temp dir, with helpers to sign in as any role and make calls
// the way the PWA does (cookies, CSRF header, JSON).
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"

	"elvcare/domain"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

// Harness is a running server.
type Harness struct {
	T      testing.TB
	URL    string
	Store  *store.DB
	Engine *sync.Engine
	Server *server.Server
	Dir    string
}

// Start opens a store in a temp dir and serves it on 127.0.0.1.
func Start(t testing.TB) *Harness { return StartWith(t, store.Options{}, server.Config{}) }

// StartWith is Start with store and server options (Dir is set here).
func StartWith(t testing.TB, so store.Options, cfg server.Config) *Harness {
	t.Helper()
	dir := t.TempDir()
	so.Dir = dir
	so.Migrations = sync.Migrations
	so.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if so.DiskFloorBytes == 0 {
		so.DiskFloorBytes = 1
	} else {
		// Migrate first with room to spare: a store opened below its
		// floor refuses even its migrations.
		pre := so
		pre.DiskFloorBytes = 1
		st, err := store.Open(pre)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
	st, err := store.Open(so)
	if err != nil {
		t.Fatal(err)
	}
	idx := search.New(st, search.Options{Logger: so.Logger})
	idx.Start(context.Background())
	t.Cleanup(func() { idx.Close() })
	eng := sync.New(sync.Options{Store: st, Search: idx, CredentialKey: []byte(sync.RandomToken(sync.CredentialKeySize / 2))})
	cfg.Version = "test"
	if cfg.Logger == nil {
		cfg.Logger = so.Logger
	}
	srv := server.New(cfg, eng)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	h := &Harness{T: t, URL: "http://" + ln.Addr().String(), Store: st, Engine: eng, Server: srv, Dir: dir}
	t.Cleanup(func() {
		_ = srv.Shutdown(5 * time.Second)
		_ = st.Close()
	})
	return h
}

// AddUser creates a user directly through the write path.
func (h *Harness) AddUser(login, password string, roles ...domain.Role) domain.User {
	h.T.Helper()
	hash, err := server.HashPassword(password)
	if err != nil {
		h.T.Fatal(err)
	}
	args, _ := json.Marshal(sync.CreateUserArgs{Login: login, Name: "用户" + login, Roles: roles, PasswordHash: hash})
	out, err := h.Engine.Apply(context.Background(), sync.System, sync.Mutation{Name: "user.create", Args: args})
	if err != nil {
		h.T.Fatal(err)
	}
	var u domain.User
	_ = json.Unmarshal(out, &u)
	return u
}

// Client is one browser: a cookie jar and the CSRF token it read.
type Client struct {
	h    *Harness
	HTTP *http.Client
	Lang string
}

// NewClient returns a client with an empty cookie jar.
func (h *Harness) NewClient() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{h: h, HTTP: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// Login signs in and fails the test on anything but 200.
func (h *Harness) Login(login, password string) *Client {
	h.T.Helper()
	c := h.NewClient()
	if r := c.Do("POST", "/api/auth/login", map[string]string{"login": login, "password": password}); r.Status != 200 {
		h.T.Fatalf("login %s: %d %s", login, r.Status, r.Body)
	}
	return c
}

// Response is a decoded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Error decodes the error body.
func (r Response) Error() server.ErrorDetail {
	var b server.ErrorBody
	_ = json.Unmarshal(r.Body, &b)
	return b.Error
}

// Cookie returns the value of a cookie the client holds.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.h.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Do sends body as JSON (a []byte is sent as is) with the CSRF header the
// PWA sends.
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.h.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.h.T.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.h.URL+path, rd)
	if err != nil {
		c.h.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := c.Cookie("csrf_token"); tok != "" {
		req.Header.Set("X-CSRF-Token", tok)
	}
	if c.Lang != "" {
		req.Header.Set("Accept-Language", c.Lang)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.h.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}
