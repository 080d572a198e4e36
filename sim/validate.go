package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// MaxSteps caps the number of time steps on the horizon, to catch a
// mistaken horizon or step before it exhausts memory.
const MaxSteps = 10_000

// Validate checks the structural invariants the engine relies on, section
// by section. Problems with a value a scenario file sets are *FieldError
// values naming its key path, which package scenarios turns into
// FILE:LINE; the others guard models built in code. All problems are
// joined by errors.Join; each message starts with "sim: ".
func (m *Model) Validate() error {
	return errors.Join(
		m.validateNames(),
		m.Settings.Validate(),
		m.validateTime(),
		m.validateFunding(),
		m.validateRecovery(),
		m.validateCustomers(),
		m.validateFirms(),
		m.validateContracts(),
		m.validateBackers(),
		m.validateFinancing(),
		m.validateTranches(),
	)
}

// problems collects the errors of one section.
type problems []error

// add records a problem without a key path.
func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Errorf("sim: "+format, args...))
}

// field records a problem with the value at key.
func (p *problems) field(key, format string, args ...any) {
	*p = append(*p, fieldErr(key, format, args...))
}

func (p problems) err() error { return errors.Join(p...) }

// validateNames checks the scenario's and the entities' names against
// the name rule (CheckName): they become folder and file names.
func (m *Model) validateNames() error {
	var p problems
	if err := CheckName(m.Name); err != nil {
		p.field("name", "%v", err)
	}
	for id := range EntityID(m.NumEntities()) {
		if err := CheckName(m.EntityName(id)); err != nil {
			p.add("%s %d: name %v", m.Kind(id), id, err)
		}
	}
	return p.err()
}

// validateTime checks that the horizon is a whole number of steps, at most
// MaxSteps.
func (m *Model) validateTime() error {
	var p problems
	if m.StepsPerYear <= 0 {
		p.add("steps per year must be > 0, got %d", m.StepsPerYear)
	}
	if !(m.HorizonYears > 0) {
		p.add("horizon must be > 0 years, got %v", m.HorizonYears)
	} else if m.StepsPerYear > 0 {
		n := m.HorizonYears * float64(m.StepsPerYear)
		switch {
		case math.Abs(n-math.Round(n)) > 1e-9:
			p.field("simulation.horizon_years", "must be a whole number of steps: %s years × %d steps_per_year = %s steps",
				num(m.HorizonYears), m.StepsPerYear, strconv.FormatFloat(n, 'g', 12, 64))
		case math.Round(n) < 1:
			p.field("simulation.horizon_years", "must give at least one step: %s years × %d steps_per_year = %s steps",
				num(m.HorizonYears), m.StepsPerYear, strconv.FormatFloat(n, 'g', 12, 64))
		case math.Round(n) > MaxSteps:
			p.field("simulation.horizon_years", "must give at most %d steps: %s years × %d steps_per_year = %s steps",
				MaxSteps, num(m.HorizonYears), m.StepsPerYear, num(n))
		}
	}
	return p.err()
}

// validateFunding checks the funding market: regimes, the generator and
// the shocks.
func (m *Model) validateFunding() error {
	var p problems
	nr := len(m.Funding.Regimes)
	if nr == 0 {
		p.add("funding: at least one regime is required")
	}
	if m.Funding.Initial < 0 || m.Funding.Initial >= max(nr, 1) {
		p.add("funding: initial regime %d out of range", m.Funding.Initial)
	}
	if g := m.Funding.Generator; g != nil {
		r, c := g.Dims()
		if r != nr || c != nr {
			p.add("funding: generator is %d×%d, want %d×%d", r, c, nr, nr)
		} else {
			for i := range nr {
				sum := 0.0
				for j := range nr {
					v := g.At(i, j)
					if i != j && !(v >= 0) {
						p.add("funding: rate %d→%d must be >= 0, got %v", i, j, v)
					}
					sum += v
				}
				if math.Abs(sum) > 1e-9*(1+math.Abs(g.At(i, i))) {
					p.add("funding: generator row %d sums to %v, want 0", i, sum)
				}
			}
		}
	}
	for _, s := range m.Funding.Shocks {
		if s.Regime < 0 || s.Regime >= nr {
			p.add("funding: shock regime %d out of range", s.Regime)
		}
	}
	for _, r := range m.Funding.Regimes {
		if !(r.CapacityPerYear >= 0) || math.IsInf(r.CapacityPerYear, 1) {
			p.add("funding: regime %s: capacity per year must be >= 0 and finite (0 is unlimited), got %v", r.Name, r.CapacityPerYear)
		}
	}
	return p.err()
}

