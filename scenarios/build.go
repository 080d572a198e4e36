package scenarios

import (
	"math"
	"regexp"

	"github.com/backlogsim/backlogsim/sim"
	"gonum.org/v1/gonum/mat"
)

// Limits on sizes, to catch typos before they exhaust memory.
const (
	maxEntities  = 1000
	maxContracts = 100_000
	maxHorizon   = 100 // years
)

// Bounds on magnitudes. They are far beyond any plausible world but keep
// every quantity the engine computes finite: amounts of money (USD bn) at
// most 10⁶, about ten times world GDP and the engine's cap on revenue;
// rates per year and multipliers at most 10⁶; log-growth rates within ±10
// a year and cost growth within ±5 (e^(5·100 years) is still finite);
// volatilities at most 10 per √year. A recovery concentration below 0.1
// makes the Beta draws underflow.
const (
	maxMoney         = 1e6
	maxRate          = 1e6
	minConcentration = 0.1
)

var (
	money      = rng{lo: 0, hi: maxMoney, capped: true}
	rate       = rng{lo: 0, hi: maxRate, capped: true}
	multiplier = rng{lo: 0, hi: maxRate, capped: true}
	growth     = symmetric(10)
	costGrowth = symmetric(5)
	volatility = rng{lo: 0, hi: 10, capped: true}
)

// symmetric is the range [-x, x].
func symmetric(x float64) rng { return rng{lo: -x, hi: x} }

// stepsPerYear lists the allowed values of simulation.steps_per_year.
var stepsPerYear = []int64{1, 2, 4, 12, 52}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// builder turns a resolved node tree into a sim.Model.
type builder struct {
	decoder
	m       *sim.Model
	horizon float64
	ids     map[string]sim.EntityID
	kinds   map[string]string // entity name -> "customer", "provider", "supplier"
	firms   map[string]*table // provider or supplier tables, for backlog errors
}

func buildModel(root *node, file string) (*sim.Model, []*Error) {
	b := &builder{decoder: decoder{file: file}, m: &sim.Model{},
		ids: map[string]sim.EntityID{}, kinds: map[string]string{}, firms: map[string]*table{}}
	top := b.table(root, "")
	m := b.m
	m.Name, _ = top.str("name", false, "")
	if err := sim.CheckName(m.Name); err != nil {
		b.errAt(top.get("name"), "name", "%v", err)
	}
	m.Description, _ = top.str("description", false, "")
	b.simulation(top.sub("simulation", false))
	b.funding(top.sub("funding", true))

	d := top.sub("demand", true)
	m.Demand = sim.DemandFactor{
		Initial:       d.num("initial", false, 0, symmetric(100)),
		MeanReversion: d.num("mean_reversion", true, 0, rate),
		Volatility:    d.num("volatility", true, 0, volatility),
	}
	d.done()
	mac := top.sub("macro", true)
	m.Macro.MeanReversion = mac.num("mean_reversion", true, 0, rng{lo: 0, hi: math.Inf(1), inf: true})
	mac.done()
	r := top.sub("recovery", true)
	m.Recovery = sim.RecoveryModel{
		Mean:          r.num("mean", true, 0, unit),
		DemandSlope:   r.num("demand_slope", false, 0, symmetric(1000)),
		Concentration: r.num("concentration", true, 1, rng{lo: minConcentration, hi: math.Inf(1), inf: true}),
	}
	r.done()

	// Entities: customers, then providers, then suppliers, each sorted by
	// name; ids follow that order.
	names, tables := top.subtables("customers")
	for i, name := range names {
		if !b.entity(name, "customer", tables[i]) {
			continue
		}
		m.Customers = append(m.Customers, b.customer(name, tables[i]))
	}
	names, tables = top.subtables("providers")
	for i, name := range names {
		if b.entity(name, "provider", tables[i]) {
			m.Providers = append(m.Providers, b.firm(name, tables[i]))
		}
	}
	names, tables = top.subtables("suppliers")
	for i, name := range names {
		if b.entity(name, "supplier", tables[i]) {
			m.Suppliers = append(m.Suppliers, b.firm(name, tables[i]))
		}
	}
	if n := m.NumEntities(); n > maxEntities {
		b.errAt(nil, "", "too many entities: %d customers, providers and suppliers, at most %d", n, maxEntities)
	}
	// Assign ids now that all lists are known.
	for i, c := range m.Customers {
		b.ids[c.Name] = sim.EntityID(i)
	}
	for i, p := range m.Providers {
		b.ids[p.Name] = sim.EntityID(len(m.Customers) + i)
	}
	for i, s := range m.Suppliers {
		b.ids[s.Name] = sim.EntityID(len(m.Customers) + len(m.Providers) + i)
	}

	b.contracts(top)
	b.backers(top)
	b.stakes(top)
	b.tranches(top)
	b.sampling(top.sub("sampling", false))
	top.done()
	return m, b.errs
}

