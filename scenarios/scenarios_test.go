package scenarios

import (
	"errors"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/backlogsim/backlogsim/sim"
)

func mustLoad(t *testing.T, path string) *Scenario {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Fatalf("Load(%q) = %v; want no error", path, err)
	}
	return s
}

func TestBuiltins(t *testing.T) {
	got := Builtins()
	if !slices.Contains(got, "baseline") || !slices.IsSorted(got) {
		t.Errorf("Builtins() = %v; want a sorted list with baseline", got)
	}
	// "baseline.toml" would load the file on disk here: the tests run in the
	// package directory.
	for _, name := range []string{"baseline", "builtin:baseline"} {
		s := mustLoad(t, name)
		if s.Source != "builtin:baseline" {
			t.Errorf("Load(%q).Source = %q; want %q", name, s.Source, "builtin:baseline")
		}
	}
	if _, source, ok := builtin("baseline.toml"); !ok || source != "builtin:baseline" {
		t.Errorf("builtin(%q) = %q, %v; want %q, true", "baseline.toml", source, ok, "builtin:baseline")
	}
	if _, err := Load("no-such-scenario"); err == nil || !strings.Contains(err.Error(), "built-ins: ") || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("Load(%q) = %v; want an error listing the built-ins", "no-such-scenario", err)
	}
}

// TestBaselineTotals checks the calibration targets: about $2.1T of provider
// backlog, about half ($1.05T) from OpenAI and Anthropic. The listed public
// figures sum to $2.01T (see the header of baseline.toml), so the band for
// the total is 1.9T to 2.2T; the AI share must be within 5% of 1.05T.
func TestBaselineTotals(t *testing.T) {
	m := mustLoad(t, "baseline").Model
	names := func(n int) []string {
		var s []string
		for i := range n {
			s = append(s, m.EntityName(sim.EntityID(i)))
		}
		return s
	}
	want := []string{"anthropic", "openai", "amazon", "coreweave", "google", "meta", "microsoft", "oracle", "nvidia", "tsmc"}
	if got := names(m.NumEntities()); !reflect.DeepEqual(got, want) {
		t.Errorf("baseline entities = %v; want %v", got, want)
	}
	total := 0.0
	for _, p := range m.Providers {
		total += p.Backlog
	}
	if total < 1900 || total > 2200 {
		t.Errorf("baseline provider backlog = %g; want in [1900, 2200]", total)
	}
	ai := map[string]float64{}
	sum := 0.0
	for _, c := range m.Contracts {
		if m.Kind(c.Payer) == sim.KindCustomer {
			ai[m.EntityName(c.Payee)] += c.Value
			sum += c.Value
		}
	}
	if math.Abs(sum-1050) > 0.05*1050 {
		t.Errorf("baseline AI backlog = %g; want 1050 ± 5%%", sum)
	}
	wantAI := map[string]float64{"microsoft": 311, "oracle": 300, "google": 220, "amazon": 200, "coreweave": 20}
	if !reflect.DeepEqual(ai, wantAI) {
		t.Errorf("baseline AI backlog by provider = %v; want %v", ai, wantAI)
	}
	// Every firm's backlog covers its listed contracts.
	for _, fs := range [][]sim.Firm{m.Providers, m.Suppliers} {
		for _, f := range fs {
			listed := 0.0
			for _, c := range m.Contracts {
				if m.EntityName(c.Payee) == f.Name {
					listed += c.Value
				}
			}
			if listed > f.Backlog {
				t.Errorf("%s: listed contracts %g exceed backlog %g", f.Name, listed, f.Backlog)
			}
		}
	}
	if m.Paths != 100000 || m.Seed != 1 || m.HorizonYears != 5 || m.StepsPerYear != 12 {
		t.Errorf("baseline simulation = %d paths, seed %d, %g years × %d; want 100000, 1, 5 × 12",
			m.Paths, m.Seed, m.HorizonYears, m.StepsPerYear)
	}
}

