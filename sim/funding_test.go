package sim

import (
	"context"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
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
				Name: "arrivals", Settings: Settings{Paths: n, Seed: 31}, HorizonYears: 3, StepsPerYear: spy,
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
			Name: "profitable", Settings: Settings{Paths: 2000, Seed: 4}, HorizonYears: 1, StepsPerYear: 12,
			Funding:  singleRegime(),
			Recovery: deterministicRecovery(),
			Customers: []Customer{{
				Name: "profitable", Cash: 1, Revenue: 10, GrowthHalfLifeYears: 1, FixedCost: 5,
				Funding: CustomerFunding{RoundRate: 1, UrgencyMultiplier: 1, RevenueMultiple: 1, MaxRunwayYears: maxRunway},
			}},
		}
		res := mustSimulate(t, m)
		if p := res.Summary.Customers[0].ProbabilityAnyRound.P; p != 0 {
			t.Errorf("max runway %v: P(any round) = %v; want 0 for a lab not burning cash", maxRunway, p)
		}
	}
}

// marketModel is two burning labs in a three-regime market with capacity:
// rounds sized to an 2-year runway target, supply of 300, 120 and 40 a
// year in open, tight and frozen, and a market that moves fast enough to
// visit every regime within a year on many paths.
func marketModel(n int) *Model {
	q := mat.NewDense(3, 3, []float64{
		-2, 1.5, 0.5,
		1, -2, 1,
		1, 1, -2,
	})
	lab := func(name string, rev float64) Customer {
		return Customer{
			Name: name, Cash: 20, Revenue: rev, GrowthInitial: 0.3, GrowthHalfLifeYears: 2,
			IdioVolatility: 0.3, FixedCost: 60, CashFlowVolatility: 3,
			Funding: CustomerFunding{RoundRate: 3, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
				RevenueMultiple: 8, SizeVolatility: 0.5, TargetRunwayYears: 2},
		}
	}
	return &Model{
		Name: "market", Settings: Settings{Paths: n, Seed: 17}, HorizonYears: 4, StepsPerYear: 12,
		Funding: FundingMarket{
			Regimes: []FundingRegime{
				{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1, CapacityPerYear: 300},
				{Name: "tight", RoundRateMultiplier: 0.7, ValuationMultiplier: 0.7, CapacityPerYear: 120},
				{Name: "frozen", RoundRateMultiplier: 0.4, ValuationMultiplier: 0.5, CapacityPerYear: 40},
			},
			Generator: q,
		},
		Recovery:  deterministicRecovery(),
		Customers: []Customer{lab("a", 20), lab("b", 10)},
	}
}

// TestMarketCapacityBoundsYearlyRaising: on every path, what all labs raise
// in a simulation year is at most the capacity of the most generous regime
// the market visits that year (a step may use what the year has supplied so
// far plus the current regime's rate to the year's end), and the labs'
// totals add up to the market's.
func TestMarketCapacityBoundsYearlyRaising(t *testing.T) {
	m := marketModel(3000)
	p, err := compile(m)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(p)
	binding := 0
	for path := range m.Paths {
		w.run(path, nil, 0)
		total := 0.0
		for y, raised := range w.marketYear {
			limit := 0.0
			for s := y * m.StepsPerYear; s < (y+1)*m.StepsPerYear; s++ {
				limit = math.Max(limit, m.Funding.Regimes[w.regimeRow[s]].CapacityPerYear)
			}
			if raised > limit*(1+1e-12) {
				t.Fatalf("path %d year %d: raised %v; want at most %v, the largest capacity of the year's regimes", path, y, raised, limit)
			}
			if raised > limit*(1-1e-9) {
				binding++
			}
			total += raised
		}
		labs := w.raised[0] + w.raised[1]
		if math.Abs(labs-total) > 1e-9*math.Max(1, total) {
			t.Fatalf("path %d: labs raised %v, market %v; want equal", path, labs, total)
		}
	}
	if binding == 0 {
		t.Errorf("capacity never binds in %d path-years; want the test to bite", m.Paths*4)
	}
}

// TestRationingProRata: two labs that ask for unlimited money (λ = 1000,
// so rounds every step; multiple 10⁶, no runway target) in a market
// supplying 12 a year. In the first step of each year the market can still
// supply the whole year, 12, all of it raised, pro rata to the requests,
// N_i·R_i with N_i ~ Poisson(1000/12) and R_a = 1, R_b = 3; nothing is left
// for later steps. So every path raises exactly 12 a year, and lab a's
// share is N_a/(N_a + 3N_b) ≈ 1/4.
func TestRationingProRata(t *testing.T) {
	const capacity = 12.0
	lab := func(name string, rev float64) Customer {
		return Customer{Name: name, Cash: 1e4, Revenue: rev, GrowthHalfLifeYears: 1, FixedCost: 100,
			Funding: CustomerFunding{RoundRate: 1000, UrgencyMultiplier: 1, RevenueMultiple: 1e6}}
	}
	m := &Model{
		Name: "rationing", Settings: Settings{Paths: 2000, Seed: 3}, HorizonYears: 2, StepsPerYear: 12,
		Funding: FundingMarket{Regimes: []FundingRegime{
			{Name: "only", RoundRateMultiplier: 1, ValuationMultiplier: 1, CapacityPerYear: capacity}}},
		Recovery:  deterministicRecovery(),
		Customers: []Customer{lab("a", 1), lab("b", 3)},
	}
	res := mustSimulate(t, m)
	shares := make([]float64, m.Paths)
	for p := range m.Paths {
		a, b := res.Customers[0].FundingRaised[p], res.Customers[1].FundingRaised[p]
		if math.Abs(a+b-2*capacity) > 1e-9 {
			t.Fatalf("path %d: raised %v + %v; want %v, the market's supply over 2 years", p, a, b, 2*capacity)
		}
		shares[p] = a / (a + b)
	}
	mean, std := stat.MeanStdDev(shares, nil)
	checkSE(t, "lab a's share", mean, 0.25, std/math.Sqrt(float64(m.Paths)))
}

