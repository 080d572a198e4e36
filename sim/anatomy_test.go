package sim

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestTailAnatomyHandComputed checks the anatomy of neo-cloud's worst 1%
// against a hand computation from the run's per-path outcomes for the
// drivers the Results record (defaults, their years, amounts raised), and
// the means over all paths against the first AnatomySample paths.
func TestTailAnatomyHandComputed(t *testing.T) {
	m := smallWorld()
	m.Paths = 6000
	m.Providers[1].Cash = 0.5
	res := mustSimulate(t, m, Options{Summary: ExactSummary})
	idx := slices.IndexFunc(res.TailAnatomy, func(a TailAnatomy) bool { return a.Loss == "neo-cloud" })
	if idx < 0 || len(res.TailAnatomy) != len(res.Providers)+len(res.Suppliers)+1 {
		t.Fatalf("TailAnatomy has %d entries, neo-cloud at %d; want one per firm and the system", len(res.TailAnatomy), idx)
	}
	ta := res.TailAnatomy[idx]
	loss := res.Providers[1].BacklogLost
	sorted := slices.Clone(loss)
	slices.Sort(sorted)
	v := stat.Quantile(0.99, stat.Empirical, sorted, nil)
	na := 0.01 * float64(m.Paths)
	above, ties := 0.0, 0.0
	for _, x := range loss {
		if x > v {
			above++
		} else if x == v {
			ties++
		}
	}
	theta := (na - above) / ties
	tailMean := func(f func(p int) float64) float64 {
		s := 0.0
		for p, x := range loss {
			switch {
			case x > v:
				s += f(p)
			case x == v:
				s += theta * f(p)
			}
		}
		return s / na
	}
	allMean := func(f func(p int) float64) float64 {
		s := 0.0
		for p := range AnatomySample {
			s += f(p)
		}
		return s / AnatomySample
	}
	get := func(name string) DriverStat {
		for _, d := range ta.Drivers {
			if d.Name == name {
				return d
			}
		}
		t.Fatalf("no driver %q", name)
		return DriverStat{}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	defaulted := func(steps []int32) func(int) float64 {
		return func(p int) float64 { return b2f(steps[p] >= 0) }
	}
	year := func(steps []int32) func(int) float64 {
		return func(p int) float64 {
			if steps[p] < 0 {
				return 0
			}
			return float64(steps[p]+1) / float64(m.StepsPerYear)
		}
	}
	checks := []struct {
		name string
		f    func(int) float64
	}{
		{"lab-a: defaulted", defaulted(res.Customers[0].DefaultStep)},
		{"lab-b: amount raised", func(p int) float64 { return res.Customers[1].FundingRaised[p] }},
		{"neo-cloud: defaulted", defaulted(res.Providers[1].DefaultStep)},
		{"chips: defaulted", defaulted(res.Suppliers[0].DefaultStep)},
	}
	for _, c := range checks {
		d := get(c.name)
		if want := tailMean(c.f); !near(d.Tail.Value, want) {
			t.Errorf("%s in the tail: %v; want %v", c.name, d.Tail.Value, want)
		}
		if want := allMean(c.f); !near(d.All.Value, want) {
			t.Errorf("%s over all paths: %v; want %v", c.name, d.All.Value, want)
		}
	}
	y := get("neo-cloud: year of default, if it defaulted")
	if want := tailMean(year(res.Providers[1].DefaultStep)) / tailMean(defaulted(res.Providers[1].DefaultStep)); !near(y.Tail.Value, want) {
		t.Errorf("neo-cloud's year of default in the tail: %v; want %v", y.Tail.Value, want)
	}
	regimes := [2]float64{}
	for _, d := range ta.Drivers {
		if strings.HasPrefix(d.Name, "share of time in regime") {
			regimes[0] += d.Tail.Value
			regimes[1] += d.All.Value
		}
	}
	if !near(regimes[0], 1) || !near(regimes[1], 1) {
		t.Errorf("regime shares sum to %v in the tail and %v over all paths; want 1", regimes[0], regimes[1])
	}
	if d := get("neo-cloud: defaulted"); !(d.Tail.Value > d.All.Value) {
		t.Errorf("neo-cloud defaults in %v of its own worst paths and %v of all; want more in the tail", d.Tail.Value, d.All.Value)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
