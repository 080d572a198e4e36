package output

import (
	"strconv"

	"github.com/backlogsim/backlogsim/sim"
)

// survivorRow is one line of the report's survivor ranking, formatted.
type survivorRow struct {
	Name, Kind, RankDefault, PDefault string
	RankLoss, EconES99, Liquidity     string
	Ratio                             string
}

func survivorRows(rs []sim.SurvivorRank) []survivorRow {
	var out []survivorRow
	for _, r := range rs {
		kind := "provider"
		if r.Supplier {
			kind = "supplier"
		}
		ratio := "∞"
		if !r.NoLiquidity {
			ratio = pm(r.LossToLiquidity, r.LossToLiquiditySE)
		}
		out = append(out, survivorRow{
			Name: r.Name, Kind: kind,
			RankDefault: strconv.Itoa(r.ByDefault), PDefault: pmPct(r.DefaultProbability),
			RankLoss: strconv.Itoa(r.ByLoss), EconES99: pm(r.EconomicLossES99, r.EconomicLossES99SE),
			Liquidity: fmtShort(r.Liquidity), Ratio: ratio,
		})
	}
	return out
}
