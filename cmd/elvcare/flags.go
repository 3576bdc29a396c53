package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// newFlags returns a flag set whose defaults come from ELVCARE_* variables:
// flags > environment > built-in defaults.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: elvcare %s\n\nFlags (each also from the environment variable shown):\n", synopsis)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(fs.Output(), "  --%s\t%s (env %s", f.Name, f.Usage, envName(f.Name))
			if f.DefValue != "" {
				fmt.Fprintf(fs.Output(), ", default %s", f.DefValue)
			}
			fmt.Fprintln(fs.Output(), ")")
		})
	}
	return fs
}

func envName(flagName string) string {
	return "ELVCARE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse applies environment fallbacks for every flag not given on the
// command line, then parses.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, e)
			}
		}
	})
	return err
}

// multiFlag collects a repeatable flag (--role desk --role admin) and also
// accepts comma lists.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }

func (m *multiFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*m = append(*m, p)
		}
	}
	return nil
}
