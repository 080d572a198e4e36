package main

import (
	"context"
	"fmt"
	"gonum.org/v1/gonum/floats"
	"strconv"
	"strings"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// sweepOptions are the settings of "backlogsim sweep".
type sweepOptions struct {
	runFlags
	Scenario string
	Keys     []output.SweepKey
	Metrics  string
	Out      string
	Force    bool
	// Shard, when set, computes only shard I/N of the grid's points and
	// writes a shard file.
	Shard shardFlag
}

// maxSweepPoints bounds the grid of a sweep.
const maxSweepPoints = 10_000

// sweepSet is the repeatable -set flag: KEY=FROM:TO:N.
type sweepSet struct{ keys *[]output.SweepKey }

func (s sweepSet) String() string { return "" }

func (s sweepSet) Set(v string) error {
	key, spec, ok := strings.Cut(v, "=")
	parts := strings.Split(spec, ":")
	if !ok || key == "" || len(parts) != 3 {
		return fmt.Errorf("want KEY=FROM:TO:N, got %q", v)
	}
	from, err1 := strconv.ParseFloat(parts[0], 64)
	to, err2 := strconv.ParseFloat(parts[1], 64)
	n, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return fmt.Errorf("want KEY=FROM:TO:N with numbers FROM and TO and a whole N, got %q", v)
	}
	if n < 2 || n > maxSweepPoints || !(from < to) {
		return fmt.Errorf("%q: want FROM < TO and 2 <= N <= %d", v, maxSweepPoints)
	}
	vals := floats.Span(make([]float64, n), from, to)
	for i, v := range vals {
		// 12 significant digits, so that 0.05:0.25:3 gives 0.15 as a
		// file would, not 0.15000000000000002.
		vals[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	}
	*s.keys = append(*s.keys, output.SweepKey{Key: key, Values: vals})
	return nil
}

// sweepUsage is the help of "backlogsim sweep", before its flags.
const sweepUsage = `Usage: backlogsim sweep SCENARIO -set KEY=FROM:TO:N [-set KEY2=FROM:TO:N] [flags]

Runs SCENARIO on a grid of values of one or two numeric keys, every point
on the same seed and paths (common random numbers), and writes sweep.json,
sweep.csv, a chart per metric (a line with error bars for one key, a heat
map for two) and manifest.json. Results do not depend on -workers.

Flags:
`

func cmdSweep(ctx context.Context, args []string, e env) error {
	var opts sweepOptions
	fs := newFlagSet("sweep", sweepUsage)
	opts.register(fs, "the scenario's", "the charts")
	fs.Var(sweepSet{&opts.Keys}, "set", "`KEY=FROM:TO:N`: sweep the numeric key (as in error messages, e.g. funding.rates.open.tight) over N evenly spaced values; give one or two")
	fs.StringVar(&opts.Metrics, "metrics", "", "comma-separated `list` of ENTITY.STATISTIC (default: every lab's default_probability, every provider's default_probability and economic_loss_es)")
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/sweep-SCENARIO)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.Var(&opts.Shard, "shard", "compute only shard `I/N` (0 <= I < N) of the grid's points and write a shard file to -out; \"backlogsim merge\" turns the N shard files into the outputs (default -out: out/sweep-SCENARIO-shards/shard-I-of-N.shard)")
	var err error
	if opts.Scenario, err = parseScenario(fs, args, e); err != nil {
		return err
	}
	switch {
	case len(opts.Keys) == 0 || len(opts.Keys) > 2:
		return usageError{fmt.Errorf("-set: give one or two keys, got %d", len(opts.Keys))}
	case len(opts.Keys) == 2 && opts.Keys[0].Key == opts.Keys[1].Key:
		return usageError{fmt.Errorf("-set: %s given twice", opts.Keys[0].Key)}
	case len(opts.Keys) == 2 && len(opts.Keys[0].Values)*len(opts.Keys[1].Values) > maxSweepPoints:
		return usageError{fmt.Errorf("-set: a grid of %d points; at most %d", len(opts.Keys[0].Values)*len(opts.Keys[1].Values), maxSweepPoints)}
	}
	return runSweep(ctx, opts, e)
}

// sweepPoint returns the keys' values at grid point k (the last key
// varying fastest).
func sweepPoint(keys []output.SweepKey, k int) []float64 {
	out := make([]float64, len(keys))
	for i := len(keys) - 1; i >= 0; i-- {
		n := len(keys[i].Values)
		out[i] = keys[i].Values[k%n]
		k /= n
	}
	return out
}

// sweepStudy is what a sweep's shards must share beyond the scenario,
// seed and paths (the Study of their headers).
type sweepStudy struct {
	Keys    []output.SweepKey `json:"keys"`
	Metrics []string          `json:"metrics"`
}

