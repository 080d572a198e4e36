package sim

import (
	"math"
)

// clearing solves the Eisenberg–Noe clearing ratios of step s's defaulted
// set: the greatest fixed point of
//
//	r_d = min(1, (e_d + Σ_j r_j·L_jd) / L̄_d),
//
// where e_d is d's estate, L_jd what defaulter j owes d and L̄_d all d
// owes, reached by iterating down from full payment (Eisenberg and Noe
// 2001). Creditors outside the set do not pay into it.
func (w *worker) clearing(s int) {
	p := w.p
	for _, d := range w.sList {
		w.ratio[d] = 1
	}
	for range len(w.sList) + 64 {
		change := 0.0
		for _, d := range w.sList {
			if w.claims[d] <= 0 {
				continue
			}
			assets := w.estate[d]
			for _, j := range w.sList {
				for _, k := range p.outgoing[j] {
					if p.con[k].payee == d {
						assets += w.ratio[j] * p.con[k].remaining[s]
					}
				}
			}
			r := math.Min(1, assets/w.claims[d])
			change = math.Max(change, w.ratio[d]-r)
			w.ratio[d] = r
		}
		if change < 1e-12 {
			break
		}
	}
}
