package scenarios

import (
	"fmt"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// entities reads the customers, then the providers, then the suppliers,
// each sorted by name, and numbers them in that order.
func (b *builder) entities(top *table) {
	m := b.m
	names, tables := top.subtables("customers")
	errsBefore := len(b.errs)
	for i, name := range names {
		if !b.entity(name, "customer", tables[i]) {
			continue
		}
		m.Customers = append(m.Customers, b.customer(name, tables[i]))
	}
	b.didYouMean("customers", names, tables, errsBefore)
	names, tables = top.subtables("providers")
	errsBefore = len(b.errs)
	for i, name := range names {
		if b.entity(name, "provider", tables[i]) {
			m.Providers = append(m.Providers, b.firm(name, tables[i]))
		}
	}
	b.didYouMean("providers", names, tables, errsBefore)
	names, tables = top.subtables("suppliers")
	errsBefore = len(b.errs)
	for i, name := range names {
		if b.entity(name, "supplier", tables[i]) {
			m.Suppliers = append(m.Suppliers, b.firm(name, tables[i]))
		}
	}
	b.didYouMean("suppliers", names, tables, errsBefore)
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
		Cash:                       t.modelNum("cash", true, 0),
		Revenue:                    t.modelNum("revenue", true, 0),
		GrowthInitial:              t.modelNum("growth_initial", true, 0),
		GrowthLongRun:              t.modelNum("growth_long_run", true, 0),
		GrowthHalfLifeYears:        t.modelNum("growth_half_life_years", true, 1),
		PlanShortfall:              t.modelNum("plan_shortfall", false, 0),
		DemandLoading:              t.modelNum("demand_loading", false, 1),
		IdioVolatility:             t.modelNum("idio_volatility", false, 0),
		FixedCost:                  t.modelNum("fixed_cost", true, 0),
		FixedCostGrowth:            t.modelNum("fixed_cost_growth", false, 0),
		VariableCostShare:          t.modelNum("variable_cost_share", true, 0),
		CashFlowVolatility:         t.modelNum("cash_flow_volatility", false, 0),
		LiquidationValue:           t.modelNum("liquidation_value", false, 0),
		LiquidationRevenueMultiple: t.modelNum("liquidation_revenue_multiple", false, 0),
	}
	switch t.oneOf("idio_distribution", "normal", "normal", "student-t") {
	case "normal":
		c.IdioKind = sim.Normal
		if n := t.get("idio_dof"); n != nil {
			b.errAt(n, t.key("idio_dof"), `only allowed with idio_distribution = "student-t"`)
		}
	case "student-t":
		c.IdioKind = sim.StudentT
		c.IdioDoF = t.modelNum("idio_dof", true, 5)
	}
	f := t.sub("funding", true)
	c.Funding = sim.CustomerFunding{
		RoundRate:             f.modelNum("round_rate", true, 0),
		RunwayThresholdYears:  f.modelNum("runway_threshold_years", false, 0),
		UrgencyMultiplier:     f.modelNum("urgency_multiplier", false, 1),
		MaxRunwayYears:        f.modelNum("max_runway_years", false, 0),
		RevenueMultiple:       f.modelNum("revenue_multiple", true, 0),
		SizeVolatility:        f.modelNum("size_volatility", false, 0),
		TargetRunwayYears:     f.modelNum("target_runway_years", false, 0),
		PerformanceElasticity: f.modelNum("performance_elasticity", false, 0),
	}
	f.done()
	if d := t.sub("distress", false); d.n != nil {
		c.Distress = sim.Distress{
			RunwayYears:   d.modelNum("runway_years", true, 0),
			CostCut:       d.modelNum("cost_cut", false, 0),
			Haircut:       d.modelNum("haircut", false, 0),
			DeferralYears: d.modelNum("deferral_years", false, 0),
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
		Backlog:           t.modelNum("backlog", true, 0),
		Cash:              t.modelNum("cash", true, 0),
		OperatingCashFlow: t.modelNum("operating_cash_flow", true, 0),
		Debt:              t.modelNum("debt", true, 0),
		LiquidationValue:  t.modelNum("liquidation_value", false, 0),
		Margin:            t.modelNum("margin", true, 0),
		StrandedShare:     t.modelNum("stranded_share", true, 0),
	}
	p := t.sub("pool", true)
	f.Pool = sim.DiversifiedPool{
		AnnualDefaultProbability: p.modelNum("annual_default_probability", true, 0),
		Correlation:              p.modelNum("correlation", true, 0),
		LossGivenDefault:         p.modelNum("loss_given_default", true, 0),
		DurationYears:            p.modelNum("duration_years", true, 1),
		FundingSensitivity:       p.modelNum("funding_sensitivity", false, 0),
		DemandLoading:            p.modelNum("demand_loading", false, 0),
	}
	p.done()
	f.Financing = b.financing(t, f.Debt)
	t.done()
	return f
}

// didYouMean adds a hint to the first "missing required" error of an
// entity of section that lacks several required keys and whose name is
// one typo away from another entity's of that section defined in another
// file: [providers.oracel] in a file that extends the baseline is a new
// provider, not a change to oracle, and lacks every required key.
func (b *builder) didYouMean(section string, names []string, tables []*table, before int) {
	known := map[string]bool{}
	file := map[string]string{}
	for i, n := range names {
		known[n] = true
		if tables[i].n != nil {
			file[n] = tables[i].n.file
		}
	}
	prefix := section + "."
	entityOf := func(e *Error) (string, bool) {
		if !strings.HasPrefix(e.Key, prefix) || !strings.HasPrefix(e.Msg, "missing required") {
			return "", false
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(e.Key, prefix), ".")
		return name, true
	}
	missing := map[string]int{}
	for _, e := range b.errs[before:] {
		if name, ok := entityOf(e); ok {
			missing[name]++
		}
	}
	hinted := map[string]bool{}
	for _, e := range b.errs[before:] {
		name, ok := entityOf(e)
		if !ok || hinted[name] || missing[name] < 3 {
			continue
		}
		hinted[name] = true
		delete(known, name)
		s := suggest(name, known)
		known[name] = true
		if s != "" && file[s] != file[name] {
			e.Msg += fmt.Sprintf(" (%s.%s is a new entity, not %s.%s: did you mean %q?)", section, name, section, s, s)
		}
	}
}
