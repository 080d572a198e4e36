package sim

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/backlogsim/backlogsim/mcstat"
)

// contribTarget is one loss whose expected shortfall is decomposed.
type contribTarget struct {
	firm    int // -1 for the system
	measure int // 0 backlog lost, 1 economic loss
	dist    *mcstat.LossDistribution
	out     *RiskContributions
}

// contribRef is a path's part in the accumulator sink.
type contribRef struct {
	path int
	sink int32
	win  bool
	c, w float64
	x    float64 // the loss the run recorded, checked against the replay
}

// contribSink is where a replayed path's vector goes: the source vector
// of target (contributions) or the path's drivers (anatomy).
type contribSink struct {
	acc     *contribAcc
	target  contribTarget
	drivers bool
	check   bool // compare the replayed loss of target with the ref's x
}

// contribChunk is the number of paths replayed before their attributions
// are folded, which bounds the memory the replay needs.
const contribChunk = 1024

// riskContributions decomposes the expected shortfall of every firm's and
// the system's backlog lost and economic loss by origin (see
// RiskContributions), and finds the anatomy of each one's backlog-lost
// tail (see TailAnatomy). It replays the paths in each tail with an
// originTracker and a driverRecorder: a path's draws depend only on the
// seed and its index, so the replay is the path the run simulated, and
// the fold runs in path order, so the result does not depend on the number
// of workers.
func riskContributions(ctx context.Context, p *plan, res *Results, workers int) error {
	var targets []contribTarget
	add := func(f int, lost, econ *mcstat.LossDistribution) (bl, el *RiskContributions) {
		bl, el = &RiskContributions{}, &RiskContributions{}
		targets = append(targets, contribTarget{f, 0, lost, bl}, contribTarget{f, 1, econ, el})
		return bl, el
	}
	for f := range p.nFirm {
		fr := res.firm(f)
		fr.BacklogLostContributions, fr.EconomicLossContributions = add(f, fr.BacklogLostDist, fr.EconomicLossDist)
	}
	sys := res.System
	sys.BacklogLostContributions, sys.EconomicLossContributions = add(-1, sys.BacklogLostDist, sys.EconomicLossDist)

	nOrig := p.nCust + 2*p.nFirm
	width := 3*nOrig + 2
	nDrivers := len(driverNames(p))
	g := p.groupSize()
	levels := mcstat.TailLevels()
	var sinks []contribSink
	var refs []contribRef
	es := map[int]float64{}
	level := make([]int, len(targets)*len(levels)) // sink of (target, level), or -1
	anatomySink := make([]int, len(targets))
	for ti, t := range targets {
		stats := t.dist.Stats()
		anatomySink[ti] = -1
		for k, q := range levels {
			level[ti*len(levels)+k] = -1
			acc, r := planLevel(t.dist, 1-q, width, g)
			if acc == nil {
				continue
			}
			sink := len(sinks)
			level[ti*len(levels)+k], es[sink] = sink, stats.ES[k]
			sinks = append(sinks, contribSink{acc: acc, target: t, check: true})
			refs = appendRefs(refs, r, sink)
			if k == anatomyLevel && t.measure == 0 {
				anatomySink[ti] = len(sinks)
				tail, r := planLevel(t.dist, 1-q, nDrivers, g)
				sinks = append(sinks, contribSink{acc: tail, target: t, drivers: true})
				refs = appendRefs(refs, r, anatomySink[ti])
			}
		}
	}
	// The means over all paths, on the first AnatomySample paths.
	sample := min(res.Paths, AnatomySample) / g * g
	allSink := len(sinks)
	sinks = append(sinks, contribSink{acc: newContribAcc(nDrivers, max(sample/g, 1), g, 1, 0, 1), drivers: true})
	for path := range sample {
		refs = append(refs, contribRef{path: path, sink: int32(allSink), c: 1, w: pathWeight(res, path)})
	}
	slices.SortFunc(refs, func(a, b contribRef) int {
		return cmp.Or(cmp.Compare(a.path, b.path), cmp.Compare(a.sink, b.sink))
	})
	if err := foldReplays(ctx, p, refs, sinks, workers); err != nil {
		return err
	}
	for ti, t := range targets {
		for k := range levels {
			if sk := level[ti*len(levels)+k]; sk >= 0 {
				t.out.Levels[k] = sinks[sk].acc.level(p, es[sk])
			}
		}
		t.out.prune()
		if sk := anatomySink[ti]; sk >= 0 && sample > 0 {
			name := SystemName
			if t.firm >= 0 {
				name = res.firm(t.firm).Name
			}
			res.TailAnatomy = append(res.TailAnatomy, anatomy(p, name, sinks[sk].acc, sinks[allSink].acc))
		}
	}
	return nil
}

