package sim

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// poissonSearchLimit is the mean above which poissonQuantile bisects on
// gonum's CDF instead of summing the probabilities from k = 0 (e^(−μ)
// underflows near μ = 745).
const poissonSearchLimit = 30

// poissonQuantile returns the smallest k with P(N <= k) > u for N ~
// Poisson(mu): the inverse-CDF draw from one uniform u in [0, 1). One
// uniform per draw keeps every stream's position fixed, and the draw is
// non-decreasing in mu for a fixed u (the Poisson family is stochastically
// increasing), so two scenarios on common random numbers order their
// rounds as their rates.
func poissonQuantile(u, mu float64) int {
	if !(mu > 0) {
		return 0
	}
	if mu <= poissonSearchLimit {
		p := math.Exp(-mu)
		cdf := p
		k := 0
		// Rounding can leave cdf a hair below 1 in the far tail; stop where
		// the terms no longer move it.
		for u >= cdf && k < 10*poissonSearchLimit+100 {
			k++
			p *= mu / float64(k)
			cdf += p
		}
		return k
	}
	d := distuv.Poisson{Lambda: mu}
	lo, hi := 0, int(mu+20*math.Sqrt(mu)+20)
	for d.CDF(float64(hi)) <= u {
		lo, hi = hi, 2*hi
	}
	// Invariant: CDF(lo−1) <= u < CDF(hi); find the smallest such hi.
	for lo < hi {
		mid := lo + (hi-lo)/2
		if d.CDF(float64(mid)) > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// poissonLogRatio returns log(P(N = n; mu) / P(N = n; sampled)), the log
// likelihood ratio of n events drawn at mean sampled instead of mu.
func poissonLogRatio(n int, mu, sampled float64) float64 {
	return float64(n)*math.Log(mu/sampled) - mu + sampled
}
