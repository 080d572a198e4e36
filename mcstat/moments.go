package mcstat

import "math"

// Moments accumulates, in a fixed order, the mean and variance of a
// per-group quantity by Welford's method. A group is one path, or an
// antithetic pair whose two paths are averaged, so that the groups are
// independent and identically distributed.
type Moments struct {
	n        int
	mean, m2 float64
}

// Add adds one group's value.
func (g *Moments) Add(v float64) {
	g.n++
	d := v - g.mean
	g.mean += d / float64(g.n)
	g.m2 += d * (v - g.mean)
}

// N returns the number of groups added.
func (g Moments) N() int { return g.n }

// Mean returns the mean over the groups.
func (g Moments) Mean() float64 { return g.mean }

// StdErr returns the standard error of the mean over the groups.
func (g Moments) StdErr() float64 {
	if g.n < 2 {
		return 0
	}
	return math.Sqrt(g.m2 / float64(g.n-1) / float64(g.n))
}

// Variance returns the sample variance of the group values.
func (g Moments) Variance() float64 {
	if g.n < 2 {
		return 0
	}
	return g.m2 / float64(g.n-1)
}

// Proportion returns the mean as a probability: clamped to [0, 1] (a
// weighted mean of 0/1 indicators is unbiased but can leave [0, 1] on a
// small sample) with its standard error.
func (g Moments) Proportion() ProportionStats {
	return ProportionStats{P: min(max(g.mean, 0), 1), StdErr: g.StdErr()}
}
