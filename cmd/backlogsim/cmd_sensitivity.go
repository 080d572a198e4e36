package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
)

// sensitivityOptions are the settings of "backlogsim sensitivity".
type sensitivityOptions struct {
	runFlags // Paths: of each tornado run
	Scenario string
	Out      string
	Force    bool
	// Metrics are ENTITY.STATISTIC names; empty means the defaults.
	Metrics   string
	NoTornado bool
	NoSobol   bool
	// SobolRows is N, SobolPaths the paths of each of the N·(d+2) runs.
	SobolRows  int
	SobolPaths int
	Resamples  int
	Level      float64
	DesignSeed uint64
	// Shard, when set, computes only shard I/N of the study's runs (the
	// tornado's parameters, then the Sobol design's cases) and writes a
	// shard file.
	Shard shardFlag
}

// sensitivityUsage is the help of "backlogsim sensitivity", before its flags.
const sensitivityUsage = `Usage: backlogsim sensitivity SCENARIO [flags]

Which uncertain parameter (the scenario's [uncertainty] section) drives
which result. The tornado runs the scenario with each parameter at its low
and at its high value, one at a time, and compares each with the base on
common random numbers, with paired standard errors: the same figures as
"backlogsim compare" on those cases. The Sobol indices apportion each
result's variance over the parameters' joint distribution (first order,
Saltelli et al. 2010; total, Jansen 1999) with bootstrap intervals. Writes
sensitivity.json, sensitivity.csv, sensitivity.html, plots/ and
manifest.json. Results do not depend on -workers.

Flags:
`

func cmdSensitivity(ctx context.Context, args []string, e env) error {
	var opts sensitivityOptions
	fs := newFlagSet("sensitivity", sensitivityUsage)
	opts.register(fs, "the scenario's", "the charts")
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/sensitivity-SCENARIO)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.StringVar(&opts.Metrics, "metrics", "", "comma-separated `list` of ENTITY.STATISTIC (default: every lab's default_probability, every provider's default_probability and economic_loss_es)")
	fs.BoolVar(&opts.NoTornado, "no-tornado", false, "skip the tornado")
	fs.BoolVar(&opts.NoSobol, "no-sobol", false, "skip the Sobol indices")
	fs.IntVar(&opts.SobolRows, "sobol-rows", 64, "base `rows` N of the Sobol design (N·(parameters+2) runs)")
	fs.IntVar(&opts.SobolPaths, "sobol-paths", 2000, "`paths` of each Sobol run")
	fs.IntVar(&opts.Resamples, "bootstrap", 1000, "bootstrap `resamples` for the Sobol intervals")
	fs.Float64Var(&opts.Level, "level", 0.95, "confidence `level` of the Sobol intervals")
	fs.Uint64Var(&opts.DesignSeed, "design-seed", 1, "`seed` of the Sobol design and bootstrap")
	fs.Var(&opts.Shard, "shard", "compute only shard `I/N` (0 <= I < N) of the tornado's parameters and the Sobol design's cases and write a shard file to -out; \"backlogsim merge\" turns the N shard files into the outputs (default -out: out/sensitivity-SCENARIO-shards/shard-I-of-N.shard)")
	var err error
	if opts.Scenario, err = parseScenario(fs, args, e); err != nil {
		return err
	}
	switch {
	case opts.SobolRows < 2:
		return usageError{fmt.Errorf("-sobol-rows: must be >= 2, got %d", opts.SobolRows)}
	case opts.SobolPaths < 1:
		return usageError{fmt.Errorf("-sobol-paths: must be >= 1, got %d", opts.SobolPaths)}
	case opts.Resamples < 2:
		return usageError{fmt.Errorf("-bootstrap: must be >= 2, got %d", opts.Resamples)}
	case !(opts.Level > 0 && opts.Level < 1):
		return usageError{fmt.Errorf("-level: must be in (0, 1), got %v", opts.Level)}
	case opts.NoTornado && opts.NoSobol:
		return usageError{fmt.Errorf("-no-tornado and -no-sobol leave nothing to do")}
	}
	return runSensitivity(ctx, opts, e)
}

// loadStudy loads the scenario of a study and its metrics.
func loadStudy(ref, metrics string, f runFlags) (*scenarios.Scenario, []output.Metric, int, uint64, error) {
	sc, err := scenarios.Load(ref)
	if err != nil {
		return nil, nil, 0, 0, usageError{err}
	}
	paths, seed := sc.Model.Paths, sc.Model.Seed
	if f.Paths.set {
		paths = f.Paths.n
	}
	if f.Seed.set {
		seed = f.Seed.n
	}
	ms := output.DefaultMetrics(sc.Model)
	if metrics != "" {
		ms = nil
		for _, name := range strings.Split(metrics, ",") {
			m, err := output.ParseMetric(sc.Model, strings.TrimSpace(name))
			if err != nil {
				return nil, nil, 0, 0, usageError{fmt.Errorf("-metrics: %w", err)}
			}
			ms = append(ms, m)
		}
	}
	return sc, ms, paths, seed, nil
}

