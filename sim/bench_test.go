package sim_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/backlogsim/backlogsim/scenarios"
	. "github.com/backlogsim/backlogsim/sim"
)

// benchModel is the model the engine benchmarks run: the embedded baseline
// scenario with 4096 paths.
func benchModel(b *testing.B) *Model {
	b.Helper()
	sc, err := scenarios.Load("baseline")
	if err != nil {
		b.Fatal(err)
	}
	sc.Model.Paths = 4096
	return sc.Model
}

// entitySteps returns the number of entity-steps one run of m simulates.
func entitySteps(m *Model) float64 {
	return float64(m.Paths) * float64(m.NumEntities()) * float64(m.Steps())
}

// BenchmarkSimulate reports the full model's cost per entity-step, and
// BenchmarkRawDraws the cost of only the random draws the same run needs,
// so that their ratio shows the engine's overhead over raw generation.
func BenchmarkSimulate(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), m, Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entitySteps(m), "ns/entity-step")
}

// BenchmarkSimulateFixture is BenchmarkSimulate on the baseline as it
// stood at commit 7f15316 (testdata/baseline-7f15316.toml), the workload
// the speed targets of issue 16 are measured on: the current engine on
// the old model, beside the old engine in scripts/bench.sh. It reports
// paths per second of CPU time of its one worker.
func BenchmarkSimulateFixture(b *testing.B) {
	m := fixtureModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), m, Options{Workers: 1, Summary: StreamingSummary}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(m.Paths)*float64(b.N)/b.Elapsed().Seconds(), "paths/s")
}

// fixtureModel is testdata/baseline-7f15316.toml with 16,384 paths: enough
// that the fixed costs of a run (compiling the plan, replaying the tail
// paths for the risk contributions, the summary) weigh little.
func fixtureModel(tb testing.TB) *Model {
	tb.Helper()
	sc, err := scenarios.Load("testdata/baseline-7f15316.toml")
	if err != nil {
		tb.Fatal(err)
	}
	sc.Model.Paths = 16384
	return sc.Model
}

// TestBenchFixtureLoads keeps the benchmark fixture loadable: a change of
// the scenario format must carry it along (it is the old model, not a
// scenario to recalibrate).
func TestBenchFixtureLoads(t *testing.T) {
	m := fixtureModel(t)
	if got := len(m.Providers) + len(m.Suppliers); got != 8 || len(m.Customers) != 2 {
		t.Errorf("fixture has %d firms and %d customers; want 8 and 2", got, len(m.Customers))
	}
}

func BenchmarkRawDraws(b *testing.B) {
	m := benchModel(b)
	var sink float64
	for b.Loop() {
		sink += RawDraws(m)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entitySteps(m), "ns/entity-step")
	_ = sink
}

// tailSampling is the importance sampling the variance-reduction benchmark
// uses on the baseline: rounds arrive at 0.35 times their rate in the first
// 2.25 years, and the macro factor's shocks are shifted by −1.25 standard
// deviations over the first year (chosen by trying a few settings on 16 to
// 32 replications of 50,000 paths, seeds 1000 on, and keeping the one with
// the smallest variance: the benchmark's own seeds, so its factor is
// somewhat optimistic). Oracle's 99.9% tail is an early OpenAI
// default (no round to refill its cash) together with heavy losses in
// Oracle's diversified pool (a bad macro factor).
func tailSampling() Sampling {
	return Sampling{Importance: ImportanceSampling{ArrivalTilt: 0.35, MacroShift: -1.25, WindowYears: 2.25, MacroWindowYears: 1}}
}

// BenchmarkWorkers reports paths per second with one and two workers on the
// baseline (16,384 paths a run), for the scaling in cores.
func BenchmarkWorkers(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			m := benchModel(b)
			m.Paths = 16384
			for b.Loop() {
				if _, err := Simulate(context.Background(), m, Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.Paths)*float64(b.N)/b.Elapsed().Seconds(), "paths/s")
		})
	}
}

// BenchmarkTailVarianceReduction measures, on the baseline, the variance
// of the estimate of ES 99.9% of Oracle's backlog lost (the provider with
// the largest share of its backlog owed by one lab) across independent
// replications (different seeds), with plain Monte Carlo and with
// tailSampling, and the time each replication takes. The variance-reduction
// factor at equal time is (var_plain·t_plain)/(var_is·t_is). Run it alone:
//
//	go test ./sim -run '^$' -bench TailVarianceReduction -benchtime 1x
func BenchmarkTailVarianceReduction(b *testing.B) {
	const (
		replications = 32
		paths        = 50_000
		firm         = "oracle"
		level        = 2 // mcstat.TailLevels()[2] = 0.999
	)
	// One replication of each method in turn, so that drift in the
	// machine's speed affects both alike.
	run := func(s Sampling, r int) (float64, time.Duration) {
		m := benchModel(b)
		m.Paths, m.Seed, m.Sampling = paths, uint64(1000+r), s
		start := time.Now()
		res, err := Simulate(context.Background(), m, Options{})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		for _, f := range res.Summary.Providers {
			if f.Name == firm {
				return f.BacklogLost.ES[level], took
			}
		}
		b.Fatalf("no provider %s", firm)
		return 0, 0
	}
	measure := func() (vp, tp, mp, vi, ti, mi float64) {
		var plain, is []float64
		var tPlain, tIS time.Duration
		for r := range replications {
			e, d := run(Sampling{}, r)
			plain, tPlain = append(plain, e), tPlain+d
			e, d = run(tailSampling(), r)
			is, tIS = append(is, e), tIS+d
		}
		mp, sp := stat.MeanStdDev(plain, nil)
		mi, si := stat.MeanStdDev(is, nil)
		return sp * sp, tPlain.Seconds() / replications, mp, si * si, tIS.Seconds() / replications, mi
	}
	for b.Loop() {
		vp, tp, mp, vi, ti, mi := measure()
		b.ReportMetric(vp, "plain-var")
		b.ReportMetric(vi, "is-var")
		b.ReportMetric(tp, "plain-s/rep")
		b.ReportMetric(ti, "is-s/rep")
		b.ReportMetric(vp*tp/(vi*ti), "VRF-equal-time")
		b.Logf("ES 99.9%% of %s backlog lost: plain %.2f (sd %.2f, %.2fs), importance %.2f (sd %.2f, %.2fs)", firm, mp, math.Sqrt(vp), tp, mi, math.Sqrt(vi), ti)
	}
}
