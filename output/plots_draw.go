package output

import (
	"fmt"
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
