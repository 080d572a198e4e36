package sim

import (
	"math"
)

// propagate resolves step s's defaults: the customers that defaulted this
// step (already in sList), and any firm whose buffer the resulting losses
// exhaust, round after round, with the Eisenberg–Noe clearing of what the
// defaulters have left.
func (w *worker) propagate(s int) {
	p := w.p
	for {
		// New firm defaults: buffers already negative, or made so by this
		// step's losses from the current set.
		w.clearing(s)
		clear(w.tentative)
		clear(w.tentLost)
		for _, d := range w.sList {
			for _, k := range p.outgoing[d] {
				c := &p.con[k]
				f := int(c.payee) - p.nCust
				fp := &p.firm[f]
				rem := w.remaining(k, s)
				w.tentative[f] += (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
				w.tentLost[f] += rem
			}
			for _, k := range p.stakesIn[d] {
				w.tentative[int(p.m.Stakes[k].Holder)-p.nCust] += w.stakeLoss(k, s)
			}
			for _, t := range w.paidTranches(d) {
				tr := &p.m.Tranches[t]
				w.tentative[int(tr.Investor)-p.nCust] += tr.Amount
			}
		}
		w.newlyFirms = w.newlyFirms[:0]
		for f := range p.nFirm {
			e := EntityID(p.nCust + f)
			if w.firmDefault[f] < 0 && !w.inS[e] && w.buffer[f]-w.tentative[f]+w.capacity(f) < 0 {
				w.newlyFirms = append(w.newlyFirms, e)
			}
		}
		if len(w.newlyFirms) == 0 {
			break
		}
		for _, e := range w.newlyFirms {
			w.enterDefault(e, s, p.m.firm(e).LiquidationValue)
		}
	}
	// Commit the step's losses.
	for _, d := range w.sList {
		if f := int(d) - p.nCust; f >= 0 && w.obs != nil {
			w.obs.firmDefaults(f)
		}
		for _, k := range p.outgoing[d] {
			c := &p.con[k]
			rem := w.remaining(k, s)
			if rem <= 0 {
				continue
			}
			f := int(c.payee) - p.nCust
			fp := &p.firm[f]
			w.lost[f] += rem
			w.lostBy[f][fp.sourceIndex[d]] += rem
			if fd := w.firmDefault[f]; fd >= 0 && int(fd) < s {
				// The payee's economic loss closed at its default.
				if w.obs != nil {
					w.obs.contractLoss(d, f, rem, 0)
				}
				continue
			}
			e := (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
			w.econ[f] += e
			if w.obs != nil {
				w.obs.contractLoss(d, f, rem, e)
			}
			if w.firmDefault[f] < 0 {
				w.buffer[f] -= e
			}
		}
		for _, k := range p.stakesIn[d] {
			f := int(p.m.Stakes[k].Holder) - p.nCust
			if fd := w.firmDefault[f]; fd >= 0 && int(fd) < s {
				continue
			}
			e := w.stakeLoss(k, s)
			w.econ[f] += e
			if w.obs != nil {
				w.obs.contractLoss(d, f, 0, e) // economic loss only: a stake is no backlog
			}
			if w.firmDefault[f] < 0 {
				w.buffer[f] -= e
			}
		}
		for _, t := range w.paidTranches(d) {
			tr := &p.m.Tranches[t]
			f := int(tr.Investor) - p.nCust
			if fd := w.firmDefault[f]; fd >= 0 && int(fd) < s {
				continue
			}
			w.econ[f] += tr.Amount
			if w.obs != nil {
				w.obs.contractLoss(d, f, 0, tr.Amount) // economic loss only: an investment is no backlog
			}
			if w.firmDefault[f] < 0 {
				w.buffer[f] -= tr.Amount
			}
		}
		if f := int(d) - p.nCust; f >= 0 {
			w.firmDefault[f] = int32(s)
		}
		w.inS[d] = false
	}
	w.sList = w.sList[:0]
	clear(w.tentLost)
	// Survivors borrow to cover the step's losses (they can: otherwise
	// they would have defaulted above).
	for f := range p.nFirm {
		if w.firmDefault[f] < 0 {
			w.refinance(f)
		}
	}
}

// enterDefault adds entity e to step s's defaulted set with the assets it
// distributes to its creditors (besides its claims on solvent
// counterparties, added at clearing) and draws the re-marketing recovery of
// each contract it stops paying.
func (w *worker) enterDefault(e EntityID, s int, estate float64) {
	p := w.p
	w.inS[e] = true
	w.sList = append(w.sList, e)
	w.estate[e] = estate
	for _, k := range p.outgoing[e] {
		w.recov[k] = w.drawRecovery(k)
	}
}

// alive reports whether entity e had not defaulted before step s and is
// not in step s's defaulted set.
func (w *worker) alive(e EntityID) bool {
	if w.inS[e] {
		return false
	}
	if i := int(e); i < w.p.nCust {
		return w.custDefault[i] < 0
	}
	return w.firmDefault[int(e)-w.p.nCust] < 0
}

// clearing sets the Eisenberg–Noe payment ratio of each member of step s's
// defaulted set S (see Clear). Each defaulter owes the remaining value of
// its contracts (to a payee in S inside the network, to any other payee
// outside it) and, for a firm, its Debt outside it; its assets outside the
// network are its estate plus the remaining value of the contracts that
// payers still alive owe it, at par.
func (w *worker) clearing(s int) {
	p := w.p
	n := len(w.sList)
	if n == 1 && w.clearingSingle(s, w.sList[0]) {
		return
	}
	for a, d := range w.sList {
		w.pos[d] = a
	}
	net := ClearingNetwork{
		Liabilities: make([][]float64, n),
		External:    make([]float64, n),
		Assets:      make([]float64, n),
	}
	for a, d := range w.sList {
		net.Liabilities[a] = make([]float64, n)
		net.Assets[a] = w.estate[d]
		if f := int(d) - p.nCust; f >= 0 {
			net.External[a] = w.debt(f)
		}
		for _, k := range p.outgoing[d] {
			c := &p.con[k]
			if b := w.pos[c.payee]; b >= 0 {
				net.Liabilities[a][b] += w.remaining(k, s)
			} else {
				net.External[a] += w.remaining(k, s)
			}
		}
		for _, k := range p.incoming[d] {
			if c := &p.con[k]; w.alive(c.payer) {
				net.Assets[a] += w.remaining(k, s)
			}
		}
	}
	res, err := Clear(net)
	if err != nil {
		// Validate and the engine keep every entry finite and >= 0.
		panic(err)
	}
	for a, d := range w.sList {
		w.ratio[d] = res.Ratios[a]
		w.pos[d] = -1
	}
}

// drawRecovery draws contract k's re-marketing recovery rate from its own
// stream: Beta with mean clamp(Mean + DemandSlope·D, 0.001, 0.999).
func (w *worker) drawRecovery(k int) float64 {
	r := &w.p.m.Recovery
	mean := math.Min(math.Max(r.Mean+r.DemandSlope*w.demandLevel, 0.001), 0.999)
	if math.IsInf(r.Concentration, 1) {
		return mean
	}
	st := w.recovery[k]
	st.reset(w.p.m.Seed, w.streamPath, w.p.con[k].stream, w.anti)
	x := betaRand(st.rng, mean*r.Concentration, (1-mean)*r.Concentration)
	if math.IsNaN(x) {
		// With both shapes far below 1 both gamma draws can underflow to
		// zero (0/0); the Beta is then all but a Bernoulli(mean).
		if st.uniform() < mean {
			return 1
		}
		return 0
	}
	return x
}
