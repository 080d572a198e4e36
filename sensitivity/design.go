package sensitivity

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// MaxDimensions is the largest number of inputs a Design supports: gonum's
// Halton sequence has 1000 dimensions and a Design uses two per input.
const MaxDimensions = 500

// Design is the Saltelli sampling plan for Sobol indices of D inputs from
// N base rows: N·(D+2) cases in the unit cube [0, 1)^D.
//
// Case k is
//   - row k of A for k < N,
//   - row k−N of B for N <= k < 2N,
//   - row j of A_B^(i) for k = 2N + i·N + j: row j of A with column i
//     taken from row j of B.
type Design struct {
	N, D int
	a, b *mat.Dense
}

// NewDesign returns a design of n base rows over d inputs, drawn from a
// scrambled Halton sequence seeded by seed.
func NewDesign(n, d int, seed uint64) (*Design, error) {
	if n < 2 {
		return nil, fmt.Errorf("sensitivity: design needs at least 2 base rows, got %d", n)
	}
	if d < 1 || d > MaxDimensions {
		return nil, fmt.Errorf("sensitivity: design needs 1 to %d inputs, got %d", MaxDimensions, d)
	}
	pts := mat.NewDense(n, 2*d, nil)
	src := rand.NewPCG(seed, 0x5a1e11)
	samplemv.Halton{Kind: samplemv.Owen, Q: distmv.NewUnitUniform(2*d, src), Src: src}.Sample(pts)
	a := mat.DenseCopyOf(pts.Slice(0, n, 0, d))
	b := mat.DenseCopyOf(pts.Slice(0, n, d, 2*d))
	return &Design{N: n, D: d, a: a, b: b}, nil
}

// Cases returns the number of cases, N·(D+2).
func (d *Design) Cases() int { return d.N * (d.D + 2) }

// Point returns case k's point, in dst if it has room.
func (d *Design) Point(k int, dst []float64) []float64 {
	if k < 0 || k >= d.Cases() {
		panic(fmt.Sprintf("sensitivity: case %d of a design with %d cases", k, d.Cases()))
	}
	dst = append(dst[:0], make([]float64, d.D)...)
	switch {
	case k < d.N:
		copy(dst, d.a.RawRowView(k))
	case k < 2*d.N:
		copy(dst, d.b.RawRowView(k-d.N))
	default:
		i, j := (k-2*d.N)/d.N, (k-2*d.N)%d.N
		copy(dst, d.a.RawRowView(j))
		dst[i] = d.b.At(j, i)
	}
	return dst
}

// Split cuts the outputs y of every case, in case order, into f_A, f_B
// and f_ABi (one slice per input).
func (d *Design) Split(y []float64) (fA, fB []float64, fAB [][]float64, err error) {
	if len(y) != d.Cases() {
		return nil, nil, nil, fmt.Errorf("sensitivity: %d outputs for a design of %d cases", len(y), d.Cases())
	}
	fA, fB = y[:d.N], y[d.N:2*d.N]
	for i := range d.D {
		lo := 2*d.N + i*d.N
		fAB = append(fAB, y[lo:lo+d.N])
	}
	return fA, fB, fAB, nil
}

// LatinHypercube returns n points in the unit cube [0, 1)^dim, one in each
// of n equal strata of every coordinate, drawn with gonum's
// samplemv.LatinHypercube from seed. Row k is point k.
func LatinHypercube(n, dim int, seed uint64) (*mat.Dense, error) {
	if n < 1 || dim < 1 {
		return nil, fmt.Errorf("sensitivity: latin hypercube of %d points in %d dimensions", n, dim)
	}
	pts := mat.NewDense(n, dim, nil)
	src := rand.NewPCG(seed, 0x1a7194)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(dim, src), Src: src}.Sample(pts)
	return pts, nil
}
