//go:build long

package sensitivity

import (
	"math"
	"testing"
)

// TestBootstrapCoverage checks that the 90% bootstrap intervals of the
// Ishigami indices cover the analytic values in about 90% of independent
// designs or more (a randomized quasi-Monte Carlo design is more precise
// than the bootstrap, which treats rows as independent, assumes).
func TestBootstrapCoverage(t *testing.T) {
	const reps, n = 200, 512
	first, total := ishigamiIndices()
	toPi := func(u []float64) []float64 {
		x := make([]float64, len(u))
		for i, v := range u {
			x[i] = -math.Pi + 2*math.Pi*v
		}
		return x
	}
	covered, count := 0, 0
	for rep := range reps {
		d, err := NewDesign(n, 3, uint64(100+rep))
		if err != nil {
			t.Fatal(err)
		}
		fA, fB, fAB, _ := d.Split(evaluate(t, d, toPi, ishigami))
		r, err := Bootstrap(fA, fB, fAB, 200, 0.9, uint64(rep))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			for _, ok := range []bool{r.First[i].Contains(first[i]), r.Total[i].Contains(total[i])} {
				count++
				if ok {
					covered++
				}
			}
		}
	}
	// Binomial standard error of a 90% coverage over 1200 intervals is
	// 0.009; allow four of them below.
	if rate := float64(covered) / float64(count); rate < 0.9-4*0.009 {
		t.Errorf("coverage of 90%% intervals = %.3f over %d intervals; want >= %.3f", rate, count, 0.9-4*0.009)
	}
}
