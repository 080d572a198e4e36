package output

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// firmRef is a provider or supplier with its results and summary.
type firmRef struct {
	res  *sim.FirmResults
	sum  *sim.FirmSummary
	kind string // "provider" or "supplier"
	slug string
}

// chartBuilder turns a run into charts: it computes each chart's data with
// the functions of plots_data.go, then draws it.
type chartBuilder struct {
	res    *sim.Results
	sum    sim.Summary
	firms  []firmRef
	slugs  map[string]string // customer name -> slug
	base   string            // caption line naming the run
	charts []Chart
	err    error
}

func newChartBuilder(res *sim.Results, sum sim.Summary) *chartBuilder {
	b := &chartBuilder{res: res, sum: sum, slugs: map[string]string{}}
	// "all" names the charts of every firm (loss-backlog-all): a firm
	// named all gets all-2.
	used := map[string]bool{"all": true}
	unique := func(name string) string {
		s := slug(name)
		for k := 2; used[s]; k++ {
			s = fmt.Sprintf("%s-%d", slug(name), k)
		}
		used[s] = true
		return s
	}
	for i := range res.Providers {
		b.firms = append(b.firms, firmRef{res: &res.Providers[i], sum: &sum.Providers[i], kind: "provider", slug: unique(res.Providers[i].Name)})
	}
	for i := range res.Suppliers {
		b.firms = append(b.firms, firmRef{res: &res.Suppliers[i], sum: &sum.Suppliers[i], kind: "supplier", slug: unique(res.Suppliers[i].Name)})
	}
	for _, c := range res.Customers {
		b.slugs[c.Name] = unique(c.Name)
	}
	b.base = fmt.Sprintf("Scenario %s · seed %d · %d paths · horizon %s years · backlogsim", sum.Scenario, sum.Seed, sum.Paths, fmtShort(sum.HorizonYears))
	return b
}

func (b *chartBuilder) add(name, title string, panels [][]*plot.Plot, legend *plot.Legend, caption []string, w, h vg.Length) {
	caption = append(caption, b.base)
	b.charts = append(b.charts, Chart{
		Name: name, Title: title, Width: w, Height: h,
		Plot: newFigure(title, panels, legend, caption),
	})
}

// fail records the first error.
func (b *chartBuilder) fail(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// fmtNum formats an amount for labels and tables: three significant digits
// below 100, whole numbers above.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprint(v)
	case v == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.001:
		return fmt.Sprintf("%.3g", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// fmtShort is fmtNum without trailing zeros, for running text.
func fmtShort(v float64) string { return trimZeros(fmtNum(v)) }

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// fmtPct formats a probability in [0, 1] as a percentage.
func fmtPct(p float64) string {
	v := 100 * p
	switch {
	case v == 0:
		return "0%"
	case v >= 10:
		return fmt.Sprintf("%.1f%%", v)
	case v >= 0.1:
		return fmt.Sprintf("%.2f%%", v)
	}
	return fmt.Sprintf("%.2g%%", v)
}

func lossLabel(kind string) string {
	if kind == "economic" {
		return "Economic loss"
	}
	return "Backlog lost"
}

func firmLosses(f firmRef, kind string) ([]float64, mcstat.LossStats) {
	if kind == "economic" {
		return plotSample(f.res.EconomicLoss, f.res.EconomicLossDist), f.sum.EconomicLoss
	}
	return plotSample(f.res.BacklogLost, f.res.BacklogLostDist), f.sum.BacklogLost
}

// plotSampleSize is the number of quantiles that stand for a streamed or
// importance-weighted run's losses in the charts.
const plotSampleSize = 100_000

// plotSample returns the per-path losses when the run kept them unweighted,
// and otherwise an unweighted quantile sample of the distribution (see
// mcstat.LossDistribution.QuantileSample), which draws the same histogram and
// exceedance curve to a resolution of 1/plotSampleSize in probability.
func plotSample(perPath []float64, d *mcstat.LossDistribution) []float64 {
	if perPath != nil && (d == nil || !d.Weighted()) {
		return perPath
	}
	return d.QuantileSample(plotSampleSize)
}

// Marker styles for mean, VaR and ES.
var (
	meanStyle = draw.LineStyle{Color: okabeIto[7], Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
	varStyle  = draw.LineStyle{Color: okabeIto[1], Width: vg.Points(1.6)}
	esStyle   = draw.LineStyle{Color: okabeIto[2], Width: vg.Points(1.6), Dashes: []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}}
	histFill  = withAlpha(okabeIto[5], 0.75)
	histLine  = draw.LineStyle{Color: okabeIto[0], Width: vg.Points(0.5)}
)

// vline returns a vertical line at x from y0 to y1.
func vline(x, y0, y1 float64, sty draw.LineStyle) *plotter.Line {
	return &plotter.Line{XYs: plotter.XYs{{X: x, Y: y0}, {X: x, Y: y1}}, LineStyle: sty}
}

// histPanel draws a loss distribution on a log-scaled axis of the share of
// all paths, so that a bin holding a handful of paths in the far tail is as
// visible as the bins near zero that hold most of them. The legend carries
// the values when withValues is set.
func histPanel(d lossDistribution, title string, small, withValues bool) (*plot.Plot, *plot.Legend) {
	p := newPanel(title, "Loss (USD bn)", "Share of all paths, log scale", small)
	if small {
		p.Y.Label.Text = "Share of paths"
	}
	leg := newLegend()
	h := &plotter.Histogram{FillColor: histFill, LineStyle: histLine, LogY: true}
	top, low := 0.0, 1.0
	for _, bin := range d.Bins {
		share := bin.Share / 100
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: bin.Lo, Max: bin.Hi, Weight: share})
		top = math.Max(top, share)
		if share > 0 {
			low = math.Min(low, share)
		}
	}
	if top == 0 {
		top, low = 1, 0.001
	}
	// The axis runs from the decade below the smallest bar (at most one
	// path in N) to a little above the largest.
	ymin := math.Pow(10, math.Floor(math.Log10(low)))
	if ymin >= top {
		ymin = top / 10
	}
	ymax := math.Min(1, top*1.5)
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = percentLogTicks{}
	p.Y.Min, p.Y.Max = ymin, ymax
	if len(h.Bins) > 0 {
		h.Width = h.Bins[0].Max - h.Bins[0].Min
		p.Add(h)
	}
	mean := vline(d.Mean, ymin, ymax, meanStyle)
	vr := vline(d.VaR, ymin, ymax, varStyle)
	es := vline(d.ES, ymin, ymax, esStyle)
	p.X.Min = 0
	if len(d.Bins) == 0 {
		// Nothing to mark: the lines stay in the legend only.
		p.X.Max = math.Max(1, d.ES)
		p.Add(note{"No path lost anything"})
	} else {
		p.Add(mean, vr, es)
	}
	if withValues {
		leg.Add(fmt.Sprintf("Paths with loss > 0: %s", fmtPct(d.PPositive)), h)
		leg.Add("Mean "+fmtNum(d.Mean), mean)
		leg.Add("VaR 99% "+fmtNum(d.VaR), vr)
		leg.Add("ES 99% "+fmtNum(d.ES), es)
	} else {
		leg.Add("Paths with loss > 0", h)
		leg.Add("Mean", mean)
		leg.Add("VaR 99%", vr)
		leg.Add("ES 99%", es)
	}
	return p, leg
}