// TestRoundTrip checks that every value written in a file reaches the
// model field it names: it decodes baseline.toml independently with
// BurntSushi/toml into a generic map and compares.
func TestRoundTrip(t *testing.T) {
	s := mustLoad(t, "baseline")
	m := s.Model
	data, err := os.ReadFile("baseline.toml")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		t.Fatal(err)
	}
	f := func(v any) float64 {
		switch v := v.(type) {
		case int64:
			return float64(v)
		case float64:
			return v
		}
		t.Fatalf("not a number: %v", v)
		return 0
	}
	// fOr reads an optional number, absent meaning its default d.
	fOr := func(v any, d float64) float64 {
		if v == nil {
			return d
		}
		return f(v)
	}
	tab := func(v any) map[string]any { return v.(map[string]any) }
	// sub reads an optional table, absent meaning empty.
	sub := func(v any) map[string]any {
		if v == nil {
			return nil
		}
		return tab(v)
	}
	// list reads an optional array of numbers, absent meaning nil.
	list := func(v any) []float64 {
		if v == nil {
			return nil
		}
		var out []float64
		for _, x := range v.([]any) {
			out = append(out, f(x))
		}
		return out
	}
	check := func(key string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: model has %v; file has %v", key, got, want)
		}
	}
	simu := tab(raw["simulation"])
	check("simulation.paths", int64(m.Paths), simu["paths"])
	check("simulation.seed", int64(m.Seed), simu["seed"])
	check("simulation.horizon_years", m.HorizonYears, f(simu["horizon_years"]))
	check("simulation.steps_per_year", int64(m.StepsPerYear), simu["steps_per_year"])
	check("name", m.Name, raw["name"])
	check("description", m.Description, raw["description"])

	fund := tab(raw["funding"])
	regimes := tab(fund["regimes"])
	idx := map[string]int{}
	for i, r := range m.Funding.Regimes {
		idx[r.Name] = i
		rt := tab(regimes[r.Name])
		check("funding.regimes."+r.Name+".round_rate_multiplier", r.RoundRateMultiplier, f(rt["round_rate_multiplier"]))
		check("funding.regimes."+r.Name+".valuation_multiplier", r.ValuationMultiplier, f(rt["valuation_multiplier"]))
		check("funding.regimes."+r.Name+".capacity_per_year", r.CapacityPerYear, fOr(rt["capacity_per_year"], 0))
	}
	check("funding.regimes", len(m.Funding.Regimes), len(regimes))
	check("funding.initial", m.Funding.Regimes[m.Funding.Initial].Name, fund["initial"])
	for from, row := range tab(fund["rates"]) {
		rowSum := 0.0
		for to, q := range tab(row) {
			check("funding.rates."+from+"."+to, m.Funding.Generator.At(idx[from], idx[to]), f(q))
			rowSum += f(q)
		}
		check("funding.rates."+from+" diagonal", m.Funding.Generator.At(idx[from], idx[from]), -rowSum)
	}
	dem, mac, rec := tab(raw["demand"]), tab(raw["macro"]), tab(raw["recovery"])
	check("demand", m.Demand, sim.DemandFactor{Initial: f(dem["initial"]), MeanReversion: f(dem["mean_reversion"]), Volatility: f(dem["volatility"])})
	check("macro", m.Macro, sim.MacroFactor{MeanReversion: f(mac["mean_reversion"])})
	check("recovery", m.Recovery, sim.RecoveryModel{Mean: f(rec["mean"]), DemandSlope: f(rec["demand_slope"]), Concentration: f(rec["concentration"])})

	for _, c := range m.Customers {
		ct := tab(tab(raw["customers"])[c.Name])
		ft := tab(ct["funding"])
		dt := map[string]any{}
		if d, ok := ct["distress"]; ok {
			dt = tab(d)
		}
		kind := sim.Normal
		if ct["idio_distribution"] == "student-t" {
			kind = sim.StudentT
		}
		check("customers."+c.Name, c, sim.Customer{
			Name: c.Name, Cash: f(ct["cash"]), Revenue: f(ct["revenue"]),
			GrowthInitial: f(ct["growth_initial"]), GrowthLongRun: f(ct["growth_long_run"]),
			GrowthHalfLifeYears: f(ct["growth_half_life_years"]), PlanShortfall: f(ct["plan_shortfall"]), DemandLoading: f(ct["demand_loading"]),
			IdioVolatility: f(ct["idio_volatility"]), IdioKind: kind, IdioDoF: f(ct["idio_dof"]),
			FixedCost: f(ct["fixed_cost"]), FixedCostGrowth: f(ct["fixed_cost_growth"]),
			VariableCostShare: f(ct["variable_cost_share"]), CashFlowVolatility: f(ct["cash_flow_volatility"]),
			LiquidationValue: f(ct["liquidation_value"]), LiquidationRevenueMultiple: fOr(ct["liquidation_revenue_multiple"], 0),
			Distress: sim.Distress{RunwayYears: fOr(dt["runway_years"], 0), CostCut: fOr(dt["cost_cut"], 0), Haircut: fOr(dt["haircut"], 0), DeferralYears: fOr(dt["deferral_years"], 0)},
			Funding: sim.CustomerFunding{
				RoundRate: f(ft["round_rate"]), RunwayThresholdYears: f(ft["runway_threshold_years"]),
				UrgencyMultiplier: f(ft["urgency_multiplier"]), MaxRunwayYears: fOr(ft["max_runway_years"], 0),
				RevenueMultiple:   f(ft["revenue_multiple"]),
				SizeVolatility:    f(ft["size_volatility"]),
				TargetRunwayYears: fOr(ft["target_runway_years"], 0), PerformanceElasticity: fOr(ft["performance_elasticity"], 0),
			},
		})
	}
	firms := func(kind string, fs []sim.Firm) {
		check(kind, len(fs), len(tab(raw[kind])))
		for _, x := range fs {
			ft := tab(tab(raw[kind])[x.Name])
			pt := tab(ft["pool"])
			check(kind+"."+x.Name, x, sim.Firm{
				Name: x.Name, Backlog: f(ft["backlog"]), Cash: f(ft["cash"]),
				OperatingCashFlow: f(ft["operating_cash_flow"]), Debt: f(ft["debt"]),
				LiquidationValue: f(ft["liquidation_value"]), Margin: f(ft["margin"]), StrandedShare: f(ft["stranded_share"]),
				Pool: sim.DiversifiedPool{
					AnnualDefaultProbability: f(pt["annual_default_probability"]), Correlation: f(pt["correlation"]),
					LossGivenDefault: f(pt["loss_given_default"]), DurationYears: f(pt["duration_years"]),
					FundingSensitivity: fOr(pt["funding_sensitivity"], 0), DemandLoading: fOr(pt["demand_loading"], 0),
				},
				Financing: sim.FirmFinancing{
					OperatingCashFlowGrowth: fOr(ft["operating_cash_flow_growth"], 0),
					DemandLoading:           fOr(ft["demand_loading"], 0),
					Capex:                   list(ft["capex"]), Leases: list(ft["leases"]), Maturities: list(ft["maturities"]),
					InterestRate:      fOr(ft["interest_rate"], 0),
					CapexBacklogShare: fOr(ft["capex_backlog_share"], 0), CapexDeferrableShare: fOr(ft["capex_deferrable_share"], 0),
					Credit: sim.CreditLine{MaxLeverage: fOr(sub(ft["credit"])["max_leverage"], 0), Spread: fOr(sub(ft["credit"])["spread"], 0),
						BacklogAdvance: fOr(sub(ft["credit"])["backlog_advance"], 0), EquityPerYear: fOr(sub(ft["credit"])["equity_per_year"], 0),
						CutExemption: fOr(sub(ft["credit"])["cut_exemption"], 0)},
				},
			})
		}
	}
	firms("providers", m.Providers)
	firms("suppliers", m.Suppliers)

	contracts := raw["contracts"].([]map[string]any)
	check("contracts", len(m.Contracts), len(contracts))
	for i, ct := range contracts {
		c := m.Contracts[i]
		name, ok := ct["name"].(string)
		if !ok {
			name = ct["payer"].(string) + "->" + ct["payee"].(string)
		}
		profile := map[any]sim.PaymentProfile{"flat": sim.Flat, "ramp": sim.Ramp, "schedule": sim.Schedule}[ct["profile"]]
		var sched []float64
		if s, ok := ct["schedule"].([]any); ok {
			for _, x := range s {
				sched = append(sched, f(x))
			}
		}
		check("contracts."+name, c, sim.Contract{
			Name: name, Payer: id(t, m, ct["payer"]), Payee: id(t, m, ct["payee"]),
			Value: f(ct["value"]), StartYears: f(ct["start_years"]), TermYears: f(ct["term_years"]),
			Profile: profile, YearlySchedule: sched,
		})
	}
	backers := raw["backers"].([]map[string]any)
	check("backers", len(m.Backers), len(backers))
	for i, bt := range backers {
		check("backers", m.Backers[i], sim.Backing{Backer: id(t, m, bt["backer"]), Customer: id(t, m, bt["customer"]), AnnualLimit: f(bt["annual_limit"])})
	}

	// The resolved TOML loads to the same model.
	r, err := LoadBytes("resolved.toml", s.Resolved, nil)
	if err != nil {
		t.Fatalf("LoadBytes(resolved) = %v; want no error", err)
	}
	if !reflect.DeepEqual(r.Model, m) {
		t.Errorf("LoadBytes(resolved).Model differs from Load(baseline).Model")
	}
}

