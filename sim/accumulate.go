package sim

import "math"

// CashHistogram is a streaming, mergeable histogram of cash balances on an
// inverse-hyperbolic-sine scale, z = asinh(x / 1 bn), with equal-width bins
// over |z| <= asinh(10⁷); values beyond fall in the end bins. Its quantiles
// are bin midpoints, so a quantile is exact to within half a bin: 0.41% of
// |x| for |x| above a few billion, and 0.0041 bn near zero. Counts are
// integers, so merging in any order gives identical results.
type CashHistogram struct {
	counts []int64
	n      int64
}

const (
	cashBins  = 4096
	cashScale = 1.0 // USD bn
)

func cashZMax() float64 { return math.Asinh(1e7) }

func (h *CashHistogram) add(x float64) {
	if h.counts == nil {
		h.counts = make([]int64, cashBins)
	}
	zmax := cashZMax()
	z := math.Asinh(x / cashScale)
	b := int((z + zmax) / (2 * zmax) * cashBins)
	b = min(max(b, 0), cashBins-1)
	if math.IsNaN(x) {
		b = cashBins - 1
	}
	h.counts[b]++
	h.n++
}

func (h *CashHistogram) merge(o *CashHistogram) {
	if o.counts == nil {
		return
	}
	if h.counts == nil {
		h.counts = make([]int64, cashBins)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// Quantile returns the q-quantile: the midpoint of the first bin at which
// the cumulative count reaches q·n.
func (h *CashHistogram) Quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	target := int64(math.Ceil(q * float64(h.n)))
	target = max(target, 1)
	var acc int64
	zmax := cashZMax()
	for b, c := range h.counts {
		acc += c
		if acc >= target {
			z := (float64(b)+0.5)/cashBins*2*zmax - zmax
			return math.Sinh(z) * cashScale
		}
	}
	return math.Sinh(zmax) * cashScale
}

// accumulators are one worker's streaming summaries over the paths it ran.
type accumulators struct {
	nRegimes int
	regime   []int64           // [step*nRegimes + regime]
	cash     [][]CashHistogram // [customer][step]
}

func newAccumulators(p *plan) *accumulators {
	a := &accumulators{
		nRegimes: len(p.regimeCDF),
		regime:   make([]int64, p.steps*len(p.regimeCDF)),
		cash:     make([][]CashHistogram, p.nCust),
	}
	for i := range a.cash {
		a.cash[i] = make([]CashHistogram, p.steps)
	}
	return a
}

func (a *accumulators) add(o *accumulators) {
	for i, c := range o.regime {
		a.regime[i] += c
	}
	for i := range a.cash {
		for s := range a.cash[i] {
			a.cash[i][s].merge(&o.cash[i][s])
		}
	}
}

func (a *accumulators) regimeShares(paths int) [][]float64 {
	steps := len(a.regime) / a.nRegimes
	out := make([][]float64, steps)
	for s := range out {
		out[s] = make([]float64, a.nRegimes)
		for r := range out[s] {
			out[s][r] = float64(a.regime[s*a.nRegimes+r]) / float64(paths)
		}
	}
	return out
}

func (a *accumulators) cashBands(i int) [][5]float64 {
	levels := CashBandLevels()
	out := make([][5]float64, len(a.cash[i]))
	for s := range out {
		for k, q := range levels {
			out[s][k] = a.cash[i][s].Quantile(q)
		}
	}
	return out
}

// store copies the finished path's outcomes into res.
func (w *worker) store(path int, res *Results) {
	for i := range res.Customers {
		c := &res.Customers[i]
		c.DefaultStep[path] = w.custDefault[i]
		c.FundingRaised[path] = w.raised[i]
		c.Rounds[path] = w.rounds[i]
		c.BackerSupport[path] = w.backed[i]
	}
	for f := range w.p.nFirm {
		fr := res.firm(f)
		fr.BacklogLost[path] = w.lost[f]
		fr.EconomicLoss[path] = w.econ[f]
		fr.DefaultStep[path] = w.firmDefault[f]
	}
}
