package output

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// This file holds the data behind the charts: small, drawing-free summaries
// of *sim.Results that plots_draw.go turns into plots. Keeping them apart
// lets tests check the numbers without looking at pixels.

// maxCurvePoints caps the points of one exceedance curve so that a run with
// millions of paths still gives small SVG files.
const maxCurvePoints = 400

// boxQuantiles is the number of quantile levels a large sample is reduced
// to before it is handed to plotter.NewBoxPlot.
const boxQuantiles = 400

// tailLevel is the confidence level whose VaR and ES the charts mark.
const tailLevel = 0.99

// tailIndex returns the index of tailLevel in mcstat.TailLevels().
func tailIndex() int {
	for k, q := range mcstat.TailLevels() {
		if math.Abs(q-tailLevel) < 1e-12 {
			return k
		}
	}
	return len(mcstat.TailLevels()) - 1
}

// histBin is one bin of a loss histogram. Share is the percentage of all
// paths (not only the paths that lost something) whose loss falls in
// [Lo, Hi).
type histBin struct {
	Lo, Hi, Share float64
}

// lossDistribution is what a loss histogram shows: the positive losses in
// bins and the statistics marked on them.
type lossDistribution struct {
	Name      string
	N         int
	PPositive float64 // share of paths with a loss above zero, in [0, 1]
	Mean      float64
	VaR, ES   float64 // at tailLevel
	Bins      []histBin
}

// newLossDistribution bins the positive values of losses. Paths that lose
// exactly zero are counted in PPositive, not drawn: they would dwarf every
// other bar.
func newLossDistribution(name string, losses []float64, st mcstat.LossStats) lossDistribution {
	k := tailIndex()
	d := lossDistribution{
		Name: name, N: len(losses), PPositive: st.PPositive,
		Mean: st.Mean, VaR: st.VaR[k], ES: st.ES[k],
	}
	var pos []float64
	for _, l := range losses {
		if l > 0 {
			pos = append(pos, l)
		}
	}
	if len(pos) == 0 {
		return d
	}
	slices.Sort(pos)
	lo, hi := pos[0], pos[len(pos)-1]
	// Rice rule, bounded so that the bars stay readable.
	nb := min(max(int(math.Ceil(2*math.Cbrt(float64(len(pos))))), 5), 40)
	if hi-lo <= 1e-12*math.Max(1, hi) {
		w := math.Max(hi*0.05, 1e-9)
		d.Bins = []histBin{{Lo: lo - w, Hi: hi + w, Share: 100 * float64(len(pos)) / float64(d.N)}}
		return d
	}
	lo = 0 // losses are non-negative: start the axis at zero
	div := make([]float64, nb+1)
	floats := make([]float64, nb+1)
	for i := range div {
		floats[i] = lo + (hi-lo)*float64(i)/float64(nb)
		div[i] = floats[i]
	}
	div[nb] = math.Nextafter(hi, math.Inf(1))
	counts := stat.Histogram(nil, div, pos, nil)
	for i, c := range counts {
		d.Bins = append(d.Bins, histBin{Lo: floats[i], Hi: floats[i+1], Share: 100 * c / float64(d.N)})
	}
	return d
}

// exceedanceCurve is the empirical survival function P(L > x) of one
// firm's losses at selected points, only where it is positive.
type exceedanceCurve struct {
	Name string
	X, P []float64 // P in [0, 1], decreasing; X increasing
}