func (b *builder) simulation(t *table) {
	m := b.m
	m.Paths = int(t.integer("paths", 100_000, math.MinInt64, math.MaxInt64)) // sim.CheckPaths
	if m.Paths == 1 {
		b.errAt(t.get("paths"), t.key("paths"), "%s", onePath)
	}
	m.Seed = uint64(t.integer("seed", 1, 0, math.MaxInt64))
	m.HorizonYears = t.num("horizon_years", false, 5, rng{lo: 0, hi: maxHorizon, loOpen: true})
	spy := t.integer("steps_per_year", 12, 1, 10_000)
	ok := false
	for _, s := range stepsPerYear {
		ok = ok || s == spy
	}
	if !ok {
		b.errAt(t.get("steps_per_year"), t.key("steps_per_year"), "must be one of 1, 2, 4, 12 or 52, got %d", spy)
		spy = 12
	}
	m.StepsPerYear = int(spy) // whole steps: sim.Model.Validate
	b.horizon = m.HorizonYears
	t.done()
}

// sampling reads the optional [sampling] section: variance reduction. Its
// rules are sim.Sampling.Validate's.
func (b *builder) sampling(t *table) {
	s := &b.m.Sampling
	s.Antithetic = t.boolean("antithetic", false)
	s.Importance = importance(t.sub("importance", false))
	t.done()
}

// onePath explains why a run needs sim.MinPaths paths although the engine
// steps one.
const onePath = "must be at least 2, got 1: a standard error needs two paths"

// importance reads [sampling.importance]; the --importance flag is read by
// the same function (see ParseImportance). Its ranges are
// sim.ImportanceSampling.Validate's.
func importance(is *table) sim.ImportanceSampling {
	v := sim.ImportanceSampling{
		DemandShift:      is.num("demand_shift", false, 0, anyNum),
		MacroShift:       is.num("macro_shift", false, 0, anyNum),
		RevenueShift:     is.num("revenue_shift", false, 0, anyNum),
		RegimeTilt:       is.num("regime_tilt", false, 0, anyNum),
		ArrivalTilt:      is.num("arrival_tilt", false, 0, anyNum),
		WindowYears:      is.num("window_years", false, 0, anyNum),
		MacroWindowYears: is.num("macro_window_years", false, 0, anyNum),
	}
	is.done()
	return v
}

