package sim

import (
	"fmt"
	"hash/fnv"
	"math"
)

// plan is a model compiled for simulation: everything that does not depend
// on the random draws is computed once here, so that the per-path loop only
// looks up slices.
type plan struct {
	m     *Model
	steps int
	dt    float64

	nCust, nFirm int // firms are providers then suppliers; firm f is entity nCust+f

	// regimeCDF[r] is the cumulative per-step transition distribution out of
	// regime r; regimeSampleCDF the one paths are drawn from (the tilted
	// one under importance sampling) and regimeLogRatio[r][r'] the log of
	// the ratio of true to sampling probability (nil without tilt).
	// forced[s] is the regime a shock imposes at step s, or -1.
	regimeCDF       [][]float64
	regimeSampleCDF [][]float64
	regimeLogRatio  [][]float64
	forced          []int
	valMult         []float64
	// capacity[r] is the venture market's supply per year in regime r
	// (+Inf when unlimited).
	capacity []float64

	antithetic bool
	is         ImportanceSampling
	// Per step s: the importance shifts of the demand, macro and revenue
	// shocks, the arrival tilt (1 = none) and whether the regime chain is
	// tilted.
	demandShift, macroShift, revenueShift, arrivalTilt []float64
	regimeTilted                                       []bool

	demandDecay, demandShock float64
	macroDecay, macroShock   float64

	cust []custPlan
	firm []firmPlan
	con  []conPlan

	// tranches[t] is tranche t's window of steps; tranchesOf[c] lists the
	// tranches of customer c.
	tranches   []tranchePlan
	tranchesOf [][]int

	// outgoing[e] lists the contracts entity e pays, incoming[e] those it
	// is paid under; backings[c] the backings of customer c.
	outgoing [][]int
	incoming [][]int
	// stakesIn[e] lists the stakes in entity e (only labs have any).
	stakesIn [][]int
	backings [][]int

	// Stream identifiers, fixed by purpose and name (see streams.go).
	regimeStream, demandStream, macroStream uint64
}

type custPlan struct {
	growth    []float64 // growth[s]: deterministic log-revenue increment over step s, less the plan shortfall
	fixedCost []float64 // fixedCost[s]: fixed cost paid in step s
	lnPlan    []float64 // lnPlan[s]: log revenue on the plan (trend) path at the start of step s
	idio      float64   // idiosyncratic log-revenue volatility × √dt
	tScale    float64   // Student-t scale to unit variance, 0 for normal
	cfNoise   float64   // cash-flow volatility × √dt
	// roundMean[r][u] is the mean number of rounds in one step, λ·dt, in
	// regime r, with u = runwayNormal, runwayShort or runwayLong.
	roundMean [][3]float64
	// streams
	revenueStream, cashFlowStream, arrivalStream, sizeStream uint64
}

// Runway states of a customer at a step (index of custPlan.roundMean).
const (
	runwayNormal = iota
	runwayShort  // runway below RunwayThresholdYears: rate × UrgencyMultiplier
	runwayLong   // runway above MaxRunwayYears, or no burn: no round
)

// tranchePlan is a tranche's window: the steps first..last in which it
// may be paid, and the regimes in which it is (nil: any).
type tranchePlan struct {
	first, last int
	regimes     []bool
}

type firmPlan struct {
	cash             firmCash
	margin, stranded float64
	poolStart        float64        // diversified backlog at time zero
	pool             []vasicekCurve // per regime: per-step default share given the macro factor
	poolLoad         float64        // the pool's demand loading γ
	poolLGD          float64
	poolDuration     float64
	sources          []EntityID // counterparties that owe the firm contracts, in entity order
	sourceIndex      map[EntityID]int
}

type conPlan struct {
	payer, payee EntityID
	// due[s] is the payment falling due in step s; remaining[s] the value
	// still to come at the start of step s (including due[s] and what falls
	// after the horizon).
	due       []float64
	remaining []float64
	stream    uint64
}

// maxLogRevenue caps log revenue (USD bn) so that explosive growth
// parameters cannot overflow: e^13.8 ≈ 10⁶ bn, far above world GDP.
const maxLogRevenue = 13.8

func compile(m *Model) (*plan, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	p := &plan{
		m:     m,
		steps: m.Steps(),
		dt:    m.Dt(),
		nCust: len(m.Customers),
		nFirm: len(m.Providers) + len(m.Suppliers),
	}
	p.compileFunding()
	p.compileFactors()
	for _, c := range m.Customers {
		p.cust = append(p.cust, p.compileCustomer(c))
	}
	incoming := p.compileContracts()
	p.compileFirms(incoming)
	return p, nil
}

