package scenarios

import (
	"strings"
	"testing"
)

// TestAssumptionsSources checks the assumptions table of a small scenario
// that extends another: values from both files with the comment beside or
// above each, units, and the command line's paths.
func TestAssumptionsSources(t *testing.T) {
	parent := []byte(`name = "parent"
[simulation]
paths = 1000   # enough for a test
seed = 4

[funding]
initial = "open"
[funding.regimes.open]
# the reference regime
# (two comment lines)
round_rate_multiplier = 1.0

[demand]
mean_reversion = 0.5  # estimate: a "quoted # sign" stays in the comment
volatility = 0.2

[macro]
mean_reversion = 1.0

[recovery]
mean = 0.4
concentration = 5.0

[customers.lab]
cash = 4.0          # calibration: 2026-03 filing
revenue = 6.0
growth_initial = 0.5
growth_long_run = 0.1
growth_half_life_years = 1.0
fixed_cost = 8.0
variable_cost_share = 0.2
[customers.lab.funding]
round_rate = 2.0    # estimate: two rounds a year
revenue_multiple = 2.0

[providers.cloud]
backlog = 80.0
cash = 3.0
operating_cash_flow = 4.0
debt = 5.0
margin = 0.3
stranded_share = 0.4
[providers.cloud.pool]
annual_default_probability = 0.02
correlation = 0.2
loss_given_default = 0.5
duration_years = 2.0

[[contracts]]
name = "lab-cloud"
payer = "lab"
payee = "cloud"
value = 40.0        # the 2025 deal
term_years = 4.0
`)
	child := []byte(`extends = "parent.toml"
name = "child"
[customers.lab]
cash = 2.0   # a stress: half the cash
`)
	resolve := func(from, ref string) ([]byte, string, error) { return parent, ref, nil }
	sc, err := LoadBytes("child.toml", child, resolve)
	if err != nil {
		t.Fatalf("LoadBytes = %v", err)
	}
	m := *sc.Model
	m.Paths = 5000
	as := sc.Assumptions(&m)
	find := func(entity, key string) Assumption {
		t.Helper()
		for _, a := range as {
			if a.Entity == entity && a.Key == key {
				return a
			}
		}
		t.Fatalf("no assumption %s %s in %+v", entity, key, as)
		return Assumption{}
	}
	for _, tc := range []struct {
		entity, key, value, unit, source, file string
	}{
		{"simulation", "paths", "5000", "", "set on the command line", ""},
		{"simulation", "seed", "4", "", "", "parent.toml"},
		{"funding", "regimes.open.round_rate_multiplier", "1", "", "the reference regime (two comment lines)", "parent.toml"},
		{"demand", "mean_reversion", "0.5", "per year", `estimate: a "quoted # sign" stays in the comment`, "parent.toml"},
		{"lab", "cash", "2", "USD bn", "a stress: half the cash", "child.toml"},
		{"lab", "funding.round_rate", "2", "rounds/year", "estimate: two rounds a year", "parent.toml"},
		{"cloud", "pool.loss_given_default", "0.5", "share", "", "parent.toml"},
		{"contract lab-cloud", "value", "40", "USD bn", "the 2025 deal", "parent.toml"},
		{"contract lab-cloud", "payer", `"lab"`, "", "", "parent.toml"},
		{"funding", "initial", `"open"`, "", "", "parent.toml"},
	} {
		a := find(tc.entity, tc.key)
		if a.Value != tc.value || a.Unit != tc.unit || a.Source != tc.source || a.File != tc.file {
			t.Errorf("%s %s = %+v; want value %s, unit %q, source %q, file %q", tc.entity, tc.key, a, tc.value, tc.unit, tc.source, tc.file)
		}
	}
	// Order: simulation first, then funding, …, contracts last; the lab's
	// own keys before its funding table.
	var order []string
	for _, a := range as {
		if len(order) == 0 || order[len(order)-1] != a.Entity {
			order = append(order, a.Entity)
		}
	}
	if got := strings.Join(order, ","); got != "simulation,funding,demand,macro,recovery,lab,cloud,contract lab-cloud" {
		t.Errorf("entities in order %s", got)
	}
	for _, a := range as {
		if a.Entity == "" || a.Key == "" || a.Key == "name" && a.Entity == "simulation" {
			t.Errorf("bad row %+v", a)
		}
	}
}

// TestAssumptionUnits checks that every key of every built-in scenario
// has a unit in keyUnits (possibly none), so that a new key cannot reach
// the report without one.
func TestAssumptionUnits(t *testing.T) {
	for _, name := range Builtins() {
		sc, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		as := sc.Assumptions(sc.Model)
		if len(as) < 50 {
			t.Errorf("%s: %d assumptions; want every value of the scenario", name, len(as))
		}
		sourced, numbers := 0, 0
		for _, a := range as {
			last := a.Key[strings.LastIndexByte(a.Key, '.')+1:]
			if i := strings.IndexByte(last, '['); i >= 0 {
				last = last[:i]
			}
			if _, ok := keyUnits[last]; !ok && !strings.HasPrefix(a.Key, "rates.") {
				t.Errorf("%s: key %s of %s has no entry in keyUnits", name, a.Key, a.Entity)
			}
			if strings.HasPrefix(a.Value, `"`) {
				continue // a name, which needs no source
			}
			numbers++
			if a.Source != "" {
				sourced++
			}
		}
		// The built-ins document their numbers: nearly every number has a
		// comment.
		if float64(sourced) < 0.95*float64(numbers) {
			t.Errorf("%s: %d of %d numbers have a source", name, sourced, numbers)
		}
	}
}
