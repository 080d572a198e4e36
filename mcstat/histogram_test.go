package mcstat

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCashHistogram checks the streaming quantiles against the exact
// empirical quantile (the ⌈qn⌉-th smallest value) within the documented
// accuracy, half a bin: 2⁻⁷ of |x|, or 2⁻⁷ bn near zero, and that doubling
// every weight changes nothing.
func TestHistogramQuantile(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 10001)
	for i := range x {
		// Values spread over many orders of magnitude and both signs.
		x[i] = math.Sinh(r.NormFloat64()*4) * 0.5
	}
	x[0], x[1], x[2] = 0, 1e-5, -3e9 // zero, tiny, beyond the range
	whole, doubled := NewHistogram[float64](), NewHistogram[float64]()
	for _, v := range x {
		whole.Add(v, 1)
		doubled.Add(v, 2)
	}
	for _, q := range []float64{0.001, 0.05, 0.5, 0.95} {
		if a, b := whole.Quantile(q), doubled.Quantile(q); a != b {
			t.Errorf("Histogram.Quantile(%v) = %v with unit weights, %v with weights 2; want equal", q, a, b)
		}
	}
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	for _, q := range []float64{0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999} {
		want := sorted[int(math.Ceil(q*float64(len(x))))-1]
		if got := whole.Quantile(q); math.Abs(got-want) > binTolerance(want) {
			t.Errorf("Histogram.Quantile(%v) = %v; want %v ± %v", q, got, want, binTolerance(want))
		}
	}
	if got := NewHistogram[float64]().Quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty Histogram.Quantile(0.5) = %v; want NaN", got)
	}

	// A fixed-point histogram (weights in units of 2⁻²⁴, as sim's cash bands): halves merged in either order
	// equal the whole, and its quantiles are the float histogram's.
	count, a, b := NewHistogram[int64](), NewHistogram[int64](), NewHistogram[int64]()
	for i, v := range x {
		count.Add(v, 1<<24)
		if i%2 == 0 {
			a.Add(v, 1<<24)
		} else {
			b.Add(v, 1<<24)
		}
	}
	b.Merge(a)
	if !slices.Equal(dense(b.w), dense(count.w)) || b.total != count.total {
		t.Errorf("merged Histogram[int64] differs from the histogram of all values")
	}
	for _, q := range []float64{0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999} {
		if got, want := count.Quantile(q), whole.Quantile(q); got != want {
			t.Errorf("Histogram[int64].quantile(%v) = %v; want %v (the float histogram's)", q, got, want)
		}
	}
	if got := NewHistogram[int64]().Quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty Histogram[int64].quantile(0.5) = %v; want NaN", got)
	}
}

// binTolerance is the documented accuracy of a histogram quantile at x
// (see Histogram): half a bin, at most 2⁻⁷ = 0.78% of |x|, or 0.0078 near
// zero.
func binTolerance(x float64) float64 {
	return math.Max(math.Abs(x), 1) / 128
}
