package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// caseSettings say how simulateCase runs a scenario.
type caseSettings struct {
	workers        int
	noPlots, quiet bool
	label          string // shown beside the progress bar
	// summary is how losses are summarised; compare needs every path.
	summary sim.SummaryMode
}

// caseOutput is one simulated scenario and the files of its output folder
// but the manifest, which sealed adds.
type caseOutput struct {
	res      *sim.Results
	files    map[string][]byte
	manifest output.Manifest
}

// sealed returns the files with manifest.json, which lists them all with
// their hashes (see output.SealFolder). Files added to c.files after
// simulateCase are listed too.
func (c *caseOutput) sealed() (map[string][]byte, error) {
	files := make(map[string][]byte, len(c.files)+1)
	for name, data := range c.files {
		files[name] = data
	}
	if err := output.SealFolder(files, c.manifest); err != nil {
		return nil, err
	}
	return files, nil
}

// simulateCase simulates sc.Model (whose paths and seed are already set)
// and returns its results with the files "backlogsim run" writes:
// summary.json, summary.csv and, unless noPlots, plots/ and report.html,
// and the manifest that sealed adds as manifest.json. It returns
// ctx.Err() within moments of ctx being cancelled, whatever stage it is
// in.
func simulateCase(ctx context.Context, sc *scenarios.Scenario, set caseSettings, e env) (*caseOutput, error) {
	started := time.Now()
	var res *sim.Results
	err := withProgress(sc.Model.Paths, set, e, func(opts sim.Options) (err error) {
		res, err = sim.Simulate(ctx, sc.Model, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	return caseFiles(ctx, sc, res, set, started, e)
}

// withProgress calls simulate with the sim.Options of set, showing a
// progress bar over paths paths when stderr is a terminal.
func withProgress(paths int, set caseSettings, e env, simulate func(sim.Options) error) error {
	var bar *progressBar
	if !set.quiet && e.stderrIsTerminal {
		if set.label != "" {
			fmt.Fprintf(e.stderr, "%s:\n", set.label)
		}
		bar = newProgressBar(e.stderr, paths)
	}
	opts := sim.Options{Workers: set.workerCount(), Summary: set.summary}
	if bar != nil {
		opts.Progress = bar.update
	}
	err := simulate(opts)
	if bar != nil {
		bar.finish()
	}
	return err
}

// workerCount returns the number of workers set asks for, the number of
// CPUs by default.
func (set caseSettings) workerCount() int {
	if set.workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return set.workers
}

// caseFiles returns sc's outputs from the results res of a run that
// started at started, or ctx.Err() as soon as ctx is cancelled.
func caseFiles(ctx context.Context, sc *scenarios.Scenario, res *sim.Results, set caseSettings, started time.Time, e env) (*caseOutput, error) {
	var err error
	m := sc.Model
	workers := sim.WorkersUsed(m.Paths, set.workers)
	summary := res.Summary
	if w := output.SmallSampleWarning(summary); w != "" {
		fmt.Fprintf(e.stderr, "backlogsim: warning: %s: %s\n", m.Name, w)
	}
	// The scenario as it ran: flags may have changed its paths, seed and
	// sampling.
	resolved, err := sc.ResolvedWith(m)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if files[output.SummaryJSONFile], err = output.SummaryJSON(summary); err != nil {
		return nil, err
	}
	if files[output.SummaryCSVFile], err = output.SummaryCSV(summary); err != nil {
		return nil, err
	}
	if !set.noPlots {
		text := scenarioText(sc, m, resolved)
		rendered, err := interruptible(ctx, func() (map[string][]byte, error) { return renderRun(res, text) })
		if err != nil {
			return nil, err
		}
		for name, data := range rendered {
			files[name] = data
		}
	}
	finished := time.Now()
	host, _ := os.Hostname()
	manifest := output.Manifest{
		Version:          output.Version(),
		Command:          e.args,
		Scenario:         m.Name,
		ScenarioSource:   sc.Source,
		ScenarioSHA256:   sc.Hash,
		Seed:             m.Seed,
		Paths:            m.Paths,
		Workers:          workers,
		GoVersion:        runtime.Version(),
		Host:             host,
		Started:          started,
		Finished:         finished,
		Seconds:          finished.Sub(started).Seconds(),
		ResolvedScenario: string(resolved),
	}
	return &caseOutput{res: res, files: files, manifest: manifest}, nil
}

// scenarioText returns what the report shows of sc as m runs it; resolved
// is sc.ResolvedWith(m).
func scenarioText(sc *scenarios.Scenario, m *sim.Model, resolved []byte) output.ScenarioText {
	text := output.ScenarioText{Resolved: string(resolved)}
	for _, a := range sc.Assumptions(m) {
		text.Assumptions = append(text.Assumptions, output.Assumption{Entity: a.Entity, Key: a.Key, Value: a.Value, Unit: a.Unit, Source: a.Source})
	}
	for _, p := range sc.Uncertainty {
		v, _ := sc.BaseValue(p.Key)
		text.Bands = append(text.Bands, output.UncertainParameter{Key: p.Key, Value: v, Low: p.Low, High: p.High, Spec: p.Spec, Source: p.Source})
	}
	return text
}

// renderRun returns the charts and the report of a run as files; sc is
// the scenario as it ran.
func renderRun(res *sim.Results, sc output.ScenarioText) (map[string][]byte, error) {
	charts, err := output.Charts(res)
	if err != nil {
		return nil, err
	}
	files, err := output.RenderCharts(charts)
	if err != nil {
		return nil, err
	}
	if files[output.ReportFile], err = output.Report(res, charts, sc); err != nil {
		return nil, err
	}
	return files, nil
}

// interruptible runs f and returns its result, or ctx.Err() as soon as
// ctx is cancelled, leaving f to finish on its own goroutine: chart
// rendering cannot be stopped midway and takes tens of seconds for
// hundreds of entities, and the program exits right after an interruption
// anyway. f must not touch anything the caller uses.
func interruptible[T any](ctx context.Context, f func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("internal error: %v\n%s", r, debug.Stack())}
			}
		}()
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
