package mcstat

import (
	"math"
	"sort"
)

// TailSplit is how the kept paths of a LossDistribution make up its
// expected-shortfall tail at one level, for allocating ES to the parts of
// the loss (Euler contributions): with VaR v and tail probability α, the
// entries Tail()[:Above] exceed v and count fully, the entries
// Tail()[Above:End] equal v and count with the share Theta of their
// weight, so that the weight in the tail is exactly n·α and
// Σ_i w_i·c_i·x_i/(nα) is the ES of Stats. Tail()[Lo:Hi+1] is the window of
// entries whose rank is within one binomial standard deviation √(nα(1−α))
// of the VaR's, over which E[· | X = VaR] can be estimated.
type TailSplit struct {
	VaR             float64
	Above, End      int
	Theta           float64
	Lo, Hi          int
	TailProbability float64
}

// Split returns the TailSplit at tail probability alpha, and false if the
// distribution did not keep the paths of that tail (a streaming
// distribution whose VaR comes from the histogram) or has none.
func (d *LossDistribution) Split(alpha float64) (TailSplit, bool) {
	v, ok := d.quantile(alpha)
	n := d.kept()
	if !ok || n == 0 {
		return TailSplit{}, false
	}
	na := alpha * float64(d.paths)
	above := d.firstAtOrBelow(v)
	end := above
	for end < n && d.x(end) == v {
		end++
	}
	wAbove := d.weightBefore(above)
	wTie := d.weightBefore(end) - wAbove
	if !(wTie > 0) {
		return TailSplit{}, false
	}
	delta := math.Max(math.Sqrt(na*(1-alpha)), 1)
	lo := sort.Search(n, func(i int) bool { return d.weightBefore(i+1) >= na-delta })
	hi := sort.Search(n, func(i int) bool { return d.weightBefore(i) > na+delta }) - 1
	lo, hi = min(lo, above), min(max(hi, above), n-1)
	return TailSplit{VaR: v, Above: above, End: end, Theta: (na - wAbove) / wTie, Lo: lo, Hi: hi, TailProbability: alpha}, true
}
