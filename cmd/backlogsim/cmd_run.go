package main

import (
	"bytes"
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

// runOptions are the settings of "backlogsim run". Unset Paths or Seed
// keep the scenario's value, zero Workers the machine's.
type runOptions struct {
	runFlags
	Scenario string
	Out      string
	Force    bool
	// Summary is how losses are summarised (see sim.SummaryMode).
	Summary summaryFlag
	// The sampling flags override the scenario's [sampling].
	Sampling samplingFlags
	// Shard, when set, simulates one shard and writes a shard file.
	Shard shardFlag
	// ParameterSets > 0 also runs that many draws of the scenario's
	// uncertain parameters; ParameterSeed seeds the draws.
	ParameterSets int
	ParameterSeed seedFlag
	// PathsOut, if set, is a .parquet or .csv file for every path's
	// outcomes.
	PathsOut string
	// Precision > 0 adds paths in stages until the relative standard
	// error of every statistic of PrecisionMetrics (default: the headline
	// statistics) is at most Precision, or MaxPaths is reached.
	Precision        float64
	PrecisionMetrics string
	MaxPaths         pathsFlag
}

// runUsage is the help of "backlogsim run", before its flags.
const runUsage = "Usage: backlogsim run [SCENARIO] [flags]\n\nSimulates SCENARIO (a TOML file or built-in name; default baseline),\nprints a per-provider table and writes summary.json, summary.csv,\nmanifest.json, plots/ and report.html to the output directory.\n\nFlags:\n"

func cmdRun(ctx context.Context, args []string, e env) error {
	var opts runOptions
	fs := newFlagSet("run", runUsage)
	opts.register(fs, "the scenario's", "the plots and the HTML report")
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/SCENARIO-NAME)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.TextVar(&opts.Summary, "summary", summaryFlag{}, "how losses are summarised, a `mode`: exact (every path kept), streaming (memory independent of paths) or auto (exact up to 250,000 paths; the default)")
	opts.Sampling.register(fs, "")
	fs.Var(&opts.Shard, "shard", shardUsage+" (default -out: out/NAME-shards/shard-I-of-N.shard)")
	fs.IntVar(&opts.ParameterSets, "parameter-sets", 0, "also run `M` draws (a Latin hypercube) of the scenario's [uncertainty] parameters, each with the same paths and seed, and report every headline statistic's median and 5-95% band over them")
	fs.StringVar(&opts.PathsOut, "paths-out", "", "also write every path's outcomes to `FILE` (.parquet or .csv): one row per path, see output/FORMAT.md")
	fs.Float64Var(&opts.Precision, "precision", 0, "add whole blocks of paths, starting from -paths, until every headline statistic's relative standard error is at most `REL` (e.g. 0.02); the result is exactly that of -paths N for the N it stops at")
	fs.StringVar(&opts.PrecisionMetrics, "precision-metrics", "", "comma-separated `list` of ENTITY.STATISTIC that -precision targets (default: every headline statistic: each lab's default probability, each firm's default probability and mean and ES 99% of backlog lost and economic loss)")
	fs.TextVar(&opts.MaxPaths, "max-paths", pathsFlag{}, fmt.Sprintf("the most `paths` -precision may run (default %d)", defaultMaxPaths))
	fs.TextVar(&opts.ParameterSeed, "parameter-seed", seedFlag{n: 1, set: true}, "`seed` of the parameter-set draws")
	var err error
	if opts.Scenario, err = parseScenario(fs, args, e); err != nil {
		return err
	}
	if opts.ParameterSets < 0 || opts.ParameterSets == 1 {
		return usageError{fmt.Errorf("-parameter-sets: must be 0 (off) or at least 2, got %d", opts.ParameterSets)}
	}
	if err := opts.checkPathsOut(); err != nil {
		return usageError{err}
	}
	if err := opts.checkPrecision(); err != nil {
		return usageError{err}
	}
	return run(ctx, opts, e)
}

// checkPathsOut checks -paths-out: a .parquet or .csv file, and exact
// summaries (streaming keeps no per-path outcomes).
func (opts *runOptions) checkPathsOut() error {
	if opts.PathsOut == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(opts.PathsOut)) {
	case ".parquet", ".csv":
	default:
		return fmt.Errorf("-paths-out %s: the file name must end in .parquet or .csv", opts.PathsOut)
	}
	switch opts.Summary.mode {
	case sim.StreamingSummary:
		return errors.New("-paths-out needs every path's outcomes: it cannot be combined with -summary streaming")
	case sim.AutoSummary:
		opts.Summary.mode = sim.ExactSummary
	}
	if opts.Shard.set {
		return errors.New("-paths-out cannot be combined with -shard: merge the shards with a run's outputs instead")
	}
	return nil
}

