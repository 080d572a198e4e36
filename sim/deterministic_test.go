package sim

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestDemandFactor reads the demand level D at a known step off the
// recovery rate: probes with no revenue default at a chosen step s owing a
// contract that has not started, so they pay nothing (Eisenberg–Noe ratio
// 0) and the payee's economic loss is (m+k)·(1 − R)·V with the deterministic
// recovery R = Mean + DemandSlope·D(s·dt). The OU factor discretised exactly
// has E[D_t] = D0·e^(−κt) and Var[D_t] = σ²(1 − e^(−2κt))/(2κ).
func TestDemandFactor(t *testing.T) {
	const (
		d0, kappa, sigma = 0.3, 0.5, 0.25
		recMean, slope   = 0.5, 0.2
		value            = 10.0
	)
	n := paths(10000, 40000)
	m := &Model{
		Name: "demand", Settings: Settings{Paths: n, Seed: 3}, HorizonYears: 3, StepsPerYear: 4,
		Funding:  singleRegime(),
		Demand:   DemandFactor{Initial: d0, MeanReversion: kappa, Volatility: sigma},
		Recovery: RecoveryModel{Mean: recMean, DemandSlope: slope, Concentration: math.Inf(1)},
	}
	defaultSteps := []int{0, 2, 8}
	for i, k := range defaultSteps {
		// Cash after step j is 0.25·(k+1) − 0.15 − 0.25·(j+1): 0.1 after
		// step k−1 and −0.15 after step k.
		m.Customers = append(m.Customers, Customer{
			Name: fmt.Sprintf("probe-%d", k), Cash: 0.25*float64(k+1) - 0.15, GrowthHalfLifeYears: 1, FixedCost: 1,
		})
		m.Providers = append(m.Providers, Firm{
			Name: fmt.Sprintf("payee-%d", k), Backlog: value, Cash: 1e6, Margin: 0.6, StrandedShare: 0.4,
		})
		m.Contracts = append(m.Contracts, Contract{
			Name: fmt.Sprintf("c-%d", k), Payer: EntityID(i), Payee: EntityID(len(defaultSteps) + i),
			Value: value, StartYears: 3.5, TermYears: 1,
		})
	}
	res := mustSimulate(t, m)
	for i, k := range defaultSteps {
		tt := float64(k) * m.Dt()
		d := make([]float64, n)
		for p := range n {
			if got := res.Customers[i].DefaultStep[p]; got != int32(k) {
				t.Fatalf("probe-%d DefaultStep[%d] = %d; want %d", k, p, got, k)
			}
			if got := res.Providers[i].BacklogLost[p]; got != value {
				t.Fatalf("payee-%d BacklogLost[%d] = %v; want %v", k, p, got, value)
			}
			r := 1 - res.Providers[i].EconomicLoss[p]/value // (m+k) = 1
			d[p] = (r - recMean) / slope
		}
		mean, variance := stat.MeanVariance(d, nil)
		wantMean := d0 * math.Exp(-kappa*tt)
		wantVar := sigma * sigma * -math.Expm1(-2*kappa*tt) / (2 * kappa)
		if k == 0 {
			checkClose(t, "D(0)", mean, d0, 1e-12)
			checkClose(t, "Var D(0)", variance, 0, 1e-12)
			continue
		}
		// SE of the mean from the exact variance; of the sample variance of
		// normal draws, σ²·√(2/(n−1)).
		checkSE(t, fmt.Sprintf("E[D(%v)]", tt), mean, wantMean, math.Sqrt(wantVar/float64(n)))
		checkSE(t, fmt.Sprintf("Var[D(%v)]", tt), variance, wantVar, wantVar*math.Sqrt(2/float64(n-1)))
	}
}

// Deterministic-run parameters.
var detCustomer = Customer{
	Name: "det", Cash: 25, Revenue: 8, GrowthInitial: 0.6, GrowthLongRun: 0.1, GrowthHalfLifeYears: 1.5,
	DemandLoading: 0.5, FixedCost: 6, FixedCostGrowth: 0.2, VariableCostShare: 0.25,
	LiquidationValue: 1,
}

