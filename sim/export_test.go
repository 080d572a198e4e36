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
		w.regime.reset(p.m.Seed, path, p.regimeStream)
		w.demand.reset(p.m.Seed, path, p.demandStream)
		w.macro.reset(p.m.Seed, path, p.macroStream)
		for i := range p.nCust {
			cp := &p.cust[i]
			w.revenue[i].reset(p.m.Seed, path, cp.revenueStream)
			w.cashFlow[i].reset(p.m.Seed, path, cp.cashFlowStream)
			w.arrival[i].reset(p.m.Seed, path, cp.arrivalStream)
			w.size[i].reset(p.m.Seed, path, cp.sizeStream)
		}
		for range p.steps {
			sum += w.regime.rng.Float64() + w.demand.rng.NormFloat64() + w.macro.rng.NormFloat64()
			for i := range p.nCust {
				sum += w.revenue[i].rng.NormFloat64() + w.cashFlow[i].rng.NormFloat64() +
					w.arrival[i].rng.Float64() + w.size[i].rng.NormFloat64()
				if p.cust[i].tScale > 0 {
					sum += distuv.ChiSquared{K: p.m.Customers[i].IdioDoF, Src: w.revenue[i].rng}.Rand()
				}
			}
		}
	}
	return sum
}
