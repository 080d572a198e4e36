package mcstat

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// seq returns lo, lo+1, ..., hi shuffled deterministically, so that the
// tests also check that SummarizeLosses does not depend on the order.
func seq(lo, hi int) []float64 {
	var x []float64
	for v := lo; v <= hi; v++ {
		x = append(x, float64(v))
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(x), func(i, j int) { x[i], x[j] = x[j], x[i] })
	return x
}

// withZeros returns zeros zeros followed by tail.
func withZeros(zeros int, tail ...float64) []float64 {
	return append(make([]float64, zeros), tail...)
}

// tailMean is the mean of the worst share 1−q of x counting fractional
// paths: with m = n(1−q), the ⌊m⌋ largest values in full and the next one
// with weight m − ⌊m⌋ (Acerbi and Tasche 2002, Prop. 3.2, the definition ES
// should reproduce).
func tailMean(x []float64, q float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	slices.Reverse(s)
	m := float64(len(s)) * (1 - q)
	sum, w := 0.0, 0.0
	for _, v := range s {
		take := math.Min(1, m-w)
		if take <= 1e-12 {
			break
		}
		sum += take * v
		w += take
	}
	return sum / m
}

func TestSummarizeLossesHand(t *testing.T) {
	tests := []struct {
		name      string
		x         []float64
		mean, std float64
		var_, es  [3]float64 // at 0.95, 0.99, 0.999
		pPositive float64
	}{
		// 1..20: F_n(19) = 0.95, so VaR_0.95 = 19; the worst 5% is the one
		// path 20. Sample variance of 1..n is n(n+1)/12 = 35.
		{"1..20", seq(1, 20), 10.5, math.Sqrt(35), [3]float64{19, 20, 20}, [3]float64{20, 20, 20}, 1},
		// 1..30: the worst 5% is 1.5 paths: (30 + 0.5·29)/1.5 = 29.667.
		{"1..30", seq(1, 30), 15.5, math.Sqrt(30 * 31 / 12.0), [3]float64{29, 30, 30}, [3]float64{89.0 / 3, 30, 30}, 1},
		// 95 zeros and 1..5: VaR_0.95 is the atom at 0 and ES_0.95 the mean
		// of 1..5 = 3; at 0.99, F_n(4) = 0.99 and the worst path is 5.
		{"95 zeros, 1..5", withZeros(95, 1, 2, 3, 4, 5), 0.15, math.Sqrt((55 - 100*0.15*0.15) / 99), [3]float64{0, 4, 5}, [3]float64{3, 5, 5}, 0.05},
		// 97 zeros and 10, 20, 30: the worst 5 paths are 30, 20, 10, 0, 0.
		{"97 zeros, 10..30", withZeros(97, 10, 20, 30), 0.6, math.Sqrt((1400 - 100*0.36) / 99), [3]float64{0, 20, 30}, [3]float64{12, 30, 30}, 0.03},
		// All zero.
		{"all zero", make([]float64, 50), 0, 0, [3]float64{}, [3]float64{}, 0},
		// One path.
		{"single", []float64{7}, 7, 0, [3]float64{7, 7, 7}, [3]float64{7, 7, 7}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.x)
			got := SummarizeLosses(tc.x)
			if !slices.Equal(in, tc.x) {
				t.Fatalf("SummarizeLosses(%s) modified its input", tc.name)
			}
			if got.N != len(tc.x) {
				t.Errorf("SummarizeLosses(%s).N = %v; want %v", tc.name, got.N, len(tc.x))
			}
			checkClose(t, fmt.Sprintf("SummarizeLosses(%s).Mean", tc.name), got.Mean, tc.mean, 1e-12)
			checkClose(t, fmt.Sprintf("SummarizeLosses(%s).Std", tc.name), got.Std, tc.std, 1e-12)
			checkClose(t, fmt.Sprintf("SummarizeLosses(%s).MeanStdErr", tc.name), got.MeanStdErr, tc.std/math.Sqrt(float64(len(tc.x))), 1e-12)
			checkClose(t, fmt.Sprintf("SummarizeLosses(%s).PPositive", tc.name), got.PPositive, tc.pPositive, 1e-12)
			for k, q := range TailLevels() {
				checkClose(t, fmt.Sprintf("SummarizeLosses(%s).VaR[%v]", tc.name, q), got.VaR[k], tc.var_[k], 1e-12)
				checkClose(t, fmt.Sprintf("SummarizeLosses(%s).ES[%v]", tc.name, q), got.ES[k], tc.es[k], 1e-12)
				// And the definition: the mean of the worst 1−q share.
				checkClose(t, fmt.Sprintf("SummarizeLosses(%s).ES[%v] vs tail mean", tc.name, q), got.ES[k], tailMean(tc.x, q), 1e-12)
			}
		})
	}
}

