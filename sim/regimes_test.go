package sim

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func regimeOnlyModel(n int, fm FundingMarket, years float64, spy int) *Model {
	return &Model{
		Name: "regimes", Settings: Settings{Paths: n, Seed: 11}, HorizonYears: years, StepsPerYear: spy,
		Funding: fm, Recovery: deterministicRecovery(),
	}
}

func TestRegimeChainTwoStates(t *testing.T) {
	// Q = [[−a, a], [b, −b]] from regime 0: the closed form (e.g. Norris
	// 1997, Markov Chains, §2.1) is p_0(t) = π_0 + (1 − π_0)·e^(−(a+b)t) with
	// π_0 = b/(a+b).
	const a, b = 0.6, 0.9
	n := paths(10000, 40000)
	m := regimeOnlyModel(n, FundingMarket{
		Regimes: []FundingRegime{
			{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
			{Name: "closed", RoundRateMultiplier: 0, ValuationMultiplier: 1},
		},
		Generator: mat.NewDense(2, 2, []float64{-a, a, b, -b}),
	}, 5, 4)
	res := mustSimulate(t, m)
	pi0 := b / (a + b)
	for s, share := range res.RegimeShare {
		tt := float64(s) * m.Dt() // regime during step s is the state at its start
		want := pi0 + (1-pi0)*math.Exp(-(a+b)*tt)
		if s == 0 {
			if share[0] != 1 {
				t.Errorf("RegimeShare[0] = %v; want [1 0]", share)
			}
			continue
		}
		checkSE(t, fmt.Sprintf("RegimeShare[%d][0] (t=%v)", s, tt), share[0], want, binomialSE(want, n))
		checkClose(t, fmt.Sprintf("sum of RegimeShare[%d]", s), share[0]+share[1], 1, 1e-12)
	}
}

func TestRegimeChainShock(t *testing.T) {
	// The fixture's three-state chain with its shock forcing "tight" over
	// [1, 1.5). Before the shock the shares are row Initial of exp(Q·t);
	// during it exactly [0 1 0]; after it the chain restarts from regime 1,
	// so at step s >= end the shares are row 1 of exp(Q·(s − end + 1)·dt).
	n := paths(10000, 40000)
	fm := smallWorld().Funding
	m := regimeOnlyModel(n, fm, 3, 12)
	res := mustSimulate(t, m)
	dt := m.Dt()
	start, end := 12, 18
	rowAt := func(from int, tt float64) []float64 {
		var q, e mat.Dense
		q.Scale(tt, fm.Generator)
		e.Exp(&q)
		return mat.Row(nil, from, &e)
	}
	for s, share := range res.RegimeShare {
		var want []float64
		switch {
		case s >= start && s < end:
			for r, v := range share {
				if want := float64(b2i(r == 1)); v != want {
					t.Errorf("RegimeShare[%d][%d] = %v; want %v (shock)", s, r, v, want)
				}
			}
			continue
		case s < start:
			want = rowAt(fm.Initial, float64(s)*dt)
		default:
			want = rowAt(1, float64(s-end+1)*dt)
		}
		if s%3 != 0 && s != end { // a third of the steps keep the family-wise rate low
			continue
		}
		for r := range share {
			checkSE(t, fmt.Sprintf("RegimeShare[%d][%d]", s, r), share[r], want[r], math.Max(binomialSE(want[r], n), 1e-12))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
