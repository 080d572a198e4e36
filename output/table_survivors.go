package output

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/backlogsim/backlogsim/sim"
)

// writeSurvivors writes the survivor ranking of s (best placed first by
// default probability) to tw: each firm's place by default probability
// and by ES 99% of economic loss over its liquidity at the start.
func writeSurvivors(tw io.Writer, s sim.Summary) {
	if len(s.Survivors) == 0 {
		return
	}
	width := utf8.RuneCountInString("survivor")
	for _, r := range s.Survivors {
		width = max(width, utf8.RuneCountInString(r.Name))
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "%-*s\trank P(default)\tP(default)\trank loss\tecon ES99\tliquidity\tES99/liquidity\t\n", width, "survivor")
	for _, r := range s.Survivors {
		ratio := "∞"
		if !r.NoLiquidity {
			ratio = withErr(r.LossToLiquidity, r.LossToLiquiditySE, 1, "")
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%d\t%s\t%s\t%s\t\n", width, r.Name, r.ByDefault,
			withErr(r.DefaultProbability.P, r.DefaultProbability.StdErr, 100, "%"), r.ByLoss,
			withErr(r.EconomicLossES99, r.EconomicLossES99SE, 1, ""), tableMoney(r.Liquidity), ratio)
	}
	fmt.Fprintln(tw, "Liquidity: cash + what the firm can borrow at once + its first year's equity allowance, at the start.")
}
