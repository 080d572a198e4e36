package sim

import (
	"math"
	"math/bits"
	"sort"
)

// Histogram is a streaming histogram of weighted values with log-spaced
// bins, read straight from the bits of the float64 (as HDR histograms do):
// for each sign and each binary exponent from 2⁻⁷ to 2³⁰ there are
// 2^histMantissaBits bins of equal width, and |x| below 2⁻⁷ (7.8 million
// dollars when x is in USD bn) falls in one zero bin. A quantile read from
// it is a bin midpoint, exact to within half a bin: 2⁻⁷ = 0.78% of |x|, or
// 0.0078 near zero.
//
// Weights are kept in fixed point, as whole multiples of 2⁻²⁴ (see
// weightUnits; a weight above 65,536 counts as 65,536), and their squares
// as exact 128-bit integers in units of 2⁻⁴⁸, so that the sums are exact:
// histograms filled in any order, by any number of workers or shards, are
// identical. Without importance sampling every weight is 1 and the
// histogram counts paths.
type Histogram struct {
	w          []int64  // per bin: Σ weight units
	w2hi, w2lo []uint64 // per bin: Σ weight units², 128-bit
	total      int64
	// above[b] = Σ w[b:], set by freeze for fast tail look-ups.
	above []int64
}

const (
	histMantissaBits = 6
	histMinExp       = -7 // smallest binary exponent resolved
	histMaxExp       = 30 // larger magnitudes fall in the end bins
	histHalfBins     = (histMaxExp - histMinExp + 1) << histMantissaBits
	histBins         = 2*histHalfBins + 1 // negative, zero, positive
)

func newHistogram() *Histogram {
	return &Histogram{w: make([]int64, histBins), w2hi: make([]uint64, histBins), w2lo: make([]uint64, histBins)}
}

// merge adds o's weights to h; h must not be frozen.
func (h *Histogram) merge(o *Histogram) {
	for b := range h.w {
		h.w[b] += o.w[b]
		var carry uint64
		h.w2lo[b], carry = bits.Add64(h.w2lo[b], o.w2lo[b], 0)
		h.w2hi[b] += o.w2hi[b] + carry
	}
	h.total += o.total
}

// weight returns bin b's weight.
func (h *Histogram) weight(b int) float64 { return float64(h.w[b]) / weightUnit }

// weight2 returns bin b's sum of squared weights.
func (h *Histogram) weight2(b int) float64 {
	return (float64(h.w2hi[b])*0x1p64 + float64(h.w2lo[b])) / (weightUnit * weightUnit)
}

// countHistogram is a Histogram of whole-number weights (see weightUnit):
// sums are exact, so histograms merge in any order.
type countHistogram struct {
	C     []int64
	Total int64
}

func newCountHistogram() *countHistogram { return &countHistogram{C: make([]int64, histBins)} }

func (h *countHistogram) add(x float64, w int64) {
	h.C[histBin(x)] += w
	h.Total += w
}

func (h *countHistogram) merge(o *countHistogram) {
	for b, w := range o.C {
		h.C[b] += w
	}
	h.Total += o.Total
}

// quantile returns the midpoint of the first bin at which the cumulative
// weight reaches q·total, or NaN if the histogram is empty.
func (h *countHistogram) quantile(q float64) float64 {
	if h.Total <= 0 {
		return math.NaN()
	}
	target := max(int64(math.Ceil(q*float64(h.Total))), 1)
	var acc int64
	for b, w := range h.C {
		acc += w
		if acc >= target {
			return histBinMid(b)
		}
	}
	return histBinMid(histBins - 1)
}

