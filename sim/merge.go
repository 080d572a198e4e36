package sim

import (
	"math"
	"slices"

	"github.com/backlogsim/backlogsim/mcstat"
)

// block holds the outcomes of consecutive paths, written by one worker and
// read by the merger. Slices are flat: firm values at [j*nFirm+f], customer
// values at [j*nCust+i], per-step values at [(j*nCust+i)*steps+s].
type block struct {
	index, first, count int

	lost, econ   []float64
	reneg        []float64
	tranched     []float64
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
		reneg:        make([]float64, blockSize*p.nFirm),
		tranched:     make([]float64, blockSize*p.nCust),
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
		b.reneg[j*p.nFirm+f] = w.reneg[f]
		b.firmDefault[j*p.nFirm+f] = w.firmDefault[f]
		copy(b.lostBy[j*b.nSources()+b.lostByOffset[f]:], w.lostBy[f])
	}
	for i := range p.nCust {
		b.custDefault[j*p.nCust+i] = w.custDefault[i]
		b.raised[j*p.nCust+i] = w.raised[i]
		b.backed[j*p.nCust+i] = w.backed[i]
		b.tranched[j*p.nCust+i] = w.tranched[i]
		b.rounds[j*p.nCust+i] = w.rounds[i]
	}
	b.weight[j] = math.Exp(w.logWeight)
	w.series.addPath(w.regimeRow, w.cashRow, w.custDefault, mcstat.WeightUnits(b.weight[j]))
}

// timeSeries accumulates the per-step summaries: survival, regime shares
// and cash histograms, with weights in fixed point (see mcstat.WeightUnit).
type timeSeries struct {
	Steps, NRegimes int
	Survival        [][]int64 // [customer][step]: weight not yet defaulted
	Regime          []int64   // [step*NRegimes+regime]: weight
	Cash            [][]*mcstat.Histogram[int64]
}

func newTimeSeries(p *plan) *timeSeries {
	ts := &timeSeries{Steps: p.steps, NRegimes: len(p.regimeCDF), Regime: make([]int64, p.steps*len(p.regimeCDF))}
	for range p.nCust {
		ts.Survival = append(ts.Survival, make([]int64, p.steps))
		hs := make([]*mcstat.Histogram[int64], p.steps)
		for s := range hs {
			hs[s] = mcstat.NewHistogram[int64]()
		}
		ts.Cash = append(ts.Cash, hs)
	}
	return ts
}

// addPath adds one path: its regime by step, its customers' cash by step
// (customer-major) and default steps, with weight units w.
func (ts *timeSeries) addPath(regime []uint16, cash []float64, custDefault []int32, w int64) {
	for s, r := range regime {
		ts.Regime[s*ts.NRegimes+int(r)] += w
	}
	for i, st := range custDefault {
		for s := range ts.Steps {
			ts.Cash[i][s].Add(cash[i*ts.Steps+s], w)
			if st < 0 || int(st) > s {
				ts.Survival[i][s] += w
			}
		}
	}
}

func (ts *timeSeries) merge(o *timeSeries) {
	for k, v := range o.Regime {
		ts.Regime[k] += v
	}
	for i := range ts.Survival {
		for s := range ts.Steps {
			ts.Survival[i][s] += o.Survival[i][s]
			ts.Cash[i][s].Merge(o.Cash[i][s])
		}
	}
}

// merger folds blocks into a rangeState strictly in block order. Every
// sum it takes is exact or in integers (see mcstat.Moments, mcstat.Histogram and
// timeSeries), so the order only matters for the per-path arrays; it is
// kept so that progress counts finished paths from the first.
type merger struct {
	p     *plan
	st    *rangeState
	group int // paths per independent group: 2 with antithetic pairs
	years int
	done  int
	xs    []float64
	ws    []float64
}

func newMerger(p *plan, st *rangeState) *merger {
	g := p.groupSize()
	return &merger{p: p, st: st, group: g, years: modelYears(p.m), xs: make([]float64, g), ws: make([]float64, g)}
}

// add folds b into the state. Blocks must come in order.
func (mg *merger) add(b *block) {
	p, st := mg.p, mg.st
	g := mg.group
	nSrc := b.nSources()
	xs, ws := mg.xs, mg.ws
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
			st.Lost[f].AddGroup(first, gather(b.lost, p.nFirm, f), ws)
			st.Econ[f].AddGroup(first, gather(b.econ, p.nFirm, f), ws)
			st.Reneg[f].AddGroup(first, gather(b.reneg, p.nFirm, f), ws)
			st.FirmDefault[f].Add(share(func(k int) bool { return b.firmDefault[(j0+k)*p.nFirm+f] >= 0 }))
			// The firm's sources are its counterparties, then its pool.
			from, pool := b.lostByOffset[f], b.lostByOffset[f]+len(p.firm[f].sources)
			st.LossFromDefault[f].Add(share(func(k int) bool {
				return slices.ContainsFunc(b.lostBy[(j0+k)*nSrc+from:(j0+k)*nSrc+pool], func(x float64) bool { return x > 0 })
			}))
		}
		for i := range p.nCust {
			st.Raised[i].AddGroup(first, gather(b.raised, p.nCust, i), ws)
			st.Backed[i].AddGroup(first, gather(b.backed, p.nCust, i), ws)
			st.Tranched[i].AddGroup(first, gather(b.tranched, p.nCust, i), ws)
			st.AnyRound[i].Add(share(func(k int) bool { return b.rounds[(j0+k)*p.nCust+i] > 0 }))
			for y := range mg.years {
				st.CustDefault[i][y].Add(share(func(k int) bool {
					s := b.custDefault[(j0+k)*p.nCust+i]
					return s >= 0 && int(s)/p.m.StepsPerYear <= y
				}))
			}
		}
		st.Joint.addGroup(b, j0, g, ws)
		mg.addSystem(b, first, j0, ws)
		for k := range g {
			j, w := j0+k, ws[k]
			st.Weights.add(w)
			for src := range nSrc {
				st.LostBySum[src].Add(w * b.lostBy[j*nSrc+src])
			}
		}
	}
	if st.PerPath != nil {
		st.PerPath.copyBlock(p, b, b.first-st.First)
	}
	mg.done += b.count
}

// modelYears returns the number of years, a final partial year counting
// as one, over which default probabilities by year are reported.
func modelYears(m *Model) int { return int(math.Ceil(m.HorizonYears - 1e-9)) }
