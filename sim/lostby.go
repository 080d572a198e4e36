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
// ⌈tailFraction·n⌉ worst without importance sampling. The tail paths are
// replayed, which is exact because every path's draws depend only on the
// seed and the path index: keeping every path's breakdown instead cost
// 8 bytes a path and source in exact mode (a third of its memory), for 1%
// of the paths.
func tailBreakdown(ctx context.Context, p *plan, lost []*mcstat.LossDistribution, workers int) ([][]float64, error) {
	t := newTailPaths(p, lost)
	if err := t.replay(ctx, p, workers); err != nil {
		return nil, err
	}
	return t.means(p), nil
}

// tailPaths are the paths in the firms' tails and their breakdowns by
// source. Each firm's tail entries have one reference (path, firm, slot)
// per entry, sorted by path so that a path in several tails is replayed
// once. Storage is flat: memory stays proportional to the tails.
type tailPaths struct {
	tailOf   [][]mcstat.TailEntry // [firm][slot]
	refs     []tailRef
	rowStart []int       // refs[rowStart[r]:rowStart[r+1]] share one path
	nSrc     []int       // [firm] number of sources, the pool included
	out      [][]float64 // [firm][slot*nSrc+source]
}

type tailRef struct {
	path       int
	firm, slot int32
}

// newTailPaths selects each firm's tail paths from its distribution of
// backlog lost.
func newTailPaths(p *plan, lost []*mcstat.LossDistribution) *tailPaths {
	budget := tailFraction * float64(p.m.Paths)
	t := &tailPaths{tailOf: make([][]mcstat.TailEntry, p.nFirm), nSrc: make([]int, p.nFirm), out: make([][]float64, p.nFirm)}
	for f := range p.nFirm {
		weight := 0.0
		d := lost[f]
		for i := range d.Kept() {
			if weight >= budget*(1-1e-12) {
				break
			}
			e := d.At(i)
			t.refs = append(t.refs, tailRef{e.Path, int32(f), int32(len(t.tailOf[f]))})
			t.tailOf[f] = append(t.tailOf[f], e)
			weight += e.W
		}
	}
	slices.SortFunc(t.refs, func(a, b tailRef) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.firm, b.firm))
	})
	for i, r := range t.refs {
		if i == 0 || r.path != t.refs[i-1].path {
			t.rowStart = append(t.rowStart, i)
		}
	}
	t.rowStart = append(t.rowStart, len(t.refs))
	for f := range p.nFirm {
		t.nSrc[f] = len(p.firm[f].sources) + 1
		t.out[f] = make([]float64, len(t.tailOf[f])*t.nSrc[f])
	}
	return t
}

// replay steps the tail paths again, on up to workers goroutines, to read
// their breakdowns.
func (t *tailPaths) replay(ctx context.Context, p *plan, workers int) error {
	rows := len(t.rowStart) - 1
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
				wk.run(t.refs[t.rowStart[r]].path, nil, 0)
				for _, rf := range t.refs[t.rowStart[r]:t.rowStart[r+1]] {
					copy(t.out[rf.firm][int(rf.slot)*t.nSrc[rf.firm]:], wk.lostBy[rf.firm])
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// means returns each firm's weighted mean breakdown over its tail paths,
// summed in path order.
func (t *tailPaths) means(p *plan) [][]float64 {
	tails := newLostBy(p)
	for f := range p.nFirm {
		tail, nSrc := t.tailOf[f], t.nSrc[f]
		order := make([]int, len(tail))
		for k := range order {
			order[k] = k
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(tail[a].Path, tail[b].Path) })
		weight := 0.0
		for _, slot := range order {
			w := tail[slot].W
			for s := range nSrc {
				tails[f][s] += w * t.out[f][slot*nSrc+s]
			}
			weight += w
		}
		for s := range tails[f] {
			if weight > 0 {
				tails[f][s] /= weight
			}
		}
	}
	return tails
}