func id(t *testing.T, m *sim.Model, name any) sim.EntityID {
	t.Helper()
	for i := range m.NumEntities() {
		if m.EntityName(sim.EntityID(i)) == name {
			return sim.EntityID(i)
		}
	}
	t.Fatalf("no entity %v", name)
	return -1
}

func TestExtendsOverride(t *testing.T) {
	base := mustLoad(t, "baseline")
	v := mustLoad(t, "testdata/variant.toml")
	want := *base.Model
	want.Name, want.Description = "variant", ""
	want.Customers = append([]sim.Customer(nil), base.Model.Customers...)
	for i := range want.Customers {
		if want.Customers[i].Name == "openai" {
			want.Customers[i].Cash = 30
		}
	}
	if !reflect.DeepEqual(v.Model, &want) {
		t.Errorf("Load(%q).Model differs from baseline beyond customers.openai.cash = 30", "testdata/variant.toml")
	}
	if v.Hash == base.Hash || len(v.Hash) != 64 {
		t.Errorf("Load(%q).Hash = %q; want a sha256 different from baseline's %q", "testdata/variant.toml", v.Hash, base.Hash)
	}
	if !strings.Contains(string(v.Resolved), "cash = 30.0") || strings.Contains(string(v.Resolved), "extends") {
		t.Errorf("Load(%q).Resolved lacks the override or keeps extends:\n%s", "testdata/variant.toml", v.Resolved)
	}
}

