package main

import (
	"context"
	"fmt"

	"github.com/backlogsim/backlogsim/scenarios"
)

// validateOptions are the settings of "backlogsim validate".
type validateOptions struct {
	Scenario string
	Resolved bool
}

// validateUsage is the help of "backlogsim validate", before its flags.
const validateUsage = "Usage: backlogsim validate SCENARIO [-resolved]\n\nChecks SCENARIO without running it.\n\nFlags:\n"

func cmdValidate(ctx context.Context, args []string, e env) error {
	var opts validateOptions
	fs := newFlagSet("validate", validateUsage)
	fs.BoolVar(&opts.Resolved, "resolved", false, "print the resolved scenario (after extends)")
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return usageError{fmt.Errorf("validate: expected one scenario, got %d", len(positional))}
	}
	opts.Scenario = positional[0]
	return validate(ctx, opts, e)
}

func validate(ctx context.Context, opts validateOptions, e env) error {
	sc, err := scenarios.LoadContext(ctx, opts.Scenario)
	if err != nil {
		return usageError{err}
	}
	if err := sc.Model.Validate(); err != nil {
		return usageError{err}
	}
	if opts.Resolved {
		_, err := e.stdout.Write(sc.Resolved)
		return err
	}
	m := sc.Model
	fmt.Fprintf(e.stdout, "%s: ok: %d customers, %d providers, %d suppliers, %d contracts; %d paths, %g years, %d steps per year\n",
		sc.Source, len(m.Customers), len(m.Providers), len(m.Suppliers), len(m.Contracts), m.Paths, m.HorizonYears, m.StepsPerYear)
	return nil
}
