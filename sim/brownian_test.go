package sim

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// Parameters of the Brownian burner: cash starts at x0, a fixed cost of c a
// year is paid and additive noise of σ a √year is added, with no revenue and
// no funding, so the cash after step k is x0 − c·k·dt + σ·W(k·dt) and the
// burner defaults at the first step that ends with negative cash.
const (
	bmCash  = 2.0 // x0, USD bn
	bmCost  = 0.5 // c, USD bn a year
	bmSigma = 1.0 // σ, USD bn a √year
	bmYears = 2.0 // horizon T
)

func brownianModel(stepsPerYear, n int) *Model {
	return &Model{
		Name: fmt.Sprintf("brownian-%d", stepsPerYear), Settings: Settings{Paths: n, Seed: 20240601},
		HorizonYears: bmYears, StepsPerYear: stepsPerYear,
		Funding:  singleRegime(),
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			Name: "burner", Cash: bmCash, Revenue: 0, GrowthHalfLifeYears: 1,
			FixedCost: bmCost, CashFlowVolatility: bmSigma,
		}},
	}
}

// firstPassageProb is the continuous-monitoring probability that a Brownian
// motion with drift μ and volatility σ started at x0 > 0 hits 0 by T: the
// reflection-principle formula (e.g. Karatzas & Shreve 1991, §3.5.C;
// Musiela & Rutkowski 2005, Cor. B.3.4)
//
//	P(τ ≤ T) = Φ((−x0 − μT)/(σ√T)) + exp(−2μx0/σ²)·Φ((−x0 + μT)/(σ√T)).
func firstPassageProb(x0, mu, sigma, T float64) float64 {
	s := sigma * math.Sqrt(T)
	return distuv.UnitNormal.CDF((-x0-mu*T)/s) +
		math.Exp(-2*mu*x0/(sigma*sigma))*distuv.UnitNormal.CDF((-x0+mu*T)/s)
}

// bgkBeta is the Broadie–Glasserman–Kou constant β = −ζ(1/2)/√(2π)
// (Broadie, Glasserman and Kou 1997, "A continuity correction for discrete
// barrier options", Math. Finance 7(4), Thm. 1), ζ(1/2) = −1.4603545088095868.
var bgkBeta = 1.4603545088095868 / math.Sqrt(2*math.Pi)

// killedWalkSurvival returns surv[k], k = 0..n: the probability that the
// Gaussian random walk S_0 = x0, S_k = S_{k−1} + μ·dt + σ√dt·Z_k stays
// non-negative at all of S_1..S_k (discrete monitoring). It propagates the
// sub-probability density of the surviving walk on a grid of [0, upper]
// with pointsPerSD points per step standard deviation, integrating the
// Chapman–Kolmogorov convolution
//
//	f_{k+1}(y) = ∫₀^∞ f_k(x)·φ((y − x − μdt)/(σ√dt))/(σ√dt) dx
//
// with gonum's composite Simpson rule (error O(h⁴); the integrand is smooth
// on [0, ∞) but not zero at the barrier, which is why the trapezoidal rule's
// O(h²) end error is not good enough); the kernel is cut off at 10 step
// standard deviations, where it is below 1e-22. This is independent of the
// engine: no random numbers and none of its code.
func killedWalkSurvival(x0, mu, sigma, dt float64, n int, pointsPerSD float64) []float64 {
	sd := sigma * math.Sqrt(dt)
	drift := mu * dt
	h := sd / pointsPerSD
	// The walk's maximum exceeds x0 + 9σ√T with probability below 1e-18.
	upper := x0 + 9*sigma*math.Sqrt(float64(n)*dt) + 10*sd
	m := int(math.Ceil(upper/h)) + 1
	x := make([]float64, m)
	for j := range x {
		x[j] = float64(j) * h
	}
	f := make([]float64, m)
	for j := range f {
		f[j] = distuv.UnitNormal.Prob((x[j]-x0-drift)/sd) / sd
	}
	surv := []float64{1, integrate.Simpsons(x, f)}

	// The kernel depends on j − i only: kern[d − dlo] for offsets
	// d = j − i in [dlo, dhi], the x_i within 10 sd of y_j − drift.
	reach := int(math.Ceil(10 * sd / h))
	shift := int(math.Round(drift / h))
	dlo, dhi := shift-reach, shift+reach
	kern := make([]float64, dhi-dlo+1)
	for d := dlo; d <= dhi; d++ {
		kern[d-dlo] = distuv.UnitNormal.Prob((float64(d)*h-drift)/sd) / sd
	}
	next := make([]float64, m)
	buf := make([]float64, m)
	for k := 2; k <= n; k++ {
		for j := range next {
			lo, hi := max(j-dhi, 0), min(j-dlo+1, m)
			if hi-lo < 3 {
				next[j] = 0
				continue
			}
			for i := lo; i < hi; i++ {
				buf[i] = f[i] * kern[j-i-dlo]
			}
			next[j] = integrate.Simpsons(x[lo:hi], buf[lo:hi])
		}
		f, next = next, f
		surv = append(surv, integrate.Simpsons(x, f))
	}
	return surv
}

