package sim

import (
	"errors"
	"strconv"
	"strings"
)

// The rules below give the range of every number of a model, under the
// key that a scenario file writes it at, relative to its section. They are
// the one statement of those ranges: Model.Validate checks a model against
// them and package scenarios reads each number of a file with the range
// that NumberRange returns for its key. A file asks one thing more: that
// start times fall within the horizon.

// A rule binds the key of a number to its range and reads the number from
// a section of type T.
type rule[T any] struct {
	key string
	r   Range
	get func(*T) float64
	// set, if not nil, says whether the number is set: unset numbers (an
	// unlimited capacity, the degrees of freedom of a normal) are not
	// checked.
	set func(*T) bool
}

// A listRule is a rule for each number of a list.
type listRule[T any] struct {
	key string
	r   Range
	get func(*T) []float64
}

// section is the rules of one section of a model.
type section[T any] struct {
	rules []rule[T]
	lists []listRule[T]
}

func (s section[T]) find(key string) (Range, bool) {
	for _, r := range s.rules {
		if r.key == key {
			return r.r, true
		}
	}
	for _, r := range s.lists {
		if r.key+"[]" == key {
			return r.r, true
		}
	}
	return Range{}, false
}

// check appends to p the problems of x, a section at key path prefix.
func (s section[T]) check(p *problems, prefix string, x *T) {
	for _, r := range s.rules {
		if r.set != nil && !r.set(x) {
			continue
		}
		if msg := r.r.Problem(r.get(x)); msg != "" {
			*p = append(*p, &FieldError{Key: prefix + r.key, Msg: msg})
		}
	}
	for _, r := range s.lists {
		for i, v := range r.get(x) {
			if msg := r.r.Problem(v); msg != "" {
				*p = append(*p, &FieldError{Key: prefix + r.key + "[" + strconv.Itoa(i) + "]", Msg: msg})
			}
		}
	}
}

var demandRules = section[DemandFactor]{rules: []rule[DemandFactor]{
	{key: "initial", r: Symmetric(100), get: func(d *DemandFactor) float64 { return d.Initial }},
	{key: "mean_reversion", r: rate, get: func(d *DemandFactor) float64 { return d.MeanReversion }},
	{key: "volatility", r: volatility, get: func(d *DemandFactor) float64 { return d.Volatility }},
}}

var macroRules = section[MacroFactor]{rules: []rule[MacroFactor]{
	{key: "mean_reversion", r: Range{Lo: 0, Hi: posInf, Inf: true}, get: func(m *MacroFactor) float64 { return m.MeanReversion }},
}}

var recoveryRules = section[RecoveryModel]{rules: []rule[RecoveryModel]{
	{key: "mean", r: unit, get: func(r *RecoveryModel) float64 { return r.Mean }},
	{key: "demand_slope", r: Symmetric(1000), get: func(r *RecoveryModel) float64 { return r.DemandSlope }},
	{key: "concentration", r: Range{Lo: MinConcentration, Hi: posInf, Inf: true}, get: func(r *RecoveryModel) float64 { return r.Concentration }},
}}

var regimeRules = section[FundingRegime]{rules: []rule[FundingRegime]{
	{key: "round_rate_multiplier", r: multiplier, get: func(r *FundingRegime) float64 { return r.RoundRateMultiplier }},
	{key: "valuation_multiplier", r: multiplier, get: func(r *FundingRegime) float64 { return r.ValuationMultiplier }},
	{key: "credit_limit_cut", r: unit, get: func(r *FundingRegime) float64 { return r.CreditLimitCut }},
	{key: "credit_spread_add", r: creditRate, get: func(r *FundingRegime) float64 { return r.CreditSpreadAdd }},
	{key: "equity_market_cut", r: unit, get: func(r *FundingRegime) float64 { return r.EquityMarketCut }},
	// 0, the default, is an unlimited market.
	{key: "capacity_per_year", r: Range{Lo: 0, Hi: MaxMoney, LoOpen: true, Capped: true},
		get: func(r *FundingRegime) float64 { return r.CapacityPerYear }, set: func(r *FundingRegime) bool { return r.CapacityPerYear != 0 }},
}}

