package output

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/backlogsim/backlogsim/internal/simtest"
	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// plotsModel is the small, fixed model behind the chart and report tests:
// two labs, three providers (one backing a lab, one leveraged, one with a
// non-positive operating cash flow), one supplier and two funding regimes.
func plotsModel() *sim.Model {
	return &sim.Model{
		Name:         "plots-test",
		Description:  "A small fixed world for the chart and report tests: two labs, three clouds, one chip maker.",
		Settings:     sim.Settings{Paths: 500, Seed: 7},
		HorizonYears: 3,
		StepsPerYear: 12,
		Funding: sim.FundingMarket{
			Regimes: []sim.FundingRegime{
				{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
				{Name: "frozen", RoundRateMultiplier: 0.2, ValuationMultiplier: 0.4},
			},
			Generator: mat.NewDense(2, 2, []float64{
				-0.3, 0.3,
				0.6, -0.6,
			}),
			Shocks: []sim.FundingShock{{Regime: 1, StartYears: 1, DurationYears: 0.5}},
		},
		Demand:   sim.DemandFactor{MeanReversion: 0.5, Volatility: 0.25},
		Macro:    sim.MacroFactor{MeanReversion: 0.3},
		Recovery: sim.RecoveryModel{Mean: 0.4, DemandSlope: 0.5, Concentration: 10},
		Customers: []sim.Customer{
			{
				Name: "lab-a", Cash: 10, Revenue: 12, GrowthInitial: 0.8, GrowthLongRun: 0.2,
				GrowthHalfLifeYears: 1.5, DemandLoading: 1, IdioVolatility: 0.3,
				FixedCost: 16, FixedCostGrowth: 0.3, VariableCostShare: 0.2, CashFlowVolatility: 3,
				Funding: sim.CustomerFunding{RoundRate: 1, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
					RevenueMultiple: 2, SizeVolatility: 0.3},
			},
			{
				Name: "lab-b", Cash: 5, Revenue: 5, GrowthInitial: 1, GrowthLongRun: 0.25,
				GrowthHalfLifeYears: 1, DemandLoading: 1.2, IdioVolatility: 0.4, IdioKind: sim.StudentT, IdioDoF: 5,
				FixedCost: 7, VariableCostShare: 0.3, CashFlowVolatility: 1,
				Funding: sim.CustomerFunding{RoundRate: 1.2, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
					RevenueMultiple: 3, SizeVolatility: 0.3},
			},
		},
		Providers: []sim.Firm{
			{Name: "big-cloud", Backlog: 300, Cash: 50, OperatingCashFlow: 80, Debt: 40, Margin: 0.3, StrandedShare: 0.2,
				Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.01, Correlation: 0.15, LossGivenDefault: 0.4, DurationYears: 2}},
			{Name: "neo-cloud", Backlog: 40, Cash: 2, OperatingCashFlow: 2, Debt: 20, LiquidationValue: 5, Margin: 0.25, StrandedShare: 0.5,
				Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.02, Correlation: 0.2, LossGivenDefault: 0.5, DurationYears: 3}},
			{Name: "Start_Up.DC", Backlog: 25, Cash: 1, OperatingCashFlow: 0, Debt: 5, Margin: 0.2, StrandedShare: 0.4,
				Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.03, Correlation: 0.2, LossGivenDefault: 0.5, DurationYears: 2}},
		},
		Suppliers: []sim.Firm{
			{Name: "chips", Backlog: 60, Cash: 20, OperatingCashFlow: 30, Margin: 0.5, StrandedShare: 0.1,
				Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.005, Correlation: 0.1, LossGivenDefault: 0.3, DurationYears: 1}},
		},
		Contracts: []sim.Contract{
			{Name: "a-big", Payer: 0, Payee: 2, Value: 100, StartYears: 0, TermYears: 5, Profile: sim.Ramp},
			{Name: "a-neo", Payer: 0, Payee: 3, Value: 20, StartYears: 0.5, TermYears: 4, Profile: sim.Flat},
			{Name: "b-big", Payer: 1, Payee: 2, Value: 30, StartYears: 0, TermYears: 3, Profile: sim.Schedule, YearlySchedule: []float64{5, 10, 15}},
			{Name: "b-dc", Payer: 1, Payee: 4, Value: 15, StartYears: 0, TermYears: 3, Profile: sim.Flat},
			{Name: "neo-chips", Payer: 3, Payee: 5, Value: 15, StartYears: 0, TermYears: 3, Profile: sim.Flat},
		},
		Backers: []sim.Backing{{Backer: 2, Customer: 0, AnnualLimit: 5}},
	}
}

var (
	plotsRunOnce sync.Once
	plotsRes     *sim.Results
	plotsSum     sim.Summary
	plotsErr     error
)

