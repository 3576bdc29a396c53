package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func run(t *testing.T, stdin string, bin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestUserCommands works on a stopped data directory, then through the
// running server's control socket, and never bypasses the store's lock.
func TestUserCommandsAndBackup(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	if out, err := run(t, "", bin, "demo", "--data", data); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	if out, err := run(t, "a-good-password\n", bin, "user", "add", "--data", data, "--login", "sun", "--name", "孙工",
		"--role", "technician", "--specialist", "--skill", "cctv"); err != nil || !strings.Contains(out, "created user sun") {
		t.Fatalf("user add (stopped): %v %s", err, out)
	}
	if out, err := run(t, "short\n", bin, "user", "add", "--data", data, "--login", "sun2", "--name", "x", "--role", "desk"); err == nil {
		t.Errorf("a short password was accepted: %s", out)
	}
	addr := freePort(t)
	p := startServer(t, bin, data, addr)
	defer p.kill()
	// While serving: the commands go through the socket.
	if out, err := run(t, "", bin, "user", "disable", "--data", data, "--login", "sun"); err != nil {
		t.Fatalf("disable (serving): %v %s", err, out)
	}
	out, err := run(t, "", bin, "user", "list", "--data", data)
	if err != nil || !strings.Contains(out, "sun") || !strings.Contains(out, "disabled") || !strings.Contains(out, "wang") {
		t.Fatalf("list (serving): %v %s", err, out)
	}
	if out, err := run(t, "", bin, "user", "set-role", "--data", data, "--login", "nobody", "--role", "desk"); err == nil {
		t.Errorf("set-role of an unknown login succeeded: %s", out)
	}
	// The disabled user cannot sign in.
	r, err := http.Post("http://"+addr+"/api/auth/login", "application/json", strings.NewReader(`{"login":"sun","password":"a-good-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 403 {
		t.Errorf("disabled user login: %d", r.StatusCode)
	}
	backup := filepath.Join(t.TempDir(), "b.tar")
	if out, err := run(t, "", bin, "backup", "--data", data, "--out", backup); err != nil {
		t.Fatalf("backup (serving): %v %s", err, out)
	}
	p.kill()
	restored := filepath.Join(t.TempDir(), "restored")
	if out, err := run(t, "", bin, "restore", "--data", restored, "--in", backup); err != nil {
		t.Fatalf("restore: %v %s", err, out)
	}
	if out, err := run(t, "", bin, "restore", "--data", restored, "--in", backup); err == nil {
		t.Errorf("restore into a non-empty directory succeeded: %s", out)
	}
	out, err = run(t, "", bin, "user", "list", "--data", restored)
	if err != nil || !strings.Contains(out, "sun") || !strings.Contains(out, "disabled") {
		t.Fatalf("list of the restored directory: %v %s", err, out)
	}
}

// TestServeTLS serves https from certificate files; cookies are Secure.
func TestServeTLS(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	data := filepath.Join(dir, "data")
	addr := freePort(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data", data, "--demo", "--tls-cert", cert, "--tls-key", key, "--log-level", "error")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	var resp *http.Response
	var err error
	for i := 0; i < 200; i++ {
		if resp, err = client.Get("https://" + addr + "/healthz"); err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("https /healthz: %v", err)
	}
	resp.Body.Close()
	banner := make([]byte, 4096)
	n, _ := io.ReadAtLeast(stdout, banner, 20)
	if !strings.Contains(string(banner[:n]), "https://") {
		t.Errorf("banner does not print the https URL: %s", banner[:n])
	}
	r, err := client.Post("https://"+addr+"/api/auth/login", "application/json", strings.NewReader(`{"login":"admin","password":"admin123"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("login over https: %d", r.StatusCode)
	}
	for _, c := range r.Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure over https", c.Name)
		}
	}
	if r.Header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over https")
	}
	// Plain http to the TLS port is refused.
	if r, err := http.Get("http://" + addr + "/healthz"); err == nil && r.StatusCode == 200 {
		t.Error("plain http answered on the TLS port")
	}
}

func selfSigned(t *testing.T, dir string) (string, string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}
