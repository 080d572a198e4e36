package sim

import (
	"math"
	"strings"
	"testing"
)

// distressLab is a lab with no revenue net of variable cost, no rounds and
// no noise: its cash moves by hand-computable amounts.
func distressLab(cash, fixed float64, d Distress) Customer {
	return Customer{Name: "lab", Cash: cash, Revenue: 1.2, VariableCostShare: 1, GrowthHalfLifeYears: 1,
		FixedCost: fixed, Distress: d}
}

// TestDistressCostCut: burning 12 a year (1 a month) from cash 10, the lab
// without distress defaults in step 10 (10 − 11 < 0). With distress below
// a year of runway and a cost cut of half, cash after step 0 is 9 < 12, so
// from step 1 it burns 0.5 a month (judged on the uncut burn, it stays in
// distress): cash after step s >= 1 is 9 − 0.5·s, negative first at
// s = 19.
func TestDistressCostCut(t *testing.T) {
	for _, tc := range []struct {
		d    Distress
		want int32
	}{
		{Distress{}, 10},
		{Distress{RunwayYears: 1, CostCut: 0.5}, 19},
		// Below two months of runway only: distress from step 8 (cash 2 <
		// 2·1 is false, 1 < 2 true after step 8), then 1 − 0.5·(s−8) < 0
		// first at s = 11.
		{Distress{RunwayYears: 2.0 / 12, CostCut: 0.5}, 11},
	} {
		m := &Model{
			Name: "cut", Settings: Settings{Paths: 10, Seed: 1}, HorizonYears: 3, StepsPerYear: 12,
			Funding: singleRegime(), Recovery: deterministicRecovery(),
			Customers: []Customer{distressLab(10, 12, tc.d)},
		}
		res := mustSimulate(t, m)
		for p, st := range res.Customers[0].DefaultStep {
			if st != tc.want {
				t.Fatalf("%+v: path %d defaults at step %d; want %d", tc.d, p, st, tc.want)
			}
		}
	}
}

// TestRenegotiation: the lab pays a flat contract of 12 over a year (1 a
// month) from cash 5.25 and has no other costs. After step 0 its cash is
// 4.25, below a year of its burn of 12, so it enters distress and cuts by
// half the 11 still to come: the cloud books 5.5 renegotiated, and the lab
// pays 0.5 a month from step 1: cash 4.25 − 0.5·s, negative first at step
// 9, when 0.5·3 = 1.5 remains: backlog lost 1.5. Its estate is its cash
// before the step's due, 0.25, plus 0.5 × its run-rate 1.2: 0.85, so the
// cloud recovers 0.85/1.5 of the claim. Economic loss, margin 0.2 plus
// stranded 0.3, recovery 0.4: 0.5·0.6·(5.5 + 1.5·(1 − 0.85/1.5)).
func TestRenegotiation(t *testing.T) {
	lab := distressLab(5.25, 0, Distress{RunwayYears: 1, Haircut: 0.5})
	lab.LiquidationRevenueMultiple = 0.5
	m := &Model{
		Name: "reneg", Settings: Settings{Paths: 10, Seed: 1}, HorizonYears: 2, StepsPerYear: 12,
		Funding: singleRegime(), Recovery: deterministicRecovery(),
		Customers: []Customer{lab},
		Providers: []Firm{{Name: "cloud", Backlog: 12, Cash: 100, Margin: 0.2, StrandedShare: 0.3,
			Pool: DiversifiedPool{DurationYears: 1}}},
		Contracts: []Contract{{Name: "c", Payer: 0, Payee: 1, Value: 12, TermYears: 1}},
	}
	res := mustSimulate(t, m)
	fr := res.Providers[0]
	wantEcon := 0.5 * 0.6 * (5.5 + 1.5*(1-0.85/1.5))
	for p := range m.Paths {
		if st := res.Customers[0].DefaultStep[p]; st != 9 {
			t.Fatalf("path %d: default at step %d; want 9", p, st)
		}
		checkClose(t, "backlog renegotiated", fr.BacklogRenegotiated[p], 5.5, 1e-12)
		checkClose(t, "backlog lost", fr.BacklogLost[p], 1.5, 1e-12)
		checkClose(t, "economic loss", fr.EconomicLoss[p], wantEcon, 1e-12)
	}
	s := res.Summary.Providers[0]
	checkClose(t, "mean backlog renegotiated", s.BacklogRenegotiated.Mean, 5.5, 1e-12)
}

// TestDeferral: the lab of TestRenegotiation, whose distress defers its
// contract by half a year instead of cutting it. After step 0 (cash 4.25)
// the 11 payments still to come are pushed out 6 steps: steps 1-6 pay
// nothing and steps 7-17 pay 1 each, so cash is 4.25 − (s − 6) after step
// s >= 7, negative first at step 11, when the original steps 5-11 remain:
// backlog lost 7 and nothing renegotiated. The estate is the cash before
// the step's due, 0.25 (no revenue multiple), so the economic loss is
// 0.5·0.6·(7 − 0.25). Without distress the lab defaults at step 5 (5.25 −
// 6 < 0) with 7 still to pay as well: the deferral buys six months.
func TestDeferral(t *testing.T) {
	for _, tc := range []struct {
		d    Distress
		want int32
	}{
		{Distress{RunwayYears: 1, DeferralYears: 0.5}, 11},
		{Distress{}, 5},
	} {
		m := &Model{
			Name: "defer", Settings: Settings{Paths: 10, Seed: 1}, HorizonYears: 2, StepsPerYear: 12,
			Funding: singleRegime(), Recovery: deterministicRecovery(),
			Customers: []Customer{distressLab(5.25, 0, tc.d)},
			Providers: []Firm{{Name: "cloud", Backlog: 12, Cash: 100, Margin: 0.2, StrandedShare: 0.3,
				Pool: DiversifiedPool{DurationYears: 1}}},
			Contracts: []Contract{{Name: "c", Payer: 0, Payee: 1, Value: 12, TermYears: 1}},
		}
		res := mustSimulate(t, m)
		fr := res.Providers[0]
		for p := range m.Paths {
			if st := res.Customers[0].DefaultStep[p]; st != tc.want {
				t.Fatalf("%+v: path %d defaults at step %d; want %d", tc.d, p, st, tc.want)
			}
			checkClose(t, "backlog renegotiated", fr.BacklogRenegotiated[p], 0, 0)
			checkClose(t, "backlog lost", fr.BacklogLost[p], 7, 1e-12)
			checkClose(t, "economic loss", fr.EconomicLoss[p], 0.5*0.6*(7-0.25), 1e-12)
		}
	}
}

