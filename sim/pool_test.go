package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// 2. Vasicek pool.

// vasicekQuantile is the q-quantile of the Vasicek (2002, "The distribution
// of loan portfolio value", Risk 15(12)) loss fraction:
// Φ((Φ⁻¹(pd) + √ρ·Φ⁻¹(q))/√(1−ρ)).
func vasicekQuantile(q, pd, rho float64) float64 {
	n := distuv.UnitNormal
	return n.CDF((n.Quantile(pd) + math.Sqrt(rho)*n.Quantile(q)) / math.Sqrt(1-rho))
}

// vasicekCDF is its inverse, P(L <= x) = Φ((√(1−ρ)·Φ⁻¹(x) − Φ⁻¹(pd))/√ρ).
func vasicekCDF(x, pd, rho float64) float64 {
	n := distuv.UnitNormal
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	return n.CDF((math.Sqrt(1-rho)*n.Quantile(x) - n.Quantile(pd)) / math.Sqrt(rho))
}

// ksCritical returns the asymptotic critical value of the one-sample
// Kolmogorov–Smirnov statistic √n·D_n at level alpha, from the tail of the
// Kolmogorov distribution P(K > x) ≈ 2·exp(−2x²) (the leading term of the
// series, accurate to 1e-15 for small alpha). alpha = 1e-4 gives 2.2255.
func ksCritical(alpha float64) float64 { return math.Sqrt(-math.Log(alpha/2) / 2) }

// ksDistance is the one-sample Kolmogorov–Smirnov statistic of sorted
// against the continuous CDF F.
func ksDistance(sorted []float64, F func(float64) float64) float64 {
	n := float64(len(sorted))
	d := 0.0
	for i, x := range sorted {
		f := F(x)
		d = math.Max(d, math.Max(float64(i+1)/n-f, f-float64(i)/n))
	}
	return d
}

func TestVasicekPool(t *testing.T) {
	const (
		backlog = 100.0
		pd      = 0.02
		rho     = 0.2
		lgd     = 0.45
	)
	n := paths(10000, 40000)
	m := &Model{
		Name: "vasicek", Settings: Settings{Paths: n, Seed: 99}, HorizonYears: 1, StepsPerYear: 1,
		Funding:  singleRegime(),
		Macro:    MacroFactor{MeanReversion: 0.3},
		Recovery: deterministicRecovery(),
		Providers: []Firm{{
			Name: "pool-only", Backlog: backlog, Cash: 1e6,
			Pool: DiversifiedPool{AnnualDefaultProbability: pd, Correlation: rho, LossGivenDefault: lgd, DurationYears: 1},
		}},
	}
	res := mustSimulate(t, m)
	fr := res.Providers[0]
	s := res.Summary.Providers[0]

	// Mean: E[Φ((Φ⁻¹(pd) − √ρY)/√(1−ρ))] = pd exactly (the conditional
	// default probability averages to pd). SE from the sample.
	checkSE(t, "mean backlog lost", s.BacklogLost.Mean, pd*backlog, s.BacklogLost.MeanStdErr)

	// Quantiles, with the order-statistic VaR standard error mcstat.LossStats reports.
	levels := mcstat.TailLevels()
	for k, q := range levels[:2] {
		want := backlog * vasicekQuantile(q, pd, rho)
		checkSE(t, fmt.Sprintf("VaR_%v(backlog lost)", q), s.BacklogLost.VaR[k], want, s.BacklogLost.VaRStdErr[k])
		// ES_q = (1/(1−q))·∫_q^1 VaR_u du, by Gauss–Legendre quadrature.
		es := backlog / (1 - q) * quad.Fixed(func(u float64) float64 { return vasicekQuantile(u, pd, rho) }, q, 1, 200, quad.Legendre{}, 0)
		checkSE(t, fmt.Sprintf("ES_%v(backlog lost)", q), s.BacklogLost.ES[k], es, s.BacklogLost.ESStdErr[k])
	}

	// The whole distribution: KS distance against the Vasicek CDF, at the
	// asymptotic critical value for a false-failure rate of 1e-4.
	sorted := append([]float64(nil), fr.BacklogLost...)
	for i := range sorted {
		sorted[i] /= backlog
	}
	sortFloats(sorted)
	d := ksDistance(sorted, func(x float64) float64 { return vasicekCDF(x, pd, rho) })
	if crit := ksCritical(1e-4) / math.Sqrt(float64(n)); d > crit {
		t.Errorf("KS distance of backlog lost / backlog from Vasicek(%v, %v) = %.5f; want below %.5f", pd, rho, d, crit)
	}

	// Economic loss is LGD × backlog lost path by path; nothing else happens.
	for p := range n {
		if want := lgd * fr.BacklogLost[p]; math.Abs(fr.EconomicLoss[p]-want) > 1e-12*math.Max(1, want) {
			t.Fatalf("EconomicLoss[%d] = %v; want LGD × BacklogLost = %v", p, fr.EconomicLoss[p], want)
		}
		if fr.DefaultStep[p] != -1 {
			t.Fatalf("DefaultStep[%d] = %d; want -1 (buffer of 1e6)", p, fr.DefaultStep[p])
		}
	}
	if len(fr.LostBy) != 1 || fr.LostBy[0].Name != PoolSource {
		t.Fatalf("LostBy = %+v; want only the pool", fr.LostBy)
	}
	checkClose(t, "LostBy[pool].Mean", fr.LostBy[0].Mean, s.BacklogLost.Mean, 1e-12)
}

// TestPoolRunOff checks a pool over several steps: with independent macro
// draws (MeanReversion +Inf) the expected loss in step s is p_dt·E[bal_s]
// with p_dt = 1 − (1−p)^dt, and the balance runs off linearly over the
// duration D, so E[bal_{s+1}] = E[bal_s]·(1 − p_dt)·(1 − dt/(D − s·dt)),
// the last step emptying it; computed here step by step. SE from the
// sample.
func TestPoolRunOff(t *testing.T) {
	const backlog, pd, rho, duration = 80.0, 0.05, 0.25, 1.5
	n := paths(10000, 40000)
	m := &Model{
		Name: "run-off", Settings: Settings{Paths: n, Seed: 21}, HorizonYears: 2, StepsPerYear: 12,
		Funding: singleRegime(), Recovery: deterministicRecovery(),
		Macro: MacroFactor{MeanReversion: math.Inf(1)},
		Providers: []Firm{{
			Name: "pool", Backlog: backlog, Cash: 1e6,
			Pool: DiversifiedPool{AnnualDefaultProbability: pd, Correlation: rho, LossGivenDefault: 1, DurationYears: duration},
		}},
	}
	res := mustSimulate(t, m)
	dt := m.Dt()
	pdt := 1 - math.Pow(1-pd, dt)
	bal, want := backlog, 0.0
	for s := range m.Steps() {
		want += pdt * bal
		left := duration - float64(s)*dt
		if left <= dt+1e-12 {
			break // the pool is gone after the step that ends at D
		}
		bal *= (1 - pdt) * (1 - dt/left)
	}
	s := res.Summary.Providers[0]
	checkSE(t, "mean pool loss with run-off", s.BacklogLost.Mean, want, s.BacklogLost.MeanStdErr)
	// Without run-off over one year the expected defaulted share is exactly
	// the annual probability: 1 − (1 − p_dt)^12 = p.
	m.HorizonYears, m.Providers[0].Pool.DurationYears = 1, 1e9
	s = mustSimulate(t, m).Summary.Providers[0]
	checkSE(t, "mean pool loss over one year", s.BacklogLost.Mean, pd*backlog, s.BacklogLost.MeanStdErr)
}
