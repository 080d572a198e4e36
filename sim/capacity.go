package sim

import "math"

// A firm short of cash covers the shortfall in this order: it borrows up
// to its headroom, issues equity up to what is left of its yearly
// allowance, and defers capex up to the deferrable share of the step's
// capex. It defaults only when all three together fall short (see
// capacity), so the order decides what the firm ends up owing, not
// whether it survives the step.

// headroom returns what firm f can still borrow in the current step:
// its unsecured limit on operating cash flow, cut by the regime, plus its
// secured limit on the backlog not lost, less its debt.
func (w *worker) headroom(f int) float64 {
	fc := &w.p.firm[f].cash
	cr := &fc.credit
	if cr.MaxLeverage <= 0 && cr.BacklogAdvance <= 0 {
		return 0
	}
	limit := 0.0
	if cr.MaxLeverage > 0 {
		r := &w.p.m.Funding.Regimes[w.regimeNow]
		cut := r.CreditLimitCut
		if cr.CutExemption > 0 {
			cut *= 1 - cr.CutExemption
		}
		limit = cr.MaxLeverage * math.Max(fc.ocf[w.stepNow]+fc.load*w.demandLevel, 0) * (1 - cut)
	}
	if cr.BacklogAdvance > 0 {
		limit += cr.BacklogAdvance * w.securedBacklog(f)
	}
	return math.Max(limit-w.debtOld[f]-w.borrowed[f], 0)
}

// securedBacklog returns firm f's backlog that secures borrowing in the
// current step: its backlog at time zero less what has been lost or
// renegotiated away, including what this step's defaulters are about to
// cost it (tentLost, during propagation). Backlog that runs off as it is
// paid is not deducted: the debt it secures amortizes with it, in the
// firm's Maturities.
func (w *worker) securedBacklog(f int) float64 {
	return math.Max(w.p.firm[f].cash.backlog-w.lost[f]-w.reneg[f]-w.tentLost[f], 0)
}

// equityLeft returns the equity firm f can still issue in the current
// simulation year.
func (w *worker) equityLeft(f int) float64 {
	e := w.p.firm[f].cash.credit.EquityPerYear
	if e <= 0 {
		return 0
	}
	r := &w.p.m.Funding.Regimes[w.regimeNow]
	return math.Max(e*(1-r.EquityMarketCut)-w.equityYear[f], 0)
}

// deferrable returns the capex firm f can still defer in the current step.
func (w *worker) deferrable(f int) float64 {
	return math.Max(w.p.firm[f].cash.capDefer*w.capexNow[f]-w.deferNow[f], 0)
}

// capacity returns all firm f can still raise or save in the current
// step to cover a shortfall.
func (w *worker) capacity(f int) float64 {
	return w.headroom(f) + w.equityLeft(f) + w.deferrable(f)
}

// refinance brings firm f's buffer back towards zero: borrowing, then
// equity, then capex deferral, each up to what is left of it.
func (w *worker) refinance(f int) {
	if w.buffer[f] >= 0 {
		return
	}
	if b := math.Min(-w.buffer[f], w.headroom(f)); b > 0 {
		w.borrowed[f] += b
		w.buffer[f] += b
	}
	if w.buffer[f] >= 0 {
		return
	}
	if e := math.Min(-w.buffer[f], w.equityLeft(f)); e > 0 {
		w.equityYear[f] += e
		w.equityIssued[f] += e
		w.buffer[f] += e
	}
	if w.buffer[f] >= 0 {
		return
	}
	if d := math.Min(-w.buffer[f], w.deferrable(f)); d > 0 {
		w.deferNow[f] += d
		w.capexDeferred[f] += d
		w.buffer[f] += d
	}
}
