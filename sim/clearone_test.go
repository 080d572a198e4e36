package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestClearOneMatchesClear checks the one-firm shortcut against Clear, bit
// for bit, on random networks and on the edges: nothing owed, assets
// exactly covering, and short by less than Clear's tolerance.
func TestClearOneMatchesClear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type tc struct{ assets, owed float64 }
	cases := []tc{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {1 - 1e-13, 1}, {5e-13, 1e-12}, {3, 7}, {7, 3}}
	for range 20000 {
		scale := math.Pow(10, rng.Float64()*12-6)
		cases = append(cases, tc{rng.Float64() * scale, rng.Float64() * scale})
	}
	for _, c := range cases {
		res, err := Clear(ClearingNetwork{Liabilities: [][]float64{{0}}, External: []float64{c.owed}, Assets: []float64{c.assets}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := clearOne(c.assets, c.owed), res.Ratios[0]; math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("clearOne(%v, %v) = %v; want %v (Clear)", c.assets, c.owed, got, want)
		}
	}
}
