package sim

import (
	"math"
)

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
	// runRate[i] is e^lnRev[i], the customer's revenue run-rate, kept
	// beside lnRev so that each step takes one exponential per customer.
	runRate             []float64
	custDefault, rounds []int32

	buffer, lost, econ, poolBal []float64
	firmDefault                 []int32
	lostBy                      [][]float64
	supportUsed                 []float64

	// The venture market: the customers' pending flows of the step, the
	// current simulation year, what the market supplied and what was raised
	// in it so far, and the total raised in each year of the path.
	pend                     []custStep
	year                     int
	yearSupplied, yearRaised float64
	marketYear               []float64

	// Distress and commitments: whether each customer is in distress in the
	// current step and has renegotiated; each contract's remaining share
	// after renegotiation; whether each tranche was paid; what each
	// customer received from tranches and each firm renegotiated away.
	distressed, renegotiated []bool
	conScale                 []float64
	conDefer, conFrom        []int32 // each contract's deferral in steps, and the step after which it starts
	tranchePaid              []bool
	paidScratch              []int // paidTranches' result
	tranched, reneg          []float64

	// The path's regime and customers' cash by step (customer-major), and
	// the worker's own time series of unit-weight paths.
	regimeRow []uint16
	cashRow   []float64
	series    *timeSeries

	// Per-step scratch for default propagation.
	inS        []bool // entity in this step's defaulted set
	sList      []EntityID
	estate     []float64 // assets a defaulter distributes
	pos        []int     // an entity's index in sList, or -1
	ratio      []float64 // share of claims it pays (Eisenberg–Noe)
	recov      []float64 // per contract: re-marketing recovery drawn at default
	tentative  []float64
	tentLost   []float64 // backlog this step's defaulters are about to cost each firm
	newlyFirms []EntityID

	// Firms' financing: original debt outstanding, new borrowing, the
	// regime of the current step, and the revenue share each stake has
	// paid so far.
	debtOld, borrowed  []float64
	regimeNow, stepNow int
	stakePaid          []float64
	// What each firm can still cover a shortfall with: the step's capex
	// and how much of it is deferred, equity issued in the simulation
	// year, and the path's totals of equity issued and capex deferred.
	capexNow, deferNow, equityYear []float64
	equityIssued, capexDeferred    []float64

	// obs, if not nil, is told what happens on the path (replays only).
	obs observer
}

func newWorker(p *plan) *worker {
	ne := p.m.NumEntities()
	w := &worker{
		p:      p,
		regime: newStream(), demand: newStream(), macro: newStream(),
		cash: make([]float64, p.nCust), lnRev: make([]float64, p.nCust), runRate: make([]float64, p.nCust),
		raised: make([]float64, p.nCust), backed: make([]float64, p.nCust),
		custDefault: make([]int32, p.nCust), rounds: make([]int32, p.nCust),
		buffer: make([]float64, p.nFirm), lost: make([]float64, p.nFirm),
		econ: make([]float64, p.nFirm), poolBal: make([]float64, p.nFirm),
		firmDefault: make([]int32, p.nFirm),
		lostBy:      newLostBy(p),
		supportUsed: make([]float64, len(p.m.Backers)),
		pend:        make([]custStep, p.nCust),
		marketYear:  make([]float64, int(math.Ceil(p.m.HorizonYears-1e-9))),
		regimeRow:   make([]uint16, p.steps),
		cashRow:     make([]float64, p.nCust*p.steps),
		series:      newTimeSeries(p),
		inS:         make([]bool, ne),
		estate:      make([]float64, ne),
		pos:         make([]int, ne),
		ratio:       make([]float64, ne),
		recov:       make([]float64, len(p.con)),
		tentative:   make([]float64, p.nFirm),
		tentLost:    make([]float64, p.nFirm),
		debtOld:     make([]float64, p.nFirm),
		borrowed:    make([]float64, p.nFirm),
		stakePaid:   make([]float64, len(p.m.Stakes)),
	}
	w.capexNow, w.deferNow, w.equityYear = make([]float64, p.nFirm), make([]float64, p.nFirm), make([]float64, p.nFirm)
	w.equityIssued, w.capexDeferred = make([]float64, p.nFirm), make([]float64, p.nFirm)
	w.distressed, w.renegotiated = make([]bool, p.nCust), make([]bool, p.nCust)
	w.conScale, w.tranchePaid = make([]float64, len(p.con)), make([]bool, len(p.tranches))
	w.conDefer, w.conFrom = make([]int32, len(p.con)), make([]int32, len(p.con))
	w.tranched, w.reneg = make([]float64, p.nCust), make([]float64, p.nFirm)
	for range p.nCust {
		w.revenue = append(w.revenue, newStream())
		w.cashFlow = append(w.cashFlow, newStream())
		w.arrival = append(w.arrival, newStream())
		w.size = append(w.size, newStream())
	}
	for range p.con {
		w.recovery = append(w.recovery, newStream())
	}
	for e := range w.pos {
		w.pos[e] = -1
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
		w.runRate[i] = math.Exp(w.lnRev[i])
		w.raised[i], w.backed[i], w.rounds[i] = 0, 0, 0
		w.custDefault[i] = -1
		w.distressed[i], w.renegotiated[i], w.tranched[i] = false, false, 0
	}
	for k := range w.conScale {
		w.conScale[k] = 1
	}
	clear(w.conDefer)
	clear(w.tranchePaid)
	clear(w.reneg)
	for f := range p.nFirm {
		fm := m.firm(EntityID(p.nCust + f))
		w.buffer[f] = fm.Cash
		w.debtOld[f], w.borrowed[f] = fm.Debt, 0
		w.lost[f], w.econ[f] = 0, 0
		w.poolBal[f] = p.firm[f].poolStart
		w.firmDefault[f] = -1
		clear(w.lostBy[f])
	}

	clear(w.stakePaid)
	for _, v := range [][]float64{w.capexNow, w.deferNow, w.equityYear, w.equityIssued, w.capexDeferred} {
		clear(v)
	}
	regime := m.Funding.Initial
	demand := m.Demand.Initial
	macro := 0.0
	w.year = -1
	clear(w.marketYear)
	for s := range p.steps {
		t0 := float64(s) * p.dt
		if y := int(math.Floor(t0 + 1e-9)); y != w.year {
			w.year = y
			clear(w.supportUsed)
			clear(w.equityYear)
			w.yearSupplied, w.yearRaised = 0, 0
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

		// 3. Customers: flows and round requests, the market's allocation,
		// then funding, backers, defaults and revenue.
		w.sList = w.sList[:0]
		for i := range p.nCust {
			if w.custDefault[i] < 0 {
				w.customerFlows(i, s, regime)
			}
		}
		share := w.allocateFunding(s, regime)
		for i := range p.nCust {
			if w.custDefault[i] < 0 {
				w.settleCustomer(i, s, share, demand)
			}
		}

		// 4. Firms: cash flows, the diversified pools and refinancing.
		w.regimeNow, w.stepNow = regime, s
		w.accrueStakes(s)
		anyNegative := false
		for f := range p.nFirm {
			alive := w.firmDefault[f] < 0
			if alive {
				w.stepFinancing(f, s, demand)
			}
			w.stepPool(f, t0, macro, regime, demand)
			if alive {
				w.refinance(f)
				anyNegative = anyNegative || w.buffer[f] < 0
			}
		}

		// 5. Defaults propagate until no new entity defaults.
		if len(w.sList) > 0 || anyNegative {
			w.propagate(s)
		}

		if w.obs != nil {
			w.obs.endStep(s, regime, demand, macro)
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