func (b *builder) funding(t *table) {
	f := &b.m.Funding
	regimes := t.sub("regimes", true)
	idx := map[string]int{}
	if regimes.n != nil {
		names := sortedKeys(regimes.n.kids)
		if len(names) == 0 {
			b.errAt(regimes.n, regimes.path, "must define at least one regime")
		}
		for _, name := range names {
			rt := regimes.sub(name, true)
			if rt.n == nil {
				continue
			}
			if !nameRE.MatchString(name) {
				b.errAt(rt.n, rt.path, `regime name must use only letters, digits, "_" and "-"`)
			}
			idx[name] = len(f.Regimes)
			f.Regimes = append(f.Regimes, sim.FundingRegime{
				Name:                name,
				RoundRateMultiplier: rt.num("round_rate_multiplier", false, 1, multiplier),
				ValuationMultiplier: rt.num("valuation_multiplier", false, 1, multiplier),
				CreditLimitCut:      rt.num("credit_limit_cut", false, 0, unit),
				CreditSpreadAdd:     rt.num("credit_spread_add", false, 0, creditRate),
				CapacityPerYear:     rt.num("capacity_per_year", false, 0, rng{lo: 0, hi: maxMoney, loOpen: true, capped: true}),
			})
			rt.done()
		}
	}
	regimeNames := func() string {
		s := make([]string, len(f.Regimes))
		for i, r := range f.Regimes {
			s[i] = r.Name
		}
		return quoteList(s)
	}
	if init, ok := t.str("initial", !regimes.absent, ""); ok {
		if i, ok := idx[init]; ok {
			f.Initial = i
		} else if len(f.Regimes) > 0 {
			b.errAt(t.get("initial"), t.key("initial"), "unknown regime %q; want %s", init, regimeNames())
		}
	}

	rates := t.sub("rates", false)
	if n := len(f.Regimes); n > 1 || rates.n != nil && len(rates.n.kids) > 0 {
		f.Generator = mat.NewDense(max(n, 1), max(n, 1), nil)
	}
	if rates.n != nil {
		for _, from := range sortedKeys(rates.n.kids) {
			row := rates.sub(from, true)
			if row.n == nil {
				continue
			}
			i, ok := idx[from]
			if !ok {
				b.errAt(row.n, row.path, "unknown regime %q; want %s", from, regimeNames())
				row.used = nil
				continue
			}
			for _, to := range sortedKeys(row.n.kids) {
				j, ok := idx[to]
				switch {
				case !ok:
					row.get(to)
					b.errAt(row.n.kids[to], row.key(to), "unknown regime %q; want %s", to, regimeNames())
					continue
				case i == j:
					row.get(to)
					b.errAt(row.n.kids[to], row.key(to), "diagonal rate must not be given: it is minus the sum of the row")
					continue
				}
				q := row.num(to, false, 0, rate)
				f.Generator.Set(i, j, q)
				f.Generator.Set(i, i, f.Generator.At(i, i)-q)
			}
			row.done()
		}
		rates.done()
	}

	for _, st := range t.array("shocks") {
		var s sim.FundingShock
		if name, ok := st.str("regime", true, ""); ok {
			if j, ok := idx[name]; ok {
				s.Regime = j
			} else {
				b.errAt(st.get("regime"), st.key("regime"), "unknown regime %q; want %s", name, regimeNames())
			}
		}
		s.StartYears = st.num("start_years", true, 0, b.beforeHorizon())
		s.DurationYears = st.num("duration_years", true, 0, positive)
		st.done()
		f.Shocks = append(f.Shocks, s)
	}
	t.done()
}

// beforeHorizon is the range of a start time: [0, horizon_years).
func (b *builder) beforeHorizon() rng {
	return rng{lo: 0, hi: b.horizon, hiOpen: true,
		note: " (start times must fall within simulation.horizon_years = " + fmtNum(b.horizon) + ")"}
}

// entity checks the name of a new entity and records its kind.
func (b *builder) entity(name, kind string, t *table) bool {
	if err := sim.CheckName(name); err != nil {
		b.errAt(t.n, t.path, "entity name %v", err)
		return false
	}
	if k, dup := b.kinds[name]; dup {
		b.errAt(t.n, t.path, "duplicate entity name %q (also a %s)", name, k)
		return false
	}
	b.kinds[name] = kind
	return true
}

func (b *builder) customer(name string, t *table) sim.Customer {
	c := sim.Customer{
		Name:                       name,
		Cash:                       t.num("cash", true, 0, money),
		Revenue:                    t.num("revenue", true, 0, money),
		GrowthInitial:              t.num("growth_initial", true, 0, growth),
		GrowthLongRun:              t.num("growth_long_run", true, 0, growth),
		GrowthHalfLifeYears:        t.num("growth_half_life_years", true, 1, positive),
		PlanShortfall:              t.num("plan_shortfall", false, 0, growth),
		DemandLoading:              t.num("demand_loading", false, 1, symmetric(100)),
		IdioVolatility:             t.num("idio_volatility", false, 0, volatility),
		FixedCost:                  t.num("fixed_cost", true, 0, money),
		FixedCostGrowth:            t.num("fixed_cost_growth", false, 0, costGrowth),
		VariableCostShare:          t.num("variable_cost_share", true, 0, multiplier),
		CashFlowVolatility:         t.num("cash_flow_volatility", false, 0, money),
		LiquidationValue:           t.num("liquidation_value", false, 0, money),
		LiquidationRevenueMultiple: t.num("liquidation_revenue_multiple", false, 0, multiplier),
	}
	switch t.oneOf("idio_distribution", "normal", "normal", "student-t") {
	case "normal":
		c.IdioKind = sim.Normal
		if n := t.get("idio_dof"); n != nil {
			b.errAt(n, t.key("idio_dof"), `only allowed with idio_distribution = "student-t"`)
		}
	case "student-t":
		c.IdioKind = sim.StudentT
		c.IdioDoF = t.num("idio_dof", true, 5, rng{lo: 2, hi: math.Inf(1), loOpen: true})
	}
	f := t.sub("funding", true)
	c.Funding = sim.CustomerFunding{
		RoundRate:             f.num("round_rate", true, 0, rate),
		RunwayThresholdYears:  f.num("runway_threshold_years", false, 0, nonNeg),
		UrgencyMultiplier:     f.num("urgency_multiplier", false, 1, multiplier),
		MaxRunwayYears:        f.num("max_runway_years", false, 0, nonNeg),
		RevenueMultiple:       f.num("revenue_multiple", true, 0, multiplier),
		SizeVolatility:        f.num("size_volatility", false, 0, volatility),
		TargetRunwayYears:     f.num("target_runway_years", false, 0, rng{lo: 0, hi: 100}),
		PerformanceElasticity: f.num("performance_elasticity", false, 0, symmetric(10)),
	}
	f.done()
	if d := t.sub("distress", false); d.n != nil {
		c.Distress = sim.Distress{
			RunwayYears:   d.num("runway_years", true, 0, rng{lo: 0, hi: 100}),
			CostCut:       d.num("cost_cut", false, 0, unit),
			Haircut:       d.num("haircut", false, 0, unit),
			DeferralYears: d.num("deferral_years", false, 0, rng{lo: 0, hi: 100}),
		}
		d.done()
	}
	t.done()
	return c
}

