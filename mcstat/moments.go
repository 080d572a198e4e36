package mcstat

import (
	"bytes"
	"encoding/gob"
	"math"
	"math/big"
)

// Moments accumulates the mean and variance of a per-group quantity. A
// group is one path, or an antithetic pair whose two paths are averaged,
// so that the groups are independent and identically distributed.
//
// The sums of the values and of their squares are exact (see ExactSum; a
// square is added as its rounded value plus its rounding error), so they do
// not depend on the order in which groups are added or Moments merged: the
// moments of a run split across workers or machines are identical to
// those of one pass. The mean and variance are computed from the exact sums
// once, in extended precision, and rounded, so there is no cancellation
// even when the mean dwarfs the spread.
type Moments struct {
	n          int
	sum, sumSq ExactSum
}

// Add adds one group's value.
func (g *Moments) Add(v float64) {
	g.n++
	g.sum.Add(v)
	g.sumSq.AddProduct(v, v)
}

// Merge adds o's groups to g.
func (g *Moments) Merge(o *Moments) {
	g.n += o.n
	g.sum.Merge(&o.sum)
	g.sumSq.Merge(&o.sumSq)
}

// Normalise puts g's sums in canonical form, so that Moments of the same
// groups are equal structs however they were accumulated.
func (g *Moments) Normalise() {
	g.sum.Normalise()
	g.sumSq.Normalise()
}

// N returns the number of groups added.
func (g *Moments) N() int { return g.n }

// Mean returns the mean over the groups.
func (g *Moments) Mean() float64 {
	if g.n == 0 {
		return 0
	}
	q := new(big.Float).SetPrec(53).Quo(g.sum.big(), new(big.Float).SetInt64(int64(g.n)))
	v, _ := q.Float64()
	return v + g.sum.special
}

// m2 returns the sum of squared deviations from the mean,
// Σv² − (Σv)²/n, from the exact sums with 4,500 bits (enough for (Σv)²
// exactly) and rounded once.
func (g *Moments) m2() float64 {
	if g.n == 0 {
		return 0
	}
	const prec = 4500
	s := new(big.Float).SetPrec(prec).Set(g.sum.big())
	s.Mul(s, s)
	s.Quo(s, new(big.Float).SetPrec(prec).SetInt64(int64(g.n)))
	d := new(big.Float).SetPrec(prec).Set(g.sumSq.big())
	d.Sub(d, s)
	v, _ := d.Float64()
	return math.Max(v, 0) + g.sum.special + g.sumSq.special
}

// StdErr returns the standard error of the mean over the groups.
func (g *Moments) StdErr() float64 {
	if g.n < 2 {
		return 0
	}
	return math.Sqrt(g.m2() / float64(g.n-1) / float64(g.n))
}

// Variance returns the sample variance of the group values.
func (g *Moments) Variance() float64 {
	if g.n < 2 {
		return 0
	}
	return g.m2() / float64(g.n-1)
}

// Proportion returns the mean as a probability: clamped to [0, 1] (a
// weighted mean of 0/1 indicators is unbiased but can leave [0, 1] on a
// small sample) with its standard error.
func (g *Moments) Proportion() ProportionStats {
	return ProportionStats{P: min(max(g.Mean(), 0), 1), StdErr: g.StdErr()}
}

// momentsState is the gob form of Moments.
type momentsState struct {
	N          int
	Sum, SumSq ExactSum
}

// GobEncode encodes g's state, for merging elsewhere.
func (g Moments) GobEncode() ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(momentsState{g.n, g.sum, g.sumSq})
	return buf.Bytes(), err
}

// GobDecode decodes what GobEncode wrote.
func (g *Moments) GobDecode(data []byte) error {
	var s momentsState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return err
	}
	*g = Moments{s.N, s.Sum, s.SumSq}
	return nil
}
