package output

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/mcstat"
)

// The difference charts of a comparison: each case's difference from the
// base with its paired error bar, one panel per statistic, one row per
// entity (a forest plot). They show what compare exists to measure.

// diffErrorMultiple is the half-width of a difference's error bar in paired
// standard errors: ±2 is about a 95% interval.
const diffErrorMultiple = 2

// diffRow is one entity of a difference panel: its name and its difference
// from the base in each case (Comparison.Cases[1:], in order).
type diffRow struct {
	name  string
	diffs []mcstat.Difference
}

// diffPoints are a panel's points with their error bars: the plotter.XYer
// and plotter.XErrorer of plotter.NewXErrorBars.
type diffPoints struct {
	plotter.XYs
	plotter.XErrors
}

// diffPanel returns a forest plot of rows: for each entity (the first at
// the top) a point per case at its difference times scale, with a bar of
// ±diffErrorMultiple paired standard errors, and a vertical line at zero.
// Points more than diffErrorMultiple standard errors from zero are filled,
// the others hollow. It also returns one filled glyph per case for the
// legend.
func diffPanel(title, xlabel string, rows []diffRow, cases int, scale float64) (*plot.Plot, []plot.Thumbnailer, error) {
	p := newPanel(title, xlabel, "", true)
	n := len(rows)
	names := make([]string, n)
	lo, hi := 0.0, 0.0
	var thumbs []plot.Thumbnailer
	for i := range cases {
		var sig, weak diffPoints
		for j, r := range rows {
			names[n-1-j] = r.name
			if i >= len(r.diffs) {
				continue
			}
			d := r.diffs[i]
			x, e := scale*d.Diff, scale*diffErrorMultiple*d.PairedStdErr
			y := float64(n-1-j) + caseOffset(i, cases)
			lo, hi = math.Min(lo, x-e), math.Max(hi, x+e)
			pts := &weak
			if math.Abs(d.Diff) > diffErrorMultiple*d.PairedStdErr {
				pts = &sig
			}
			pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: y})
			pts.XErrors = append(pts.XErrors, struct{ Low, High float64 }{-e, e})
		}
		col := caseStyle(i + 1).Color
		for _, pts := range []diffPoints{sig, weak} {
			if len(pts.XYs) == 0 {
				continue
			}
			bars, err := plotter.NewXErrorBars(pts)
			if err != nil {
				return nil, nil, fmt.Errorf("output: compare charts: %w", err)
			}
			bars.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1.2)}
			bars.CapWidth = vg.Points(4)
			p.Add(bars)
		}
		glyph := func(shape draw.GlyphDrawer) draw.GlyphStyle {
			return draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: shape}
		}
		for k, pts := range []diffPoints{sig, weak} {
			s, err := plotter.NewScatter(pts.XYs)
			if err != nil {
				return nil, nil, fmt.Errorf("output: compare charts: %w", err)
			}
			s.GlyphStyle = glyph(draw.CircleGlyph{})
			if k == 1 {
				s.GlyphStyle = glyph(draw.RingGlyph{})
			}
			p.Add(s)
			if k == 0 {
				thumbs = append(thumbs, s)
			}
		}
	}
	zero := vline(0, -0.5, float64(n)-0.5, draw.LineStyle{Color: textGray, Width: vg.Points(0.8)})
	p.Add(zero)
	if hi-lo <= 0 {
		lo, hi = -1, 1
	}
	pad := 0.06 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	return p, thumbs, nil
}

// caseOffset spreads the points of cases cases around an entity's row.
func caseOffset(i, cases int) float64 {
	if cases <= 1 {
		return 0
	}
	span := math.Min(0.6, 0.15*float64(cases-1))
	return span/2 - span*float64(i)/float64(cases-1)
}

// firmDiffRows returns a difference row per provider and supplier of c,
// taking each case's difference with pick.
func firmDiffRows(c *Comparison, pick func(*FirmDiff) mcstat.Difference) []diffRow {
	var rows []diffRow
	for _, f := range append(append([]FirmComparison{}, c.Providers...), c.Suppliers...) {
		r := diffRow{name: f.Name}
		for _, fc := range f.Cases[1:] {
			r.diffs = append(r.diffs, pick(fc.Diff))
		}
		rows = append(rows, r)
	}
	return rows
}

