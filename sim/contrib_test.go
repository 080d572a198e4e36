package sim

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/backlogsim/backlogsim/mcstat"
)

// checkSums checks that a decomposition adds up to its ES: the sources'
// totals, their direct and contagion parts, and the channel sums.
func checkSums(t *testing.T, what string, rc *RiskContributions, es [3]float64) {
	t.Helper()
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-300) }
	for k, l := range rc.Levels {
		if !l.Available {
			continue
		}
		if l.ES != es[k] {
			t.Errorf("%s at %v: ES %v; want the reported %v", what, mcstat.TailLevels()[k], l.ES, es[k])
		}
		var tot, dir, con float64
		for _, s := range l.Sources {
			tot += s.Total.Value
			dir += s.Direct.Value
			con += s.Contagion.Value
			if rel(s.Direct.Value+s.Contagion.Value, s.Total.Value) > 1e-9 && s.Total.Value != 0 {
				t.Errorf("%s at %v, %s: direct %v + contagion %v != total %v", what, mcstat.TailLevels()[k], s.Name, s.Direct.Value, s.Contagion.Value, s.Total.Value)
			}
		}
		if es[k] == 0 {
			if tot != 0 {
				t.Errorf("%s at %v: contributions sum to %v; want 0", what, mcstat.TailLevels()[k], tot)
			}
			continue
		}
		if r := rel(tot, es[k]); r > 1e-9 {
			t.Errorf("%s at %v: contributions sum to %v; want ES %v (relative difference %v)", what, mcstat.TailLevels()[k], tot, es[k], r)
		}
		if r := rel(l.Direct.Value+l.Contagion.Value, es[k]); r > 1e-9 {
			t.Errorf("%s at %v: direct %v + contagion %v; want ES %v", what, mcstat.TailLevels()[k], l.Direct.Value, l.Contagion.Value, es[k])
		}
		if rel(dir, l.Direct.Value) > 1e-9 && dir != 0 || rel(con, l.Contagion.Value) > 1e-9 && con != 0 {
			t.Errorf("%s at %v: sources' direct %v and contagion %v; want the channel sums %v and %v", what, mcstat.TailLevels()[k], dir, con, l.Direct.Value, l.Contagion.Value)
		}
	}
}

