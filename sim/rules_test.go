package sim

import (
	"errors"
	"math"
	"testing"
)

// TestNumberRules: a number just outside the range NumberRange gives its
// key pattern fails Validate with a *FieldError naming the key a scenario
// file writes it at, with the message the range gives; the value at the
// edge of the range passes.
func TestNumberRules(t *testing.T) {
	for _, tc := range []struct {
		pattern, key string
		field        func(m *Model) *float64
	}{
		{"demand.volatility", "demand.volatility", func(m *Model) *float64 { return &m.Demand.Volatility }},
		{"recovery.concentration", "recovery.concentration", func(m *Model) *float64 { return &m.Recovery.Concentration }},
		{"customers.*.growth_initial", "customers.lab-a.growth_initial", func(m *Model) *float64 { return &m.Customers[0].GrowthInitial }},
		{"customers.*.funding.target_runway_years", "customers.lab-a.funding.target_runway_years",
			func(m *Model) *float64 { return &m.Customers[0].Funding.TargetRunwayYears }},
		{"providers.*.pool.correlation", "providers.big-cloud.pool.correlation", func(m *Model) *float64 { return &m.Providers[0].Pool.Correlation }},
		{"suppliers.*.margin", "suppliers.chips.margin", func(m *Model) *float64 { return &m.Suppliers[0].Margin }},
		{"contracts[].start_years", "contracts[0].start_years", func(m *Model) *float64 { return &m.Contracts[0].StartYears }},
		{"funding.regimes.*.valuation_multiplier", "funding.regimes.open.valuation_multiplier",
			func(m *Model) *float64 { return &m.Funding.Regimes[0].ValuationMultiplier }},
	} {
		t.Run(tc.pattern, func(t *testing.T) {
			m := smallWorld()
			r, ok := NumberRange(tc.pattern)
			if !ok {
				t.Fatalf("NumberRange(%q) = _, false; want a rule", tc.pattern)
			}
			edge, bad := r.Hi, math.Nextafter(r.Hi, math.Inf(1))
			if r.HiOpen {
				edge, bad = math.Nextafter(r.Hi, 0), r.Hi
			}
			if math.IsInf(r.Hi, 1) {
				edge, bad = r.Lo, math.Nextafter(r.Lo, math.Inf(-1))
				if r.LoOpen {
					edge, bad = math.Nextafter(r.Lo, math.Inf(1)), r.Lo
				}
			}
			*tc.field(m) = edge
			if err := m.Validate(); err != nil {
				t.Fatalf("Validate() with %s = %v (the edge of %v) = %v; want nil", tc.key, edge, r, err)
			}
			*tc.field(m) = bad
			var fe *FieldError
			err := m.Validate()
			if !errors.As(err, &fe) || fe.Key != tc.key || fe.Msg != r.Problem(bad) {
				t.Errorf("Validate() with %s = %v = %v; want a *FieldError %s: %s", tc.key, bad, err, tc.key, r.Problem(bad))
			}
		})
	}
	if _, ok := NumberRange("customers.*.colour"); ok {
		t.Error(`NumberRange("customers.*.colour") = _, true; want false`)
	}
}
