package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// Findings returns the few sentences the report opens with, each with its
// numbers and standard errors, computed from the summary alone: who is
// most exposed, how likely a default is, through whom the tail loss comes
// and what the worst 1% of paths looks like.
func Findings(sum sim.Summary) []string {
	k := tailIndex()
	var out []string
	firms := append(append([]sim.FirmSummary{}, sum.Providers...), sum.Suppliers...)
	top := -1
	for i, f := range firms {
		if top < 0 || f.BacklogLost.ES[k] > firms[top].BacklogLost.ES[k] {
			top = i
		}
	}
	if top >= 0 && firms[top].BacklogLost.ES[k] > 0 {
		f := firms[top]
		s := fmt.Sprintf("Most exposed: %s. In the worst 1%% of paths it loses %s bn of backlog on average (ES 99%%, ± %s), %s of its %s bn backlog; over all paths the mean is %s bn (± %s).",
			f.Name, fmtNum(f.BacklogLost.ES[k]), fmtNum(f.BacklogLost.ESStdErr[k]), fmtPct(safeRatio(f.BacklogLost.ES[k], f.Backlog)),
			fmtNum(f.Backlog), fmtNum(f.BacklogLost.Mean), fmtNum(f.BacklogLost.MeanStdErr))
		out = append(out, s)
		if src, share := tailSource(f); src != "" {
			out = append(out, fmt.Sprintf("Through whom: %s causes %s of %s's backlog lost in its worst 1%% of paths.", src, fmtPct(share), f.Name))
		}
	}
	if lab, p := riskiestLab(sum.Customers); lab != "" {
		out = append(out, fmt.Sprintf("How likely: %s defaults within %s years on %s of paths (± %s), the most likely of the labs.",
			lab, fmtShort(sum.HorizonYears), fmtPct(p.P), fmtPct(p.StdErr)))
	}
	if f, p := riskiestFirm(firms); f != "" && p.P > 0 {
		out = append(out, fmt.Sprintf("Contagion: %s, the provider or supplier most likely to fail, defaults on %s of paths (± %s).", f, fmtPct(p.P), fmtPct(p.StdErr)))
	}
	if sys := sum.System; sys != nil && sys.BacklogLost.ES[k] > 0 {
		out = append(out, fmt.Sprintf("The worst 1%%: across all providers and suppliers, %s bn of backlog is lost on average in the worst 1%% of paths (ES 99%%, ± %s); the mean over all paths is %s bn.",
			fmtNum(sys.BacklogLost.ES[k]), fmtNum(sys.BacklogLost.ESStdErr[k]), fmtNum(sys.BacklogLost.Mean)))
	}
	return out
}

func safeRatio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// tailSource returns the source of most of f's backlog lost in its worst
// 1% of paths, other than the diversified pool when a counterparty causes
// any, and its share of the tail total.
func tailSource(f sim.FirmSummary) (string, float64) {
	total, best, name := 0.0, 0.0, ""
	for _, s := range f.LostBy {
		total += s.TailMean
		if s.Name != sim.PoolSource && s.TailMean > best {
			best, name = s.TailMean, s.Name
		}
	}
	if total <= 0 || name == "" {
		return "", 0
	}
	return name, best / total
}

func riskiestLab(cs []sim.CustomerSummary) (string, mcstat.ProportionStats) {
	var name string
	var p mcstat.ProportionStats
	for _, c := range cs {
		if name == "" || c.DefaultProbability.P > p.P {
			name, p = c.Name, c.DefaultProbability
		}
	}
	return name, p
}

func riskiestFirm(fs []sim.FirmSummary) (string, mcstat.ProportionStats) {
	var name string
	var p mcstat.ProportionStats
	for _, f := range fs {
		if name == "" || f.DefaultProbability.P > p.P {
			name, p = f.Name, f.DefaultProbability
		}
	}
	return name, p
}
