package scenarios

import (
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

const uncertainScenario = `extends = "baseline"

[uncertainty]
"funding.rates.open.tight" = {low = 0.05, high = 0.2, source = "estimate: one tightening every 5 to 20 years"}
"customers.openai.funding.round_rate" = {distribution = "triangular", min = 1, mode = 1.5, max = 2.5, source = "estimate"}
"customers.anthropic.cash" = {distribution = "normal", mean = 40, sd = 5, source = "estimate"}
"providers.oracle.cash" = {distribution = "lognormal", median = 15, sigma = 0.3, source = "estimate"}
"recovery.mean" = {distribution = "beta", alpha = 2, beta = 2, min = 0.2, max = 0.8, source = "estimate"}
"demand.volatility" = {distribution = "uniform", min = 0.2, max = 0.3, source = "estimate"}
"providers.coreweave.debt" = {distribution = "discrete", values = [30, 20, 25], weights = [1, 2, 1], source = "estimate"}
`

func loadString(t *testing.T, name, src string) (*Scenario, error) {
	t.Helper()
	return LoadBytes(name, []byte(src), nil)
}

func TestUncertaintyParameters(t *testing.T) {
	sc, err := loadString(t, "u.toml", uncertainScenario)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]*Parameter{}
	var keys []string
	for i := range sc.Uncertainty {
		p := &sc.Uncertainty[i]
		byKey[p.Key] = p
		keys = append(keys, p.Key)
		if p.Source == "" {
			t.Errorf("%s: no source", p.Key)
		}
	}
	if !slices.IsSorted(keys) {
		t.Errorf("keys = %v; want them sorted", keys)
	}
	for _, k := range []string{"customers.anthropic.cash", "customers.openai.funding.round_rate", "demand.volatility",
		"funding.rates.open.tight", "providers.coreweave.debt", "providers.oracle.cash", "recovery.mean"} {
		if p := byKey[k]; p == nil || p.File != "u.toml" || p.Line < 4 {
			t.Errorf("%s: %+v; want an entry from u.toml at its line", k, p)
		}
	}
	q := TornadoProbability
	n := distuv.Normal{Mu: 40, Sigma: 5}
	ln := distuv.LogNormal{Mu: math.Log(15), Sigma: 0.3}
	be := distuv.Beta{Alpha: 2, Beta: 2}
	tri := distuv.NewTriangle(1, 2.5, 1.5, nil)
	for _, c := range []struct {
		key                 string
		low, high, min, max float64
	}{
		// The baseline's open.tight is 0.1: the triple is triangular(0.05, 0.1, 0.2).
		{"funding.rates.open.tight", 0.05, 0.2, 0.05, 0.2},
		{"customers.openai.funding.round_rate", tri.Quantile(q), tri.Quantile(1 - q), 1, 2.5},
		{"customers.anthropic.cash", n.Quantile(q), n.Quantile(1 - q), n.Quantile(TailProbability), n.Quantile(1 - TailProbability)},
		{"providers.oracle.cash", ln.Quantile(q), ln.Quantile(1 - q), ln.Quantile(TailProbability), ln.Quantile(1 - TailProbability)},
		{"recovery.mean", 0.2 + 0.6*be.Quantile(q), 0.2 + 0.6*be.Quantile(1-q), 0.2, 0.8},
		{"demand.volatility", 0.2 + 0.1*q, 0.3 - 0.1*q, 0.2, 0.3},
		// Weights 1, 2, 1 on values 30, 20, 25: 5% is 20, 95% is 30.
		{"providers.coreweave.debt", 20, 30, 20, 30},
	} {
		p := byKey[c.key]
		if p == nil {
			t.Errorf("no parameter %s", c.key)
			continue
		}
		for _, g := range []struct {
			name      string
			got, want float64
		}{{"Low", p.Low, c.low}, {"High", p.High, c.high}, {"Min", p.Min, c.min}, {"Max", p.Max, c.max}} {
			if math.Abs(g.got-g.want) > 1e-9*math.Max(1, math.Abs(g.want)) {
				t.Errorf("%s.%s = %v; want %v", c.key, g.name, g.got, g.want)
			}
		}
		if v := p.Value(0.5); v < p.Min || v > p.Max {
			t.Errorf("%s.Value(0.5) = %v outside [%v, %v]", c.key, v, p.Min, p.Max)
		}
		if p.Value(0) != p.Min || p.Value(1) != p.Max {
			t.Errorf("%s.Value(0), Value(1) = %v, %v; want Min %v, Max %v", c.key, p.Value(0), p.Value(1), p.Min, p.Max)
		}
	}
	// The triple's median is the triangle's: base 0.1 between 0.05 and 0.2.
	if got, want := byKey["funding.rates.open.tight"].Value(0.5), distuv.NewTriangle(0.05, 0.2, 0.1, nil).Quantile(0.5); math.Abs(got-want) > 1e-12 {
		t.Errorf("triple Value(0.5) = %v; want %v", got, want)
	}
	// Sorted values 20, 25, 30 with weights 2, 1, 1: F(20) = 0.5.
	if got := byKey["providers.coreweave.debt"].Value(0.5); got != 20 {
		t.Errorf("discrete Value(0.5) = %v; want 20", got)
	}
	if got := byKey["providers.coreweave.debt"].Value(0.6); got != 25 {
		t.Errorf("discrete Value(0.6) = %v; want 25", got)
	}
}

