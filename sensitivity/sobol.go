package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// Indices are the Sobol indices of every input, from one set of outputs.
type Indices struct {
	// First[i] and Total[i] are input i's first-order and total indices.
	First, Total []float64
	// Variance is the pooled sample variance of f_A and f_B, the
	// denominator of every index.
	Variance float64
}

// Sobol computes the first-order (Saltelli et al. 2010) and total (Jansen
// 1999) indices from the outputs at the rows of A, B and every A_B^(i).
// All slices must have the same length N >= 2. When the outputs do not vary
// (Variance 0) the indices are NaN.
func Sobol(fA, fB []float64, fAB [][]float64) (Indices, error) {
	n := len(fA)
	if n < 2 || len(fB) != n {
		return Indices{}, fmt.Errorf("sensitivity: Sobol: want f_A and f_B of the same length >= 2, got %d and %d", n, len(fB))
	}
	for i, f := range fAB {
		if len(f) != n {
			return Indices{}, fmt.Errorf("sensitivity: Sobol: f_AB[%d] has %d rows, want %d", i, len(f), n)
		}
	}
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	return sobolRows(fA, fB, fAB, rows), nil
}

// sobolRows computes the indices from the given rows (repeats allowed).
func sobolRows(fA, fB []float64, fAB [][]float64, rows []int) Indices {
	n := float64(len(rows))
	pooled := make([]float64, 0, 2*len(rows))
	for _, j := range rows {
		pooled = append(pooled, fA[j], fB[j])
	}
	mean, v := stat.MeanVariance(pooled, nil)
	ind := Indices{First: make([]float64, len(fAB)), Total: make([]float64, len(fAB)), Variance: v}
	for i, f := range fAB {
		var first, total float64
		for _, j := range rows {
			first += (fB[j] - mean) * (f[j] - fA[j])
			d := fA[j] - f[j]
			total += d * d
		}
		ind.First[i] = first / n / v
		ind.Total[i] = total / (2 * n) / v
	}
	return ind
}

// Interval is an estimate with a confidence interval.
type Interval struct {
	Value float64 `json:"value"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// Contains reports whether x lies in [Lo, Hi].
func (c Interval) Contains(x float64) bool { return c.Lo <= x && x <= c.Hi }

// BootstrapResult is a set of Sobol indices with bootstrap confidence
// intervals.
type BootstrapResult struct {
	First, Total []Interval
	Variance     float64
	// Level is the confidence level of the intervals, Resamples the number
	// of bootstrap resamples they come from.
	Level     float64
	Resamples int
}

// Bootstrap computes the Sobol indices and their percentile bootstrap
// confidence intervals at level (for example 0.95) from resamples
// resamples of the N rows, drawn from seed.
func Bootstrap(fA, fB []float64, fAB [][]float64, resamples int, level float64, seed uint64) (*BootstrapResult, error) {
	est, err := Sobol(fA, fB, fAB)
	if err != nil {
		return nil, err
	}
	if resamples < 2 {
		return nil, fmt.Errorf("sensitivity: bootstrap needs at least 2 resamples, got %d", resamples)
	}
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("sensitivity: confidence level must be in (0, 1), got %v", level)
	}
	d, n := len(fAB), len(fA)
	first := make([][]float64, d)
	total := make([][]float64, d)
	rnd := rand.New(rand.NewPCG(seed, 0xb0075))
	rows := make([]int, n)
	for range resamples {
		for j := range rows {
			rows[j] = rnd.IntN(n)
		}
		r := sobolRows(fA, fB, fAB, rows)
		for i := range d {
			first[i] = append(first[i], r.First[i])
			total[i] = append(total[i], r.Total[i])
		}
	}
	out := &BootstrapResult{Variance: est.Variance, Level: level, Resamples: resamples}
	for i := range d {
		out.First = append(out.First, percentile(est.First[i], first[i], level))
		out.Total = append(out.Total, percentile(est.Total[i], total[i], level))
	}
	return out, nil
}

// percentile returns the estimate v with the percentile interval of the
// resamples xs at level. NaN resamples (a resample of constant outputs)
// make the interval NaN.
func percentile(v float64, xs []float64, level float64) Interval {
	if floats.HasNaN(xs) {
		return Interval{Value: v, Lo: math.NaN(), Hi: math.NaN()}
	}
	slices.Sort(xs)
	a := (1 - level) / 2
	return Interval{
		Value: v,
		Lo:    stat.Quantile(a, stat.Empirical, xs, nil),
		Hi:    stat.Quantile(1-a, stat.Empirical, xs, nil),
	}
}
