package mcstat

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// TailLevels are the confidence levels at which LossStats reports value at
// risk and expected shortfall.
func TailLevels() [3]float64 { return [3]float64{0.95, 0.99, 0.999} }

// LossStats summarises a sample of losses, one per path.
type LossStats struct {
	N          int
	Mean       float64
	Std        float64 // sample standard deviation (n-1 denominator)
	MeanStdErr float64 // Std/√N
	// VaR[k] and ES[k] are the value at risk and expected shortfall at
	// TailLevels()[k]; VaRStdErr and ESStdErr their Monte Carlo standard
	// errors.
	VaR       [3]float64
	VaRStdErr [3]float64
	ES        [3]float64
	ESStdErr  [3]float64
	// PPositive is the share of paths with a loss above zero.
	PPositive float64
}

// SummarizeLosses computes LossStats of x. It does not modify x.
//
// VaR_q is the empirical q-quantile, the smallest loss l with
// F_n(l) >= q (stat.Quantile with stat.Empirical). ES_q is
//
//	ES_q = VaR_q + E[(L − VaR_q)⁺] / (1 − q),
//
// the Acerbi–Tasche form, which is the mean of the worst (1−q) share of
// paths even when the distribution has atoms (many paths lose exactly
// zero). Standard errors:
//
//   - VaR: distribution-free, from the order statistics one binomial
//     standard deviation either side of nq: (L₍ₙq+s₎ − L₍ₙq−s₎)/2 with
//     s = √(nq(1−q)) (Serfling 1980, §2.6; Glasserman 2004, §9.1). It is
//     zero when the loss has an atom around the quantile, which is correct.
//   - ES: √(Var[(L − VaR_q)⁺] / n) / (1 − q), the asymptotic standard error
//     of the Rockafellar–Uryasev estimator (Hong and Liu 2009), in which the
//     error of the estimated VaR drops out to first order.
func SummarizeLosses(x []float64) LossStats {
	n := len(x)
	s := LossStats{N: n}
	if n == 0 {
		return s
	}
	sorted := slices.Clone(x)
	slices.Sort(sorted)

	s.Mean, s.Std = stat.MeanStdDev(sorted, nil)
	if n < 2 {
		s.Std = 0
	}
	s.MeanStdErr = s.Std / math.Sqrt(float64(n))

	positive := n - CountAtMost(sorted, 0)
	s.PPositive = float64(positive) / float64(n)

	excess := make([]float64, n)
	for k, q := range TailLevels() {
		v := stat.Quantile(q, stat.Empirical, sorted, nil)
		s.VaR[k] = v

		half := math.Sqrt(float64(n) * q * (1 - q))
		lo := clampIndex(int(math.Floor(float64(n)*q-half))-1, n)
		hi := clampIndex(int(math.Ceil(float64(n)*q+half))-1, n)
		s.VaRStdErr[k] = (sorted[hi] - sorted[lo]) / 2

		for i, l := range sorted {
			excess[i] = math.Max(l-v, 0)
		}
		m, sd := stat.MeanStdDev(excess, nil)
		if n < 2 {
			sd = 0
		}
		s.ES[k] = v + m/(1-q)
		s.ESStdErr[k] = sd / math.Sqrt(float64(n)) / (1 - q)
	}
	return s
}

// CountAtMost returns the number of elements of sorted (in increasing
// order) that are <= v.
func CountAtMost(sorted []float64, v float64) int {
	i, _ := slices.BinarySearchFunc(sorted, v, func(e, t float64) int {
		if e <= t {
			return -1
		}
		return 1
	})
	return i
}

func clampIndex(i, n int) int {
	return min(max(i, 0), n-1)
}

// ProportionStats is an estimated probability with its standard error.
type ProportionStats struct {
	P      float64
	StdErr float64 // √(p(1−p)/n)
}

// Proportion returns k/n with its binomial standard error.
func Proportion(k, n int) ProportionStats {
	if n == 0 {
		return ProportionStats{}
	}
	p := float64(k) / float64(n)
	return ProportionStats{P: p, StdErr: math.Sqrt(p * (1 - p) / float64(n))}
}
