package mcstat

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPairedKnownValues(t *testing.T) {
	for _, tc := range []struct {
		base, alt []float64
		want      PairedStats
	}{
		{
			base: []float64{1, 2, 3, 4},
			alt:  []float64{2, 3, 4, 5},
			// d = 1 everywhere: no paired error; s² = 5/3 in both runs.
			want: PairedStats{N: 4, BaseMean: 2.5, AltMean: 3.5, Diff: 1, DiffStdErr: 0,
				UnpairedStdErr: math.Sqrt(2 * 5.0 / 3 / 4), Correlation: 1},
		},
		{
			base: []float64{1, 2, 3, 4},
			alt:  []float64{4, 3, 2, 1},
			// d = 3, 1, −1, −3: s²_d = 20/3.
			want: PairedStats{N: 4, BaseMean: 2.5, AltMean: 2.5, Diff: 0, DiffStdErr: math.Sqrt(20.0 / 3 / 4),
				UnpairedStdErr: math.Sqrt(2 * 5.0 / 3 / 4), Correlation: -1},
		},
		{
			base: []float64{0, 0, 0},
			alt:  []float64{0, 3, 0},
			// A constant sample has no correlation.
			want: PairedStats{N: 3, BaseMean: 0, AltMean: 1, Diff: 1, DiffStdErr: math.Sqrt(3.0 / 3),
				UnpairedStdErr: math.Sqrt(3.0 / 3), Correlation: 0},
		},
		{base: nil, alt: nil, want: PairedStats{}},
		{base: []float64{2}, alt: []float64{5}, want: PairedStats{N: 1, BaseMean: 2, AltMean: 5, Diff: 3}},
	} {
		got := Paired(tc.base, tc.alt)
		if !pairedClose(got, tc.want, 1e-12) {
			t.Errorf("Paired(%v, %v) = %+v; want %+v", tc.base, tc.alt, got, tc.want)
		}
	}
}

func pairedClose(a, b PairedStats, tol float64) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= tol*math.Max(1, math.Abs(y)) }
	return a.N == b.N && near(a.BaseMean, b.BaseMean) && near(a.AltMean, b.AltMean) &&
		near(a.Diff, b.Diff) && near(a.DiffStdErr, b.DiffStdErr) &&
		near(a.UnpairedStdErr, b.UnpairedStdErr) && near(a.Correlation, b.Correlation)
}

