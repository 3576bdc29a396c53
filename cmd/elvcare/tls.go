package main

import (
	"crypto/tls"
	"fmt"
	"net"

	"elvcare/server"
)

// listenTLS serves https on ln with the certificate files.
func listenTLS(srv *server.Server, ln net.Listener, certFile, keyFile string) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("load TLS certificate: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return srv.App().Listener(tls.NewListener(ln, cfg))
}
