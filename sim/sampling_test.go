package sim

import (
	"math"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

// TestStreamingMatchesExact runs the same paths with exact and streaming
// summaries. Everything but the 95% tail statistics must agree to rounding:
// the streaming summary keeps the worst mcstat.TailKeep(n) paths, which cover the
// 99% and 99.9% tails, and sums the same values in the same order. At 95%
// the streaming summary reads its histogram, whose documented error is half
// a bin: 2⁻⁷ of the value, or 2⁻⁷ bn near zero.
func TestStreamingMatchesExact(t *testing.T) {
	m := smallWorld()
	m.Paths = 20000
	exact := mustSimulate(t, m, Options{Summary: ExactSummary}).Summary
	stream := mustSimulate(t, m, Options{Summary: StreamingSummary}).Summary
	near := func(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(1, math.Abs(b)) }
	binTol := func(v float64) float64 { return math.Ldexp(math.Max(math.Abs(v), 1), -7) }
	check := func(name string, got, want mcstat.LossStats) {
		t.Helper()
		if !near(got.Mean, want.Mean, 1e-9) || !near(got.MeanStdErr, want.MeanStdErr, 1e-6) || !near(got.PPositive, want.PPositive, 1e-12) {
			t.Errorf("%s: streaming mean %v ± %v, P>0 %v; want exact %v ± %v, %v", name, got.Mean, got.MeanStdErr, got.PPositive, want.Mean, want.MeanStdErr, want.PPositive)
		}
		for k, q := range mcstat.TailLevels() {
			if q >= 0.99 {
				if got.VaR[k] != want.VaR[k] || !near(got.ES[k], want.ES[k], 1e-9) || !near(got.ESStdErr[k], want.ESStdErr[k], 1e-6) {
					t.Errorf("%s at %v: streaming VaR %v ES %v ± %v; want exact %v, %v ± %v", name, q, got.VaR[k], got.ES[k], got.ESStdErr[k], want.VaR[k], want.ES[k], want.ESStdErr[k])
				}
				continue
			}
			if math.Abs(got.VaR[k]-want.VaR[k]) > binTol(want.VaR[k]) || math.Abs(got.ES[k]-want.ES[k]) > binTol(want.ES[k]) {
				t.Errorf("%s at %v: streaming VaR %v ES %v; want exact %v, %v within half a bin", name, q, got.VaR[k], got.ES[k], want.VaR[k], want.ES[k])
			}
		}
	}
	for i, f := range exact.Providers {
		check(f.Name+" backlog lost", stream.Providers[i].BacklogLost, f.BacklogLost)
		check(f.Name+" economic loss", stream.Providers[i].EconomicLoss, f.EconomicLoss)
		if !near(stream.Providers[i].DefaultProbability.P, f.DefaultProbability.P, 1e-12) {
			t.Errorf("%s: streaming P(default) %v; want %v", f.Name, stream.Providers[i].DefaultProbability.P, f.DefaultProbability.P)
		}
		for k, src := range f.LostBy {
			got := stream.Providers[i].LostBy[k]
			if !near(got.Mean, src.Mean, 1e-9) || !near(got.TailMean, src.TailMean, 1e-9) {
				t.Errorf("%s lost by %s: streaming %+v; want %+v", f.Name, src.Name, got, src)
			}
		}
	}
	for i, c := range exact.Customers {
		if got := stream.Customers[i]; !near(got.DefaultProbability.P, c.DefaultProbability.P, 1e-12) {
			t.Errorf("%s: streaming P(default) %v; want %v", c.Name, got.DefaultProbability.P, c.DefaultProbability.P)
		}
		check(c.Name+" funding raised", stream.Customers[i].FundingRaised, c.FundingRaised)
	}
	if res := mustSimulate(t, m, Options{Summary: StreamingSummary}); res.Providers[0].BacklogLost != nil || !res.Streaming {
		t.Errorf("streaming Results keep per-path slices (%d paths) or do not say so", len(res.Providers[0].BacklogLost))
	}
}

// agree reports whether two independent estimates agree within four
// combined standard errors (a false alarm about once in 16,000 checks).
func agree(a, seA, b, seB float64) bool {
	return math.Abs(a-b) <= 4*math.Hypot(seA, seB)+1e-12
}

// TestVarianceReductionIsUnbiased checks that antithetic pairs and
// importance sampling estimate the same quantities as plain Monte Carlo:
// mean losses, ES 99% and default probabilities agree within four combined
// standard errors, with each run's standard errors as the methods report
// them. Seeds differ, so the runs are independent.
func TestVarianceReductionIsUnbiased(t *testing.T) {
	n := 16000
	if testing.Short() {
		n = 6000
	}
	plain := smallWorld()
	plain.Paths, plain.Seed = n, 101
	anti := smallWorld()
	anti.Paths, anti.Seed = n, 202
	anti.Sampling.Antithetic = true
	is := smallWorld()
	is.Paths, is.Seed = n, 303
	is.Sampling.Importance = ImportanceSampling{DemandShift: -0.5, MacroShift: -1, RevenueShift: -0.5, RegimeTilt: 2, ArrivalTilt: 0.5, WindowYears: 2}

	ref := mustSimulate(t, plain, Options{Summary: ExactSummary}).Summary
	for _, m := range []*Model{anti, is} {
		for _, mode := range []SummaryMode{ExactSummary, StreamingSummary} {
			res := mustSimulate(t, m, Options{Summary: mode})
			if res.Antithetic != m.Sampling.Antithetic || res.ImportanceSampled != m.Sampling.Importance.Active() {
				t.Errorf("Results flags = antithetic %v, weighted %v; want %v, %v", res.Antithetic, res.ImportanceSampled, m.Sampling.Antithetic, m.Sampling.Importance.Active())
			}
			got := res.Summary
			name := map[bool]string{true: "antithetic", false: "importance"}[m.Sampling.Antithetic]
			for i, f := range ref.Providers {
				g := got.Providers[i]
				if !agree(g.BacklogLost.Mean, g.BacklogLost.MeanStdErr, f.BacklogLost.Mean, f.BacklogLost.MeanStdErr) {
					t.Errorf("%s (mode %d) %s mean lost %v ± %v; plain %v ± %v", name, mode, f.Name, g.BacklogLost.Mean, g.BacklogLost.MeanStdErr, f.BacklogLost.Mean, f.BacklogLost.MeanStdErr)
				}
				if !agree(g.BacklogLost.ES[1], g.BacklogLost.ESStdErr[1], f.BacklogLost.ES[1], f.BacklogLost.ESStdErr[1]) {
					t.Errorf("%s (mode %d) %s ES99 %v ± %v; plain %v ± %v", name, mode, f.Name, g.BacklogLost.ES[1], g.BacklogLost.ESStdErr[1], f.BacklogLost.ES[1], f.BacklogLost.ESStdErr[1])
				}
			}
			for i, c := range ref.Customers {
				g := got.Customers[i]
				if !agree(g.DefaultProbability.P, g.DefaultProbability.StdErr, c.DefaultProbability.P, c.DefaultProbability.StdErr) {
					t.Errorf("%s (mode %d) %s P(default) %v ± %v; plain %v ± %v", name, mode, c.Name, g.DefaultProbability.P, g.DefaultProbability.StdErr, c.DefaultProbability.P, c.DefaultProbability.StdErr)
				}
			}
		}
	}
}

// TestAntitheticPairsMirror checks the mechanism on a one-step model whose
// only randomness is additive cash-flow noise: a lab starts with exactly
// the cash its costs take, so its cash after the step is σ·Z on one path of
// a pair and −σ·Z on the other. Exactly one path of every pair defaults,
// the default probability is 1/2, and since every pair averages to exactly
// 1/2 its standard error is zero. A round arrives with probability 0.4 on
// each path (N ~ Poisson(λ) with e^(−λ) = 0.6 is at least 1 iff u >= 0.6),
// never on both paths of a pair (u >= 0.6 and 1−u >= 0.6 cannot both
// hold), so exactly 80% of pairs see one round. The raiser burns 1 a year,
// so it raises.
func TestAntitheticPairsMirror(t *testing.T) {
	m := &Model{
		Name: "mirror", Settings: Settings{Paths: 2000, Seed: 3, Sampling: Sampling{Antithetic: true}}, HorizonYears: 1, StepsPerYear: 1,
		Funding:  FundingMarket{Regimes: []FundingRegime{{Name: "only", RoundRateMultiplier: 1, ValuationMultiplier: 1}}},
		Recovery: RecoveryModel{Mean: 0.5, Concentration: 10},
		Customers: []Customer{
			{Name: "lab", Cash: 10, FixedCost: 10, GrowthHalfLifeYears: 1, CashFlowVolatility: 1},
			{Name: "raiser", Cash: 100, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 2,
				Funding: CustomerFunding{RoundRate: -math.Log(0.6), RevenueMultiple: 1}},
		},
	}
	res := mustSimulate(t, m, Options{Summary: ExactSummary})
	steps, rounds := res.Customers[0].DefaultStep, res.Customers[1].Rounds
	pairsWithRound := 0
	for k := 0; k < m.Paths; k += 2 {
		if (steps[k] >= 0) == (steps[k+1] >= 0) {
			t.Fatalf("pair (%d, %d): default steps %d and %d; want exactly one default", k, k+1, steps[k], steps[k+1])
		}
		if rounds[k] > 0 && rounds[k+1] > 0 {
			t.Fatalf("pair (%d, %d): a round on both paths; want mirrored uniforms to exclude it", k, k+1)
		}
		if rounds[k]+rounds[k+1] > 0 {
			pairsWithRound++
		}
	}
	if got := res.Summary.Customers[0].DefaultProbability; got.P != 0.5 || got.StdErr != 0 {
		t.Errorf("antithetic P(default) = %v ± %v; want 0.5 ± 0", got.P, got.StdErr)
	}
	// Binomial over 1000 pairs with p = 0.8: SE 0.0126.
	if frac := float64(pairsWithRound) / float64(m.Paths/2); math.Abs(frac-0.8) > 4*math.Sqrt(0.8*0.2/float64(m.Paths/2)) {
		t.Errorf("share of pairs with a round = %v; want 0.8 ± 4 SE", frac)
	}
}

// TestQuantileSampleMatchesQuantile: the one-pass sample equals Quantile
// at every level, in exact and streaming mode, weighted or not.
func TestQuantileSampleMatchesQuantile(t *testing.T) {
	m := smallWorld()
	m.Paths = 3000
	m.Sampling.Importance = ImportanceSampling{MacroShift: -1, ArrivalTilt: 0.5, WindowYears: 1}
	for _, mode := range []SummaryMode{ExactSummary, StreamingSummary} {
		res := mustSimulate(t, m, Options{Summary: mode})
		for _, d := range []*mcstat.LossDistribution{res.Providers[0].BacklogLostDist, res.Providers[1].EconomicLossDist, res.Customers[0].FundingRaisedDist} {
			const size = 997
			got := d.QuantileSample(size)
			for i, v := range got {
				if want := d.Quantile((float64(i) + 0.5) / size); v != want {
					t.Fatalf("mode %d: QuantileSample(%d)[%d] = %v; want Quantile = %v", mode, size, i, v, want)
				}
			}
		}
	}
}
