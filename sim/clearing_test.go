package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

func mustClear(t *testing.T, net ClearingNetwork) Clearing {
	t.Helper()
	res, err := Clear(net)
	if err != nil {
		t.Fatalf("Clear(%v) error: %v", net, err)
	}
	return res
}

func checkVector(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s[%d] = %.15g; want %.15g (all: %v)", what, i, got[i], want[i], got)
		}
	}
}

// TestClearSystemicRisk checks the example of R package systemicrisk's
// default_clearing and default help pages (Gandy and Veraart, version
// 0.4.3, 2024): x = 1/2, L = matrix(c(0,x,1-x,1-x,0,x,x,1-x,0), nrow = 3)
// (column-major, so every off-diagonal liability is 1/2), external assets
// ea = (1/2, 5/8, 3/4) and external liabilities el = (3/2, 1/2, 1/2), which
// the package ranks pari passu (its computerelativeliab divides by row sum
// plus external liabilities). The help page prints no output; the answer
// here is worked by hand in exact fractions. p̄ = (5/2, 3/2, 3/2). Round 1:
// at full payment firm 1 has 1/2 + 1/2 + 1/2 = 3/2 < 5/2 and defaults; at
// p₁ = 3/2 firm 2 has 5/8 + (1/5)·3/2 + 1/2 = 57/40 < 3/2 and defaults.
// Round 2 solves p₁ = 1/2 + p₂/3 + 1/2, p₂ = 5/8 + p₁/5 + 1/2:
// p₁ = 165/112, p₂ = 159/112; firm 3 then has 3/4 + 33/112 + 53/112 =
// 85/56 >= 3/2 and pays in full.
func TestClearSystemicRisk(t *testing.T) {
	h := 0.5
	net := ClearingNetwork{
		Liabilities: [][]float64{{0, h, h}, {h, 0, h}, {h, h, 0}},
		External:    []float64{1.5, 0.5, 0.5},
		Assets:      []float64{0.5, 0.625, 0.75},
	}
	res := mustClear(t, net)
	checkVector(t, "payments", res.Payments, []float64{165.0 / 112, 159.0 / 112, 1.5}, 1e-12)
	checkVector(t, "equity", res.Equity, []float64{0, 0, 85.0/56 - 1.5}, 1e-12)
	if want := []bool{true, true, false}; !equalBools(res.Defaulted, want) {
		t.Errorf("defaulted = %v; want %v", res.Defaulted, want)
	}
	if res.Rounds > 4 {
		t.Errorf("rounds = %d; want at most n+1 = 4", res.Rounds)
	}
}

// TestClearBarucca checks exercise 2 of the course code "eisenbergnoe"
// (P. Barucca, Big Data Finance, github.com/paolobarucca/eisenbergnoe,
// Exercise2.m): interbank liabilities [0 4 0; 0 0 3; 2 0 0], external
// assets (20, 20, 10) less a 10% shock, external liabilities (17, 18, 8).
// By hand: p̄ = (21, 21, 10); firm 1 has 18 + 2 = 20 < 21 and pays 20;
// firm 2 then has 18 + 4·20/21 > 21 and firm 3 has 9 + 3 = 12 > 10.
func TestClearBarucca(t *testing.T) {
	net := ClearingNetwork{
		Liabilities: [][]float64{{0, 4, 0}, {0, 0, 3}, {2, 0, 0}},
		External:    []float64{17, 18, 8},
		Assets:      []float64{18, 18, 9},
	}
	res := mustClear(t, net)
	checkVector(t, "payments", res.Payments, []float64{20, 21, 10}, 1e-12)
	checkVector(t, "equity", res.Equity, []float64{0, 18 + 80.0/21 - 21, 2}, 1e-12)
}

// TestClearCycles checks the two cyclic networks of issue 11 and the
// degenerate cycle that separates the greatest from the least clearing
// vector.
func TestClearCycles(t *testing.T) {
	// Two firms with no assets, each owing the other 1 and something
	// outside: the unique clearing vector is (0, 0) (iterating from full
	// payment only approaches it geometrically).
	res := mustClear(t, ClearingNetwork{
		Liabilities: [][]float64{{0, 1}, {1, 0}},
		External:    []float64{0.02, 0.02},
		Assets:      []float64{0, 0},
	})
	checkVector(t, "payments", res.Payments, []float64{0, 0}, 0)
	// With nothing owed outside, every p = (x, x) clears; the greatest
	// vector (1, 1) has both pay in full at zero equity, which is solvent.
	res = mustClear(t, ClearingNetwork{
		Liabilities: [][]float64{{0, 1}, {1, 0}},
		External:    []float64{0, 0},
		Assets:      []float64{0, 0},
	})
	checkVector(t, "payments", res.Payments, []float64{1, 1}, 0)
	if res.Defaulted[0] || res.Defaulted[1] {
		t.Errorf("defaulted = %v; want zero equity solvent", res.Defaulted)
	}
	// A (assets 2) owes C 10 and is owed 5 by B. B solvent (assets 5): A
	// pays 7 and C loses 3. B with assets 2.5: B pays 2.5, A pays 4.5 and
	// C loses 5.5.
	for _, tc := range []struct{ bAssets, cLoss float64 }{{5, 3}, {2.5, 5.5}} {
		res = mustClear(t, ClearingNetwork{
			Liabilities: [][]float64{{0, 0, 10}, {5, 0, 0}, {0, 0, 0}},
			External:    []float64{0, 0, 0},
			Assets:      []float64{2, tc.bAssets, 0},
		})
		if got := 10 * (1 - res.Ratios[0]); math.Abs(got-tc.cLoss) > 1e-12 {
			t.Errorf("B's assets %v: C's loss = %v; want %v", tc.bAssets, got, tc.cLoss)
		}
	}
}