func TestPairedPanicsOnLengthMismatch(t *testing.T) {
	for name, f := range map[string]func(){
		"Paired":            func() { Paired([]float64{1}, []float64{1, 2}) },
		"PairedProportion":  func() { PairedProportion([]int32{1}, nil) },
		"PairedTail":        func() { PairedTail([]float64{1}, []float64{1, 2}, 0.99) },
		"PairedTail(level)": func() { PairedTail([]float64{1}, []float64{1}, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with bad arguments did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestPairedProportion(t *testing.T) {
	base := []int32{-1, 3, 20, -1, 0}
	alt := []int32{5, 2, -1, -1, 0}
	for _, tc := range []struct {
		steps          int32
		wantB, wantA   float64
		wantD, wantSDd float64 // wantSDd: sample sd of the per-path differences
	}{
		// Indicators base 0 1 1 0 1, alt 1 1 0 0 1: d = 1 0 −1 0 0.
		{math.MaxInt32, 0.6, 0.6, 0, math.Sqrt(0.5)},
		// Before step 4: base 0 1 0 0 1, alt 0 1 0 0 1.
		{4, 0.4, 0.4, 0, 0},
		// Before step 6: base 0 1 0 0 1, alt 1 1 0 0 1: d = 1 0 0 0 0.
		{6, 0.4, 0.6, 0.2, math.Sqrt(0.2)},
	} {
		got := PairedProportionBy(base, alt, tc.steps)
		if math.Abs(got.BaseMean-tc.wantB) > 1e-12 || math.Abs(got.AltMean-tc.wantA) > 1e-12 ||
			math.Abs(got.Diff-tc.wantD) > 1e-12 || math.Abs(got.DiffStdErr-tc.wantSDd/math.Sqrt(5)) > 1e-12 {
			t.Errorf("PairedProportionBy(%v, %v, %d) = %+v; want means %v, %v, diff %v ± %v",
				base, alt, tc.steps, got, tc.wantB, tc.wantA, tc.wantD, tc.wantSDd/math.Sqrt(5))
		}
	}
	if got, want := PairedProportion(base, alt), PairedProportionBy(base, alt, math.MaxInt32); got != want {
		t.Errorf("PairedProportion(%v, %v) = %+v; want %+v", base, alt, got, want)
	}
}

// TestPairedStdErrCorrelatedNormals checks the paired standard error
// against its exact value √(2(1−ρ)/n) for unit-variance normals with
// correlation ρ, and the correlation estimate against ρ. The tolerances are
// four standard errors of the estimates: the sample sd of n normals has
// relative sd 1/√(2(n−1)), and the sample correlation sd (1−ρ²)/√n.
func TestPairedStdErrCorrelatedNormals(t *testing.T) {
	const n = 20000
	rng := rand.New(rand.NewPCG(1, 2))
	for _, rho := range []float64{0, 0.5, 0.9, 0.99} {
		base, alt := make([]float64, n), make([]float64, n)
		for i := range n {
			z1, z2 := rng.NormFloat64(), rng.NormFloat64()
			base[i] = z1
			alt[i] = 0.3 + rho*z1 + math.Sqrt(1-rho*rho)*z2
		}
		got := Paired(base, alt)
		want := math.Sqrt(2 * (1 - rho) / n)
		if rel := math.Abs(got.DiffStdErr/want - 1); rel > 4/math.Sqrt(2*(n-1)) {
			t.Errorf("Paired(ρ = %v).DiffStdErr = %v; want %v within %.1f%%", rho, got.DiffStdErr, want, 400/math.Sqrt(2*(n-1)))
		}
		if tol := 4 * (1 - rho*rho) / math.Sqrt(n); math.Abs(got.Correlation-rho) > tol {
			t.Errorf("Paired(ρ = %v).Correlation = %v; want %v ± %v", rho, got.Correlation, rho, tol)
		}
		if tol := 4 * want; math.Abs(got.Diff-0.3) > tol {
			t.Errorf("Paired(ρ = %v).Diff = %v; want 0.3 ± %v", rho, got.Diff, tol)
		}
	}
}

func TestPairedTail(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 10000
	base := make([]float64, n)
	for i := range base {
		base[i] = rng.ExpFloat64() * 10
	}
	shifted := make([]float64, n)
	for i, v := range base {
		shifted[i] = v + 2.5
	}
	for _, tc := range []struct {
		name       string
		alt        []float64
		wantVaR    float64
		wantES     float64
		wantZeroSE bool
	}{
		{"identical", base, 0, 0, true},
		// A constant shift moves every quantile and every tail mean by it,
		// in every batch.
		{"shifted", shifted, 2.5, 2.5, true},
	} {
		got := PairedTail(base, tc.alt, 0.99)
		if got.Batches != TailBatches {
			t.Errorf("PairedTail(%s).Batches = %d; want %d", tc.name, got.Batches, TailBatches)
		}
		if math.Abs(got.VaRDiff-tc.wantVaR) > 1e-9 || math.Abs(got.ESDiff-tc.wantES) > 1e-9 {
			t.Errorf("PairedTail(%s) differences = %v, %v; want %v, %v", tc.name, got.VaRDiff, got.ESDiff, tc.wantVaR, tc.wantES)
		}
		if tc.wantZeroSE && (got.VaRDiffStdErr > 1e-9 || got.ESDiffStdErr > 1e-9) {
			t.Errorf("PairedTail(%s) standard errors = %v, %v; want 0", tc.name, got.VaRDiffStdErr, got.ESDiffStdErr)
		}
		st := SummarizeLosses(base)
		if math.Abs(got.BaseVaR-st.VaR[1]) > 1e-12 || math.Abs(got.BaseES-st.ES[1]) > 1e-9 {
			t.Errorf("PairedTail(%s) base VaR, ES = %v, %v; want SummarizeLosses's %v, %v", tc.name, got.BaseVaR, got.BaseES, st.VaR[1], st.ES[1])
		}
	}
}

// TestPairedTailStdErr checks sectioning against the spread of the ES
// difference over independent replications. Its estimate of the standard
// error is uncertain by about 1/√(2·19) = 16% and the replications' by
// 1/√(2·(reps−1)), so they must agree within 50%.
func TestPairedTailStdErr(t *testing.T) {
	const n, reps = 4000, 60
	rng := rand.New(rand.NewPCG(5, 6))
	sample := func() ([]float64, []float64) {
		b, a := make([]float64, n), make([]float64, n)
		for i := range n {
			z, e := rng.NormFloat64(), rng.NormFloat64()
			b[i] = math.Exp(z)
			a[i] = math.Exp(1.1*z + 0.2*e)
		}
		return b, a
	}
	diffs := make([]float64, reps)
	ses := 0.0
	for r := range reps {
		b, a := sample()
		s := PairedTail(b, a, 0.95)
		diffs[r] = s.ESDiff
		ses += s.ESDiffStdErr / reps
	}
	mean := 0.0
	for _, d := range diffs {
		mean += d / reps
	}
	sd := 0.0
	for _, d := range diffs {
		sd += (d - mean) * (d - mean) / (reps - 1)
	}
	sd = math.Sqrt(sd)
	if ratio := ses / sd; ratio < 0.5 || ratio > 1.5 {
		t.Errorf("PairedTail ES standard error %v; replications give %v (ratio %v); want ratio in [0.5, 1.5]", ses, sd, ratio)
	}
}

// TestCommonRandomNumbersIdenticalModel: two runs of the same model differ
// by exactly zero on every path, so every paired difference and its
