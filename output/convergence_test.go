package output

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

func TestConvergencePaths(t *testing.T) {
	for _, tc := range []struct{ paths, group int }{{500, 1}, {1000, 2}, {100, 1}, {250000, 2}, {1 << 20, 1}} {
		ps := ConvergencePaths(tc.paths, tc.group)
		if ps[len(ps)-1] != tc.paths || len(ps) > convergencePoints {
			t.Errorf("ConvergencePaths(%d, %d) = %v; want at most %d points ending at %d", tc.paths, tc.group, ps, convergencePoints, tc.paths)
		}
		for k, n := range ps {
			if n%tc.group != 0 || k > 0 && n <= ps[k-1] {
				t.Errorf("ConvergencePaths(%d, %d) = %v: want increasing whole groups", tc.paths, tc.group, ps)
				break
			}
		}
	}
}

// TestConvergenceEndsAtTheRunsEstimate: the last point of every series is
// the run's own estimate and standard error, with plain, antithetic and
// importance sampling (which weight and group the paths); a prefix is the
// run of that many paths.
func TestConvergenceEndsAtTheRunsEstimate(t *testing.T) {
	k := tailIndex()
	for _, sampling := range []sim.Sampling{{}, {Antithetic: true}, {Importance: sim.ImportanceSampling{DemandShift: -0.3, MacroShift: -0.3}}} {
		m := plotsModel()
		m.Paths, m.Sampling = 1200, sampling
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		res, err := sim.Simulate(context.Background(), m, sim.Options{Workers: 2, Summary: sim.ExactSummary})
		if err != nil {
			t.Fatal(err)
		}
		sum := res.Summary
		labs := DefaultConvergence(res)
		if len(labs) != len(sum.Customers) {
			t.Fatalf("%+v: %d lab series; want %d", sampling, len(labs), len(sum.Customers))
		}
		for _, s := range labs {
			i := slices.IndexFunc(sum.Customers, func(c sim.CustomerSummary) bool { return c.Name == s.Name })
			want := sum.Customers[i].DefaultProbability
			last := len(s.Value) - 1
			if !closeTo(s.Value[last], want.P) || !closeTo(s.StdErr[last], want.StdErr) {
				t.Errorf("%+v: %s: last point %v ± %v; want the run's %v ± %v", sampling, s.Name, s.Value[last], s.StdErr[last], want.P, want.StdErr)
			}
		}
		sys := SystemConvergence(res)
		want := sum.System.BacklogLost
		for j, w := range [][2]float64{{want.Mean, want.MeanStdErr}, {want.ES[k], want.ESStdErr[k]}} {
			last := len(sys[j].Value) - 1
			if sys[j].Value[last] != w[0] || sys[j].StdErr[last] != w[1] {
				t.Errorf("%+v: system %s: last point %v ± %v; want the run's %v ± %v", sampling, sys[j].Name, sys[j].Value[last], sys[j].StdErr[last], w[0], w[1])
			}
		}
		// The first 600 paths are the run of 600 paths.
		m.Paths = 600
		small, err := sim.Simulate(context.Background(), m, sim.Options{Workers: 1, Summary: sim.ExactSummary})
		if err != nil {
			t.Fatal(err)
		}
		g := 1
		if sampling.Antithetic {
			g = 2
		}
		got := PrefixStats(res.System.BacklogLost, res.Weights, g, 600)
		if w := small.Summary.System.BacklogLost; got.Mean != w.Mean || got.ES[k] != w.ES[k] || got.ESStdErr[k] != w.ESStdErr[k] {
			t.Errorf("%+v: first 600 paths: mean %v, ES %v ± %v; the 600-path run's %v, %v ± %v", sampling, got.Mean, got.ES[k], got.ESStdErr[k], w.Mean, w.ES[k], w.ESStdErr[k])
		}
	}
}

// closeTo reports whether a and b agree to 1e-12 relative: the run's
// proportion and the convergence series' mean are the same sum taken by
// two routines.
func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) }

// TestConvergenceCharts: an exact run's report has the convergence
// section; a streaming run, which keeps no paths, has no such charts.
func TestConvergenceCharts(t *testing.T) {
	res, _ := plotsRun(t)
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		if strings.HasPrefix(c.Name, "convergence-") {
			names = append(names, c.Name)
		}
	}
	if !slices.Equal(names, []string{"convergence-default-probability", "convergence-system-loss"}) {
		t.Errorf("convergence charts %v; want the default probability and system loss charts", names)
	}
	report, err := Report(res, charts, ScenarioText{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), `id="convergence"`) {
		t.Error("report has no convergence section")
	}
	m := plotsModel()
	st, err := sim.Simulate(context.Background(), m, sim.Options{Workers: 2, Summary: sim.StreamingSummary})
	if err != nil {
		t.Fatal(err)
	}
	if DefaultConvergence(st) != nil || SystemConvergence(st) != nil {
		t.Error("convergence series from a streaming run")
	}
}
