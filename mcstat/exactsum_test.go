package mcstat

import (
	"math"
	"testing"
)

// TestExactSum checks the exact accumulator against sums known exactly,
// whatever the order: cancellation that float64 addition loses.
func TestExactSum(t *testing.T) {
	var a, b ExactSum
	xs := []float64{1e300, 1, -1e300, 1e-300, math.SmallestNonzeroFloat64, -0.5, 3}
	for _, x := range xs {
		a.Add(x)
	}
	for i := len(xs) - 1; i >= 0; i-- {
		b.Add(xs[i])
	}
	if got := a.Value(); got != 3.5 {
		t.Errorf("exact sum = %v; want 3.5", got)
	}
	if a.Value() != b.Value() {
		t.Errorf("exact sum depends on order: %v and %v", a.Value(), b.Value())
	}
	var c ExactSum
	c.Add(0.1)
	c.Merge(&a)
	if got, want := c.Value(), 3.6; got != want {
		t.Errorf("merged exact sum = %v; want %v", got, want)
	}
	var g Moments
	for _, v := range []float64{1e9 + 1, 1e9 + 2, 1e9 + 3} {
		g.Add(v)
	}
	if got := g.Variance(); got != 1 {
		t.Errorf("variance of 1e9+{1,2,3} = %v; want 1", got)
	}
}
