package mcstat

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/floats"
)

// TailEntry is one path's value, kept exactly.
type TailEntry struct {
	X, W float64 // value and likelihood-ratio weight
	Path int
}

// worse orders entries from the largest value down, ties by path index, a
// strict total order: the worst K entries of a set do not depend on the
// order they arrived in.
func worse(a, b TailEntry) int {
	if c := cmp.Compare(b.X, a.X); c != 0 {
		return c
	}
	return cmp.Compare(a.Path, b.Path)
}

// LossDistribution summarises a per-path amount (a loss, funding raised)
// over all paths: its weighted moments, its worst paths kept exactly, and,
// in streaming mode, a histogram of the rest.
//
// In exact mode (the default for runs of up to ExactPathLimit paths) every
// path is kept, and Stats is exact. In streaming mode memory does not grow
// with the number of paths beyond the worst TailKeep(n) paths, about 1%:
// Stats is exact for the levels whose tail those paths cover (0.99 and
// 0.999 without importance sampling) and otherwise reads the histogram,
// whose bins are 2⁻⁶ of a binary order of magnitude wide, so that a
// quantile read from it is within 0.78% of the true sample quantile (or
// within 0.0078 bn of zero). The expected shortfall read from it has the
// same relative error bound.
//
// Every sum it keeps is exact (Moments) or fixed point (the histogram, see
// NewFixedHistogram), and the worst paths are kept under a total order, so
// distributions of disjoint sets of paths merge (Merge) into exactly the
// distribution of their union, whatever the order.
type LossDistribution struct {
	paths     int
	groupSize int
	// Group means of w·x, w·x² and w·1{x > 0}.
	wx, wx2, wpos Moments
	tail          []TailEntry // streaming: sorted by worse (a heap until finished)
	// cumW[i] is the weight of the first i+1 kept entries, set by
	// finish; nil in exact mode without weights, where it is i+1.
	cumW     []float64
	complete bool // exact: every path kept, as xs, ws and order
	// Exact mode keeps every path compactly: the values xs and weights
	// ws (nil: all 1) it was finished with, and the paths in the order of
	// worse, 4 bytes a path instead of a TailEntry's 24 and a cumulative
	// weight's 8.
	xs, ws []float64
	order  []int32
	keep   int               // streaming: how many entries to keep
	hist   *Histogram[int64] // streaming only, fixed point
}

// TailKeep is the number of worst paths a streaming LossDistribution keeps
// exactly out of n: enough to cover the 1% tail and the order statistics
// one binomial standard deviation beyond it.
func TailKeep(n int) int {
	k := 0.01*float64(n) + 3*math.Sqrt(0.01*float64(n)) + 16
	return min(n, int(math.Ceil(k)))
}

// Paths returns the number of paths summarised.
func (d *LossDistribution) Paths() int { return d.paths }

// Exact reports whether every path was kept.
func (d *LossDistribution) Exact() bool { return d.complete }

// Tail returns the kept worst paths, worst first. In exact mode it holds
// every path, made on each call (TailHead makes only the worst). The
// caller must not modify it.
func (d *LossDistribution) Tail() []TailEntry { return d.TailHead(d.kept()) }

// TailHead returns the worst min(k, kept) kept paths, worst first, as
// Tail()[:k] would. The caller must not modify it.
func (d *LossDistribution) TailHead(k int) []TailEntry {
	k = min(k, d.kept())
	if !d.complete {
		return d.tail[:k]
	}
	out := make([]TailEntry, k)
	for i := range out {
		out[i] = d.entry(i)
	}
	return out
}

// Kept returns the number of kept paths (all of them in exact mode).
func (d *LossDistribution) Kept() int { return d.kept() }

// At returns the i-th worst kept path, Tail()[i], without making the tail.
func (d *LossDistribution) At(i int) TailEntry { return d.entry(i) }

// kept returns the number of kept paths.
func (d *LossDistribution) kept() int {
	if d.complete {
		return len(d.order)
	}
	return len(d.tail)
}

