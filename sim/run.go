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
// from m.Seed, p and the purpose of each draw, and the merger folds paths
// in order, so any number of workers gives identical results. It returns
// ctx.Err() if ctx is cancelled before the end.
func Simulate(ctx context.Context, m *Model, opts Options) (*Results, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	n := m.Paths
	workers := WorkersUsed(n, opts.Workers)
	nBlocks := (n + blockSize - 1) / blockSize
	exact := opts.Summary == ExactSummary || opts.Summary == AutoSummary && n <= ExactPathLimit

	res := newResults(p, exact)
	mg := newMerger(p, res, exact, p.groupSize())

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
				b.index, b.first = idx, idx*blockSize
				b.count = min(n, b.first+blockSize) - b.first
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
	mg.finish(series, workers)

	tails, err := tailBreakdown(ctx, p, mg, workers)
	if err != nil {
		return nil, err
	}
	if err := riskContributions(ctx, p, res, workers); err != nil {
		return nil, err
	}
	for f := range p.nFirm {
		fr := res.firm(f)
		off := newBlock(p).lostByOffset[f]
		for k, name := range sourceNames(p, f) {
			fr.LostBy = append(fr.LostBy, LossSource{
				Name:     name,
				Mean:     mg.lostBySum[off+k] / float64(n),
				TailMean: tails[f][k],
			})
		}
	}
	return res, nil
}

func newResults(p *plan, exact bool) *Results {
	m, n := p.m, p.m.Paths
	res := &Results{Model: m, Paths: n, Streaming: !exact, Antithetic: p.groupSize() == 2, ImportanceSampled: p.weighted()}
	for s := range p.steps {
		res.StepYears = append(res.StepYears, float64(s+1)*p.dt)
	}
	floats := func() []float64 {
		if exact {
			return make([]float64, n)
		}
		return nil
	}
	ints := func() []int32 {
		if exact {
			return make([]int32, n)
		}
		return nil
	}
	if res.ImportanceSampled {
		res.Weights = floats()
	}
	newFirm := func(f Firm) FirmResults {
		return FirmResults{
			Name: f.Name, Backlog: f.Backlog, OperatingCashFlow: f.OperatingCashFlow,
			BacklogLost: floats(), EconomicLoss: floats(), DefaultStep: ints(),
		}
	}
	for _, f := range m.Providers {
		res.Providers = append(res.Providers, newFirm(f))
	}
	res.System = &SystemResults{BacklogLost: floats(), EconomicLoss: floats()}
	for _, f := range m.Suppliers {
		res.Suppliers = append(res.Suppliers, newFirm(f))
	}
	for _, c := range m.Customers {
		res.Customers = append(res.Customers, CustomerResults{
			Name: c.Name, DefaultStep: ints(), FundingRaised: floats(), Rounds: ints(), BackerSupport: floats(),
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
