package scenarios

import (
	"math"
	"regexp"

	"github.com/backlogsim/backlogsim/sim"
)

// stepsPerYear lists the allowed values of simulation.steps_per_year.
var stepsPerYear = []int64{1, 2, 4, 12, 52}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// builder turns a resolved node tree into a sim.Model.
type builder struct {
	decoder
	m       *sim.Model
	horizon float64
	ids     map[string]sim.EntityID
	kinds   map[string]string // entity name -> "customer", "provider", "supplier"
	firms   map[string]*table // provider or supplier tables, for backlog errors
}

func buildModel(root *node, file string) (*sim.Model, []*Error) {
	m := &sim.Model{}
	b := &builder{decoder: decoder{file: file}, m: m,
		ids: map[string]sim.EntityID{}, kinds: map[string]string{}, firms: map[string]*table{}}
	top := b.table(root, "")
	m.Name, _ = top.str("name", false, "")
	if err := sim.CheckName(m.Name); err != nil {
		b.errAt(top.get("name"), "name", "%v", err)
	}
	m.Description, _ = top.str("description", false, "")
	b.simulation(top.sub("simulation", false))
	b.funding(top.sub("funding", true))
	b.factors(top)
	b.entities(top)
	b.contracts(top)
	b.backers(top)
	b.stakes(top)
	b.tranches(top)
	b.sampling(top.sub("sampling", false))
	top.done()
	return m, b.errs
}

func (b *builder) simulation(t *table) {
	m := b.m
	m.Paths = int(t.integer("paths", 100_000, math.MinInt64, math.MaxInt64)) // sim.CheckPaths
	if m.Paths == 1 {
		b.errAt(t.get("paths"), t.key("paths"), "%s", onePath)
	}
	m.Seed = uint64(t.integer("seed", 1, 0, math.MaxInt64))
	m.HorizonYears = t.num("horizon_years", false, 5, rng{Lo: 0, Hi: maxHorizon, LoOpen: true})
	spy := t.integer("steps_per_year", 12, 1, 10_000)
	ok := false
	for _, s := range stepsPerYear {
		ok = ok || s == spy
	}
	if !ok {
		b.errAt(t.get("steps_per_year"), t.key("steps_per_year"), "must be one of 1, 2, 4, 12 or 52, got %d", spy)
		spy = 12
	}
	m.StepsPerYear = int(spy) // whole steps: sim.Model.Validate
	b.horizon = m.HorizonYears
	t.done()
}

// sampling reads the optional [sampling] section: variance reduction. Its
// rules are sim.Sampling.Validate's.
func (b *builder) sampling(t *table) {
	s := &b.m.Sampling
	s.Antithetic = t.boolean("antithetic", false)
	s.Importance = importance(t.sub("importance", false))
	t.done()
}

// onePath explains why a run needs sim.MinPaths paths although the engine
// steps one.
const onePath = "must be at least 2, got 1: a standard error needs two paths"

// importance reads [sampling.importance]; the --importance flag is read by
// the same function (see ParseImportance). Its ranges are
// sim.ImportanceSampling.Validate's.
func importance(is *table) sim.ImportanceSampling {
	v := sim.ImportanceSampling{
		DemandShift:      is.num("demand_shift", false, 0, anyNum),
		MacroShift:       is.num("macro_shift", false, 0, anyNum),
		RevenueShift:     is.num("revenue_shift", false, 0, anyNum),
		RegimeTilt:       is.num("regime_tilt", false, 0, anyNum),
		ArrivalTilt:      is.num("arrival_tilt", false, 0, anyNum),
		WindowYears:      is.num("window_years", false, 0, anyNum),
		MacroWindowYears: is.num("macro_window_years", false, 0, anyNum),
	}
	is.done()
	return v
}

// entity checks the name of a new entity and records its kind.
func (b *builder) entity(name, kind string, t *table) bool {
	if err := sim.CheckName(name); err != nil {
		b.errAt(t.n, t.path, "entity name %v", err)
		return false
	}
	if k, dup := b.kinds[name]; dup {
		b.errAt(t.n, t.path, "duplicate entity name %q (also a %s)", name, k)
		return false
	}
	b.kinds[name] = kind
	return true
}

// party resolves a contract or backing party, reporting unknown names.
func (b *builder) party(t *table, k string) (string, sim.EntityID, bool) {
	name, ok := t.str(k, true, "")
	if !ok {
		return "", 0, false
	}
	id, ok := b.ids[name]
	if !ok {
		known := map[string]bool{}
		for n := range b.ids {
			known[n] = true
		}
		if s := suggest(name, known); s != "" {
			b.errAt(t.get(k), t.key(k), "unknown entity %q (did you mean %q?)", name, s)
		} else {
			b.errAt(t.get(k), t.key(k), "unknown entity %q", name)
		}
	}
	return name, id, ok
}

// factors reads the common factors: [demand], [macro] and [recovery].
func (b *builder) factors(top *table) {
	m := b.m
	d := top.sub("demand", true)
	m.Demand = sim.DemandFactor{
		Initial:       d.modelNum("initial", false, 0),
		MeanReversion: d.modelNum("mean_reversion", true, 0),
		Volatility:    d.modelNum("volatility", true, 0),
	}
	d.done()
	mac := top.sub("macro", true)
	m.Macro.MeanReversion = mac.modelNum("mean_reversion", true, 0)
	mac.done()
	r := top.sub("recovery", true)
	m.Recovery = sim.RecoveryModel{
		Mean:          r.modelNum("mean", true, 0),
		DemandSlope:   r.modelNum("demand_slope", false, 0),
		Concentration: r.modelNum("concentration", true, 1),
	}
	r.done()
}
