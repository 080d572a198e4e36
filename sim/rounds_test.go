package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func roundsModel(n int, regimes []FundingRegime, shocks []FundingShock) *Model {
	return &Model{
		Name: "rounds", Settings: Settings{Paths: n, Seed: 5}, HorizonYears: 3, StepsPerYear: 12,
		Funding:  FundingMarket{Regimes: regimes, Shocks: shocks},
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			// Burning 1 bn a year from 100 bn: never short of runway, never
			// in default, so every step has the plain rate.
			Name: "steady", Cash: 100, Revenue: 2, GrowthHalfLifeYears: 1, FixedCost: 3,
			Funding: CustomerFunding{RoundRate: 0.8, RunwayThresholdYears: 1, UrgencyMultiplier: 1,
				RevenueMultiple: 3, SizeVolatility: 0.5},
		}},
	}
}

func TestFundingRounds(t *testing.T) {
	n := paths(10000, 40000)
	open := FundingRegime{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1}
	tight := FundingRegime{Name: "tight", RoundRateMultiplier: 0.5, ValuationMultiplier: 0.6}
	tests := []struct {
		name     string
		regimes  []FundingRegime
		shocks   []FundingShock
		rateMult float64
		valMult  float64
	}{
		{"single regime", []FundingRegime{open}, nil, 1, 1},
		{"tight forced throughout", []FundingRegime{open, tight}, []FundingShock{{Regime: 1, StartYears: 0, DurationYears: 3}}, 0.5, 0.6},
		// Runway (about 100 years) always below the threshold: λ × urgency.
		{"urgent", []FundingRegime{open}, nil, 2, 1},
		// Runway always above MaxRunwayYears: no rounds at all.
		{"runway too long", []FundingRegime{open}, nil, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := roundsModel(n, tc.regimes, tc.shocks)
			switch tc.name {
			case "urgent":
				m.Customers[0].Funding.RunwayThresholdYears = 1000
				m.Customers[0].Funding.UrgencyMultiplier = 2
			case "runway too long":
				m.Customers[0].Funding.MaxRunwayYears = 50
			}
			c := m.Customers[0]
			res := mustSimulate(t, m)
			s := res.Summary.Customers[0]
			lambda := c.Funding.RoundRate * tc.rateMult
			dt, steps, T := m.Dt(), m.Steps(), m.HorizonYears
			// N_s ~ Poisson(μ), μ = λdt, rounds in each step, independent, so
			// no round in N steps has probability e^(−λT) exactly.
			mu := lambda * dt
			pNone := math.Exp(-lambda * T)
			checkSE(t, "P(no round)", 1-s.ProbabilityAnyRound.P, pNone, binomialSE(pNone, n))

			// Rounds ~ Poisson(λT): mean and variance λT.
			var rounds []float64
			for _, r := range res.Customers[0].Rounds {
				rounds = append(rounds, float64(r))
			}
			N := float64(steps)
			checkSE(t, "mean rounds", stat.Mean(rounds, nil), lambda*T, math.Sqrt(lambda*T/float64(n)))

			// The step's N_s rounds raise N_s·a·LN, a = R·multiple·valuation,
			// E[LN] = 1 and E[LN²] = e^(sv²), revenue constant at R. Raised in
			// one step: mean μ·a, second moment a²·e^(sv²)·(μ + μ²); steps are
			// independent.
			a := c.Revenue * c.Funding.RevenueMultiple * tc.valMult
			sv := c.Funding.SizeVolatility
			mean := N * mu * a
			variance := N * (a*a*math.Exp(sv*sv)*(mu+mu*mu) - mu*mu*a*a)
			checkSE(t, "mean funding raised", s.FundingRaised.Mean, mean, math.Sqrt(variance/float64(n)))
			// And the sample standard deviation against the exact one; for
			// this sum of many steps the sample variance is close to normal,
			// with SE ≈ σ²·√((κ−1)/n), κ the kurtosis, here estimated from
			// the sample.
			if variance == 0 {
				if s.FundingRaised.Std != 0 {
					t.Errorf("std of funding raised = %v; want 0", s.FundingRaised.Std)
				}
			} else {
				kurt := stat.ExKurtosis(res.Customers[0].FundingRaised, nil) + 3
				checkSE(t, "variance of funding raised", s.FundingRaised.Std*s.FundingRaised.Std, variance,
					variance*math.Sqrt((kurt-1)/float64(n)))
			}

			for p, d := range res.Customers[0].DefaultStep {
				if d != -1 {
					t.Fatalf("DefaultStep[%d] = %d; want -1 (no costs)", p, d)
				}
			}
		})
	}
}