func TestExtendsKeyedContracts(t *testing.T) {
	m := mustLoad(t, "testdata/keyed.toml").Model
	if m.Name != "keyed" {
		t.Errorf("Load(keyed).Model.Name = %q; want %q", m.Name, "keyed")
	}
	want := []sim.Contract{
		{Name: "lab->cloud", Payer: 0, Payee: 1, Value: 80, TermYears: 3},
		{Name: "lab-chips", Payer: 0, Payee: 2, Value: 5, TermYears: 2, Profile: sim.Schedule, YearlySchedule: []float64{2, 3}},
	}
	if !reflect.DeepEqual(m.Contracts, want) {
		t.Errorf("Load(keyed).Model.Contracts = %+v; want %+v", m.Contracts, want)
	}
}

func TestExtendsErrors(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"testdata/cycle_a.toml", "testdata/cycle_b.toml:1: extends: extends cycle: testdata/cycle_a.toml -> testdata/cycle_b.toml -> testdata/cycle_a.toml"},
		{"testdata/missing_parent.toml", `testdata/missing_parent.toml:2: extends: cannot load parent "no_such_parent.toml": no file testdata/no_such_parent.toml and no built-in scenario "no_such_parent.toml"`},
	} {
		_, err := Load(tt.path)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Load(%q) = %v; want %v", tt.path, err, tt.want)
		}
	}
}

