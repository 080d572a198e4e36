package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestPoissonQuantile checks the inverse-CDF draw against gonum's CDF on
// both sides of the search limit: k is the smallest integer whose CDF
// exceeds u.
func TestPoissonQuantile(t *testing.T) {
	for _, mu := range []float64{0.01, 0.125, 1, 7.5, 29.9, 30.1, 83.3, 1000} {
		d := distuv.Poisson{Lambda: mu}
		for _, u := range []float64{0, 1e-9, 0.01, 0.3, 0.5, 0.9, 0.999, 1 - 1e-12} {
			k := poissonQuantile(u, mu)
			if d.CDF(float64(k)) <= u-1e-12 {
				t.Errorf("poissonQuantile(%v, %v) = %d: CDF %v <= u", u, mu, k, d.CDF(float64(k)))
			}
			if k > 0 && d.CDF(float64(k-1)) > u+1e-12 {
				t.Errorf("poissonQuantile(%v, %v) = %d: CDF(k−1) = %v > u; want the smallest k", u, mu, k, d.CDF(float64(k-1)))
			}
		}
	}
	if k := poissonQuantile(0.99, 0); k != 0 {
		t.Errorf("poissonQuantile(0.99, 0) = %d; want 0", k)
	}
}

// TestPoissonQuantileMonotone: for a fixed uniform the draw never falls as
// the mean rises (the common-random-number ordering the paired tests use).
func TestPoissonQuantileMonotone(t *testing.T) {
	for _, u := range []float64{0.05, 0.5, 0.95} {
		prev := 0
		for mu := 0.0; mu < 60; mu += 0.37 {
			k := poissonQuantile(u, mu)
			if k < prev {
				t.Fatalf("poissonQuantile(%v, %v) = %d < %d at a smaller mean", u, mu, k, prev)
			}
			prev = k
		}
	}
}

func TestPoissonLogRatio(t *testing.T) {
	mu, s := 0.3, 0.12
	for n := range 5 {
		want := math.Log(distuv.Poisson{Lambda: mu}.Prob(float64(n)) / distuv.Poisson{Lambda: s}.Prob(float64(n)))
		if got := poissonLogRatio(n, mu, s); math.Abs(got-want) > 1e-12 {
			t.Errorf("poissonLogRatio(%d, %v, %v) = %v; want %v", n, mu, s, got, want)
		}
	}
}