// x returns the value of the i-th worst kept path.
func (d *LossDistribution) x(i int) float64 {
	if d.complete {
		return d.xs[d.order[i]]
	}
	return d.tail[i].X
}

// entry returns the i-th worst kept path.
func (d *LossDistribution) entry(i int) TailEntry {
	if !d.complete {
		return d.tail[i]
	}
	p := int(d.order[i])
	w := 1.0
	if d.ws != nil {
		w = d.ws[p]
	}
	return TailEntry{X: d.xs[p], W: w, Path: p}
}

// Weighted reports whether any kept path has a weight other than 1.
func (d *LossDistribution) Weighted() bool {
	if d.complete {
		for _, w := range d.ws {
			if w != 1 {
				return true
			}
		}
		return false
	}
	for _, e := range d.tail {
		if e.W != 1 {
			return true
		}
	}
	return false
}

// Histogram returns the streaming histogram, or nil in exact mode.
func (d *LossDistribution) Histogram() *Histogram[int64] { return d.hist }

// Mean returns the estimated mean.
func (d *LossDistribution) Mean() float64 { return d.wx.Mean() / float64(d.groupSize) }

// TailProbability returns the estimated P(X > x) from the kept paths and,
// beyond them, the histogram.
func (d *LossDistribution) TailProbability(x float64) float64 {
	n := float64(d.paths)
	i := d.firstAtOrBelow(x)
	if i < d.kept() || d.complete || d.hist == nil {
		return d.weightBefore(i) / n
	}
	return d.hist.WeightAbove(x) / n
}

// firstAtOrBelow returns the index of the first kept entry with X <= x.
func (d *LossDistribution) firstAtOrBelow(x float64) int {
	return sort.Search(d.kept(), func(i int) bool { return !(d.x(i) > x) })
}

// weightBefore returns the weight of the first i kept entries.
func (d *LossDistribution) weightBefore(i int) float64 {
	switch {
	case i == 0:
		return 0
	case d.cumW == nil:
		return float64(i) // exact without weights: Σ of i ones, exactly
	}
	return d.cumW[i-1]
}

// Quantile returns the estimated q-quantile: the smallest x with
// P(X > x) <= 1 − q (the empirical quantile without weights).
func (d *LossDistribution) Quantile(q float64) float64 {
	x, _ := d.quantile(1 - q)
	return x
}

// QuantileSample returns the quantiles at levels (i + ½)/m, i = 0…m−1: an
// unweighted sample of m values that represents the distribution to a
// resolution of 1/m in probability, for plotting streamed or weighted
// runs. It equals calling Quantile at each level, in one pass.
func (d *LossDistribution) QuantileSample(m int) []float64 {
	// The distinct kept values, worst first, with the weight strictly
	// above each.
	type group struct{ x, above float64 }
	var groups []group
	for i, n := 0, d.kept(); i < n; {
		g := group{x: d.x(i), above: d.weightBefore(i)}
		for i < n && d.x(i) == g.x {
			i++
		}
		groups = append(groups, g)
	}
	exact := d.complete || d.hist == nil
	out := make([]float64, m)
	n := float64(d.paths)
	g := 0
	for k := m - 1; k >= 0; k-- { // from the highest level down
		alpha := 1 - (float64(k)+0.5)/float64(m)
		budget := alpha*n + 1e-9*math.Max(1, alpha*n)
		for g+1 < len(groups) && groups[g+1].above <= budget {
			g++
		}
		switch {
		case len(groups) > 0 && (g+1 < len(groups) || exact):
			out[k] = groups[g].x
		case d.hist != nil:
			out[k] = d.hist.QuantileAbove(budget)
		}
	}
	return out
}

