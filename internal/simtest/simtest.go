// Package simtest builds sim.Results by hand for tests: a test fills in
// the per-path outcomes it cares about and Complete computes what Simulate
// would have derived from them (distributions, proportions, weights and
// the summary). It is test support only; no production code imports it.
package simtest

import (
	"math"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// Complete fills in the aggregates of res, hand-built from per-path slices
// of unweighted single paths, and returns it: every firm's and customer's
// distributions and default probabilities (by year for customers), the
// probability of a funding round, the weights' statistics and
// res.Summary. Slices a test leaves nil (renegotiated backlog, tranches)
// count as zero on every path. Distributions already set are kept, and so
// is each firm's LossFromDefaultProbability, which needs the per-path
// breakdown by source that hand-built results lack: a test sets it.
func Complete(res *sim.Results) *sim.Results {
	for i := range res.Providers {
		completeFirm(&res.Providers[i])
	}
	for i := range res.Suppliers {
		completeFirm(&res.Suppliers[i])
	}
	m := res.Model
	years := int(math.Ceil(m.HorizonYears - 1e-9))
	for i := range res.Customers {
		completeCustomer(&res.Customers[i], years, m.StepsPerYear)
	}
	if res.Weighting.N == 0 {
		res.Weighting = weightStats(res.Weights, res.Paths)
	}
	res.Summary = sim.Summarize(res)
	return res
}

func completeFirm(f *sim.FirmResults) {
	if f.BacklogLostDist != nil {
		return
	}
	f.BacklogLostDist, f.EconomicLossDist = mcstat.ExactOf(f.BacklogLost), mcstat.ExactOf(f.EconomicLoss)
	f.BacklogRenegotiatedDist = mcstat.ExactOf(orZeros(f.BacklogRenegotiated, len(f.BacklogLost)))
	k := 0
	for _, st := range f.DefaultStep {
		if st >= 0 {
			k++
		}
	}
	f.DefaultProbability = mcstat.Proportion(k, len(f.DefaultStep))
}

// completeCustomer fills in c's aggregates over years years (a final
// partial year counting as one) of stepsPerYear steps.
func completeCustomer(c *sim.CustomerResults, years, stepsPerYear int) {
	if c.FundingRaisedDist != nil {
		return
	}
	c.FundingRaisedDist, c.BackerSupportDist = mcstat.ExactOf(c.FundingRaised), mcstat.ExactOf(c.BackerSupport)
	c.TranchesPaidDist = mcstat.ExactOf(orZeros(c.TranchesPaid, len(c.FundingRaised)))
	n := len(c.DefaultStep)
	byYear := make([]int, years)
	anyRound := 0
	for p, st := range c.DefaultStep {
		if st >= 0 {
			for y := int(st) / stepsPerYear; y < years; y++ {
				byYear[y]++
			}
		}
		if c.Rounds[p] > 0 {
			anyRound++
		}
	}
	c.DefaultProbabilityByYear = nil
	for _, k := range byYear {
		c.DefaultProbabilityByYear = append(c.DefaultProbabilityByYear, mcstat.Proportion(k, n))
	}
	c.DefaultProbability = mcstat.Proportion(byYear[years-1], n)
	c.ProbabilityAnyRound = mcstat.Proportion(anyRound, n)
}

// weightStats returns the sim.WeightStats of per-path weights, or of n
// paths of weight 1 when weights is nil.
func weightStats(weights []float64, n int) sim.WeightStats {
	if weights == nil {
		return sim.WeightStats{N: n, Sum: float64(n), SumSquares: float64(n), Max: min(1, float64(n))}
	}
	var s sim.WeightStats
	for _, w := range weights {
		s.N++
		s.Sum += w
		s.SumSquares += w * w
		s.Max = max(s.Max, w)
	}
	return s
}

// orZeros returns xs, or n zeros if xs is nil.
func orZeros(xs []float64, n int) []float64 {
	if xs == nil {
		return make([]float64, n)
	}
	return xs
}
