package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// tableLevel is the tail level of the VaR and ES columns of WriteTable.
const tableLevel = 0.99

// WriteTable writes a plain-text table of s to w for the terminal: a header
// line with the scenario, seed, paths and horizon, then one row per
// provider, one per supplier and one per customer.
//
// Firm rows give the backlog, the mean backlog lost with its standard
// error, the 99% VaR and ES of backlog lost (ES with its standard error),
// the mean and 99% ES of the economic loss, the probability of losing any
// backlog and the default probability. Customer rows give the default
// probability within the horizon and by the end of each year, the mean
// funding raised and the probability of at least one funding round. The
// survivor ranking follows (see sim.RankSurvivors). Money
// is in USD billions with one decimal; ± is one Monte Carlo standard error.
func WriteTable(w io.Writer, s sim.Summary) error {
	// Numbers are right-aligned; names are padded to a common width by
	// hand so that they stay left-aligned. Every cell, the last included,
	// ends in a tab so that all columns are aligned.
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Scenario %s: seed %d, %d paths, horizon %s years (%d steps/year)\n",
		s.Scenario, s.Seed, s.Paths, strconv.FormatFloat(s.HorizonYears, 'g', -1, 64), s.StepsPerYear)
	fmt.Fprintln(tw, "Money in USD billions; ± is one Monte Carlo standard error.")

	k := levelIndex(tableLevel)
	for _, kind := range []struct {
		name  string
		firms []sim.FirmSummary
	}{{"provider", s.Providers}, {"supplier", s.Suppliers}} {
		if len(kind.firms) == 0 {
			continue
		}
		width := utf8.RuneCountInString(kind.name)
		for _, f := range kind.firms {
			width = max(width, utf8.RuneCountInString(f.Name))
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "%-*s\tbacklog\tlost mean\tlost VaR99\tlost ES99\tecon mean\tecon ES99\treneg mean\tP(dflt loss)\tP(default)\t\n", width, kind.name)
		for _, f := range kind.firms {
			fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
				width, f.Name, tableMoney(f.Backlog),
				withErr(f.BacklogLost.Mean, f.BacklogLost.MeanStdErr, 1, ""),
				tableMoney(f.BacklogLost.VaR[k]),
				withErr(f.BacklogLost.ES[k], f.BacklogLost.ESStdErr[k], 1, ""),
				tableMoney(f.EconomicLoss.Mean), tableMoney(f.EconomicLoss.ES[k]),
				tableMoney(f.BacklogRenegotiated.Mean),
				tablePercent(f.LossFromDefaultProbability.P),
				withErr(f.DefaultProbability.P, f.DefaultProbability.StdErr, 100, "%"))
		}
	}

	if len(s.Customers) > 0 {
		years, width := 0, utf8.RuneCountInString("customer")
		for _, c := range s.Customers {
			years = max(years, len(c.DefaultProbabilityByYear))
			width = max(width, utf8.RuneCountInString(c.Name))
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "%-*s\tP(default)", width, "customer")
		for y := range years {
			end := float64(y + 1)
			if y == years-1 {
				end = s.HorizonYears // the last year may be partial
			}
			fmt.Fprintf(tw, "\tby %sy", strconv.FormatFloat(end, 'g', -1, 64))
		}
		fmt.Fprint(tw, "\tfunding mean\tP(any round)\ttranches mean\t\n")
		for _, c := range s.Customers {
			fmt.Fprintf(tw, "%-*s\t%s", width, c.Name, withErr(c.DefaultProbability.P, c.DefaultProbability.StdErr, 100, "%"))
			for y := range years {
				cell := ""
				if y < len(c.DefaultProbabilityByYear) {
					cell = tablePercent(c.DefaultProbabilityByYear[y].P)
				}
				fmt.Fprintf(tw, "\t%s", cell)
			}
			fmt.Fprintf(tw, "\t%s\t%s\t%s\t\n", tableMoney(c.FundingRaised.Mean), tablePercent(c.ProbabilityAnyRound.P), tableMoney(c.TranchesPaid.Mean))
		}
	}
	writeSurvivors(tw, s)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("output: writing table: %w", err)
	}
	return nil
}

// levelIndex returns the index of q in mcstat.TailLevels, or of the nearest
// level if q is not one of them.
func levelIndex(q float64) int {
	levels := mcstat.TailLevels()
	best := 0
	for k, l := range levels {
		if math.Abs(l-q) < math.Abs(levels[best]-q) {
			best = k
		}
	}
	return best
}

// tableMoney formats an amount in USD billions with one decimal.
func tableMoney(v float64) string { return trimNegZero(fmt.Sprintf("%.1f", v)) }

// tablePercent formats a probability as a percentage with one decimal.
func tablePercent(p float64) string { return trimNegZero(fmt.Sprintf("%.1f", 100*p)) + "%" }

// withErr formats v ± se, both multiplied by scale and followed by unit,
// with enough decimals (one to three) to show two significant digits of
// the standard error.
func withErr(v, se, scale float64, unit string) string {
	v, se = v*scale, se*scale
	decimals := 1
	if se > 0 {
		decimals = min(max(1-int(math.Floor(math.Log10(se))), 1), 3)
	}
	f := func(x float64) string { return trimNegZero(strconv.FormatFloat(x, 'f', decimals, 64)) + unit }
	return f(v) + " ± " + f(se)
}

// trimNegZero turns "-0.0" (a tiny negative number rounded) into "0.0".
func trimNegZero(s string) string {
	if t, ok := strings.CutPrefix(s, "-"); ok && strings.Trim(t, "0.") == "" {
		return t
	}
	return s
}
