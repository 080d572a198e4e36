package output

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// compareCurvePoints caps the points of one exceedance curve in the
// comparison charts.
const compareCurvePoints = 200

// CompareCharts returns the charts of a comparison, in order: the
// differences from the base with paired error bars (backlog lost, economic
// loss: mean, VaR and ES at every tail level; default probabilities), the
// exceedance curves of backlog lost of every run per provider and supplier
// (log-probability axis), each customer's default probability by year (one
// line per run), and bar charts of the mean and ES 99% of backlog lost and
// of economic loss by provider and run. runs and c must be the arguments
// and result of Compare.
func CompareCharts(runs []CompareRun, c *Comparison) ([]Chart, error) {
	if len(runs) != len(c.Cases) {
		return nil, fmt.Errorf("output: compare charts: %d runs for %d cases", len(runs), len(c.Cases))
	}
	caption := fmt.Sprintf("Base %s; seed %d; %d paths per run on common random numbers; backlogsim.", c.Base, c.Seed, c.Paths)
	charts, err := compareDiffCharts(c, caption)
	if err != nil {
		return nil, err
	}
	for _, build := range []func([]CompareRun, *Comparison, string) ([]Chart, error){
		compareExceedanceCharts, compareDefaultByYearCharts, compareBarCharts,
	} {
		cs, err := build(runs, c, caption)
		if err != nil {
			return nil, err
		}
		charts = append(charts, cs...)
	}
	return charts, nil
}

// compareExceedanceCharts returns the exceedance curves of backlog lost of
// every run, one panel per provider and supplier.
func compareExceedanceCharts(runs []CompareRun, c *Comparison, caption string) ([]Chart, error) {
	var panels []*plot.Plot
	var legendFrom []plot.Thumbnailer
	type firmRef struct{ kind, name string }
	var firms []firmRef
	for _, f := range c.Providers {
		firms = append(firms, firmRef{"provider", f.Name})
	}
	for _, f := range c.Suppliers {
		firms = append(firms, firmRef{"supplier", f.Name})
	}
	for _, fr := range firms {
		p := newPanel(fmt.Sprintf("%s (%s)", fr.name, fr.kind), "Backlog lost x (USD bn)", "P(backlog lost > x)", false)
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = percentLogTicks{}
		pmin, drawn := 1.0, 0
		for i, r := range runs {
			res := r.Results.Providers
			if fr.kind == "supplier" {
				res = r.Results.Suppliers
			}
			k := findFirm(res, fr.name)
			if k < 0 {
				continue
			}
			xs, ps := exceedancePoints(res[k].BacklogLost, compareCurvePoints)
			if len(xs) == 0 {
				continue
			}
			xys := make(plotter.XYs, len(xs))
			for j := range xs {
				xys[j] = plotter.XY{X: xs[j], Y: ps[j]}
				pmin = math.Min(pmin, ps[j])
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, fmt.Errorf("output: compare charts: %w", err)
			}
			l.StepStyle = plotter.PostStep
			l.LineStyle = caseStyle(i)
			p.Add(l)
			drawn++
			if len(legendFrom) < len(runs) && len(panels) == 0 {
				legendFrom = append(legendFrom, l)
			}
		}
		p.X.Min = 0
		p.Y.Max = 1
		p.Y.Min = math.Pow(10, math.Floor(math.Log10(pmin)))
		if p.Y.Min >= 1 {
			p.Y.Min = 0.1
		}
		if drawn == 0 {
			p.X.Max = 1
			p.Title.Text += ": no loss on any path"
		}
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		return nil, nil
	}
	return []Chart{compareFigure("compare-exceedance", "Backlog lost: exceedance probability by case",
		panels, 2, runLegend(runs, legendFrom),
		"Empirical P(backlog lost > x) over all paths, drawn where it is above zero (the lowest visible probability is 1/paths). "+caption)}, nil
}