func TestExtendsType(t *testing.T) {
	_, err := LoadBytes("x.toml", []byte("extends = 3\n"), nil)
	want := "x.toml:1: extends: must be a string, got integer 3"
	if err == nil || err.Error() != want {
		t.Errorf("LoadBytes(extends = 3) = %v; want %v", err, want)
	}
}

func TestSyntaxErrorKeepsParseError(t *testing.T) {
	_, err := LoadBytes("x.toml", []byte("a = 1\nb = [1,\n"), nil)
	var pe toml.ParseError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "x.toml:") {
		t.Errorf("LoadBytes(bad syntax) = %v; want an *Error wrapping a toml.ParseError", err)
	}
}

func TestMultipleErrors(t *testing.T) {
	body := "extends = \"minimal.toml\"\n[customers.lab]\ncash = -1\nrevenue = -2\n"
	_, err := LoadBytes("testdata/bad.toml", []byte(body), nil)
	want := "testdata/bad.toml:3: customers.lab.cash: must be >= 0, got -1\n" +
		"testdata/bad.toml:4: customers.lab.revenue: must be >= 0, got -2"
	var list ErrorList
	if err == nil || err.Error() != want || !errors.As(err, &list) || len(list) != 2 {
		t.Errorf("Load(%q) = %v; want %v", body, err, want)
	}
}

func TestKeyLines(t *testing.T) {
	src := "a = 1\n[t]\ns = \"\"\"\nx = 2\n\"\"\"\narr = [\n 1, # c\n 2]\nd.e = 3\n[[u]]\nk = 1\n[[u]]\nk = 2\n[u.v]\nw = 1\n"
	got := keyLines([]byte(src))
	want := map[string]int{"a": 1, "t": 2, "t.s": 3, "t.arr": 6, "t.d": 9, "t.d.e": 9,
		"u": 10, "u[0]": 10, "u[0].k": 11, "u[1]": 12, "u[1].k": 13, "u[1].v": 14, "u[1].v.w": 15}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keyLines(%q) = %v; want %v", src, got, want)
	}
}

func TestMinimalDefaults(t *testing.T) {
	m := mustLoad(t, "testdata/minimal.toml").Model
	c := m.Customers[0]
	if c.DemandLoading != 1 || c.IdioKind != sim.Normal || c.Funding.UrgencyMultiplier != 1 || c.LiquidationValue != 0 {
		t.Errorf("Load(minimal) customer defaults = %+v", c)
	}
	if m.Seed != 1 || m.Funding.Regimes[0].RoundRateMultiplier != 1 || m.Demand.Initial != 0 {
		t.Errorf("Load(minimal) defaults: seed %d, open multiplier %g, demand %g", m.Seed, m.Funding.Regimes[0].RoundRateMultiplier, m.Demand.Initial)
	}
	if got := m.Contracts[0].Profile; got != sim.Flat {
		t.Errorf("Load(minimal) contract profile = %v; want Flat", got)
	}
}