// validateRecovery checks the recovery model.
func (m *Model) validateRecovery() error {
	var p problems
	if m.Recovery.Mean < 0 || m.Recovery.Mean > 1 {
		p.add("recovery: mean must be in [0, 1], got %v", m.Recovery.Mean)
	}
	if !(m.Recovery.Concentration > 0) {
		p.add("recovery: concentration must be > 0, got %v", m.Recovery.Concentration)
	}
	return p.err()
}

// validateCustomers checks each customer's revenue, growth, shocks and
// funding parameters.
func (m *Model) validateCustomers() error {
	var p problems
	for _, c := range m.Customers {
		if !(c.GrowthHalfLifeYears > 0) {
			p.add("customer %s: growth half-life must be > 0, got %v", c.Name, c.GrowthHalfLifeYears)
		}
		if c.IdioKind == StudentT && !(c.IdioDoF > 2) {
			p.add("customer %s: Student-t degrees of freedom must be > 2, got %v", c.Name, c.IdioDoF)
		}
		if c.Revenue < 0 {
			p.add("customer %s: revenue must be >= 0, got %v", c.Name, c.Revenue)
		}
		if !(math.Abs(c.PlanShortfall) <= 10) {
			p.add("customer %s: plan shortfall must be within ±10 a year, got %v", c.Name, c.PlanShortfall)
		}
		if f := c.Funding; !(f.RoundRate >= 0 && f.UrgencyMultiplier >= 0 && f.RevenueMultiple >= 0 && f.SizeVolatility >= 0) {
			p.add("customer %s: round rate, urgency multiplier, revenue multiple and size volatility must be >= 0, got %v, %v, %v, %v",
				c.Name, f.RoundRate, f.UrgencyMultiplier, f.RevenueMultiple, f.SizeVolatility)
		}
		if f := c.Funding; !(f.TargetRunwayYears >= 0 && f.TargetRunwayYears <= 100 && math.Abs(f.PerformanceElasticity) <= 10) {
			p.add("customer %s: target runway must be in [0, 100] years and performance elasticity within ±10, got %v and %v",
				c.Name, f.TargetRunwayYears, f.PerformanceElasticity)
		}
		if d := c.Distress; !(d.RunwayYears >= 0 && d.RunwayYears <= 100 && d.CostCut >= 0 && d.CostCut <= 1 && d.Haircut >= 0 && d.Haircut <= 1) {
			p.add("customer %s: distress runway must be in [0, 100] years, cost cut and haircut in [0, 1], got %v, %v, %v",
				c.Name, d.RunwayYears, d.CostCut, d.Haircut)
		}
		if d := c.Distress; !(d.DeferralYears >= 0 && d.DeferralYears <= 100) {
			p.add("customer %s: distress deferral must be in [0, 100] years, got %v", c.Name, d.DeferralYears)
		}
		if !(c.LiquidationRevenueMultiple >= 0 && c.LiquidationRevenueMultiple <= 1e6) {
			p.add("customer %s: liquidation revenue multiple must be in [0, 10⁶], got %v", c.Name, c.LiquidationRevenueMultiple)
		}
		if !finiteNonNegative(c.LiquidationValue) {
			p.add("customer %s: liquidation value must be finite and >= 0, got %v", c.Name, c.LiquidationValue)
		}
	}
	return p.err()
}

