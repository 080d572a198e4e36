package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// pairedRun simulates m and fails the test on error.
func pairedRun(t *testing.T, m *Model) *Results {
	t.Helper()
	if err := m.Validate(); err != nil {
		t.Fatalf("%s: Validate() = %v; want nil", m.Name, err)
	}
	res, err := Simulate(context.Background(), m, Options{})
	if err != nil {
		t.Fatalf("Simulate(%s) = %v; want nil", m.Name, err)
	}
	return res
}

// frozenThroughout returns a copy of m whose funding market is forced into
// its regime with the lowest round-rate and valuation multipliers for the
// whole horizon.
func frozenThroughout(t *testing.T, m *Model) *Model {
	t.Helper()
	c := *m
	low := 0
	for r, g := range m.Funding.Regimes {
		lo := m.Funding.Regimes[low]
		if g.RoundRateMultiplier <= lo.RoundRateMultiplier && g.ValuationMultiplier <= lo.ValuationMultiplier {
			low = r
		}
	}
	for _, g := range m.Funding.Regimes {
		lo := m.Funding.Regimes[low]
		if g.RoundRateMultiplier < lo.RoundRateMultiplier || g.ValuationMultiplier < lo.ValuationMultiplier {
			t.Fatalf("%s: no regime has both the lowest round rate and the lowest valuation", m.Name)
		}
	}
	c.Funding.Shocks = []FundingShock{{Regime: low, StartYears: 0, DurationYears: m.HorizonYears}}
	c.Name = m.Name + "-frozen"
	return &c
}

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
// standard error are zero.
func TestCommonRandomNumbersIdenticalModel(t *testing.T) {
	m := smallWorld()
	m.Paths = 1000
	a, b := pairedRun(t, m), pairedRun(t, m)
	firms := append(append([]FirmResults(nil), a.Providers...), a.Suppliers...)
	other := append(append([]FirmResults(nil), b.Providers...), b.Suppliers...)
	for k, f := range firms {
		for p := range f.BacklogLost {
			if f.BacklogLost[p] != other[k].BacklogLost[p] || f.EconomicLoss[p] != other[k].EconomicLoss[p] {
				t.Fatalf("%s path %d: losses %v, %v and %v, %v; want identical", f.Name, p,
					f.BacklogLost[p], f.EconomicLoss[p], other[k].BacklogLost[p], other[k].EconomicLoss[p])
			}
		}
		if s := Paired(f.BacklogLost, other[k].BacklogLost); s.Diff != 0 || s.DiffStdErr != 0 {
			t.Errorf("Paired(%s backlog lost) = %+v; want zero difference and standard error", f.Name, s)
		}
		if s := PairedTail(f.BacklogLost, other[k].BacklogLost, 0.99); s.ESDiff != 0 || s.ESDiffStdErr != 0 {
			t.Errorf("PairedTail(%s backlog lost) = %+v; want zero difference and standard error", f.Name, s)
		}
	}
	for i, c := range a.Customers {
		if s := PairedProportion(c.DefaultStep, b.Customers[i].DefaultStep); s.Diff != 0 || s.DiffStdErr != 0 {
			t.Errorf("PairedProportion(%s) = %+v; want zero difference and standard error", c.Name, s)
		}
	}
}

// TestFrozenFundingMonotonePerPath proves per path, on a simplified model,
// that a funding market frozen for the whole horizon never delays a
// customer's default. With no backers, no urgency (runway threshold 0) and
// no runway cap (MaxRunwayYears 0), a customer's revenue, costs and cash
// flow noise on a path do not depend on the funding market, and while it
// is alive its round in step s arrives iff u_s < 1 − exp(−λ_r·dt) for the
// same uniform u_s in both runs, with λ_r lowest in the frozen regime, and
// raises R_s·multiple·v_r·exp(σZ_s − σ²/2) for the same Z_s with v_r
// lowest in the frozen regime. So each step's round in the frozen run is
// no larger than in the base run, its cash is no larger (by induction; IEEE
// addition and multiplication are monotone), and it defaults no later.
func TestFrozenFundingMonotonePerPath(t *testing.T) {
	m := smallWorld()
	m.Paths = 2000
	m.Backers = nil
	for i := range m.Customers {
		f := &m.Customers[i].Funding
		f.RunwayThresholdYears, f.UrgencyMultiplier, f.MaxRunwayYears = 0, 1, 0
	}
	base := pairedRun(t, m)
	frozen := pairedRun(t, frozenThroughout(t, m))
	for i, c := range base.Customers {
		earlier := 0
		for p, sb := range c.DefaultStep {
			sf := frozen.Customers[i].DefaultStep[p]
			if sb >= 0 && (sf < 0 || sf > sb) {
				t.Fatalf("%s path %d: defaults at step %d in the base run and %d with funding frozen; want no later", c.Name, p, sb, sf)
			}
			if sf >= 0 && (sb < 0 || sf < sb) {
				earlier++
			}
			if frozen.Customers[i].FundingRaised[p] > c.FundingRaised[p] && sb < 0 {
				t.Errorf("%s path %d: raised %v frozen and %v base; want no more while it survives in both", c.Name, p,
					frozen.Customers[i].FundingRaised[p], c.FundingRaised[p])
			}
		}
		if earlier == 0 {
			t.Errorf("%s: freezing funding brought no default forward on %d paths; want the test to bite", c.Name, m.Paths)
		}
	}
}

// TestFrozenFundingRaisesDefaultProbability: on the full small world, with
// backers and urgency, per-path monotonicity can fail (a lab that raises
// less becomes urgent and may raise sooner; a backer's annual limit used
// early is missing later), but the paired difference of the default
// probabilities must not be significantly negative.
func TestFrozenFundingRaisesDefaultProbability(t *testing.T) {
	m := smallWorld()
	m.Paths = 4000
	base := pairedRun(t, m)
	frozen := pairedRun(t, frozenThroughout(t, m))
	for i, c := range base.Customers {
		s := PairedProportion(c.DefaultStep, frozen.Customers[i].DefaultStep)
		if s.Diff < -3*s.DiffStdErr {
			t.Errorf("PairedProportion(%s base, frozen) = %v ± %v; want >= 0 within 3 standard errors", c.Name, s.Diff, s.DiffStdErr)
		}
		if s.DiffStdErr >= s.UnpairedStdErr {
			t.Errorf("PairedProportion(%s) paired SE %v; want below the unpaired %v", c.Name, s.DiffStdErr, s.UnpairedStdErr)
		}
	}
}
