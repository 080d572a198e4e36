package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestGammaRandMatchesGonum checks that gammaRand and betaRand give
// gonum's draws bit for bit from the same stream, in every branch of the
// algorithm (a < 0.2, a = 1, a < 1, a > 1), and leave the stream where
// gonum leaves it.
func TestGammaRandMatchesGonum(t *testing.T) {
	for _, a := range []float64{0.01, 0.1, 0.19, 0.2, 0.5, 1, 1.5, 2.5, 4, 10, 150} {
		for _, b := range []float64{0.5, 1, 3} {
			ours, theirs := rand.New(rand.NewPCG(7, uint64(a*1000))), rand.New(rand.NewPCG(7, uint64(a*1000)))
			for k := range 2000 {
				got, want := gammaRand(ours, a, b), (distuv.Gamma{Alpha: a, Beta: b, Src: theirs}).Rand()
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("draw %d: gammaRand(%v, %v) = %v; want %v", k, a, b, got, want)
				}
			}
			if ours.Uint64() != theirs.Uint64() {
				t.Fatalf("gammaRand(%v, %v) left the stream elsewhere than gonum", a, b)
			}
		}
	}
	for _, ab := range [][2]float64{{0.05, 0.1}, {0.3, 2}, {2, 5}, {40, 60}} {
		ours, theirs := rand.New(rand.NewPCG(9, 9)), rand.New(rand.NewPCG(9, 9))
		for k := range 2000 {
			got, want := betaRand(ours, ab[0], ab[1]), (distuv.Beta{Alpha: ab[0], Beta: ab[1], Src: theirs}).Rand()
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("draw %d: betaRand(%v, %v) = %v; want %v", k, ab[0], ab[1], got, want)
			}
		}
	}
}
