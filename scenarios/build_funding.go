package scenarios

import (
	"github.com/backlogsim/backlogsim/sim"
	"gonum.org/v1/gonum/mat"
)

// funding reads [funding]: the regimes, the rates between them, the
// initial regime and the shocks.
func (b *builder) funding(t *table) {
	regimes := t.sub("regimes", true)
	idx := b.regimes(regimes)
	f := &b.m.Funding
	if init, ok := t.str("initial", !regimes.absent, ""); ok {
		if i, ok := idx[init]; ok {
			f.Initial = i
		} else if len(f.Regimes) > 0 {
			b.errAt(t.get("initial"), t.key("initial"), "unknown regime %q; want %s", init, b.regimeNames())
		}
	}
	b.rates(t.sub("rates", false), idx)
	b.shocks(t, idx)
	t.done()
}

// regimes reads [funding.regimes], sorted by name, and returns their
// indices by name.
func (b *builder) regimes(regimes *table) map[string]int {
	f := &b.m.Funding
	idx := map[string]int{}
	if regimes.n != nil {
		names := sortedKeys(regimes.n.kids)
		if len(names) == 0 {
			b.errAt(regimes.n, regimes.path, "must define at least one regime")
		}
		for _, name := range names {
			rt := regimes.sub(name, true)
			if rt.n == nil {
				continue
			}
			rt.pattern = regimes.pattern + ".*"
			if !nameRE.MatchString(name) {
				b.errAt(rt.n, rt.path, `regime name must use only letters, digits, "_" and "-"`)
			}
			idx[name] = len(f.Regimes)
			f.Regimes = append(f.Regimes, sim.FundingRegime{
				Name:                name,
				RoundRateMultiplier: rt.modelNum("round_rate_multiplier", false, 1),
				ValuationMultiplier: rt.modelNum("valuation_multiplier", false, 1),
				CreditLimitCut:      rt.modelNum("credit_limit_cut", false, 0),
				CreditSpreadAdd:     rt.modelNum("credit_spread_add", false, 0),
				EquityMarketCut:     rt.modelNum("equity_market_cut", false, 0),
				CapacityPerYear:     rt.modelNum("capacity_per_year", false, 0),
			})
			rt.done()
		}
	}
	return idx
}

// regimeNames lists the regimes' names, quoted, for error messages.
func (b *builder) regimeNames() string {
	s := make([]string, len(b.m.Funding.Regimes))
	for i, r := range b.m.Funding.Regimes {
		s[i] = r.Name
	}
	return quoteList(s)
}

// rates reads [funding.rates]: the generator of the regimes' Markov
// chain, each diagonal entry minus the sum of its row.
func (b *builder) rates(rates *table, idx map[string]int) {
	f := &b.m.Funding
	if n := len(f.Regimes); n > 1 || rates.n != nil && len(rates.n.kids) > 0 {
		f.Generator = mat.NewDense(max(n, 1), max(n, 1), nil)
	}
	if rates.n != nil {
		for _, from := range sortedKeys(rates.n.kids) {
			row := rates.sub(from, true)
			if row.n == nil {
				continue
			}
			i, ok := idx[from]
			if !ok {
				b.errAt(row.n, row.path, "unknown regime %q; want %s", from, b.regimeNames())
				row.used = nil
				continue
			}
			for _, to := range sortedKeys(row.n.kids) {
				j, ok := idx[to]
				switch {
				case !ok:
					row.get(to)
					b.errAt(row.n.kids[to], row.key(to), "unknown regime %q; want %s", to, b.regimeNames())
					continue
				case i == j:
					row.get(to)
					b.errAt(row.n.kids[to], row.key(to), "diagonal rate must not be given: it is minus the sum of the row")
					continue
				}
				q := row.num(to, false, 0, modelRange("funding.rates.*.*"))
				f.Generator.Set(i, j, q)
				f.Generator.Set(i, i, f.Generator.At(i, i)-q)
			}
			row.done()
		}
		rates.done()
	}
}

// shocks reads [[funding.shocks]]: regimes forced for a while.
func (b *builder) shocks(t *table, idx map[string]int) {
	f := &b.m.Funding
	for _, st := range t.array("shocks") {
		var s sim.FundingShock
		if name, ok := st.str("regime", true, ""); ok {
			if j, ok := idx[name]; ok {
				s.Regime = j
			} else {
				b.errAt(st.get("regime"), st.key("regime"), "unknown regime %q; want %s", name, b.regimeNames())
			}
		}
		s.StartYears = st.num("start_years", true, 0, b.beforeHorizon())
		s.DurationYears = st.modelNum("duration_years", true, 0)
		st.done()
		f.Shocks = append(f.Shocks, s)
	}
}

// beforeHorizon is the range of a start time in a file: [0,
// horizon_years). It is narrower than the model's rule (a model built in
// code may start a contract after its horizon, when it pays nothing).
func (b *builder) beforeHorizon() rng {
	return rng{Lo: 0, Hi: b.horizon, HiOpen: true,
		Note: " (start times must fall within simulation.horizon_years = " + fmtNum(b.horizon) + ")"}
}
