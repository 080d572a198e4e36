package scenarios

import (
	"math"

	"github.com/backlogsim/backlogsim/sim"
)

// entities reads the customers, then the providers, then the suppliers,
// each sorted by name, and numbers them in that order.
func (b *builder) entities(top *table) {
	m := b.m
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
}

// customer reads one [customers.NAME] table.
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
