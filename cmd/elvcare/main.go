// Command elvcare is ELVcare's one binary: the server (serve) and the
// administration commands that work on its data directory.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `elvcare — ELVcare 弱电售后 after-sales service

Usage:
  elvcare serve    [flags]   start the server (see: elvcare serve --help)
  elvcare user     add|list|disable|enable|set-role|reset-password [flags]
  elvcare demo     --data DIR   load the demo data into an empty data directory
  elvcare backup   --data DIR --out FILE   write a consistent backup (works while serving)
  elvcare restore  --data DIR --in FILE    restore a backup into an empty, stopped data directory
  elvcare check    --data DIR   verify a stopped data directory (change feed continuity)
  elvcare openapi  print the OpenAPI document of the HTTP API
  elvcare version  print the version

Every flag may also come from an environment variable ELVCARE_<FLAG> (upper
case, dashes as underscores), e.g. ELVCARE_DATA=/srv/elvcare.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "serve":
		err = cmdServe(args)
	case "user":
		err = cmdUser(args)
	case "demo":
		err = cmdDemo(args)
	case "backup":
		err = cmdBackup(args)
	case "restore":
		err = cmdRestore(args)
	case "check":
		err = cmdCheck(args)
	case "openapi":
		err = cmdOpenAPI(args)
	case "version", "--version", "-v":
		fmt.Println("elvcare", version)
	case "help", "--help", "-h":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "elvcare: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "elvcare:", err)
		os.Exit(1)
	}
}