var shockRules = section[FundingShock]{rules: []rule[FundingShock]{
	{key: "start_years", r: years, get: func(s *FundingShock) float64 { return s.StartYears }},
	{key: "duration_years", r: positive, get: func(s *FundingShock) float64 { return s.DurationYears }},
}}

var customerRules = section[Customer]{rules: []rule[Customer]{
	{key: "cash", r: money, get: func(c *Customer) float64 { return c.Cash }},
	{key: "revenue", r: money, get: func(c *Customer) float64 { return c.Revenue }},
	{key: "growth_initial", r: growth, get: func(c *Customer) float64 { return c.GrowthInitial }},
	{key: "growth_long_run", r: growth, get: func(c *Customer) float64 { return c.GrowthLongRun }},
	{key: "growth_half_life_years", r: positive, get: func(c *Customer) float64 { return c.GrowthHalfLifeYears }},
	{key: "plan_shortfall", r: growth, get: func(c *Customer) float64 { return c.PlanShortfall }},
	{key: "demand_loading", r: Symmetric(100), get: func(c *Customer) float64 { return c.DemandLoading }},
	{key: "idio_volatility", r: volatility, get: func(c *Customer) float64 { return c.IdioVolatility }},
	{key: "idio_dof", r: Range{Lo: 2, Hi: posInf, LoOpen: true}, get: func(c *Customer) float64 { return c.IdioDoF },
		set: func(c *Customer) bool { return c.IdioKind == StudentT }},
	{key: "fixed_cost", r: money, get: func(c *Customer) float64 { return c.FixedCost }},
	{key: "fixed_cost_growth", r: costGrowth, get: func(c *Customer) float64 { return c.FixedCostGrowth }},
	{key: "variable_cost_share", r: multiplier, get: func(c *Customer) float64 { return c.VariableCostShare }},
	{key: "cash_flow_volatility", r: money, get: func(c *Customer) float64 { return c.CashFlowVolatility }},
	{key: "liquidation_value", r: money, get: func(c *Customer) float64 { return c.LiquidationValue }},
	{key: "liquidation_revenue_multiple", r: multiplier, get: func(c *Customer) float64 { return c.LiquidationRevenueMultiple }},
	{key: "funding.round_rate", r: rate, get: func(c *Customer) float64 { return c.Funding.RoundRate }},
	{key: "funding.runway_threshold_years", r: nonNegative, get: func(c *Customer) float64 { return c.Funding.RunwayThresholdYears }},
	{key: "funding.urgency_multiplier", r: multiplier, get: func(c *Customer) float64 { return c.Funding.UrgencyMultiplier }},
	{key: "funding.max_runway_years", r: nonNegative, get: func(c *Customer) float64 { return c.Funding.MaxRunwayYears }},
	{key: "funding.revenue_multiple", r: multiplier, get: func(c *Customer) float64 { return c.Funding.RevenueMultiple }},
	{key: "funding.size_volatility", r: volatility, get: func(c *Customer) float64 { return c.Funding.SizeVolatility }},
	{key: "funding.target_runway_years", r: years, get: func(c *Customer) float64 { return c.Funding.TargetRunwayYears }},
	{key: "funding.performance_elasticity", r: Symmetric(10), get: func(c *Customer) float64 { return c.Funding.PerformanceElasticity }},
	{key: "distress.runway_years", r: years, get: func(c *Customer) float64 { return c.Distress.RunwayYears }},
	{key: "distress.cost_cut", r: unit, get: func(c *Customer) float64 { return c.Distress.CostCut }},
	{key: "distress.haircut", r: unit, get: func(c *Customer) float64 { return c.Distress.Haircut }},
	{key: "distress.deferral_years", r: years, get: func(c *Customer) float64 { return c.Distress.DeferralYears }},
}}