func runSweep(ctx context.Context, opts sweepOptions, e env) error {
	started := time.Now()
	sc, metrics, paths, seed, err := loadStudy(opts.Scenario, opts.Metrics, opts.runFlags)
	if err != nil {
		return err
	}
	n := 1
	for _, k := range opts.Keys {
		n *= len(k.Values)
	}
	// Check the grid's corners before any simulation.
	for _, k := range []int{0, n - 1} {
		if _, err := caseModel(sc, sweepValues(opts.Keys, k), paths, seed); err != nil {
			return err
		}
	}
	first, count, err := studyRange("sweep", sc.Model.Name, n, opts.Shard, &opts.Out, opts.Force)
	if err != nil {
		return err
	}
	points, err := sweepPoints(ctx, sc, opts.Keys, metrics, paths, seed, first, count, opts.Workers.n, studyProgress(opts.runFlags, e, "sweep", count))
	if err != nil {
		return err
	}
	if opts.Shard.set {
		study := sweepStudy{Keys: opts.Keys, Metrics: metricNames(metrics)}
		return writeStudyShard(studyShard{command: "sweep", sc: sc, paths: paths, seed: seed, study: study, items: n}, opts.Shard, points, opts.Out, opts.Force, opts.Quiet, e)
	}
	sw := &output.Sweep{FormatVersion: 1, MoneyUnit: output.MoneyUnit, Scenario: sc.Model.Name, Seed: seed, Paths: paths,
		Keys: opts.Keys, Metrics: metrics, Points: points}
	return writeSweep(ctx, sc, sw, studyOutput{dir: opts.Out, force: opts.Force, noPlots: opts.NoPlots, quiet: opts.Quiet, workers: opts.Workers.n, started: started}, e)
}

// sweepValues returns the keys' values at grid point k by key.
func sweepValues(keys []output.SweepKey, k int) map[string]float64 {
	v := map[string]float64{}
	for i, x := range sweepPoint(keys, k) {
		v[keys[i].Key] = x
	}
	return v
}

// sweepPoints simulates the grid points [first, first+count) and returns
// them.
func sweepPoints(ctx context.Context, sc *scenarios.Scenario, keys []output.SweepKey, metrics []output.Metric, paths int, seed uint64, first, count, workers int, progress func(int)) ([]output.SweepPoint, error) {
	points := make([]output.SweepPoint, count)
	par, per := caseWorkers(workers, count)
	err := forEachCase(ctx, count, par, func(ctx context.Context, j int) error {
		k := first + j
		m, err := caseModel(sc, sweepValues(keys, k), paths, seed)
		if err != nil {
			return fmt.Errorf("sweep point %d: %w", k, err)
		}
		m.Sampling = sc.Model.Sampling
		res, err := simulateModel(ctx, m, per, sim.AutoSummary)
		if err != nil {
			return err
		}
		est, err := metricValues(res.Summary, metrics)
		points[j] = output.SweepPoint{Values: sweepPoint(keys, k), Estimates: est}
		return err
	}, progress)
	return points, err
}

// studyOutput says where and how a study writes its outputs.
type studyOutput struct {
	dir                   string
	force, noPlots, quiet bool
	workers               int
	started               time.Time
}

// writeSweep writes the outputs of sweep sw of sc and prints its table.
func writeSweep(ctx context.Context, sc *scenarios.Scenario, sw *output.Sweep, o studyOutput, e env) error {
	var err error
	files := map[string][]byte{}
	if files["sweep.json"], err = output.SweepJSON(sw); err != nil {
		return err
	}
	if files["sweep.csv"], err = output.SweepCSV(sw); err != nil {
		return err
	}
	if !o.noPlots {
		charts, err := output.SweepCharts(sw)
		if err != nil {
			return err
		}
		rendered, err := output.RenderCharts(charts)
		if err != nil {
			return err
		}
		for name, data := range rendered {
			files[name] = data
		}
	}
	if files["manifest.json"], err = studyManifest(sc, sw.Seed, sw.Paths, o.workers, o.started, e); err != nil {
		return err
	}
	if err := atomicdir.Write(ctx, o.dir, files, o.force); err != nil {
		return err
	}
	if !o.quiet {
		printSweep(e, sw)
		fmt.Fprintf(e.stdout, "\nWrote %s (%d files) in %.1fs.\n", o.dir, len(files), time.Since(o.started).Seconds())
	}
	return nil
}

// printSweep prints the first metric at every point.
func printSweep(e env, sw *output.Sweep) {
	var keys []string
	for _, k := range sw.Keys {
		keys = append(keys, k.Key)
	}
	fmt.Fprintf(e.stdout, "%s\t%s\n", strings.Join(keys, "\t"), sw.Metrics[0])
	for _, p := range sw.Points {
		var vs []string
		for _, v := range p.Values {
			vs = append(vs, strconv.FormatFloat(v, 'g', 6, 64))
		}
		fmt.Fprintf(e.stdout, "%s\t%s\n", strings.Join(vs, "\t"), fmtEstimate(p.Estimates[0]))
	}
}
