package sim

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// stepCustomer moves customer i through step s.
func (w *worker) stepCustomer(i, s, regime int, demand float64) {
	p := w.p
	c := &p.m.Customers[i]
	cp := &p.cust[i]

	runRate := math.Exp(w.lnRev[i])
	revenue := runRate * p.dt
	net := revenue - cp.fixedCost[s] - c.VariableCostShare*revenue + cp.cfNoise*w.cashFlow[i].normal()
	due := 0.0
	for _, k := range p.outgoing[i] {
		due += p.con[k].due[s]
	}
	net -= due

	// Funding round: at most one per step, with probability 1 − e^(−λ·dt).
	ua := w.arrival[i].uniform()
	zs := w.size[i].normal()
	runway := runwayNormal
	burn := -net / p.dt // per year
	switch {
	case c.Funding.MaxRunwayYears > 0 && (burn <= 0 || w.cash[i] > c.Funding.MaxRunwayYears*burn):
		runway = runwayLong
	case burn > 0 && w.cash[i] < c.Funding.RunwayThresholdYears*burn:
		runway = runwayShort
	}
	prob := cp.roundProb[regime][runway]
	round := ua < prob
	if p.arrivalTilt[s] != 1 && prob > 0 {
		// Sample rounds with probability prob·tilt and reweight.
		t := &cp.tilted[regime][runway]
		round = ua < t.prob
		if round {
			w.logWeight += t.logRatioRound
		} else {
			w.logWeight += t.logRatioNone
		}
	}
	if round {
		sv := c.Funding.SizeVolatility
		size := runRate * c.Funding.RevenueMultiple * p.valMult[regime] * math.Exp(sv*zs-sv*sv/2)
		w.raised[i] += size
		w.rounds[i]++
		net += size
	}
	w.cash[i] += net

	// Strategic backers cover a shortfall while they are healthy.
	if w.cash[i] < 0 {
		for _, b := range p.backings[i] {
			bk := &p.m.Backers[b]
			bf := int(bk.Backer) - p.nCust
			if w.firmDefault[bf] >= 0 {
				continue
			}
			amount := math.Min(-w.cash[i], bk.AnnualLimit-w.supportUsed[b])
			if amount > 0 {
				w.cash[i] += amount
				w.supportUsed[b] += amount
				w.backed[i] += amount
				w.buffer[bf] -= amount
				if w.obs != nil {
					w.obs.backerPaid(bf, i, amount)
				}
			}
			if w.cash[i] >= 0 {
				break
			}
		}
	}

	if w.cash[i] < 0 {
		w.custDefault[i] = int32(s)
		// What it had before paying this step's dues, plus what its assets
		// fetch, goes to its creditors pro rata.
		w.enterDefault(EntityID(i), s, math.Max(w.cash[i]+due, 0)+c.LiquidationValue)
		return
	}

	// Revenue for the next step.
	z := w.shifted(w.revenue[i], p.revenueShift[s])
	if cp.tScale > 0 {
		chi2 := distuv.ChiSquared{K: c.IdioDoF, Src: w.revenue[i].rng}.Rand()
		z = z / math.Sqrt(chi2/c.IdioDoF) * cp.tScale
	}
	w.lnRev[i] = math.Min(w.lnRev[i]+cp.growth[s]+c.DemandLoading*demand*p.dt+cp.idio*z, maxLogRevenue)
}
