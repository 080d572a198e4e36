package sim

import (
	"math"
	"sync"

	"github.com/backlogsim/backlogsim/mcstat"
)

// block holds the outcomes of consecutive paths, written by one worker and
// read by the merger. Slices are flat: firm values at [j*nFirm+f], customer
// values at [j*nCust+i], per-step values at [(j*nCust+i)*steps+s].
type block struct {
	index, first, count int

	lost, econ   []float64
	firmDefault  []int32
	custDefault  []int32
	raised       []float64
	backed       []float64
	rounds       []int32
	weight       []float64
	lostBy       []float64 // [j*nSources+k], every firm's sources in turn
	lostByOffset []int     // first source of firm f
}

func newBlock(p *plan) *block {
	nSrc, offsets := 0, make([]int, p.nFirm)
	for f := range p.nFirm {
		offsets[f] = nSrc
		nSrc += len(p.firm[f].sources) + 1
	}
	return &block{
		lost:         make([]float64, blockSize*p.nFirm),
		econ:         make([]float64, blockSize*p.nFirm),
		firmDefault:  make([]int32, blockSize*p.nFirm),
		custDefault:  make([]int32, blockSize*p.nCust),
		raised:       make([]float64, blockSize*p.nCust),
		backed:       make([]float64, blockSize*p.nCust),
		rounds:       make([]int32, blockSize*p.nCust),
		weight:       make([]float64, blockSize),
		lostBy:       make([]float64, blockSize*nSrc),
		lostByOffset: offsets,
	}
}

func (b *block) nSources() int { return len(b.lostBy) / blockSize }

// store copies the worker's finished path into slot j of b.
func (w *worker) store(b *block, j int) {
	p := w.p
	for f := range p.nFirm {
		b.lost[j*p.nFirm+f] = w.lost[f]
		b.econ[j*p.nFirm+f] = w.econ[f]
		b.firmDefault[j*p.nFirm+f] = w.firmDefault[f]
		copy(b.lostBy[j*b.nSources()+b.lostByOffset[f]:], w.lostBy[f])
	}
	for i := range p.nCust {
		b.custDefault[j*p.nCust+i] = w.custDefault[i]
		b.raised[j*p.nCust+i] = w.raised[i]
		b.backed[j*p.nCust+i] = w.backed[i]
		b.rounds[j*p.nCust+i] = w.rounds[i]
	}
	b.weight[j] = math.Exp(w.logWeight)
	w.series.addPath(w.regimeRow, w.cashRow, w.custDefault, weightUnits(b.weight[j]))
}

// weightUnit is the fixed-point unit of timeSeries weights: a path of
// weight 1 counts 2²⁴. Sums of integers are exact in any order, so each
// worker keeps its own time series, with or without importance weights, and
// they are added at the end; a weight is rounded to a multiple of 2⁻²⁴
// (6·10⁻⁸), far below anything the series are used for (fan charts,
// survival curves, regime shares).
const weightUnit = 1 << 24

// weightUnits returns w in units of 1/weightUnit, capped at 2⁴⁰ units (a
// weight of 65,536) so that ten billion paths cannot overflow.
func weightUnits(w float64) int64 {
	return int64(math.Round(math.Min(w, 1<<16) * weightUnit))
}

// timeSeries accumulates the per-step summaries: survival, regime shares
// and cash histograms, with weights in fixed point (see weightUnit).
type timeSeries struct {
	steps, nRegimes int
	survival        [][]int64 // [customer][step]: weight not yet defaulted
	regime          []int64   // [step*nRegimes+regime]: weight
	cash            [][]*mcstat.Histogram[int64]
}

func newTimeSeries(p *plan) *timeSeries {
	ts := &timeSeries{steps: p.steps, nRegimes: len(p.regimeCDF), regime: make([]int64, p.steps*len(p.regimeCDF))}
	for range p.nCust {
		ts.survival = append(ts.survival, make([]int64, p.steps))
		hs := make([]*mcstat.Histogram[int64], p.steps)
		for s := range hs {
			hs[s] = mcstat.NewHistogram[int64]()
		}
		ts.cash = append(ts.cash, hs)
	}
	return ts
}

// addPath adds one path: its regime by step, its customers' cash by step
// (customer-major) and default steps, with weight units w.
func (ts *timeSeries) addPath(regime []uint16, cash []float64, custDefault []int32, w int64) {
	for s, r := range regime {
		ts.regime[s*ts.nRegimes+int(r)] += w
	}
	for i, st := range custDefault {
		for s := range ts.steps {
			ts.cash[i][s].Add(cash[i*ts.steps+s], w)
			if st < 0 || int(st) > s {
				ts.survival[i][s] += w
			}
		}
	}
}