// appendRefs appends r to refs, all going to sink.
func appendRefs(refs, r []contribRef, sink int) []contribRef {
	for _, x := range r {
		x.sink = int32(sink)
		refs = append(refs, x)
	}
	return refs
}

// pathWeight returns path's likelihood-ratio weight: 1 unless the run was
// importance sampled, when it is kept in exact mode and recomputed by the
// replay otherwise (see foldReplays).
func pathWeight(res *Results, path int) float64 {
	if res.Weights != nil {
		return res.Weights[path]
	}
	if res.ImportanceSampled {
		return math.NaN() // set from the replay
	}
	return 1
}

// planLevel returns the accumulator of d's decomposition at tail
// probability alpha and the paths it needs (tl unset), or nil if d did not
// keep that tail.
func planLevel(d *mcstat.LossDistribution, alpha float64, width, g int) (*contribAcc, []contribRef) {
	sp, ok := d.Split(alpha)
	if !ok {
		return nil, nil
	}
	last, lo, hi := max(sp.End, sp.Hi+1), sp.Lo, sp.Hi
	if sp.VaR == 0 {
		// Losses are never negative, so every source of a path that lost
		// nothing is zero: the ties and the window (m_s = 0) add nothing.
		last, lo, hi = sp.Above, 0, -1
	}
	refs := make([]contribRef, 0, last)
	for i, e := range d.TailHead(last) {
		c := 0.0
		switch {
		case i < sp.Above:
			c = 1
		case i < sp.End:
			c = sp.Theta
		}
		refs = append(refs, contribRef{path: e.Path, c: c, w: e.W, x: e.X, win: i >= lo && i <= hi})
	}
	return newContribAcc(width, d.Paths()/g, g, alpha, sp.VaR, sp.Theta), refs
}

// foldReplays replays the paths of refs chunk by chunk, in parallel, and
// folds their vectors into the sinks in path order.
func foldReplays(ctx context.Context, p *plan, refs []contribRef, sinks []contribSink, workers int) error {
	var paths []int
	for i, r := range refs {
		if i == 0 || r.path != refs[i-1].path {
			paths = append(paths, r.path)
		}
	}
	rb := newReplayBuffers(p)
	pool := make(chan *worker, workers)
	for range workers {
		w := newWorker(p)
		w.obs = replayObserver{origins: newOriginTracker(w), drivers: newDriverRecorder(w)}
		pool <- w
	}
	next := 0
	for start := 0; start < len(paths); start += contribChunk {
		chunk := paths[start:min(start+contribChunk, len(paths))]
		if err := rb.replay(ctx, p, chunk, pool, workers); err != nil {
			return err
		}
		var err error
		if next, err = rb.fold(p, chunk, refs, next, sinks); err != nil {
			return err
		}
	}
	return nil
}

// replayBuffers hold what the paths of one chunk recorded when replayed:
// the sources of every firm's two losses, the drivers, the weights and
// the losses themselves.
type replayBuffers struct {
	nOrig, per, nDrivers int
	buf, drivers         []float64
	weights, totals      []float64
	// base and ext are scratch for fold.
	base, ext []float64
}

