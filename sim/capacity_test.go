package sim

import (
	"context"
	"math"
	"testing"
)

// lastStep returns the last step of path 0's trace of m.
func lastStep(t *testing.T, m *Model) TraceStep {
	t.Helper()
	tr, err := TracePath(context.Background(), m, 0)
	if err != nil {
		t.Fatalf("TracePath(%s, 0) error: %v", m.Name, err)
	}
	return tr.Steps[len(tr.Steps)-1]
}

// TestCapexCutOffsetsLostContract checks the backlog-driven capex cut on a
// provider whose backlog is one contract of 1.2 over a year from a lab
// with cash 1.5, revenue 1 and fixed cost 13 a year: the lab is 1.1 short
// a month (0.1 of it the contract) and defaults in step 1, owing 1.1 with
// nothing left. With margin 1 and recovery 0.001 (the clamp of a mean of
// 0) the provider loses L = 1.1·0.999; with CapexBacklogShare 1 its capex
// from step 2 on is cut by the share lost, 1.1/1.2, so capex of
// C = 1.44·0.999 a year saves 10·(C/12)·(11/12) = L, exactly the loss: its
// buffer ends at 10 − C, as if the lab had paid.
func TestCapexCutOffsetsLostContract(t *testing.T) {
	const capex = 1.44 * 0.999
	for _, tc := range []struct {
		name     string
		labCash  float64
		wantLoss float64
	}{{"lab defaults", 1.5, 1.1 * 0.999}, {"lab pays", 100, 0}} {
		f := netFirm("f", 10, 0, 0, 0, 1.2)
		f.Financing = FirmFinancing{Capex: []float64{capex}, CapexBacklogShare: 1}
		m := networkModel([]Firm{f}, []Contract{{Name: "lab->f", Payer: 0, Payee: 1, Value: 1.2, TermYears: 1}})
		m.Customers[0] = Customer{Name: "lab", Cash: tc.labCash, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 13}
		last := lastStep(t, m)
		if got := last.Firms[0].EconomicLoss; math.Abs(got-tc.wantLoss) > 1e-12 {
			t.Errorf("%s: economic loss = %.15g; want %v", tc.name, got, tc.wantLoss)
		}
		if got, want := last.Firms[0].Buffer, 10-capex; math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: final buffer = %.15g; want %.15g", tc.name, got, want)
		}
	}
}

// TestBacklogAdvanceBinds checks the secured limit: financedFirm is 2
// short a month from step 5 (its cash of 10 is gone after step 4) and its
// original debt after step s is 20 − 0.5(s+1), so after borrowing its
// total debt is 10 + 1.5(s+1). Secured on a backlog of 72 (a contract over
// a year, whose run-off does not lower the limit) at an advance of 0.3,
// its limit is 21.6, first exceeded at s = 7. The regime's cut of
// unsecured credit does not move the secured limit. When the contract's
// payer (a lab with cash 1.5 and 1.1 of monthly shortfall plus 6 of
// monthly dues) defaults in step 0, the collateral is gone: the firm
// cannot borrow and defaults when its cash runs out, at s = 5.
func TestBacklogAdvanceBinds(t *testing.T) {
	build := func(labCash float64) *Model {
		f := financedFirm()
		f.Backlog = 72
		f.Margin = 0 // the lost contract costs no buffer, only collateral
		f.Financing.Credit = CreditLine{BacklogAdvance: 0.3}
		m := networkModel([]Firm{f}, []Contract{{Name: "lab->f", Payer: 0, Payee: 1, Value: 72, TermYears: 1}})
		m.Customers[0] = Customer{Name: "lab", Cash: labCash, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 13}
		return m
	}
	for _, cut := range []float64{0, 0.5} {
		m := build(1000)
		m.Funding.Regimes[0].CreditLimitCut = cut
		if got := defaultStepOf(t, m, 0); got != 7 {
			t.Errorf("credit limit cut %v: default step = %d; want 7", cut, got)
		}
	}
	res := mustSimulate(t, build(1.5))
	if got := res.Customers[0].DefaultStep[0]; got != 0 {
		t.Fatalf("lab default step = %d; want 0", got)
	}
	if got := res.Providers[0].DefaultStep[0]; got != 5 {
		t.Errorf("collateral lost: default step = %d; want 5", got)
	}
}

// TestEquityAndCapexDeferral checks the order in which financedFirm covers
// its shortfall of 2 a month from step 5: equity of 5 a year covers steps 5
// and 6 and half of step 7; the regime's equity-market cut of 0.5 leaves
// 2.5, step 5 and a quarter of step 6. Deferring all of its capex of 2.5 a month covers every
// shortfall: with equity of 5 first it defers 1 in step 7 and 2 in each of
// steps 8 to 11, 9 in all, and ends with a buffer of 0.
func TestEquityAndCapexDeferral(t *testing.T) {
	for _, tc := range []struct {
		name        string
		equity, cut float64
		defer_      float64
		want        int32
	}{
		{"equity", 5, 0, 0, 7},
		{"equity market cut", 5, 0.5, 0, 6},
		{"half the capex deferrable", 0, 0, 0.5, 5},
	} {
		f := financedFirm()
		f.Financing.Credit.EquityPerYear = tc.equity
		f.Financing.CapexDeferrableShare = tc.defer_
		m := networkModel([]Firm{f}, nil)
		m.Funding.Regimes[0].EquityMarketCut = tc.cut
		if got := defaultStepOf(t, m, 0); got != tc.want {
			t.Errorf("%s: default step = %d; want %d", tc.name, got, tc.want)
		}
	}
	f := financedFirm()
	f.Financing.Credit.EquityPerYear = 5
	f.Financing.CapexDeferrableShare = 1
	last := lastStep(t, networkModel([]Firm{f}, nil))
	got := last.Firms[0]
	if got.Defaulted || math.Abs(got.EquityIssued-5) > 1e-12 || math.Abs(got.CapexDeferred-9) > 1e-12 || math.Abs(got.Buffer) > 1e-12 {
		t.Errorf("equity then deferral: final state %+v; want no default, equity 5, capex deferred 9, buffer 0", got)
	}
}

// TestCutExemption checks the regime's cut of the unsecured limit less the
// firm's exemption: financedFirm with max leverage 2 (limit 24) in a
// regime that cuts limits by half. Its total debt after borrowing in step
// s is 10 + 1.5(s+1); exempt from three quarters of the cut its limit is
// 24·(1 − 0.125) = 21, first exceeded at s = 7; fully exempt, 24, at s = 9.
func TestCutExemption(t *testing.T) {
	for _, tc := range []struct {
		exemption float64
		want      int32
	}{{0, 5}, {0.75, 7}, {1, 9}} {
		f := financedFirm()
		f.Financing.Credit = CreditLine{MaxLeverage: 2, CutExemption: tc.exemption}
		m := networkModel([]Firm{f}, nil)
		m.Funding.Regimes[0].CreditLimitCut = 0.5
		if got := defaultStepOf(t, m, 0); got != tc.want {
			t.Errorf("exemption %v: default step = %d; want %d", tc.exemption, got, tc.want)
		}
	}
}
