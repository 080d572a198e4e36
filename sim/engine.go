package sim

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat/distuv"
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
	// LossDistribution): memory does not grow with the number of paths.
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
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nBlocks := (n + blockSize - 1) / blockSize
	workers = min(workers, nBlocks)
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
func tailBreakdown(ctx context.Context, p *plan, mg *merger, workers int) ([][]float64, error) {
	n := p.m.Paths
	budget := tailFraction * float64(n)
	// Each firm's tail entries, and one reference (path, firm, slot) per
	// entry, sorted by path so that a path in several tails is replayed
	// once. Storage is flat: memory stays proportional to the tails.
	type ref struct {
		path       int
		firm, slot int32
	}
	tailOf := make([][]tailEntry, p.nFirm)
	var refs []ref
	for f := range p.nFirm {
		weight := 0.0
		for _, e := range mg.lost[f].Tail() {
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
	if mg.lostByPath != nil { // exact mode kept every path's breakdown
		offsets := newBlock(p).lostByOffset
		for _, rf := range refs {
			at := rf.path*mg.nSources + offsets[rf.firm]
			copy(out[rf.firm][int(rf.slot)*nSrc[rf.firm]:], mg.lostByPath[at:at+nSrc[rf.firm]])
		}
		rows = 0
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, max(rows, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(p)
			for ctx.Err() == nil {
				r := int(next.Add(1)) - 1
				if r >= rows {
					return
				}
				wk.run(refs[rowStart[r]].path, nil, 0)
				for _, rf := range refs[rowStart[r]:rowStart[r+1]] {
					copy(out[rf.firm][int(rf.slot)*nSrc[rf.firm]:], wk.lostBy[rf.firm])
				}
			}
		}()
	}
	wg.Wait()
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

// worker holds the state of one path and the reusable random streams; one
// per goroutine.
type worker struct {
	p *plan
	// streamPath is the path whose streams this path reads (its antithetic
	// partner's for a twin), anti whether it mirrors them.
	streamPath int
	anti       bool
	// logWeight is the log likelihood ratio of the path so far.
	logWeight float64
	// demandLevel is the demand factor during the current step.
	demandLevel float64

	regime, demand, macro       *stream
	revenue, cashFlow, arrival  []*stream
	size, recovery              []*stream
	cash, lnRev, raised, backed []float64
	custDefault, rounds         []int32

	buffer, lost, econ, poolBal []float64
	firmDefault                 []int32
	lostBy                      [][]float64
	supportUsed                 []float64

	// The path's regime and customers' cash by step (customer-major), and
	// the worker's own time series of unit-weight paths.
	regimeRow []uint16
	cashRow   []float64
	series    *timeSeries

	// Per-step scratch for default propagation.
	inS        []bool // entity in this step's defaulted set
	sList      []EntityID
	estate     []float64 // assets a defaulter distributes
	claims     []float64 // its nominal liabilities
	ratio      []float64 // share of claims it pays (Eisenberg–Noe)
	recov      []float64 // per contract: re-marketing recovery drawn at default
	tentative  []float64
	newlyFirms []EntityID
}

func newWorker(p *plan) *worker {
	ne := p.m.NumEntities()
	w := &worker{
		p:      p,
		regime: newStream(), demand: newStream(), macro: newStream(),
		cash: make([]float64, p.nCust), lnRev: make([]float64, p.nCust),
		raised: make([]float64, p.nCust), backed: make([]float64, p.nCust),
		custDefault: make([]int32, p.nCust), rounds: make([]int32, p.nCust),
		buffer: make([]float64, p.nFirm), lost: make([]float64, p.nFirm),
		econ: make([]float64, p.nFirm), poolBal: make([]float64, p.nFirm),
		firmDefault: make([]int32, p.nFirm),
		lostBy:      newLostBy(p),
		supportUsed: make([]float64, len(p.m.Backers)),
		regimeRow:   make([]uint16, p.steps),
		cashRow:     make([]float64, p.nCust*p.steps),
		series:      newTimeSeries(p),
		inS:         make([]bool, ne),
		estate:      make([]float64, ne),
		claims:      make([]float64, ne),
		ratio:       make([]float64, ne),
		recov:       make([]float64, len(p.con)),
		tentative:   make([]float64, p.nFirm),
	}
	for range p.nCust {
		w.revenue = append(w.revenue, newStream())
		w.cashFlow = append(w.cashFlow, newStream())
		w.arrival = append(w.arrival, newStream())
		w.size = append(w.size, newStream())
	}
	for range p.con {
		w.recovery = append(w.recovery, newStream())
	}
	return w
}

// run simulates path and, if out is not nil, stores its outcomes in slot j
// of out.
func (w *worker) run(path int, out *block, j int) {
	p, m := w.p, w.p.m
	seed := m.Seed
	w.logWeight = 0
	// An antithetic twin reads its partner's streams, mirrored.
	base, anti := path, false
	if p.antithetic {
		base, anti = path&^1, path&1 == 1
	}
	w.streamPath, w.anti = base, anti
	w.regime.reset(seed, base, p.regimeStream, anti)
	w.demand.reset(seed, base, p.demandStream, anti)
	w.macro.reset(seed, base, p.macroStream, anti)
	for i, c := range m.Customers {
		cp := &p.cust[i]
		w.revenue[i].reset(seed, base, cp.revenueStream, anti)
		w.cashFlow[i].reset(seed, base, cp.cashFlowStream, anti)
		w.arrival[i].reset(seed, base, cp.arrivalStream, anti)
		w.size[i].reset(seed, base, cp.sizeStream, anti)
		w.cash[i] = c.Cash
		w.lnRev[i] = math.Log(c.Revenue)
		w.raised[i], w.backed[i], w.rounds[i] = 0, 0, 0
		w.custDefault[i] = -1
	}
	for f := range p.nFirm {
		fm := m.firm(EntityID(p.nCust + f))
		w.buffer[f] = fm.Cash
		w.lost[f], w.econ[f] = 0, 0
		w.poolBal[f] = p.firm[f].poolStart
		w.firmDefault[f] = -1
		clear(w.lostBy[f])
	}

	regime := m.Funding.Initial
	demand := m.Demand.Initial
	macro := 0.0
	year := -1
	for s := range p.steps {
		t0 := float64(s) * p.dt
		if y := int(math.Floor(t0 + 1e-9)); y != year {
			year = y
			clear(w.supportUsed)
		}

		// 1. Funding regime during step s.
		u := w.regime.uniform()
		if s > 0 {
			from := regime
			cdf := p.regimeCDF[from]
			tilted := p.regimeTilted[s] && p.regimeLogRatio != nil
			if tilted {
				cdf = p.regimeSampleCDF[from]
			}
			regime = 0
			for regime < len(cdf)-1 && u >= cdf[regime] {
				regime++
			}
			if tilted {
				w.logWeight += p.regimeLogRatio[from][regime]
			}
		}
		if f := p.forced[s]; f >= 0 {
			regime = f
		}

		// 2. Factors: D and Y are the levels during step s.
		if s > 0 {
			demand = p.demandDecay*demand + p.demandShock*w.shifted(w.demand, p.demandShift[s])
			macro = p.macroDecay*macro + p.macroShock*w.shifted(w.macro, p.macroShift[s])
		} else {
			macro = w.shifted(w.macro, p.macroShift[s])
		}
		w.demandLevel = demand

		// 3. Customers.
		w.sList = w.sList[:0]
		for i := range p.nCust {
			if w.custDefault[i] >= 0 {
				continue
			}
			w.stepCustomer(i, s, regime, demand)
		}

		// 4. Firms: operating cash flow and the diversified pools.
		anyNegative := false
		for f := range p.nFirm {
			if w.firmDefault[f] < 0 {
				w.buffer[f] += p.firm[f].cashFlowPerStep
			}
			w.stepPool(f, t0, macro)
			anyNegative = anyNegative || (w.firmDefault[f] < 0 && w.buffer[f] < 0)
		}

		// 5. Defaults propagate until no new entity defaults.
		if len(w.sList) > 0 || anyNegative {
			w.propagate(s)
		}

		w.regimeRow[s] = uint16(regime)
		for i := range p.nCust {
			w.cashRow[i*p.steps+s] = w.cash[i]
		}
	}
	if out != nil {
		w.store(out, j)
	}
}

// shifted draws a standard normal shock from st under the sampling
// measure: N(shift, 1), multiplying the path's weight by the likelihood
// ratio exp(−shift·z + shift²/2).
func (w *worker) shifted(st *stream, shift float64) float64 {
	z := st.normal()
	if shift == 0 {
		return z
	}
	z += shift
	w.logWeight += -shift*z + shift*shift/2
	return z
}

// stepCustomer moves customer i through step s.
func (w *worker) stepCustomer(i, s, regime int, demand float64) {
	p := w.p
	c := &p.m.Customers[i]
	cp := &p.cust[i]

	runRate := math.Exp(w.lnRev[i])
	revenue := runRate * p.dt
	net := revenue - cp.fixedCost[s] - c.VariableCostShare*revenue + cp.cfNoise*w.cashFlow[i].normal()
	due := 0.0
	for _, k := range p.outgoing[i] {
		due += p.con[k].due[s]
	}
	net -= due

	// Funding round: at most one per step, with probability 1 − e^(−λ·dt).
	ua := w.arrival[i].uniform()
	zs := w.size[i].normal()
	runway := runwayNormal
	burn := -net / p.dt // per year
	switch {
	case c.Funding.MaxRunwayYears > 0 && (burn <= 0 || w.cash[i] > c.Funding.MaxRunwayYears*burn):
		runway = runwayLong
	case burn > 0 && w.cash[i] < c.Funding.RunwayThresholdYears*burn:
		runway = runwayShort
	}
	prob := cp.roundProb[regime][runway]
	round := ua < prob
	if p.arrivalTilt[s] != 1 && prob > 0 {
		// Sample rounds with probability prob·tilt and reweight.
		t := &cp.tilted[regime][runway]
		round = ua < t.prob
		if round {
			w.logWeight += t.logRatioRound
		} else {
			w.logWeight += t.logRatioNone
		}
	}
	if round {
		sv := c.Funding.SizeVolatility
		size := runRate * c.Funding.RevenueMultiple * p.valMult[regime] * math.Exp(sv*zs-sv*sv/2)
		w.raised[i] += size
		w.rounds[i]++
		net += size
	}
	w.cash[i] += net

	// Strategic backers cover a shortfall while they are healthy.
	if w.cash[i] < 0 {
		for _, b := range p.backings[i] {
			bk := &p.m.Backers[b]
			bf := int(bk.Backer) - p.nCust
			if w.firmDefault[bf] >= 0 {
				continue
			}
			amount := math.Min(-w.cash[i], bk.AnnualLimit-w.supportUsed[b])
			if amount > 0 {
				w.cash[i] += amount
				w.supportUsed[b] += amount
				w.backed[i] += amount
				w.buffer[bf] -= amount
			}
			if w.cash[i] >= 0 {
				break
			}
		}
	}

	if w.cash[i] < 0 {
		w.custDefault[i] = int32(s)
		// What it had before paying this step's dues, plus what its assets
		// fetch, goes to its creditors pro rata.
		w.enterDefault(EntityID(i), s, math.Max(w.cash[i]+due, 0)+c.LiquidationValue)
		return
	}

	// Revenue for the next step.
	z := w.shifted(w.revenue[i], p.revenueShift[s])
	if cp.tScale > 0 {
		chi2 := distuv.ChiSquared{K: c.IdioDoF, Src: w.revenue[i].rng}.Rand()
		z = z / math.Sqrt(chi2/c.IdioDoF) * cp.tScale
	}
	w.lnRev[i] = math.Min(w.lnRev[i]+cp.growth[s]+c.DemandLoading*demand*p.dt+cp.idio*z, maxLogRevenue)
}

// stepPool applies step s's defaults and run-off to firm f's diversified
// pool, given the macro factor.
func (w *worker) stepPool(f int, t0, macro float64) {
	fp := &w.p.firm[f]
	bal := w.poolBal[f]
	if bal <= 0 {
		return
	}
	if fp.pool.active {
		l := fp.pool.at(macro) * bal
		bal -= l
		w.lost[f] += l
		w.lostBy[f][len(fp.sources)] += l
		e := fp.poolLGD * l
		w.econ[f] += e
		if w.firmDefault[f] < 0 {
			w.buffer[f] -= e
		}
	}
	// Linear run-off of the surviving balance over the remaining duration.
	left := fp.poolDuration - t0
	if left <= w.p.dt {
		bal = 0
	} else {
		bal *= 1 - w.p.dt/left
	}
	w.poolBal[f] = bal
}

// propagate resolves step s's defaults: the customers that defaulted this
// step (already in sList), and any firm whose buffer the resulting losses
// exhaust, round after round, with the Eisenberg–Noe clearing of what the
// defaulters have left.
func (w *worker) propagate(s int) {
	p := w.p
	for {
		// New firm defaults: buffers already negative, or made so by this
		// step's losses from the current set.
		w.clearing(s)
		clear(w.tentative)
		for _, d := range w.sList {
			for _, k := range p.outgoing[d] {
				c := &p.con[k]
				f := int(c.payee) - p.nCust
				fp := &p.firm[f]
				rem := c.remaining[s]
				w.tentative[f] += (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
			}
		}
		w.newlyFirms = w.newlyFirms[:0]
		for f := range p.nFirm {
			e := EntityID(p.nCust + f)
			if w.firmDefault[f] < 0 && !w.inS[e] && w.buffer[f]-w.tentative[f] < 0 {
				w.newlyFirms = append(w.newlyFirms, e)
			}
		}
		if len(w.newlyFirms) == 0 {
			break
		}
		for _, e := range w.newlyFirms {
			w.enterDefault(e, s, p.m.firm(e).LiquidationValue)
		}
	}
	// Commit the step's losses.
	for _, d := range w.sList {
		for _, k := range p.outgoing[d] {
			c := &p.con[k]
			rem := c.remaining[s]
			if rem <= 0 {
				continue
			}
			f := int(c.payee) - p.nCust
			fp := &p.firm[f]
			w.lost[f] += rem
			w.lostBy[f][fp.sourceIndex[d]] += rem
			e := (fp.margin + fp.stranded) * (1 - w.recov[k]) * rem * (1 - w.ratio[d])
			w.econ[f] += e
			if w.firmDefault[f] < 0 {
				w.buffer[f] -= e
			}
		}
		if f := int(d) - p.nCust; f >= 0 {
			w.firmDefault[f] = int32(s)
		}
		w.inS[d] = false
	}
	w.sList = w.sList[:0]
}

// enterDefault adds entity e to step s's defaulted set with the assets it
// distributes to its creditors, records its claims (remaining contract
// value owed, plus debt for a firm) and draws the re-marketing recovery of
// each contract it stops paying.
func (w *worker) enterDefault(e EntityID, s int, estate float64) {
	p := w.p
	w.inS[e] = true
	w.sList = append(w.sList, e)
	w.estate[e] = estate
	claims := 0.0
	if f := int(e) - p.nCust; f >= 0 {
		claims = p.m.firm(e).Debt
	}
	for _, k := range p.outgoing[e] {
		claims += p.con[k].remaining[s]
		w.recov[k] = w.drawRecovery(k)
	}
	w.claims[e] = claims
}

// drawRecovery draws contract k's re-marketing recovery rate from its own
// stream: Beta with mean clamp(Mean + DemandSlope·D, 0.001, 0.999).
func (w *worker) drawRecovery(k int) float64 {
	r := &w.p.m.Recovery
	mean := math.Min(math.Max(r.Mean+r.DemandSlope*w.demandLevel, 0.001), 0.999)
	if math.IsInf(r.Concentration, 1) {
		return mean
	}
	st := w.recovery[k]
	st.reset(w.p.m.Seed, w.streamPath, w.p.con[k].stream, w.anti)
	x := distuv.Beta{Alpha: mean * r.Concentration, Beta: (1 - mean) * r.Concentration, Src: st.rng}.Rand()
	if math.IsNaN(x) {
		// With both shapes far below 1 both gamma draws can underflow to
		// zero (0/0); the Beta is then all but a Bernoulli(mean).
		if st.uniform() < mean {
			return 1
		}
		return 0
	}
	return x
}

// clearing solves the Eisenberg–Noe clearing ratios of step s's defaulted
// set: the greatest fixed point of
//
//	r_d = min(1, (e_d + Σ_j r_j·L_jd) / L̄_d),
//
// where e_d is d's estate, L_jd what defaulter j owes d and L̄_d all d
// owes, reached by iterating down from full payment (Eisenberg and Noe
// 2001). Creditors outside the set do not pay into it.
func (w *worker) clearing(s int) {
	p := w.p
	for _, d := range w.sList {
		w.ratio[d] = 1
	}
	for range len(w.sList) + 64 {
		change := 0.0
		for _, d := range w.sList {
			if w.claims[d] <= 0 {
				continue
			}
			assets := w.estate[d]
			for _, j := range w.sList {
				for _, k := range p.outgoing[j] {
					if p.con[k].payee == d {
						assets += w.ratio[j] * p.con[k].remaining[s]
					}
				}
			}
			r := math.Min(1, assets/w.claims[d])
			change = math.Max(change, w.ratio[d]-r)
			w.ratio[d] = r
		}
		if change < 1e-12 {
			break
		}
	}
}
