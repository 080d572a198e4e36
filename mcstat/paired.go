package mcstat

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Comparing two scenarios on common random numbers.
//
// Two models that differ only in some parameters, run with the same seed
// and paths, draw the same random numbers on path p for everything the
// change does not touch (for backlogsim, see "Random numbers" in the
// documentation of package sim). The per-path outcomes of the two runs are then strongly
// positively correlated, and the difference of their means is estimated far
// more precisely from the per-path differences than from two independent
// runs: Var(Ā − B̄) = (σ²_A + σ²_B − 2ρσ_Aσ_B)/n instead of (σ²_A + σ²_B)/n
// (Glasserman 2004, §4.2; Law 2015, §11.2).

// PairedStats compares the mean of a per-path amount in an alternative run
// with its mean in a base run on the same paths.
type PairedStats struct {
	N int
	// BaseMean and AltMean are the two sample means; Diff is
	// AltMean − BaseMean, the mean of the per-path differences.
	BaseMean, AltMean float64
	Diff              float64
	// DiffStdErr is the paired standard error of Diff: the sample standard
	// deviation of the per-path differences over √N.
	DiffStdErr float64
	// UnpairedStdErr is √(s²_base/N + s²_alt/N), what Diff's standard error
	// would be if the two runs were independent; for reference.
	UnpairedStdErr float64
	// Correlation is the sample correlation of the base and alternative
	// amounts over the paths, or 0 when either is constant.
	Correlation float64
}

// Paired compares alt with base path by path. It panics if their lengths
// differ: they must come from runs with the same number of paths.
func Paired(base, alt []float64) PairedStats {
	if len(base) != len(alt) {
		panic(fmt.Sprintf("mcstat: Paired: %d base paths and %d alternative paths", len(base), len(alt)))
	}
	n := len(base)
	s := PairedStats{N: n}
	if n == 0 {
		return s
	}
	d := make([]float64, n)
	for i := range base {
		d[i] = alt[i] - base[i]
	}
	var sdB, sdA, sdD float64
	s.BaseMean, sdB = stat.MeanStdDev(base, nil)
	s.AltMean, sdA = stat.MeanStdDev(alt, nil)
	s.Diff, sdD = stat.MeanStdDev(d, nil)
	if n < 2 {
		return s
	}
	rn := math.Sqrt(float64(n))
	s.DiffStdErr = sdD / rn
	s.UnpairedStdErr = math.Hypot(sdB, sdA) / rn
	if sdB > 0 && sdA > 0 {
		// Var(d) = s²_A + s²_B − 2·cov, which is exact for sample moments
		// and avoids a second pass.
		s.Correlation = clampUnit((sdA*sdA + sdB*sdB - sdD*sdD) / (2 * sdA * sdB))
	}
	return s
}

// PairedProportion compares the probability of an event (a default) in two
// runs on the same paths, from the per-path step at which it happened, or
// a negative number if it did not: the indicators are step >= 0. Diff is
// the difference of the two probabilities, and DiffStdErr its paired
// standard error. It panics if the lengths differ.
func PairedProportion(base, alt []int32) PairedStats {
	return PairedProportionBy(base, alt, math.MaxInt32)
}

// PairedProportionBy is PairedProportion for the event before step steps:
// the indicators are 0 <= step < steps. With steps = k·(steps per year) it
// compares the probabilities of default by the end of year k.
func PairedProportionBy(base, alt []int32, steps int32) PairedStats {
	if len(base) != len(alt) {
		panic(fmt.Sprintf("mcstat: PairedProportion: %d base paths and %d alternative paths", len(base), len(alt)))
	}
	ind := func(x []int32) []float64 {
		out := make([]float64, len(x))
		for i, s := range x {
			if s >= 0 && s < steps {
				out[i] = 1
			}
		}
		return out
	}
	return Paired(ind(base), ind(alt))
}

func clampUnit(x float64) float64 { return math.Max(-1, math.Min(1, x)) }

// TailBatches is the number of batches PairedTail splits the paths into.
const TailBatches = 20

// PairedTailStats compares the value at risk and expected shortfall at one
// level of a per-path loss in two runs on the same paths.
type PairedTailStats struct {
	Level float64
	// Batches is the number of batches the standard errors come from.
	Batches int
	// BaseVaR and AltVaR are the VaR estimates from all paths, VaRDiff
	// their difference AltVaR − BaseVaR and VaRDiffStdErr its standard
	// error by sectioning; likewise for ES.
	BaseVaR, AltVaR, VaRDiff, VaRDiffStdErr float64
	BaseES, AltES, ESDiff, ESDiffStdErr     float64
}

// PairedTail compares VaR and ES at level q of alt with those of base,
// using the estimators of SummarizeLosses. It panics if the lengths differ
// or q is not in (0, 1).
//
// The differences are those of the estimates from all paths. Their
// standard errors come from sectioning (Asmussen and Glynn 2007, §III.5):
// the paths are split by index into b = min(TailBatches, n) contiguous
// batches of nearly equal size; in each batch the statistic is estimated
// for both runs and differenced, giving d₁…d_b, and the standard error is
// the sample standard deviation of the d_j over √b. Because the batches
// hold the same paths in both runs, the d_j inherit the common random
// numbers' correlation. Batches are independent (paths are), so the
// estimate is consistent as n grows with b fixed; with b = 20 it is itself
// uncertain by about 1/√(2(b−1)) ≈ 16%, and a confidence interval should
// use Student's t with b − 1 degrees of freedom (t₀.₉₇₅ = 2.09). Each batch
// must hold enough tail paths for its estimate to be near-unbiased: at
// q = 0.99 that needs n of a few thousand or more.
func PairedTail(base, alt []float64, q float64) PairedTailStats {
	if len(base) != len(alt) {
		panic(fmt.Sprintf("mcstat: PairedTail: %d base paths and %d alternative paths", len(base), len(alt)))
	}
	if !(q > 0 && q < 1) {
		panic(fmt.Sprintf("mcstat: PairedTail: level %v not in (0, 1)", q))
	}
	n := len(base)
	s := PairedTailStats{Level: q}
	if n == 0 {
		return s
	}
	s.BaseVaR, s.BaseES = tailEstimates(base, q)
	s.AltVaR, s.AltES = tailEstimates(alt, q)
	s.VaRDiff = s.AltVaR - s.BaseVaR
	s.ESDiff = s.AltES - s.BaseES
	b := min(TailBatches, n)
	s.Batches = b
	if b < 2 {
		return s
	}
	dv := make([]float64, b)
	de := make([]float64, b)
	for j := range b {
		lo, hi := j*n/b, (j+1)*n/b
		bv, be := tailEstimates(base[lo:hi], q)
		av, ae := tailEstimates(alt[lo:hi], q)
		dv[j], de[j] = av-bv, ae-be
	}
	rb := math.Sqrt(float64(b))
	s.VaRDiffStdErr = stat.StdDev(dv, nil) / rb
	s.ESDiffStdErr = stat.StdDev(de, nil) / rb
	return s
}

// tailEstimates returns the empirical VaR and the Acerbi–Tasche ES of x at
// level q, as SummarizeLosses computes them.
func tailEstimates(x []float64, q float64) (v, es float64) {
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	v = stat.Quantile(q, stat.Empirical, sorted, nil)
	excess := 0.0
	for _, l := range sorted {
		excess += math.Max(l-v, 0)
	}
	return v, v + excess/float64(len(sorted))/(1-q)
}
