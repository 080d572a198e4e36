package sim

import (
	"math"
	"math/rand/v2"
)

// gammaRand draws from Gamma(a, b) (shape a, rate b) exactly as gonum's
// distuv.Gamma{Alpha: a, Beta: b, Src: rng}.Rand does, variate for variate
// (TestGammaRandMatchesGonum), without the rand.Rand and the three method
// values gonum allocates on every call: the engine draws one per customer
// and step for Student-t revenue shocks and two per lost contract for the
// recovery Beta. The algorithms are gonum's (BSD licence): Liu, Martin and
// Syring (2017) for a < 0.2, Marsaglia and Tsang (2000) otherwise.
func gammaRand(rng *rand.Rand, a, b float64) float64 {
	const smallAlphaThresh = 0.2
	switch {
	case b <= 0:
		panic("gamma: beta <= 0")
	case !(a > 0):
		panic("gamma: alpha <= 0")
	case a == 1:
		return rng.ExpFloat64() / b
	case a < smallAlphaThresh:
		lambda := 1/a - 1
		lr := -math.Log1p(1 / lambda / math.E)
		for {
			e := rng.ExpFloat64()
			var z float64
			if e >= -lr {
				z = e + lr
			} else {
				z = -rng.ExpFloat64() / lambda
			}
			eza := math.Exp(-z / a)
			lh := -z - eza
			var lEta float64
			if z >= 0 {
				lEta = -z
			} else {
				lEta = -1 + lambda*z
			}
			if lh-lEta > -rng.ExpFloat64() {
				return eza / b
			}
		}
	}
	d := a - 1.0/3
	m := 1.0
	if a < 1 {
		d += 1.0
		m = math.Pow(rng.Float64(), 1/a)
	}
	c := 1 / (3 * math.Sqrt(d))
	for {
		x := rng.NormFloat64()
		v := 1 + x*c
		if v <= 0.0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1.0-0.0331*(x*x)*(x*x) {
			return m * d * v / b
		}
		if math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return m * d * v / b
		}
	}
}

// betaRand draws from Beta(alpha, beta) as distuv.Beta's Rand does: the
// ratio of two gamma draws.
func betaRand(rng *rand.Rand, alpha, beta float64) float64 {
	ga := gammaRand(rng, alpha, 1)
	gb := gammaRand(rng, beta, 1)
	return ga / (ga + gb)
}
