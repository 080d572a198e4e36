package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// compareOptions are the settings of "backlogsim compare". Zero Paths or
// an unset Seed take the base scenario's value for every run; zero Workers
// means the number of CPUs.
type compareOptions struct {
	runFlags
	Base  string
	Cases []string
	Out   string
	Force bool
	// Shard, when set, simulates one shard of every run and writes a
	// shard file.
	Shard shardFlag
}

func cmdCompare(ctx context.Context, args []string, e env) error {
	var opts compareOptions
	fs := flag.NewFlagSet("backlogsim compare", flag.ContinueOnError)
	opts.register(fs, "the base scenario's, for every run", "the charts and each case's plots and report")
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/compare-BASE)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.Var(&opts.Shard, "shard", shardUsage+" (default -out: out/compare-BASE-shards/shard-I-of-N.shard)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: backlogsim compare BASE CASE [CASE ...] [flags]

Runs BASE and every CASE (TOML files or built-in names) on common random
numbers: the base's seed, number of paths and [sampling] for all, so that
path i of two runs differs only by what the scenarios change. Prints each case's headline
figures and their differences from BASE with paired standard errors, and
writes compare.json, compare.csv, compare.html and each run's own outputs
(in a folder named after it) to the output directory.

Flags:
`)
		fs.PrintDefaults()
	}
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) < 2 {
		return usageError{fmt.Errorf("compare: want a base and at least one case, got %d scenarios", len(positional))}
	}
	opts.Base, opts.Cases = positional[0], positional[1:]
	if err := opts.check(); err != nil {
		return err
	}
	return compare(ctx, opts, e)
}

// loadedRun is a scenario ready to simulate, with the name of its output
// folder.
type loadedRun struct {
	sc     *scenarios.Scenario
	folder string
}

func compare(ctx context.Context, opts compareOptions, e env) error {
	var runs []loadedRun
	used := map[string]bool{}
	for _, ref := range append([]string{opts.Base}, opts.Cases...) {
		sc, err := scenarios.Load(ref)
		if err != nil {
			return usageError{err}
		}
		runs = append(runs, loadedRun{sc: sc, folder: uniqueFolder(sc.Model.Name, used)})
	}
	base := runs[0].sc.Model
	// One value of the run settings for every run: common random numbers.
	shared := base.Settings
	if opts.Paths > 0 {
		shared.Paths = opts.Paths
	}
	if opts.seedSet {
		shared.Seed = opts.Seed
	}
	for _, r := range runs {
		r.sc.Model.Settings = shared
		if err := r.sc.Model.Validate(); err != nil {
			return usageError{fmt.Errorf("%s: %w", r.sc.Source, err)}
		}
		if r.sc.Model.HorizonYears != base.HorizonYears || r.sc.Model.StepsPerYear != base.StepsPerYear {
			return usageError{fmt.Errorf("compare: %s has horizon %v years at %d steps a year and the base %s %v at %d; want the same",
				r.sc.Source, r.sc.Model.HorizonYears, r.sc.Model.StepsPerYear, runs[0].sc.Source, base.HorizonYears, base.StepsPerYear)}
		}
	}
	set := caseSettings{workers: opts.Workers, noPlots: opts.NoPlots, quiet: opts.Quiet, summary: sim.ExactSummary}
	if opts.Shard.set {
		if opts.Out == "" {
			opts.Out = defaultShardPath("compare-"+runs[0].folder, opts.Shard)
		}
		if err := output.CheckShardPath(opts.Out, opts.Force); err != nil {
			return usageError{err}
		}
		var scs []*scenarios.Scenario
		var folders []string
		for _, r := range runs {
			scs, folders = append(scs, r.sc), append(folders, r.folder)
		}
		return simulateShard(ctx, "compare", scs, folders, opts.Shard, set, opts.Out, opts.Force, e)
	}
	if opts.Out == "" {
		opts.Out = filepath.Join("out", "compare-"+runs[0].folder)
	}
	if err := output.CheckDir(opts.Out, opts.Force); err != nil {
		return usageError{err}
	}

	started := time.Now()
	var outs []*caseOutput
	for _, r := range runs {
		rs := set
		rs.label = r.folder
		c, err := simulateCase(ctx, r.sc, rs, e)
		if err != nil {
			return err
		}
		outs = append(outs, c)
	}
	return writeCompare(opts.Out, opts.Force, runs, outs, set, started, e)
}

// writeCompare writes the outputs of a comparison of runs, whose own
// outputs are outs, to dir and prints its table.
func writeCompare(dir string, force bool, runs []loadedRun, outs []*caseOutput, set caseSettings, started time.Time, e env) error {
	files := map[string][]byte{}
	var cruns []output.CompareRun
	for k, r := range runs {
		c := outs[k]
		for name, data := range c.files {
			files[r.folder+"/"+name] = data
		}
		cruns = append(cruns, output.CompareRun{Name: r.folder, Description: r.sc.Model.Description, Results: c.res, Summary: c.summary})
	}
	cmp, err := output.Compare(cruns)
	if err != nil {
		return err
	}
	if files["compare.json"], err = output.CompareJSON(cmp); err != nil {
		return err
	}
	if files["compare.csv"], err = output.CompareCSV(cmp); err != nil {
		return err
	}
	var charts []output.Chart
	if !set.noPlots {
		if charts, err = output.CompareCharts(cruns, cmp); err != nil {
			return err
		}
	}
	if files["compare.html"], err = output.CompareReport(cmp, charts); err != nil {
		return err
	}
	if err := output.WriteDir(dir, files, force); err != nil {
		return err
	}
	if !set.quiet {
		if err := output.WriteCompareTable(e.stdout, cmp); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nWrote %s (%d files) in %.1fs.\n", dir, len(files), time.Since(started).Seconds())
	}
	return nil
}

// uniqueFolder turns a scenario name into a folder name of letters,
// digits, '.', '_' and '-' that is not yet in used, and records it.
func uniqueFolder(name string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '-'
	}, name)
	s = strings.Trim(s, ".")
	if s == "" {
		s = "scenario"
	}
	out := s
	for k := 2; used[out]; k++ {
		out = fmt.Sprintf("%s-%d", s, k)
	}
	used[out] = true
	return out
}
