package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// financedFirm has cash 10, operating cash flow 12 a year, committed capex
// of 30 in year 0 and 6 of its debt of 20 maturing in year 0: with monthly
// steps it is 2 short each month before interest.
func financedFirm() Firm {
	f := netFirm("f", 10, 12, 20, 0, 0)
	f.Financing = FirmFinancing{Capex: []float64{30}, Maturities: []float64{6}}
	return f
}

func defaultStepOf(t *testing.T, m *Model, firm int) int32 {
	t.Helper()
	return mustSimulate(t, m).Providers[firm].DefaultStep[0]
}

// TestFinancingDefaultStep checks the default step of a firm that pays
// capex, interest and maturities against hand computations.
func TestFinancingDefaultStep(t *testing.T) {
	// Interest 10% on the original debt outstanding, which falls by 0.5 a
	// month: after step s the buffer is
	//   10 − 2(s+1) − Σ_{k<=s} (20 − 0.5k)·0.1/12,
	// first negative at s = 4 (10 − 10 − 0.8083 < 0; s = 3: 2 − 0.6542).
	f := financedFirm()
	f.Financing.InterestRate = 0.1
	if got := defaultStepOf(t, networkModel([]Firm{f}, nil), 0); got != 4 {
		t.Errorf("with interest: default step = %d; want 4", got)
	}
	// No interest; the firm borrows up to 2 × 12 = 24 of total debt. Its
	// original debt after step s is 20 − 0.5(s+1), so it can borrow
	// 4 + 0.5(s+1) and needs 2(s+1) − 10: it defaults when
	// 1.5(s+1) > 14, at s = 9.
	f = financedFirm()
	f.Financing.Credit = CreditLine{MaxLeverage: 2}
	m := networkModel([]Firm{f}, nil)
	if got := defaultStepOf(t, m, 0); got != 9 {
		t.Errorf("with a credit line: default step = %d; want 9", got)
	}
	// A regime that halves the limit to 12 leaves no headroom before the
	// original debt falls below 12, after the cash runs out at s = 5.
	m.Funding.Regimes[0].CreditLimitCut = 0.5
	if got := defaultStepOf(t, m, 0); got != 5 {
		t.Errorf("with the limit cut by half: default step = %d; want 5", got)
	}
}

// TestFinancingDemandLoading checks that the operating cash flow moves with
// a constant demand factor: cash 1, cash flow −10·0.5 = −5 a year, so the
// buffer 1 − 5(s+1)/12 is first negative at s = 2.
func TestFinancingDemandLoading(t *testing.T) {
	f := netFirm("f", 1, 0, 0, 0, 0)
	f.Financing.DemandLoading = -10
	m := networkModel([]Firm{f}, nil)
	m.Demand = DemandFactor{Initial: 0.5}
	if got := defaultStepOf(t, m, 0); got != 2 {
		t.Errorf("default step = %d; want 2", got)
	}
}

// TestPoolFeelsStress checks the pool's regime and demand loadings with
// correlation 0, where the pool's loss is deterministic: annual default
// probability 0.1 at sensitivity 1 in a regime with round-rate multiplier
// 0.4 is 0.25; with demand 0.2 and loading 1 the step's default share is
// q = Φ(Φ⁻¹(1 − 0.75^(1/12)) − 0.2), and over a one-year run-off the pool
// balance before step s is 10·(1−q)^s·(12−s)/12.
func TestPoolFeelsStress(t *testing.T) {
	f := netFirm("f", 100, 0, 0, 0, 10)
	f.Pool = DiversifiedPool{AnnualDefaultProbability: 0.1, LossGivenDefault: 1, DurationYears: 1,
		FundingSensitivity: 1, DemandLoading: 1}
	m := networkModel([]Firm{f}, nil)
	m.Funding.Regimes[0].RoundRateMultiplier = 0.4
	m.Demand = DemandFactor{Initial: 0.2}
	q := distuv.UnitNormal.CDF(distuv.UnitNormal.Quantile(-math.Expm1(math.Log(0.75)/12)) - 0.2)
	want := 0.0
	for s := range 12 {
		want += q * 10 * math.Pow(1-q, float64(s)) * float64(12-s) / 12
	}
	if got := mustSimulate(t, m).Providers[0].BacklogLost[0]; math.Abs(got-want) > 1e-9 {
		t.Errorf("pool loss = %.12g; want %.12g", got, want)
	}
}

// TestStakeLoss checks what a holder loses when a lab defaults: a lab with
// run-rate 1, fixed cost 13 a year and cash 1 loses 1 a month and
// defaults in step 1; a stake of value 3 with a 20% revenue share to 0.75
// years costs 3 + 0.2·1·(0.75 − 1/12); a cap of 0.1 leaves 0.1 − 0.2/12
// of the share after step 0's payment.
func TestStakeLoss(t *testing.T) {
	for _, tc := range []struct{ cap, want float64 }{
		{0, 3 + 0.2*(0.75-1.0/12)},
		{0.1, 3 + 0.1 - 0.2/12},
	} {
		m := networkModel([]Firm{netFirm("h", 100, 0, 0, 0, 0)}, nil)
		m.Customers[0] = Customer{Name: "lab", Cash: 1, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 13}
		m.Stakes = []Stake{{Holder: 1, Lab: 0, Value: 3, RevenueShare: 0.2, RevenueShareEndYears: 0.75, RevenueShareCap: tc.cap}}
		res := mustSimulate(t, m)
		if got := res.Customers[0].DefaultStep[0]; got != 1 {
			t.Fatalf("lab default step = %d; want 1", got)
		}
		if got := res.Providers[0].EconomicLoss[0]; math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("cap %v: holder's economic loss = %.15g; want %.15g", tc.cap, got, tc.want)
		}
	}
}

// TestFinancingCashFlowGrowth checks a growing outflow against the
// geometric sum: cash 0.5 and operating cash flow −e^{(ln 2)·t} a year, so
// the buffer after step s is 0.5 − (r^{s+1} − 1)/(12(r − 1)) with
// r = 2^{1/12}.
func TestFinancingCashFlowGrowth(t *testing.T) {
	f := netFirm("f", 0.5, -1, 0, 0, 0)
	f.Financing.OperatingCashFlowGrowth = math.Ln2
	r := math.Pow(2, 1.0/12)
	want := int32(-1)
	for s := range 12 {
		if 0.5-(math.Pow(r, float64(s+1))-1)/(12*(r-1)) < 0 {
			want = int32(s)
			break
		}
	}
	if got := defaultStepOf(t, networkModel([]Firm{f}, nil), 0); got != want || want < 0 {
		t.Errorf("default step = %d; want %d", got, want)
	}
}
