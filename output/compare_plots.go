package output

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// compareCurvePoints caps the points of one exceedance curve in the
// comparison charts.
const compareCurvePoints = 200

// comparePalette is the Okabe–Ito colour-blind-safe palette (Okabe and Ito
// 2008), one colour per run, base first.
var comparePalette = []color.NRGBA{
	{0x00, 0x00, 0x00, 0xff}, // black: the base
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0xF0, 0xE4, 0x42, 0xff}, // yellow
}

// compareSans is the font family of the comparison charts.
var compareSans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// caseStyle returns the line style of run i: its colour, solid for even i
// and dashed for odd i, so that a case whose line coincides with another's
// (e.g. a case that does not change a customer) still shows both.
func caseStyle(i int) draw.LineStyle {
	s := draw.LineStyle{Color: comparePalette[i%len(comparePalette)], Width: vg.Points(1.6)}
	if i%2 == 1 {
		s.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return s
}

// CompareCharts returns the charts of a comparison, in order: the
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
	var charts []Chart

	// Exceedance curves.
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
		p := comparePanel(fmt.Sprintf("%s (%s)", fr.name, fr.kind), "Backlog lost x (USD bn)", "P(backlog lost > x)")
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = comparePercentLogTicks{}
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
	if len(panels) > 0 {
		charts = append(charts, compareFigure("compare-exceedance", "Backlog lost: exceedance probability by case",
			panels, 2, runLegend(runs, legendFrom),
			"Empirical P(backlog lost > x) over all paths, drawn where it is above zero (the lowest visible probability is 1/paths). "+caption))
	}

	// Default probability by year.
	panels = nil
	legendFrom = nil
	for _, cu := range c.Customers {
		p := comparePanel(cu.Name, "Years from start", "P(default by then) (%)")
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
	if len(panels) > 0 {
		charts = append(charts, compareFigure("compare-default-by-year", "Customers: probability of default by year, by case",
			panels, 2, runLegend(runs, legendFrom), "Share of paths on which the customer has defaulted by the end of each year. "+caption))
	}

	// Bars.
	for _, kind := range []string{"backlog", "economic"} {
		label := "Backlog lost"
		if kind == "economic" {
			label = "Economic loss"
		}
		mean := comparePanel("Mean", "", label+" (USD bn)")
		es := comparePanel("ES 99%", "", label+" (USD bn)")
		legendFrom = nil
		if len(c.Providers) == 0 {
			continue
		}
		var names []string
		for _, f := range c.Providers {
			names = append(names, f.Name)
		}
		width := vg.Points(math.Max(2, math.Min(14, 300/float64(len(names)*len(runs)))))
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

// comparePanel returns an empty panel with a light grid and axis labels.
func comparePanel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(compareSans, vg.Points(11))
	p.Title.Padding = vg.Points(4)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(compareSans, vg.Points(9.5))
		a.Tick.Label.Font = font.From(compareSans, vg.Points(8.5))
		a.Tick.Marker = compareTicks{}
	}
	g := plotter.NewGrid()
	g.Vertical.Color = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	g.Horizontal.Color = g.Vertical.Color
	p.Add(g)
	return p
}

// compareTicks are gonum's default ticks with trailing zeros removed from
// the labels ("25" rather than "25.00").
type compareTicks struct{}

func (compareTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i, t := range ticks {
		if t.Label != "" && strings.Contains(t.Label, ".") && !strings.ContainsAny(t.Label, "eE") {
			ticks[i].Label = strings.TrimSuffix(strings.TrimRight(t.Label, "0"), ".")
		}
	}
	return ticks
}

// comparePercentLogTicks labels a log-scaled probability axis in percent.
type comparePercentLogTicks struct{}

func (comparePercentLogTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			s := strings.TrimRight(fmt.Sprintf("%.6f", 100*ticks[i].Value), "0")
			ticks[i].Label = strings.TrimSuffix(s, ".") + "%"
		}
	}
	return ticks
}

// runLegend returns a legend naming each run by the thumbnails of its
// series.
func runLegend(runs []CompareRun, thumbs []plot.Thumbnailer) *plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(compareSans, vg.Points(9.5))
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(20)
	for i, t := range thumbs {
		if i < len(runs) {
			name := runs[i].Name
			if i == 0 {
				name += " (base)"
			}
			l.Add(name, t)
		}
	}
	return &l
}

// compareGrid lays out a figure: panels in rows of cols, a legend in a
// column on the right and a caption below. It is the only plotter of the
// figure's outer plot, whose axes are hidden.
type compareGrid struct {
	panels  [][]*plot.Plot
	legend  *plot.Legend
	caption string
}

// Plot implements plot.Plotter.
func (g *compareGrid) Plot(c draw.Canvas, p *plot.Plot) {
	sty := p.Title.TextStyle
	sty.Font = font.From(compareSans, vg.Points(8.5))
	sty.Color = color.NRGBA{0x44, 0x44, 0x44, 0xff}
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	lineH := sty.FontExtents().Height * 1.2
	lines := wrapText(sty, g.caption, c.Size().X-vg.Points(8))
	y := c.Min.Y
	for i := len(lines) - 1; i >= 0; i-- {
		c.FillText(sty, vg.Point{X: c.Min.X + vg.Points(4), Y: y}, lines[i])
		y += lineH
	}
	area := draw.Crop(c, 0, 0, y-c.Min.Y+vg.Points(6), 0)
	if g.legend != nil {
		w := g.legend.Rectangle(area).Size().X
		g.legend.Draw(draw.Crop(area, area.Size().X-w-vg.Points(18), -vg.Points(18), 0, -vg.Points(24)))
		w += vg.Points(8)
		area = draw.Crop(area, 0, -(w + vg.Points(24)), 0, 0)
	}
	tiles := draw.Tiles{Rows: len(g.panels), Cols: len(g.panels[0]), PadX: vg.Points(16), PadY: vg.Points(12), PadTop: vg.Points(4)}
	cs := plot.Align(g.panels, tiles, area)
	for i, row := range g.panels {
		for j, panel := range row {
			if panel != nil {
				panel.Draw(cs[i][j])
			}
		}
	}
}

// compareFigure returns a chart of panels in rows of cols with a shared
// legend and a caption.
func compareFigure(name, title string, panels []*plot.Plot, cols int, legend *plot.Legend, caption string) Chart {
	var rows [][]*plot.Plot
	for i := 0; i < len(panels); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, panels[i:min(i+cols, len(panels))])
		rows = append(rows, row)
	}
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}, vg.Points(13))
	p.Title.Padding = vg.Points(6)
	p.HideAxes()
	p.Add(&compareGrid{panels: rows, legend: legend, caption: caption})
	rowH := 2.6 * vg.Inch
	if cols == 1 {
		rowH = 3 * vg.Inch
	}
	return Chart{Name: name, Title: title, Plot: p, Width: 9 * vg.Inch, Height: vg.Length(len(rows))*rowH + 1.1*vg.Inch}
}
