package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/backlogsim/backlogsim/scenarios"
)

func cmdScenarios(_ context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("backlogsim scenarios", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: backlogsim scenarios

Lists the built-in scenarios with the first line of their descriptions.
Run one with "backlogsim run NAME"; print its file with
"backlogsim validate NAME -resolved".
`)
	}
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usageError{fmt.Errorf("scenarios: takes no arguments")}
	}
	for _, name := range scenarios.Builtins() {
		sc, err := scenarios.Load(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%-20s %s\n", name, firstLine(sc.Model.Description))
	}
	return nil
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