// TestContributionsSumToES runs a world with contagion (a leveraged
// provider that owes a supplier, a backer) in every summary and sampling
// mode and checks that every decomposition adds up to its ES within 1e-9
// relative, and that the supplier's loss arrives through contagion.
func TestContributionsSumToES(t *testing.T) {
	cases := []struct {
		name     string
		mode     SummaryMode
		sampling Sampling
	}{
		{"exact", ExactSummary, Sampling{}},
		{"streaming", StreamingSummary, Sampling{}},
		{"exact antithetic", ExactSummary, Sampling{Antithetic: true}},
		{"streaming importance", StreamingSummary, Sampling{Importance: ImportanceSampling{DemandShift: -1, RegimeTilt: 3, WindowYears: 2}}},
		{"exact importance", ExactSummary, Sampling{Importance: ImportanceSampling{DemandShift: -1, RegimeTilt: 3, WindowYears: 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := smallWorld()
			m.Paths = 4000
			m.Providers[1].Cash = 0.5 // neo-cloud defaults often, and owes chips
			m.Sampling = tc.sampling
			res := mustSimulate(t, m, Options{Summary: tc.mode})
			sum := res.Summary
			for f := range len(res.Providers) + len(res.Suppliers) {
				fr := res.firm(f)
				fs := sum.Providers
				if f >= len(res.Providers) {
					fs = sum.Suppliers[f-len(res.Providers):]
				} else {
					fs = fs[f:]
				}
				checkSums(t, fr.Name+" backlog lost", fr.BacklogLostContributions, fs[0].BacklogLost.ES)
				checkSums(t, fr.Name+" economic loss", fr.EconomicLossContributions, fs[0].EconomicLoss.ES)
			}
			checkSums(t, "system backlog lost", res.System.BacklogLostContributions, res.System.BacklogLostDist.Stats().ES)
			checkSums(t, "system economic loss", res.System.EconomicLossContributions, res.System.EconomicLossDist.Stats().ES)
			if avail := res.System.BacklogLostContributions.Levels[0].Available; avail != (tc.mode == ExactSummary) {
				t.Errorf("95%% level available = %v; want %v (exact runs only)", avail, tc.mode == ExactSummary)
			}
			chips := res.Suppliers[0].BacklogLostContributions.Levels[1]
			if !(chips.Contagion.Value > 0) {
				t.Errorf("chips at 99%%: contagion part %v; want > 0 (neo-cloud owes it and defaults)", chips.Contagion.Value)
			}
			for _, s := range chips.Sources {
				if s.Kind == OriginCustomer && s.Direct.Value != 0 {
					t.Errorf("chips: direct contribution %v from customer %s, which owes it nothing", s.Direct.Value, s.Name)
				}
			}
		})
	}
}

// twoLabsOneCloud is a world in which the provider's backlog lost is known
// by hand from the labs' default steps: flat contracts that started at
// time zero, no pool, a provider that cannot default.
func twoLabsOneCloud(paths int, seed uint64) *Model {
	m := smallWorld()
	m.Paths, m.Seed = paths, seed
	m.Providers = []Firm{{Name: "cloud", Backlog: 130, Cash: 1e6, OperatingCashFlow: 10, Margin: 0.3, StrandedShare: 0.2}}
	m.Suppliers = nil
	m.Backers = nil
	m.Contracts = []Contract{
		{Name: "a-cloud", Payer: 0, Payee: 2, Value: 100, TermYears: 5, Profile: Flat},
		{Name: "b-cloud", Payer: 1, Payee: 2, Value: 30, TermYears: 5, Profile: Flat},
	}
	return m
}

// TestContributionsHandComputed checks the backlog-lost decomposition of
// the two-lab, one-provider world against a hand computation: on each path
// the loss from lab i is V_i·(1 − s_i/(12·5)) if it defaulted at step s_i
// (a flat 5-year contract has that much left), the VaR is the empirical
// quantile, and C_i = (Σ_{x>VaR} x_i + θ·Σ_{x=VaR} x_i)/(nα) with θ filling
// the tail.
func TestContributionsHandComputed(t *testing.T) {
	m := twoLabsOneCloud(3000, 7)
	res := mustSimulate(t, m, Options{Summary: ExactSummary})
	n := m.Paths
	values := []float64{100, 30}
	xs := make([][]float64, 2)
	total := make([]float64, n)
	for i := range 2 {
		xs[i] = make([]float64, n)
		for p, st := range res.Customers[i].DefaultStep {
			if st >= 0 {
				xs[i][p] = values[i] * (1 - float64(st)/60)
			}
			total[p] += xs[i][p]
		}
	}
	for p := range n {
		if got := res.Providers[0].BacklogLost[p]; math.Abs(got-total[p]) > 1e-9*math.Max(1, total[p]) {
			t.Fatalf("path %d: backlog lost %v; hand computation %v", p, got, total[p])
		}
	}
	sorted := slices.Clone(res.Providers[0].BacklogLost)
	slices.Sort(sorted)
	rc := res.Providers[0].BacklogLostContributions
	for k, q := range mcstat.TailLevels() {
		v := stat.Quantile(q, stat.Empirical, sorted, nil)
		na := (1 - q) * float64(n)
		var above, ties int
		for _, x := range res.Providers[0].BacklogLost {
			switch {
			case x > v:
				above++
			case x == v:
				ties++
			}
		}
		theta := (na - float64(above)) / float64(ties)
		l := rc.Levels[k]
		if !l.Available || l.VaR != v {
			t.Fatalf("at %v: available %v, VaR %v; want true, %v", q, l.Available, l.VaR, v)
		}
		for i, name := range []string{"lab-a", "lab-b"} {
			want := 0.0
			for p, x := range res.Providers[0].BacklogLost {
				switch {
				case x > v:
					want += xs[i][p]
				case x == v:
					want += theta * xs[i][p]
				}
			}
			want /= na
			idx := slices.IndexFunc(l.Sources, func(s SourceContribution) bool { return s.Name == name })
			if want == 0 && idx < 0 {
				continue
			}
			if idx < 0 {
				t.Fatalf("at %v: no contribution from %s; want %v", q, name, want)
			}
			got := l.Sources[idx]
			if math.Abs(got.Total.Value-want) > 1e-9*math.Max(1, want) || got.Contagion.Value != 0 {
				t.Errorf("at %v: %s contributes %+v; want %v, all direct", q, name, got, want)
			}
		}
	}
}

// TestContributionStdErr compares the reported standard error of a
// contribution with the spread of the estimate over independent seeds.
func TestContributionStdErr(t *testing.T) {
	const seeds = 40
	var est, se []float64
	for s := range seeds {
		m := twoLabsOneCloud(1500, uint64(100+s))
		res := mustSimulate(t, m, Options{Summary: ExactSummary})
		l := res.Providers[0].BacklogLostContributions.Levels[0]
		for _, src := range l.Sources {
			if src.Name == "lab-b" {
				est = append(est, src.Total.Value)
				se = append(se, src.Total.StdErr)
			}
		}
	}
	if len(est) != seeds {
		t.Fatalf("lab-b contributed on %d of %d seeds", len(est), seeds)
	}
	sd := stat.StdDev(est, nil)
	meanSE := stat.Mean(se, nil)
	// The sample standard deviation of 40 estimates is within ±35% of the
	// true one with probability above 99.5% (chi-square with 39 degrees
	// of freedom).
	if r := meanSE / sd; r < 0.65 || r > 1.55 {
		t.Errorf("lab-b's contribution at 95%%: mean reported SE %v, spread over seeds %v (ratio %v); want a ratio near 1", meanSE, sd, r)
	}
}