// checkPrecision checks -precision, -precision-metrics and -max-paths.
func (opts *runOptions) checkPrecision() error {
	switch {
	case opts.Precision == 0 && (opts.PrecisionMetrics != "" || opts.MaxPaths.set):
		return errors.New("-precision-metrics and -max-paths need -precision")
	case opts.Precision == 0:
		return nil
	case !(opts.Precision > 0 && opts.Precision < 1):
		return fmt.Errorf("-precision: want a relative standard error in (0, 1), got %v", opts.Precision)
	case opts.Shard.set:
		return errors.New("-precision cannot be combined with -shard: the shards need the number of paths in advance; run -precision once, then shard -paths N")
	}
	if !opts.MaxPaths.set {
		opts.MaxPaths = pathsFlag{n: defaultMaxPaths, set: true}
	}
	return nil
}

// writePaths writes the per-path table of res to file, atomically.
func writePaths(file string, res *sim.Results) error {
	t, err := output.NewPathTable(res)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if strings.EqualFold(filepath.Ext(file), ".csv") {
		err = t.WriteCSV(&buf)
	} else {
		err = t.WriteParquet(&buf)
	}
	if err != nil {
		return err
	}
	return atomicdir.WriteFile(file, buf.Bytes())
}

func run(ctx context.Context, opts runOptions, e env) error {
	started := time.Now()
	sc, err := loadRun(ctx, opts.Scenario, opts.runFlags, opts.Sampling)
	if err != nil {
		return err
	}
	m := sc.Model
	mode := opts.Summary.mode
	set := caseSettings{workers: opts.Workers.n, noPlots: opts.NoPlots, quiet: opts.Quiet, summary: mode}
	if opts.Shard.set {
		return runShard(ctx, sc, opts, set, e)
	}
	if opts.Out == "" {
		// The name rule (sim.CheckName) keeps this inside out/.
		opts.Out = filepath.Join("out", m.Name)
	}
	// Fail before minutes of simulation, not after.
	if err := checkResources(opts.runFlags, []runNeed{{m, mode, !opts.NoPlots}}); err != nil {
		return err
	}
	if err := atomicdir.Check(opts.Out, opts.Force); err != nil {
		return err
	}
	out, err := simulateRun(ctx, sc, opts, set, e)
	if err != nil {
		return err
	}
	var bands *output.ParameterSets
	if opts.ParameterSets > 0 {
		set := parameterSettings{sets: opts.ParameterSets, designSeed: opts.ParameterSeed.n, workers: opts.Workers.n, mode: mode, quiet: opts.Quiet}
		var files map[string][]byte
		if bands, files, err = runParameterSets(ctx, sc, m, out.res.Summary, set, opts.NoPlots, e); err != nil {
			return err
		}
		for name, data := range files {
			out.files[name] = data
		}
	}
	files, err := out.sealed()
	if err != nil {
		return err
	}
	if err := atomicdir.Write(ctx, opts.Out, files, opts.Force); err != nil {
		return err
	}
	if opts.PathsOut != "" {
		if err := writePaths(opts.PathsOut, out.res); err != nil {
			return err
		}
	}
	if !opts.Quiet {
		if err := output.WriteTable(e.stdout, out.res.Summary); err != nil {
			return err
		}
		if bands != nil {
			printBands(e, bands, output.HeadlineMetrics(m))
		}
		fmt.Fprintf(e.stdout, "\nWrote %s (%d files) in %.1fs.\n", opts.Out, len(files), time.Since(started).Seconds())
	}
	return nil
}

// runShard simulates the shard of sc's paths (and parameter sets) that
// -shard names and writes its shard file.
func runShard(ctx context.Context, sc *scenarios.Scenario, opts runOptions, set caseSettings, e env) error {
	if opts.Out == "" {
		opts.Out = defaultShardPath(sc.Model.Name, opts.Shard)
	}
	if err := output.CheckShardPath(opts.Out, opts.Force); err != nil {
		return usageError{err}
	}
	r := shardRun{command: "run", scs: []*scenarios.Scenario{sc}, folders: []string{""}}
	if opts.ParameterSets > 0 {
		var err error
		if r.sets, r.study, err = parameterShardModels(sc, sc.Model, parameterSettings{sets: opts.ParameterSets, designSeed: opts.ParameterSeed.n}); err != nil {
			return err
		}
	}
	return simulateShard(ctx, r, opts.Shard, set, opts.Out, opts.Force, e)
}
