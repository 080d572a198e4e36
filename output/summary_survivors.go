package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// SurvivorEntry is one firm's place in the survivor ranking of a
// SummaryFile (see sim.RankSurvivors): best placed first.
type SurvivorEntry struct {
	Name string `json:"name"`
	// Kind is "provider" or "supplier".
	Kind                     string  `json:"kind"`
	DefaultProbability       float64 `json:"default_probability"`
	DefaultProbabilityStdErr float64 `json:"default_probability_stderr"`
	EconomicLossES99         float64 `json:"economic_loss_es99"`
	EconomicLossES99StdErr   float64 `json:"economic_loss_es99_stderr"`
	// Liquidity is what the firm can draw on at time zero: cash, headroom
	// and the first year's equity allowance (sim.Model.Liquidity).
	Liquidity float64 `json:"liquidity"`
	// LossToLiquidity is economic_loss_es99 / liquidity; null when the
	// firm has no liquidity and a loss (an infinite ratio).
	LossToLiquidity       *float64 `json:"loss_to_liquidity"`
	LossToLiquidityStdErr float64  `json:"loss_to_liquidity_stderr"`
	// RankByDefault and RankByLoss are the firm's places, 1 = best placed.
	RankByDefault int `json:"rank_by_default"`
	RankByLoss    int `json:"rank_by_loss"`
}

func newSurvivorEntries(rs []sim.SurvivorRank) []SurvivorEntry {
	var out []SurvivorEntry
	for _, r := range rs {
		kind := "provider"
		if r.Supplier {
			kind = "supplier"
		}
		e := SurvivorEntry{
			Name: r.Name, Kind: kind,
			DefaultProbability: r.DefaultProbability.P, DefaultProbabilityStdErr: r.DefaultProbability.StdErr,
			EconomicLossES99: r.EconomicLossES99, EconomicLossES99StdErr: r.EconomicLossES99SE,
			Liquidity: r.Liquidity, LossToLiquidityStdErr: r.LossToLiquiditySE,
			RankByDefault: r.ByDefault, RankByLoss: r.ByLoss,
		}
		if !r.NoLiquidity {
			e.LossToLiquidity = ptr(r.LossToLiquidity)
		}
		out = append(out, e)
	}
	return out
}

func checkSurvivors(c *finiteChecker, es []SurvivorEntry) {
	for k, e := range es {
		p := fmt.Sprintf("survivors[%d].", k)
		c.check(p+"default_probability", e.DefaultProbability)
		c.check(p+"default_probability_stderr", e.DefaultProbabilityStdErr)
		c.check(p+"economic_loss_es99", e.EconomicLossES99)
		c.check(p+"economic_loss_es99_stderr", e.EconomicLossES99StdErr)
		c.check(p+"liquidity", e.Liquidity)
		if e.LossToLiquidity != nil {
			c.check(p+"loss_to_liquidity", *e.LossToLiquidity)
		}
		c.check(p+"loss_to_liquidity_stderr", e.LossToLiquidityStdErr)
	}
}
