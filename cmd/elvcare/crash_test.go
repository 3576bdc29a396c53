package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds elvcare once for the tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "elvcare")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type proc struct {
	cmd  *exec.Cmd
	addr string
}

func startServer(t *testing.T, bin, data, addr string) *proc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", data, "--log-level", "error")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return &proc{cmd: cmd, addr: addr}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	t.Fatal("server did not become ready")
	return nil
}

func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
}

type write struct {
	key, login string
	acked      bool
	body       string // the first acknowledged answer
}

// TestCrashExactlyOnce writes users over the API with Idempotency-Keys and
// retries every request whose outcome it did not see, while the server is
// killed with SIGKILL at random moments. After each restart every write
// that got a 2xx, and every retried one, is there exactly once.
func TestCrashExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test in -short mode")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	add := exec.Command(bin, "user", "add", "--data", data, "--login", "admin", "--name", "管理员", "--role", "admin")
	add.Stdin = strings.NewReader("crash-test-password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	addr := freePort(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 5 * time.Second}
	var writes []*write
	rng := rand.New(rand.NewPCG(1, 2))
	seq := 0

	login := func() bool {
		body := `{"login":"admin","password":"crash-test-password"}`
		r, err := client.Post("http://"+addr+"/api/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == 200
	}
	csrf := func() string {
		base, _ := url.Parse("http://" + addr)
		for _, c := range jar.Cookies(base) {
			if c.Name == "csrf_token" {
				return c.Value
			}
		}
		return ""
	}
	send := func(w *write) (int, string, error) {
		body := fmt.Sprintf(`{"login":%q,"name":"技术员","password":"password-123","roles":["technician"]}`, w.login)
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/users", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", w.key)
		req.Header.Set("X-CSRF-Token", csrf())
		r, err := client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer r.Body.Close()
		b, err := io.ReadAll(r.Body)
		return r.StatusCode, string(b), err
	}

	const cycles = 20
	for cycle := 0; cycle < cycles; cycle++ {
		p := startServer(t, bin, data, addr)
		if !login() {
			p.kill()
			t.Fatalf("cycle %d: login failed", cycle)
		}
		// After a restart: everything acknowledged is there exactly once.
		verify(t, cycle, client, addr, writes)
		killAt := time.Now().Add(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		done := make(chan struct{})
		go func() {
			time.Sleep(time.Until(killAt))
			p.kill()
			close(done)
		}()
		// Retry the unacknowledged first, then new writes, until the kill.
		for time.Now().Before(killAt) {
			var w *write
			for _, x := range writes {
				if !x.acked {
					w = x
					break
				}
			}
			if w == nil {
				seq++
				w = &write{key: fmt.Sprintf("k-%d", seq), login: fmt.Sprintf("tech%04d", seq)}
				writes = append(writes, w)
			}
			status, body, err := send(w)
			if err != nil {
				break // the server died under us: the outcome is unknown
			}
			switch {
			case status == 201:
				if w.acked && body != w.body {
					t.Errorf("retry of %s answered differently", w.key)
				}
				w.acked, w.body = true, body
			case status == 401:
				login()
			default:
				t.Fatalf("cycle %d: %s answered %d %s", cycle, w.key, status, body)
			}
		}
		<-done
	}
	p := startServer(t, bin, data, addr)
	defer p.kill()
	if !login() {
		t.Fatal("final login failed")
	}
	// Finish every write whose outcome was never seen, then check all.
	for _, w := range writes {
		if !w.acked {
			status, body, err := send(w)
			if err != nil || status != 201 {
				t.Fatalf("final retry of %s: %v %d %s", w.key, err, status, body)
			}
			w.acked = true
		}
	}
	verify(t, cycles, client, addr, writes)
	acked := 0
	for _, w := range writes {
		if w.acked {
			acked++
		}
	}
	t.Logf("%d writes over %d kills", acked, cycles)
	if acked < cycles {
		t.Errorf("only %d writes made it: the test did not exercise the server", acked)
	}
}

func verify(t *testing.T, cycle int, client *http.Client, addr string, writes []*write) {
	t.Helper()
	r, err := client.Get("http://" + addr + "/api/users")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var list struct {
		Items []struct{ Login string } `json:"items"`
	}
	if err := json.NewDecoder(r.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, u := range list.Items {
		count[u.Login]++
	}
	for _, w := range writes {
		if w.acked && count[w.login] != 1 {
			t.Errorf("cycle %d: acknowledged %s is there %d times", cycle, w.login, count[w.login])
		}
		if count[w.login] > 1 {
			t.Errorf("cycle %d: %s duplicated", cycle, w.login)
		}
	}
}