// lossDistributions draws item 1: one histogram per firm and a page of
// small multiples.
func (b *chartBuilder) lossDistributions(kind string) {
	label := lossLabel(kind)
	var panels []*plot.Plot
	for _, f := range b.firms {
		losses, st := firmLosses(f, kind)
		d := newLossDistribution(f.res.Name, losses, st)
		p, leg := histPanel(d, "", false, true)
		title := fmt.Sprintf("%s: %s (%s)", label, f.res.Name, f.kind)
		caption := []string{
			fmt.Sprintf("%s per path, USD bn. %s of the %d paths lose nothing and are not drawn; bars are the share of all paths on a log scale, so that the tail shows.", label, fmtPct(1-d.PPositive), d.N),
			fmt.Sprintf("Mean %s, VaR 99%% %s, ES 99%% %s (mean of the worst 1%% of paths).", fmtNum(d.Mean), fmtNum(d.VaR), fmtNum(d.ES)),
		}
		b.add("loss-"+kind+"-"+f.slug, title, single(p), leg, caption, chartWidth, chartHeight)
		sp, _ := histPanel(d, f.res.Name, true, false)
		panels = append(panels, sp)
	}
	if len(panels) == 0 {
		return
	}
	cols := 2
	if len(panels) > 4 {
		cols = 3
	}
	g := grid(panels, cols)
	_, leg := histPanel(lossDistribution{}, "", true, false)
	caption := []string{
		fmt.Sprintf("%s per path, USD bn, every provider and supplier; each panel has its own scale. Only paths with a positive loss are drawn; bars are the share of all paths on a log scale.", label),
	}
	b.add("loss-"+kind+"-all", label+": all providers and suppliers", g, leg, caption,
		chartWidth, vg.Length(len(g))*tileHeight+captionSpace)
}

