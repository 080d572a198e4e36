package sim

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ClearingNetwork is an Eisenberg–Noe (2001) financial network of n firms:
// what each owes the others, what it owes outside the network, and what it
// owns outside the network.
//
// Conventions (they change answers, so they are fixed here):
//   - Pro rata: a firm that cannot pay in full pays every creditor the same
//     share of its claim.
//   - External liabilities rank pari passu with network liabilities (the
//     convention of Eisenberg and Noe's extension with a sink node and of R
//     systemicrisk's default_clearing); no creditor is senior.
//   - Zero equity is solvent: a firm whose assets exactly cover its
//     obligations pays in full and is not in default.
//   - No default costs (Rogers and Veraart 2013's α = β = 1).
type ClearingNetwork struct {
	// Liabilities[i][j] is the nominal amount firm i owes firm j (>= 0,
	// zero on the diagonal); an n×n matrix.
	Liabilities [][]float64
	// External[i] is what firm i owes creditors outside the network (>= 0).
	External []float64
	// Assets[i] is the value of firm i's assets outside the network (>= 0):
	// its estate before what other firms in the network pay it.
	Assets []float64
}

// Clearing is the greatest clearing vector of a ClearingNetwork and what
// follows from it.
type Clearing struct {
	// Payments[i] is what firm i pays in total: p = min(p̄, e + Πᵀp).
	Payments []float64
	// Ratios[i] is Payments[i] over firm i's total obligations p̄_i (1 when
	// it owes nothing): every creditor of i receives that share of its
	// claim.
	Ratios []float64
	// Defaulted[i] reports whether firm i pays less than it owes.
	Defaulted []bool
	// Equity[i] = e_i + Σ_j Π_ji·p_j − p_i >= 0.
	Equity []float64
	// Rounds is the number of rounds of the fictitious default algorithm:
	// at most n + 1 (n rounds that add defaulters and one that finds none).
	Rounds int
}

// clearingTol is the relative margin by which a firm's assets must fall
// short of its obligations for the algorithm to count it as defaulting; it
// keeps rounding from turning zero equity into default.
const clearingTol = 1e-12

// Clear returns the greatest clearing vector of net by the fictitious
// default algorithm of Eisenberg and Noe (2001, §3): start from full
// payment; in each round, the firms whose assets at the current payments
// fall short of their obligations are the defaulters, and the payments of
// all defaulters are found at once by solving the linear system
//
//	(I − Π_DDᵀ)·p_D = e_D + Π_{SD}ᵀ·p̄_S
//
// (S the firms paying in full) with an LU factorisation. Defaulters never
// recover, so the algorithm ends after at most n rounds that add
// defaulters, with the exact fixed point (to rounding): there is no
// iteration tolerance. The system is never singular: a closed group of
// defaulters owing nothing outside itself would need its assets to fall
// short of obligations that its own payments exactly cover.
func Clear(net ClearingNetwork) (Clearing, error) {
	n := len(net.Assets)
	if err := net.check(n); err != nil {
		return Clearing{}, err
	}
	total := make([]float64, n) // p̄
	for i := range n {
		total[i] = net.External[i]
		for _, l := range net.Liabilities[i] {
			total[i] += l
		}
	}
	// pi(j, i) = Π_ji, the share of j's payments that goes to i.
	pi := func(j, i int) float64 {
		if total[j] == 0 {
			return 0
		}
		return net.Liabilities[j][i] / total[j]
	}
	res := Clearing{
		Payments:  append([]float64(nil), total...),
		Ratios:    make([]float64, n),
		Defaulted: make([]bool, n),
		Equity:    make([]float64, n),
	}
	p := res.Payments
	assets := func(i int) float64 {
		a := net.Assets[i]
		for j := range n {
			a += pi(j, i) * p[j]
		}
		return a
	}
	for res.Rounds = 1; res.Rounds <= n+1; res.Rounds++ {
		added := false
		for i := range n {
			if !res.Defaulted[i] && assets(i) < total[i]-clearingTol*math.Max(1, total[i]) {
				res.Defaulted[i] = true
				added = true
			}
		}
		if !added {
			break
		}
		if err := solveDefaulters(net, total, pi, res.Defaulted, p); err != nil {
			return Clearing{}, err
		}
	}
	for i := range n {
		res.Equity[i] = math.Max(assets(i)-p[i], 0)
		res.Ratios[i] = 1
		if total[i] > 0 {
			res.Ratios[i] = p[i] / total[i]
		}
	}
	return res, nil
}

// solveDefaulters sets the payments of the defaulters (def) to the solution
// of the linear system with the other firms paying in full.
func solveDefaulters(net ClearingNetwork, total []float64, pi func(j, i int) float64, def []bool, p []float64) error {
	var idx []int
	for i, d := range def {
		if d {
			idx = append(idx, i)
		}
	}
	k := len(idx)
	a := mat.NewDense(k, k, nil)
	b := mat.NewVecDense(k, nil)
	for r, i := range idx {
		rhs := net.Assets[i]
		for j := range def {
			if !def[j] {
				rhs += pi(j, i) * total[j]
			}
		}
		b.SetVec(r, rhs)
		for c, j := range idx {
			v := -pi(j, i)
			if r == c {
				v++
			}
			a.Set(r, c, v)
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		var cond mat.Condition
		if !errors.As(err, &cond) {
			return fmt.Errorf("sim: clearing: %w", err)
		}
		// Ill-conditioned but solved: the bounds below keep it sane.
	}
	for r, i := range idx {
		p[i] = math.Min(math.Max(x.AtVec(r), 0), total[i])
	}
	return nil
}

// check validates the network's shape and values.
func (net ClearingNetwork) check(n int) error {
	if len(net.External) != n || len(net.Liabilities) != n {
		return fmt.Errorf("sim: clearing: %d firms' assets, %d external liabilities and %d rows of liabilities", n, len(net.External), len(net.Liabilities))
	}
	bad := func(v float64) bool { return !(v >= 0) || math.IsInf(v, 1) }
	for i := range n {
		if len(net.Liabilities[i]) != n {
			return fmt.Errorf("sim: clearing: liabilities row %d has %d entries, want %d", i, len(net.Liabilities[i]), n)
		}
		if bad(net.Assets[i]) || bad(net.External[i]) {
			return fmt.Errorf("sim: clearing: firm %d: assets %v and external liabilities %v must be finite and >= 0", i, net.Assets[i], net.External[i])
		}
		for j, l := range net.Liabilities[i] {
			if bad(l) || (i == j && l != 0) {
				return fmt.Errorf("sim: clearing: liability %d→%d = %v must be finite, >= 0 and 0 on the diagonal", i, j, l)
			}
		}
	}
	return nil
}
