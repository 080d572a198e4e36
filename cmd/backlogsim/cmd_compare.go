package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
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

// compareUsage is the help of "backlogsim compare", before its flags.
const compareUsage = `Usage: backlogsim compare BASE CASE [CASE ...] [flags]

Runs BASE and every CASE (TOML files or built-in names) on common random
numbers: the base's seed, number of paths and [sampling] for all, so that
path i of two runs differs only by what the scenarios change. Prints each case's headline
figures and their differences from BASE with paired standard errors, and
writes compare.json, compare.csv, compare.html, the charts of the
differences and of every run (plots/, PNG and SVG) and each run's own
outputs (in a folder named after it, with its report) to the output
directory.

Flags:
`

func cmdCompare(ctx context.Context, args []string, e env) error {
	var opts compareOptions
	fs := newFlagSet("compare", compareUsage)
	opts.register(fs, "the base scenario's, for every run", "the charts and each case's plots and report")
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/compare-BASE)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.Var(&opts.Shard, "shard", shardUsage+" (default -out: out/compare-BASE-shards/shard-I-of-N.shard)")
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) < 2 {
		return usageError{fmt.Errorf("compare: want a base and at least one case, got %d scenarios", len(positional))}
	}
	opts.Base, opts.Cases = positional[0], positional[1:]
	return compare(ctx, opts, e)
}

// loadedRun is a scenario ready to simulate, with the name of its output
// folder.
type loadedRun struct {
	sc     *scenarios.Scenario
	folder string
}

func compare(ctx context.Context, opts compareOptions, e env) error {
	scs, err := loadAll(ctx, append([]string{opts.Base}, opts.Cases...))
	if err != nil {
		return err
	}
	// Folders named like the comparison's own files would collide.
	used := map[string]bool{"compare.json": true, "compare.csv": true, "compare.html": true, "plots": true}
	var runs []loadedRun
	for _, sc := range scs {
		runs = append(runs, loadedRun{sc: sc, folder: uniqueFolder(sc.Model.Name, used)})
	}
	base := runs[0].sc.Model
	// One value of the run settings for every run: common random numbers.
	shared := base.Settings
	if opts.Paths.set {
		shared.Paths = opts.Paths.n
	}
	if opts.Seed.set {
		shared.Seed = opts.Seed.n
	}
	names := make([]string, len(runs))
	models := make([]*sim.Model, len(runs))
	needs := make([]runNeed, len(runs))
	for i, r := range runs {
		r.sc.Model.Settings = shared
		if err := r.sc.Model.Validate(); err != nil {
			return usageError{fmt.Errorf("%s: %w", r.sc.Source, err)}
		}
		names[i], models[i] = r.folder, r.sc.Model
		needs[i] = runNeed{m: r.sc.Model, summary: sim.ExactSummary, plots: !opts.NoPlots}
	}
	// Everything that would make compare fail after simulating is checked
	// before: sampling, horizons, missing entities, memory, the folder.
	if _, err := output.CheckComparable(names, models); err != nil {
		return usageError{err}
	}
	if err := checkResources(opts.runFlags, needs); err != nil {
		return err
	}
	set := caseSettings{workers: opts.Workers.n, noPlots: opts.NoPlots, quiet: opts.Quiet, summary: sim.ExactSummary}
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
		return simulateShard(ctx, shardRun{command: "compare", scs: scs, folders: folders}, opts.Shard, set, opts.Out, opts.Force, e)
	}
	if opts.Out == "" {
		opts.Out = filepath.Join("out", "compare-"+runs[0].folder)
	}
	if err := atomicdir.Check(opts.Out, opts.Force); err != nil {
		return err
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
	return writeCompare(ctx, opts.Out, opts.Force, runs, outs, set, started, e)
}

// writeCompare writes the outputs of a comparison of runs, whose own
// outputs are outs, to dir and prints its table. It returns ctx.Err() as
// soon as ctx is cancelled.
func writeCompare(ctx context.Context, dir string, force bool, runs []loadedRun, outs []*caseOutput, set caseSettings, started time.Time, e env) error {
	files := map[string][]byte{}
	var cruns []output.CompareRun
	for k, r := range runs {
		c := outs[k]
		sealed, err := c.sealed()
		if err != nil {
			return err
		}
		for name, data := range sealed {
			files[r.folder+"/"+name] = data
		}
		cruns = append(cruns, output.CompareRun{Name: r.folder, Description: r.sc.Model.Description, Results: c.res})
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
	// Each case's report, when it has one, is linked from compare.html.
	reports := make([]string, len(runs))
	for k, r := range runs {
		if _, ok := files[r.folder+"/"+output.ReportFile]; ok {
			reports[k] = r.folder + "/" + output.ReportFile
		}
	}
	// The charts and the page are drawn apart from files, which is not
	// touched again if ctx is cancelled meanwhile.
	drawn, err := interruptible(ctx, func() (map[string][]byte, error) {
		out := map[string][]byte{}
		var charts []output.Chart
		if !set.noPlots {
			var err error
			if charts, err = output.CompareCharts(cruns, cmp); err != nil {
				return nil, err
			}
			if out, err = output.RenderCharts(charts); err != nil {
				return nil, err
			}
		}
		page, err := output.CompareReport(cmp, charts, reports)
		out["compare.html"] = page
		return out, err
	})
	if err != nil {
		return err
	}
	for name, data := range drawn {
		files[name] = data
	}
	if err := atomicdir.Write(ctx, dir, files, force); err != nil {
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

// uniqueFolder returns name, which sim.CheckName has accepted, or name-2,
// name-3 and so on, the first not in used, and records it. Folders are
// compared without case, since file systems may not tell them apart.
func uniqueFolder(name string, used map[string]bool) string {
	out := name
	for k := 2; used[strings.ToLower(out)]; k++ {
		out = fmt.Sprintf("%s-%d", name, k)
	}
	used[strings.ToLower(out)] = true
	return out
}

// loadAll loads every scenario of refs, reporting the problems of all of
// them at once rather than stopping at the first bad file.
func loadAll(ctx context.Context, refs []string) ([]*scenarios.Scenario, error) {
	var scs []*scenarios.Scenario
	var errs []error
	for _, ref := range refs {
		sc, err := scenarios.LoadContext(ctx, ref)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			errs = append(errs, err)
			continue
		}
		scs = append(scs, sc)
	}
	if len(errs) > 0 {
		return nil, usageError{errors.Join(errs...)}
	}
	return scs, nil
}
