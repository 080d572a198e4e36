package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
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

// caseOutput is one simulated scenario and the files of its output folder.
type caseOutput struct {
	res     *sim.Results
	summary sim.Summary
	files   map[string][]byte
}

// simulateCase simulates sc.Model (whose paths and seed are already set)
// and returns its results with the files "backlogsim run" writes:
// summary.json, summary.csv, manifest.json and, unless noPlots, plots/ and
// report.html.
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
	return caseFiles(sc, res, set, started, e)
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
// started at started.
func caseFiles(sc *scenarios.Scenario, res *sim.Results, set caseSettings, started time.Time, e env) (*caseOutput, error) {
	var err error
	m := sc.Model
	workers := set.workerCount()
	summary := sim.Summarize(res)
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
	if files["summary.json"], err = output.SummaryJSON(summary); err != nil {
		return nil, err
	}
	if files["summary.csv"], err = output.SummaryCSV(summary); err != nil {
		return nil, err
	}
	if !set.noPlots {
		charts, err := output.Charts(res, summary)
		if err != nil {
			return nil, err
		}
		rendered, err := output.RenderCharts(charts)
		if err != nil {
			return nil, err
		}
		for name, data := range rendered {
			files[name] = data
		}
		if files["report.html"], err = output.Report(res, summary, charts, string(resolved)); err != nil {
			return nil, err
		}
	}
	finished := time.Now()
	host, _ := os.Hostname()
	manifest, err := output.ManifestJSON(output.Manifest{
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
	})
	if err != nil {
		return nil, err
	}
	files["manifest.json"] = manifest
	return &caseOutput{res: res, summary: summary, files: files}, nil
}
