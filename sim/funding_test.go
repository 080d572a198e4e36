package sim

import (
	"fmt"
	"math"
	"testing"
)

// TestRoundsMeanIsIntegratedRate: the number of rounds is Poisson with mean
// ∫λ dt whatever the step length. The market is forced open for a year,
// tight (rate × 0.5) for 1.5 years and open again for half a year, so with
// λ = 1.5 a year ∫λ dt = 1.5·(1 + 0.75 + 0.5) = 3.375, at quarterly and
// monthly steps alike; the rounds' count has variance 3.375 too. The old
// engine (at most one round a step with probability 1 − e^(−λdt)) fell
// short by the factor (1 − e^(−λdt))/(λdt): 3-6% at monthly and 9-17% at
// quarterly steps here.
func TestRoundsMeanIsIntegratedRate(t *testing.T) {
	n := paths(20000, 80000)
	const lambda = 1.5
	want := lambda * (1 + 1.5*0.5 + 0.5)
	for _, spy := range []int{4, 12} {
		t.Run(fmt.Sprintf("%d steps a year", spy), func(t *testing.T) {
			m := &Model{
				Name: "arrivals", Paths: n, Seed: 31, HorizonYears: 3, StepsPerYear: spy,
				Funding: FundingMarket{
					Regimes: []FundingRegime{
						{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
						{Name: "tight", RoundRateMultiplier: 0.5, ValuationMultiplier: 1},
					},
					Shocks: []FundingShock{
						{Regime: 0, StartYears: 0, DurationYears: 1},
						{Regime: 1, StartYears: 1, DurationYears: 1.5},
						{Regime: 0, StartYears: 2.5, DurationYears: 0.5},
					},
				},
				Recovery: deterministicRecovery(),
				Customers: []Customer{{
					// Burning 1 bn a year from 100 bn: the plain rate throughout.
					Name: "steady", Cash: 100, Revenue: 2, GrowthHalfLifeYears: 1, FixedCost: 3,
					Funding: CustomerFunding{RoundRate: lambda, UrgencyMultiplier: 1, RevenueMultiple: 1},
				}},
			}
			res := mustSimulate(t, m)
			total, sq := 0.0, 0.0
			for p, r := range res.Customers[0].Rounds {
				k := float64(r)
				total += k
				sq += k * k
				// Each round raises exactly the revenue, 2.
				if got := res.Customers[0].FundingRaised[p]; math.Abs(got-2*k) > 1e-9 {
					t.Fatalf("path %d: raised %v in %d rounds; want %v", p, got, r, 2*k)
				}
			}
			mean := total / float64(n)
			checkSE(t, "mean rounds", mean, want, math.Sqrt(want/float64(n)))
			// The sample variance of a Poisson count: SE σ²·√((κ−1)/n), κ = 3 + 1/μ.
			variance := sq/float64(n) - mean*mean
			checkSE(t, "variance of rounds", variance, want, want*math.Sqrt((2+1/want)/float64(n)))
		})
	}
}

// TestNoRoundsWithoutBurn: a lab whose cash flow before rounds is positive
// does not raise, with or without a runway cap (the documented rule; the
// engine used to raise with P(any round) = 1 − e^(−1) = 0.63 here).
func TestNoRoundsWithoutBurn(t *testing.T) {
	for _, maxRunway := range []float64{0, 3} {
		m := &Model{
			Name: "profitable", Paths: 2000, Seed: 4, HorizonYears: 1, StepsPerYear: 12,
			Funding:  singleRegime(),
			Recovery: deterministicRecovery(),
			Customers: []Customer{{
				Name: "profitable", Cash: 1, Revenue: 10, GrowthHalfLifeYears: 1, FixedCost: 5,
				Funding: CustomerFunding{RoundRate: 1, UrgencyMultiplier: 1, RevenueMultiple: 1, MaxRunwayYears: maxRunway},
			}},
		}
		res := mustSimulate(t, m)
		if p := Summarize(res).Customers[0].ProbabilityAnyRound.P; p != 0 {
			t.Errorf("max runway %v: P(any round) = %v; want 0 for a lab not burning cash", maxRunway, p)
		}
	}
}
