package sim

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
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
		for _, d := range w.sList {
			for _, k := range p.outgoing[d] {
				c := &p.con[k]
				f := int(c.payee) - p.nCust
				fp := &p.firm[f]
				rem := c.remaining[s]
				w.tentative[f] += (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
			}
		}
		w.newlyFirms = w.newlyFirms[:0]
		for f := range p.nFirm {
			e := EntityID(p.nCust + f)
			if w.firmDefault[f] < 0 && !w.inS[e] && w.buffer[f]-w.tentative[f] < 0 {
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
			rem := c.remaining[s]
			if rem <= 0 {
				continue
			}
			f := int(c.payee) - p.nCust
			fp := &p.firm[f]
			w.lost[f] += rem
			w.lostBy[f][fp.sourceIndex[d]] += rem
			e := (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
			w.econ[f] += e
			if w.obs != nil {
				w.obs.contractLoss(d, f, rem, e)
			}
			if w.firmDefault[f] < 0 {
				w.buffer[f] -= e
			}
		}
		if f := int(d) - p.nCust; f >= 0 {
			w.firmDefault[f] = int32(s)
		}
		w.inS[d] = false
	}
	w.sList = w.sList[:0]
}

// enterDefault adds entity e to step s's defaulted set with the assets it
// distributes to its creditors, records its claims (remaining contract
// value owed, plus debt for a firm) and draws the re-marketing recovery of
// each contract it stops paying.
func (w *worker) enterDefault(e EntityID, s int, estate float64) {
	p := w.p
	w.inS[e] = true
	w.sList = append(w.sList, e)
	w.estate[e] = estate
	claims := 0.0
	if f := int(e) - p.nCust; f >= 0 {
		claims = p.m.firm(e).Debt
	}
	for _, k := range p.outgoing[e] {
		claims += p.con[k].remaining[s]
		w.recov[k] = w.drawRecovery(k)
	}
	w.claims[e] = claims
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
	x := distuv.Beta{Alpha: mean * r.Concentration, Beta: (1 - mean) * r.Concentration, Src: st.rng}.Rand()
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