func TestWith(t *testing.T) {
	sc, err := loadString(t, "u.toml", uncertainScenario)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sc.With(map[string]float64{
		"funding.rates.open.tight":            0.3,
		"customers.openai.funding.round_rate": 2,
		"simulation.paths":                    500, // an integer key takes a whole number
		"demand.initial":                      -0.1,
		"contracts[3].value":                  25, // openai->coreweave, flat
		"contracts[0].schedule[4]":            70, // openai->oracle: 300 - 75 + 70
		"contracts[0].value":                  295,
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.Paths != 500 || m.Demand.Initial != -0.1 {
		t.Errorf("With: paths %d, demand.initial %v; want 500, -0.1", m.Paths, m.Demand.Initial)
	}
	if m.Customers[1].Name != "openai" || m.Customers[1].Funding.RoundRate != 2 {
		t.Errorf("With: %s round rate %v; want openai 2", m.Customers[1].Name, m.Customers[1].Funding.RoundRate)
	}
	if m.Contracts[0].Value != 295 {
		t.Errorf("With: contracts[0].value = %v; want 295", m.Contracts[0].Value)
	}
	if m.Contracts[3].Value != 25 {
		t.Errorf("With: contracts[3].value = %v; want 25", m.Contracts[3].Value)
	}
	if sc.Model.Paths == 500 || sc.Model.Customers[1].Funding.RoundRate == 2 {
		t.Error("With changed the scenario's own model")
	}
	again, err := sc.With(nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Customers[1].Funding.RoundRate != sc.Model.Customers[1].Funding.RoundRate {
		t.Error("With(nil) differs from the scenario's model")
	}
	for _, c := range []struct {
		key  string
		v    float64
		want string
	}{
		{"funding.rates.open.tight", -1, "funding.rates.open.tight: must be >= 0, got -1"},
		{"simulation.paths", 1.5, "simulation.paths: must be an integer, got float 1.5"},
		{"customers.nobody.cash", 1, "no table customers.nobody"},
		{"funding.initial", 1, "holds string \"open\", not a number"},
		{"customers.openai.cahs", 1, "unknown key; did you mean \"cash\"?"},
		{"contracts[99].value", 1, "no element contracts[99]"},
		{"contracts[0].schedule[9]", 1, "the array has 5 elements"},
		{"demand.volatility[0]", 1, "not an array of numbers"},
	} {
		_, err := sc.With(map[string]float64{c.key: c.v})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("With(%s = %v) = %v; want an error containing %q", c.key, c.v, err, c.want)
		}
	}
}

func TestUncertaintyExtends(t *testing.T) {
	parent := uncertainScenario
	child := `extends = "parent.toml"
[uncertainty]
"demand.volatility" = {low = 0.1, high = 0.4, source = "estimate: wider"}
"recovery.mean" = {remove = true}
`
	files := map[string]string{"parent.toml": parent}
	resolve := func(from, ref string) ([]byte, string, error) {
		if s, ok := files[ref]; ok {
			return []byte(s), ref, nil
		}
		return DefaultResolver(from, ref)
	}
	sc, err := LoadBytes("child.toml", []byte(child), resolve)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Parameter{}
	for _, p := range sc.Uncertainty {
		got[p.Key] = p
	}
	ps, err := LoadBytes("parent.toml", []byte(uncertainScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ps.Uncertainty)-1 {
		t.Errorf("child has %d parameters; want %d (the parent's less 1 removed)", len(got), len(ps.Uncertainty)-1)
	}
	if _, ok := got["recovery.mean"]; ok {
		t.Error("recovery.mean was removed but is still uncertain")
	}
	if p := got["demand.volatility"]; p.Kind != "range" || p.Low != 0.1 || p.File != "child.toml" {
		t.Errorf("demand.volatility = %s %v from %s; want the child's range, low 0.1", p.Kind, p.Low, p.File)
	}
	if p := got["funding.rates.open.tight"]; p.File != "parent.toml" || p.Line != 4 {
		t.Errorf("inherited parameter from %s:%d; want parent.toml:4", p.File, p.Line)
	}
	// The resolved file loads to the same parameters.
	again, err := LoadBytes("resolved.toml", sc.Resolved, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Uncertainty) != len(sc.Uncertainty) {
		t.Errorf("resolved file has %d parameters; want %d", len(again.Uncertainty), len(sc.Uncertainty))
	}
}

// TestUncertaintyInheritedRangeClamped checks that a child which moves an
// uncertain value outside its parent's range still loads: the triple's
// base is clamped into the range.
func TestUncertaintyInheritedRangeClamped(t *testing.T) {
	files := map[string]string{"parent.toml": uncertainScenario}
	resolve := func(from, ref string) ([]byte, string, error) {
		if s, ok := files[ref]; ok {
			return []byte(s), ref, nil
		}
		return DefaultResolver(from, ref)
	}
	sc, err := LoadBytes("child.toml", []byte("extends = \"parent.toml\"\n[funding.rates]\nopen.tight = 0.5\n"), resolve)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sc.Uncertainty {
		if p.Key == "funding.rates.open.tight" {
			if p.Low != 0.05 || p.High != 0.2 || p.Value(1) != 0.2 {
				t.Errorf("inherited triple: low %v, high %v, max %v; want 0.05, 0.2, 0.2", p.Low, p.High, p.Value(1))
			}
			return
		}
	}
	t.Error("no inherited parameter funding.rates.open.tight")
}