// TestKilledWalkRecursion validates the reference recursion itself before it
// is used to judge the engine.
func TestKilledWalkRecursion(t *testing.T) {
	const x0, mu, sigma = bmCash, -bmCost, bmSigma
	// One step: P(S_1 >= 0) = Φ((x0 + μdt)/(σ√dt)) exactly; Simpson's rule
	// with 16 points per standard deviation is good to ~1e-8.
	for _, dt := range []float64{1, 0.25, 1.0 / 52} {
		got := killedWalkSurvival(x0, mu, sigma, dt, 1, 16)[1]
		want := distuv.UnitNormal.CDF((x0 + mu*dt) / (sigma * math.Sqrt(dt)))
		checkClose(t, fmt.Sprintf("killedWalkSurvival(dt=%v, n=1)", dt), got, want, 1e-7)
	}
	// Two steps: P(S_1 >= 0, S_2 >= 0) = ∫₀^∞ φ_{S_1}(x)·Φ((x + μdt)/(σ√dt)) dx,
	// by Gauss–Legendre quadrature (an independent method) on [0, x0 + 12 sd].
	for _, dt := range []float64{1, 0.25} {
		sd := sigma * math.Sqrt(dt)
		want := quad.Fixed(func(x float64) float64 {
			return distuv.UnitNormal.Prob((x-x0-mu*dt)/sd) / sd * distuv.UnitNormal.CDF((x+mu*dt)/sd)
		}, 0, x0+12*sd, 400, quad.Legendre{}, 0)
		got := killedWalkSurvival(x0, mu, sigma, dt, 2, 16)[2]
		checkClose(t, fmt.Sprintf("killedWalkSurvival(dt=%v, n=2)", dt), got, want, 1e-6)
	}
	// Grid refinement: halving the spacing changes the answer by < 1e-6.
	for _, spy := range []int{1, 12} {
		dt := 1 / float64(spy)
		n := int(bmYears) * spy
		coarse := killedWalkSurvival(x0, mu, sigma, dt, n, 16)[n]
		fine := killedWalkSurvival(x0, mu, sigma, dt, n, 32)[n]
		checkClose(t, fmt.Sprintf("killedWalkSurvival(%d steps/year) coarse vs fine grid", spy), coarse, fine, 1e-6)
	}
	// Fine monitoring: the recursion approaches the continuous first-passage
	// probability as the BGK correction predicts, P_disc(x0) ≈ P_cont(x0 +
	// β σ√dt), with an error that is o(√dt) (BGK 1997, Thm. 1): at 256
	// steps a year the shift is 0.036 and moves the probability by ~0.01,
	// while the corrected value agrees to a few 1e-4.
	if !testing.Short() {
		const spy = 256
		dt := 1.0 / spy
		n := int(bmYears) * spy
		disc := 1 - killedWalkSurvival(x0, mu, sigma, dt, n, 8)[n]
		cont := firstPassageProb(x0, mu, sigma, bmYears)
		bgk := firstPassageProb(x0+bgkBeta*sigma*math.Sqrt(dt), mu, sigma, bmYears)
		t.Logf("256 steps/year: discrete %.6f, BGK %.6f, continuous %.6f", disc, bgk, cont)
		if math.Abs(disc-bgk) > 1e-3 {
			t.Errorf("killed walk at 256 steps/year = %.6f; want BGK %.6f ± 1e-3", disc, bgk)
		}
		if !(disc < cont) {
			t.Errorf("killed walk at 256 steps/year = %.6f; want below continuous %.6f", disc, cont)
		}
	}
}

