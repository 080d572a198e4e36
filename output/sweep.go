package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/mcstat"
)

// Sweep is the content of sweep.json: a scenario run on a grid of values
// of one or two keys, every point on the same seed and paths (common
// random numbers).
type Sweep struct {
	FormatVersion int        `json:"format_version"`
	MoneyUnit     string     `json:"money_unit"`
	Scenario      string     `json:"scenario"`
	Seed          uint64     `json:"seed"`
	Paths         int        `json:"paths"`
	Keys          []SweepKey `json:"keys"`
	Metrics       []Metric   `json:"metrics"`
	// Points are the grid points, the last key varying fastest: point
	// i·len(Keys[1].Values) + j has Keys[0].Values[i] and Keys[1].Values[j].
	Points []SweepPoint `json:"points"`
}

// SweepKey is one swept key and its values.
type SweepKey struct {
	Key    string    `json:"key"`
	Values []float64 `json:"values"`
}

// SweepPoint is one grid point: the keys' values and every metric there.
type SweepPoint struct {
	Values    []float64         `json:"values"`
	Estimates []mcstat.Estimate `json:"estimates"`
}

// SweepJSON returns s as sweep.json.
func SweepJSON(s *Sweep) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("output: encoding sweep: %w", err)
	}
	return buf.Bytes(), nil
}

// SweepCSV returns s as a tidy table: one column per swept key (named by
// the key), then metric, value and stderr; one row per point and metric.
func SweepCSV(s *Sweep) ([]byte, error) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	var header []string
	for _, k := range s.Keys {
		header = append(header, k.Key)
	}
	rows := [][]string{append(header, "metric", "value", "stderr")}
	for _, p := range s.Points {
		for j, m := range s.Metrics {
			var row []string
			for _, v := range p.Values {
				row = append(row, num(v))
			}
			rows = append(rows, append(row, m.String(), num(p.Estimates[j].Value), num(p.Estimates[j].StdErr)))
		}
	}
	var buf bytes.Buffer
	if err := csv.NewWriter(&buf).WriteAll(rows); err != nil {
		return nil, fmt.Errorf("output: sweep.csv: %w", err)
	}
	return buf.Bytes(), nil
}

// SweepCharts returns a chart per metric ("sweep-METRIC"): for one key a
// line with ± one standard error bars, for two a heat map with each
// cell's value written in it.
func SweepCharts(s *Sweep) ([]Chart, error) {
	var charts []Chart
	for j, m := range s.Metrics {
		label, f := metricLabel(m)
		label = trimUnitPP(label)
		var p *plot.Plot
		var leg *plot.Legend
		var err error
		if len(s.Keys) == 1 {
			p, leg, err = sweepLine(s, j, label, f)
		} else {
			p, err = sweepHeat(s, j, label, f)
		}
		if err != nil {
			return nil, err
		}
		caption := []string{fmt.Sprintf("Scenario %s with %s; every point %d paths on seed %d (common random numbers); backlogsim.",
			s.Scenario, sweepKeysText(s), s.Paths, s.Seed)}
		if len(s.Keys) == 1 {
			caption = append([]string{"Whiskers: ± one Monte Carlo standard error."}, caption...)
		}
		title := "Sweep: " + label
		charts = append(charts, Chart{Name: "sweep-" + slug(m.String()), Title: title,
			Plot: newFigure(title, single(p), leg, caption), Width: chartWidth, Height: chartHeight})
	}
	return charts, nil
}

func trimUnitPP(label string) string {
	const pp = " (percentage points)"
	if len(label) > len(pp) && label[len(label)-len(pp):] == pp {
		return label[:len(label)-len(pp)] + " (%)"
	}
	return label
}

func sweepKeysText(s *Sweep) string {
	out := ""
	for i, k := range s.Keys {
		if i > 0 {
			out += " and "
		}
		out += fmt.Sprintf("%s from %s to %s in %d steps", k.Key, fmtShort(k.Values[0]), fmtShort(k.Values[len(k.Values)-1]), len(k.Values))
	}
	return out
}

func sweepLine(s *Sweep, j int, label string, f float64) (*plot.Plot, *plot.Legend, error) {
	p := newPanel("", s.Keys[0].Key, label, false)
	var pts plotter.XYs
	var errs plotter.YErrors
	for _, pt := range s.Points {
		e := pt.Estimates[j]
		pts = append(pts, plotter.XY{X: pt.Values[0], Y: f * e.Value})
		errs = append(errs, struct{ Low, High float64 }{f * e.StdErr, f * e.StdErr})
	}
	line, sc, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, nil, err
	}
	line.Color, line.Width = seriesColor(0), vg.Points(1.6)
	sc.GlyphStyle = draw.GlyphStyle{Color: seriesColor(0), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{pts, errs})
	if err != nil {
		return nil, nil, err
	}
	eb.LineStyle.Color = seriesColor(0)
	p.Add(line, sc, eb)
	return p, nil, nil
}

// sweepGrid is the grid of one metric of a two-key sweep.
type sweepGrid struct {
	s *Sweep
	j int
	f float64
}

func (g sweepGrid) Dims() (int, int) { return len(g.s.Keys[0].Values), len(g.s.Keys[1].Values) }
func (g sweepGrid) Z(c, r int) float64 {
	return g.f * g.s.Points[c*len(g.s.Keys[1].Values)+r].Estimates[g.j].Value
}
func (g sweepGrid) X(c int) float64 { return g.s.Keys[0].Values[c] }
func (g sweepGrid) Y(r int) float64 { return g.s.Keys[1].Values[r] }

func sweepHeat(s *Sweep, j int, label string, f float64) (*plot.Plot, error) {
	p := newPanel("", s.Keys[0].Key, s.Keys[1].Key, false)
	g := sweepGrid{s: s, j: j, f: f}
	lo, hi := math.Inf(1), math.Inf(-1)
	nc, nr := g.Dims()
	for c := range nc {
		for r := range nr {
			lo, hi = math.Min(lo, g.Z(c, r)), math.Max(hi, g.Z(c, r))
		}
	}
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	cm := moreland.Kindlmann()
	cm.SetMin(0)
	cm.SetMax(1)
	hm := plotter.NewHeatMap(g, cm.Palette(64))
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	var dark, light plotter.XYLabels
	for c := range nc {
		for r := range nr {
			z := g.Z(c, r)
			xy := plotter.XY{X: g.X(c), Y: g.Y(r)}
			if (z-lo)/(hi-lo) > 0.55 {
				dark.XYs, dark.Labels = append(dark.XYs, xy), append(dark.Labels, fmtShort(z))
			} else {
				light.XYs, light.Labels = append(light.XYs, xy), append(light.Labels, fmtShort(z))
			}
		}
	}
	for k, set := range []plotter.XYLabels{dark, light} {
		if len(set.XYs) == 0 {
			continue
		}
		labels, err := plotter.NewLabels(set)
		if err != nil {
			return nil, err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].Font = font.From(sans, vg.Points(7.5))
			labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
			labels.TextStyle[i].Color = []color.Color{color.Black, color.White}[k]
		}
		p.Add(labels)
	}
	return p, nil
}