// TestSummarizeLossesStdErrHand checks the two standard errors on 1..20 by
// hand. VaR_0.95: s = √(20·0.95·0.05) = 0.975, the order statistics
// L₍⌊19−s⌋₎ = L₍18₎ = 18 and L₍⌈19+s⌉₎ = L₍20₎ = 20, so (20 − 18)/2 = 1.
// ES_0.95: the excess over VaR is 1 on one path of 20, mean 0.05, sample
// standard deviation √((1 − 20·0.05²)/19) = √0.05, so √0.05/√20/0.05 = 1.
func TestSummarizeLossesStdErrHand(t *testing.T) {
	got := SummarizeLosses(seq(1, 20))
	checkClose(t, "SummarizeLosses(1..20).VaRStdErr[0.95]", got.VaRStdErr[0], 1, 1e-12)
	checkClose(t, "SummarizeLosses(1..20).ESStdErr[0.95]", got.ESStdErr[0], 1, 1e-12)
	// An atom at the quantile: zero VaR error, as documented.
	// (980 zeros cover the window 950 ± 6.9 of the order statistics.)
	got = SummarizeLosses(withZeros(980, seq(1, 20)...))
	if got.VaRStdErr[0] != 0 {
		t.Errorf("SummarizeLosses(980 zeros, 1..20).VaRStdErr[0.95] = %v; want 0", got.VaRStdErr[0])
	}
	if got := SummarizeLosses(nil); got != (LossStats{}) {
		t.Errorf("SummarizeLosses(nil) = %+v; want zero LossStats", got)
	}
}

// TestSummarizeLossesTailMean checks ES against the tail mean on random
// samples with heavy atoms (many exact zeros and ties), where the
// "mean of losses at or above VaR" shortcut would be wrong.
func TestSummarizeLossesTailMean(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 7, 20, 99, 100, 101, 1000, 1234, 5000} {
		x := make([]float64, n)
		for i := range x {
			if r.Float64() < 0.9 {
				continue // an atom at zero
			}
			x[i] = float64(r.IntN(4)) // ties
			if r.Float64() < 0.3 {
				x[i] = r.ExpFloat64() * 10
			}
		}
		got := SummarizeLosses(x)
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		for k, q := range TailLevels() {
			checkClose(t, fmt.Sprintf("SummarizeLosses(n=%d).ES[%v]", n, q), got.ES[k], tailMean(x, q), 1e-9)
			// VaR is the smallest loss with F_n(l) >= q: the ⌈nq⌉-th smallest.
			idx := int(math.Ceil(float64(n)*q-1e-9)) - 1
			if want := sorted[max(idx, 0)]; got.VaR[k] != want {
				t.Errorf("SummarizeLosses(n=%d).VaR[%v] = %v; want %v", n, q, got.VaR[k], want)
			}
		}
	}
}

