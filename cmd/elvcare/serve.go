package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"elvcare/pwa"
	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/demo"
	"elvcare/sync/search"
	"elvcare/sync/store"
)

type serveConfig struct {
	addr, data, publicURL, tlsCert, tlsKey string
	demo                                   bool
	trustedProxies                         multiFlag
	diskFloorMB                            uint64
	sessionIdle, sessionAbsolute           time.Duration
	logLevel                               string
	pdfFont                                string
}

func cmdServe(args []string) error {
	var c serveConfig
	fs := newFlags("serve", "serve [flags]")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.data, "data", "./data", "data directory (Badger store and files)")
	fs.BoolVar(&c.demo, "demo", false, "load the demo data when the data directory is empty")
	fs.StringVar(&c.publicURL, "public-url", "", "the URL users reach the server at (printed, used in QR labels and links)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key, serve https")
	fs.StringVar(&c.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fs.Var(&c.trustedProxies, "trusted-proxies", "reverse proxies whose X-Forwarded-For/-Proto are believed (IPs or CIDRs, comma separated)")
	fs.Uint64Var(&c.diskFloorMB, "disk-floor-mb", 256, "refuse writes when free disk falls below this many MB")
	fs.DurationVar(&c.sessionIdle, "session-idle", 7*24*time.Hour, "end a session unused this long")
	fs.DurationVar(&c.sessionAbsolute, "session-absolute", 30*24*time.Hour, "end any session this long after login")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.pdfFont, "pdf-font", "", "TrueType CJK font for printed forms (default: Debian's fonts-droid-fallback)")
	if err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	log := newLogger(c.logLevel)
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	st, err := openStore(c.data, c.diskFloorMB, log)
	if err != nil {
		return err
	}
	defer st.Close()
	key, err := loadSecretKey(c.data)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// The search index follows the change feed; it catches up (or
	// rebuilds) in the background, and every search catches up first.
	idx := search.New(st, search.Options{Logger: log})
	idx.Start(ctx)
	defer idx.Close()
	eng := sync.New(sync.Options{Store: st, Logger: log, CredentialKey: key, Search: idx})

	loadDemo := func() error { return demo.Load(ctx, eng, server.HashPassword) }
	if c.demo {
		us, err := eng.Users().List(ctx)
		if err != nil {
			return err
		}
		if len(us) == 0 {
			if err := loadDemo(); err != nil {
				return fmt.Errorf("load demo data: %w", err)
			}
			log.Info("demo data loaded")
		}
	}
	srv := server.New(server.Config{
		TrustedProxies: c.trustedProxies, SessionIdle: c.sessionIdle, SessionAbsolute: c.sessionAbsolute,
		UI: pwa.Dist(), Version: version, Logger: log, PDFFont: c.pdfFont,
	}, eng)
	ctl, err := srv.ListenControl(c.data, loadDemo)
	if err != nil {
		return fmt.Errorf("control socket: %w", err)
	}
	defer ctl.Shutdown()
	go srv.Maintain(ctx, 10*time.Minute)
	go runMaintenancePlans(ctx, eng, log)

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	scheme := "http"
	if c.tlsCert != "" {
		scheme = "https"
	}
	url := c.publicURL
	if url == "" {
		url = scheme + "://" + displayAddr(ln.Addr().String())
	}
	printBanner(os.Stdout, url, eng, ctx)

	errc := make(chan error, 1)
	go func() {
		if c.tlsCert != "" {
			errc <- listenTLS(srv, ln, c.tlsCert, c.tlsKey)
			return
		}
		errc <- srv.App().Listener(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := srv.Shutdown(15 * time.Second); err != nil {
		log.Warn("shutdown", "err", err)
	}
	return nil
}

func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// openStore opens the data directory; a directory held by a running server
// is reported plainly.
func openStore(dir string, floorMB uint64, log *slog.Logger) (*store.DB, error) {
	st, err := store.Open(store.Options{Dir: dir, DiskFloorBytes: floorMB << 20, Migrations: sync.Migrations, Logger: log})
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			return nil, fmt.Errorf("the data directory %s is in use by a running elvcare (stop it, or run this command while it serves: it uses %s)", dir, filepath.Join(dir, server.ControlSocket))
		}
		return nil, fmt.Errorf("open data directory %s: %w", dir, err)
	}
	return st, nil
}

// printBanner prints the URL and the demo logins whose demo passwords
// still work (an admin who changed them sees none).
func printBanner(w io.Writer, url string, eng *sync.Engine, ctx context.Context) {
	fmt.Fprintf(w, "\nELVcare 弱电售后 %s\n  打开 / open: %s\n", version, url)
	var lines []string
	for _, l := range demo.Logins {
		u, err := eng.Users().ByLogin(ctx, l.Login)
		if err != nil || u.Disabled || !server.CheckPassword(u.PasswordHash, l.Password) {
			continue
		}
		lines = append(lines, fmt.Sprintf("    %-6s / %-9s %s（%s）", l.Login, l.Password, l.Name, roleLabels(l)))
	}
	if len(lines) > 0 {
		fmt.Fprintln(w, "  演示账号 / demo logins:")
		for _, s := range lines {
			fmt.Fprintln(w, s)
		}
	}
	fmt.Fprintln(w)
}

func roleLabels(l demo.Login) string {
	var s []string
	for _, r := range l.Roles {
		s = append(s, r.Label())
	}
	return strings.Join(s, "、")
}

// runMaintenancePlans opens the periodic maintenance visits now due, at
// start and every hour; a visit is opened once however often it runs.
func runMaintenancePlans(ctx context.Context, eng *sync.Engine, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if r, err := eng.GenerateMaintenance(ctx); err != nil {
			log.Warn("maintenance plans", "err", err)
		} else if len(r.Opened) > 0 {
			log.Info("maintenance visits opened", "count", len(r.Opened))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
