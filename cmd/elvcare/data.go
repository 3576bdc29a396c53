package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"elvcare/server"
	"elvcare/sync"
	"elvcare/sync/demo"
	"elvcare/sync/store"
)

func (t *target) ctx() context.Context {
	return context.Background()
}

func cmdDemo(args []string) error {
	var data string
	fs := newFlags("demo", "demo --data DIR")
	fs.StringVar(&data, "data", "./data", "data directory")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	t, err := openTarget(data)
	if err != nil {
		return err
	}
	defer t.Close()
	if t.eng != nil {
		err = demo.Load(context.Background(), t.eng, server.HashPassword)
	} else {
		_, err = t.call("POST", "/ctl/demo", nil)
	}
	if err != nil {
		return err
	}
	fmt.Println("demo data loaded")
	return nil
}

func cmdBackup(args []string) error {
	var data, out string
	fs := newFlags("backup", "backup --data DIR --out FILE")
	fs.StringVar(&data, "data", "./data", "data directory")
	fs.StringVar(&out, "out", "", "backup file to write (a tar archive); - for standard output")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if out == "" {
		return errors.New("--out is required")
	}
	t, err := openTarget(data)
	if err != nil {
		return err
	}
	defer t.Close()
	var w io.Writer = os.Stdout
	var f *os.File
	if out != "-" {
		// Written beside the target and renamed when complete, so a failed
		// backup never leaves a file that looks whole.
		f, err = os.CreateTemp(dirOf(out), ".elvcare-backup-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		w = f
	}
	if t.st != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		err = t.st.Backup(ctx, w)
	} else {
		err = t.stream("/ctl/backup", w)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), out); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "backup written to %s\n", out)
	}
	return nil
}

func cmdRestore(args []string) error {
	var data, in string
	fs := newFlags("restore", "restore --data DIR --in FILE")
	fs.StringVar(&data, "data", "./data", "data directory to restore into (must be empty or absent)")
	fs.StringVar(&in, "in", "", "backup file made by elvcare backup")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if in == "" {
		return errors.New("--in is required")
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := store.Restore(data, f); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(os.Stderr, "restored %s into %s\n", in, data)
	return nil
}

func cmdOpenAPI(args []string) error {
	dir, err := os.MkdirTemp("", "elvcare-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := openStore(dir, 1, newLogger("error"))
	if err != nil {
		return err
	}
	defer st.Close()
	srv := server.New(server.Config{Version: version}, sync.New(sync.Options{Store: st}))
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(srv.OpenAPI())
}

func ignoreHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func dirOf(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[:i+1]
		}
	}
	return "."
}

func cmdCheck(args []string) error {
	var data string
	fs := newFlags("check", "check --data DIR")
	fs.StringVar(&data, "data", "./data", "data directory (the server must be stopped)")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	st, err := openStore(data, 1, newLogger("warn"))
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.Check(context.Background())
	if err != nil {
		return err
	}
	fmt.Printf("change feed: %d entries, versions %d..%d\n", r.Changes, r.First, r.Last)
	if len(r.Problems) > 0 {
		for _, p := range r.Problems {
			fmt.Println("problem:", p)
		}
		return fmt.Errorf("%d problems found", len(r.Problems))
	}
	fmt.Println("ok")
	return nil
}
