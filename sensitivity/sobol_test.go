package sensitivity

import (
	"math"
	"testing"
)

// evaluate runs f at every case of a design over inputs mapped from the
// unit cube by to, and returns the outputs in case order.
func evaluate(t *testing.T, d *Design, to func(u []float64) []float64, f func(x []float64) float64) []float64 {
	t.Helper()
	y := make([]float64, d.Cases())
	var u []float64
	for k := range y {
		u = d.Point(k, u)
		y[k] = f(to(u))
	}
	return y
}

// ishigami is f(x) = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ (Ishigami and
// Homma 1990) with a = 7, b = 0.1, the usual test of Sobol estimators.
const ishA, ishB = 7.0, 0.1

func ishigami(x []float64) float64 {
	return math.Sin(x[0]) + ishA*math.Pow(math.Sin(x[1]), 2) + ishB*math.Pow(x[2], 4)*math.Sin(x[0])
}

// ishigamiIndices are the analytic indices for X_i ~ U(−π, π) (Sobol' and
// Levitan 1999; Saltelli et al. 2008, "Global Sensitivity Analysis: The
// Primer"): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V₁ = (1 + bπ⁴/5)²/2,
// V₂ = a²/8, V₃ = 0, V₁₃ = b²π⁸(1/18 − 1/50), no other interaction.
func ishigamiIndices() (first, total []float64) {
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v := ishA*ishA/8 + ishB*pi4/5 + ishB*ishB*pi8/18 + 0.5
	v1 := 0.5 * math.Pow(1+ishB*pi4/5, 2)
	v2 := ishA * ishA / 8
	v13 := ishB * ishB * pi8 * (1.0/18 - 1.0/50)
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

func TestIshigamiClosedFormMatchesPublishedValues(t *testing.T) {
	// Published to four digits, for example in Marrel et al. 2009
	// (Reliability Engineering and System Safety 94, 742–751), table 1:
	// S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437.
	first, total := ishigamiIndices()
	want := [][]float64{{0.3139, 0.4424, 0}, {0.5576, 0.4424, 0.2437}}
	for i := range 3 {
		if math.Abs(first[i]-want[0][i]) > 5e-5 || math.Abs(total[i]-want[1][i]) > 5e-5 {
			t.Errorf("ishigamiIndices()[%d] = %.5f, %.5f; want %.4f, %.4f", i, first[i], total[i], want[0][i], want[1][i])
		}
	}
}

func TestSobolIshigami(t *testing.T) {
	d, err := NewDesign(4096, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	toPi := func(u []float64) []float64 {
		x := make([]float64, len(u))
		for i, v := range u {
			x[i] = -math.Pi + 2*math.Pi*v
		}
		return x
	}
	y := evaluate(t, d, toPi, ishigami)
	first, total := ishigamiIndices()
	checkIndices(t, d, y, first, total)
}

func TestSobolLinear(t *testing.T) {
	// Y = Σ a_i X_i with independent X_i ~ U(0, 1): Var(Y) = Σ a_i²/12 and
	// there are no interactions, so S_i = S_Ti = a_i² / Σ a_j². The last
	// input does not matter at all.
	a := []float64{1, 2, 3, 0}
	var sum float64
	for _, x := range a {
		sum += x * x
	}
	want := make([]float64, len(a))
	for i, x := range a {
		want[i] = x * x / sum
	}
	d, err := NewDesign(2048, len(a), 7)
	if err != nil {
		t.Fatal(err)
	}
	id := func(u []float64) []float64 { return u }
	y := evaluate(t, d, id, func(x []float64) float64 {
		var s float64
		for i, v := range x {
			s += a[i] * v
		}
		return s
	})
	checkIndices(t, d, y, want, want)
}

// checkIndices checks that 95% bootstrap intervals of the indices computed
// from y contain the analytic values and are narrower than 0.1.
func checkIndices(t *testing.T, d *Design, y, first, total []float64) {
	t.Helper()
	fA, fB, fAB, err := d.Split(y)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Bootstrap(fA, fB, fAB, 500, 0.95, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		for _, c := range []struct {
			name string
			got  Interval
			want float64
		}{{"first", r.First[i], first[i]}, {"total", r.Total[i], total[i]}} {
			if !c.got.Contains(c.want) {
				t.Errorf("%s index of input %d = %.4f [%.4f, %.4f]; want %.4f inside", c.name, i, c.got.Value, c.got.Lo, c.got.Hi, c.want)
			}
			if c.got.Hi-c.got.Lo > 0.1 {
				t.Errorf("%s index of input %d: interval [%.4f, %.4f] wider than 0.1", c.name, i, c.got.Lo, c.got.Hi)
			}
		}
	}
}
