package mcstat

import (
	"math"
	"math/bits"
	"sort"
)

// Weight is the type of a histogram's weights: float64 for likelihood
// ratios summed in a fixed order, or int64 for fixed-point weights, whose
// sums are exact in any order so that histograms merge in any order.
type Weight interface{ ~int64 | ~float64 }

// Histogram is a histogram of weighted values with log-spaced bins, read
// straight from the bits of the float64 (as HDR histograms do): for each
// sign and each binary exponent from 2⁻⁷ to 2³⁰ there are 2^histMantissaBits
// bins of equal width, and |x| below 2⁻⁷ (7.8 million dollars when x is in
// USD bn) falls in one zero bin. A quantile read from it is a bin midpoint,
// exact to within half a bin: 2⁻⁷ = 0.78% of |x|, or 0.0078 near zero.
// Float weights are summed in the order values are added; backlogsim adds
// them in path order, so results do not depend on workers.
//
// The bins are stored in chunks of histChunk consecutive bins, each
// allocated when a value first falls in it: a histogram of values that
// span a few binary exponents takes a few kilobytes instead of the 39 kB
// (per array) of all its bins, and adding to it touches little memory.
type Histogram[W Weight] struct {
	w     [][]W // per bin: Σ weight, by chunk (nil: all zero)
	w2    [][]W // per bin: Σ weight², only if made by NewHistogramSquares
	total W
	// above[b] = Σ w[b:], set by Freeze for fast tail look-ups.
	above []W
	// A fixed-point histogram (NewFixedHistogram) counts weights in units
	// of 1/WeightUnit, and their squares, in units of 1/WeightUnit², in
	// 128 bits (sqHi, sqLo) so that they cannot overflow.
	fixed      bool
	sqHi, sqLo [][]uint64
}

const (
	histChunkBits = 6
	histChunk     = 1 << histChunkBits // bins per chunk
	histChunks    = (histBins + histChunk - 1) / histChunk
)

// weight returns bin b's Σ weight.
func (h *Histogram[W]) weight(b int) W {
	if c := h.w[b>>histChunkBits]; c != nil {
		return c[b&(histChunk-1)]
	}
	return 0
}

// chunk returns chunk k of h's weights, allocating it (and those of the
// squares) if it is not yet.
func (h *Histogram[W]) chunk(k int) []W {
	if c := h.w[k]; c != nil {
		return c
	}
	h.w[k] = make([]W, histChunk)
	if h.w2 != nil {
		h.w2[k] = make([]W, histChunk)
	}
	if h.fixed {
		h.sqHi[k], h.sqLo[k] = make([]uint64, histChunk), make([]uint64, histChunk)
	}
	return h.w[k]
}

// number is a type of a histogram's sums.
type number interface{ ~int64 | ~uint64 | ~float64 }

// dense returns the bins of chunks, zero where a chunk is nil (the gob
// form), or nil if chunks is nil.
func dense[T number](chunks [][]T) []T {
	if chunks == nil {
		return nil
	}
	out := make([]T, histBins)
	for k, c := range chunks {
		copy(out[k*histChunk:], c)
	}
	return out
}

// histogramOf returns the histogram of the dense sums of a gob form: w
// and total always, w2 (or nil) and, if fixed, sqHi and sqLo, each of
// histBins bins. A chunk is allocated where any of them is not zero.
func histogramOf[W Weight](w, w2 []W, total W, fixed bool, sqHi, sqLo []uint64) *Histogram[W] {
	h := &Histogram[W]{w: make([][]W, histChunks), total: total, fixed: fixed}
	if w2 != nil {
		h.w2 = make([][]W, histChunks)
	}
	if fixed {
		h.sqHi, h.sqLo = make([][]uint64, histChunks), make([][]uint64, histChunks)
	}
	for k := range histChunks {
		lo, hi := k*histChunk, min((k+1)*histChunk, histBins)
		used := false
		for b := lo; b < hi && !used; b++ {
			used = w[b] != 0 || w2 != nil && w2[b] != 0 || fixed && (sqHi[b] != 0 || sqLo[b] != 0)
		}
		if !used {
			continue
		}
		copy(h.chunk(k), w[lo:hi])
		if w2 != nil {
			copy(h.w2[k], w2[lo:hi])
		}
		if fixed {
			copy(h.sqHi[k], sqHi[lo:hi])
			copy(h.sqLo[k], sqLo[lo:hi])
		}
	}
	return h
}

