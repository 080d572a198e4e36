package scenarios_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// builtinCases are the built-in comparison cases of issue 4, each a small
// file extending the baseline.
var builtinCases = []string{"mild-tightening", "severe-crash", "freeze-slowdown", "backer-withdrawal", "contagion"}

// casePaths keeps the tests fast; it is enough for every check below (the
// smallest effect tested is several standard errors at this size).
const casePaths = 3000

// loadCase loads a built-in scenario and sets its paths and seed.
func loadCase(t *testing.T, name string, paths int, seed uint64) *sim.Model {
	t.Helper()
	sc, err := scenarios.Load(name)
	if err != nil {
		t.Fatalf("Load(%q) = %v; want no error", name, err)
	}
	m := sc.Model
	m.Paths, m.Seed = paths, seed
	if err := m.Validate(); err != nil {
		t.Fatalf("Load(%q).Model.Validate() = %v; want nil", name, err)
	}
	return m
}

func simulate(t *testing.T, m *sim.Model) *sim.Results {
	t.Helper()
	res, err := sim.Simulate(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatalf("Simulate(%s) = %v; want nil", m.Name, err)
	}
	return res
}

func firmByName(t *testing.T, firms []sim.FirmResults, name string) sim.FirmResults {
	t.Helper()
	for _, f := range firms {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no firm %q", name)
	return sim.FirmResults{}
}

func customerByName(t *testing.T, res *sim.Results, name string) sim.CustomerResults {
	t.Helper()
	for _, c := range res.Customers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no customer %q", name)
	return sim.CustomerResults{}
}

func TestBuiltinCasesLoad(t *testing.T) {
	names := scenarios.Builtins()
	for _, name := range builtinCases {
		if !slices.Contains(names, name) {
			t.Errorf("Builtins() = %v; want it to contain %q", names, name)
			continue
		}
		sc, err := scenarios.Load(name)
		if err != nil {
			t.Errorf("Load(%q) = %v; want no error", name, err)
			continue
		}
		m := sc.Model
		if m.Name != name {
			t.Errorf("Load(%q).Model.Name = %q; want the file stem", name, m.Name)
		}
		if len(m.Description) < 80 {
			t.Errorf("Load(%q).Model.Description = %q; want a description of what the case represents", name, m.Description)
		}
		if sc.Source != "builtin:"+name {
			t.Errorf("Load(%q).Source = %q; want %q", name, sc.Source, "builtin:"+name)
		}
		base := loadCase(t, "baseline", 2, 1)
		if len(m.Customers) != len(base.Customers) || len(m.Providers) != len(base.Providers) || len(m.Suppliers) != len(base.Suppliers) {
			t.Errorf("Load(%q) has %d/%d/%d customers/providers/suppliers; want the baseline's %d/%d/%d", name,
				len(m.Customers), len(m.Providers), len(m.Suppliers), len(base.Customers), len(base.Providers), len(base.Suppliers))
		}
	}
}

// TestBuiltinCasesWhatTheyChange checks that each case changes what its
// description says, and only that.
func TestBuiltinCasesWhatTheyChange(t *testing.T) {
	base := loadCase(t, "baseline", 2, 1)
	regime := func(m *sim.Model, name string) int {
		t.Helper()
		for i, r := range m.Funding.Regimes {
			if r.Name == name {
				return i
			}
		}
		t.Fatalf("%s: no regime %q", m.Name, name)
		return -1
	}
	for _, tc := range []struct {
		name  string
		check func(t *testing.T, m *sim.Model)
	}{
		{"mild-tightening", func(t *testing.T, m *sim.Model) {
			r := m.Funding.Regimes[regime(m, "pullback")]
			if v := r.RoundRateMultiplier * r.ValuationMultiplier; v < 0.6 || v > 0.75 {
				t.Errorf("pullback volume multiplier = %v; want about two thirds", v)
			}
			want := []sim.FundingShock{{Regime: regime(m, "pullback"), StartYears: 0, DurationYears: 2}}
			if !slices.Equal(m.Funding.Shocks, want) {
				t.Errorf("shocks = %+v; want %+v", m.Funding.Shocks, want)
			}
		}},
		{"severe-crash", func(t *testing.T, m *sim.Model) {
			r := m.Funding.Regimes[regime(m, "frozen")]
			if v := r.RoundRateMultiplier * r.ValuationMultiplier; v < 0.15 || v > 0.25 {
				t.Errorf("frozen volume multiplier = %v; want about one fifth", v)
			}
			if s := m.Funding.Shocks; len(s) == 0 || s[0].Regime != regime(m, "frozen") || s[0].StartYears != 0 || s[0].DurationYears < 2 || s[0].DurationYears > 3 {
				t.Errorf("shocks = %+v; want frozen from 0 for 2 to 3 years first", s)
			}
		}},
		{"freeze-slowdown", func(t *testing.T, m *sim.Model) {
			for i, c := range m.Customers {
				b := base.Customers[i]
				if c.GrowthInitial != b.GrowthInitial/2 || c.GrowthLongRun != b.GrowthLongRun/2 {
					t.Errorf("%s growth %v, %v; want half the baseline's %v, %v", c.Name, c.GrowthInitial, c.GrowthLongRun, b.GrowthInitial, b.GrowthLongRun)
				}
			}
			if len(m.Funding.Shocks) != 1 || m.Funding.Shocks[0].Regime != regime(m, "frozen") {
				t.Errorf("shocks = %+v; want one frozen shock", m.Funding.Shocks)
			}
		}},
		{"backer-withdrawal", func(t *testing.T, m *sim.Model) {
			if len(m.Backers) != len(base.Backers) {
				t.Errorf("%d backers; want the baseline's %d with zero limits", len(m.Backers), len(base.Backers))
			}
			for _, b := range m.Backers {
				if b.AnnualLimit != 0 {
					t.Errorf("backing %s->%s limit = %v; want 0", m.EntityName(b.Backer), m.EntityName(b.Customer), b.AnnualLimit)
				}
			}
		}},
		{"contagion", func(t *testing.T, m *sim.Model) {
			crash := loadCase(t, "severe-crash", 2, 1)
			if !slices.Equal(m.Funding.Shocks, crash.Funding.Shocks) {
				t.Errorf("shocks = %+v; want severe-crash's %+v", m.Funding.Shocks, crash.Funding.Shocks)
			}
			for i, f := range m.Providers {
				b := crash.Providers[i]
				fragile := f.Name == "oracle" || f.Name == "coreweave"
				if fragile && (f.Cash >= b.Cash || f.StrandedShare <= b.StrandedShare) {
					t.Errorf("%s cash %v, stranded share %v; want less cash and more stranded than %v, %v", f.Name, f.Cash, f.StrandedShare, b.Cash, b.StrandedShare)
				}
				if !fragile && !reflect.DeepEqual(f, b) {
					t.Errorf("%s = %+v; want severe-crash's %+v", f.Name, f, b)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, loadCase(t, tc.name, 2, 1)) })
	}
}

// TestBuiltinCasesRun runs every case and checks the direction of its
// effect on the labs' default probabilities against the baseline, on
// common random numbers: each case is at least as hard on the labs as the
// baseline, within three paired standard errors.
func TestBuiltinCasesRun(t *testing.T) {
	base := simulate(t, loadCase(t, "baseline", casePaths, 1))
	for _, name := range builtinCases {
		res := simulate(t, loadCase(t, name, casePaths, 1))
		for _, c := range base.Customers {
			s := mcstat.PairedProportion(c.DefaultStep, customerByName(t, res, c.Name).DefaultStep)
			if s.Diff < -3*s.DiffStdErr {
				t.Errorf("%s vs baseline: P(%s default) difference %v ± %v; want >= 0", name, c.Name, s.Diff, s.DiffStdErr)
			}
		}
	}
}

// TestCommonRandomNumbersBuiltinCases: a case identical to the baseline
// gives exactly zero difference on every path, and the paired standard
// errors of severe-crash against the baseline are below the unpaired ones
// on OpenAI's default indicator and on Oracle's backlog lost.
func TestCommonRandomNumbersBuiltinCases(t *testing.T) {
	const paths = 3000
	base := simulate(t, loadCase(t, "baseline", paths, 7))
	same := simulate(t, loadCase(t, "baseline", paths, 7))
	for i, f := range base.Providers {
		if s := mcstat.Paired(f.BacklogLost, same.Providers[i].BacklogLost); s.Diff != 0 || s.DiffStdErr != 0 {
			t.Errorf("Paired(baseline, baseline) %s backlog lost = %+v; want exactly zero", f.Name, s)
		}
		for p, v := range f.EconomicLoss {
			if same.Providers[i].EconomicLoss[p] != v {
				t.Fatalf("baseline twice: %s economic loss on path %d = %v and %v; want identical", f.Name, p, v, same.Providers[i].EconomicLoss[p])
			}
		}
	}

	crash := simulate(t, loadCase(t, "severe-crash", paths, 7))
	openai := mcstat.PairedProportion(customerByName(t, base, "openai").DefaultStep, customerByName(t, crash, "openai").DefaultStep)
	oracle := mcstat.Paired(firmByName(t, base.Providers, "oracle").BacklogLost, firmByName(t, crash.Providers, "oracle").BacklogLost)
	for _, tc := range []struct {
		what string
		s    mcstat.PairedStats
	}{{"openai default indicator", openai}, {"oracle backlog lost", oracle}} {
		if !(tc.s.DiffStdErr < tc.s.UnpairedStdErr) || !(tc.s.Correlation > 0) {
			t.Errorf("severe-crash vs baseline, %s: paired SE %v, unpaired %v, correlation %v; want paired < unpaired and positive correlation",
				tc.what, tc.s.DiffStdErr, tc.s.UnpairedStdErr, tc.s.Correlation)
		}
		if tc.s.Diff <= 3*tc.s.DiffStdErr {
			t.Errorf("severe-crash vs baseline, %s: difference %v ± %v; want significantly positive", tc.what, tc.s.Diff, tc.s.DiffStdErr)
		}
	}
}

// TestFrozenHorizonRaisesDefaultProbability compares the baseline with the
// baseline forced into "frozen" over the whole horizon. Per path the
// freeze need not bring a default forward (a lab that raises less becomes
// urgent and raises sooner; backer support used early is missing later),
// but P(default) must not fall, within three paired standard errors.
func TestFrozenHorizonRaisesDefaultProbability(t *testing.T) {
	base := loadCase(t, "baseline", casePaths, 3)
	frozen := loadCase(t, "baseline", casePaths, 3)
	r := slices.IndexFunc(frozen.Funding.Regimes, func(g sim.FundingRegime) bool { return g.Name == "frozen" })
	if r < 0 {
		t.Fatal("baseline has no frozen regime")
	}
	frozen.Funding.Shocks = []sim.FundingShock{{Regime: r, StartYears: 0, DurationYears: frozen.HorizonYears}}
	rb, rf := simulate(t, base), simulate(t, frozen)
	for i, c := range rb.Customers {
		s := mcstat.PairedProportion(c.DefaultStep, rf.Customers[i].DefaultStep)
		if s.Diff < -3*s.DiffStdErr {
			t.Errorf("P(%s default) frozen − baseline = %v ± %v; want >= 0", c.Name, s.Diff, s.DiffStdErr)
		}
		if s.Diff <= 0 {
			t.Errorf("P(%s default) frozen − baseline = %v ± %v; want the freeze to raise it", c.Name, s.Diff, s.DiffStdErr)
		}
	}
}

// TestContagionReachesSupplier: in the contagion case a provider's default
// costs NVIDIA backlog: its losses from Oracle and CoreWeave are positive
// on average, and larger than in severe-crash on common random numbers.
func TestContagionReachesSupplier(t *testing.T) {
	crash := simulate(t, loadCase(t, "severe-crash", casePaths, 1))
	cont := simulate(t, loadCase(t, "contagion", casePaths, 1))
	lostFrom := func(res *sim.Results, source string) float64 {
		for _, s := range firmByName(t, res.Suppliers, "nvidia").LostBy {
			if s.Name == source {
				return s.Mean
			}
		}
		t.Fatalf("nvidia has no loss source %q", source)
		return 0
	}
	total := 0.0
	for _, provider := range []string{"oracle", "coreweave"} {
		got, was := lostFrom(cont, provider), lostFrom(crash, provider)
		total += got
		if !(got > was) {
			t.Errorf("nvidia mean backlog lost from %s = %v in contagion; want above severe-crash's %v", provider, got, was)
		}
	}
	if !(total > 0) {
		t.Errorf("nvidia mean backlog lost from providers = %v; want > 0", total)
	}
	// With issue 11's financing both providers default in nearly every
	// severe-crash path (their credit lines halve in the freeze), so more
	// fragility can raise their default probability only where it is not
	// already near 1.
	for _, name := range []string{"oracle", "coreweave"} {
		crashDefaults := firmByName(t, crash.Providers, name).DefaultStep
		s := mcstat.PairedProportion(crashDefaults, firmByName(t, cont.Providers, name).DefaultStep)
		if s.Diff < -3*s.DiffStdErr {
			t.Errorf("P(%s default) contagion − severe-crash = %v ± %v; want >= 0", name, s.Diff, s.DiffStdErr)
		}
		if p := proportionDefaulted(crashDefaults); p < 0.95 && s.Diff <= 3*s.DiffStdErr {
			t.Errorf("P(%s default) contagion − severe-crash = %v ± %v at severe-crash's %v; want significantly positive", name, s.Diff, s.DiffStdErr, p)
		}
	}
	if strings.TrimSpace(cont.Model.Description) == "" {
		t.Error("contagion has no description")
	}
}

// proportionDefaulted returns the share of paths with a default step.
func proportionDefaulted(steps []int32) float64 {
	n := 0
	for _, s := range steps {
		if s >= 0 {
			n++
		}
	}
	return float64(n) / float64(len(steps))
}
