package output

import (
	"fmt"
	"github.com/backlogsim/backlogsim/mcstat"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barHalf is half the height of one horizontal bar, in rows.
const barHalf = 0.18

// maxChartRows is the most parameters a tornado or index chart shows.
const maxChartRows = 12

// panelLegend sets up p's own legend, in the bottom right corner inside
// the panel (where the shortest bars are), in the charts' font.
func panelLegend(p *plot.Plot) *plot.Legend {
	l := newLegend()
	l.Left, l.Top = false, false
	p.Legend = *l
	return &p.Legend
}

// rowHeight is the height one parameter takes in a tornado or index chart.
const rowHeight = 0.32 * vg.Inch

// SensitivityCharts returns the charts of a sensitivity analysis: a
// tornado per metric ("tornado-METRIC") and a chart of Sobol indices per
// metric ("sobol-METRIC").
func SensitivityCharts(s *Sensitivity) ([]Chart, error) {
	var charts []Chart
	if t := s.Tornado; t != nil {
		for _, m := range t.Metrics {
			c, err := tornadoChart(s, m)
			if err != nil {
				return nil, err
			}
			charts = append(charts, c)
		}
	}
	if sob := s.Sobol; sob != nil {
		for _, m := range sob.Metrics {
			c, err := sobolChart(s, m)
			if err != nil {
				return nil, err
			}
			charts = append(charts, c)
		}
	}
	return charts, nil
}

// metricOf returns the Metric named name in s.
func metricOf(s *Sensitivity, name string) Metric {
	for _, m := range s.Metrics {
		if m.String() == name {
			return m
		}
	}
	return Metric{Stat: name}
}

// metricLabel is a metric's axis label and the factor its values are
// drawn with (100 for probabilities, drawn in percent).
func metricLabel(m Metric) (string, float64) {
	switch m.Stat {
	case "default_probability":
		return m.Entity + " default probability (percentage points)", 100
	case "backlog_lost_mean":
		return m.Entity + " mean backlog lost (USD bn)", 1
	case "backlog_lost_es":
		return m.Entity + " ES 99% of backlog lost (USD bn)", 1
	case "economic_loss_mean":
		return m.Entity + " mean economic loss (USD bn)", 1
	case "economic_loss_es":
		return m.Entity + " ES 99% of economic loss (USD bn)", 1
	}
	return m.String(), 1
}

// hbar is a horizontal bar from x0 to x1 centred on row y.
func hbar(x0, x1, y float64, c color.NRGBA) (*plotter.Polygon, error) {
	pg, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: y - barHalf}, {X: x1, Y: y - barHalf}, {X: x1, Y: y + barHalf}, {X: x0, Y: y + barHalf}})
	if err != nil {
		return nil, err
	}
	pg.Color = withAlpha(c, 0.75)
	pg.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(0.8)}
	return pg, nil
}

// xErrors are horizontal error bars: points with a low and a high error.
type xErrors struct {
	plotter.XYs
	lo, hi []float64
}

func (e xErrors) XError(i int) (float64, float64) { return e.lo[i], e.hi[i] }

// rowsPanel returns a panel with one row per label, the first on top.
func rowsPanel(xlabel string, labels []string) *plot.Plot {
	p := newPanel("", xlabel, "", false)
	rev := make([]string, len(labels))
	for i, l := range labels {
		rev[len(labels)-1-i] = l
	}
	p.NominalY(rev...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(labels))-0.4
	return p
}

func rowsHeight(n int) vg.Length {
	return max(chartHeight, vg.Length(n)*rowHeight+captionSpace+0.9*vg.Inch)
}