// compileFactors prepares the exact discretisations of the demand
// (Ornstein–Uhlenbeck) and macro (AR(1)) factors and the common streams.
func (p *plan) compileFactors() {
	m, dt := p.m, p.dt
	k := m.Demand.MeanReversion
	p.demandDecay = math.Exp(-k * dt)
	if k > 0 {
		p.demandShock = m.Demand.Volatility * math.Sqrt((1-math.Exp(-2*k*dt))/(2*k))
	} else {
		p.demandShock = m.Demand.Volatility * math.Sqrt(dt)
	}
	p.macroDecay = math.Exp(-m.Macro.MeanReversion * dt)
	p.macroShock = math.Sqrt(1 - p.macroDecay*p.macroDecay)

	p.regimeStream = streamID("funding-regime", "")
	p.demandStream = streamID("demand-factor", "")
	p.macroStream = streamID("macro-factor", "")

}

// compileCustomer prepares one customer: per-step growth, plan revenue and
// fixed costs, round arrival means by regime and runway, shock scales and
// streams.
func (p *plan) compileCustomer(c Customer) custPlan {
	m, dt, steps := p.m, p.dt, p.steps
	cp := custPlan{
		growth:    make([]float64, steps),
		fixedCost: make([]float64, steps),
		lnPlan:    make([]float64, steps),
		idio:      c.IdioVolatility * math.Sqrt(dt),
		cfNoise:   c.CashFlowVolatility * math.Sqrt(dt),
	}
	for _, r := range m.Funding.Regimes {
		rate := c.Funding.RoundRate * r.RoundRateMultiplier
		cp.roundMean = append(cp.roundMean, [3]float64{
			runwayNormal: rate * dt,
			runwayShort:  rate * c.Funding.UrgencyMultiplier * dt,
			runwayLong:   0,
		})
	}
	if c.IdioKind == StudentT {
		cp.tScale = math.Sqrt((c.IdioDoF - 2) / c.IdioDoF)
	}
	for s := range steps {
		t0, t1 := float64(s)*dt, float64(s+1)*dt
		cp.growth[s] = growthIntegral(c, t1) - growthIntegral(c, t0) - c.PlanShortfall*dt
		cp.lnPlan[s] = math.Log(c.Revenue) + growthIntegral(c, t0)
		if c.FixedCost != 0 { // 0·exp(overflow) would be NaN
			cp.fixedCost[s] = c.FixedCost * math.Exp(c.FixedCostGrowth*t0) * dt
		}
	}
	cp.revenueStream = streamID("revenue", c.Name)
	cp.cashFlowStream = streamID("cash-flow", c.Name)
	cp.arrivalStream = streamID("round-arrival", c.Name)
	cp.sizeStream = streamID("round-size", c.Name)
	return cp
}

// compileContracts prepares each contract's payments due and value
// remaining by step, the contracts each entity pays and is paid, the
// backings of each customer and the steps and regimes of each committed
// tranche. It returns each entity's total contracted value as payee.
func (p *plan) compileContracts() []float64 {
	m, dt, steps := p.m, p.dt, p.steps
	p.outgoing = make([][]int, m.NumEntities())
	p.incoming = make([][]int, m.NumEntities())
	p.backings = make([][]int, p.nCust)
	incoming := make([]float64, m.NumEntities())
	for i, c := range m.Contracts {
		cp := conPlan{
			payer:     c.Payer,
			payee:     c.Payee,
			due:       make([]float64, steps),
			remaining: make([]float64, steps),
			stream:    streamID("recovery", fmt.Sprintf("%s/%s->%s", c.Name, m.EntityName(c.Payer), m.EntityName(c.Payee))),
		}
		paid := 0.0
		for s := range steps {
			t0, t1 := float64(s)*dt, float64(s+1)*dt
			cp.remaining[s] = c.Value - paid
			cp.due[s] = paidBy(c, t1) - paidBy(c, t0)
			paid += cp.due[s]
		}
		p.con = append(p.con, cp)
		p.outgoing[c.Payer] = append(p.outgoing[c.Payer], i)
		p.incoming[c.Payee] = append(p.incoming[c.Payee], i)
		incoming[c.Payee] += c.Value
	}
	for i, b := range m.Backers {
		p.backings[b.Customer] = append(p.backings[b.Customer], i)
	}
	p.stakesIn = make([][]int, m.NumEntities())
	for i, st := range m.Stakes {
		p.stakesIn[st.Lab] = append(p.stakesIn[st.Lab], i)
	}
	p.tranchesOf = make([][]int, p.nCust)
	for i, t := range m.Tranches {
		tp := tranchePlan{first: int(math.Floor(t.StartYears/dt + 1e-9))}
		tp.last = tp.first
		if t.ExpiryYears > t.StartYears {
			tp.last = max(tp.first, int(math.Ceil(t.ExpiryYears/dt-1e-9))-1)
		}
		if t.Regimes != nil {
			tp.regimes = make([]bool, len(m.Funding.Regimes))
			for _, r := range t.Regimes {
				tp.regimes[r] = true
			}
		}
		p.tranches = append(p.tranches, tp)
		p.tranchesOf[t.Customer] = append(p.tranchesOf[t.Customer], i)
	}

	return incoming
}