// TestTranches: burning 1 a month from cash 3.5 the lab defaults at step 3
// (3.5 − 4 < 0). A tranche of 6 paid in step 3 carries it to step 9
// (3.5 − 4 + 6 − (s − 3) < 0 first at s = 9). The tranche is due at t =
// 0.25 (step 3) from a solvent investor; variations: the investor has
// defaulted (not paid), the market must be "closed" (not paid), revenue
// must be twice the plan (not paid), a window from t = 0 to 1 that opens
// only when a shock lifts the market from "closed" to "open" at t = 0.25
// (paid in step 3), and the same window with the market closed until 0.5
// (lost: the lab defaults in step 3 first). The investor in the model
// loses what it has paid when the lab defaults: economic loss 6 where the
// tranche was paid, none from an outside investor or when unpaid.
func TestTranches(t *testing.T) {
	type variant struct {
		name     string
		tranche  Tranche
		shockTo  float64 // the market is forced "closed" on [0, shockTo)
		badCloud bool
		want     int32
		paid     float64
		loss     float64 // the investor's economic loss
	}
	base := Tranche{Name: "t", Customer: 0, Investor: 1, Amount: 6, StartYears: 0.25}
	with := func(f func(*Tranche)) Tranche { tr := base; f(&tr); return tr }
	for _, v := range []variant{
		{"scheduled", base, 0, false, 9, 6, 6},
		{"outside investor", with(func(t *Tranche) { t.Investor = -1 }), 0, false, 9, 6, 0},
		{"investor in default", base, 0, true, 3, 0, 0},
		{"regime not allowed", with(func(t *Tranche) { t.Regimes = []int{1} }), 0, false, 3, 0, 0},
		{"below plan", with(func(t *Tranche) { t.MinPerformance = 2 }), 0, false, 3, 0, 0},
		{"window opens", with(func(t *Tranche) { t.StartYears, t.ExpiryYears, t.Regimes = 0, 1, []int{0} }), 0.25, false, 9, 6, 6},
		{"window opens too late", with(func(t *Tranche) { t.StartYears, t.ExpiryYears, t.Regimes = 0, 1, []int{0} }), 0.5, false, 3, 0, 0},
	} {
		t.Run(v.name, func(t *testing.T) {
			cloud := Firm{Name: "investor", Cash: 100, Pool: DiversifiedPool{DurationYears: 1}}
			if v.badCloud {
				cloud.OperatingCashFlow = -1e4 // defaults in step 0
			}
			fm := FundingMarket{Regimes: []FundingRegime{
				{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
				{Name: "closed", RoundRateMultiplier: 0, ValuationMultiplier: 1},
			}}
			if v.shockTo > 0 {
				fm.Shocks = []FundingShock{{Regime: 1, StartYears: 0, DurationYears: v.shockTo}, {Regime: 0, StartYears: v.shockTo, DurationYears: 3}}
			}
			m := &Model{
				Name: "tranche", Settings: Settings{Paths: 10, Seed: 1}, HorizonYears: 2, StepsPerYear: 12,
				Funding: fm, Recovery: deterministicRecovery(),
				Customers: []Customer{distressLab(3.5, 12, Distress{})},
				Providers: []Firm{cloud},
				Tranches:  []Tranche{v.tranche},
			}
			res := mustSimulate(t, m)
			c := res.Customers[0]
			for p := range m.Paths {
				if c.DefaultStep[p] != v.want || c.TranchesPaid[p] != v.paid {
					t.Fatalf("path %d: default at step %d with %v paid; want step %d, %v", p, c.DefaultStep[p], c.TranchesPaid[p], v.want, v.paid)
				}
				if got := res.Providers[0].EconomicLoss[p]; !v.badCloud && got != v.loss {
					t.Fatalf("path %d: investor's economic loss %v; want %v", p, got, v.loss)
				}
			}
		})
	}
}

// TestTrancheValidate: a tranche to a firm or from a customer is rejected.
func TestTrancheValidate(t *testing.T) {
	m := &Model{
		Name: "v", Settings: Settings{Paths: 1}, HorizonYears: 1, StepsPerYear: 12,
		Funding: singleRegime(), Recovery: deterministicRecovery(),
		Customers: []Customer{distressLab(1, 1, Distress{RunwayYears: -1})},
		Providers: []Firm{{Name: "f", Pool: DiversifiedPool{DurationYears: 1}}},
		Tranches:  []Tranche{{Name: "x", Customer: 1, Investor: 0, Amount: math.NaN()}},
	}
	err := m.Validate()
	if err == nil {
		t.Fatal("Validate() = nil; want errors for the distress runway and the tranche")
	}
	for _, want := range []string{"customers.lab.distress.runway_years: must be in [0, 100]", "must go to a customer", "investor must be", "tranches[0].amount: must be a finite number"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q; want it to mention %q", err, want)
		}
	}
}