func tornadoChart(s *Sensitivity, m TornadoMetric) (Chart, error) {
	t := s.Tornado
	metric := metricOf(s, m.Metric)
	label, f := metricLabel(metric)
	bars, omitted := m.Bars[:min(len(m.Bars), maxChartRows)], max(0, len(m.Bars)-maxChartRows)
	labels := make([]string, len(bars))
	for i, b := range bars {
		labels[i] = b.Parameter
	}
	p := rowsPanel("Change from the base: "+label, labels)
	leg := panelLegend(p)
	errs := []xErrors{{}, {}}
	for i, b := range bars {
		y := float64(len(bars) - 1 - i)
		for k, d := range []mcstat.Difference{b.LowDiff, b.HighDiff} {
			pos := y + barHalf*float64(1-2*k) // low above, high below
			bar, err := hbar(0, f*d.Diff, pos, seriesColor(k))
			if err != nil {
				return Chart{}, err
			}
			p.Add(bar)
			if i == 0 {
				leg.Add([]string{"parameter at low", "parameter at high"}[k], bar)
			}
			errs[k].XYs = append(errs[k].XYs, plotter.XY{X: f * d.Diff, Y: pos})
			errs[k].lo = append(errs[k].lo, f*d.PairedStdErr)
			errs[k].hi = append(errs[k].hi, f*d.PairedStdErr)
		}
	}
	for _, e := range errs {
		if len(e.XYs) == 0 {
			continue
		}
		eb, err := plotter.NewXErrorBars(e)
		if err != nil {
			return Chart{}, err
		}
		eb.LineStyle.Width = vg.Points(1)
		p.Add(eb)
	}
	caption := []string{
		fmt.Sprintf("Base %s = %s ± %s. Each bar: the metric with one parameter at its low or high value minus the base, on common random numbers; whiskers ± one paired standard error.",
			m.Metric, fmtShort(f*m.Base.Value), fmtShort(f*m.Base.StdErr)),
		fmt.Sprintf("Scenario %s; seed %d; %d paths per run; distributions' low and high at their %s and %s quantiles; backlogsim.",
			s.Scenario, t.Seed, t.Paths, fmtPct(t.Quantile), fmtPct(1-t.Quantile)),
	}
	if omitted > 0 {
		caption = append(caption, fmt.Sprintf("The %d parameters with the largest swings; %d more in sensitivity.json.", len(bars), omitted))
	}
	name := "tornado-" + slug(m.Metric)
	return Chart{Name: name, Title: "Tornado: " + m.Metric,
		Plot: newFigure("Tornado: "+m.Metric, single(p), nil, caption), Width: chartWidth, Height: rowsHeight(len(bars))}, nil
}

func sobolChart(s *Sensitivity, m SobolMetric) (Chart, error) {
	sob := s.Sobol
	indices, omitted := m.Indices[:min(len(m.Indices), maxChartRows)], max(0, len(m.Indices)-maxChartRows)
	labels := make([]string, len(indices))
	for i, ix := range indices {
		labels[i] = ix.Parameter
	}
	p := rowsPanel("Sobol index (share of variance)", labels)
	leg := panelLegend(p)
	errs := []xErrors{{}, {}}
	for i, ix := range indices {
		y := float64(len(indices) - 1 - i)
		for k, c := range []struct {
			name string
			iv   float64
			lo   float64
			hi   float64
		}{{"first order", ix.First.Value, ix.First.Lo, ix.First.Hi}, {"total", ix.Total.Value, ix.Total.Lo, ix.Total.Hi}} {
			if math.IsNaN(c.iv) {
				continue
			}
			pos := y + barHalf*float64(1-2*k)
			bar, err := hbar(0, c.iv, pos, seriesColor(k))
			if err != nil {
				return Chart{}, err
			}
			p.Add(bar)
			if i == 0 {
				leg.Add(c.name, bar)
			}
			if !math.IsNaN(c.lo) {
				errs[k].XYs = append(errs[k].XYs, plotter.XY{X: c.iv, Y: pos})
				errs[k].lo = append(errs[k].lo, math.Max(0, c.iv-c.lo))
				errs[k].hi = append(errs[k].hi, math.Max(0, c.hi-c.iv))
			}
		}
	}
	for _, e := range errs {
		if len(e.XYs) == 0 {
			continue
		}
		eb, err := plotter.NewXErrorBars(e)
		if err != nil {
			return Chart{}, err
		}
		eb.LineStyle.Width = vg.Points(1)
		p.Add(eb)
	}
	caption := []string{
		fmt.Sprintf("First-order (Saltelli et al. 2010) and total (Jansen 1999) Sobol indices of %s over the joint distribution of the parameters; whiskers: %s bootstrap intervals (%d resamples).",
			m.Metric, fmtPct(sob.Level), sob.Resamples),
		fmt.Sprintf("Scenario %s; %d base rows, %d runs of %d paths on seed %d (common random numbers); design seed %d. Sampling noise is %s of the variance.",
			s.Scenario, sob.BaseRows, sob.Cases, sob.Paths, sob.Seed, sob.DesignSeed, noiseShare(m)),
	}
	if omitted > 0 {
		caption = append(caption, fmt.Sprintf("The %d parameters with the largest total indices; %d more in sensitivity.json.", len(indices), omitted))
	}
	name := "sobol-" + slug(m.Metric)
	return Chart{Name: name, Title: "Sobol indices: " + m.Metric,
		Plot: newFigure("Sobol indices: "+m.Metric, single(p), nil, caption), Width: chartWidth, Height: rowsHeight(len(indices))}, nil
}

// noiseShare is the share of a metric's variance over the design that the
// Monte Carlo noise of each run accounts for, as text.
func noiseShare(m SobolMetric) string {
	if !(m.Variance > 0) {
		return "all (the metric does not vary)"
	}
	return fmtPct(math.Min(1, m.NoiseVariance/m.Variance))
}