func (ts *timeSeries) merge(o *timeSeries) {
	for k, v := range o.regime {
		ts.regime[k] += v
	}
	for i := range ts.survival {
		for s := range ts.steps {
			ts.survival[i][s] += o.survival[i][s]
			ts.cash[i][s].Merge(o.cash[i][s])
		}
	}
}

// merger folds blocks into the results strictly in block order, so that
// every floating-point sum is taken in path order whatever the number of
// workers.
type merger struct {
	p     *plan
	res   *Results
	exact bool
	group int // paths per independent group: 2 with antithetic pairs

	lost, econ     []*mcstat.LossDistribution
	raised, backed []*mcstat.LossDistribution
	firmDefault    []mcstat.Moments
	custDefault    [][]mcstat.Moments // [customer][year]
	anyRound       []mcstat.Moments
	lostBySum      []float64
	// lostByPath[path*nSources+k] is every path's breakdown of backlog lost
	// by source, kept in exact mode so that the tail breakdown needs no
	// replay.
	lostByPath []float64
	nSources   int
	years      int
	done       int
	joint      *jointAcc
	// The system-wide losses (see SystemResults).
	sysLost, sysEcon *mcstat.LossDistribution
}

func newMerger(p *plan, res *Results, exact bool, group int) *merger {
	n := p.m.Paths
	mg := &merger{p: p, res: res, exact: exact, group: group}
	dist := func() *mcstat.LossDistribution {
		if exact {
			return mcstat.NewExact(n, group)
		}
		return mcstat.NewStreaming(n, group)
	}
	mg.years = int(math.Ceil(p.m.HorizonYears - 1e-9))
	for range p.nFirm {
		mg.lost = append(mg.lost, dist())
		mg.econ = append(mg.econ, dist())
	}
	mg.firmDefault = make([]mcstat.Moments, p.nFirm)
	for range p.nCust {
		mg.raised = append(mg.raised, dist())
		mg.backed = append(mg.backed, dist())
		mg.custDefault = append(mg.custDefault, make([]mcstat.Moments, mg.years))
	}
	mg.anyRound = make([]mcstat.Moments, p.nCust)
	mg.joint = newJointAcc(p, mg.years)
	mg.sysLost, mg.sysEcon = dist(), dist()
	mg.nSources = newBlock(p).nSources()
	mg.lostBySum = make([]float64, mg.nSources)
	if exact {
		mg.lostByPath = make([]float64, n*mg.nSources)
	}
	return mg
}

// add folds b into the results. Blocks must come in order.
func (mg *merger) add(b *block) {
	p := mg.p
	g := mg.group
	nSrc := b.nSources()
	xs := make([]float64, g)
	ws := make([]float64, g)
	for j0 := 0; j0 < b.count; j0 += g {
		first := b.first + j0
		copy(ws, b.weight[j0:j0+g])
		// gather returns the group's values of entity e from a flat slice
		// with n entities per path; share the mean weight of the group's
		// paths on which holds is true.
		gather := func(src []float64, n, e int) []float64 {
			for k := range g {
				xs[k] = src[(j0+k)*n+e]
			}
			return xs
		}
		share := func(holds func(k int) bool) float64 {
			sum := 0.0
			for k := range g {
				if holds(k) {
					sum += ws[k]
				}
			}
			return sum / float64(g)
		}
		for f := range p.nFirm {
			mg.lost[f].AddGroup(first, gather(b.lost, p.nFirm, f), ws)
			mg.econ[f].AddGroup(first, gather(b.econ, p.nFirm, f), ws)
			mg.firmDefault[f].Add(share(func(k int) bool { return b.firmDefault[(j0+k)*p.nFirm+f] >= 0 }))
		}
		for i := range p.nCust {
			mg.raised[i].AddGroup(first, gather(b.raised, p.nCust, i), ws)
			mg.backed[i].AddGroup(first, gather(b.backed, p.nCust, i), ws)
			mg.anyRound[i].Add(share(func(k int) bool { return b.rounds[(j0+k)*p.nCust+i] > 0 }))
			for y := range mg.years {
				mg.custDefault[i][y].Add(share(func(k int) bool {
					st := b.custDefault[(j0+k)*p.nCust+i]
					return st >= 0 && int(st)/p.m.StepsPerYear <= y
				}))
			}
		}
		mg.joint.addGroup(b, j0, g, ws)
		mg.addSystem(b, first, j0, ws)
		for k := range g {
			j, w := j0+k, ws[k]
			for src := range nSrc {
				mg.lostBySum[src] += w * b.lostBy[j*nSrc+src]
			}
		}
	}
	if mg.exact {
		mg.copyPaths(b)
		mg.copySystem(b)
	}
	mg.done += b.count
}