// plotsRun simulates plotsModel once per test binary.
func plotsRun(t testing.TB) (*sim.Results, sim.Summary) {
	t.Helper()
	plotsRunOnce.Do(func() {
		m := plotsModel()
		if plotsErr = m.Validate(); plotsErr != nil {
			return
		}
		plotsRes, plotsErr = sim.Simulate(context.Background(), m, sim.Options{Workers: 2})
		if plotsErr == nil {
			plotsSum = plotsRes.Summary
		}
	})
	if plotsErr != nil {
		t.Fatal(plotsErr)
	}
	return plotsRes, plotsSum
}

// fixedResults returns hand-made results that do not depend on the engine,
// so that the golden images change only when the drawing does: 400 paths,
// two labs, four providers (one with zero operating cash flow, one that
// loses nothing on any path, in the middle of the small-multiples grid),
// one supplier and two funding regimes over two years. Losses are zero on
// most paths and heavy-tailed otherwise.
func fixedResults() *sim.Results {
	const n, steps = 400, 24
	rng := rand.New(rand.NewPCG(1, 2))
	u := func() float64 { return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53) }
	m := &sim.Model{
		Name: "fixed", Description: "Hand-made results for golden images.",
		Settings: sim.Settings{Paths: n, Seed: 99}, HorizonYears: 2, StepsPerYear: 12,
		Funding:   sim.FundingMarket{Regimes: []sim.FundingRegime{{Name: "open"}, {Name: "frozen"}}},
		Customers: []sim.Customer{{Name: "lab-a", Cash: 10}, {Name: "lab-b", Cash: 4}},
	}
	res := &sim.Results{Model: m, Paths: n}
	for s := range steps {
		res.StepYears = append(res.StepYears, float64(s+1)/12)
		f := 0.2 + 0.6*math.Sin(math.Pi*float64(s)/steps)
		res.RegimeShare = append(res.RegimeShare, []float64{1 - f, f})
	}
	firm := func(name string, backlog, ocf, scale, pPos float64, sources []string) sim.FirmResults {
		f := sim.FirmResults{Name: name, Backlog: backlog, OperatingCashFlow: ocf,
			BacklogLost: make([]float64, n), EconomicLoss: make([]float64, n), DefaultStep: make([]int32, n)}
		hit := 0
		for p := range n {
			f.DefaultStep[p] = -1
			if u() < pPos {
				hit++ // every loss of this fixture comes from a default
				// Pareto-like tail, capped at the backlog.
				l := math.Min(scale*(math.Pow(u(), -0.6)-0.9), backlog)
				f.BacklogLost[p] = l
				f.EconomicLoss[p] = 0.4 * l
				if l > 0.5*backlog {
					f.DefaultStep[p] = int32(p % steps)
				}
			}
		}
		f.LossFromDefaultProbability = mcstat.Proportion(hit, n)
		for k, s := range sources {
			w := float64(k+1) / float64(len(sources)*(len(sources)+1)/2)
			f.LostBy = append(f.LostBy, sim.LossSource{Name: s, Mean: w * scale * 0.5, TailMean: w * scale * 6})
		}
		return f
	}
	res.Providers = []sim.FirmResults{
		firm("big-cloud", 300, 80, 20, 0.3, []string{"lab-a", "lab-b", sim.PoolSource}),
		firm("neo-cloud", 40, 2, 4, 0.5, []string{"lab-a", sim.PoolSource}),
		firm("idle-dc", 10, 3, 1, 0, nil),
		firm("Start & Up DC", 25, 0, 2, 0.2, []string{"lab-b", sim.PoolSource}),
	}
	res.Suppliers = []sim.FirmResults{firm("chips", 60, 30, 3, 0.15, []string{"neo-cloud", sim.PoolSource})}
	for i, c := range m.Customers {
		cr := sim.CustomerResults{Name: c.Name, DefaultStep: make([]int32, n),
			FundingRaised: make([]float64, n), Rounds: make([]int32, n), BackerSupport: make([]float64, n)}
		for p := range n {
			cr.DefaultStep[p] = -1
			if u() < 0.3+0.2*float64(i) {
				cr.DefaultStep[p] = int32(u() * steps)
			}
			if u() < 0.7 {
				cr.Rounds[p] = 1
				cr.FundingRaised[p] = 5 + 10*u()
			}
		}
		for s := range steps {
			t := float64(s+1) / 12
			mid := c.Cash * (1 - 0.3*t)
			w := c.Cash * 0.4 * math.Sqrt(t)
			cr.CashBands = append(cr.CashBands, [5]float64{mid - 1.6*w, mid - 0.7*w, mid, mid + 0.7*w, mid + 1.6*w})
		}
		res.Customers = append(res.Customers, cr)
	}
	return simtest.Complete(res)
}
