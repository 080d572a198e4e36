package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// The setup every subcommand shares: a flag set whose -h prints the
// command's help before its flags, the one scenario most commands take,
// loading that scenario with the flags that override its settings, and
// where a study writes.

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

// studyRange returns the items [first, first+count) of a study of n items
// (a sweep's points, a sensitivity analysis's runs) that this process
// computes, all of them or -shard's, and checks where it writes: the shard
// file, by default out/KIND-NAME-shards/shard-I-of-N.shard, or the output
// folder, by default out/KIND-NAME. It sets *out to the default when empty.
func studyRange(kind, name string, n int, shard shardFlag, out *string, force bool) (first, count int, err error) {
	if shard.set {
		if *out == "" {
			*out = defaultShardPath(kind+"-"+name, shard)
		}
		if err := output.CheckShardPath(*out, force); err != nil {
			return 0, 0, usageError{err}
		}
		first, count = itemRange(n, shard.Index, shard.Count)
		return first, count, nil
	}
	if *out == "" {
		*out = filepath.Join("out", kind+"-"+name)
	}
	return 0, n, atomicdir.Check(*out, force)
}
