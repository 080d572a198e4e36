package output

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/backlogsim/backlogsim/mcstat"
)

// SERatio summarises how much common random numbers gained: the ratios
// paired/unpaired standard error over every difference of means and
// default probabilities with a positive unpaired standard error.
type SERatio struct {
	N                int
	Min, Median, Max float64
}

// StdErrRatios returns the SERatio of each case (not the base), in the
// order of c.Cases[1:].
func (c *Comparison) StdErrRatios() []SERatio {
	ratios := make([][]float64, len(c.Cases))
	add := func(i int, d mcstat.Difference) {
		if d.UnpairedStdErr > 0 && d.Correlation != nil {
			ratios[i] = append(ratios[i], d.PairedStdErr/d.UnpairedStdErr)
		}
	}
	for _, f := range append(slices.Clone(c.Providers), c.Suppliers...) {
		for i, fc := range f.Cases {
			if fc.Diff != nil {
				add(i, fc.Diff.BacklogLostMean)
				add(i, fc.Diff.EconomicLossMean)
				add(i, fc.Diff.DefaultProbability)
			}
		}
	}
	for _, cu := range c.Customers {
		for i, cc := range cu.Cases {
			if cc.Diff != nil {
				add(i, cc.Diff.DefaultProbability)
			}
		}
	}
	var out []SERatio
	for _, r := range ratios[1:] {
		s := SERatio{N: len(r)}
		if len(r) > 0 {
			slices.Sort(r)
			s.Min, s.Max = r[0], r[len(r)-1]
			s.Median = r[len(r)/2]
			if len(r)%2 == 0 {
				s.Median = (r[len(r)/2-1] + r[len(r)/2]) / 2
			}
		}
		out = append(out, s)
	}
	return out
}

// compareTableWidth is the widest line WriteCompareTable writes, in
// runes: a terminal of 120 columns shows every line whole.
const compareTableWidth = 120

// compareNameWidth is the widest case or entity name the table shows;
// longer names are cut with an ellipsis (compare.json and compare.csv keep
// them whole).
const compareNameWidth = 20

// WriteCompareTable writes c to w as plain-text tables for the terminal,
// no line wider than 120 columns: each entity on a line of its own, then
// a row per run. Firms: mean backlog lost, its ES 99%, mean economic loss
// and P(default); customers: P(default) and by year. Each case's row gives
// its value and, in a Δ column, the difference from the base ± one paired
// standard error. Money in USD billions with one decimal; differences of
// probabilities in percentage points.
func WriteCompareTable(w io.Writer, c *Comparison) error {
	var names []string
	for _, cs := range c.Cases {
		names = append(names, cs.Name)
	}
	writeWrapped(w, fmt.Sprintf("Comparison of %s with the base %s.", strings.Join(names[1:], ", "), c.Base))
	writeWrapped(w, fmt.Sprintf("Seed %d, %d paths, horizon %s years; every run on common random numbers.",
		c.Seed, c.Paths, strconv.FormatFloat(c.HorizonYears, 'g', -1, 64)))
	writeWrapped(w, fmt.Sprintf("Money in USD billions; pp = percentage points. Δ = case − base ± one paired standard error (ES: sectioning, %d batches).", c.TailBatches))
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 2, ' ', tabwriter.AlignRight)
	writeFirmTable(tw, "provider", c.Providers)
	writeFirmTable(tw, "supplier", c.Suppliers)
	writeCustomerTable(tw, c)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("output: writing comparison table: %w", err)
	}
	// Right alignment pads the name column on the left too; the padding
	// is the same on every line.
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		fmt.Fprintln(w, strings.TrimRight(strings.TrimPrefix(line, "  "), " "))
	}
	fmt.Fprintln(w)
	for _, u := range c.Unpaired {
		writeWrapped(w, fmt.Sprintf("Not compared: %s %s of %s, which the base lacks.", u.Kind, u.Name, u.Case))
	}
	for i, r := range c.StdErrRatios() {
		if r.N == 0 {
			continue
		}
		writeWrapped(w, fmt.Sprintf("Paired/unpaired standard error, %s: median %.2f (%.2f to %.2f over %d differences of means and probabilities).",
			c.Cases[i+1].Name, r.Median, r.Min, r.Max, r.N))
	}
	return nil
}

