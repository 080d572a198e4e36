package sim

import (
	"context"
	"sync"
	"sync/atomic"
)

// Options control how Simulate runs. Workers and Progress never change its
// results; Summary chooses between exact and streaming summaries.
type Options struct {
	// Workers is the number of goroutines; <= 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called with the number of paths finished so
	// far, from one goroutine at a time.
	Progress func(done int)
	// Summary selects how losses are summarised (see SummaryMode).
	Summary SummaryMode
}

// SummaryMode selects how Simulate summarises per-path outcomes.
type SummaryMode int

const (
	// AutoSummary is ExactSummary up to ExactPathLimit paths and
	// StreamingSummary beyond.
	AutoSummary SummaryMode = iota
	// ExactSummary keeps every path's outcomes in the Results (memory grows
	// with the number of paths) and computes every statistic exactly.
	ExactSummary
	// StreamingSummary keeps only histograms and the worst paths (see
	// mcstat.LossDistribution): memory does not grow with the number of
	// paths.
	StreamingSummary
)

// ExactPathLimit is the largest run AutoSummary summarises exactly. The
// exact summary keeps about 1.3 kB per baseline path (1.35 GB at a million
// paths), the streaming one a fixed 50 MB or so plus 1% of the paths.
const ExactPathLimit = 250_000

// blockSize is the number of consecutive paths a worker takes at a time. It
// is even, so antithetic pairs never straddle two blocks.
const blockSize = 256

// Simulate runs m.Paths paths of m and returns their results. The results
// depend only on m and opts.Summary: path p uses random streams derived
// from m.Seed, p and the purpose of each draw, and every sum over paths is
// exact or in integers, so any number of workers, or of shards (see
// SimulateShard), gives identical results. It returns ctx.Err() if ctx is
// cancelled before the end.
func Simulate(ctx context.Context, m *Model, opts Options) (*Results, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	st, err := simulateRange(ctx, p, opts, 0, m.Paths)
	if err != nil {
		return nil, err
	}
	return finishResults(ctx, p, st, workerCount(opts, m.Paths))
}

// exactMode reports whether opts summarise a run of n paths exactly.
func exactMode(opts Options, n int) bool {
	return opts.Summary == ExactSummary || opts.Summary == AutoSummary && n <= ExactPathLimit
}

// workerCount returns the number of goroutines to use on n paths (see
// WorkersUsed).
func workerCount(opts Options, n int) int { return WorkersUsed(n, opts.Workers) }

// simulateRange simulates paths [first, first+count) of p, first a
// multiple of blockSize, and returns their state.
func simulateRange(ctx context.Context, p *plan, opts Options, first, count int) (*rangeState, error) {
	n := p.m.Paths
	st := newRangeState(p, exactMode(opts, n), first, count)
	firstBlock := first / blockSize
	nBlocks := (count + blockSize - 1) / blockSize
	if nBlocks == 0 {
		return st, nil
	}
	workers := min(workerCount(opts, n), nBlocks)
	mg := newMerger(p, st)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *block, 2*workers+2)
	for range cap(free) {
		free <- newBlock(p)
	}
	filled := make(chan *block, cap(free))
	var next atomic.Int64
	var wg sync.WaitGroup
	series := make([]*timeSeries, workers)
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(p)
			series[k] = wk.series
			for {
				var b *block
				select {
				case b = <-free:
				case <-ctx.Done():
					return
				}
				idx := int(next.Add(1)) - 1
				if idx >= nBlocks {
					return
				}
				b.index, b.first = idx, (firstBlock+idx)*blockSize
				b.count = min(first+count, b.first+blockSize) - b.first
				for j := range b.count {
					if ctx.Err() != nil {
						return
					}
					wk.run(b.first+j, b, j)
				}
				filled <- b
			}
		}()
	}

	// Merge strictly in block order.
	pending := map[int]*block{}
	for want := 0; want < nBlocks; {
		var b *block
		select {
		case b = <-filled:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		pending[b.index] = b
		for pending[want] != nil {
			nb := pending[want]
			delete(pending, want)
			mg.add(nb)
			free <- nb
			want++
			if opts.Progress != nil {
				opts.Progress(mg.done)
			}
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, o := range series {
		st.Series.merge(o)
	}
	return st, nil
}

// newResults returns the Results of st's model, holding st's per-path
// outcomes in exact mode, with the aggregates still to fill in.
func newResults(p *plan, st *rangeState) *Results {
	m, n := p.m, p.m.Paths
	d := st.PerPath
	res := &Results{Model: m, Paths: n, Streaming: d == nil, Antithetic: p.groupSize() == 2, ImportanceSampled: p.weighted()}
	for s := range p.steps {
		res.StepYears = append(res.StepYears, float64(s+1)*p.dt)
	}
	res.System = &SystemResults{}
	if d != nil {
		res.Weights = d.Weights
		res.System.BacklogLost, res.System.EconomicLoss = d.SysLost, d.SysEcon
	}
	exact := d != nil
	pick := func(xs [][]float64, k int) []float64 {
		if !exact {
			return nil
		}
		return xs[k]
	}
	pickInts := func(xs [][]int32, k int) []int32 {
		if !exact {
			return nil
		}
		return xs[k]
	}
	if d == nil {
		d = &pathData{}
	}
	newFirm := func(f Firm, k int) FirmResults {
		return FirmResults{
			Name: f.Name, Backlog: f.Backlog, OperatingCashFlow: f.OperatingCashFlow,
			BacklogLost: pick(d.Lost, k), EconomicLoss: pick(d.Econ, k), DefaultStep: pickInts(d.FirmDefault, k),
			BacklogRenegotiated: pick(d.Reneg, k),
		}
	}
	for k, f := range m.Providers {
		res.Providers = append(res.Providers, newFirm(f, k))
	}
	for k, f := range m.Suppliers {
		res.Suppliers = append(res.Suppliers, newFirm(f, len(m.Providers)+k))
	}
	for i, c := range m.Customers {
		res.Customers = append(res.Customers, CustomerResults{
			Name: c.Name, DefaultStep: pickInts(d.CustDefault, i), FundingRaised: pick(d.Raised, i),
			Rounds: pickInts(d.Rounds, i), BackerSupport: pick(d.Backed, i), TranchesPaid: pick(d.Tranched, i),
		})
	}
	return res
}

// firm returns the results of firm f (providers then suppliers).
func (r *Results) firm(f int) *FirmResults {
	if f < len(r.Providers) {
		return &r.Providers[f]
	}
	return &r.Suppliers[f-len(r.Providers)]
}
