package sim

import "github.com/backlogsim/backlogsim/mcstat"

// MemoryEstimate is the memory a run of Simulate is expected to need at
// its peak, in bytes, by what needs it. It is an estimate from the sizes of
// the buffers Simulate allocates, checked against measured peaks in
// memory_test.go (it errs on the high side, by at most about 2×).
type MemoryEstimate struct {
	// PerPath is kept for every path in exact mode (0 when streaming):
	// each entity's outcomes and weights, each
	// distribution's order of paths, and the sorted copies the summary
	// makes.
	PerPath int64
	Paths   int
	// Workers is what all workers hold: their blocks of paths in flight
	// and their histograms of cash by step.
	Workers int64
	// Fixed is the rest: the merger's histograms and worst paths, the
	// time series and the results.
	Fixed int64
}

// Total is the estimated peak in bytes.
func (e MemoryEstimate) Total() int64 {
	return e.PerPath*int64(e.Paths) + e.Workers + e.Fixed
}

// EstimateMemory estimates the memory Simulate(ctx, m, opts) needs at its
// peak, with the result and its summary. m must be valid.
func EstimateMemory(m *Model, opts Options) (MemoryEstimate, error) {
	p, err := compile(m)
	if err != nil {
		return MemoryEstimate{}, err
	}
	n := m.Paths
	workers := int64(WorkersUsed(n, opts.Workers))
	exact := opts.Summary == ExactSummary || opts.Summary == AutoSummary && n <= ExactPathLimit
	nFirm, nCust := int64(p.nFirm), int64(p.nCust)
	nSrc := int64(0)
	for f := range p.nFirm {
		nSrc += int64(len(p.firm[f].sources) + 1)
	}
	steps, ne := int64(p.steps), int64(m.NumEntities())
	const word = 8
	// As a block holds a path: backlog lost, economic loss and backlog
	// renegotiated per firm; raised, backed and tranched per customer; the
	// two system-wide losses; lost-by sources; the weight; and the int32
	// default steps (firms and customers) and round counts.
	perPath := word*(3*nFirm+3*nCust+2+nSrc+1) + 4*(nFirm+2*nCust)
	// A customer's cash at one step spans about six binary exponents,
	// either sign: eight chunks of bins.
	countHist := mcstat.HistogramBytes(8)
	hist := 3 * int64(mcstat.HistogramBins) * word // Σw, Σw², and the tail sums once frozen

	est := MemoryEstimate{Paths: n}
	// Each worker: its share of the 2·workers+2 blocks in flight, its cash
	// histograms by customer and step, and its per-path scratch. The
	// merger folds every worker's histograms into the one set of the
	// run's state (est.Fixed), so they count once per worker.
	perWorker := (2+2/workers)*blockSize*perPath + nCust*steps*countHist + word*(nCust*steps+20*ne+int64(len(p.con)))
	est.Workers = workers * perWorker
	dists := 3*nFirm + 3*nCust + 2 // as pathData keeps them (sim/state.go)
	// The merged time series and the results' per-step bands.
	est.Fixed = nCust*steps*countHist + word*steps*(nCust*8+int64(len(p.regimeCDF)))
	if exact {
		// Values, default steps and round counts kept (pathData), each distribution's order of paths (int32) and,
		// under importance sampling, the weights and each distribution's
		// cumulative weights; half as much again for the growth of the
		// appended ranges and the summary's sorted copies (measured:
		// about 600 bytes a path of the baseline).
		kept := word*dists + 4*(nFirm+2*nCust) + 4*dists
		if p.weighted() {
			kept += word * (1 + dists)
		}
		est.PerPath = kept * 3 / 2
	} else {
		keep := int64(mcstat.TailKeep(n))
		est.Fixed += dists * (hist + 2*keep*3*word)
		est.Fixed += keep * word * nSrc // lost-by of the worst paths
	}
	return est, nil
}
