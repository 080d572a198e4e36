package main

import (
	"context"
	"fmt"

	"github.com/backlogsim/backlogsim/scenarios"
)

func cmdScenarios(_ context.Context, args []string, e env) error {
	if len(args) != 0 {
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
