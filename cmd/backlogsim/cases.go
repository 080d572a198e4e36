package main

import (
	"context"
	"fmt"
	"github.com/backlogsim/backlogsim/mcstat"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// Studies of a scenario (sensitivity, sweep, parameter sets) run many
// cases: the scenario with some keys set to other values, each run on the
// scenario's seed and the same number of paths, so that every case sees
// the same random numbers (common random numbers). A case is addressed by
// its index alone and its results depend only on the scenario, its index
// and the seed and paths: cases can run in any order, in parallel, or on
// different machines, and give the same bytes.

// forEachCase calls fn(ctx, k) for k in [0, n) on up to workers goroutines
// (<= 0: GOMAXPROCS) and returns the first error, cancelling the others.
// done, if not nil, is called after each case with the number finished.
func forEachCase(ctx context.Context, n, workers int, fn func(ctx context.Context, k int) error, done func(int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next, finished atomic.Int64
	var once sync.Once
	var first error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= n || ctx.Err() != nil {
					return
				}
				if err := fn(ctx, k); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
				f := int(finished.Add(1))
				if done != nil {
					mu.Lock()
					done(f)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// caseWorkers splits workers between cases run at once and the paths of
// each case: several cases at once with one worker each, or one case at a
// time with every worker. Either way results do not change.
func caseWorkers(workers, cases int) (parallelCases, perCase int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if cases >= workers {
		return workers, 1
	}
	return 1, workers
}

// caseModel builds the model of a case with the study's paths and seed.
func caseModel(sc *scenarios.Scenario, values map[string]float64, paths int, seed uint64) (*sim.Model, error) {
	m, err := sc.With(values)
	if err != nil {
		return nil, usageError{err}
	}
	m.Paths, m.Seed = paths, seed
	if err := m.Validate(); err != nil {
		return nil, usageError{fmt.Errorf("%s: %w", sc.Source, err)}
	}
	return m, nil
}

// simulateModel runs m with the given workers and summary mode.
func simulateModel(ctx context.Context, m *sim.Model, workers int, mode sim.SummaryMode) (*sim.Results, error) {
	return sim.Simulate(ctx, m, sim.Options{Workers: workers, Summary: mode})
}

// metricValues returns the values of metrics in a summary.
func metricValues(s sim.Summary, metrics []output.Metric) ([]mcstat.Estimate, error) {
	out := make([]mcstat.Estimate, len(metrics))
	for i, m := range metrics {
		e, err := output.MetricValue(s, m)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}