// compareDefaultByYearCharts returns each customer's probability of
// default by year, one line per run.
func compareDefaultByYearCharts(runs []CompareRun, c *Comparison, caption string) ([]Chart, error) {
	var panels []*plot.Plot
	var legendFrom []plot.Thumbnailer
	for _, cu := range c.Customers {
		p := newPanel(cu.Name, "Years from start", "P(default by then) (%)", false)
		for i, cc := range cu.Cases {
			xys := plotter.XYs{{X: 0, Y: 0}}
			for y, e := range cc.DefaultProbabilityByYear {
				xys = append(xys, plotter.XY{X: math.Min(float64(y+1), c.HorizonYears), Y: 100 * e.Value})
			}
			l, pts, err := plotter.NewLinePoints(xys)
			if err != nil {
				return nil, fmt.Errorf("output: compare charts: %w", err)
			}
			l.LineStyle = caseStyle(i)
			pts.GlyphStyle = draw.GlyphStyle{Color: caseStyle(i).Color, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
			p.Add(l, pts)
			if len(panels) == 0 {
				legendFrom = append(legendFrom, l)
			}
		}
		p.X.Min, p.Y.Min = 0, 0
		panels = append(panels, p)
	}
	if len(panels) == 0 {
		return nil, nil
	}
	return []Chart{compareFigure("compare-default-by-year", "Customers: probability of default by year, by case",
		panels, 2, runLegend(runs, legendFrom), "Share of paths on which the customer has defaulted by the end of each year. "+caption)}, nil
}

// compareBarCharts returns bar charts of the mean and ES 99% of backlog
// lost and of economic loss by provider and run.
func compareBarCharts(runs []CompareRun, c *Comparison, caption string) ([]Chart, error) {
	if len(c.Providers) == 0 {
		return nil, nil
	}
	var charts []Chart
	var names []string
	for _, f := range c.Providers {
		names = append(names, f.Name)
	}
	width := vg.Points(math.Max(2, math.Min(14, 300/float64(len(names)*len(runs)))))
	for _, kind := range []string{"backlog", "economic"} {
		label := lossLabel(kind)
		mean := newPanel("Mean", "", label+" (USD bn)", false)
		es := newPanel("ES 99%", "", label+" (USD bn)", false)
		var legendFrom []plot.Thumbnailer
		for i := range runs {
			mv, ev := make(plotter.Values, len(names)), make(plotter.Values, len(names))
			for j, f := range c.Providers {
				fc := f.Cases[i]
				if kind == "economic" {
					mv[j], ev[j] = fc.EconomicLossMean.Value, fc.EconomicLossES.Value
				} else {
					mv[j], ev[j] = fc.BacklogLostMean.Value, fc.BacklogLostES.Value
				}
			}
			offset := vg.Length(float64(i)-float64(len(runs)-1)/2) * width
			for _, pv := range []struct {
				p *plot.Plot
				v plotter.Values
			}{{mean, mv}, {es, ev}} {
				bc, err := plotter.NewBarChart(pv.v, width)
				if err != nil {
					return nil, fmt.Errorf("output: compare charts: %w", err)
				}
				bc.Color = caseStyle(i).Color
				bc.LineStyle.Width = 0
				bc.Offset = offset
				pv.p.Add(bc)
				if pv.p == mean {
					legendFrom = append(legendFrom, bc)
				}
			}
		}
		for _, p := range []*plot.Plot{mean, es} {
			p.NominalX(names...)
			p.Y.Min = 0
		}
		charts = append(charts, compareFigure("compare-bars-"+kind, label+": mean and ES 99% by provider and case",
			[]*plot.Plot{mean, es}, 1, runLegend(runs, legendFrom),
			fmt.Sprintf("%s per provider in each case: the mean over all paths and the expected shortfall at 99%% (the mean of the worst 1%% of paths). %s", label, caption)))
	}
	return charts, nil
}

// exceedancePoints returns the empirical P(L > x) of losses at up to
// maxPoints values of x: 0, order statistics with geometrically spaced
// exceedance counts (so the far tail keeps its resolution on a log axis)
// and evenly spaced values, where P(L > x) > 0.
func exceedancePoints(losses []float64, maxPoints int) (xs, ps []float64) {
	n := len(losses)
	if n == 0 {
		return nil, nil
	}
	sorted := slices.Clone(losses)
	slices.Sort(sorted)
	if sorted[n-1] <= 0 {
		return nil, nil
	}
	// above(x) is the number of losses > x.
	above := func(x float64) int {
		i, _ := slices.BinarySearchFunc(sorted, x, func(e, t float64) int {
			if e <= t {
				return -1
			}
			return 1
		})
		return n - i
	}
	npos := above(0)
	half := max(maxPoints/2, 2)
	cand := []float64{0}
	for i := range half {
		k := int(math.Round(math.Pow(float64(npos), float64(i)/float64(half-1))))
		k = min(max(k, 1), npos)
		cand = append(cand, sorted[n-k])
	}
	for i := range half {
		cand = append(cand, sorted[n-1]*float64(i)/float64(half))
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	for _, x := range cand {
		if a := above(x); a > 0 {
			xs = append(xs, x)
			ps = append(ps, float64(a)/float64(n))
		}
	}
	return xs, ps
}

// runLegend returns a legend naming each run by the thumbnails of its
// series.
func runLegend(runs []CompareRun, thumbs []plot.Thumbnailer) *plot.Legend {
	l := newLegend()
	for i, t := range thumbs {
		if i < len(runs) {
			name := runs[i].Name
			if i == 0 {
				name += " (base)"
			}
			l.Add(name, t)
		}
	}
	return l
}

// compareFigure returns a chart of panels in rows of cols with a shared
// legend and a caption.
func compareFigure(name, title string, panels []*plot.Plot, cols int, legend *plot.Legend, caption string) Chart {
	rows := grid(panels, cols)
	rowH := 2.6 * vg.Inch
	if cols == 1 {
		rowH = 3 * vg.Inch
	}
	return Chart{
		Name: name, Title: title, Width: wideWidth, Height: vg.Length(len(rows))*rowH + 1.1*vg.Inch,
		Plot: newFigure(title, rows, legend, []string{caption}),
	}
}
