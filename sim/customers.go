package sim

import (
	"math"
)

// custStep is what a customer's flows and rounds came to in the current
// step before the market allocates funding.
type custStep struct {
	net     float64 // cash flow of the step before funding
	due     float64 // listed contract payments in net
	tranche float64 // committed tranches paid in the step
	saved   float64 // fixed cost cut in distress, included in net
	request float64 // what its rounds ask of the market
	rounds  int     // number of rounds that arrived
}

// customerFlows computes customer i's cash flow in step s and what its
// rounds ask of the venture market (step 3a of the package documentation).
func (w *worker) customerFlows(i, s, regime int) {
	p := w.p
	c := &p.m.Customers[i]
	cp := &p.cust[i]
	st := &w.pend[i]

	runRate := w.runRate[i]
	revenue := runRate * p.dt
	fixed, saved := cp.fixedCost[s], 0.0
	if w.distressed[i] {
		saved = fixed * c.Distress.CostCut
		fixed -= saved
	}
	net := revenue - fixed - c.VariableCostShare*revenue + cp.cfNoise*w.cashFlow[i].normal()
	due := 0.0
	for _, k := range p.outgoing[i] {
		due += w.due(k, s)
	}
	net -= due
	st.net, st.due, st.saved, st.request, st.rounds = net, due, saved, 0, 0
	st.tranche = w.tranchesDue(i, s, regime)

	// Funding rounds: N ~ Poisson(λ·dt) in the step, drawn by inverse CDF
	// from one uniform; a customer that is not burning cash, or whose runway
	// after the step already reaches its target, does not raise.
	ua := w.arrival[i].uniform()
	zs := w.size[i].normal()
	f := &c.Funding
	runway := runwayNormal
	burn := -net / p.dt // per year
	need := math.Inf(1)
	if f.TargetRunwayYears > 0 {
		need = f.TargetRunwayYears*burn - (w.cash[i] + net + st.tranche)
	}
	switch {
	case burn <= 0 || need <= 0 || f.MaxRunwayYears > 0 && w.cash[i] > f.MaxRunwayYears*burn:
		runway = runwayLong
	case w.cash[i] < f.RunwayThresholdYears*burn:
		runway = runwayShort
	}
	mu := cp.roundMean[regime][runway]
	perf := 1.0
	if f.PerformanceElasticity != 0 && mu > 0 && c.Revenue > 0 {
		// Revenue against plan: (R_s / plan_s)^η scales the rate and size.
		perf = math.Exp(f.PerformanceElasticity * (w.lnRev[i] - cp.lnPlan[s]))
		mu *= perf
	}
	var n int
	if tilt := p.arrivalTilt[s]; tilt != 1 && mu > 0 {
		// Sample N at mean mu·tilt and reweight by the Poisson ratio.
		n = poissonQuantile(ua, mu*tilt)
		w.logWeight += poissonLogRatio(n, mu, mu*tilt)
	} else {
		n = poissonQuantile(ua, mu)
	}
	if n == 0 {
		return
	}
	// The rounds of one step share one size draw; together they raise at
	// most what the valuation supports, and no more than the need.
	sv := f.SizeVolatility
	supported := float64(n) * runRate * f.RevenueMultiple * p.valMult[regime] * perf * math.Exp(sv*zs-sv*sv/2)
	st.request = math.Min(supported, need)
	st.rounds = n
}

// allocateFunding shares what the venture market can still supply in step
// s among the customers' requests, pro rata when they exceed it (step 3b),
// and returns the share of every request that is met.
func (w *worker) allocateFunding(s, regime int) float64 {
	p := w.p
	total := 0.0
	for i := range p.nCust {
		if w.custDefault[i] < 0 {
			total += w.pend[i].request
		}
	}
	capacity := p.capacity[regime]
	// What the year has supplied so far, plus the current regime's rate to
	// the end of the year, less what was raised this year.
	available := w.yearSupplied + capacity*(float64(w.year+1)-float64(s)*p.dt) - w.yearRaised
	w.yearSupplied += capacity * p.dt
	share := 1.0
	if total > 0 && total > available {
		share = math.Max(available, 0) / total
	}
	raised := total * share
	w.yearRaised += raised
	if w.year < len(w.marketYear) {
		w.marketYear[w.year] += raised
	}
	return share
}

// settleCustomer books customer i's funding, backers' support and default
// in step s, and moves its revenue to the next step (step 3c).
func (w *worker) settleCustomer(i, s int, share, demand float64) {
	p := w.p
	c := &p.m.Customers[i]
	cp := &p.cust[i]
	st := &w.pend[i]
	net := st.net + st.tranche
	w.tranched[i] += st.tranche
	if got := st.request * share; got > 0 {
		w.raised[i] += got
		w.rounds[i] += int32(st.rounds)
		net += got
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
		// What it had before paying this step's dues, plus what its assets to its creditors pro rata.
		// fetch (a fixed value plus a multiple of its run-rate), goes to its
		// creditors pro rata.
		estate := math.Max(w.cash[i]+st.due, 0) + c.LiquidationValue + c.LiquidationRevenueMultiple*w.runRate[i]
		w.enterDefault(EntityID(i), s, estate)
		return
	}
	w.updateDistress(i, s, st.net-st.saved)

	// Revenue for the next step.
	z := w.shifted(w.revenue[i], p.revenueShift[s])
	if cp.tScale > 0 {
		chi2 := gammaRand(w.revenue[i].rng, c.IdioDoF/2, 0.5) // χ²(k) = Gamma(k/2, rate 1/2)
		z = z / math.Sqrt(chi2/c.IdioDoF) * cp.tScale
	}
	w.lnRev[i] = math.Min(w.lnRev[i]+cp.growth[s]+c.DemandLoading*demand*p.dt+cp.idio*z, maxLogRevenue)
	w.runRate[i] = math.Exp(w.lnRev[i])
}