func (b *builder) firm(name string, t *table) sim.Firm {
	b.firms[name] = t
	f := sim.Firm{
		Name:              name,
		Backlog:           t.num("backlog", true, 0, money),
		Cash:              t.num("cash", true, 0, money),
		OperatingCashFlow: t.num("operating_cash_flow", true, 0, symmetric(maxMoney)),
		Debt:              t.num("debt", true, 0, money),
		LiquidationValue:  t.num("liquidation_value", false, 0, money),
		Margin:            t.num("margin", true, 0, unit),
		StrandedShare:     t.num("stranded_share", true, 0, unit),
	}
	p := t.sub("pool", true)
	f.Pool = sim.DiversifiedPool{
		AnnualDefaultProbability: p.num("annual_default_probability", true, 0, unit),
		Correlation:              p.num("correlation", true, 0, unitOpen),
		LossGivenDefault:         p.num("loss_given_default", true, 0, unit),
		DurationYears:            p.num("duration_years", true, 1, positive),
		FundingSensitivity:       p.num("funding_sensitivity", false, 0, rng{lo: 0, hi: 10}),
		DemandLoading:            p.num("demand_loading", false, 0, symmetric(100)),
	}
	p.done()
	f.Financing = b.financing(t, f.Debt)
	t.done()
	return f
}

// party resolves a contract or backing party, reporting unknown names.
func (b *builder) party(t *table, k string) (string, sim.EntityID, bool) {
	name, ok := t.str(k, true, "")
	if !ok {
		return "", 0, false
	}
	id, ok := b.ids[name]
	if !ok {
		b.errAt(t.get(k), t.key(k), "unknown entity %q", name)
	}
	return name, id, ok
}

func (b *builder) contracts(top *table) {
	arr := top.array("contracts")
	if len(arr) > maxContracts {
		b.errAt(top.get("contracts"), "contracts", "too many contracts: %d, at most %d", len(arr), maxContracts)
		return
	}
	listed := map[string]float64{}
	for _, t := range arr {
		var c sim.Contract
		payer, pid, okPayer := b.party(t, "payer")
		payee, qid, okPayee := b.party(t, "payee")
		c.Payer, c.Payee = pid, qid
		if okPayee && b.kinds[payee] == "customer" {
			b.errAt(t.get("payee"), t.key("payee"), "must be a provider or supplier, got customer %q (customers only pay)", payee)
			okPayee = false
		}
		if okPayer && okPayee && payer == payee {
			b.errAt(t.get("payee"), t.key("payee"), "must differ from payer, got %q for both", payee)
			okPayee = false
		}
		c.Name, _ = t.str("name", false, payer+"->"+payee)
		c.Value = t.num("value", true, 0, rng{lo: 0, hi: maxMoney, loOpen: true, capped: true})
		c.StartYears = t.num("start_years", false, 0, b.beforeHorizon())
		c.TermYears = t.num("term_years", true, 1, rng{lo: 0, hi: maxHorizon, loOpen: true})
		profile := t.oneOf("profile", "flat", "flat", "ramp", "schedule")
		switch profile {
		case "flat":
			c.Profile = sim.Flat
		case "ramp":
			c.Profile = sim.Ramp
		case "schedule":
			c.Profile = sim.Schedule
		}
		sched, ok := t.nums("schedule", money)
		switch {
		case profile == "schedule" && t.get("schedule") == nil:
			t.missing("schedule", `key (profile = "schedule")`)
		case profile != "schedule" && t.get("schedule") != nil:
			b.errAt(t.get("schedule"), t.key("schedule"), `only allowed with profile = "schedule", got profile %q`, profile)
		case ok:
			c.YearlySchedule = sched // its length and sum: sim.Model.Validate
		}
		t.get("remove") // consumed by the extends merge
		t.done()
		if okPayee {
			listed[payee] += c.Value
		}
		b.m.Contracts = append(b.m.Contracts, c)
	}
	// Each firm's backlog must cover its listed contracts; the rest is the
	// diversified pool.
	check := func(fs []sim.Firm) {
		for _, f := range fs {
			sum := listed[f.Name]
			if sum > f.Backlog*(1+1e-9)+1e-9 {
				t := b.firms[f.Name]
				b.errAt(t.get("backlog"), t.key("backlog"),
					"must be >= %s, the sum of listed contracts with %s as payee, got %s",
					fmtNum(math.Round(sum*1e6)/1e6), f.Name, fmtNum(f.Backlog))
			}
		}
	}
	check(b.m.Providers)
	check(b.m.Suppliers)
}

