package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// run --precision REL: simulate in stages, each with more whole blocks of
// paths than the last, until every target statistic's relative standard
// error is at most REL. Path i draws the same random numbers whatever the
// number of paths, so each stage extends the previous one's paths, and the
// run that stops at N paths is exactly "run --paths N": same summary, same
// bytes. Each stage is simulated from path 0 (the states of a streaming
// summary depend on the total number of paths), which costs at most about
// twice the final stage since stages grow geometrically.

// precisionBlock is the granularity of the stages' path counts: sim's
// block of paths, so that stages add whole blocks.
const precisionBlock = 256

// defaultMaxPaths bounds a run --precision without --max-paths.
const defaultMaxPaths = 4_000_000

// precisionSettings say when run --precision stops.
type precisionSettings struct {
	rel      float64
	maxPaths int
	metrics  []output.Metric
}

// worstPrecision returns the largest relative standard error among the
// target metrics of sum and its metric. Estimates that are exactly zero
// (no path had the event or the loss) have no relative error and are left
// out; so are metrics the summary cannot give.
func worstPrecision(sum sim.Summary, metrics []output.Metric) (rel float64, metric string) {
	for _, m := range metrics {
		est, err := output.MetricValue(sum, m)
		if err != nil || est.Value == 0 || math.IsNaN(est.Value) {
			continue
		}
		r := est.StdErr / math.Abs(est.Value)
		if math.IsNaN(r) {
			r = math.Inf(1)
		}
		if metric == "" || r > rel {
			rel, metric = r, m.String()
		}
	}
	if metric == "" {
		metric = "no target statistic is above zero"
	}
	return rel, metric
}

// nextPaths returns the paths of the stage after one of n paths whose
// worst relative standard error is rel, aiming at target: the standard
// error falls as 1/√n, so n·(rel/target)² with a 10% margin, in whole
// blocks, at least one block more and at most eight times n, and at most
// maxPaths.
func nextPaths(n int, rel, target float64, maxPaths int) int {
	want := float64(n) * 1.1 * (rel / target) * (rel / target)
	if math.IsNaN(want) || want > 8*float64(n) {
		want = 8 * float64(n)
	}
	next := int(math.Ceil(want/precisionBlock)) * precisionBlock
	next = max(next, (n/precisionBlock+1)*precisionBlock)
	return min(next, maxPaths)
}

// simulatePrecise runs sc in stages from sc.Model.Paths paths until the
// target statistics of p are precise enough or p.maxPaths is reached, and
// returns the outputs of the last stage, whose Paths sc.Model now has.
func simulatePrecise(ctx context.Context, sc *scenarios.Scenario, set caseSettings, p precisionSettings, f runFlags, e env) (*caseOutput, error) {
	started := time.Now()
	m := sc.Model
	for {
		if err := m.Validate(); err != nil {
			return nil, usageError{err}
		}
		if err := checkResources(f, []runNeed{{m, set.summary, !set.noPlots}}); err != nil {
			return nil, err
		}
		var res *sim.Results
		err := withProgress(m.Paths, set, e, func(opts sim.Options) (err error) {
			res, err = sim.Simulate(ctx, m, opts)
			return err
		})
		if err != nil {
			return nil, err
		}
		rel, metric := worstPrecision(res.Summary, p.metrics)
		done := rel <= p.rel
		if done || m.Paths >= p.maxPaths {
			if !set.quiet || !done {
				verdict := fmt.Sprintf("at most %g", p.rel)
				if !done {
					verdict = fmt.Sprintf("above the target %g: -max-paths %d reached", p.rel, p.maxPaths)
				}
				fmt.Fprintf(e.stderr, "backlogsim: precision: %d paths: largest relative standard error %.4g (%s), %s; the same as run --paths %d\n", m.Paths, rel, metric, verdict, m.Paths)
			}
			return caseFiles(ctx, sc, res, set, started, e)
		}
		next := nextPaths(m.Paths, rel, p.rel, p.maxPaths)
		if !set.quiet {
			fmt.Fprintf(e.stderr, "backlogsim: precision: %d paths: largest relative standard error %.4g (%s); next %d paths\n", m.Paths, rel, metric, next)
		}
		m.Paths = next
	}
}

// simulateRun simulates the scenario of run, to the precision opts asks
// for if any.
func simulateRun(ctx context.Context, sc *scenarios.Scenario, opts runOptions, set caseSettings, e env) (*caseOutput, error) {
	if opts.Precision == 0 {
		return simulateCase(ctx, sc, set, e)
	}
	metrics, err := parsePrecisionMetrics(sc.Model, opts.PrecisionMetrics)
	if err != nil {
		return nil, usageError{err}
	}
	if opts.MaxPaths.n < sc.Model.Paths {
		return nil, usageError{fmt.Errorf("-max-paths %d is below the %d paths the run starts with", opts.MaxPaths.n, sc.Model.Paths)}
	}
	return simulatePrecise(ctx, sc, set, precisionSettings{rel: opts.Precision, maxPaths: opts.MaxPaths.n, metrics: metrics}, opts.runFlags, e)
}

// parsePrecisionMetrics returns the metrics -precision-metrics names for
// m, or every headline statistic if it is empty.
func parsePrecisionMetrics(m *sim.Model, list string) ([]output.Metric, error) {
	if list == "" {
		return output.HeadlineMetrics(m), nil
	}
	var names []string
	for _, name := range strings.Split(list, ",") {
		names = append(names, strings.TrimSpace(name))
	}
	ms, err := parseMetrics(m, names)
	if err != nil {
		return nil, fmt.Errorf("-precision-metrics: %w", err)
	}
	return ms, nil
}