var firmRules = section[Firm]{
	rules: []rule[Firm]{
		{key: "backlog", r: money, get: func(f *Firm) float64 { return f.Backlog }},
		{key: "cash", r: money, get: func(f *Firm) float64 { return f.Cash }},
		{key: "operating_cash_flow", r: Symmetric(MaxMoney), get: func(f *Firm) float64 { return f.OperatingCashFlow }},
		{key: "debt", r: money, get: func(f *Firm) float64 { return f.Debt }},
		{key: "liquidation_value", r: money, get: func(f *Firm) float64 { return f.LiquidationValue }},
		{key: "margin", r: unit, get: func(f *Firm) float64 { return f.Margin }},
		{key: "stranded_share", r: unit, get: func(f *Firm) float64 { return f.StrandedShare }},
		{key: "pool.annual_default_probability", r: unit, get: func(f *Firm) float64 { return f.Pool.AnnualDefaultProbability }},
		{key: "pool.correlation", r: unitOpen, get: func(f *Firm) float64 { return f.Pool.Correlation }},
		{key: "pool.loss_given_default", r: unit, get: func(f *Firm) float64 { return f.Pool.LossGivenDefault }},
		// 0 is no pool, in a model built in code whose backlog is all
		// contracts.
		{key: "pool.duration_years", r: positive, get: func(f *Firm) float64 { return f.Pool.DurationYears },
			set: func(f *Firm) bool { return f.Pool.DurationYears != 0 }},
		{key: "pool.funding_sensitivity", r: Range{Lo: 0, Hi: 10}, get: func(f *Firm) float64 { return f.Pool.FundingSensitivity }},
		{key: "pool.demand_loading", r: Symmetric(100), get: func(f *Firm) float64 { return f.Pool.DemandLoading }},
		{key: "demand_loading", r: Symmetric(MaxMoney), get: func(f *Firm) float64 { return f.Financing.DemandLoading }},
		{key: "interest_rate", r: creditRate, get: func(f *Firm) float64 { return f.Financing.InterestRate }},
		{key: "operating_cash_flow_growth", r: costGrowth, get: func(f *Firm) float64 { return f.Financing.OperatingCashFlowGrowth }},
		{key: "capex_backlog_share", r: unit, get: func(f *Firm) float64 { return f.Financing.CapexBacklogShare }},
		{key: "capex_deferrable_share", r: unit, get: func(f *Firm) float64 { return f.Financing.CapexDeferrableShare }},
		{key: "credit.max_leverage", r: Range{Lo: 0, Hi: 100}, get: func(f *Firm) float64 { return f.Financing.Credit.MaxLeverage }},
		{key: "credit.spread", r: creditRate, get: func(f *Firm) float64 { return f.Financing.Credit.Spread }},
		{key: "credit.backlog_advance", r: unit, get: func(f *Firm) float64 { return f.Financing.Credit.BacklogAdvance }},
		{key: "credit.cut_exemption", r: unit, get: func(f *Firm) float64 { return f.Financing.Credit.CutExemption }},
		{key: "credit.equity_per_year", r: money, get: func(f *Firm) float64 { return f.Financing.Credit.EquityPerYear }},
	},
	lists: []listRule[Firm]{
		{key: "capex", r: money, get: func(f *Firm) []float64 { return f.Financing.Capex }},
		{key: "leases", r: money, get: func(f *Firm) []float64 { return f.Financing.Leases }},
		{key: "maturities", r: money, get: func(f *Firm) []float64 { return f.Financing.Maturities }},
	},
}

var contractRules = section[Contract]{
	rules: []rule[Contract]{
		// A model built in code may hold a contract of value 0, which pays
		// nothing.
		{key: "value", r: Range{Lo: 0, Hi: MaxMoney, LoOpen: true, Capped: true}, get: func(c *Contract) float64 { return c.Value },
			set: func(c *Contract) bool { return c.Value != 0 }},
		{key: "start_years", r: years, get: func(c *Contract) float64 { return c.StartYears }},
		{key: "term_years", r: Range{Lo: 0, Hi: MaxHorizonYears, LoOpen: true}, get: func(c *Contract) float64 { return c.TermYears }},
	},
	lists: []listRule[Contract]{
		{key: "schedule", r: money, get: func(c *Contract) []float64 { return c.YearlySchedule }},
	},
}

var backingRules = section[Backing]{rules: []rule[Backing]{
	{key: "annual_limit", r: money, get: func(b *Backing) float64 { return b.AnnualLimit }},
}}

var trancheRules = section[Tranche]{rules: []rule[Tranche]{
	{key: "amount", r: money, get: func(t *Tranche) float64 { return t.Amount }},
	{key: "start_years", r: years, get: func(t *Tranche) float64 { return t.StartYears }},
	{key: "expiry_years", r: years, get: func(t *Tranche) float64 { return t.ExpiryYears }},
	{key: "min_performance", r: rate, get: func(t *Tranche) float64 { return t.MinPerformance }},
}}