// TestBadInput loads small files that extend testdata/minimal.toml (line 1
// is the extends line) and checks the exact error.
func TestBadInput(t *testing.T) {
	const src = "testdata/bad.toml"
	for _, tt := range []struct {
		name, body, want string
	}{
		{"syntax", "x = \n", `testdata/bad.toml:2: x: syntax error: expected value but found '\n' instead`},
		{"unknown top-level key", "colour = 1\n", "testdata/bad.toml:2: colour: unknown key"},
		{"unknown customer key", "[customers.lab]\ncahs = 1\n", `testdata/bad.toml:3: customers.lab.cahs: unknown key; did you mean "cash"?`},
		{"unknown pool key", "[providers.cloud.pool]\npd = 0.1\n", "testdata/bad.toml:3: providers.cloud.pool.pd: unknown key"},
		{"unknown nested table", "[customers.lab.fundng]\nround_rate = 1\n", `testdata/bad.toml:2: customers.lab.fundng: unknown key; did you mean "funding"?`},
		{"wrong type", "[simulation]\npaths = \"many\"\n", `testdata/bad.toml:3: simulation.paths: must be an integer, got string "many"`},
		{"wrong type float", "[customers.lab]\ncash = \"ten\"\n", `testdata/bad.toml:3: customers.lab.cash: must be a number, got string "ten"`},
		{"not a table", "demand = 3\n", "testdata/bad.toml:2: demand: must be a table, got integer 3"},
		{"missing required", "[suppliers.fab]\nbacklog = 1\ncash = 1\noperating_cash_flow = 1\nmargin = 0.1\nstranded_share = 0.1\n" +
			"[suppliers.fab.pool]\nannual_default_probability = 0.01\ncorrelation = 0.1\nloss_given_default = 0.5\nduration_years = 1\n",
			"testdata/bad.toml:2: suppliers.fab.debt: missing required key"},
		{"missing required table", "[customers.lab2]\ncash = 1\nrevenue = 1\ngrowth_initial = 0\ngrowth_long_run = 0\n" +
			"growth_half_life_years = 1\nfixed_cost = 1\nvariable_cost_share = 0\n",
			"testdata/bad.toml:2: customers.lab2.funding: missing required table"},
		{"probability", "[providers.cloud.pool]\nannual_default_probability = 1.5\n", "testdata/bad.toml:3: providers.cloud.pool.annual_default_probability: must be in [0, 1], got 1.5"},
		{"correlation", "[providers.cloud.pool]\ncorrelation = 1\n", "testdata/bad.toml:3: providers.cloud.pool.correlation: must be in [0, 1), got 1"},
		{"negative money", "[customers.lab]\ncash = -1\n", "testdata/bad.toml:3: customers.lab.cash: must be >= 0, got -1"},
		{"nan", "[demand]\nvolatility = nan\n", "testdata/bad.toml:3: demand.volatility: must be a finite number in [0, 10], got nan"},
		{"half-life", "[customers.lab]\ngrowth_half_life_years = 0\n", "testdata/bad.toml:3: customers.lab.growth_half_life_years: must be > 0, got 0"},
		{"concentration", "[recovery]\nconcentration = -1\n", "testdata/bad.toml:3: recovery.concentration: must be >= 0.1 (or inf), got -1"},
		{"student-t dof", "[customers.lab]\nidio_distribution = \"student-t\"\nidio_dof = 2\n", "testdata/bad.toml:4: customers.lab.idio_dof: must be > 2, got 2"},
		{"dof without student-t", "[customers.lab]\nidio_dof = 5\n", `testdata/bad.toml:3: customers.lab.idio_dof: only allowed with idio_distribution = "student-t"`},
		{"distribution", "[customers.lab]\nidio_distribution = \"cauchy\"\n", `testdata/bad.toml:3: customers.lab.idio_distribution: must be one of "normal" or "student-t", got "cauchy"`},
		{"negative rate", "[funding.rates]\nopen.tight = -0.2\n", "testdata/bad.toml:3: funding.rates.open.tight: must be >= 0, got -0.2"},
		{"unknown regime in rates", "[funding.rates]\nopen.boom = 0.1\n", `testdata/bad.toml:3: funding.rates.open.boom: unknown regime "boom"; want "open" or "tight"`},
		{"unknown from regime", "[funding.rates.boom]\nopen = 0.1\n", `testdata/bad.toml:2: funding.rates.boom: unknown regime "boom"; want "open" or "tight"`},
		{"diagonal rate", "[funding.rates]\nopen.open = 0.1\n", "testdata/bad.toml:3: funding.rates.open.open: diagonal rate must not be given: it is minus the sum of the row"},
		{"unknown initial regime", "[funding]\ninitial = \"boom\"\n", `testdata/bad.toml:3: funding.initial: unknown regime "boom"; want "open" or "tight"`},
		{"shock regime", "[[funding.shocks]]\nregime = \"boom\"\nstart_years = 0\nduration_years = 1\n", `testdata/bad.toml:3: funding.shocks[0].regime: unknown regime "boom"; want "open" or "tight"`},
		{"shock outside horizon, in parent", "[simulation]\nhorizon_years = 1\n", "testdata/minimal.toml:20: funding.shocks[0].start_years: must be in [0, 1), got 1.5 (start times must fall within simulation.horizon_years = 1)"},
		{"zero paths", "[simulation]\npaths = 0\n", "testdata/bad.toml:3: simulation.paths: must be in [1, 1000000000], got 0"},
		{"steps per year", "[simulation]\nsteps_per_year = 3\n", "testdata/bad.toml:3: simulation.steps_per_year: must be one of 1, 2, 4, 12 or 52, got 3"},
		{"fractional steps", "[simulation]\nhorizon_years = 2.1\n", "testdata/bad.toml:3: simulation.horizon_years: must be a whole number of steps: 2.1 years × 4 steps_per_year = 8.4 steps"},
		{"horizon too long", "[simulation]\nhorizon_years = 101\n", "testdata/bad.toml:3: simulation.horizon_years: must be in (0, 100], got 101"},
		{"unknown payer", "[[contracts]]\npayer = \"ghost\"\npayee = \"cloud\"\nvalue = 1\nterm_years = 1\n", `testdata/bad.toml:3: contracts[2].payer: unknown entity "ghost"`},
		{"identical parties", "[[contracts]]\npayer = \"cloud\"\npayee = \"cloud\"\nvalue = 1\nterm_years = 1\n", `testdata/bad.toml:4: contracts[2].payee: must differ from payer, got "cloud" for both`},
		{"customer payee", "[[contracts]]\npayer = \"cloud\"\npayee = \"lab\"\nvalue = 1\nterm_years = 1\n", `testdata/bad.toml:4: contracts[2].payee: must be a provider or supplier, got customer "lab" (customers only pay)`},
		{"schedule sum", "[[contracts]]\nname = \"s\"\npayer = \"lab\"\npayee = \"chips\"\nvalue = 10\nterm_years = 2\nprofile = \"schedule\"\nschedule = [4, 5]\n", "testdata/bad.toml:9: contracts[2].schedule: must sum to value 10, got 9"},
		{"schedule length", "[[contracts]]\nname = \"s\"\npayer = \"lab\"\npayee = \"chips\"\nvalue = 9\nterm_years = 2.5\nprofile = \"schedule\"\nschedule = [4, 5]\n", "testdata/bad.toml:9: contracts[2].schedule: must have 3 entries, one per contract year of term_years 2.5, got 2"},
		{"schedule without profile", "[[contracts]]\npayer = \"lab\"\npayee = \"cloud\"\nschedule = [60, 0, 0]\n", `testdata/bad.toml:5: contracts[0].schedule: only allowed with profile = "schedule", got profile "flat"`},
		{"start after horizon", "[[contracts]]\npayer = \"lab\"\npayee = \"cloud\"\nstart_years = 2\n", "testdata/bad.toml:5: contracts[0].start_years: must be in [0, 2), got 2 (start times must fall within simulation.horizon_years = 2)"},
		{"backlog below contracts", "[providers.cloud]\nbacklog = 50\n", "testdata/bad.toml:3: providers.cloud.backlog: must be >= 60, the sum of listed contracts with cloud as payee, got 50"},
		{"duplicate entity", "[suppliers.lab]\nbacklog = 1\n", `testdata/bad.toml:2: suppliers.lab: duplicate entity name "lab" (also a customer)`},
		{"bad entity name", "[suppliers.\"big fab\"]\nbacklog = 1\n", `testdata/bad.toml:2: suppliers."big fab": entity name must use only letters, digits, '-', '_' and '.', got "big fab"`},
		{"duplicate contract", "[[contracts]]\npayer = \"lab\"\npayee = \"chips\"\nvalue = 1\nterm_years = 1\n[[contracts]]\npayer = \"lab\"\npayee = \"chips\"\nvalue = 1\nterm_years = 1\n",
			`testdata/bad.toml:7: contracts[1]: duplicate contract "lab->chips" (first at line 2); give contracts between the same parties distinct names`},
		{"remove unknown", "[[contracts]]\nname = \"nope\"\nremove = true\n", `testdata/bad.toml:4: contracts[0].remove: no contract "nope" in the parent scenario to remove`},
		{"backer kind", "[[backers]]\nbacker = \"chips\"\ncustomer = \"lab\"\nannual_limit = 1\n", `testdata/bad.toml:3: backers[1].backer: must be a provider, got supplier "chips"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := "extends = \"minimal.toml\"\n" + tt.body
			_, err := LoadBytes(src, []byte(data), nil)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Load(%q) = %v; want %v", tt.body, err, tt.want)
			}
			var e *Error
			if err != nil && !errors.As(err, &e) {
				t.Errorf("Load(%q) = %T; want *Error", tt.body, err)
			}
		})
	}
}

// TestFormatExample loads the example of FORMAT.md (copied to testdata).
func TestFormatExample(t *testing.T) {
	m := mustLoad(t, "testdata/frozen_start.toml").Model
	if len(m.Funding.Shocks) != 1 || m.Funding.Regimes[m.Funding.Shocks[0].Regime].Name != "frozen" {
		t.Errorf("Load(frozen_start).Model.Funding.Shocks = %+v; want one frozen shock", m.Funding.Shocks)
	}
	base := mustLoad(t, "baseline").Model
	if len(m.Contracts) != len(base.Contracts)-1 {
		t.Errorf("Load(frozen_start) has %d contracts; want %d", len(m.Contracts), len(base.Contracts)-1)
	}
	for _, c := range m.Contracts {
		if c.Name == "openai->oracle" && (c.Value != 400 || c.TermYears != 5 || c.StartYears != 0.75) {
			t.Errorf("Load(frozen_start) openai->oracle = %+v; want value 400, other keys inherited", c)
		}
		if c.Name == "anthropic->google-2027" {
			t.Errorf("Load(frozen_start) kept the removed contract")
		}
	}
}

func TestExtendsClearArray(t *testing.T) {
	src := "extends = \"baseline\"\ncontracts = []\nbackers = []\n"
	s, err := LoadBytes("clear.toml", []byte(src), nil)
	if err != nil || len(s.Model.Contracts) != 0 || len(s.Model.Backers) != 0 {
		t.Errorf("LoadBytes(%q) = %v; want no contracts or backers", src, err)
	}
}

func TestSampling(t *testing.T) {
	src := []byte("extends = \"baseline\"\n[sampling]\nantithetic = true\n[sampling.importance]\n" +
		"demand_shift = -0.5\nmacro_shift = -1.25\nrevenue_shift = -1\nregime_tilt = 2\narrival_tilt = 0.35\nwindow_years = 2.25\nmacro_window_years = 1\n")
	sc, err := LoadBytes("sampling.toml", src, nil)
	if err != nil {
		t.Fatalf("LoadBytes(sampling.toml) = %v; want no error", err)
	}
	want := sim.Sampling{Antithetic: true, Importance: sim.ImportanceSampling{
		DemandShift: -0.5, MacroShift: -1.25, RevenueShift: -1, RegimeTilt: 2, ArrivalTilt: 0.35, WindowYears: 2.25, MacroWindowYears: 1}}
	if got := sc.Model.Sampling; got != want {
		t.Errorf("LoadBytes(sampling.toml).Model.Sampling = %+v; want %+v", got, want)
	}
	if base := mustLoad(t, "baseline"); base.Model.Sampling != (sim.Sampling{}) {
		t.Errorf("baseline Sampling = %+v; want plain Monte Carlo", base.Model.Sampling)
	}
}
