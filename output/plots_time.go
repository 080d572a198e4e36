package output

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/sim"
)

// stepLine is the step curve (xs, ys) in series i's colour and dashes.
func stepLine(xs, ys []float64, i int, width vg.Length) (*plotter.Line, error) {
	xys := make(plotter.XYs, len(xs))
	for k := range xs {
		xys[k] = plotter.XY{X: xs[k], Y: ys[k]}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.StepStyle = plotter.PostStep
	l.Color = seriesColor(i)
	l.Dashes = seriesDashes(i)
	l.Width = width
	return l, nil
}

// survival draws item 4: the probability that each customer has not
// defaulted, by month.
func (b *chartBuilder) survival() {
	p := newPanel("", "Months from start", "Not defaulted (% of paths)", false)
	leg := newLegend()
	lo := 100.0
	for i, c := range b.res.Customers {
		s := newSurvivalCurve(c, b.res.StepYears)
		for _, v := range s.Percent {
			lo = math.Min(lo, v)
		}
		l, err := stepLine(s.Months, s.Percent, i, vg.Points(1.8))
		if err != nil {
			b.fail(err)
			return
		}
		p.Add(l)
		leg.Add(fmt.Sprintf("%s (%s survive)", c.Name, fmtPct(s.Percent[len(s.Percent)-1]/100)), l)
	}
	p.Y.Max = 100
	p.Y.Min = math.Max(0, 10*math.Floor((lo-5)/10))
	p.X.Min = 0
	caption := []string{"Share of paths on which each lab has not defaulted by the end of each month."}
	if p.Y.Min > 0 {
		caption[0] += fmt.Sprintf(" The vertical axis starts at %s%%.", fmtShort(p.Y.Min))
	}
	if len(b.res.Customers) == 0 {
		p.Add(note{"No customers"})
	}
	b.add("survival", "Customer survival", single(p), leg, caption, chartWidth, chartHeight)
}

// band returns the polygon between two quantile series.
func band(months []float64, bands [][5]float64, lo, hi int, c color.Color) (*plotter.Polygon, error) {
	ring := make(plotter.XYs, 0, 2*len(months))
	for k := range months {
		ring = append(ring, plotter.XY{X: months[k], Y: bands[k][hi]})
	}
	for k := len(months) - 1; k >= 0; k-- {
		ring = append(ring, plotter.XY{X: months[k], Y: bands[k][lo]})
	}
	pg, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	pg.Color = c
	pg.LineStyle = draw.LineStyle{}
	return pg, nil
}

// cashFans draws item 5: each customer's cash quantiles over time.
func (b *chartBuilder) cashFans() {
	for i, c := range b.res.Customers {
		initial := 0.0
		if i < len(b.res.Model.Customers) {
			initial = b.res.Model.Customers[i].Cash
		}
		f := newCashFan(c, initial, b.res.StepYears)
		p := newPanel("", "Months from start", "Cash (USD bn)", false)
		leg := newLegend()
		col := okabeIto[0]
		outer, err := band(f.Months, f.Bands, 0, 4, withAlpha(col, 0.18))
		if err != nil {
			b.fail(err)
			return
		}
		inner, err := band(f.Months, f.Bands, 1, 3, withAlpha(col, 0.40))
		if err != nil {
			b.fail(err)
			return
		}
		med := make(plotter.XYs, len(f.Months))
		for k := range f.Months {
			med[k] = plotter.XY{X: f.Months[k], Y: f.Bands[k][2]}
		}
		ml, err := plotter.NewLine(med)
		if err != nil {
			b.fail(err)
			return
		}
		ml.Color = col
		ml.Width = vg.Points(2)
		zero := plotter.NewFunction(func(float64) float64 { return 0 })
		zero.Color = okabeIto[7]
		zero.Width = vg.Points(0.7)
		zero.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(outer, inner, zero, ml)
		p.X.Min = 0
		leg.Add("Median", ml)
		leg.Add("25–75%", inner)
		leg.Add("5–95%", outer)
		leg.Add("Zero cash", zero)
		caption := []string{
			"Quantiles of cash over all paths at each month-end; a defaulted lab's cash stays at its value at default.",
			"Bands come from a streaming histogram and are accurate to its bin width.",
		}
		b.add("cash-"+b.slugs[c.Name], "Cash: "+c.Name, single(p), leg, caption, chartWidth, chartHeight)
	}
}

// regimes draws item 6: the share of paths in each funding regime.
func (b *chartBuilder) regimes() {
	r := newRegimeShares(b.res)
	p := newPanel("", "Months from start", "Share of paths (%)", false)
	leg := newLegend()
	cum := make([]float64, len(r.Months))
	var polys []*plotter.Polygon
	for i := range r.Names {
		if len(r.Months) == 0 {
			break
		}
		// Each step is drawn as a flat block over its own interval.
		var top, bottom plotter.XYs
		prev := 0.0
		for s := range r.Months {
			end := 12 * b.res.StepYears[s]
			lo := cum[s]
			hi := lo + r.Percent[i][s]
			top = append(top, plotter.XY{X: prev, Y: hi}, plotter.XY{X: end, Y: hi})
			bottom = append(bottom, plotter.XY{X: prev, Y: lo}, plotter.XY{X: end, Y: lo})
			cum[s] = hi
			prev = end
		}
		ring := append(plotter.XYs{}, top...)
		for k := len(bottom) - 1; k >= 0; k-- {
			ring = append(ring, bottom[k])
		}
		pg, err := plotter.NewPolygon(ring)
		if err != nil {
			b.fail(err)
			return
		}
		pg.Color = seriesColor(i)
		pg.LineStyle = draw.LineStyle{}
		polys = append(polys, pg)
		p.Add(pg)
	}
	for i := len(polys) - 1; i >= 0; i-- {
		leg.Add(r.Names[i], polys[i])
	}
	p.X.Min = 0
	p.Y.Min, p.Y.Max = 0, 100
	if len(r.Months) == 0 {
		p.Add(note{"No funding regimes recorded"})
	}
	caption := []string{"Share of paths in each venture-funding regime during each month (stacked; the regimes are the model's funding market states)."}
	if b.res.Model != nil && len(b.res.Model.Funding.Shocks) > 0 {
		var s []string
		for _, sh := range b.res.Model.Funding.Shocks {
			name := "regime " + fmt.Sprint(sh.Regime+1)
			if sh.Regime >= 0 && sh.Regime < len(r.Names) {
				name = r.Names[sh.Regime]
			}
			s = append(s, fmt.Sprintf("%s from month %s for %s months", name, fmtShort(12*sh.StartYears), fmtShort(12*sh.DurationYears)))
		}
		caption = append(caption, "Scripted shocks: "+strings.Join(s, "; ")+".")
	}
	b.add("funding-regimes", "Funding regime", single(p), leg, caption, chartWidth, chartHeight)
}

// lostBy draws item 7: for each firm, backlog lost by source, on average
// and on average over the worst 1% of paths.
func (b *chartBuilder) lostBy() {
	for _, f := range b.firms {
		d := lossBreakdown{Firm: f.res.Name, Sources: f.res.LostBy}
		p := newPanel("", "", "Backlog lost (USD bn)", false)
		leg := newLegend()
		var below *plotter.BarChart
		var bars []*plotter.BarChart
		var totals [2]float64
		ci := 0
		for _, s := range d.Sources {
			bc, err := plotter.NewBarChart(plotter.Values{s.Mean, s.TailMean}, vg.Points(80))
			if err != nil {
				b.fail(err)
				return
			}
			if s.Name == sim.PoolSource {
				bc.Color = poolColor
			} else {
				bc.Color = seriesColor(ci)
				ci++
			}
			bc.LineStyle = draw.LineStyle{Color: withAlpha(okabeIto[7], 0.6), Width: vg.Points(0.4)}
			if below != nil {
				bc.StackOn(below)
			}
			below = bc
			bars = append(bars, bc)
			p.Add(bc)
			totals[0] += s.Mean
			totals[1] += s.TailMean
		}
		for i := len(bars) - 1; i >= 0; i-- {
			leg.Add(d.Sources[i].Name, bars[i])
		}
		p.NominalX("Mean over all paths", "Mean over worst 1% of paths")
		p.X.Tick.Label.Font.Size = vg.Points(9.5)
		top := math.Max(totals[1], totals[0])
		if top <= 0 {
			top = 1
		}
		p.Y.Min, p.Y.Max = 0, top*1.12
		p.X.Min, p.X.Max = -0.6, 1.6
		tl, err := plotter.NewLabels(plotter.XYLabels{
			XYs:    []plotter.XY{{X: 0, Y: totals[0]}, {X: 1, Y: totals[1]}},
			Labels: []string{"total " + fmtNum(totals[0]), "total " + fmtNum(totals[1])},
		})
		if err != nil {
			b.fail(err)
			return
		}
		for i := range tl.TextStyle {
			tl.TextStyle[i].Font = captionStyle().Font
			tl.TextStyle[i].Font.Size = vg.Points(9)
			tl.TextStyle[i].XAlign = draw.XCenter
			tl.TextStyle[i].YAlign = draw.YBottom
		}
		tl.Offset = vg.Point{Y: vg.Points(3)}
		p.Add(tl)
		if len(d.Sources) == 0 {
			p.Add(note{"No sources of loss"})
		}
		caption := []string{
			fmt.Sprintf("Backlog lost by %s (%s), USD bn, split by the counterparty whose default caused it; grey is the diversified (non-AI) pool.", f.res.Name, f.kind),
			"Worst 1% of paths: the paths with the firm's largest total backlog lost.",
		}
		b.add("lost-by-"+f.slug, "Who drives the loss: "+f.res.Name, single(p), leg, caption, chartWidth, chartHeight)
	}
}

// boxThumb is the legend thumbnail of a box plot: a filled box with its
// median line.
type boxThumb struct{ b *plotter.BoxPlot }

func (t boxThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	pad := (r.Max.Y - r.Min.Y) / 6
	box := vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Min.Y + pad}, Max: vg.Point{X: r.Max.X, Y: r.Max.Y - pad}}
	c.SetColor(t.b.FillColor)
	c.Fill(box.Path())
	c.StrokeLines(t.b.BoxStyle, c.ClipLinesXY([]vg.Point{box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y}, box.Min})...)
	mid := (r.Min.X + r.Max.X) / 2
	c.StrokeLine2(t.b.MedianStyle, mid, box.Min.Y, mid, box.Max.Y)
}