// exceedance draws item 2: P(loss > x) of every firm on one chart.
func (b *chartBuilder) exceedance(kind string) {
	label := lossLabel(kind)
	p := newPanel("", label+" x (USD bn)", "P(loss > x), log scale", false)
	leg := newLegend()
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = percentLogTicks{}
	pmin := 1.0
	var none []string
	drawn := 0
	for i, f := range b.firms {
		losses, _ := firmLosses(f, kind)
		c := newExceedanceCurve(f.res.Name, losses, maxCurvePoints)
		if len(c.X) == 0 {
			none = append(none, f.res.Name)
			continue
		}
		for _, v := range c.P {
			pmin = math.Min(pmin, v)
		}
		l, err := stepLine(c.X, c.P, i, vg.Points(1.6))
		if err != nil {
			b.fail(err)
			return
		}
		p.Add(l)
		leg.Add(f.res.Name, l)
		drawn++
	}
	p.Y.Max = 1
	p.Y.Min = math.Pow(10, math.Floor(math.Log10(pmin)))
	if p.Y.Min >= 1 {
		p.Y.Min = 0.1
	}
	p.X.Min = 0
	if drawn == 0 {
		p.X.Max = 1
		p.Add(note{"No path lost anything"})
	}
	caption := []string{fmt.Sprintf("Empirical P(%s > x) from all paths (at most %d points per curve), drawn where it is above zero; the lowest visible probability is 1/paths.", strings.ToLower(label), maxCurvePoints)}
	if b.res.Streaming || b.res.ImportanceSampled {
		caption[0] = fmt.Sprintf("P(%s > x) from %d quantiles of each loss's distribution (the run streamed or weighted its paths; at most %d points per curve), drawn where it is above zero; the lowest visible probability is 1/%d.",
			strings.ToLower(label), plotSampleSize, maxCurvePoints, plotSampleSize)
	}
	if len(none) > 0 {
		caption = append(caption, "No loss on any path (not drawn): "+strings.Join(none, ", ")+".")
	}
	b.add("exceedance-"+kind, label+": exceedance probability", single(p), leg, caption, chartWidth, chartHeight)
}

// comparison draws item 3: box plots of backlog lost as a share of each
// firm's backlog ("backlog") or annual operating cash flow ("ocf").
func (b *chartBuilder) comparison(scale string) {
	ylabel, title, name := "Backlog lost (% of backlog)", "Backlog lost as a share of backlog", "compare-backlog-share"
	if scale == "ocf" {
		ylabel, title, name = "Backlog lost (% of annual operating cash flow)", "Backlog lost as a share of annual operating cash flow", "compare-ocf-share"
	}
	p := newPanel("", "", ylabel, false)
	leg := newLegend()
	var names, skipped, ppos []string
	meanXY, esXY := plotter.XYs{}, plotter.XYs{}
	summarised := false
	var boxes []*plotter.BoxPlot
	for _, f := range b.firms {
		den := f.res.Backlog
		if scale == "ocf" {
			den = f.res.OperatingCashFlow
		}
		if !(den > 0) {
			skipped = append(skipped, fmt.Sprintf("%s (%s %s)", f.res.Name, map[bool]string{true: "operating cash flow", false: "backlog"}[scale == "ocf"], fmtNum(den)))
			continue
		}
		s := newBoxSample(f.res.Name, plotSample(f.res.BacklogLost, f.res.BacklogLostDist), f.sum.BacklogLost, den)
		summarised = summarised || s.Summarised
		loc := float64(len(names))
		bp, err := plotter.NewBoxPlot(vg.Points(36), loc, plotter.Values(s.Values))
		if err != nil {
			b.fail(err)
			return
		}
		c := seriesColor(len(names))
		bp.FillColor = withAlpha(c, 0.35)
		bp.BoxStyle.Color = c
		bp.BoxStyle.Width = vg.Points(1)
		bp.MedianStyle.Color = c
		bp.MedianStyle.Width = vg.Points(2)
		bp.WhiskerStyle.Color = c
		bp.GlyphStyle.Color = withAlpha(c, 0.6)
		bp.GlyphStyle.Radius = vg.Points(1.5)
		boxes = append(boxes, bp)
		p.Add(bp)
		meanXY = append(meanXY, plotter.XY{X: loc, Y: s.Mean})
		esXY = append(esXY, plotter.XY{X: loc, Y: s.ES})
		names = append(names, f.res.Name)
		ppos = append(ppos, fmt.Sprintf("%s %s", f.res.Name, fmtPct(f.sum.LossFromDefaultProbability.P)))
	}
	if len(names) > 0 {
		ms, _ := plotter.NewScatter(meanXY)
		ms.GlyphStyle = draw.GlyphStyle{Color: okabeIto[7], Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		es, _ := plotter.NewScatter(esXY)
		es.GlyphStyle = draw.GlyphStyle{Color: okabeIto[1], Radius: vg.Points(4), Shape: draw.TriangleGlyph{}}
		p.Add(ms, es)
		p.NominalX(names...)
		p.X.Tick.Label.Font.Size = vg.Points(9)
		leg.Add("Mean", ms)
		leg.Add("ES 99%", es)
		leg.Add("Median and quartiles", boxThumb{boxes[0]})
	} else {
		p.Add(note{"No firm to compare"})
	}
	p.Y.Min = 0
	caption := []string{
		"Box: quartiles and median of the per-path loss; whiskers reach 1.5 × IQR; dots beyond are single paths. P(loss from a counterparty's default): " + strings.Join(ppos, ", ") + ".",
	}
	if summarised {
		caption = append(caption, fmt.Sprintf("Boxes drawn from the %d-quantile summary of each sample; mean and ES from all paths.", boxQuantiles))
	}
	if len(skipped) > 0 {
		caption = append(caption, "Left out, scale not positive: "+strings.Join(skipped, ", ")+".")
	}
	b.add(name, title, single(p), leg, caption, chartWidth, chartHeight)
}

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