// detModel has no randomness: all volatilities are zero, there are no
// funding rounds, recovery is deterministic and the demand factor decays
// deterministically from 0.2. Two copies of the customer differ only in
// cash: "det" survives, "short" runs out.
func detModel(shortCash float64) *Model {
	short := detCustomer
	short.Name, short.Cash = "short", shortCash
	return &Model{
		Name: "deterministic", Settings: Settings{Paths: 300, Seed: 1}, HorizonYears: 3, StepsPerYear: 12,
		Funding:   singleRegime(),
		Demand:    DemandFactor{Initial: 0.2, MeanReversion: 0.4},
		Recovery:  RecoveryModel{Mean: 0.3, DemandSlope: 0.5, Concentration: math.Inf(1)},
		Customers: []Customer{detCustomer, short},
		Providers: []Firm{
			{Name: "p-det", Backlog: 41, Cash: 1e6},
			{Name: "p-short", Backlog: 41, Cash: 1e6, Margin: 0.3, StrandedShare: 0.2},
		},
		Contracts: []Contract{
			{Name: "flat", Payer: 0, Payee: 2, Value: 12, StartYears: 0.5, TermYears: 4, Profile: Flat},
			{Name: "ramp", Payer: 0, Payee: 2, Value: 20, StartYears: 0, TermYears: 5, Profile: Ramp},
			{Name: "sched", Payer: 0, Payee: 2, Value: 9, StartYears: 1, TermYears: 3, Profile: Schedule, YearlySchedule: []float64{2, 3, 4}},
			{Name: "flat", Payer: 1, Payee: 3, Value: 12, StartYears: 0.5, TermYears: 4, Profile: Flat},
			{Name: "ramp", Payer: 1, Payee: 3, Value: 20, StartYears: 0, TermYears: 5, Profile: Ramp},
			{Name: "sched", Payer: 1, Payee: 3, Value: 9, StartYears: 1, TermYears: 3, Profile: Schedule, YearlySchedule: []float64{2, 3, 4}},
		},
	}
}

// handPaid is how much of a contract has fallen due by t, from the profile
// definitions: flat accrues V/T a year, ramp's cumulative is V·(x/T)², and
// a schedule pays S[k] evenly within contract year k.
func handPaid(c Contract, t float64) float64 {
	x := math.Min(math.Max(t-c.StartYears, 0), c.TermYears)
	switch c.Profile {
	case Flat:
		return c.Value / c.TermYears * x
	case Ramp:
		return c.Value * (x / c.TermYears) * (x / c.TermYears)
	}
	paid := 0.0
	for k, v := range c.YearlySchedule {
		paid += v * math.Min(math.Max(x-float64(k), 0), 1)
	}
	return paid
}

// handCash returns the cash of a copy of detCustomer starting with cash0
// after each step, the payment due in each step and the demand level of each
// step, by hand: revenue accrues at the run-rate at the start of the step,
// log revenue grows by ∫g (computed by quadrature of
// g(u) = g∞ + (g₀ − g∞)·2^(−u/h)) plus β·D·dt, costs are the fixed cost at
// the step's start rate plus the variable share.
func handCash(m *Model, cash0 float64, contracts []Contract) (cash, due, demand []float64) {
	c := detCustomer
	dt := m.Dt()
	g := func(u float64) float64 {
		return c.GrowthLongRun + (c.GrowthInitial-c.GrowthLongRun)*math.Pow(2, -u/c.GrowthHalfLifeYears)
	}
	lnRev := math.Log(c.Revenue)
	x := cash0
	for s := range m.Steps() {
		t0, t1 := float64(s)*dt, float64(s+1)*dt
		d := m.Demand.Initial * math.Exp(-m.Demand.MeanReversion*t0)
		rev := math.Exp(lnRev) * dt
		pay := 0.0
		for _, k := range contracts {
			pay += handPaid(k, t1) - handPaid(k, t0)
		}
		x += rev*(1-c.VariableCostShare) - c.FixedCost*math.Exp(c.FixedCostGrowth*t0)*dt - pay
		cash, due, demand = append(cash, x), append(due, pay), append(demand, d)
		lnRev += quad.Fixed(g, t0, t1, 20, quad.Legendre{}, 0) + c.DemandLoading*d*dt
	}
	return cash, due, demand
}