// compileFirms prepares each provider and supplier: cash flow, loss
// parameters, its diversified pool (the backlog not under listed
// contracts, incoming[id] being their value) and the sources of its
// losses.
func (p *plan) compileFirms(incoming []float64) {
	m, dt, steps := p.m, p.dt, p.steps
	for f := range p.nFirm {
		id := EntityID(p.nCust + f)
		fm := m.firm(id)
		pool := fm.Pool
		fin := fm.Financing
		fp := firmPlan{
			cash: firmCash{
				spend:    yearlyPerStep(addYearly(fin.Capex, fin.Leases), steps, dt),
				capex:    yearlyPerStep(fin.Capex, steps, dt),
				maturity: yearlyPerStep(fin.Maturities, steps, dt),
				ocf:      ocfPath(fm.OperatingCashFlow, fin.OperatingCashFlowGrowth, steps, dt),
				load:     fin.DemandLoading,
				rate:     fin.InterestRate,
				credit:   fin.Credit,
				backlog:  fm.Backlog,
				capShare: fin.CapexBacklogShare,
				capDefer: fin.CapexDeferrableShare,
			},
			margin:       fm.Margin,
			stranded:     fm.StrandedShare,
			poolStart:    math.Max(fm.Backlog-incoming[id], 0),
			poolLGD:      pool.LossGivenDefault,
			poolDuration: pool.DurationYears,
			sourceIndex:  map[EntityID]int{},
		}
		if fp.poolStart > 0 {
			fp.poolLoad = pool.DemandLoading
			for _, r := range m.Funding.Regimes {
				fp.pool = append(fp.pool, newVasicekCurve(poolStepPD(pool, r, dt), pool.Correlation))
			}
		}
		for _, c := range m.Contracts {
			if c.Payee == id {
				if _, ok := fp.sourceIndex[c.Payer]; !ok {
					fp.sourceIndex[c.Payer] = -1
				}
			}
		}
		for e := range EntityID(m.NumEntities()) {
			if _, ok := fp.sourceIndex[e]; ok {
				fp.sourceIndex[e] = len(fp.sources)
				fp.sources = append(fp.sources, e)
			}
		}
		p.firm = append(p.firm, fp)
	}
}

// groupSize returns the number of paths in an independent group: 2 with
// antithetic pairs, else 1.
func (p *plan) groupSize() int {
	if p.antithetic {
		return 2
	}
	return 1
}

// weighted reports whether paths carry likelihood-ratio weights.
func (p *plan) weighted() bool { return p.is.Active() }

// poolStepPD returns a pool's default probability over one step of length
// dt in regime r: 1 − (1 − p_r)^dt with p_r = min(p·μ_r^(−s), 0.999).
func poolStepPD(pool DiversifiedPool, r FundingRegime, dt float64) float64 {
	pd := pool.AnnualDefaultProbability
	if s := pool.FundingSensitivity; s != 0 && pd > 0 {
		pd = math.Min(pd*math.Pow(r.RoundRateMultiplier, -s), 0.999)
	}
	return -math.Expm1(math.Log1p(-pd) * dt)
}

// addYearly returns the entrywise sum of two yearly lists.
func addYearly(a, b []float64) []float64 {
	out := make([]float64, max(len(a), len(b)))
	for k := range out {
		if k < len(a) {
			out[k] += a[k]
		}
		if k < len(b) {
			out[k] += b[k]
		}
	}
	return out
}

// growthIntegral returns ∫₀ᵗ g(u) du for g(u) = g∞ + (g₀ − g∞)·2^(−u/h).
func growthIntegral(c Customer, t float64) float64 {
	h := c.GrowthHalfLifeYears
	decay := h / math.Ln2 * -math.Expm1(-math.Ln2*t/h) // ∫₀ᵗ 2^(−u/h) du
	return c.GrowthLongRun*t + (c.GrowthInitial-c.GrowthLongRun)*decay
}

// paidBy returns how much of contract c has fallen due by time t.
func paidBy(c Contract, t float64) float64 {
	x := t - c.StartYears
	if x <= 0 {
		return 0
	}
	if x >= c.TermYears {
		return c.Value
	}
	switch c.Profile {
	case Ramp:
		u := x / c.TermYears
		return c.Value * u * u
	case Schedule:
		sum := 0.0
		for k, v := range c.YearlySchedule {
			lo, hi := float64(k), math.Min(float64(k+1), c.TermYears)
			switch {
			case x >= hi:
				sum += v
			case x > lo:
				sum += v * (x - lo) / (hi - lo)
			}
		}
		return sum
	}
	return c.Value * x / c.TermYears
}

// streamID names a random stream by its purpose and the name of the entity
// or contract it serves, so that a scenario that adds, removes or reorders
// entities leaves every other stream unchanged.
func streamID(purpose, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return h.Sum64()
}