// due returns the payment of contract k falling due in step s, after any
// renegotiation: scaled by its haircut and, if it was deferred by n steps
// after step r, nothing in steps r+1..r+n and the original step s−n's
// payment after them.
func (w *worker) due(k, s int) float64 {
	if n, r := int(w.conDefer[k]), int(w.conFrom[k]); n > 0 && s > r {
		if s -= n; s <= r {
			return 0
		}
	}
	return w.p.con[k].due[s] * w.conScale[k]
}

// remaining returns what contract k still has to pay from step s on,
// after any renegotiation: a deferral after step r leaves everything
// still to come owed, max(s − n, r + 1) in the original schedule.
func (w *worker) remaining(k, s int) float64 {
	if n, r := int(w.conDefer[k]), int(w.conFrom[k]); n > 0 && s > r {
		s = max(s-n, r+1)
	}
	return w.p.con[k].remaining[s] * w.conScale[k]
}

// tranchesDue pays customer i the tranches whose window contains step s and
// whose conditions hold, and returns their sum.
func (w *worker) tranchesDue(i, s, regime int) float64 {
	p := w.p
	sum := 0.0
	for _, t := range p.tranchesOf[i] {
		tp := &p.tranches[t]
		if w.tranchePaid[t] || s < tp.first || s > tp.last {
			continue
		}
		tr := &p.m.Tranches[t]
		if tr.Investor >= 0 && w.firmDefault[int(tr.Investor)-p.nCust] >= 0 {
			continue
		}
		if tp.regimes != nil && !tp.regimes[regime] {
			continue
		}
		if tr.MinPerformance > 0 && w.lnRev[i]-p.cust[i].lnPlan[s] < math.Log(tr.MinPerformance) {
			continue
		}
		w.tranchePaid[t] = true
		sum += tr.Amount
	}
	return sum
}

// paidTranches returns the tranches that customer d has received from an
// investor in the model: the investor's stake grows by each, and it loses
// them when d defaults, as it loses a Stake's Value.
func (w *worker) paidTranches(d EntityID) []int {
	p := w.p
	w.paidScratch = w.paidScratch[:0]
	if int(d) >= p.nCust {
		return nil
	}
	for _, t := range p.tranchesOf[d] {
		if w.tranchePaid[t] && p.m.Tranches[t].Investor >= 0 {
			w.paidScratch = append(w.paidScratch, t)
		}
	}
	return w.paidScratch
}

// updateDistress decides whether customer i, which survived step s with the
// step's cash flow net (before funding, and before any distress cost cut,
// so that cutting costs does not by itself end distress), is in distress
// in the next step, and renegotiates its contracts the first time it is.
func (w *worker) updateDistress(i, s int, net float64) {
	p := w.p
	d := &p.m.Customers[i].Distress
	burn := -net / p.dt
	w.distressed[i] = d.RunwayYears > 0 && burn > 0 && w.cash[i] < d.RunwayYears*burn
	if !w.distressed[i] || w.renegotiated[i] {
		return
	}
	w.renegotiated[i] = true
	// A deferral pushes what is still to come out by n steps; the payee is
	// owed the same amounts, later, and books nothing.
	if n := int(math.Round(d.DeferralYears / p.dt)); n > 0 {
		for _, k := range p.outgoing[i] {
			w.conDefer[k], w.conFrom[k] = int32(n), int32(s)
		}
	}
	if d.Haircut == 0 {
		return
	}
	// The payee books the cut as backlog renegotiated, and its economic
	// cost as for a lost contract at the mean re-marketing recovery.
	r := &p.m.Recovery
	recovery := math.Min(math.Max(r.Mean+r.DemandSlope*w.demandLevel, 0.001), 0.999)
	for _, k := range p.outgoing[i] {
		c := &p.con[k]
		after := (c.remaining[s] - c.due[s]) * w.conScale[k] // not yet deferred: renegotiation happens once
		w.conScale[k] *= 1 - d.Haircut
		f := int(c.payee) - p.nCust
		if after <= 0 || w.firmDefault[f] >= 0 {
			continue
		}
		cut := d.Haircut * after
		fp := &p.firm[f]
		e := (fp.margin + fp.stranded) * (1 - recovery) * cut
		w.reneg[f] += cut
		w.econ[f] += e
		w.buffer[f] -= e
	}
}