// copyPaths copies b's per-path outcomes into the exact-mode arrays.
func (mg *merger) copyPaths(b *block) {
	p, res := mg.p, mg.res
	copy(mg.lostByPath[b.first*mg.nSources:], b.lostBy[:b.count*mg.nSources])
	for j := range b.count {
		path := b.first + j
		for f := range p.nFirm {
			fr := res.firm(f)
			fr.BacklogLost[path] = b.lost[j*p.nFirm+f]
			fr.EconomicLoss[path] = b.econ[j*p.nFirm+f]
			fr.DefaultStep[path] = b.firmDefault[j*p.nFirm+f]
		}
		for i := range p.nCust {
			c := &res.Customers[i]
			c.DefaultStep[path] = b.custDefault[j*p.nCust+i]
			c.FundingRaised[path] = b.raised[j*p.nCust+i]
			c.Rounds[path] = b.rounds[j*p.nCust+i]
			c.BackerSupport[path] = b.backed[j*p.nCust+i]
		}
		if res.Weights != nil {
			res.Weights[path] = b.weight[j]
		}
	}
}

// finish completes the distributions, adds up the workers' time series
// and copies the aggregates into res, using up to workers goroutines.
func (mg *merger) finish(series []*timeSeries, workers int) {
	p, res := mg.p, mg.res
	n := float64(p.m.Paths)
	// The groups' values are already means over their paths (see
	// mcstat.Moments.Proportion).
	// Finish the distributions in parallel: each is independent (sorting
	// every path's value in exact mode is the costly part).
	type job struct {
		d      *mcstat.LossDistribution
		values []float64
	}
	var jobs []job
	for f := range p.nFirm {
		fr := res.firm(f)
		jobs = append(jobs, job{mg.lost[f], fr.BacklogLost}, job{mg.econ[f], fr.EconomicLoss})
		fr.BacklogLostDist, fr.EconomicLossDist = mg.lost[f], mg.econ[f]
		fr.DefaultProbability = mg.firmDefault[f].Proportion()
		mg.joint.firmTiming(f, fr, p.m.Paths)
	}
	var names []string
	for e := range p.nCust + p.nFirm {
		names = append(names, p.m.EntityName(EntityID(e)))
	}
	res.JointDefaults = mg.joint.result(names)
	for i := range p.nCust {
		c := &res.Customers[i]
		jobs = append(jobs, job{mg.raised[i], c.FundingRaised}, job{mg.backed[i], c.BackerSupport})
	}
	jobs = append(jobs, job{mg.sysLost, res.System.BacklogLost}, job{mg.sysEcon, res.System.EconomicLoss})
	res.System.BacklogLostDist, res.System.EconomicLossDist = mg.sysLost, mg.sysEcon
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			if mg.exact {
				j.d.FinishExact(j.values, res.Weights)
			} else {
				j.d.Finish()
			}
			<-sem
		}()
	}
	wg.Wait()
	ts := series[0]
	for _, o := range series[1:] {
		ts.merge(o)
	}
	for i := range p.nCust {
		c := &res.Customers[i]
		c.FundingRaisedDist, c.BackerSupportDist = mg.raised[i], mg.backed[i]
		c.ProbabilityAnyRound = mg.anyRound[i].Proportion()
		c.DefaultProbabilityByYear = nil
		for y := range mg.years {
			c.DefaultProbabilityByYear = append(c.DefaultProbabilityByYear, mg.custDefault[i][y].Proportion())
		}
		c.DefaultProbability = c.DefaultProbabilityByYear[mg.years-1]
		c.Survival = make([]float64, p.steps)
		c.CashBands = make([][5]float64, p.steps)
		for s := range p.steps {
			c.Survival[s] = float64(ts.survival[i][s]) / weightUnit / n
			for k, q := range CashBandLevels() {
				c.CashBands[s][k] = ts.cash[i][s].Quantile(q)
			}
		}
	}
	nr := len(p.regimeCDF)
	res.RegimeShare = make([][]float64, p.steps)
	for s := range p.steps {
		res.RegimeShare[s] = make([]float64, nr)
		var total int64
		for r := range nr {
			total += ts.regime[s*nr+r]
		}
		for r := range nr {
			res.RegimeShare[s][r] = float64(ts.regime[s*nr+r]) / float64(total)
		}
	}
}
