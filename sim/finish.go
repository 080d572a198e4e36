package sim

import (
	"context"

	"github.com/backlogsim/backlogsim/mcstat"
	"golang.org/x/sync/errgroup"
)

// finishResults turns the state of all paths into Results: it completes
// the distributions (using up to workers goroutines), reads the
// proportions and time series, and breaks each firm's backlog lost down by
// source, then summarises it all.
func finishResults(ctx context.Context, p *plan, st *rangeState, workers int) (*Results, error) {
	st.normalise()
	res := newResults(p, st)
	res.Weighting = st.Weights.stats()
	finishDistributions(p, st, res, workers)
	var names []string
	for e := range p.nCust + p.nFirm {
		names = append(names, p.m.EntityName(EntityID(e)))
	}
	res.JointDefaults = st.Joint.result(names)
	finishCustomers(p, st, res)
	res.RegimeShare = regimeShares(p, st.Series)
	if err := finishLostBy(ctx, p, st, res, workers); err != nil {
		return nil, err
	}
	if err := riskContributions(ctx, p, res, workers); err != nil {
		return nil, err
	}
	res.Summary = Summarize(res)
	return res, nil
}

// finishDistributions completes every firm's, customer's and the system's
// distributions in parallel, with up to workers goroutines (each is
// independent; sorting every path's value in exact mode is the costly
// part), and reads the firms' default probabilities and timing.
func finishDistributions(p *plan, st *rangeState, res *Results, workers int) {
	type job struct {
		d      *mcstat.LossDistribution
		values []float64
	}
	var jobs []job
	for f := range p.nFirm {
		fr := res.firm(f)
		jobs = append(jobs, job{st.Lost[f], fr.BacklogLost}, job{st.Econ[f], fr.EconomicLoss}, job{st.Reneg[f], fr.BacklogRenegotiated})
		fr.BacklogLostDist, fr.EconomicLossDist, fr.BacklogRenegotiatedDist = st.Lost[f], st.Econ[f], st.Reneg[f]
		// The groups' values are already means over their paths. Under
		// importance sampling the estimate Σwᵢ1ᵢ/n is unbiased but can
		// leave [0, 1] on a small sample: Proportion clamps it.
		fr.DefaultProbability = st.FirmDefault[f].Proportion()
		fr.LossFromDefaultProbability = st.LossFromDefault[f].Proportion()
		st.Joint.firmTiming(f, fr, p.m.Paths)
	}
	for i := range p.nCust {
		c := &res.Customers[i]
		jobs = append(jobs, job{st.Raised[i], c.FundingRaised}, job{st.Backed[i], c.BackerSupport}, job{st.Tranched[i], c.TranchesPaid})
		c.FundingRaisedDist, c.BackerSupportDist, c.TranchesPaidDist = st.Raised[i], st.Backed[i], st.Tranched[i]
	}
	jobs = append(jobs, job{st.SysLost, res.System.BacklogLost}, job{st.SysEcon, res.System.EconomicLoss})
	res.System.BacklogLostDist, res.System.EconomicLossDist = st.SysLost, st.SysEcon
	var g errgroup.Group
	g.SetLimit(max(workers, 1))
	for _, j := range jobs {
		g.Go(func() error {
			if st.PerPath != nil {
				j.d.FinishExact(j.values, res.Weights)
			} else {
				j.d.Finish()
			}
			return nil
		})
	}
	g.Wait() // the jobs return no errors
}

// finishCustomers reads each customer's proportions, survival curve and
// cash bands.
func finishCustomers(p *plan, st *rangeState, res *Results) {
	ts := st.Series
	n := float64(p.m.Paths)
	years := modelYears(p.m)
	for i := range p.nCust {
		c := &res.Customers[i]
		c.ProbabilityAnyRound = st.AnyRound[i].Proportion()
		c.DefaultProbabilityByYear = nil
		for y := range years {
			c.DefaultProbabilityByYear = append(c.DefaultProbabilityByYear, st.CustDefault[i][y].Proportion())
		}
		c.DefaultProbability = c.DefaultProbabilityByYear[years-1]
		c.Survival = make([]float64, p.steps)
		c.CashBands = make([][5]float64, p.steps)
		for s := range p.steps {
			c.Survival[s] = float64(ts.Survival[i][s]) / mcstat.WeightUnit / n
			for k, q := range CashBandLevels() {
				c.CashBands[s][k] = ts.Cash[i][s].Quantile(q)
			}
		}
	}
}

// regimeShares returns the share of paths in each funding regime during
// each step.
func regimeShares(p *plan, ts *timeSeries) [][]float64 {
	nr := len(p.regimeCDF)
	shares := make([][]float64, p.steps)
	for s := range p.steps {
		shares[s] = make([]float64, nr)
		var total int64
		for r := range nr {
			total += ts.Regime[s*nr+r]
		}
		for r := range nr {
			shares[s][r] = float64(ts.Regime[s*nr+r]) / float64(total)
		}
	}
	return shares
}

// finishLostBy breaks each firm's backlog lost down by source: the mean
// over all paths and over the firm's worst 1% (see tailBreakdown).
func finishLostBy(ctx context.Context, p *plan, st *rangeState, res *Results, workers int) error {
	tails, err := tailBreakdown(ctx, p, st.Lost, workers)
	if err != nil {
		return err
	}
	n := float64(p.m.Paths)
	offsets := newBlock(p).lostByOffset
	for f := range p.nFirm {
		fr := res.firm(f)
		for k, name := range sourceNames(p, f) {
			fr.LostBy = append(fr.LostBy, LossSource{
				Name:     name,
				Mean:     st.LostBySum[offsets[f]+k].Value() / n,
				TailMean: tails[f][k],
			})
		}
	}
	return nil
}