// writeFirmTable writes the rows of firms of one kind to tw.
func writeFirmTable(tw io.Writer, kind string, firms []FirmComparison) {
	if len(firms) == 0 {
		return
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "%s\tlost mean\tΔ\tlost ES99\tΔ\tecon mean\tΔ\tP(default)\tΔ pp\t\n", leftCell(kind+" / case", compareNameWidth+2))
	for _, f := range firms {
		fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t\t\t\n", leftCell(cutName(f.Name, compareNameWidth+2), compareNameWidth+2))
		for _, fc := range f.Cases {
			cells := []string{tableMoney(fc.BacklogLostMean.Value), "", tableMoney(fc.BacklogLostES.Value), "",
				tableMoney(fc.EconomicLossMean.Value), "", tablePercent(fc.DefaultProbability.Value), ""}
			if d := fc.Diff; d != nil {
				cells[1], cells[3] = tableDiff(d.BacklogLostMean, 1), tableDiff(d.BacklogLostES, 1)
				cells[5], cells[7] = tableDiff(d.EconomicLossMean, 1), tableDiff(d.DefaultProbability, 100)
			}
			fmt.Fprintf(tw, "%s\t%s\t\n", leftCell("  "+cutName(fc.Case, compareNameWidth), compareNameWidth+2), strings.Join(cells, "\t"))
		}
	}
}

// writeCustomerTable writes the customers' rows to tw, with as many years'
// columns as fit in compareTableWidth (every k-th year when they do not
// all fit; the last year always).
func writeCustomerTable(tw io.Writer, c *Comparison) {
	if len(c.Customers) == 0 {
		return
	}
	years := 0
	for _, cu := range c.Customers {
		for _, cc := range cu.Cases {
			years = max(years, len(cc.DefaultProbabilityByYear))
		}
	}
	// Name, P(default) and Δ take 22+2, 10+2 and 11+2 columns; each year
	// "by 10y" or "100.0%" and its gap 8.
	fit := max(1, (compareTableWidth-49)/8)
	step := (years + fit - 1) / max(fit, 1)
	var shown []int
	for y := years - 1; y >= 0; y -= max(step, 1) {
		shown = append([]int{y}, shown...)
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "%s\tP(default)\tΔ pp", leftCell("customer / case", compareNameWidth+2))
	for _, y := range shown {
		end := float64(y + 1)
		if y == years-1 {
			end = c.HorizonYears
		}
		fmt.Fprintf(tw, "\tby %sy", strconv.FormatFloat(end, 'g', 3, 64))
	}
	fmt.Fprint(tw, "\t\n")
	for _, cu := range c.Customers {
		fmt.Fprintf(tw, "%s\t\t%s\t\n", leftCell(cutName(cu.Name, compareNameWidth+2), compareNameWidth+2), strings.Repeat("\t", len(shown)))
		for _, cc := range cu.Cases {
			delta := ""
			if cc.Diff != nil {
				delta = tableDiff(cc.Diff.DefaultProbability, 100)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s", leftCell("  "+cutName(cc.Case, compareNameWidth), compareNameWidth+2), tablePercent(cc.DefaultProbability.Value), delta)
			for _, y := range shown {
				cell := ""
				if y < len(cc.DefaultProbabilityByYear) {
					cell = tablePercent(cc.DefaultProbabilityByYear[y].Value)
				}
				fmt.Fprintf(tw, "\t%s", cell)
			}
			fmt.Fprint(tw, "\t\n")
		}
	}
}

// tableDiff formats a difference times scale as "+1.2±0.3", one decimal.
func tableDiff(d mcstat.Difference, scale float64) string {
	s := tableMoney(scale * d.Diff)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s + "±" + tableMoney(scale*d.PairedStdErr)
}

// cutName returns name, or its first n−1 runes and an ellipsis if it is
// longer than n runes.
func cutName(name string, n int) string {
	if utf8.RuneCountInString(name) <= n {
		return name
	}
	return string([]rune(name)[:n-1]) + "…"
}

// leftCell pads s with spaces to width runes: a left-aligned cell in a
// right-aligned tabwriter.
func leftCell(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

// writeWrapped writes s to w as lines no wider than compareTableWidth,
// broken between words.
func writeWrapped(w io.Writer, s string) {
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > compareTableWidth {
			fmt.Fprintln(w, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	fmt.Fprintln(w, line)
}
