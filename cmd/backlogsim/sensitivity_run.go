package main

import (
	"context"
	"fmt"
	"github.com/backlogsim/backlogsim/mcstat"

	"gonum.org/v1/gonum/stat"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sensitivity"
	"github.com/backlogsim/backlogsim/sim"
)

// study is what the cases of a sensitivity analysis share.
type study struct {
	sc      *scenarios.Scenario
	params  []scenarios.Parameter
	metrics []output.Metric
	seed    uint64
	workers int
	// progress, if not nil, is told the number of cases finished.
	progress func(done int)
}

// tornado runs the base and, for parameter i, the scenario with the
// parameter at its low and at its high value, all on paths paths and
// common random numbers, and compares each pair with the base exactly as
// "backlogsim compare" would.
func (s *study) tornado(ctx context.Context, paths int) (*output.Tornado, error) {
	base, bars, err := s.tornadoBars(ctx, paths, 0, len(s.params))
	if err != nil {
		return nil, err
	}
	return s.tornadoResult(paths, base, bars), nil
}

// tornadoBars returns the base's metric values and the bars of
// parameters [first, first+count), one slice per parameter with a bar per
// metric. It simulates nothing when count is 0.
func (s *study) tornadoBars(ctx context.Context, paths, first, count int) ([]mcstat.Estimate, [][]output.TornadoBar, error) {
	if count == 0 {
		return nil, nil, nil
	}
	bm, err := caseModel(s.sc, nil, paths, s.seed)
	if err != nil {
		return nil, nil, err
	}
	bres, err := simulateModel(ctx, bm, s.workers, sim.ExactSummary)
	if err != nil {
		return nil, nil, err
	}
	base := output.CompareRun{Name: "base", Results: bres}
	baseEst, err := metricValues(bres.Summary, s.metrics)
	if err != nil {
		return nil, nil, err
	}
	bars := make([][]output.TornadoBar, count)
	par, per := caseWorkers(s.workers, count)
	err = forEachCase(ctx, count, par, func(ctx context.Context, j int) error {
		p := s.params[first+j]
		runs := []output.CompareRun{base}
		for k, v := range []float64{p.Low, p.High} {
			m, err := caseModel(s.sc, map[string]float64{p.Key: v}, paths, s.seed)
			if err != nil {
				return err
			}
			res, err := simulateModel(ctx, m, per, sim.ExactSummary)
			if err != nil {
				return err
			}
			runs = append(runs, output.CompareRun{Name: []string{"low", "high"}[k], Results: res})
		}
		c, err := output.Compare(runs)
		if err != nil {
			return err
		}
		for _, m := range s.metrics {
			bar, _, err := output.NewTornadoBar(c, m, p.Key, p.Low, p.High)
			if err != nil {
				return err
			}
			bars[j] = append(bars[j], bar)
		}
		return nil
	}, s.progress)
	if err != nil {
		return nil, nil, err
	}
	return baseEst, bars, nil
}

// tornadoResult assembles the tornado from the base's metric values and
// every parameter's bars.
func (s *study) tornadoResult(paths int, baseEst []mcstat.Estimate, bars [][]output.TornadoBar) *output.Tornado {
	t := &output.Tornado{Seed: s.seed, Paths: paths, TailBatches: min(mcstat.TailBatches, paths), Quantile: scenarios.TornadoProbability}
	for j, m := range s.metrics {
		tm := output.TornadoMetric{Metric: m.String(), Base: baseEst[j]}
		for i := range s.params {
			tm.Bars = append(tm.Bars, bars[i][j])
		}
		output.SortBars(tm.Bars)
		t.Metrics = append(t.Metrics, tm)
	}
	return t
}

// sobolSettings say how the Sobol indices are estimated.
type sobolSettings struct {
	rows, paths, resamples int
	level                  float64
	designSeed             uint64
}

