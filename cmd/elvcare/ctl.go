package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/store"
)

// target is where an administration command acts: the store itself when no
// server runs, or the running server's control socket (never bypassing
// the store's lock).
type target struct {
	eng    *sync.Engine
	st     *store.DB
	client *http.Client
}

func openTarget(dir string) (*target, error) {
	sock := filepath.Join(dir, server.ControlSocket)
	if conn, err := net.DialTimeout("unix", sock, time.Second); err == nil {
		conn.Close()
		c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}}}
		return &target{client: c}, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	st, err := openStore(dir, 256, newLogger("warn"))
	if err != nil {
		return nil, err
	}
	key, err := loadSecretKey(dir)
	if err != nil {
		st.Close()
		return nil, err
	}
	return &target{st: st, eng: sync.New(sync.Options{Store: st, CredentialKey: key})}, nil
}

func (t *target) Close() {
	if t.st != nil {
		t.st.Close()
	}
}

var cliActor = sync.Actor{Via: "cli", Roles: sync.System.Roles}

// apply runs a mutation locally or through the socket.
func (t *target) apply(name string, args any) (json.RawMessage, error) {
	raw, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	if t.eng != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return t.eng.Apply(ctx, cliActor, sync.Mutation{Name: name, Args: raw})
	}
	body, _ := json.Marshal(server.ControlApply{Name: name, Args: raw})
	return t.call("POST", "/ctl/apply", body)
}

func (t *target) call(method, path string, body []byte) (json.RawMessage, error) {
	req, err := http.NewRequest(method, "http://elvcare"+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		var eb server.ErrorBody
		if json.Unmarshal(out, &eb) == nil && eb.Error.Message != "" {
			msg := eb.Error.Message
			for f, m := range eb.Error.Fields {
				msg += fmt.Sprintf("; %s: %s", f, m)
			}
			return nil, errors.New(msg)
		}
		return nil, fmt.Errorf("server answered %s", resp.Status)
	}
	return out, nil
}

// stream copies a GET answer from the socket to w.
func (t *target) stream(path string, w io.Writer) error {
	resp, err := t.client.Get("http://elvcare" + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		out, _ := io.ReadAll(resp.Body)
		var eb server.ErrorBody
		if json.Unmarshal(out, &eb) == nil && eb.Error.Message != "" {
			return errors.New(eb.Error.Message)
		}
		return fmt.Errorf("server answered %s", resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
