package sensitivity

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestDesignCases(t *testing.T) {
	d, err := NewDesign(8, 3, 42)
	if err != nil {
		t.Fatal(err)
	}
	if d.Cases() != 8*5 {
		t.Fatalf("Cases() = %d; want 40", d.Cases())
	}
	a, b := d.Point(2, nil), d.Point(8+2, nil)
	for i := range 3 {
		ab := d.Point(16+i*8+2, nil)
		for c := range 3 {
			want := a[c]
			if c == i {
				want = b[c]
			}
			if ab[c] != want {
				t.Errorf("A_B^(%d) row 2 column %d = %v; want %v", i, c, ab[c], want)
			}
		}
	}
	for k := range d.Cases() {
		for _, u := range d.Point(k, nil) {
			if !(u >= 0 && u < 1) {
				t.Fatalf("case %d: coordinate %v outside [0, 1)", k, u)
			}
		}
	}
	y := make([]float64, d.Cases())
	for k := range y {
		y[k] = float64(k)
	}
	fA, fB, fAB, err := d.Split(y)
	if err != nil {
		t.Fatal(err)
	}
	if fA[0] != 0 || fB[0] != 8 || fAB[2][7] != 16+2*8+7 {
		t.Errorf("Split: fA[0] = %v, fB[0] = %v, fAB[2][7] = %v; want 0, 8, 39", fA[0], fB[0], fAB[2][7])
	}
	if _, _, _, err := d.Split(y[1:]); err == nil {
		t.Error("Split of too few outputs: no error")
	}
}

func TestDesignSeeded(t *testing.T) {
	d1, _ := NewDesign(16, 4, 5)
	d2, _ := NewDesign(16, 4, 5)
	d3, _ := NewDesign(16, 4, 6)
	same, differ := true, false
	for k := range d1.Cases() {
		p1, p2, p3 := d1.Point(k, nil), d2.Point(k, nil), d3.Point(k, nil)
		same = same && slices.Equal(p1, p2)
		differ = differ || !slices.Equal(p1, p3)
	}
	if !same || !differ {
		t.Errorf("same seed gives the same design: %v (want true); another seed another: %v (want true)", same, differ)
	}
}

func TestDesignErrors(t *testing.T) {
	for _, c := range []struct{ n, d int }{{1, 2}, {4, 0}, {4, MaxDimensions + 1}} {
		if _, err := NewDesign(c.n, c.d, 1); err == nil {
			t.Errorf("NewDesign(%d, %d) = nil error; want one", c.n, c.d)
		}
	}
}

func TestLatinHypercubeStratified(t *testing.T) {
	const n, dim = 50, 3
	pts, err := LatinHypercube(n, dim, 9)
	if err != nil {
		t.Fatal(err)
	}
	for c := range dim {
		col := mat.Col(nil, c, pts)
		seen := make([]bool, n)
		for _, u := range col {
			s := int(math.Floor(u * n))
			if s < 0 || s >= n || seen[s] {
				t.Fatalf("column %d: value %v in stratum %d, outside or taken twice", c, u, s)
			}
			seen[s] = true
		}
	}
	again, _ := LatinHypercube(n, dim, 9)
	if !mat.Equal(pts, again) {
		t.Error("LatinHypercube with the same seed differs")
	}
}

func TestSobolErrors(t *testing.T) {
	if _, err := Sobol([]float64{1}, []float64{1}, nil); err == nil {
		t.Error("Sobol of one row: no error")
	}
	if _, err := Sobol([]float64{1, 2}, []float64{1, 2}, [][]float64{{1}}); err == nil {
		t.Error("Sobol with a short f_AB: no error")
	}
	if _, err := Bootstrap([]float64{1, 2}, []float64{3, 4}, [][]float64{{1, 2}}, 1, 0.95, 1); err == nil {
		t.Error("Bootstrap with 1 resample: no error")
	}
	if _, err := Bootstrap([]float64{1, 2}, []float64{3, 4}, [][]float64{{1, 2}}, 10, 1, 1); err == nil {
		t.Error("Bootstrap at level 1: no error")
	}
}
