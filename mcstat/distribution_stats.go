package mcstat

import (
	"math"
	"slices"
	"sort"
)

// Stats returns the distribution's LossStats. With unit weights, single-path
// groups and every path kept it equals SummarizeLosses of the values.
// Otherwise, with weights w_i (likelihood ratios, 1 without importance
// sampling) and α = 1 − q:
//
//	mean     = Σ w_i x_i / n
//	VaR_q    = the smallest x with Σ_{x_i > x} w_i / n <= α
//	ES_q     = VaR_q + Σ w_i (x_i − VaR_q)⁺ / (n α)
//
// Standard errors come from the variance across independent groups (paths,
// or antithetic pairs) of w·x for the mean and of w·(x − VaR)⁺ for ES; the
// VaR's is half the distance between the quantiles at tail probabilities
// α ± s, s the standard error of the estimated P(X > VaR).
func (d *LossDistribution) Stats() LossStats {
	if d.complete && d.groupSize == 1 {
		if !d.Weighted() {
			xs := make([]float64, d.kept())
			for i := range xs {
				xs[i] = d.x(i)
			}
			return SummarizeLosses(xs)
		}
	}
	n := d.paths
	s := LossStats{N: n}
	if n == 0 {
		return s
	}
	g := float64(d.groupSize)
	s.Mean = d.wx.Mean() / g
	s.MeanStdErr = d.wx.StdErr() / g
	s.Std = math.Sqrt(math.Max(d.wx2.Mean()/g-s.Mean*s.Mean, 0))
	s.PPositive = d.wpos.Mean() / g
	for k, q := range TailLevels() {
		alpha := 1 - q
		v, ok := d.quantile(alpha)
		s.VaR[k] = v
		es, esSE, pSE := d.shortfall(v, alpha, ok)
		s.ES[k], s.ESStdErr[k] = es, esSE
		lo, _ := d.quantile(alpha + pSE)
		hi, _ := d.quantile(math.Max(alpha-pSE, 0))
		s.VaRStdErr[k] = (hi - lo) / 2
	}
	return s
}

// quantile returns the smallest x with estimated P(X > x) <= alpha, and
// whether it came from the kept paths (true) or the histogram (false).
func (d *LossDistribution) quantile(alpha float64) (float64, bool) {
	budget := alpha*float64(d.paths) + 1e-9*math.Max(1, alpha*float64(d.paths))
	// The weight strictly above tail[i].X grows with i: find the last i
	// at which it is still within the budget.
	n := d.kept()
	last := sort.Search(n, func(i int) bool {
		return d.weightBefore(d.firstAtOrBelow(d.x(i))) > budget
	}) - 1
	switch {
	case last >= 0 && (last < n-1 || d.complete || d.hist == nil):
		return d.x(last), true
	case d.hist == nil:
		return 0, true
	}
	return d.hist.QuantileAbove(budget), false
}

// shortfall returns ES at VaR v and tail probability alpha with its
// standard error, and the standard error of the estimated P(X > v). With
// exact false it reads the histogram and treats paths as independent.
func (d *LossDistribution) shortfall(v, alpha float64, exact bool) (es, esSE, pSE float64) {
	n := float64(d.paths)
	if !exact {
		excess, excess2, above, above2 := d.hist.Excess(v)
		es = v + excess/(n*alpha)
		esSE = math.Sqrt(math.Max(excess2/n-(excess/n)*(excess/n), 0)/n) / alpha
		pSE = math.Sqrt(math.Max(above2/n-(above/n)*(above/n), 0) / n)
		return es, esSE, pSE
	}
	// Group means of w·(x − v)⁺ and w·1{x > v}; only kept paths above v
	// contribute, every other group is zero.
	type sums struct{ excess, above float64 }
	g := float64(d.groupSize)
	groups := map[int]*sums{}
	var order []int
	for i, n := 0, d.kept(); i < n; i++ {
		e := d.entry(i)
		if e.X <= v {
			break
		}
		id := e.Path / d.groupSize
		gs := groups[id]
		if gs == nil {
			gs = &sums{}
			groups[id] = gs
			order = append(order, id)
		}
		gs.excess += e.W * (e.X - v) / g
		gs.above += e.W / g
	}
	slices.Sort(order) // a fixed summation order
	nG := float64(d.paths / d.groupSize)
	var sumE, sumE2, sumA, sumA2 float64
	for _, id := range order {
		e, a := groups[id].excess, groups[id].above
		sumE += e
		sumE2 += e * e
		sumA += a
		sumA2 += a * a
	}
	es = v + sumE/(nG*alpha)
	if nG > 1 {
		varE := (sumE2 - sumE*sumE/nG) / (nG - 1)
		varA := (sumA2 - sumA*sumA/nG) / (nG - 1)
		esSE = math.Sqrt(math.Max(varE, 0)/nG) / alpha
		pSE = math.Sqrt(math.Max(varA, 0) / nG)
	}
	return es, esSE, pSE
}