func newReplayBuffers(p *plan) *replayBuffers {
	nOrig := p.nCust + 2*p.nFirm
	per := p.nFirm * 2 * numChannels * nOrig // source floats per replayed path
	nDrivers := len(driverNames(p))
	return &replayBuffers{
		nOrig: nOrig, per: per, nDrivers: nDrivers,
		buf:     make([]float64, contribChunk*per),
		drivers: make([]float64, contribChunk*nDrivers),
		weights: make([]float64, contribChunk),
		totals:  make([]float64, contribChunk*p.nFirm*2),
		base:    make([]float64, numChannels*nOrig),
		ext:     make([]float64, 3*nOrig+2),
	}
}

// replay steps the paths of chunk on up to workers workers from pool and
// records them.
func (rb *replayBuffers) replay(ctx context.Context, p *plan, chunk []int, pool chan *worker, workers int) error {
	var wg sync.WaitGroup
	var done atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := <-pool
			defer func() { pool <- w }()
			obs := w.obs.(replayObserver)
			for ctx.Err() == nil {
				j := int(done.Add(1)) - 1
				if j >= len(chunk) {
					return
				}
				obs.origins.reset()
				obs.drivers.reset()
				w.run(chunk[j], nil, 0)
				rb.record(p, j, w, obs)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// record stores what worker w recorded on the chunk's path j.
func (rb *replayBuffers) record(p *plan, j int, w *worker, obs replayObserver) {
	for f := range p.nFirm {
		for m := range 2 {
			copy(rb.buf[j*rb.per+(f*2+m)*numChannels*rb.nOrig:], obs.origins.sources(f, m))
		}
		rb.totals[(j*p.nFirm+f)*2] = w.lost[f]
		rb.totals[(j*p.nFirm+f)*2+1] = w.econ[f]
	}
	copy(rb.drivers[j*rb.nDrivers:], obs.drivers.v)
	rb.weights[j] = math.Exp(w.logWeight)
}

// fold adds the chunk's paths to the sinks of refs[next:], in path order,
// and returns the index of the first ref past the chunk.
func (rb *replayBuffers) fold(p *plan, chunk []int, refs []contribRef, next int, sinks []contribSink) (int, error) {
	nOrig, per, nDrivers := rb.nOrig, rb.per, rb.nDrivers
	for j, path := range chunk {
		for ; next < len(refs) && refs[next].path == path; next++ {
			r := refs[next]
			sk := sinks[r.sink]
			if math.IsNaN(r.w) {
				r.w = rb.weights[j]
			}
			if sk.drivers {
				sk.acc.add(path, rb.drivers[j*nDrivers:(j+1)*nDrivers], r.w, r.c, r.win)
				continue
			}
			t := sk.target
			rec := 0.0
			for f := range p.nFirm {
				if t.firm < 0 || t.firm == f {
					rec += rb.totals[(j*p.nFirm+f)*2+t.measure]
				}
			}
			if sk.check && rec != r.x {
				return next, fmt.Errorf("sim: replay of path %d gives loss %v, the run recorded %v", path, rec, r.x)
			}
			x := targetSources(rb.base, rb.buf[j*per:(j+1)*per], t, p.nFirm, numChannels*nOrig)
			extend(rb.ext, x, nOrig)
			sk.acc.add(path, rb.ext, r.w, r.c, r.win)
		}
	}
	return next, nil
}

// targetSources returns target t's source vector from a replayed path's
// attributions: the firm's, or the sum over firms in order for the system.
func targetSources(dst, path []float64, t contribTarget, nFirm, width int) []float64 {
	at := func(f int) []float64 { return path[(f*2+t.measure)*width : (f*2+t.measure+1)*width] }
	if t.firm >= 0 {
		return at(t.firm)
	}
	clear(dst)
	for f := range nFirm {
		for k, v := range at(f) {
			dst[k] += v
		}
	}
	return dst
}
