package sim

import "math"

// CashHistogram is a streaming, mergeable histogram of cash balances with
// log-spaced bins, read straight from the bits of the float64 (as HDR
// histograms do): for each sign and each binary exponent from 2⁻⁷ to 2³⁰
// bn there are 2^cashMantissaBits bins of equal width, and |x| below
// 2⁻⁷ bn (7.8 million dollars) falls in one zero bin. Its quantiles are
// bin midpoints, so a quantile is exact to within half a bin: 2⁻⁷ = 0.78%
// of |x|, or 0.0078 bn near zero. Counts are integers, so merging in any
// order gives identical results.
type CashHistogram struct {
	counts []int64
	n      int64
}

const (
	cashMantissaBits = 6
	cashMinExp       = -7 // smallest binary exponent resolved
	cashMaxExp       = 30 // larger magnitudes fall in the end bins
	cashHalfBins     = (cashMaxExp - cashMinExp + 1) << cashMantissaBits
	cashBins         = 2*cashHalfBins + 1 // negative, zero, positive
)

// cashBin returns the bin of x: the zero bin cashHalfBins, the positive
// bins above it and the negative ones mirrored below it.
func cashBin(x float64) int {
	bits := math.Float64bits(x)
	exp := int(bits>>52&0x7ff) - 1023
	if exp < cashMinExp || x != x { // tiny, zero or NaN
		return cashHalfBins
	}
	b := (min(exp, cashMaxExp)-cashMinExp)<<cashMantissaBits | int(bits>>(52-cashMantissaBits)&(1<<cashMantissaBits-1))
	if exp > cashMaxExp {
		b = cashHalfBins - 1
	}
	if bits>>63 != 0 {
		return cashHalfBins - 1 - b
	}
	return cashHalfBins + 1 + b
}

// cashBinMid returns the midpoint of bin b.
func cashBinMid(b int) float64 {
	sign := 1.0
	switch {
	case b == cashHalfBins:
		return 0
	case b < cashHalfBins:
		sign, b = -1, cashHalfBins-1-b
	default:
		b -= cashHalfBins + 1
	}
	exp := b>>cashMantissaBits + cashMinExp
	frac := float64(b&(1<<cashMantissaBits-1)) + 0.5
	return sign * math.Ldexp(1+frac/(1<<cashMantissaBits), exp)
}

func (h *CashHistogram) add(x float64) {
	if h.counts == nil {
		h.counts = make([]int64, cashBins)
	}
	h.counts[cashBin(x)]++
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
// the cumulative count reaches q·n, or NaN if the histogram is empty.
func (h *CashHistogram) Quantile(q float64) float64 {
	if h.n == 0 {
		return math.NaN()
	}
	target := max(int64(math.Ceil(q*float64(h.n))), 1)
	var acc int64
	for b, c := range h.counts {
		acc += c
		if acc >= target {
			return cashBinMid(b)
		}
	}
	return cashBinMid(cashBins - 1)
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