func TestDeterministicRun(t *testing.T) {
	m := detModel(0)
	survive, _, _ := handCash(m, detCustomer.Cash, m.Contracts[:3])
	// The short customer's cash is chosen to run out at step 17 by hand:
	// with zero starting cash its balance is the cumulative net flow.
	flows, dues, demand := handCash(m, 0, m.Contracts[3:])
	const wantStep = 17
	shortCash := -(flows[wantStep-1] + flows[wantStep]) / 2 // halfway between running out at step 16 and at 17
	if !(shortCash+flows[wantStep] < 0) {
		t.Fatalf("test set-up: cash %v does not run out at step %d", shortCash, wantStep)
	}
	m = detModel(shortCash)
	for s := range wantStep {
		if !(shortCash+flows[s] >= 0) {
			t.Fatalf("test set-up: cash %v runs out before step %d", shortCash, wantStep)
		}
	}
	for _, x := range survive {
		if x < 0 {
			t.Fatalf("test set-up: det runs out of cash")
		}
	}
	res := mustSimulate(t, m)

	// Every path is the same.
	for p := range m.Paths {
		if got := res.Customers[0].DefaultStep[p]; got != -1 {
			t.Fatalf("det DefaultStep[%d] = %d; want -1", p, got)
		}
		if got := res.Customers[1].DefaultStep[p]; got != wantStep {
			t.Fatalf("short DefaultStep[%d] = %d; want %d", p, got, wantStep)
		}
		if res.Customers[0].Rounds[p] != 0 || res.Customers[0].FundingRaised[p] != 0 {
			t.Fatalf("det path %d raised %v in %d rounds; want none", p, res.Customers[0].FundingRaised[p], res.Customers[0].Rounds[p])
		}
	}

	// Cash bands: all five equal, at the hand-computed cash, within the
	// histogram's half-bin accuracy. A defaulted customer's cash stays at
	// its value at default.
	for s := range m.Steps() {
		for i, want := range []float64{survive[s], shortCash + flows[min(s, wantStep)]} {
			bands := res.Customers[i].CashBands[s]
			for k, v := range bands {
				if v != bands[0] {
					t.Errorf("%s CashBands[%d][%d] = %v; want all bands equal to %v", m.Customers[i].Name, s, k, v, bands[0])
				}
			}
			if math.Abs(bands[0]-want) > cashBinTolerance(want)+1e-9 {
				t.Errorf("%s CashBands[%d] = %v; want %v ± %.3g", m.Customers[i].Name, s, bands[0], want, cashBinTolerance(want))
			}
		}
	}

	// The short customer's default: the payee loses the contract value still
	// to come at step 17, V − paid(17·dt), and the economic loss is
	// (m+k)·(1 − R)·rem·(1 − ratio) with R = Mean + slope·D(17·dt) and the
	// Eisenberg–Noe ratio estate/claims, estate = cash before the step's
	// payments + liquidation value.
	t17 := float64(wantStep) * m.Dt()
	rem := 0.0
	for _, c := range m.Contracts[3:] {
		rem += c.Value - handPaid(c, t17)
	}
	estate := math.Max(shortCash+flows[wantStep]+dues[wantStep], 0) + detCustomer.LiquidationValue
	ratio := math.Min(1, estate/rem)
	r := m.Recovery.Mean + m.Recovery.DemandSlope*demand[wantStep]
	fm := m.Providers[1]
	econ := (fm.Margin + fm.StrandedShare) * (1 - r) * rem * (1 - ratio)
	t.Logf("short: default at step %d, remaining %.4f, estate %.4f, ratio %.4f, recovery %.4f, economic loss %.4f",
		wantStep, rem, estate, ratio, r, econ)
	for p := range m.Paths {
		checkClose(t, fmt.Sprintf("p-short BacklogLost[%d]", p), res.Providers[1].BacklogLost[p], rem, 1e-9)
		checkClose(t, fmt.Sprintf("p-short EconomicLoss[%d]", p), res.Providers[1].EconomicLoss[p], econ, 1e-9)
		if res.Providers[0].BacklogLost[p] != 0 || res.Providers[0].EconomicLoss[p] != 0 {
			t.Fatalf("p-det path %d lost %v (economic %v); want 0", p, res.Providers[0].BacklogLost[p], res.Providers[0].EconomicLoss[p])
		}
		if t.Failed() {
			break
		}
	}
}