var stakeRules = section[Stake]{rules: []rule[Stake]{
	{key: "value", r: money, get: func(s *Stake) float64 { return s.Value }},
	{key: "revenue_share", r: unit, get: func(s *Stake) float64 { return s.RevenueShare }},
	{key: "revenue_share_end_years", r: years, get: func(s *Stake) float64 { return s.RevenueShareEndYears }},
	{key: "revenue_share_cap", r: money, get: func(s *Stake) float64 { return s.RevenueShareCap }},
}}

var posInf = anyNumber.Hi

// NumberRange returns the range of the number at key pattern, a key path
// of a scenario file with "*" for the name of an entity or regime and
// "[]" for the index of an element of an array ("customers.*.cash",
// "contracts[].schedule[]", "funding.rates.*.*"); ok is false for a key
// that is not a number of the model.
func NumberRange(pattern string) (r Range, ok bool) {
	for _, s := range []struct {
		prefix string
		find   func(string) (Range, bool)
	}{
		{"demand.", demandRules.find},
		{"macro.", macroRules.find},
		{"recovery.", recoveryRules.find},
		{"funding.regimes.*.", regimeRules.find},
		{"funding.shocks[].", shockRules.find},
		{"customers.*.", customerRules.find},
		{"providers.*.", firmRules.find},
		{"suppliers.*.", firmRules.find},
		{"contracts[].", contractRules.find},
		{"backers[].", backingRules.find},
		{"tranches[].", trancheRules.find},
		{"stakes[].", stakeRules.find},
	} {
		if key, found := strings.CutPrefix(pattern, s.prefix); found {
			if r, ok = s.find(key); ok {
				return r, true
			}
		}
	}
	if pattern == "funding.rates.*.*" {
		return rate, true
	}
	return Range{}, false
}

// validateNumbers checks every number of m that a rule covers against its
// range, naming it by its key path.
func (m *Model) validateNumbers() error {
	var p problems
	demandRules.check(&p, "demand.", &m.Demand)
	macroRules.check(&p, "macro.", &m.Macro)
	recoveryRules.check(&p, "recovery.", &m.Recovery)
	for i := range m.Funding.Regimes {
		r := &m.Funding.Regimes[i]
		regimeRules.check(&p, "funding.regimes."+r.Name+".", r)
	}
	for i := range m.Funding.Shocks {
		shockRules.check(&p, "funding.shocks["+strconv.Itoa(i)+"].", &m.Funding.Shocks[i])
	}
	if g := m.Funding.Generator; g != nil {
		if r, c := g.Dims(); r == len(m.Funding.Regimes) && c == r {
			for i, from := range m.Funding.Regimes {
				for j, to := range m.Funding.Regimes {
					if msg := rate.Problem(g.At(i, j)); i != j && msg != "" {
						p = append(p, &FieldError{Key: "funding.rates." + from.Name + "." + to.Name, Msg: msg})
					}
				}
			}
		}
	}
	for i := range m.Customers {
		customerRules.check(&p, "customers."+m.Customers[i].Name+".", &m.Customers[i])
	}
	for i := range m.Providers {
		firmRules.check(&p, "providers."+m.Providers[i].Name+".", &m.Providers[i])
	}
	for i := range m.Suppliers {
		firmRules.check(&p, "suppliers."+m.Suppliers[i].Name+".", &m.Suppliers[i])
	}
	for i := range m.Contracts {
		contractRules.check(&p, "contracts["+strconv.Itoa(i)+"].", &m.Contracts[i])
	}
	for i := range m.Backers {
		backingRules.check(&p, "backers["+strconv.Itoa(i)+"].", &m.Backers[i])
	}
	for i := range m.Tranches {
		trancheRules.check(&p, "tranches["+strconv.Itoa(i)+"].", &m.Tranches[i])
	}
	for i := range m.Stakes {
		stakeRules.check(&p, "stakes["+strconv.Itoa(i)+"].", &m.Stakes[i])
	}
	return errors.Join(p...)
}