// clearByLP solves the clearing problem as Eisenberg and Noe's (2001,
// Lemma 4) linear programme, maximise Σp subject to p <= p̄ and
// p <= e + Πᵀp, p >= 0, with gonum's simplex: an independent route to the
// greatest clearing vector.
func clearByLP(t *testing.T, net ClearingNetwork) []float64 {
	t.Helper()
	n := len(net.Assets)
	total := make([]float64, n)
	for i := range n {
		total[i] = net.External[i]
		for _, l := range net.Liabilities[i] {
			total[i] += l
		}
	}
	// Variables p, s (slack of p <= p̄), u (slack of p − Πᵀp <= e).
	a := mat.NewDense(2*n, 3*n, nil)
	b := make([]float64, 2*n)
	c := make([]float64, 3*n)
	for i := range n {
		c[i] = -1
		a.Set(i, i, 1)
		a.Set(i, n+i, 1)
		b[i] = total[i]
		a.Set(n+i, i, 1)
		for j := range n {
			if total[j] > 0 {
				a.Set(n+i, j, a.At(n+i, j)-net.Liabilities[j][i]/total[j])
			}
		}
		a.Set(n+i, 2*n+i, 1)
		b[n+i] = net.Assets[i]
	}
	_, x, err := lp.Simplex(c, a, b, 1e-12, nil)
	if err != nil {
		t.Fatalf("simplex: %v", err)
	}
	return x[:n]
}

// randomNetwork draws a sparse network of n firms with some firms short of
// assets.
func randomNetwork(rng *rand.Rand, n int) ClearingNetwork {
	net := ClearingNetwork{
		Liabilities: make([][]float64, n),
		External:    make([]float64, n),
		Assets:      make([]float64, n),
	}
	for i := range n {
		net.Liabilities[i] = make([]float64, n)
		for j := range n {
			if i != j && rng.Float64() < 0.5 {
				net.Liabilities[i][j] = 10 * rng.Float64()
			}
		}
		if rng.Float64() < 0.7 {
			net.External[i] = 5 * rng.Float64()
		}
		net.Assets[i] = 12 * rng.Float64() * rng.Float64()
	}
	return net
}

func TestClearMatchesLinearProgramme(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 1))
	for trial := range 200 {
		net := randomNetwork(rng, 2+trial%7)
		res := mustClear(t, net)
		want := clearByLP(t, net)
		checkVector(t, "payments", res.Payments, want, 1e-9)
		if res.Rounds > len(net.Assets)+1 {
			t.Errorf("rounds = %d; want at most %d", res.Rounds, len(net.Assets)+1)
		}
		// The result is a fixed point: p = min(p̄, e + Πᵀp).
		for i := range net.Assets {
			avail := res.Equity[i] + res.Payments[i]
			if res.Defaulted[i] && math.Abs(avail-res.Payments[i]) > 1e-9 {
				t.Errorf("trial %d: defaulter %d pays %v of assets %v", trial, i, res.Payments[i], avail)
			}
		}
	}
}

// creditorLosses returns each firm's shortfall on its claims on the others.
func creditorLosses(net ClearingNetwork, res Clearing) []float64 {
	loss := make([]float64, len(net.Assets))
	for j, row := range net.Liabilities {
		for i, l := range row {
			loss[i] += l * (1 - res.Ratios[j])
		}
	}
	return loss
}

// TestClearAddingDefaultNeverLowersLoss is the monotonicity property:
// wiping out one more firm's assets (adding a default, or deepening one)
// never lowers any firm's loss on its claims.
func TestClearAddingDefaultNeverLowersLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	for trial := range 500 {
		net := randomNetwork(rng, 2+trial%8)
		before := creditorLosses(net, mustClear(t, net))
		k := rng.IntN(len(net.Assets))
		net.Assets[k] = 0
		net.External[k] += 1
		after := creditorLosses(net, mustClear(t, net))
		for i := range before {
			if after[i] < before[i]-1e-9 {
				t.Fatalf("trial %d: wiping out firm %d lowers firm %d's loss from %v to %v", trial, k, i, before[i], after[i])
			}
		}
	}
}

func TestClearRejectsBadNetworks(t *testing.T) {
	for name, net := range map[string]ClearingNetwork{
		"ragged":   {Liabilities: [][]float64{{0, 1}, {0}}, External: []float64{0, 0}, Assets: []float64{0, 0}},
		"negative": {Liabilities: [][]float64{{0, -1}, {0, 0}}, External: []float64{0, 0}, Assets: []float64{0, 0}},
		"diagonal": {Liabilities: [][]float64{{1}}, External: []float64{0}, Assets: []float64{0}},
		"nan":      {Liabilities: [][]float64{{0}}, External: []float64{0}, Assets: []float64{math.NaN()}},
		"lengths":  {Liabilities: [][]float64{{0}}, External: []float64{0, 1}, Assets: []float64{0}},
	} {
		if _, err := Clear(net); err == nil {
			t.Errorf("Clear(%s) = nil error; want an error", name)
		}
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
