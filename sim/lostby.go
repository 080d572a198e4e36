package sim

import (
	"cmp"
	"context"
	"slices"
	"sync/atomic"

	"github.com/backlogsim/backlogsim/mcstat"
	"golang.org/x/sync/errgroup"
)

func newLostBy(p *plan) [][]float64 {
	out := make([][]float64, p.nFirm)
	for f := range out {
		out[f] = make([]float64, len(p.firm[f].sources)+1)
	}
	return out
}

func sourceNames(p *plan, f int) []string {
	var names []string
	for _, e := range p.firm[f].sources {
		names = append(names, p.m.EntityName(e))
	}
	return append(names, PoolSource)
}

// tailFraction is the share of worst paths over which LossSource.TailMean
// averages.
const tailFraction = 0.01

// tailBreakdown returns, for each firm, the weighted mean breakdown of
// backlog lost by source over its worst paths by backlog lost (ties broken
// by path index) that carry tailFraction of the probability weight: the
// ⌈tailFraction·n⌉ worst without importance sampling. Exact mode kept every
// path's breakdown; in streaming mode the paths are replayed, which is
// exact because every path's draws depend only on the seed and the path
// index.
func tailBreakdown(ctx context.Context, p *plan, lost []*mcstat.LossDistribution, lostByPath []float64, workers int) ([][]float64, error) {
	n := p.m.Paths
	budget := tailFraction * float64(n)
	// Each firm's tail entries, and one reference (path, firm, slot) per
	// entry, sorted by path so that a path in several tails is replayed
	// once. Storage is flat: memory stays proportional to the tails.
	type ref struct {
		path       int
		firm, slot int32
	}
	tailOf := make([][]mcstat.TailEntry, p.nFirm)
	var refs []ref
	for f := range p.nFirm {
		weight := 0.0
		for _, e := range lost[f].Tail() {
			if weight >= budget*(1-1e-12) {
				break
			}
			refs = append(refs, ref{e.Path, int32(f), int32(len(tailOf[f]))})
			tailOf[f] = append(tailOf[f], e)
			weight += e.W
		}
	}
	slices.SortFunc(refs, func(a, b ref) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.firm, b.firm))
	})
	var rowStart []int // refs[rowStart[r]:rowStart[r+1]] share one path
	for i, r := range refs {
		if i == 0 || r.path != refs[i-1].path {
			rowStart = append(rowStart, i)
		}
	}
	rowStart = append(rowStart, len(refs))
	nSrc := make([]int, p.nFirm)
	out := make([][]float64, p.nFirm) // [firm][slot*nSrc+source]
	for f := range p.nFirm {
		nSrc[f] = len(p.firm[f].sources) + 1
		out[f] = make([]float64, len(tailOf[f])*nSrc[f])
	}

	rows := len(rowStart) - 1
	if lostByPath != nil { // exact mode kept every path's breakdown
		b := newBlock(p)
		for _, rf := range refs {
			at := rf.path*b.nSources() + b.lostByOffset[rf.firm]
			copy(out[rf.firm][int(rf.slot)*nSrc[rf.firm]:], lostByPath[at:at+nSrc[rf.firm]])
		}
		rows = 0
	}
	var next atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	for range min(workers, max(rows, 1)) {
		g.Go(func() error {
			wk := newWorker(p)
			for {
				r := int(next.Add(1)) - 1
				if r >= rows {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return err
				}
				wk.run(refs[rowStart[r]].path, nil, 0)
				for _, rf := range refs[rowStart[r]:rowStart[r+1]] {
					copy(out[rf.firm][int(rf.slot)*nSrc[rf.firm]:], wk.lostBy[rf.firm])
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Weighted means, summed in path order.
	tails := newLostBy(p)
	for f := range p.nFirm {
		order := make([]int, len(tailOf[f]))
		for k := range order {
			order[k] = k
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(tailOf[f][a].Path, tailOf[f][b].Path) })
		weight := 0.0
		for _, slot := range order {
			w := tailOf[f][slot].W
			for s := range nSrc[f] {
				tails[f][s] += w * out[f][slot*nSrc[f]+s]
			}
			weight += w
		}
		for s := range tails[f] {
			if weight > 0 {
				tails[f][s] /= weight
			}
		}
	}
	return tails, nil
}
