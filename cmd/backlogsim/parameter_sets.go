package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sensitivity"
	"github.com/backlogsim/backlogsim/sim"
	"gonum.org/v1/gonum/mat"
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

// parameterPlan is the design of "run --parameter-sets": set.sets draws
// of the scenario's uncertain parameters (a Latin hypercube), each run
// with the base model's paths, seed and sampling.
type parameterPlan struct {
	sc   *scenarios.Scenario
	base *sim.Model
	s    *study
	pts  *mat.Dense
	p    *output.ParameterSets
}

// newParameterPlan draws the parameter sets of set for sc run as base.
func newParameterPlan(sc *scenarios.Scenario, base *sim.Model, set parameterSettings) (*parameterPlan, error) {
	if len(sc.Uncertainty) == 0 {
		return nil, usageError{fmt.Errorf("-parameter-sets: %s has no [uncertainty] section (see scenarios/FORMAT.md)", sc.Source)}
	}
	pts, err := sensitivity.LatinHypercube(set.sets, len(sc.Uncertainty), set.designSeed)
	if err != nil {
		return nil, usageError{err}
	}
	p := &output.ParameterSets{FormatVersion: 1, MoneyUnit: output.MoneyUnit, Scenario: base.Name, Seed: base.Seed,
		Paths: base.Paths, Sets: set.sets, Design: "Latin hypercube", DesignSeed: set.designSeed,
		Parameters: uncertainParams(sc.Uncertainty)}
	p.Values = make([][]float64, set.sets)
	for k := range p.Values {
		u := pts.RawRowView(k)
		for i := range sc.Uncertainty {
			p.Values[k] = append(p.Values[k], sc.Uncertainty[i].Value(u[i]))
		}
	}
	s := &study{sc: sc, params: sc.Uncertainty, metrics: output.HeadlineMetrics(base), seed: base.Seed}
	return &parameterPlan{sc: sc, base: base, s: s, pts: pts, p: p}, nil
}

// model returns the model of parameter set k.
func (pp *parameterPlan) model(k int) (*sim.Model, error) {
	m, err := caseModel(pp.sc, pp.s.pointValues(pp.pts.RawRowView(k)), pp.base.Paths, pp.base.Seed)
	if err != nil {
		return nil, fmt.Errorf("parameter set %d: %w", k, err)
	}
	m.Sampling = pp.base.Sampling
	return m, nil
}

// runParameterSets runs base's scenario with set.sets draws of its
// uncertain parameters (a Latin hypercube), each with base's paths, seed
// and sampling, and returns every headline statistic's band over the sets
// and the files that show it.
func runParameterSets(ctx context.Context, sc *scenarios.Scenario, base *sim.Model, baseSum sim.Summary, set parameterSettings, noPlots bool, e env) (*output.ParameterSets, map[string][]byte, error) {
	pp, err := newParameterPlan(sc, base, set)
	if err != nil {
		return nil, nil, err
	}
	sums := make([]sim.Summary, set.sets)
	par, per := caseWorkers(set.workers, set.sets)
	progress := studyProgress(runFlags{Quiet: set.quiet}, e, "parameter sets", set.sets)
	err = forEachCase(ctx, set.sets, par, func(ctx context.Context, k int) error {
		m, err := pp.model(k)
		if err != nil {
			return err
		}
		res, err := simulateModel(ctx, m, per, set.mode)
		if err != nil {
			return err
		}
		sums[k] = res.Summary
		return err
	}, progress)
	if err != nil {
		return nil, nil, err
	}
	return pp.finish(baseSum, sums, noPlots)
}

// finish returns every headline statistic's band over the sets, whose
// summaries are sums, and the files that show it.
func (pp *parameterPlan) finish(baseSum sim.Summary, sums []sim.Summary, noPlots bool) (*output.ParameterSets, map[string][]byte, error) {
	s, p := pp.s, pp.p
	vals := make([][]mcstat.Estimate, len(sums))
	for k, sum := range sums {
		var err error
		if vals[k], err = metricValues(sum, s.metrics); err != nil {
			return nil, nil, err
		}
	}
	baseVals, err := metricValues(baseSum, s.metrics)
	if err != nil {
		return nil, nil, err
	}
	for j, m := range s.metrics {
		col := make([]mcstat.Estimate, len(sums))
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

// parameterStudy is the Study of the headers of run -parameter-sets
// -shard I/N: the design and the model each set runs.
type parameterStudy struct {
	Sets        int      `json:"parameter_sets"`
	Seed        uint64   `json:"parameter_seed"`
	ModelSHA256 []string `json:"model_sha256"`
}

// parameterShardModels returns the models of the parameter sets of set for
// sc run as base, and the Study of their shards' headers.
func parameterShardModels(sc *scenarios.Scenario, base *sim.Model, set parameterSettings) ([]*sim.Model, string, error) {
	pp, err := newParameterPlan(sc, base, set)
	if err != nil {
		return nil, "", err
	}
	ps := parameterStudy{Sets: set.sets, Seed: set.designSeed}
	var models []*sim.Model
	for k := range set.sets {
		m, err := pp.model(k)
		if err != nil {
			return nil, "", err
		}
		hash, err := output.ModelSHA256(m)
		if err != nil {
			return nil, "", err
		}
		models, ps.ModelSHA256 = append(models, m), append(ps.ModelSHA256, hash)
	}
	study, err := json.Marshal(ps)
	return models, string(study), err
}

// parameterMerge rebuilds the parameter sets of the shards' Study for sc
// run as base, checking each model against the one the shards simulated.
func parameterMerge(sc *scenarios.Scenario, base *sim.Model, study string) (*parameterPlan, []*sim.Model, error) {
	var ps parameterStudy
	if err := json.Unmarshal([]byte(study), &ps); err != nil {
		return nil, nil, fmt.Errorf("merge: the shards' parameter sets: %w", err)
	}
	pp, err := newParameterPlan(sc, base, parameterSettings{sets: ps.Sets, designSeed: ps.Seed})
	if err != nil {
		return nil, nil, err
	}
	if len(ps.ModelSHA256) != ps.Sets {
		return nil, nil, fmt.Errorf("merge: the shards list %d models for %d parameter sets", len(ps.ModelSHA256), ps.Sets)
	}
	var models []*sim.Model
	for k := range ps.Sets {
		m, err := pp.model(k)
		if err != nil {
			return nil, nil, err
		}
		if hash, err := output.ModelSHA256(m); err != nil || hash != ps.ModelSHA256[k] {
			return nil, nil, fmt.Errorf("merge: parameter set %d: the model rebuilt from the shards differs from the one they simulated (SHA-256 %.12s…, want %.12s…)", k, hash, ps.ModelSHA256[k])
		}
		models = append(models, m)
	}
	return pp, models, nil
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
