package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

type goPackage struct {
	ImportPath string
	Doc        string
	Name       string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []goPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "elvcare/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestLayers keeps the imports flowing one way (cmd → server → sync →
// domain): Fiber only in server, Badger only in the store, domain pure.
func TestLayers(t *testing.T) {
	rules := []struct {
		pkgPrefix string
		forbidden []string
	}{
		{"elvcare/domain", []string{"elvcare/sync", "elvcare/server", "elvcare/cmd", "github.com/gofiber", "github.com/dgraph-io", "github.com/SherClockHolmes", "github.com/skip2", "net/http"}},
		{"elvcare/sync", []string{"elvcare/server", "elvcare/cmd", "github.com/gofiber"}},
		{"elvcare/server", []string{"elvcare/cmd", "github.com/dgraph-io"}},
		{"elvcare/pwa", []string{"elvcare/"}},
	}
	for _, p := range listPackages(t) {
		for _, r := range rules {
			if !strings.HasPrefix(p.ImportPath, r.pkgPrefix) {
				continue
			}
			for _, imp := range p.Imports {
				for _, f := range r.forbidden {
					if strings.HasPrefix(imp, f) && !(r.pkgPrefix == "elvcare/sync" && strings.HasPrefix(imp, "elvcare/sync")) {
						t.Errorf("%s imports %s: layers flow cmd → server → sync → domain", p.ImportPath, imp)
					}
				}
			}
		}
		// Badger only inside sync/store.
		if !strings.HasPrefix(p.ImportPath, "elvcare/sync/store") {
			for _, imp := range p.Imports {
				if strings.HasPrefix(imp, "github.com/dgraph-io/badger") {
					t.Errorf("%s imports Badger; only sync/store may", p.ImportPath)
				}
			}
		}
	}
}

// TestPackageDocs: every package says what it is for.
func TestPackageDocs(t *testing.T) {
	for _, p := range listPackages(t) {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("package %s has no doc comment", p.ImportPath)
		}
	}
}