// WeightUnit is the fixed-point unit of a weight: a path of weight 1
// counts WeightUnit = 2²⁴ units. Sums of integers are exact in any order,
// so fixed-point histograms and counts merge exactly; a weight is rounded to
// a multiple of 2⁻²⁴ (6·10⁻⁸), far below anything they are used for.
const WeightUnit = 1 << 24

// WeightUnits returns w in units of 1/WeightUnit, capped at 2⁴⁰ units (a
// weight of 65,536): a likelihood ratio that large means the importance
// sampling is badly tuned, and the cap keeps Σ units of 2²³ such paths
// within an int64.
func WeightUnits(w float64) int64 {
	return int64(math.Round(math.Min(w, 1<<16) * WeightUnit))
}

// NewFixedHistogram returns an empty fixed-point histogram: Add takes
// weights in units (see WeightUnits), every read scales them back, and
// Excess has the sums of squared weights exactly. Its sums do not depend on
// the order of adding or merging.
func NewFixedHistogram() *Histogram[int64] {
	return &Histogram[int64]{w: make([][]int64, histChunks), fixed: true, sqHi: make([][]uint64, histChunks), sqLo: make([][]uint64, histChunks)}
}

// scale returns the weight of one unit of h.
func (h *Histogram[W]) scale() float64 {
	if h.fixed {
		return 1.0 / WeightUnit
	}
	return 1
}

// square returns bin b's sum of squared weights.
func (h *Histogram[W]) square(b int) float64 {
	k, o := b>>histChunkBits, b&(histChunk-1)
	switch {
	case h.w[k] == nil:
		return 0
	case h.fixed:
		return (float64(h.sqHi[k][o])*0x1p64 + float64(h.sqLo[k][o])) / (WeightUnit * WeightUnit)
	case h.w2 != nil:
		return float64(h.w2[k][o])
	}
	return 0
}

const (
	histMantissaBits = 6
	histMinExp       = -7 // smallest binary exponent resolved
	histMaxExp       = 30 // larger magnitudes fall in the end bins
	histHalfBins     = (histMaxExp - histMinExp + 1) << histMantissaBits
	histBins         = 2*histHalfBins + 1 // negative, zero, positive
)

// HistogramBins is the number of bins of every Histogram, for estimates of
// memory: a Histogram holds one weight per bin, two with squares, and a
// third once frozen.
const HistogramBins = histBins

// HistogramBytes estimates the memory of one array of a Histogram (its
// weights, or each array of squares) whose values fill chunks chunks of
// its bins: the chunk table plus the chunks. Values spanning k binary
// exponents of one sign fill about k+1 chunks.
func HistogramBytes(chunks int) int64 {
	return int64(histChunks)*24 + int64(min(chunks, histChunks)*histChunk)*8
}

// NewHistogram returns an empty histogram.
func NewHistogram[W Weight]() *Histogram[W] {
	return &Histogram[W]{w: make([][]W, histChunks)}
}

// NewHistogramSquares returns an empty histogram that also keeps every
// bin's sum of squared weights, which Excess needs for standard errors.
func NewHistogramSquares[W Weight]() *Histogram[W] {
	return &Histogram[W]{w: make([][]W, histChunks), w2: make([][]W, histChunks)}
}

// Add adds x with weight w.
func (h *Histogram[W]) Add(x float64, w W) {
	b := histBin(x)
	k, o := b>>histChunkBits, b&(histChunk-1)
	h.chunk(k)[o] += w
	switch {
	case h.fixed:
		hi, lo := bits.Mul64(uint64(w), uint64(w))
		var carry uint64
		sqLo, sqHi := h.sqLo[k], h.sqHi[k]
		sqLo[o], carry = bits.Add64(sqLo[o], lo, 0)
		sqHi[o] += hi + carry
	case h.w2 != nil:
		h.w2[k][o] += w * w
	}
	h.total += w
}

