package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// The setup every subcommand shares: a flag set whose -h prints the
// command's help before its flags, the one scenario most commands take, and
// loading that scenario with the flags that override its settings.

// newFlagSet returns the flag set of "backlogsim NAME"; -h prints usage,
// then the flags.
func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("backlogsim "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseScenario parses args with fs and returns the scenario they name,
// baseline when they name none, or a usage error.
func parseScenario(fs *flag.FlagSet, args []string, e env) (string, error) {
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return "", err
	}
	return atMostOne(positional, "baseline")
}

// samplingFlags are -antithetic and -importance, which override the
// scenario's [sampling].
type samplingFlags struct {
	Antithetic bool
	Importance importanceFlag
}

// register defines the flags on fs; as says how they relate to run's
// ("" for run itself).
func (f *samplingFlags) register(fs *flag.FlagSet, as string) {
	if as == "" {
		fs.BoolVar(&f.Antithetic, "antithetic", false, "use antithetic path pairs (variance reduction)")
		fs.TextVar(&f.Importance, "importance", importanceFlag{}, "importance sampling `shifts`, e.g. demand=-0.3,macro=-0.3,revenue=-0.15,regime=2, each checked as its key of [sampling.importance] (see README)")
		return
	}
	fs.BoolVar(&f.Antithetic, "antithetic", false, "antithetic path pairs, "+as)
	fs.TextVar(&f.Importance, "importance", importanceFlag{}, "importance sampling `shifts`, "+as)
}

// apply sets m's sampling where the flags give it.
func (f samplingFlags) apply(m *sim.Model) {
	if f.Antithetic {
		m.Sampling.Antithetic = true
	}
	if f.Importance.text != "" {
		m.Sampling.Importance = f.Importance.is
	}
}

// loadRun loads the scenario ref with the paths, seed and sampling the
// flags set, and validates the model; its problems are usage errors.
func loadRun(ctx context.Context, ref string, rf runFlags, sf samplingFlags) (*scenarios.Scenario, error) {
	sc, err := scenarios.LoadContext(ctx, ref)
	if err != nil {
		return nil, usageError{err}
	}
	rf.apply(sc.Model)
	sf.apply(sc.Model)
	if err := sc.Model.Validate(); err != nil {
		return nil, usageError{err}
	}
	return sc, nil
}
