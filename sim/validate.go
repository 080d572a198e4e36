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
// by section; every number is checked against its rule (see NumberRange).
// Problems with a value a scenario file sets are *FieldError values naming
// its key path, which package scenarios turns into FILE:LINE; the others
// guard models built in code. All problems are
// joined by errors.Join; each message starts with "sim: ".
func (m *Model) Validate() error {
	return errors.Join(
		m.validateNames(),
		m.Settings.Validate(),
		m.validateTime(),
		m.validateNumbers(),
		m.validateFunding(),
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
					sum += g.At(i, j)
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
		for _, r := range t.Regimes {
			if r < 0 || r >= len(m.Funding.Regimes) {
				p.add("tranche %d (%s): regime %d out of range", i, t.Name, r)
			}
		}
	}
	return p.err()
}
