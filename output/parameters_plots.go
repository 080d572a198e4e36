package output

import (
	"fmt"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ParameterSetCharts returns the charts of parameter uncertainty: for the
// default probabilities ("parameter-bands-default-probability") and for
// every other statistic present ("parameter-bands-STATISTIC"), one row per
// entity with the 5–95% band over the parameter sets, their median, and
// the scenario's own value ± two Monte Carlo standard errors.
func ParameterSetCharts(p *ParameterSets, metrics []Metric) ([]Chart, error) {
	var stats []string
	for _, m := range metrics {
		if !strings.Contains(strings.Join(stats, " "), m.Stat) {
			stats = append(stats, m.Stat)
		}
	}
	var charts []Chart
	for _, st := range stats {
		var bands []ParameterBand
		var entities []string
		f := 1.0
		label := ""
		for i, m := range metrics {
			if m.Stat == st && i < len(p.Bands) {
				bands = append(bands, p.Bands[i])
				entities = append(entities, m.Entity)
				label, f = metricLabel(m)
				label = strings.TrimPrefix(label, m.Entity+" ")
			}
		}
		c, err := bandChart(p, st, label, f, entities, bands)
		if err != nil {
			return nil, err
		}
		charts = append(charts, c)
	}
	return charts, nil
}

func bandChart(p *ParameterSets, stat, label string, f float64, entities []string, bands []ParameterBand) (Chart, error) {
	label = strings.Replace(label, "(percentage points)", "(%)", 1)
	pl := rowsPanel(label, entities)
	leg := newLegend()
	var med, base plotter.XYs
	var baseErr xErrors
	for i, b := range bands {
		y := float64(len(bands) - 1 - i)
		bar, err := hbar(f*b.P05, f*b.P95, y, seriesColor(0))
		if err != nil {
			return Chart{}, err
		}
		bar.Color = withAlpha(seriesColor(0), 0.3)
		pl.Add(bar)
		if i == 0 {
			leg.Add("5–95% over parameter sets", bar)
		}
		med = append(med, plotter.XY{X: f * b.Median, Y: y})
		base = append(base, plotter.XY{X: f * b.Base.Value, Y: y - 0.3})
		baseErr.lo = append(baseErr.lo, 2*f*b.Base.StdErr)
		baseErr.hi = append(baseErr.hi, 2*f*b.Base.StdErr)
	}
	baseErr.XYs = base
	if len(bands) > 0 {
		ms, err := plotter.NewScatter(med)
		if err != nil {
			return Chart{}, err
		}
		ms.GlyphStyle = draw.GlyphStyle{Color: seriesColor(0), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		bs, err := plotter.NewScatter(base)
		if err != nil {
			return Chart{}, err
		}
		bs.GlyphStyle = draw.GlyphStyle{Color: seriesColor(1), Radius: vg.Points(3.5), Shape: draw.TriangleGlyph{}}
		eb, err := plotter.NewXErrorBars(baseErr)
		if err != nil {
			return Chart{}, err
		}
		eb.LineStyle.Color = seriesColor(1)
		eb.LineStyle.Width = vg.Points(1)
		pl.Add(ms, eb, bs)
		leg.Add("median over parameter sets", ms)
		leg.Add("scenario as written ± 2 MC s.e.", bs)
	}
	caption := []string{
		fmt.Sprintf("Parameter uncertainty: %d parameter sets drawn from the [uncertainty] section (%s, seed %d), %d paths each on seed %d (common random numbers). The band is the spread across parameter sets; the whisker the Monte Carlo error of one run.",
			p.Sets, p.Design, p.DesignSeed, p.Paths, p.Seed),
		"Scenario " + p.Scenario + "; backlogsim.",
	}
	name := "parameter-bands-" + slug(stat)
	title := "Parameter uncertainty: " + label
	return Chart{Name: name, Title: title, Plot: newFigure(title, single(pl), leg, caption), Width: chartWidth, Height: rowsHeight(len(bands))}, nil
}