func (b *builder) backers(top *table) {
	for _, t := range top.array("backers") {
		var k sim.Backing
		backer, id, ok := b.party(t, "backer")
		if ok && b.kinds[backer] != "provider" {
			b.errAt(t.get("backer"), t.key("backer"), "must be a provider, got %s %q", b.kinds[backer], backer)
		}
		k.Backer = id
		cust, id, ok := b.party(t, "customer")
		if ok && b.kinds[cust] != "customer" {
			b.errAt(t.get("customer"), t.key("customer"), "must be a customer, got %s %q", b.kinds[cust], cust)
		}
		k.Customer = id
		k.AnnualLimit = t.num("annual_limit", true, 0, money)
		t.done()
		b.m.Backers = append(b.m.Backers, k)
	}
}

// tranches reads the committed investments ([[tranches]]).
func (b *builder) tranches(top *table) {
	regimes := map[string]int{}
	for i, r := range b.m.Funding.Regimes {
		regimes[r.Name] = i
	}
	for _, t := range top.array("tranches") {
		tr := sim.Tranche{Investor: -1}
		tr.Name, _ = t.str("name", true, "")
		cust, id, ok := b.party(t, "customer")
		if ok && b.kinds[cust] != "customer" {
			b.errAt(t.get("customer"), t.key("customer"), "must be a customer, got %s %q", b.kinds[cust], cust)
		}
		tr.Customer = id
		if t.get("investor") != nil {
			inv, id, ok := b.party(t, "investor")
			if ok && b.kinds[inv] == "customer" {
				b.errAt(t.get("investor"), t.key("investor"), "must be a provider or supplier, got customer %q", inv)
			}
			tr.Investor = id
		}
		tr.Amount = t.num("amount", true, 0, money)
		tr.StartYears = t.num("start_years", true, 0, rng{lo: 0, hi: maxHorizon})
		tr.ExpiryYears = t.num("expiry_years", false, 0, rng{lo: 0, hi: maxHorizon})
		if tr.ExpiryYears != 0 && tr.ExpiryYears <= tr.StartYears {
			b.errAt(t.get("expiry_years"), t.key("expiry_years"), "must be after start_years %s, got %s", fmtNum(tr.StartYears), fmtNum(tr.ExpiryYears))
		}
		tr.MinPerformance = t.num("min_performance", false, 0, rng{lo: 0, hi: maxRate, capped: true})
		if n := t.get("regimes"); n != nil {
			list, ok := n.val.([]any)
			if !ok || n.kind != leafNode {
				b.errAt(n, t.key("regimes"), "must be an array of regime names, got %s", describe(n))
			}
			for i, x := range list {
				name, isString := x.(string)
				r, known := regimes[name]
				switch {
				case !isString:
					b.errAt(n, index(t.key("regimes"), i), "must be a regime name, got %s", describeValue(x))
					continue
				case !known:
					b.errAt(n, index(t.key("regimes"), i), "unknown regime %q; want %s", name, quoteList(sortedKeys(regimes)))
					continue
				}
				tr.Regimes = append(tr.Regimes, r)
			}
		}
		t.get("remove") // consumed by the extends merge
		t.done()
		b.m.Tranches = append(b.m.Tranches, tr)
	}
}