// sensitivityStudy is what a sensitivity analysis's shards must share
// beyond the scenario, seed and (tornado) paths: the Study of their
// headers.
type sensitivityStudy struct {
	Metrics    []string `json:"metrics"`
	Tornado    bool     `json:"tornado"`
	Sobol      bool     `json:"sobol"`
	SobolRows  int      `json:"sobol_rows"`
	SobolPaths int      `json:"sobol_paths"`
	Resamples  int      `json:"bootstrap"`
	Level      float64  `json:"level"`
	DesignSeed uint64   `json:"design_seed"`
}

func (st sensitivityStudy) sobolSettings() sobolSettings {
	return sobolSettings{rows: st.SobolRows, paths: st.SobolPaths, resamples: st.Resamples, level: st.Level, designSeed: st.DesignSeed}
}

// items returns the study's units of work: the tornado's parameters, then
// the Sobol design's cases.
func (st sensitivityStudy) items(s *study) (tornado, sobol int, err error) {
	if st.Tornado {
		tornado = len(s.params)
	}
	if st.Sobol {
		d, err := s.design(st.sobolSettings())
		if err != nil {
			return 0, 0, err
		}
		sobol = d.Cases()
	}
	return tornado, sobol, nil
}

// sensitivityPart is a shard's part of a sensitivity analysis: the
// tornado bars of its parameters (with the base's metric values, if it has
// any) and the metric values of its Sobol cases.
type sensitivityPart struct {
	Base  []mcstat.Estimate
	Bars  [][]output.TornadoBar
	Sobol [][]mcstat.Estimate
}

func runSensitivity(ctx context.Context, opts sensitivityOptions, e env) error {
	started := time.Now()
	sc, metrics, paths, seed, err := loadStudy(opts.Scenario, opts.Metrics, opts.runFlags)
	if err != nil {
		return err
	}
	if len(sc.Uncertainty) == 0 {
		return usageError{fmt.Errorf("sensitivity: %s has no [uncertainty] section (see scenarios/FORMAT.md)", sc.Source)}
	}
	st := sensitivityStudy{Metrics: metricNames(metrics), Tornado: !opts.NoTornado, Sobol: !opts.NoSobol,
		SobolRows: opts.SobolRows, SobolPaths: opts.SobolPaths, Resamples: opts.Resamples, Level: opts.Level, DesignSeed: opts.DesignSeed}
	s := &study{sc: sc, params: sc.Uncertainty, metrics: metrics, seed: seed, workers: opts.Workers.n}
	nTornado, nSobol, err := st.items(s)
	if err != nil {
		return err
	}
	first, count, err := studyRange("sensitivity", sc.Model.Name, nTornado+nSobol, opts.Shard, &opts.Out, opts.Force)
	if err != nil {
		return err
	}
	// The part of each kind of run in [first, first+count).
	tFirst, tLast := min(first, nTornado), min(first+count, nTornado)
	sFirst, sLast := max(first, nTornado)-nTornado, max(first+count, nTornado)-nTornado
	var part sensitivityPart
	if tLast > tFirst {
		s.progress = studyProgress(opts.runFlags, e, "tornado", tLast-tFirst)
		if part.Base, part.Bars, err = s.tornadoBars(ctx, paths, tFirst, tLast-tFirst); err != nil {
			return err
		}
	}
	if sLast > sFirst {
		s.progress = studyProgress(opts.runFlags, e, "sobol", sLast-sFirst)
		if part.Sobol, err = s.sobolValues(ctx, st.sobolSettings(), sFirst, sLast-sFirst); err != nil {
			return err
		}
	}
	if opts.Shard.set {
		return writeStudyShard(studyShard{command: "sensitivity", sc: sc, paths: paths, seed: seed, study: st, items: nTornado + nSobol}, opts.Shard, part, opts.Out, opts.Force, opts.Quiet, e)
	}
	res, err := s.sensitivityResult(st, paths, part)
	if err != nil {
		return err
	}
	return writeSensitivity(ctx, sc, res, studyOutput{dir: opts.Out, force: opts.Force, noPlots: opts.NoPlots, quiet: opts.Quiet, workers: opts.Workers.n, started: started}, seed, paths, e)
}

