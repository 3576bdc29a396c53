// Package pwa embeds the built front end (the Vite build in dist/) so the
// server binary carries its own user interface. dist/ holds only a .keep
// placeholder until `npm run build` has run, so `go build ./...` works on a
// fresh clone; the server should treat a dist without index.html as "UI not
// built" rather than fail.
package pwa

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built front end rooted at dist/ (index.html, sw.js,
// manifest.webmanifest, assets/…).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid path; "dist" is a constant.
		panic(err)
	}
	return sub
}