// Merge adds o's weights to h. The sums are exact, and the result
// independent of the order of merging, only for integer weights.
func (h *Histogram[W]) Merge(o *Histogram[W]) {
	for k, oc := range o.w {
		if oc == nil {
			continue
		}
		hc := h.chunk(k)
		for b, w := range oc {
			hc[b] += w
		}
		if o.w2 != nil {
			for b, w := range o.w2[k] {
				h.w2[k][b] += w
			}
		}
		if o.fixed {
			lo, hi := h.sqLo[k], h.sqHi[k]
			for b := range o.sqLo[k] {
				var carry uint64
				lo[b], carry = bits.Add64(lo[b], o.sqLo[k][b], 0)
				hi[b] += o.sqHi[k][b] + carry
			}
		}
	}
	h.total += o.total
}

// Total returns the sum of the weights.
func (h *Histogram[W]) Total() W { return h.total }

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

// Quantile returns the q-quantile of the normalised weights: the midpoint
// of the first bin at which the cumulative weight reaches q·total, or NaN
// if the histogram is empty. With integer weights the target is the exact
// rank ⌈q·total⌉ (at least 1); with float weights it is q·total less a
// relative 10⁻¹², so that rounding in the sums cannot skip a bin.
func (h *Histogram[W]) Quantile(q float64) float64 {
	if h.total <= 0 {
		return math.NaN()
	}
	var target float64
	switch any(h.total).(type) {
	case int64:
		target = max(math.Ceil(q*float64(h.total)), 1)
	default:
		target = q * float64(h.total) * (1 - 1e-12)
	}
	var acc W
	for k, c := range h.w {
		for o, w := range c { // a nil chunk adds nothing and holds no bin with w > 0
			acc += w
			if float64(acc) >= target && w > 0 {
				return histBinMid(k<<histChunkBits + o)
			}
		}
	}
	return histBinMid(histBins - 1)
}

// Freeze precomputes the cumulative weights from the top bin down, for
// fast tail look-ups; the histogram must not change afterwards.
func (h *Histogram[W]) Freeze() {
	h.above = make([]W, histBins+1)
	for b := histBins - 1; b >= 0; b-- {
		h.above[b] = h.above[b+1] + h.weight(b)
	}
}

// weightFrom returns Σ w[b:].
func (h *Histogram[W]) weightFrom(b int) float64 {
	if h.above != nil {
		return float64(h.above[b]) * h.scale()
	}
	var sum W
	for ; b < histBins; b++ {
		sum += h.weight(b)
	}
	return float64(sum) * h.scale()
}

// WeightAbove returns the weight of the bins whose midpoints exceed x.
func (h *Histogram[W]) WeightAbove(x float64) float64 {
	// Midpoints increase with the bin index.
	b := sort.Search(histBins, func(b int) bool { return histBinMid(b) > x })
	return h.weightFrom(b)
}

// QuantileAbove returns the midpoint of the lowest non-empty bin whose
// bins strictly above weigh at most budget.
func (h *Histogram[W]) QuantileAbove(budget float64) float64 {
	b := sort.Search(histBins, func(b int) bool { return h.weightFrom(b+1) <= budget })
	for ; b < histBins; b++ {
		if h.weight(b) != 0 {
			return histBinMid(b)
		}
	}
	return histBinMid(histBins - 1)
}

// Excess returns, over the bins whose midpoints m exceed v, Σ w·(m − v),
// Σ w²·(m − v)², Σ w and Σ w². The squared sums are zero unless h was made
// by NewHistogramSquares or NewFixedHistogram. Weights are in their own
// scale, not units, for a fixed-point histogram.
func (h *Histogram[W]) Excess(v float64) (excess, excess2, above, above2 float64) {
	for b := histBins - 1; b >= 0; b-- {
		m := histBinMid(b)
		if m <= v {
			break
		}
		w, w2 := float64(h.weight(b))*h.scale(), h.square(b)
		excess += w * (m - v)
		above += w
		excess2 += w2 * (m - v) * (m - v)
		above2 += w2
	}
	return excess, excess2, above, above2
}
