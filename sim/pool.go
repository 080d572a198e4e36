package sim

// stepPool applies step s's defaults and run-off to firm f's diversified
// pool, given the funding regime and the macro and demand factors.
func (w *worker) stepPool(f int, t0, macro float64, regime int, demand float64) {
	fp := &w.p.firm[f]
	bal := w.poolBal[f]
	if bal <= 0 {
		return
	}
	if c := &fp.pool[regime]; c.active {
		l := c.atShifted(macro, fp.poolLoad*demand) * bal
		bal -= l
		w.lost[f] += l
		w.lostBy[f][len(fp.sources)] += l
		e := 0.0
		if w.firmDefault[f] < 0 { // a defaulted firm's economic loss closed at its default
			e = fp.poolLGD * l
			w.econ[f] += e
			w.buffer[f] -= e
		}
		if w.obs != nil {
			w.obs.poolLoss(f, l, e)
		}
	}
	// Linear run-off of the surviving balance over the remaining duration.
	left := fp.poolDuration - t0
	if left <= w.p.dt {
		bal = 0
	} else {
		bal *= 1 - w.p.dt/left
	}
	w.poolBal[f] = bal
}
