package output

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// Convergence: how an estimate settles as paths are added. Each point is
// the statistic computed exactly as the run computes it, on the run's
// first n paths (whole antithetic pairs, weighted as the run weights
// them), with its Monte Carlo standard error; the last point is the run's
// own estimate. It needs every path's outcomes (exact summaries).

// ConvergenceSeries is one statistic on the first Paths[k] paths of a run:
// Value[k] ± StdErr[k].
type ConvergenceSeries struct {
	Name   string
	Paths  []int
	Value  []float64
	StdErr []float64
}

// convergencePoints is the number of prefixes a series is computed on.
const convergencePoints = 16

// ConvergencePaths returns the prefixes of a run of paths paths in
// independent groups of group paths that a convergence series uses: about
// convergencePoints numbers of paths, evenly spaced on a log scale, from
// max(500, paths/256) (or paths, if fewer) to paths, each a whole number of
// groups.
func ConvergencePaths(paths, group int) []int {
	lo := min(paths, max(500, paths/256))
	var out []int
	for k := range convergencePoints {
		n := float64(lo) * math.Pow(float64(paths)/float64(lo), float64(k)/(convergencePoints-1))
		p := max(group, int(math.Round(n))/group*group)
		if k == convergencePoints-1 {
			p = paths
		}
		if len(out) == 0 || p > out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// PrefixStats returns the LossStats of the first n of the values xs (with
// weights ws, nil meaning all 1) of a run whose paths come in independent
// groups of group: those the run reports when n is all of them.
func PrefixStats(xs, ws []float64, group, n int) mcstat.LossStats {
	d := mcstat.NewExact(n, group)
	unit := slices.Repeat([]float64{1}, group)
	for j := 0; j+group <= n; j += group {
		w := unit
		if ws != nil {
			w = ws[j : j+group]
		}
		d.AddGroup(j, xs[j:j+group], w)
	}
	var pw []float64
	if ws != nil {
		pw = ws[:n]
	}
	d.FinishExact(xs[:n], pw)
	return d.Stats()
}

// convergenceOf returns the series of statistic stat of values xs of res.
func convergenceOf(res *sim.Results, name string, xs []float64, stat func(mcstat.LossStats) (float64, float64)) ConvergenceSeries {
	g := 1
	if res.Antithetic {
		g = 2
	}
	s := ConvergenceSeries{Name: name}
	for _, n := range ConvergencePaths(len(xs), g) {
		v, se := stat(PrefixStats(xs, res.Weights, g, n))
		s.Paths, s.Value, s.StdErr = append(s.Paths, n), append(s.Value, v), append(s.StdErr, se)
	}
	return s
}

// maxConvergenceLabs bounds the labs drawn in one convergence chart.
const maxConvergenceLabs = 8

// DefaultConvergence returns each customer's probability of default
// within the horizon against paths, the most likely to default first (at
// most maxConvergenceLabs), or nil in streaming mode.
func DefaultConvergence(res *sim.Results) []ConvergenceSeries {
	if res.Streaming || res.Paths == 0 {
		return nil
	}
	mean := func(st mcstat.LossStats) (float64, float64) { return st.Mean, st.MeanStdErr }
	var out []ConvergenceSeries
	for _, c := range res.Customers {
		xs := make([]float64, len(c.DefaultStep))
		for i, s := range c.DefaultStep {
			if s >= 0 {
				xs[i] = 1
			}
		}
		out = append(out, convergenceOf(res, c.Name, xs, mean))
	}
	slices.SortStableFunc(out, func(a, b ConvergenceSeries) int {
		return cmp.Compare(b.Value[len(b.Value)-1], a.Value[len(a.Value)-1])
	})
	return out[:min(len(out), maxConvergenceLabs)]
}

// SystemConvergence returns the mean and the ES 99% of the system's
// backlog lost against paths, or nil in streaming mode.
func SystemConvergence(res *sim.Results) []ConvergenceSeries {
	if res.Streaming || res.System == nil || len(res.System.BacklogLost) == 0 {
		return nil
	}
	k := tailIndex()
	xs := res.System.BacklogLost
	return []ConvergenceSeries{
		convergenceOf(res, "Mean", xs, func(st mcstat.LossStats) (float64, float64) { return st.Mean, st.MeanStdErr }),
		convergenceOf(res, "ES 99%", xs, func(st mcstat.LossStats) (float64, float64) { return st.ES[k], st.ESStdErr[k] }),
	}
}

// convergence draws the convergence charts of an exact run.
func (b *chartBuilder) convergence() {
	labs := DefaultConvergence(b.res)
	for i := range labs {
		for k := range labs[i].Value {
			labs[i].Value[k] *= 100
			labs[i].StdErr[k] *= 100
		}
	}
	b.convergenceChart("convergence-default-probability", "Convergence: labs' default probability", "Default probability (%)", labs,
		"Each lab's probability of default within the horizon on the run's first n paths.")
	b.convergenceChart("convergence-system-loss", "Convergence: system backlog lost", "USD bn", SystemConvergence(b.res),
		"Mean and ES 99% of the backlog lost by all providers and suppliers together on the run's first n paths.")
}

// convergenceChart draws series against paths on a log scale, each with
// its 95% band (±1.96 standard errors).
func (b *chartBuilder) convergenceChart(name, title, ylabel string, series []ConvergenceSeries, what string) {
	if len(series) == 0 {
		return
	}
	p := newPanel("", "Paths (log scale)", ylabel, false)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	leg := newLegend()
	for i, s := range series {
		ring := make(plotter.XYs, 0, 2*len(s.Paths))
		line := make(plotter.XYs, len(s.Paths))
		for k, n := range s.Paths {
			ring = append(ring, plotter.XY{X: float64(n), Y: s.Value[k] + 1.96*s.StdErr[k]})
			line[k] = plotter.XY{X: float64(n), Y: s.Value[k]}
		}
		for k := len(s.Paths) - 1; k >= 0; k-- {
			ring = append(ring, plotter.XY{X: float64(s.Paths[k]), Y: s.Value[k] - 1.96*s.StdErr[k]})
		}
		band, err := plotter.NewPolygon(ring)
		if err != nil {
			b.fail(err)
			return
		}
		band.Color = withAlpha(seriesColor(i), 0.2)
		band.LineStyle = draw.LineStyle{}
		l, err := plotter.NewLine(line)
		if err != nil {
			b.fail(err)
			return
		}
		l.Color, l.Dashes, l.Width = seriesColor(i), seriesDashes(i), vg.Points(1.8)
		p.Add(band, l)
		last := len(s.Value) - 1
		leg.Add(fmt.Sprintf("%s (%s ± %s)", s.Name, fmtNum(s.Value[last]), fmtSE(s.StdErr[last])), l)
	}
	p.X.Min, p.X.Max = float64(series[0].Paths[0]), float64(series[0].Paths[len(series[0].Paths)-1])
	caption := []string{what + " Bands are 95% confidence intervals (±1.96 Monte Carlo standard errors); the last point is the run's estimate."}
	b.add(name, title, single(p), leg, caption, chartWidth, chartHeight)
}
