// Command elvbench measures ELVcare on this machine and prints each figure
// as "bench: NAME VALUE UNIT". Ratios are measured in the same run, so a
// noisy shared machine moves both sides alike.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	gosync "sync"
	"sync/atomic"
	"time"

	"elvcare/domain"
	"elvcare/sync"
	"elvcare/sync/store"
)

func main() {
	dur := flag.Duration("d", 5*time.Second, "how long each throughput run lasts")
	only := flag.String("only", "", "run only the benchmarks whose name starts with this")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	blockprofile := flag.String("blockprofile", "", "write a blocking profile of the run to this file")
	child := flag.String("child", "", "run one measurement in this process (used by the benchmarks themselves)")
	childDir := flag.String("dir", "", "the data directory of a -child run")
	flag.Parse()
	if *child != "" {
		if err := runChild(*child, *childDir); err != nil {
			fmt.Fprintln(os.Stderr, "elvbench:", err)
			os.Exit(1)
		}
		return
	}
	if *blockprofile != "" {
		runtime.SetBlockProfileRate(10000)
		defer func() {
			if f, err := os.Create(*blockprofile); err == nil {
				_ = pprof.Lookup("block").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	for _, b := range benches {
		if *only != "" && !hasPrefix(b.name, *only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "running %s…\n", b.name)
		if err := b.run(*dur); err != nil {
			fmt.Fprintf(os.Stderr, "elvbench: %s: %v\n", b.name, err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

var benches = []struct {
	name string
	run  func(time.Duration) error
}{
	{"apply", benchApply},
	{"push", benchPush},
	{"pull", benchPull},
	{"desk", benchDesk},
	{"xlsx", benchXLSX},
	{"archive_search", benchSearch},
}

func report(name string, value float64, unit string) {
	fmt.Printf("bench: %s %.2f %s\n", name, value, unit)
}

// benchApply: single-mutation writes through the whole write path (HTTP
// excluded, SyncWrites on) from 16 writers, against raw single-key Badger
// transactions from 16 writers in the same run.
func benchApply(d time.Duration) error {
	const writers = 16
	dir, err := os.MkdirTemp("", "elvbench-apply-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(store.Options{Dir: dir, Migrations: sync.Migrations, DiskFloorBytes: 1})
	if err != nil {
		return err
	}
	defer st.Close()
	eng := sync.New(sync.Options{Store: st})
	ctx := context.Background()
	ids := make([]string, writers)
	for i := range ids {
		args, _ := json.Marshal(sync.CreateUserArgs{Login: fmt.Sprintf("tech%02d", i), Name: "技术员", Roles: []domain.Role{domain.RoleTechnician}, PasswordHash: "x"})
		out, err := eng.Apply(ctx, sync.System, sync.Mutation{Name: "user.create", Args: args})
		if err != nil {
			return err
		}
		var u domain.User
		_ = json.Unmarshal(out, &u)
		ids[i] = u.ID
	}
	rawDir, err := os.MkdirTemp("", "elvbench-raw-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(rawDir)
	raw, err := store.OpenRawBench(rawDir)
	if err != nil {
		return err
	}
	defer raw.Close()
	// Alternate short rounds of both sides so a neighbour's load on this
	// shared machine falls on both alike; the ratio is of the sums.
	const rounds = 6
	slice := d / rounds * 2
	var applyOps, applySecs, rawOps, rawSecs float64
	for round := 0; round < rounds; round++ {
		settle(5 * time.Second)
		ops, secs, err := applyFor(ctx, eng, ids, slice)
		if err != nil {
			return err
		}
		applyOps, applySecs = applyOps+ops, applySecs+secs
		settle(5 * time.Second)
		rate, err := raw.SingleKeyRate(writers, slice)
		if err != nil {
			return err
		}
		rawOps, rawSecs = rawOps+rate*slice.Seconds(), rawSecs+slice.Seconds()
	}
	apply := applyOps / applySecs
	rawRate := rawOps / rawSecs
	report("apply_per_s", apply, "ops/s")
	report("raw_badger_per_s", rawRate, "ops/s")
	report("apply_vs_raw_ratio", apply/rawRate, "x")
	return nil
}

// applyFor runs user.update mutations from one writer per id for d.
func applyFor(ctx context.Context, eng *sync.Engine, ids []string, d time.Duration) (ops, secs float64, err error) {
	var n atomic.Int64
	var firstErr atomic.Value
	stop := time.Now().Add(d)
	var wg gosync.WaitGroup
	start := time.Now()
	for w := range ids {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(stop); i++ {
				name := fmt.Sprintf("技术员%d", i)
				args, _ := json.Marshal(sync.UpdateUserArgs{ID: ids[w], Name: &name})
				if _, err := eng.Apply(ctx, sync.System, sync.Mutation{Name: "user.update", Args: args}); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				n.Add(1)
			}
		}(w)
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return 0, 0, err
	}
	return float64(n.Load()), time.Since(start).Seconds(), nil
}

func runChild(name, dir string) error {
	switch name {
	case "xlsx-load":
		return childXLSXLoad(dir)
	case "xlsx-export":
		return childXLSXExport(dir)
	}
	return fmt.Errorf("unknown child %q", name)
}