// TestSummarizeLossesCoverage draws K independent samples of n Exp(1)
// losses and checks that the reported VaR and ES standard errors match the
// actual spread of the estimates over the samples, and that the estimates
// are centred on the true values.
//
// References. For Exp(1) the k-th order statistic of n is a sum of
// independent exponential spacings (Rényi 1953): E[X₍ₖ₎] = Σ_{i=n−k+1}^n 1/i
// and Var[X₍ₖ₎] = Σ 1/i², so the VaR estimator X₍⌈nq⌉₎ has an exact mean
// and standard deviation. ES_q = −ln(1−q) + 1 (memorylessness), and the
// estimator's asymptotic variance is Var[(L−VaR)⁺]/(n(1−q)²) =
// (1+q)/((1−q)n), since (L−VaR)⁺ is 0 with probability q and Exp(1)
// otherwise.
//
// Bands. The sample standard deviation of K roughly normal estimates has
// relative standard error 1/√(2(K−1)); the mean of the K reported standard
// errors has relative standard error sd(SE)/(mean(SE)·√K) from the sample;
// each gets nSE of them. The VaR standard error uses order statistics at
// whole indices around nq ± s, which widens the window by up to two
// indices: a relative bias of up to 1/s, added to its band.
func TestSummarizeLossesCoverage(t *testing.T) {
	K := 400
	if testing.Short() {
		K = 150
	}
	tests := []struct {
		q     float64
		level int // index in TailLevels
		n     int
	}{
		{0.95, 0, 4000},
		{0.99, 1, 10000},
	}
	for _, tc := range tests {
		r := rand.New(rand.NewPCG(uint64(tc.n), 77))
		exp := distuv.Exponential{Rate: 1, Src: r}
		vars, ess, varSE, esSE := make([]float64, K), make([]float64, K), make([]float64, K), make([]float64, K)
		x := make([]float64, tc.n)
		for k := range K {
			for i := range x {
				x[i] = exp.Rand()
			}
			s := SummarizeLosses(x)
			vars[k], ess[k] = s.VaR[tc.level], s.ES[tc.level]
			varSE[k], esSE[k] = s.VaRStdErr[tc.level], s.ESStdErr[tc.level]
		}
		n := tc.n
		kth := int(math.Ceil(float64(n) * tc.q))
		varMean, varVar := 0.0, 0.0
		for i := n - kth + 1; i <= n; i++ {
			varMean += 1 / float64(i)
			varVar += 1 / float64(i*i)
		}
		varSD := math.Sqrt(varVar)
		esTrue := -math.Log(1-tc.q) + 1
		esSD := math.Sqrt((1 + tc.q) / ((1 - tc.q) * float64(n)))

		name := fmt.Sprintf("Exp(1), n=%d, q=%v", n, tc.q)
		checkSE(t, "mean VaR estimate, "+name, stat.Mean(vars, nil), varMean, varSD/math.Sqrt(float64(K)))
		empVarSD := stat.StdDev(vars, nil)
		empESSD := stat.StdDev(ess, nil)
		checkSE(t, "mean ES estimate, "+name, stat.Mean(ess, nil), esTrue, empESSD/math.Sqrt(float64(K)))

		sdNoise := 1 / math.Sqrt(2*float64(K-1))
		meanNoise := func(se []float64) float64 {
			m, sd := stat.MeanStdDev(se, nil)
			return sd / m / math.Sqrt(float64(K))
		}
		s := math.Sqrt(float64(n) * tc.q * (1 - tc.q))
		bands := []struct {
			what      string
			se        []float64
			reference float64
			band      float64
		}{
			// Reported VaR SE vs the empirical spread and vs the exact sd.
			{"VaR SE / empirical sd", varSE, empVarSD, nSE*(sdNoise+meanNoise(varSE)) + 1/s},
			{"VaR SE / exact sd", varSE, varSD, nSE*meanNoise(varSE) + 1/s},
			// Reported ES SE vs the empirical spread and the asymptotic sd.
			{"ES SE / empirical sd", esSE, empESSD, nSE * (sdNoise + meanNoise(esSE))},
			{"ES SE / asymptotic sd", esSE, esSD, nSE * meanNoise(esSE)},
		}
		for _, b := range bands {
			ratio := stat.Mean(b.se, nil) / b.reference
			t.Logf("%s: %s = %.4f (band ±%.3f)", name, b.what, ratio, b.band)
			if math.Abs(ratio-1) > b.band {
				t.Errorf("%s: %s = %.4f; want 1 ± %.3f", name, b.what, ratio, b.band)
			}
		}
	}
}

func TestProportion(t *testing.T) {
	tests := []struct {
		k, n int
		want ProportionStats
	}{
		{3, 10, ProportionStats{P: 0.3, StdErr: math.Sqrt(0.3 * 0.7 / 10)}},
		{1, 4, ProportionStats{P: 0.25, StdErr: math.Sqrt(0.25 * 0.75 / 4)}},
		{0, 5, ProportionStats{}},
		{5, 5, ProportionStats{P: 1}},
		{0, 0, ProportionStats{}},
	}
	for _, tc := range tests {
		got := Proportion(tc.k, tc.n)
		if math.Abs(got.P-tc.want.P) > 1e-15 || math.Abs(got.StdErr-tc.want.StdErr) > 1e-15 {
			t.Errorf("Proportion(%d, %d) = %+v; want %+v", tc.k, tc.n, got, tc.want)
		}
	}
}

// checkSE reports an error unless |got − want| <= nSE·se.
func checkSE(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if !(math.Abs(got-want) <= nSE*se) {
		t.Errorf("%s = %.6g; want %.6g ± %d·%.3g (off by %.2f SE)", what, got, want, nSE, se, (got-want)/se)
	}
}

// checkClose reports an error unless got and want agree to within tol,
// relative to max(1, |want|).
func checkClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))) {
		t.Errorf("%s = %.15g; want %.15g (tolerance %g)", what, got, want, tol)
	}
}

// nSE is the tolerance of the statistical tests in standard errors: a
// correct estimator fails one check with probability 2·(1 − Φ(4)) ≈ 6.3e-5.
const nSE = 4
