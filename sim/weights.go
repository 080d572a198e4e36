package sim

import "github.com/backlogsim/backlogsim/mcstat"

// WeightStats are the sums over all paths of the likelihood-ratio weights
// of importance sampling (exact sums, whatever the order), from which the weights'
// diagnostics follow. Every path weighs 1 without importance sampling.
type WeightStats struct {
	N          int
	Sum        float64 // Σw
	SumSquares float64 // Σw²
	Max        float64 // the largest w
}

func (s *WeightStats) add(w float64) {
	s.N++
	s.Sum += w
	s.SumSquares += w * w
	s.Max = max(s.Max, w)
}

// weightAcc accumulates WeightStats over a range of paths with exact sums,
// so that shards merged in any grouping give the same stats.
type weightAcc struct {
	N               int
	Sum, SumSquares mcstat.ExactSum
	Max             float64
}

func (a *weightAcc) add(w float64) {
	a.N++
	a.Sum.Add(w)
	a.SumSquares.AddProduct(w, w)
	a.Max = max(a.Max, w)
}

func (a *weightAcc) merge(o *weightAcc) {
	a.N += o.N
	a.Sum.Merge(&o.Sum)
	a.SumSquares.Merge(&o.SumSquares)
	a.Max = max(a.Max, o.Max)
}

func (a *weightAcc) stats() WeightStats {
	return WeightStats{N: a.N, Sum: a.Sum.Value(), SumSquares: a.SumSquares.Value(), Max: a.Max}
}

// EffectiveSampleSize is Kish's effective sample size (Σw)²/Σw²: the
// number of unweighted paths that would estimate a mean as precisely as the
// weighted paths do, if the weights were independent of the quantity
// (Kish 1965; Owen, Monte Carlo theory, methods and examples, 2013, §9.3).
// It is N when every weight is equal and 1 when one path has all the
// weight. It is 0 for no paths.
func (s WeightStats) EffectiveSampleSize() float64 {
	if s.SumSquares <= 0 {
		return 0
	}
	return s.Sum * s.Sum / s.SumSquares
}

// MaxShare is the largest weight's share of the total weight, in [1/N, 1];
// 0 for no paths.
func (s WeightStats) MaxShare() float64 {
	if s.Sum <= 0 {
		return 0
	}
	return s.Max / s.Sum
}