// newExceedanceCurve evaluates the empirical survival function of losses
// exactly, at no more than maxPoints points chosen deterministically: x = 0,
// the order statistics whose exceedance counts are spaced geometrically
// (so the far tail keeps its resolution on a log axis) and evenly spaced
// values of x. Points where P(L > x) = 0 are left out.
func newExceedanceCurve(name string, losses []float64, maxPoints int) exceedanceCurve {
	c := exceedanceCurve{Name: name}
	n := len(losses)
	if n == 0 {
		return c
	}
	sorted := slices.Clone(losses)
	slices.Sort(sorted)
	if sorted[n-1] <= 0 {
		return c
	}
	xs := []float64{0}
	half := max(maxPoints/2-1, 2)
	// Order statistics with k paths at or above them, k from 1 to the
	// number of positive losses, geometrically spaced.
	npos := n - mcstat.CountAtMost(sorted, 0)
	for i := range half {
		k := int(math.Round(math.Pow(float64(npos), float64(i)/float64(half-1))))
		k = min(max(k, 1), npos)
		xs = append(xs, sorted[n-k])
	}
	top := sorted[n-1]
	for i := range half {
		xs = append(xs, top*float64(i)/float64(half))
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	for _, x := range xs {
		above := n - mcstat.CountAtMost(sorted, x)
		if above == 0 {
			continue
		}
		c.X = append(c.X, x)
		c.P = append(c.P, float64(above)/float64(n))
	}
	return c
}

// boxSample is one box of a comparison box plot: losses as a percentage of
// a scale (backlog or annual operating cash flow).
type boxSample struct {
	Name string
	// Values are the per-path percentages, or, when there are more than
	// boxQuantiles+1 paths, their quantiles at levels 0, 1/boxQuantiles,
	// …, 1: box, whiskers and the extremes are unchanged to the resolution
	// of the plot, and the outliers drawn stay few enough for small SVGs.
	Values     []float64
	Mean, ES   float64 // percentages; ES at tailLevel
	Summarised bool
}

// newBoxSample scales losses by 100/scale. scale must be positive.
func newBoxSample(name string, losses []float64, st mcstat.LossStats, scale float64) boxSample {
	k := tailIndex()
	f := 100 / scale
	b := boxSample{Name: name, Mean: st.Mean * f, ES: st.ES[k] * f}
	sorted := slices.Clone(losses)
	slices.Sort(sorted)
	for i := range sorted {
		sorted[i] *= f
	}
	if len(sorted) <= boxQuantiles+1 {
		b.Values = sorted
		return b
	}
	b.Summarised = true
	for i := 0; i <= boxQuantiles; i++ {
		b.Values = append(b.Values, stat.Quantile(float64(i)/boxQuantiles, stat.Empirical, sorted, nil))
	}
	return b
}

// survivalCurve is the percentage of paths on which a customer has not
// defaulted by the end of each month of the horizon, starting at 100% at
// time zero.
type survivalCurve struct {
	Name    string
	Months  []float64
	Percent []float64
}

func newSurvivalCurve(c sim.CustomerResults, stepYears []float64) survivalCurve {
	s := survivalCurve{Name: c.Name, Months: []float64{0}, Percent: []float64{100}}
	if c.Survival != nil { // the engine's (weighted) survival by step
		for k, t := range stepYears {
			s.Months = append(s.Months, 12*t)
			s.Percent = append(s.Percent, 100*c.Survival[k])
		}
		return s
	}
	n := len(c.DefaultStep)
	byStep := make([]int, len(stepYears))
	for _, st := range c.DefaultStep {
		if st >= 0 && int(st) < len(byStep) {
			byStep[st]++
		}
	}
	alive := n
	for k, t := range stepYears {
		alive -= byStep[k]
		p := 100.0
		if n > 0 {
			p = 100 * float64(alive) / float64(n)
		}
		s.Months = append(s.Months, 12*t)
		s.Percent = append(s.Percent, p)
	}
	return s
}

// cashFan is one customer's cash quantiles over time; Bands[i] are the
// sim.CashBandLevels() quantiles at Months[i]. The first point is time
// zero, where every path has the initial cash.
type cashFan struct {
	Name   string
	Months []float64
	Bands  [][5]float64
}

func newCashFan(c sim.CustomerResults, initialCash float64, stepYears []float64) cashFan {
	f := cashFan{Name: c.Name, Months: []float64{0}, Bands: [][5]float64{{initialCash, initialCash, initialCash, initialCash, initialCash}}}
	for k, t := range stepYears {
		if k >= len(c.CashBands) {
			break
		}
		f.Months = append(f.Months, 12*t)
		f.Bands = append(f.Bands, c.CashBands[k])
	}
	return f
}

// regimeShares is the percentage of paths in each funding regime during
// each step, plotted at the step's midpoint.
type regimeShares struct {
	Names   []string
	Months  []float64
	Percent [][]float64 // [regime][step]
}

func newRegimeShares(res *sim.Results) regimeShares {
	var r regimeShares
	nr := 0
	for _, row := range res.RegimeShare {
		nr = max(nr, len(row))
	}
	for i := range nr {
		name := ""
		if res.Model != nil && i < len(res.Model.Funding.Regimes) {
			name = res.Model.Funding.Regimes[i].Name
		}
		if name == "" {
			name = "regime " + strconv.Itoa(i+1)
		}
		r.Names = append(r.Names, name)
	}
	r.Percent = make([][]float64, nr)
	prev := 0.0
	for s, row := range res.RegimeShare {
		if s >= len(res.StepYears) {
			break
		}
		t := res.StepYears[s]
		r.Months = append(r.Months, 12*(prev+t)/2)
		prev = t
		for i := range nr {
			v := 0.0
			if i < len(row) {
				v = 100 * row[i]
			}
			r.Percent[i] = append(r.Percent[i], v)
		}
	}
	return r
}

// lossBreakdown is one firm's backlog lost by source.
type lossBreakdown struct {
	Firm    string
	Sources []sim.LossSource
}