// compareDiffCharts returns the difference charts: for backlog lost and for
// economic loss the mean and VaR and ES at every tail level of every
// provider and supplier, then the default probabilities of the firms and
// the customers.
func compareDiffCharts(c *Comparison, caption string) ([]Chart, error) {
	cases := len(c.Cases) - 1
	if cases < 1 || len(c.Providers)+len(c.Suppliers) == 0 && len(c.Customers) == 0 {
		return nil, nil
	}
	legend := func(thumbs []plot.Thumbnailer) *plot.Legend {
		l := newLegend()
		for i, t := range thumbs {
			l.Add(c.Cases[i+1].Name+" − "+c.Base, t)
		}
		return l
	}
	note := fmt.Sprintf("Each point is a case minus the base; its bar spans ±%d paired standard errors (about 95%%); a filled point is more than %d standard errors from zero, a hollow one is not. ",
		diffErrorMultiple, diffErrorMultiple)
	var charts []Chart
	if len(c.Providers)+len(c.Suppliers) > 0 {
		for _, kind := range []string{"backlog", "economic"} {
			ch, err := compareDiffLossChart(c, kind, cases, legend, note+fmt.Sprintf("VaR and ES differences are those of the estimates from all paths, with standard errors from sectioning the paths into %d batches. ", c.TailBatches)+caption)
			if err != nil {
				return nil, err
			}
			charts = append(charts, ch)
		}
	}
	var panels []*plot.Plot
	var thumbs []plot.Thumbnailer
	if len(c.Providers)+len(c.Suppliers) > 0 {
		p, t, err := diffPanel("Providers and suppliers", "Δ P(default) (percentage points)",
			firmDiffRows(c, func(d *FirmDiff) mcstat.Difference { return d.DefaultProbability }), cases, 100)
		if err != nil {
			return nil, err
		}
		panels, thumbs = append(panels, p), t
	}
	if len(c.Customers) > 0 {
		var rows []diffRow
		for _, cu := range c.Customers {
			r := diffRow{name: cu.Name}
			for _, cc := range cu.Cases[1:] {
				r.diffs = append(r.diffs, cc.Diff.DefaultProbability)
			}
			rows = append(rows, r)
		}
		p, t, err := diffPanel("Customers", "Δ P(default) (percentage points)", rows, cases, 100)
		if err != nil {
			return nil, err
		}
		panels, thumbs = append(panels, p), t
	}
	charts = append(charts, compareFigure("compare-diff-default", "Default probability: difference from the base by case",
		panels, 2, legend(thumbs), note+caption))
	return charts, nil
}

// compareDiffLossChart returns the difference chart of one loss (backlog
// or economic): the mean on the first row, then VaR and ES side by side at
// every tail level.
func compareDiffLossChart(c *Comparison, kind string, cases int, legend func([]plot.Thumbnailer) *plot.Legend, caption string) (Chart, error) {
	label := lossLabel(kind)
	tail := func(d *FirmDiff) []TailDiff {
		if kind == "economic" {
			return d.EconomicLossTail
		}
		return d.BacklogLostTail
	}
	xlabel := "Δ " + label + " (USD bn)"
	mean, thumbs, err := diffPanel("Mean", xlabel, firmDiffRows(c, func(d *FirmDiff) mcstat.Difference {
		if kind == "economic" {
			return d.EconomicLossMean
		}
		return d.BacklogLostMean
	}), cases, 1)
	if err != nil {
		return Chart{}, err
	}
	rows := [][]*plot.Plot{{mean, nil}}
	for k, q := range mcstat.TailLevels() {
		lvl := fmtShort(100*q) + "%"
		var row []*plot.Plot
		for _, stat := range []string{"VaR", "ES"} {
			p, _, err := diffPanel(stat+" "+lvl, xlabel, firmDiffRows(c, func(d *FirmDiff) mcstat.Difference {
				if t := tail(d); k < len(t) {
					if stat == "VaR" {
						return t[k].VaR
					}
					return t[k].ES
				}
				return mcstat.Difference{}
			}), cases, 1)
			if err != nil {
				return Chart{}, err
			}
			row = append(row, p)
		}
		rows = append(rows, row)
	}
	title := label + ": difference from the base by case"
	return Chart{
		Name: "compare-diff-" + kind, Title: title, Width: wideWidth,
		Height: vg.Length(len(rows))*diffRowHeight(c) + 1.3*vg.Inch,
		Plot:   newFigure(title, rows, legend(thumbs), []string{caption}),
	}, nil
}

// diffRowHeight is the height of one row of difference panels: room for
// every firm's points.
func diffRowHeight(c *Comparison) vg.Length {
	n := len(c.Providers) + len(c.Suppliers)
	return vg.Length(math.Max(2.2, 0.6+0.22*float64(n)*math.Max(1, float64(len(c.Cases)-1)/2))) * vg.Inch
}