// TestBrownianCashDefault compares the engine's default probability of the
// Brownian burner with the exact discrete-monitoring probability for its step
// grid, and shows both converging to the continuous first-passage formula as
// the grid is refined, with the BGK continuity correction explaining the gap.
func TestBrownianCashDefault(t *testing.T) {
	n := paths(10000, 40000)
	const x0, mu, sigma = bmCash, -bmCost, bmSigma
	cont := firstPassageProb(x0, mu, sigma, bmYears)
	prevGap := math.Inf(1)
	for _, spy := range []int{1, 4, 12, 52} {
		dt := 1 / float64(spy)
		steps := int(bmYears) * spy
		surv := killedWalkSurvival(x0, mu, sigma, dt, steps, 16)
		exact := 1 - surv[steps]
		bgk := firstPassageProb(x0+bgkBeta*sigma*math.Sqrt(dt), mu, sigma, bmYears)

		m := brownianModel(spy, n)
		res := mustSimulate(t, m)
		s := res.Summary
		got := s.Customers[0].DefaultProbability.P
		t.Logf("%2d steps/year: engine %.4f ± %.4f, exact discrete %.4f, BGK %.4f, continuous %.4f",
			spy, got, binomialSE(exact, n), exact, bgk, cont)

		checkSE(t, fmt.Sprintf("P(default by %v y | %d steps/year)", bmYears, spy), got, exact, binomialSE(exact, n))
		for y, py := range s.Customers[0].DefaultProbabilityByYear {
			want := 1 - surv[(y+1)*spy]
			checkSE(t, fmt.Sprintf("P(default by year %d | %d steps/year)", y+1, spy), py.P, want, binomialSE(want, n))
		}
		// The engine's own default steps: the first step with negative cash
		// is the monitoring date, so P(DefaultStep == 0) = 1 − surv[1].
		// Checked where it is not negligible (at least 100 expected paths).
		if pFirst := 1 - surv[1]; float64(n)*pFirst >= 100 {
			first := 0
			for _, d := range res.Customers[0].DefaultStep {
				if d == 0 {
					first++
				}
			}
			checkSE(t, fmt.Sprintf("P(DefaultStep == 0 | %d steps/year)", spy),
				float64(first)/float64(n), pFirst, binomialSE(pFirst, n))
		}

		// Convergence: discrete monitoring misses crossings between dates,
		// so P_disc < P_cont, and the gap shrinks (like √dt) as dt falls.
		gap := cont - exact
		if !(gap > 0 && gap < prevGap) {
			t.Errorf("continuous − discrete at %d steps/year = %.5f; want positive and below %.5f at the coarser grid", spy, gap, prevGap)
		}
		prevGap = gap
		// BGK predicts the discrete value far better than the continuous
		// formula does: its error is o(√dt) while the gap is Θ(√dt). From 4
		// steps a year on it removes at least 80% of the gap.
		if spy >= 4 && math.Abs(exact-bgk) > 0.2*gap {
			t.Errorf("|discrete − BGK| at %d steps/year = %.5f; want below 20%% of the gap %.5f", spy, math.Abs(exact-bgk), gap)
		}
		// The engine estimate itself is visibly discrete at 1 step a year:
		// it is many standard errors below the continuous value.
		if spy == 1 && cont-got < 2*nSE*binomialSE(exact, n) {
			t.Errorf("engine at 1 step/year = %.4f; want well below continuous %.4f", got, cont)
		}
	}
}

// ---------------------------------------------------------------------------
