package sim

import "math"

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
	regime       []uint16 // [j*steps+s]
	cash         []float64
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
		regime:       make([]uint16, blockSize*p.steps),
		cash:         make([]float64, blockSize*p.nCust*p.steps),
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
}

// merger folds blocks into the results strictly in block order, so that
// every floating-point sum is taken in path order whatever the number of
// workers.
type merger struct {
	p     *plan
	res   *Results
	exact bool
	group int // paths per independent group: 2 with antithetic pairs

	lost, econ     []*LossDistribution
	raised, backed []*LossDistribution
	firmDefault    []groupMoments
	custDefault    [][]groupMoments // [customer][year]
	anyRound       []groupMoments
	survival       [][]float64 // [customer][step]: weight not yet defaulted
	regime         []float64   // [step*nRegimes+regime]: weight
	cash           [][]*Histogram
	lostBySum      []float64
	years          int
	done           int
}

func newMerger(p *plan, res *Results, exact bool, group int) *merger {
	n := p.m.Paths
	mg := &merger{p: p, res: res, exact: exact, group: group}
	dist := func() *LossDistribution {
		if exact {
			return &LossDistribution{paths: n, groupSize: group}
		}
		return streamingDistribution(n, group)
	}
	mg.years = int(math.Ceil(p.m.HorizonYears - 1e-9))
	for range p.nFirm {
		mg.lost = append(mg.lost, dist())
		mg.econ = append(mg.econ, dist())
	}
	mg.firmDefault = make([]groupMoments, p.nFirm)
	for range p.nCust {
		mg.raised = append(mg.raised, dist())
		mg.backed = append(mg.backed, dist())
		mg.custDefault = append(mg.custDefault, make([]groupMoments, mg.years))
		mg.survival = append(mg.survival, make([]float64, p.steps))
		hs := make([]*Histogram, p.steps)
		for s := range hs {
			hs[s] = newHistogram()
		}
		mg.cash = append(mg.cash, hs)
	}
	mg.anyRound = make([]groupMoments, p.nCust)
	mg.regime = make([]float64, p.steps*len(p.regimeCDF))
	mg.lostBySum = make([]float64, newBlock(p).nSources())
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
		for f := range p.nFirm {
			for k := range g {
				xs[k] = b.lost[(j0+k)*p.nFirm+f]
			}
			mg.lost[f].addGroup(first, xs, ws)
			for k := range g {
				xs[k] = b.econ[(j0+k)*p.nFirm+f]
			}
			mg.econ[f].addGroup(first, xs, ws)
			def := 0.0
			for k := range g {
				if b.firmDefault[(j0+k)*p.nFirm+f] >= 0 {
					def += ws[k]
				}
			}
			mg.firmDefault[f].add(def / float64(g))
		}
		for i := range p.nCust {
			for k := range g {
				xs[k] = b.raised[(j0+k)*p.nCust+i]
			}
			mg.raised[i].addGroup(first, xs, ws)
			for k := range g {
				xs[k] = b.backed[(j0+k)*p.nCust+i]
			}
			mg.backed[i].addGroup(first, xs, ws)
			anyRound := 0.0
			for k := range g {
				if b.rounds[(j0+k)*p.nCust+i] > 0 {
					anyRound += ws[k]
				}
			}
			mg.anyRound[i].add(anyRound / float64(g))
			for y := range mg.years {
				def := 0.0
				for k := range g {
					if st := b.custDefault[(j0+k)*p.nCust+i]; st >= 0 && int(st)/p.m.StepsPerYear <= y {
						def += ws[k]
					}
				}
				mg.custDefault[i][y].add(def / float64(g))
			}
		}
		for k := range g {
			j, w := j0+k, ws[k]
			for s := range p.steps {
				mg.regime[s*len(p.regimeCDF)+int(b.regime[j*p.steps+s])] += w
			}
			for i := range p.nCust {
				st := b.custDefault[j*p.nCust+i]
				for s := range p.steps {
					mg.cash[i][s].Add(b.cash[(j*p.nCust+i)*p.steps+s], w)
					if st < 0 || int(st) > s {
						mg.survival[i][s] += w
					}
				}
			}
			for src := range nSrc {
				mg.lostBySum[src] += w * b.lostBy[j*nSrc+src]
			}
		}
	}
	if mg.exact {
		mg.copyPaths(b)
	}
	mg.done += b.count
}

// copyPaths copies b's per-path outcomes into the exact-mode arrays.
func (mg *merger) copyPaths(b *block) {
	p, res := mg.p, mg.res
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

// finish completes the distributions and copies the aggregates into res.
func (mg *merger) finish() {
	p, res := mg.p, mg.res
	n := float64(p.m.Paths)
	// The groups' values are already means over their paths. Under
	// importance sampling the estimate Σwᵢ1ᵢ/n is unbiased but can leave
	// [0, 1] on a small sample: it is clamped.
	prop := func(m groupMoments) ProportionStats {
		return ProportionStats{P: min(max(m.mean, 0), 1), StdErr: m.stdErr()}
	}
	for f := range p.nFirm {
		fr := res.firm(f)
		if mg.exact {
			mg.lost[f].finishExact(fr.BacklogLost, res.Weights)
			mg.econ[f].finishExact(fr.EconomicLoss, res.Weights)
		} else {
			mg.lost[f].finish()
			mg.econ[f].finish()
		}
		fr.BacklogLostDist, fr.EconomicLossDist = mg.lost[f], mg.econ[f]
		fr.DefaultProbability = prop(mg.firmDefault[f])
	}
	for i := range p.nCust {
		c := &res.Customers[i]
		if mg.exact {
			mg.raised[i].finishExact(c.FundingRaised, res.Weights)
			mg.backed[i].finishExact(c.BackerSupport, res.Weights)
		} else {
			mg.raised[i].finish()
			mg.backed[i].finish()
		}
		c.FundingRaisedDist, c.BackerSupportDist = mg.raised[i], mg.backed[i]
		c.ProbabilityAnyRound = prop(mg.anyRound[i])
		c.DefaultProbabilityByYear = nil
		for y := range mg.years {
			c.DefaultProbabilityByYear = append(c.DefaultProbabilityByYear, prop(mg.custDefault[i][y]))
		}
		c.DefaultProbability = c.DefaultProbabilityByYear[mg.years-1]
		c.Survival = make([]float64, p.steps)
		c.CashBands = make([][5]float64, p.steps)
		for s := range p.steps {
			c.Survival[s] = mg.survival[i][s] / n
			for k, q := range CashBandLevels() {
				c.CashBands[s][k] = mg.cash[i][s].Quantile(q)
			}
		}
	}
	nr := len(p.regimeCDF)
	res.RegimeShare = make([][]float64, p.steps)
	for s := range p.steps {
		res.RegimeShare[s] = make([]float64, nr)
		total := 0.0
		for r := range nr {
			total += mg.regime[s*nr+r]
		}
		for r := range nr {
			res.RegimeShare[s][r] = mg.regime[s*nr+r] / total
		}
	}
}
