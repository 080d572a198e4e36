package sim

import (
	"math"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

// TestLiquidity checks Model.Liquidity by hand: cash 10; an unsecured
// limit of 3 × (20 + 4·0.5) × (1 − 0.4·(1 − 0.5)) = 52.8 plus a secured
// limit of 0.1 × 100, less debt 50, is 12.8 of headroom; equity of 5 a
// year cut by 20% is 4: 26.8 in all.
func TestLiquidity(t *testing.T) {
	m := &Model{
		Funding: FundingMarket{Regimes: []FundingRegime{{Name: "a"}, {Name: "b", CreditLimitCut: 0.4, EquityMarketCut: 0.2}}, Initial: 1},
		Demand:  DemandFactor{Initial: 0.5},
	}
	f := Firm{Cash: 10, OperatingCashFlow: 20, Debt: 50, Backlog: 100, Financing: FirmFinancing{
		DemandLoading: 4,
		Credit:        CreditLine{MaxLeverage: 3, CutExemption: 0.5, BacklogAdvance: 0.1, EquityPerYear: 5},
	}}
	if got, want := m.Liquidity(f), 26.8; math.Abs(got-want) > 1e-12 {
		t.Errorf("Liquidity = %v; want %v", got, want)
	}
	// A firm that cannot borrow has its cash, whatever its debt.
	if got := m.Liquidity(Firm{Cash: 3, Debt: 9}); got != 3 {
		t.Errorf("Liquidity(no credit) = %v; want 3", got)
	}
}

// TestRankSurvivors checks the two orders, the tie-breaks and a firm with
// a loss and no liquidity (an infinite ratio, marked and placed last by
// loss).
func TestRankSurvivors(t *testing.T) {
	firm := func(name string, p, es, liq float64) FirmSummary {
		f := FirmSummary{Name: name, DefaultProbability: mcstat.ProportionStats{P: p}, Liquidity: liq}
		f.EconomicLoss.ES[es99] = es
		return f
	}
	got := RankSurvivors(
		[]FirmSummary{firm("a", 0.2, 10, 100), firm("b", 0, 50, 100), firm("c", 0, 5, 100)},
		[]FirmSummary{firm("d", 0.1, 1, 0)},
	)
	want := []struct {
		name              string
		byDefault, byLoss int
		ratio             float64
	}{
		{"c", 1, 1, 0.05}, {"b", 2, 3, 0.5}, {"d", 3, 4, 0}, {"a", 4, 2, 0.1},
	}
	if len(got) != len(want) {
		t.Fatalf("RankSurvivors gave %d firms; want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || g.ByDefault != w.byDefault || g.ByLoss != w.byLoss || g.LossToLiquidity != w.ratio {
			t.Errorf("RankSurvivors[%d] = %s (%d, %d, %v); want %s (%d, %d, %v)",
				i, g.Name, g.ByDefault, g.ByLoss, g.LossToLiquidity, w.name, w.byDefault, w.byLoss, w.ratio)
		}
	}
	if !got[2].NoLiquidity || got[1].NoLiquidity {
		t.Errorf("NoLiquidity = %v for d, %v for b; want true, false", got[2].NoLiquidity, got[1].NoLiquidity)
	}
	if !got[2].Supplier || got[0].Supplier {
		t.Errorf("supplier flags = %v, %v; want d a supplier, c not", got[2].Supplier, got[0].Supplier)
	}
}