// design returns the Saltelli design of set over s's parameters.
func (s *study) design(set sobolSettings) (*sensitivity.Design, error) {
	d, err := sensitivity.NewDesign(set.rows, len(s.params), set.designSeed)
	if err != nil {
		return nil, usageError{err}
	}
	return d, nil
}

// sobol runs the N·(d+2) cases of a Saltelli design over the parameters'
// joint distribution and returns every metric's Sobol indices.
func (s *study) sobol(ctx context.Context, set sobolSettings) (*output.SobolAnalysis, error) {
	d, err := s.design(set)
	if err != nil {
		return nil, err
	}
	vals, err := s.sobolValues(ctx, set, 0, d.Cases())
	if err != nil {
		return nil, err
	}
	return s.sobolResult(set, vals)
}

// sobolValues runs the design's cases [first, first+count) and returns
// their metric values.
func (s *study) sobolValues(ctx context.Context, set sobolSettings, first, count int) ([][]mcstat.Estimate, error) {
	d, err := s.design(set)
	if err != nil {
		return nil, err
	}
	vals := make([][]mcstat.Estimate, count)
	par, per := caseWorkers(s.workers, count)
	err = forEachCase(ctx, count, par, func(ctx context.Context, j int) error {
		k := first + j
		m, err := caseModel(s.sc, s.pointValues(d.Point(k, nil)), set.paths, s.seed)
		if err != nil {
			return fmt.Errorf("sobol case %d: %w", k, err)
		}
		res, err := simulateModel(ctx, m, per, sim.AutoSummary)
		if err != nil {
			return err
		}
		vals[j], err = metricValues(res.Summary, s.metrics)
		return err
	}, s.progress)
	return vals, err
}

// sobolResult estimates every metric's Sobol indices from the metric
// values of all the design's cases.
func (s *study) sobolResult(set sobolSettings, vals [][]mcstat.Estimate) (*output.SobolAnalysis, error) {
	d, err := s.design(set)
	if err != nil {
		return nil, err
	}
	n := d.Cases()
	out := &output.SobolAnalysis{
		Design:   "Saltelli A, B and A_B matrices from an Owen-scrambled Halton sequence",
		BaseRows: set.rows, Cases: n, Paths: set.paths, Seed: s.seed, DesignSeed: set.designSeed,
		Level: set.level, Resamples: set.resamples,
	}
	for j, m := range s.metrics {
		y, se2 := make([]float64, n), make([]float64, n)
		for k := range vals {
			y[k], se2[k] = vals[k][j].Value, vals[k][j].StdErr*vals[k][j].StdErr
		}
		fA, fB, fAB, err := d.Split(y)
		if err != nil {
			return nil, err
		}
		r, err := sensitivity.Bootstrap(fA, fB, fAB, set.resamples, set.level, set.designSeed)
		if err != nil {
			return nil, usageError{err}
		}
		sm := output.SobolMetric{Metric: m.String(), Variance: r.Variance, NoiseVariance: stat.Mean(se2, nil)}
		for i, p := range s.params {
			sm.Indices = append(sm.Indices, output.SobolIndex{Parameter: p.Key, First: r.First[i], Total: r.Total[i]})
		}
		output.SortIndices(sm.Indices)
		out.Metrics = append(out.Metrics, sm)
	}
	return out, nil
}

// pointValues maps a point of the unit cube to the parameters' values.
func (s *study) pointValues(u []float64) map[string]float64 {
	v := make(map[string]float64, len(s.params))
	for i := range s.params {
		v[s.params[i].Key] = s.params[i].Value(u[i])
	}
	return v
}

// uncertainParams converts the scenario's parameters for output.
func uncertainParams(ps []scenarios.Parameter) []output.UncertainParam {
	out := []output.UncertainParam{}
	for _, p := range ps {
		out = append(out, output.UncertainParam{Key: p.Key, Kind: p.Kind, Spec: p.Spec,
			Low: p.Low, High: p.High, Min: p.Min, Max: p.Max, Source: p.Source})
	}
	return out
}
