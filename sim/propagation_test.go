package sim

import (
	"math"
	"testing"
)

// networkModel is a one-path, one-year model of firms only (plus an idle
// lab the engine needs nothing from), with deterministic recovery at the
// floor 0.001 and margin 1, so that a payee's economic loss on a contract
// of remaining value V whose payer pays the share r is 0.999·(1 − r)·V.
// A firm with OperatingCashFlow −1 and no cash defaults in step 0.
func networkModel(firms []Firm, contracts []Contract) *Model {
	return &Model{
		Name: "network", Settings: Settings{Paths: 1, Seed: 1}, HorizonYears: 1, StepsPerYear: 12,
		Funding:   singleRegime(),
		Recovery:  RecoveryModel{Mean: 0, Concentration: math.Inf(1)},
		Customers: []Customer{{Name: "idle", Cash: 100, Revenue: 1, GrowthHalfLifeYears: 1}},
		Providers: firms,
		Contracts: contracts,
	}
}

func netFirm(name string, cash, ocf, debt, liquidation, backlog float64) Firm {
	return Firm{Name: name, Backlog: backlog, Cash: cash, OperatingCashFlow: ocf, Debt: debt,
		LiquidationValue: liquidation, Margin: 1, Pool: DiversifiedPool{DurationYears: 1}}
}

// TestEngineClearsCycleExactly is issue 11's first defect: two firms in
// default with no assets, each owing the other a contract of value 1 (and
// some debt outside), pay nothing, so each loses the whole contract; the
// old bounded iteration stopped near (0.27, 0.27).
func TestEngineClearsCycleExactly(t *testing.T) {
	m := networkModel(
		[]Firm{netFirm("a", 0, -1, 0.02, 0, 1), netFirm("b", 0, -1, 0.02, 0, 1)},
		[]Contract{{Name: "ab", Payer: 1, Payee: 2, Value: 1, TermYears: 1}, {Name: "ba", Payer: 2, Payee: 1, Value: 1, TermYears: 1}},
	)
	res := mustSimulate(t, m)
	for _, f := range res.Providers {
		if got, want := f.EconomicLoss[0], 0.999; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: economic loss = %.15g; want %v", f.Name, got, want)
		}
	}
}

// TestEngineEstateIncludesSolventClaims is issue 11's second defect: A
// (estate 2) owes C 10 and is owed 5 by B. A defaulter's estate includes
// what solvent firms owe it, so C loses 3 with B healthy and 5.5 when B
// defaults paying half: a debtor's debtor's default never lowers a
// creditor's loss.
func TestEngineEstateIncludesSolventClaims(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    Firm
		loss float64
	}{
		{"b healthy", netFirm("b", 100, 0, 0, 0, 0), 3},
		{"b defaults", netFirm("b", 0, -1, 0, 2.5, 0), 5.5},
	} {
		m := networkModel(
			[]Firm{netFirm("a", 0, -1, 0, 2, 5), tc.b, netFirm("c", 100, 0, 0, 0, 10)},
			[]Contract{{Name: "ac", Payer: 1, Payee: 3, Value: 10, TermYears: 1}, {Name: "ba", Payer: 2, Payee: 1, Value: 5, TermYears: 1}},
		)
		res := mustSimulate(t, m)
		if got, want := res.Providers[2].EconomicLoss[0], 0.999*tc.loss; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: C's economic loss = %.15g; want %.15g", tc.name, got, want)
		}
	}
}

// TestDefaultedFirmClosesBooks checks what happens after a firm defaults:
// its backlog lost goes on counting (the backlog's fate does not depend on
// who holds it), but its economic loss closed at its default. Firm a
// defaults in step 0 with a pool of 10 at annual default probability 1/2
// and correlation 0, so its pool loses exactly 10·(1 − 2^(−1/12)) in step
// 0, all of it economic loss at LGD 1; its payer b defaults in step 6,
// adding b's remaining 2.5 to a's backlog lost but nothing to its economic
// loss.
func TestDefaultedFirmClosesBooks(t *testing.T) {
	a := netFirm("a", 0, -1, 0, 0, 15)
	a.Pool = DiversifiedPool{AnnualDefaultProbability: 0.5, LossGivenDefault: 1, DurationYears: 1}
	b := netFirm("b", 0.5, -1, 0, 0, 0) // cash lasts six months
	m := networkModel([]Firm{a, b}, []Contract{{Name: "ba", Payer: 2, Payee: 1, Value: 5, TermYears: 1}})
	res := mustSimulate(t, m)
	if got := res.Providers[1].DefaultStep[0]; got != 6 {
		t.Fatalf("b's default step = %d; want 6", got)
	}
	want := 10 * -math.Expm1(math.Log(0.5)/12)
	if got := res.Providers[0].EconomicLoss[0]; math.Abs(got-want) > 1e-12 {
		t.Errorf("a's economic loss = %.15g; want %.15g (step 0's pool loss only)", got, want)
	}
	if got := res.Providers[0].BacklogLost[0]; !(got > want+2.5-1e-9) {
		t.Errorf("a's backlog lost = %.15g; want above %.15g (pool losses go on, plus b's 2.5)", got, want+2.5)
	}
}
