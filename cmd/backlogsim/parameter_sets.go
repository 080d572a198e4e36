package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sensitivity"
	"github.com/backlogsim/backlogsim/sim"
)

// parameterSettings say how "run --parameter-sets" draws and runs the
// parameter sets.
type parameterSettings struct {
	sets       int
	designSeed uint64
	workers    int
	mode       sim.SummaryMode
	quiet      bool
}

// runParameterSets runs base's scenario with set.sets draws of its
// uncertain parameters (a Latin hypercube), each with base's paths, seed
// and sampling, and returns every headline statistic's band over the sets
// and the files that show it.
func runParameterSets(ctx context.Context, sc *scenarios.Scenario, base *sim.Model, baseSum sim.Summary, set parameterSettings, noPlots bool, e env) (*output.ParameterSets, map[string][]byte, error) {
	if len(sc.Uncertainty) == 0 {
		return nil, nil, usageError{fmt.Errorf("-parameter-sets: %s has no [uncertainty] section (see scenarios/FORMAT.md)", sc.Source)}
	}
	d := len(sc.Uncertainty)
	pts, err := sensitivity.LatinHypercube(set.sets, d, set.designSeed)
	if err != nil {
		return nil, nil, usageError{err}
	}
	s := &study{sc: sc, params: sc.Uncertainty, metrics: output.HeadlineMetrics(base), seed: base.Seed}
	p := &output.ParameterSets{FormatVersion: 1, MoneyUnit: output.MoneyUnit, Scenario: base.Name, Seed: base.Seed,
		Paths: base.Paths, Sets: set.sets, Design: "Latin hypercube", DesignSeed: set.designSeed,
		Parameters: uncertainParams(sc.Uncertainty)}
	vals := make([][]mcstat.Estimate, set.sets)
	p.Values = make([][]float64, set.sets)
	for k := range p.Values {
		u := pts.RawRowView(k)
		for i := range sc.Uncertainty {
			p.Values[k] = append(p.Values[k], sc.Uncertainty[i].Value(u[i]))
		}
	}
	par, per := caseWorkers(set.workers, set.sets)
	progress := studyProgress(runFlags{Quiet: set.quiet}, e, "parameter sets", set.sets)
	err = forEachCase(ctx, set.sets, par, func(ctx context.Context, k int) error {
		m, err := caseModel(sc, s.pointValues(pts.RawRowView(k)), base.Paths, base.Seed)
		if err != nil {
			return fmt.Errorf("parameter set %d: %w", k, err)
		}
		m.Sampling = base.Sampling
		res, err := simulateModel(ctx, m, per, set.mode)
		if err != nil {
			return err
		}
		vals[k], err = metricValues(res.Summary, s.metrics)
		return err
	}, progress)
	if err != nil {
		return nil, nil, err
	}
	baseVals, err := metricValues(baseSum, s.metrics)
	if err != nil {
		return nil, nil, err
	}
	for j, m := range s.metrics {
		col := make([]mcstat.Estimate, set.sets)
		for k := range vals {
			col[k] = vals[k][j]
		}
		p.Bands = append(p.Bands, output.NewParameterBand(m.String(), baseVals[j], col))
	}
	files := map[string][]byte{}
	if files["parameters.json"], err = output.ParameterSetsJSON(p); err != nil {
		return nil, nil, err
	}
	if files["parameters.csv"], err = output.ParameterSetsCSV(p); err != nil {
		return nil, nil, err
	}
	if !noPlots {
		charts, err := output.ParameterSetCharts(p, s.metrics)
		if err != nil {
			return nil, nil, err
		}
		rendered, err := output.RenderCharts(charts)
		if err != nil {
			return nil, nil, err
		}
		for name, data := range rendered {
			files[name] = data
		}
	}
	return p, files, nil
}

// printBands prints the band of each customer's default probability.
func printBands(e env, p *output.ParameterSets, metrics []output.Metric) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\nParameter uncertainty (%d sets, %d paths each)\tscenario ± MC s.e.\tmedian\t5%%\t95%%\t\n", p.Sets, p.Paths)
	for i, m := range metrics {
		if m.Kind != "customer" || i >= len(p.Bands) {
			continue
		}
		b := p.Bands[i]
		fmt.Fprintf(tw, "%s\t%.2f%% ± %.2f\t%.2f%%\t%.2f%%\t%.2f%%\t\n", b.Metric, 100*b.Base.Value, 100*b.Base.StdErr, 100*b.Median, 100*b.P05, 100*b.P95)
	}
	tw.Flush()
}
