package sim

import (
	"math"
	"testing"
)

// TestVasicekCurveMatchesExact checks the tabulated conditional default
// share against the exact formula on a grid finer than, and offset from,
// the knots, and in the exactly-evaluated tails.
func TestVasicekCurveMatchesExact(t *testing.T) {
	for _, tc := range []struct{ p, rho float64 }{
		{0.01 / 12, 0.15}, {0.03 / 12, 0.24}, {0.001, 0.05}, {0.2, 0.5}, {0.5, 0.01},
	} {
		c := newVasicekCurve(tc.p, tc.rho)
		worst := 0.0
		for y := -12.0; y <= 12; y += 1.0 / 997 {
			worst = math.Max(worst, math.Abs(c.at(y)-c.exact(y)))
		}
		// The documented bound: h⁴/384·max|f⁗| is below 1e-9 for ρ <= 0.5.
		if worst > 1e-9 {
			t.Errorf("vasicekCurve(p=%v, rho=%v): max |table − exact| = %g; want <= 1e-9", tc.p, tc.rho, worst)
		}
	}
	if c := newVasicekCurve(0, 0.2); c.at(-5) != 0 {
		t.Errorf("vasicekCurve(p=0).at(-5) = %v; want 0", c.at(-5))
	}
}
