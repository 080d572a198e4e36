package sim

import "gonum.org/v1/gonum/stat/distuv"

// RawDraws exposes rawDraws to the benchmarks in package sim_test, which
// can load the baseline scenario.
func RawDraws(m *Model) float64 {
	p, err := compile(m)
	if err != nil {
		panic(err)
	}
	return rawDraws(p)
}

// rawDraws draws, for every path, the variates Simulate draws while every
// entity is alive, from streams seeded as Simulate seeds them: per step one
// uniform for the regime, one normal each for the two factors, and per
// customer three normals and one uniform, plus a chi-square for a
// Student-t customer.
func rawDraws(p *plan) float64 {
	w := newWorker(p)
	sum := 0.0
	for path := range p.m.Paths {
		w.regime.reset(p.m.Seed, path, p.regimeStream, false)
		w.demand.reset(p.m.Seed, path, p.demandStream, false)
		w.macro.reset(p.m.Seed, path, p.macroStream, false)
		for i := range p.nCust {
			cp := &p.cust[i]
			w.revenue[i].reset(p.m.Seed, path, cp.revenueStream, false)
			w.cashFlow[i].reset(p.m.Seed, path, cp.cashFlowStream, false)
			w.arrival[i].reset(p.m.Seed, path, cp.arrivalStream, false)
			w.size[i].reset(p.m.Seed, path, cp.sizeStream, false)
		}
		for range p.steps {
			sum += w.regime.uniform() + w.demand.normal() + w.macro.normal()
			for i := range p.nCust {
				sum += w.revenue[i].normal() + w.cashFlow[i].normal() +
					w.arrival[i].uniform() + w.size[i].normal()
				if p.cust[i].tScale > 0 {
					sum += distuv.ChiSquared{K: p.m.Customers[i].IdioDoF, Src: w.revenue[i].rng}.Rand()
				}
			}
		}
	}
	return sum
}

// MustSimulate is mustSimulate for the tests in package sim_test.
var MustSimulate = mustSimulate