// TestRoundsSizedToNeed: a lab burning exactly 1 a month (revenue 1,
// fixed cost 13) from cash 5, with a 2-year runway target, rounds every
// step (λ = 1000) and a valuation that never binds. Step 0: need =
// 2·12 − (5 − 1) = 20, so cash ends at 24; every later step raises the
// month's burn, 1, to stay at 24. Raised over one year: 20 + 11 = 31 on
// every path, and cash 24 at every step's end.
func TestRoundsSizedToNeed(t *testing.T) {
	m := &Model{
		Name: "need", Settings: Settings{Paths: 200, Seed: 9}, HorizonYears: 1, StepsPerYear: 12,
		Funding:  singleRegime(),
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			Name: "lab", Cash: 5, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 13,
			Funding: CustomerFunding{RoundRate: 1000, UrgencyMultiplier: 1, RevenueMultiple: 1e6, TargetRunwayYears: 2},
		}},
	}
	res := mustSimulate(t, m)
	c := res.Customers[0]
	for p := range m.Paths {
		if math.Abs(c.FundingRaised[p]-31) > 1e-9 {
			t.Fatalf("path %d: raised %v; want 31", p, c.FundingRaised[p])
		}
	}
	for s, band := range c.CashBands {
		if math.Abs(band[2]-24) > cashBinTolerance(24) {
			t.Errorf("median cash after step %d = %v; want 24", s, band[2])
		}
	}
}

// TestPerformanceScalesRate: with the demand factor frozen at D₀ = −0.5
// (no volatility, no mean reversion) and loading 1, revenue runs below
// plan by ln(R_s/plan_s) = D₀·t_s exactly, so with elasticity η = 2 the
// rate in step s is λ·e^{2·D₀·t_s} and the mean number of rounds over 3
// years is Σ_s λ·dt·e^{−t_s}, computed here step by step.
func TestPerformanceScalesRate(t *testing.T) {
	const lambda, eta, d0 = 2.0, 2.0, -0.5
	n := paths(20000, 80000)
	m := &Model{
		Name: "performance", Settings: Settings{Paths: n, Seed: 21}, HorizonYears: 3, StepsPerYear: 4,
		Funding:  singleRegime(),
		Demand:   DemandFactor{Initial: d0},
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			Name: "lab", Cash: 1e4, Revenue: 10, GrowthHalfLifeYears: 1, DemandLoading: 1, FixedCost: 100,
			Funding: CustomerFunding{RoundRate: lambda, UrgencyMultiplier: 1, RevenueMultiple: 1, PerformanceElasticity: eta},
		}},
	}
	want := 0.0
	for s := range m.Steps() {
		want += lambda * m.Dt() * math.Exp(eta*d0*float64(s)*m.Dt())
	}
	res := mustSimulate(t, m)
	total := 0.0
	for _, r := range res.Customers[0].Rounds {
		total += float64(r)
	}
	checkSE(t, "mean rounds", total/float64(n), want, math.Sqrt(want/float64(n)))
}

// TestPlanShortfall: revenue falls short of the plan by exactly d·t when
// nothing else moves it, while rounds still judge it against the plan. With
// d = 0.5 and elasticity η = 2 the rate in step s is λ·e^{−2·0.5·t_s}, the
// same mean as TestPerformanceScalesRate's frozen demand (Σ_s λ·dt·e^{−t_s});
// and a traced path's run-rate is the plan's times e^{−d·t} at every step.
func TestPlanShortfall(t *testing.T) {
	const lambda, eta, d = 2.0, 2.0, 0.5
	n := paths(20000, 80000)
	m := &Model{
		Name: "shortfall", Settings: Settings{Paths: n, Seed: 23}, HorizonYears: 3, StepsPerYear: 4,
		Funding:  singleRegime(),
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			Name: "lab", Cash: 1e4, Revenue: 10, GrowthInitial: 0.8, GrowthLongRun: 0.1, GrowthHalfLifeYears: 1.5,
			PlanShortfall: d, FixedCost: 100,
			Funding: CustomerFunding{RoundRate: lambda, UrgencyMultiplier: 1, RevenueMultiple: 1, PerformanceElasticity: eta},
		}},
	}
	want := 0.0
	for s := range m.Steps() {
		want += lambda * m.Dt() * math.Exp(-eta*d*float64(s)*m.Dt())
	}
	res := mustSimulate(t, m)
	total := 0.0
	for _, r := range res.Customers[0].Rounds {
		total += float64(r)
	}
	checkSE(t, "mean rounds", total/float64(n), want, math.Sqrt(want/float64(n)))

	tr, err := TracePath(context.Background(), m, 7)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Customers[0]
	for _, st := range tr.Steps {
		lab := st.Labs[0]
		// The plan: R₀·e^{∫g}, with ∫₀ᵗ g = g∞t + (g₀ − g∞)·h/ln2·(1 − 2^{−t/h}).
		h := c.GrowthHalfLifeYears
		plan := c.Revenue * math.Exp(c.GrowthLongRun*st.Years+(c.GrowthInitial-c.GrowthLongRun)*h/math.Ln2*(1-math.Pow(2, -st.Years/h)))
		checkClose(t, fmt.Sprintf("plan run-rate at %v", st.Years), lab.PlanRunRate, plan, 1e-9*plan)
		checkClose(t, fmt.Sprintf("run-rate at %v", st.Years), lab.RunRate, plan*math.Exp(-d*st.Years), 1e-9*plan)
	}
}
