package sim

import (
	"math"
	"sort"

	"github.com/backlogsim/backlogsim/mcstat"
)

// Liquidity returns what firm f can draw on at time zero to absorb
// losses: its cash, what it can borrow at once (its headroom in the
// initial funding regime at the initial demand factor, with nothing yet
// lost) and its first year's equity allowance in that regime. It is the
// denominator of the survivor ranking's loss ratio: a measure of capacity
// that stays positive for firms whose free cash flow is negative.
func (m *Model) Liquidity(f Firm) float64 {
	fin := f.Financing
	cr := fin.Credit
	r := FundingRegime{}
	if len(m.Funding.Regimes) > 0 {
		r = m.Funding.Regimes[m.Funding.Initial]
	}
	limit := 0.0
	if cr.MaxLeverage > 0 {
		cut := r.CreditLimitCut * (1 - cr.CutExemption)
		limit = cr.MaxLeverage * math.Max(f.OperatingCashFlow+fin.DemandLoading*m.Demand.Initial, 0) * (1 - cut)
	}
	limit += cr.BacklogAdvance * f.Backlog
	headroom := 0.0
	if cr.MaxLeverage > 0 || cr.BacklogAdvance > 0 {
		headroom = math.Max(limit-f.Debt, 0)
	}
	return f.Cash + headroom + cr.EquityPerYear*(1-r.EquityMarketCut)
}

// SurvivorRank places one provider or supplier in the survivor ranking.
type SurvivorRank struct {
	Name     string
	Supplier bool
	// DefaultProbability is the firm's five-year (horizon) default
	// probability; EconomicLossES99 its ES 99% of economic loss.
	DefaultProbability mcstat.ProportionStats
	EconomicLossES99   float64
	EconomicLossES99SE float64
	// Liquidity is Model.Liquidity; LossToLiquidity is EconomicLossES99 /
	// Liquidity (with its standard error ES99SE / Liquidity). NoLiquidity
	// marks a firm with a loss and no liquidity, whose ratio is infinite:
	// its LossToLiquidity is 0 and it ranks after every finite ratio.
	Liquidity         float64
	LossToLiquidity   float64
	LossToLiquiditySE float64
	NoLiquidity       bool
	// ByDefault and ByLoss are the firm's places (1 = best placed) by
	// default probability and by LossToLiquidity, ties broken by the
	// other measure and then by name.
	ByDefault, ByLoss int
}

// es99 is the index of the 99% level in mcstat.TailLevels.
const es99 = 1

// RankSurvivors ranks providers and suppliers, best placed first, by
// default probability and by ES 99% of economic loss relative to
// Liquidity. The result is in the order of ByDefault.
func RankSurvivors(providers, suppliers []FirmSummary) []SurvivorRank {
	var out []SurvivorRank
	add := func(fs []FirmSummary, supplier bool) {
		for _, f := range fs {
			r := SurvivorRank{
				Name: f.Name, Supplier: supplier,
				DefaultProbability: f.DefaultProbability,
				EconomicLossES99:   f.EconomicLoss.ES[es99],
				EconomicLossES99SE: f.EconomicLoss.ESStdErr[es99],
				Liquidity:          f.Liquidity,
			}
			switch {
			case f.Liquidity > 0:
				r.LossToLiquidity = r.EconomicLossES99 / f.Liquidity
				r.LossToLiquiditySE = r.EconomicLossES99SE / f.Liquidity
			case r.EconomicLossES99 > 0:
				r.NoLiquidity = true
			}
			out = append(out, r)
		}
	}
	add(providers, false)
	add(suppliers, true)
	byLoss := func(a, b SurvivorRank) int {
		switch {
		case a.NoLiquidity != b.NoLiquidity:
			if a.NoLiquidity {
				return 1
			}
			return -1
		case a.LossToLiquidity < b.LossToLiquidity:
			return -1
		case a.LossToLiquidity > b.LossToLiquidity:
			return 1
		}
		return 0
	}
	byDefault := func(a, b SurvivorRank) int {
		switch {
		case a.DefaultProbability.P < b.DefaultProbability.P:
			return -1
		case a.DefaultProbability.P > b.DefaultProbability.P:
			return 1
		}
		return 0
	}
	order := func(first, second func(a, b SurvivorRank) int) {
		sort.SliceStable(out, func(i, j int) bool {
			if c := first(out[i], out[j]); c != 0 {
				return c < 0
			}
			if c := second(out[i], out[j]); c != 0 {
				return c < 0
			}
			return out[i].Name < out[j].Name
		})
	}
	order(byLoss, byDefault)
	for i := range out {
		out[i].ByLoss = i + 1
	}
	order(byDefault, byLoss)
	for i := range out {
		out[i].ByDefault = i + 1
	}
	return out
}