// sensitivityResult assembles the analysis st of s from the parts of all
// its runs, in order, joined into one.
func (s *study) sensitivityResult(st sensitivityStudy, paths int, all sensitivityPart) (*output.Sensitivity, error) {
	res := &output.Sensitivity{FormatVersion: output.SensitivityFormatVersion, MoneyUnit: output.MoneyUnit,
		Scenario: s.sc.Model.Name, ESLevel: 0.99, Parameters: uncertainParams(s.params), Metrics: s.metrics}
	if st.Tornado {
		res.Tornado = s.tornadoResult(paths, all.Base, all.Bars)
	}
	if st.Sobol {
		var err error
		if res.Sobol, err = s.sobolResult(st.sobolSettings(), all.Sobol); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// writeSensitivity writes the outputs of analysis res of sc and prints its
// largest effects.
func writeSensitivity(ctx context.Context, sc *scenarios.Scenario, res *output.Sensitivity, o studyOutput, seed uint64, paths int, e env) error {
	var err error
	files := map[string][]byte{}
	if files["sensitivity.json"], err = output.SensitivityJSON(res); err != nil {
		return err
	}
	if files["sensitivity.csv"], err = output.SensitivityCSV(res); err != nil {
		return err
	}
	var charts []output.Chart
	if !o.noPlots {
		if charts, err = output.SensitivityCharts(res); err != nil {
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
	if files["sensitivity.html"], err = output.SensitivityReport(res, charts); err != nil {
		return err
	}
	if files["manifest.json"], err = studyManifest(sc, seed, paths, o.workers, o.started, e); err != nil {
		return err
	}
	if err := atomicdir.Write(ctx, o.dir, files, o.force); err != nil {
		return err
	}
	if !o.quiet {
		printSensitivity(e, res)
		fmt.Fprintf(e.stdout, "\nWrote %s (%d files) in %.1fs.\n", o.dir, len(files), time.Since(o.started).Seconds())
	}
	return nil
}

// studyProgress returns a progress callback drawing a bar of cases on a
// terminal, or nil.
func studyProgress(f runFlags, e env, label string, cases int) func(int) {
	if f.Quiet || !e.stderrIsTerminal {
		return nil
	}
	fmt.Fprintf(e.stderr, "%s: %d cases\n", label, cases)
	bar := newProgressBar(e.stderr, cases)
	return func(done int) {
		bar.update(done)
		if done == cases {
			bar.finish()
		}
	}
}

// studyManifest is the manifest.json of a study. Its resolved scenario is
// the base case as the study ran it: with the paths and seed of the
// command line.
func studyManifest(sc *scenarios.Scenario, seed uint64, paths, workers int, started time.Time, e env) ([]byte, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	base := *sc.Model
	base.Paths, base.Seed = paths, seed
	resolved, err := sc.ResolvedWith(&base)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	finished := time.Now()
	return output.ManifestJSON(output.Manifest{
		Version: output.Version(), Command: e.args, Scenario: sc.Model.Name, ScenarioSource: sc.Source,
		ScenarioSHA256: sc.Hash, Seed: seed, Paths: paths, Workers: workers, GoVersion: runtime.Version(),
		Host: host, Started: started, Finished: finished, Seconds: finished.Sub(started).Seconds(),
		ResolvedScenario: string(resolved),
	})
}

// printSensitivity prints the five largest swings of each tornado and the
// largest total Sobol indices.
func printSensitivity(e env, s *output.Sensitivity) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	if t := s.Tornado; t != nil {
		fmt.Fprintf(tw, "Tornado (%d paths per run, seed %d): largest swings\n", t.Paths, t.Seed)
		for _, m := range t.Metrics {
			fmt.Fprintf(tw, "%s\tbase %s\t\t\n", m.Metric, fmtEstimate(m.Base))
			for _, b := range m.Bars[:min(5, len(m.Bars))] {
				fmt.Fprintf(tw, "  %s\tlow %s\thigh %s\t\n", b.Parameter, fmtDiff(b.LowDiff), fmtDiff(b.HighDiff))
			}
		}
	}
	if sob := s.Sobol; sob != nil {
		fmt.Fprintf(tw, "\nSobol total indices (%d runs of %d paths)\n", sob.Cases, sob.Paths)
		for _, m := range sob.Metrics {
			var parts []string
			for _, ix := range m.Indices {
				parts = append(parts, fmt.Sprintf("%s %.2f", ix.Parameter, ix.Total.Value))
			}
			fmt.Fprintf(tw, "%s\t%s\t\t\n", m.Metric, strings.Join(parts, ", "))
		}
	}
	tw.Flush()
}

func fmtEstimate(v mcstat.Estimate) string { return fmt.Sprintf("%.4g ± %.2g", v.Value, v.StdErr) }
func fmtDiff(d mcstat.Difference) string   { return fmt.Sprintf("%+.4g ± %.2g", d.Diff, d.PairedStdErr) }
