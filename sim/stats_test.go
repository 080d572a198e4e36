package sim

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

// TestSummarizeHand checks Summarize on a hand-made Results: default steps
// map to years by step/StepsPerYear, the by-year probabilities are
// cumulative and a final partial year gets its own entry.
func TestSummarizeHand(t *testing.T) {
	m := &Model{Name: "hand", Seed: 9, HorizonYears: 2.5, StepsPerYear: 4}
	// Steps 0–3 are year 1, 4–7 year 2, 8–9 the half year 3.
	res := &Results{
		Model: m, Paths: 6,
		Customers: []CustomerResults{{
			Name:          "c",
			DefaultStep:   []int32{-1, 0, 3, 4, 9, 7},
			Rounds:        []int32{0, 1, 0, 2, 0, 0},
			FundingRaised: []float64{0, 1, 0, 3, 0, 0},
			BackerSupport: make([]float64, 6),
		}},
		Providers: []FirmResults{{
			Name: "f", Backlog: 10, OperatingCashFlow: 2,
			BacklogLost:  []float64{0, 1, 2, 3, 4, 5},
			EconomicLoss: []float64{0, 0, 0, 0, 0, 1},
			DefaultStep:  []int32{-1, -1, 5, -1, -1, -1},
		}},
	}
	s := Summarize(res)
	if s.Scenario != "hand" || s.Seed != 9 || s.Paths != 6 || s.HorizonYears != 2.5 || s.StepsPerYear != 4 {
		t.Errorf("Summarize header = %+v", s)
	}
	c := s.Customers[0]
	if c.DefaultProbability != Proportion(5, 6) {
		t.Errorf("DefaultProbability = %+v; want %+v", c.DefaultProbability, Proportion(5, 6))
	}
	want := []ProportionStats{Proportion(2, 6), Proportion(4, 6), Proportion(5, 6)}
	if !slices.Equal(c.DefaultProbabilityByYear, want) {
		t.Errorf("DefaultProbabilityByYear = %+v; want %+v", c.DefaultProbabilityByYear, want)
	}
	if c.ProbabilityAnyRound != Proportion(2, 6) {
		t.Errorf("ProbabilityAnyRound = %+v; want %+v", c.ProbabilityAnyRound, Proportion(2, 6))
	}
	if c.FundingRaised.Mean != 4.0/6 {
		t.Errorf("FundingRaised.Mean = %v; want %v", c.FundingRaised.Mean, 4.0/6)
	}
	f := s.Providers[0]
	if f.DefaultProbability != Proportion(1, 6) || f.BacklogLost.Mean != 2.5 || f.EconomicLoss.PPositive != 1.0/6 {
		t.Errorf("Providers[0] = %+v; want default 1/6, mean lost 2.5, P(econ > 0) 1/6", f)
	}
}

// TestCashHistogram checks the streaming quantiles against the exact
// empirical quantile (the ⌈qn⌉-th smallest value) within the documented
// accuracy, half a bin: 2⁻⁷ of |x|, or 2⁻⁷ bn near zero, and that doubling
// every weight changes nothing.
func TestCashHistogram(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 10001)
	for i := range x {
		// Values spread over many orders of magnitude and both signs.
		x[i] = math.Sinh(r.NormFloat64()*4) * 0.5
	}
	x[0], x[1], x[2] = 0, 1e-5, -3e9 // zero, tiny, beyond the range
	whole, doubled := newHistogram(), newHistogram()
	for _, v := range x {
		whole.Add(v, 1)
		doubled.Add(v, 2)
	}
	for _, q := range []float64{0.001, 0.05, 0.5, 0.95} {
		if a, b := whole.Quantile(q), doubled.Quantile(q); a != b {
			t.Errorf("Histogram.Quantile(%v) = %v with unit weights, %v with weights 2; want equal", q, a, b)
		}
	}
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	for _, q := range []float64{0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999} {
		want := sorted[int(math.Ceil(q*float64(len(x))))-1]
		if got := whole.Quantile(q); math.Abs(got-want) > cashBinTolerance(want) {
			t.Errorf("Histogram.Quantile(%v) = %v; want %v ± %v", q, got, want, cashBinTolerance(want))
		}
	}
	if got := newHistogram().Quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty Histogram.Quantile(0.5) = %v; want NaN", got)
	}

	// The cash bands' fixed-point histogram: halves merged in either order
	// equal the whole, and its quantiles are the float histogram's.
	count, a, b := newCountHistogram(), newCountHistogram(), newCountHistogram()
	for i, v := range x {
		count.add(v, weightUnit)
		if i%2 == 0 {
			a.add(v, weightUnit)
		} else {
			b.add(v, weightUnit)
		}
	}
	b.merge(a)
	if !slices.Equal(b.C, count.C) || b.Total != count.Total {
		t.Errorf("merged countHistogram differs from the histogram of all values")
	}
	for _, q := range []float64{0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999} {
		if got, want := count.quantile(q), whole.Quantile(q); got != want {
			t.Errorf("countHistogram.quantile(%v) = %v; want %v (the float histogram's)", q, got, want)
		}
	}
	if got := newCountHistogram().quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty countHistogram.quantile(0.5) = %v; want NaN", got)
	}
}