// histBin returns the bin of x: the zero bin histHalfBins, the positive
// bins above it and the negative ones mirrored below it.
func histBin(x float64) int {
	bits := math.Float64bits(x)
	exp := int(bits>>52&0x7ff) - 1023
	if exp < histMinExp || x != x { // tiny, zero or NaN
		return histHalfBins
	}
	b := (min(exp, histMaxExp)-histMinExp)<<histMantissaBits | int(bits>>(52-histMantissaBits)&(1<<histMantissaBits-1))
	if exp > histMaxExp {
		b = histHalfBins - 1
	}
	if bits>>63 != 0 {
		return histHalfBins - 1 - b
	}
	return histHalfBins + 1 + b
}

// histBinMid returns the midpoint of bin b.
func histBinMid(b int) float64 {
	sign := 1.0
	switch {
	case b == histHalfBins:
		return 0
	case b < histHalfBins:
		sign, b = -1, histHalfBins-1-b
	default:
		b -= histHalfBins + 1
	}
	exp := b>>histMantissaBits + histMinExp
	frac := float64(b&(1<<histMantissaBits-1)) + 0.5
	return sign * math.Ldexp(1+frac/(1<<histMantissaBits), exp)
}

// Add adds x with weight w (rounded to a multiple of 2⁻²⁴, see Histogram).
func (h *Histogram) Add(x, w float64) {
	b := histBin(x)
	u := weightUnits(w)
	h.w[b] += u
	hi, lo := bits.Mul64(uint64(u), uint64(u))
	var carry uint64
	h.w2lo[b], carry = bits.Add64(h.w2lo[b], lo, 0)
	h.w2hi[b] += hi + carry
	h.total += u
}

// Quantile returns the q-quantile of the normalised weights: the midpoint
// of the first bin at which the cumulative weight reaches q·total, or NaN
// if the histogram is empty.
func (h *Histogram) Quantile(q float64) float64 {
	if h.total <= 0 {
		return math.NaN()
	}
	target := q * float64(h.total) * (1 - 1e-12)
	var acc int64
	for b, w := range h.w {
		acc += w
		if float64(acc) >= target && w > 0 {
			return histBinMid(b)
		}
	}
	return histBinMid(histBins - 1)
}

// freeze precomputes the cumulative weights from the top bin down; the
// histogram must not change afterwards.
func (h *Histogram) freeze() {
	h.above = make([]int64, histBins+1)
	for b := histBins - 1; b >= 0; b-- {
		h.above[b] = h.above[b+1] + h.w[b]
	}
}

// weightFrom returns Σ w[b:].
func (h *Histogram) weightFrom(b int) float64 {
	if h.above != nil {
		return float64(h.above[b]) / weightUnit
	}
	var sum int64
	for ; b < histBins; b++ {
		sum += h.w[b]
	}
	return float64(sum) / weightUnit
}

// WeightAbove returns the weight of the bins whose midpoints exceed x.
func (h *Histogram) WeightAbove(x float64) float64 {
	// Midpoints increase with the bin index.
	b := sort.Search(histBins, func(b int) bool { return histBinMid(b) > x })
	return h.weightFrom(b)
}

// QuantileAbove returns the midpoint of the lowest non-empty bin whose
// bins strictly above weigh at most budget.
func (h *Histogram) QuantileAbove(budget float64) float64 {
	b := sort.Search(histBins, func(b int) bool { return h.weightFrom(b+1) <= budget })
	for ; b < histBins; b++ {
		if h.w[b] != 0 {
			return histBinMid(b)
		}
	}
	return histBinMid(histBins - 1)
}

// Excess returns, over the bins whose midpoints m exceed v, Σ w·(m − v),
// Σ w²·(m − v)², Σ w and Σ w².
func (h *Histogram) Excess(v float64) (excess, excess2, above, above2 float64) {
	for b := histBins - 1; b >= 0; b-- {
		m := histBinMid(b)
		if m <= v {
			break
		}
		w, w2 := h.weight(b), h.weight2(b)
		excess += w * (m - v)
		excess2 += w2 * (m - v) * (m - v)
		above += w
		above2 += w2
	}
	return excess, excess2, above, above2
}