// TestIdiosyncraticRevenue reads next year's revenue off the funding
// rounds: with one step a year, a market closed in year 1 (a forced regime
// with round-rate multiplier 0) and λ = 1000 in year 2, a path raises
// N·R₁ in N ~ Poisson(1000) rounds (multiple 1, no size noise), and
// ln(R₁/R₀)/σ is the unit-variance shock, N(0, 1) or Student-t with ν
// degrees of freedom scaled by √((ν−2)/ν). Its whole distribution is
// checked with a KS test against gonum's distuv.StudentsT / Normal, and its
// variance against 1.
func TestIdiosyncraticRevenue(t *testing.T) {
	const r0, sigma, nu = 1.0, 0.3, 5.0
	n := paths(10000, 40000)
	tests := []struct {
		name string
		kind IdiosyncraticKind
		cdf  func(float64) float64
		kurt float64 // kurtosis of the shock, for the SE of its sample variance
	}{
		{"normal", Normal, distuv.UnitNormal.CDF, 3},
		// t_ν scaled to unit variance has kurtosis 3 + 6/(ν−4) = 9.
		{"student-t", StudentT, distuv.StudentsT{Mu: 0, Sigma: math.Sqrt((nu - 2) / nu), Nu: nu}.CDF, 3 + 6/(nu-4)},
	}
	for _, tc := range tests {
		m := &Model{
			Name: "idio-" + tc.name, Settings: Settings{Paths: n, Seed: 12}, HorizonYears: 2, StepsPerYear: 1,
			Funding: FundingMarket{
				Regimes: []FundingRegime{
					{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
					{Name: "closed", RoundRateMultiplier: 0, ValuationMultiplier: 1},
				},
				Shocks: []FundingShock{{Regime: 1, StartYears: 0, DurationYears: 1}, {Regime: 0, StartYears: 1, DurationYears: 1}},
			},
			Recovery: deterministicRecovery(),
			Customers: []Customer{{
				Name: "lab", Cash: 1e6, Revenue: r0, GrowthHalfLifeYears: 1, FixedCost: 1e4, // always burning
				IdioVolatility: sigma, IdioKind: tc.kind, IdioDoF: nu,
				Funding: CustomerFunding{RoundRate: 1000, UrgencyMultiplier: 1, RevenueMultiple: 1},
			}},
		}
		res := mustSimulate(t, m)
		z := make([]float64, n)
		for p, raised := range res.Customers[0].FundingRaised {
			k := res.Customers[0].Rounds[p]
			if k < 800 {
				t.Fatalf("%s: Rounds[%d] = %d; want about 1000", tc.name, p, k)
			}
			z[p] = math.Log(raised/float64(k)/r0) / sigma
		}
		_, variance := stat.MeanVariance(z, nil)
		checkSE(t, tc.name+" shock variance", variance, 1, math.Sqrt((tc.kurt-1)/float64(n)))
		sortFloats(z)
		if d, crit := ksDistance(z, tc.cdf), ksCritical(1e-4)/math.Sqrt(float64(n)); d > crit {
			t.Errorf("KS distance of %s revenue shocks = %.5f; want below %.5f", tc.name, d, crit)
		}
	}
}