// validateFirms checks each provider's and supplier's debt, liquidation
// value and diversified pool.
func (m *Model) validateFirms() error {
	var p problems
	firms := append(append([]Firm(nil), m.Providers...), m.Suppliers...)
	for _, f := range firms {
		if !finiteNonNegative(f.Debt) || !finiteNonNegative(f.LiquidationValue) {
			p.add("firm %s: debt and liquidation value must be finite and >= 0, got %v and %v", f.Name, f.Debt, f.LiquidationValue)
		}
		pool := f.Pool
		if pool.AnnualDefaultProbability < 0 || pool.AnnualDefaultProbability > 1 {
			p.add("firm %s: pool default probability must be in [0, 1], got %v", f.Name, pool.AnnualDefaultProbability)
		}
		if pool.Correlation < 0 || pool.Correlation >= 1 {
			p.add("firm %s: pool correlation must be in [0, 1), got %v", f.Name, pool.Correlation)
		}
	}
	return p.err()
}

// validateContracts checks each contract's parties, terms and payment
// schedule: one entry per contract year, summing to the value.
func (m *Model) validateContracts() error {
	var p problems
	ne := EntityID(m.NumEntities())
	for i, c := range m.Contracts {
		switch {
		case c.Payer < 0 || c.Payer >= ne || c.Payee < 0 || c.Payee >= ne:
			p.add("contract %d (%s): party out of range", i, c.Name)
		case c.Payer == c.Payee:
			p.add("contract %d (%s): payer and payee are the same", i, c.Name)
		case m.Kind(c.Payee) == KindCustomer:
			p.add("contract %d (%s): payee must be a provider or supplier", i, c.Name)
		case !(c.TermYears > 0) || c.StartYears < 0 || c.Value < 0:
			p.add("contract %d (%s): needs value >= 0, start >= 0 and term > 0", i, c.Name)
		case c.Profile == Schedule:
			key := fmt.Sprintf("contracts[%d].schedule", i)
			sum := 0.0
			for _, v := range c.YearlySchedule {
				sum += v
			}
			if want := int(math.Ceil(c.TermYears - 1e-9)); len(c.YearlySchedule) != want {
				p.field(key, "must have %d entries, one per contract year of term_years %s, got %d",
					want, num(c.TermYears), len(c.YearlySchedule))
			} else if math.Abs(sum-c.Value) > 1e-9*math.Max(1, math.Abs(c.Value)) {
				p.field(key, "must sum to value %s, got %s", num(c.Value), num(sum))
			}
		}
	}
	return p.err()
}

// validateBackers checks that each backing links a provider or supplier
// to a customer.
func (m *Model) validateBackers() error {
	var p problems
	ne := EntityID(m.NumEntities())
	for i, b := range m.Backers {
		if b.Backer < 0 || b.Backer >= ne || m.Kind(b.Backer) == KindCustomer {
			p.add("backing %d: backer must be a provider or supplier", i)
		}
		if b.Customer < 0 || b.Customer >= ne || m.Kind(b.Customer) != KindCustomer {
			p.add("backing %d: backed entity must be a customer", i)
		}
	}
	return p.err()
}

// validateTranches checks that each tranche goes to a customer from a
// firm (or an outside investor, -1) with a finite amount, times and
// regimes in range.
func (m *Model) validateTranches() error {
	var p problems
	ne := EntityID(m.NumEntities())
	for i, t := range m.Tranches {
		if t.Customer < 0 || t.Customer >= ne || m.Kind(t.Customer) != KindCustomer {
			p.add("tranche %d (%s): must go to a customer", i, t.Name)
		}
		if t.Investor != -1 && (t.Investor < 0 || t.Investor >= ne || m.Kind(t.Investor) == KindCustomer) {
			p.add("tranche %d (%s): investor must be a provider, a supplier or -1", i, t.Name)
		}
		if !(t.Amount >= 0 && t.Amount <= 1e6 && t.StartYears >= 0 && t.ExpiryYears >= 0 && t.MinPerformance >= 0) {
			p.add("tranche %d (%s): needs amount in [0, 10⁶], start, expiry and minimum performance >= 0", i, t.Name)
		}
		for _, r := range t.Regimes {
			if r < 0 || r >= len(m.Funding.Regimes) {
				p.add("tranche %d (%s): regime %d out of range", i, t.Name, r)
			}
		}
	}
	return p.err()
}

func finiteNonNegative(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }
