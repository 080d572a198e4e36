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

	// Funding rounds: N ~ Poisson(λ·dt) in the step, drawn by inverse CDF
	// from one uniform; a customer that is not burning cash does not raise.
	ua := w.arrival[i].uniform()
	zs := w.size[i].normal()
	runway := runwayNormal
	burn := -net / p.dt // per year
	switch {
	case burn <= 0 || c.Funding.MaxRunwayYears > 0 && w.cash[i] > c.Funding.MaxRunwayYears*burn:
		runway = runwayLong
	case w.cash[i] < c.Funding.RunwayThresholdYears*burn:
		runway = runwayShort
	}
	mu := cp.roundMean[regime][runway]
	var n int
	if tilt := p.arrivalTilt[s]; tilt != 1 && mu > 0 {
		// Sample N at mean mu·tilt and reweight by the Poisson ratio.
		n = poissonQuantile(ua, mu*tilt)
		w.logWeight += poissonLogRatio(n, mu, mu*tilt)
	} else {
		n = poissonQuantile(ua, mu)
	}
	if n > 0 {
		// The rounds of one step share one size draw.
		sv := c.Funding.SizeVolatility
		size := float64(n) * runRate * c.Funding.RevenueMultiple * p.valMult[regime] * math.Exp(sv*zs-sv*sv/2)
		w.raised[i] += size
		w.rounds[i] += int32(n)
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