// Finish sorts the kept entries, worst first, and computes their
// cumulative weights.
func (d *LossDistribution) Finish() {
	d.wx.Normalise()
	d.wx2.Normalise()
	d.wpos.Normalise()
	if d.hist != nil {
		d.hist.Freeze()
	}
	if d.complete {
		if d.ws != nil {
			d.cumW = make([]float64, len(d.order))
			for i, p := range d.order {
				d.cumW[i] = d.ws[p]
			}
			floats.CumSum(d.cumW, d.cumW)
		}
		return
	}
	slices.SortFunc(d.tail, worse)
	d.cumW = make([]float64, len(d.tail))
	for i, e := range d.tail {
		d.cumW[i] = e.W
	}
	floats.CumSum(d.cumW, d.cumW)
}

// NewStreaming returns an empty streaming LossDistribution for n paths in
// independent groups of groupSize: AddGroup adds every group in path order,
// then Finish completes it.
func NewStreaming(n, groupSize int) *LossDistribution {
	return &LossDistribution{paths: n, groupSize: groupSize, keep: TailKeep(n), hist: NewFixedHistogram()}
}

// NewExact returns an empty exact LossDistribution for n paths in
// independent groups of groupSize: AddGroup adds every group's moments in
// path order, then FinishExact takes every path's value.
func NewExact(n, groupSize int) *LossDistribution {
	return &LossDistribution{paths: n, groupSize: groupSize}
}

// ExactOf returns the exact LossDistribution of unweighted, independent
// values xs, one per path.
func ExactOf(xs []float64) *LossDistribution {
	d := NewExact(len(xs), 1)
	for i := range xs {
		d.AddGroup(i, xs[i:i+1], unitWeight[:])
	}
	d.FinishExact(xs, nil)
	return d
}

var unitWeight = [1]float64{1}

// AddGroup adds one group's paths (values xs and weights ws, first path
// index first) in streaming mode, or only their moments in exact mode.
func (d *LossDistribution) AddGroup(first int, xs, ws []float64) {
	var wx, wx2, wpos float64
	for i, x := range xs {
		w := ws[i]
		wx += w * x
		wx2 += w * x * x
		if x > 0 {
			wpos += w
		}
		if d.hist != nil {
			d.hist.Add(x, WeightUnits(w))
			d.push(TailEntry{X: x, W: w, Path: first + i})
		}
	}
	d.wx.Add(wx)
	d.wx2.Add(wx2)
	d.wpos.Add(wpos)
}

// push keeps e if it is among the keep worst so far. While streaming, the
// tail is a heap whose root is the least bad entry kept (container/heap's
// invariant under the order "better first"), so most entries are rejected
// by one comparison with the root and the others cost O(log keep); finish
// sorts it.
func (d *LossDistribution) push(e TailEntry) {
	h := (*tailHeap)(&d.tail)
	if len(d.tail) < d.keep {
		heap.Push(h, e)
		return
	}
	if worse(e, d.tail[0]) >= 0 {
		return
	}
	d.tail[0] = e
	heap.Fix(h, 0)
}

// tailHeap orders tail entries least bad first.
type tailHeap []TailEntry

func (h tailHeap) Len() int           { return len(h) }
func (h tailHeap) Less(i, j int) bool { return worse(h[i], h[j]) > 0 }
func (h tailHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *tailHeap) Push(x any)        { *h = append(*h, x.(TailEntry)) }
func (h *tailHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// FinishExact makes d exact from every path's value and weight (weights nil
// means all 1). d keeps xs and ws, which the caller must not modify
// afterwards.
func (d *LossDistribution) FinishExact(xs, ws []float64) {
	if len(xs) > math.MaxInt32 {
		panic("mcstat: FinishExact of more than 2³¹−1 paths")
	}
	d.xs, d.ws = xs, ws
	d.order = make([]int32, len(xs))
	for i := range d.order {
		d.order[i] = int32(i)
	}
	// The order of worse: larger values first, ties by path index.
	slices.SortFunc(d.order, func(a, b int32) int {
		if c := cmp.Compare(xs[b], xs[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	d.tail = nil
	d.complete = true
	d.hist = nil
	d.Finish()
}
