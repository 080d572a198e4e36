package mcstat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// expSample returns n Exp(1) draws with a share of exact zeros, as losses
// have.
func expSample(n int, zeros float64, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		if r.Float64() >= zeros {
			x[i] = r.ExpFloat64()
		}
	}
	return x
}

// streamed returns the streaming distribution of x in groups of groupSize
// with unit weights.
func streamed(x []float64, groupSize int) *LossDistribution {
	d := NewStreaming(len(x), groupSize)
	ws := make([]float64, groupSize)
	for i := range ws {
		ws[i] = 1
	}
	for i := 0; i < len(x); i += groupSize {
		d.AddGroup(i, x[i:i+groupSize], ws)
	}
	d.Finish()
	return d
}

// TestExactOfMatchesSummarizeLosses: the exact distribution of unweighted
// paths reports SummarizeLosses's statistics and their mean.
func TestExactOfMatchesSummarizeLosses(t *testing.T) {
	x := expSample(5000, 0.3, 3)
	d := ExactOf(x)
	if got, want := d.Stats(), SummarizeLosses(x); got != want {
		t.Errorf("ExactOf(x).Stats() = %+v; want %+v", got, want)
	}
	checkClose(t, "ExactOf(x).Mean()", d.Mean(), SummarizeLosses(x).Mean, 1e-12)
	if !d.Exact() || d.Paths() != len(x) || len(d.Tail()) != len(x) {
		t.Errorf("ExactOf(x): Exact() = %v, Paths() = %d, len(Tail()) = %d; want true, %d, %d", d.Exact(), d.Paths(), len(d.Tail()), len(x), len(x))
	}
}

// TestStreamingMatchesExactSample: a streaming distribution keeps the
// worst TailKeep(n) paths, which cover the 99% and 99.9% tails, so VaR and
// ES there equal the exact ones; the 95% level reads the histogram and is
// within its resolution, half a bin (2⁻⁷ of the value).
func TestStreamingMatchesExactSample(t *testing.T) {
	for _, group := range []int{1, 2} {
		x := expSample(20000, 0.5, 4)
		s := streamed(x, group)
		exact := NewExact(len(x), group)
		ws := []float64{1, 1}[:group]
		for i := 0; i < len(x); i += group {
			exact.AddGroup(i, x[i:i+group], ws)
		}
		exact.FinishExact(x, nil)
		got, want := s.Stats(), exact.Stats()
		name := fmt.Sprintf("groups of %d", group)
		for k, q := range TailLevels() {
			tol := 0.0
			if q < 0.99 {
				tol = binTolerance(want.VaR[k])
			}
			if math.Abs(got.VaR[k]-want.VaR[k]) > tol {
				t.Errorf("%s: streaming VaR[%v] = %v; want %v ± %v", name, q, got.VaR[k], want.VaR[k], tol)
			}
			if math.Abs(got.ES[k]-want.ES[k]) > tol+1e-9*want.ES[k] {
				t.Errorf("%s: streaming ES[%v] = %v; want %v ± %v", name, q, got.ES[k], want.ES[k], tol)
			}
		}
		// Single paths summed by SummarizeLosses, groups by Welford: the
		// same moments up to rounding.
		checkClose(t, name+": streaming mean", got.Mean, want.Mean, 1e-12)
		checkClose(t, name+": streaming mean standard error", got.MeanStdErr, want.MeanStdErr, 1e-12)
		checkClose(t, name+": streaming P(X > 0)", got.PPositive, want.PPositive, 1e-12)
		if len(s.Tail()) != TailKeep(len(x)) || s.Exact() {
			t.Errorf("%s: streaming kept %d paths (exact %v); want %d", name, len(s.Tail()), s.Exact(), TailKeep(len(x)))
		}
	}
}

// TestWeightedQuantile checks the weighted estimators by hand: with
// weights w_i, VaR_q is the smallest x with Σ_{x_i > x} w_i / n <= 1 − q,
// and ES_q = VaR_q + Σ w_i (x_i − VaR_q)⁺ / (n (1 − q)).
func TestWeightedQuantile(t *testing.T) {
	// 100 paths: 97 zeros of weight 1 and three losses 10, 20, 30 whose
	// weights 0.5, 1, 2 make them rarer or commoner than one path each.
	const n = 100
	x := make([]float64, n)
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	x[97], x[98], x[99] = 10, 20, 30
	w[97], w[98], w[99] = 0.5, 1, 2
	d := NewExact(n, 1)
	for i := range x {
		d.AddGroup(i, x[i:i+1], w[i:i+1])
	}
	d.FinishExact(x, w)
	s := d.Stats()
	// Weight above 20 is 2 (> 1 = n·0.01), above 30 is 0: VaR99 = 30,
	// ES99 = 30. Weight above 10 is 3 (<= 5 = n·0.05), above 0 is 3.5:
	// VaR95 = 0 and ES95 = (0.5·10 + 1·20 + 2·30)/5 = 17.
	checkClose(t, "weighted VaR[0.99]", s.VaR[1], 30, 1e-12)
	checkClose(t, "weighted ES[0.99]", s.ES[1], 30, 1e-12)
	checkClose(t, "weighted VaR[0.95]", s.VaR[0], 0, 1e-12)
	checkClose(t, "weighted ES[0.95]", s.ES[0], 17, 1e-12)
	checkClose(t, "weighted mean", s.Mean, (0.5*10+20+2*30)/n, 1e-12)
	checkClose(t, "weighted P(X > 0)", s.PPositive, 3.5/n, 1e-12)
	if !d.Weighted() {
		t.Errorf("Weighted() = false; want true")
	}
	checkClose(t, "TailProbability(15)", d.TailProbability(15), 3.0/n, 1e-12)
}
