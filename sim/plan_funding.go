package sim

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// compileFunding prepares the funding market: the one-step transition
// matrix P = exp(Q·dt) and its cumulative rows, the importance sampling's
// tilted chain and schedule, the regimes forced by shocks, and each
// regime's multipliers and capacity.
func (p *plan) compileFunding() {
	m, dt, steps := p.m, p.dt, p.steps
	nr := len(m.Funding.Regimes)
	trans := mat.NewDense(nr, nr, nil)
	if m.Funding.Generator != nil {
		var q mat.Dense
		q.Scale(dt, m.Funding.Generator)
		trans.Exp(&q)
	} else {
		for i := range nr {
			trans.Set(i, i, 1)
		}
	}
	p.regimeCDF = transitionCDF(trans)
	p.regimeSampleCDF = p.regimeCDF
	p.antithetic = m.Sampling.Antithetic
	p.is = m.Sampling.Importance
	p.importanceSchedule()
	p.tiltRegimes(trans)
	p.forced = make([]int, steps)
	for s := range p.forced {
		p.forced[s] = -1
		t := float64(s) * dt
		for _, sh := range m.Funding.Shocks { // later shocks win
			if t >= sh.StartYears-1e-9 && t < sh.StartYears+sh.DurationYears-1e-9 {
				p.forced[s] = sh.Regime
			}
		}
	}
	for _, r := range m.Funding.Regimes {
		p.valMult = append(p.valMult, r.ValuationMultiplier)
		c := r.CapacityPerYear
		if c == 0 {
			c = math.Inf(1)
		}
		p.capacity = append(p.capacity, c)
	}

}

// tiltRegimes prepares importance sampling's tilted funding chain: rates
// into regimes with a lower round-rate multiplier are multiplied by the
// tilt, the others divided, and each transition carries the log ratio of
// the true to the tilted probability. trans is the true one-step matrix.
func (p *plan) tiltRegimes(trans *mat.Dense) {
	m, dt := p.m, p.dt
	nr := len(m.Funding.Regimes)
	if tilt := p.is.RegimeTilt; tilt > 0 && tilt != 1 && m.Funding.Generator != nil {
		var q, tilted mat.Dense
		q.CloneFrom(m.Funding.Generator)
		for i := range nr {
			row := 0.0
			for j := range nr {
				if i == j {
					continue
				}
				v := q.At(i, j)
				if m.Funding.Regimes[j].RoundRateMultiplier < m.Funding.Regimes[i].RoundRateMultiplier {
					v *= tilt
				} else {
					v /= tilt
				}
				q.Set(i, j, v)
				row += v
			}
			q.Set(i, i, -row)
		}
		q.Scale(dt, &q)
		tilted.Exp(&q)
		p.regimeSampleCDF = transitionCDF(&tilted)
		p.regimeLogRatio = make([][]float64, nr)
		for i := range nr {
			p.regimeLogRatio[i] = make([]float64, nr)
			for j := range nr {
				p.regimeLogRatio[i][j] = math.Log(math.Max(trans.At(i, j), 0)) - math.Log(math.Max(tilted.At(i, j), 1e-300))
			}
		}
	}
}

// importanceSchedule spreads the importance shifts over the steps of the
// window: θ/√(steps in the window) per step.
func (p *plan) importanceSchedule() {
	is := p.is
	stepsIn := func(years float64) int {
		if years > 0 {
			return min(p.steps, int(math.Ceil(years/p.dt-1e-9)))
		}
		return p.steps
	}
	window := stepsIn(is.WindowYears)
	macroWindow := window
	if is.MacroWindowYears > 0 {
		macroWindow = stepsIn(is.MacroWindowYears)
	}
	perStep := 1 / math.Sqrt(float64(max(window, 1)))
	macroPerStep := 1 / math.Sqrt(float64(max(macroWindow, 1)))
	tilt := is.ArrivalTilt
	if tilt <= 0 {
		tilt = 1
	}
	for s := range p.steps {
		macro := 0.0
		if s < macroWindow && is.Active() {
			macro = is.MacroShift * macroPerStep
		}
		p.macroShift = append(p.macroShift, macro)
		in := s < window && is.Active()
		if !in {
			p.demandShift = append(p.demandShift, 0)
			p.revenueShift = append(p.revenueShift, 0)
			p.arrivalTilt = append(p.arrivalTilt, 1)
			p.regimeTilted = append(p.regimeTilted, false)
			continue
		}
		p.demandShift = append(p.demandShift, is.DemandShift*perStep)
		p.revenueShift = append(p.revenueShift, is.RevenueShift*perStep)
		p.arrivalTilt = append(p.arrivalTilt, tilt)
		p.regimeTilted = append(p.regimeTilted, is.RegimeTilt > 0 && is.RegimeTilt != 1)
	}
}

// transitionCDF returns the cumulative distributions of the rows of a
// transition matrix, clamping rounding negatives to zero.
func transitionCDF(trans *mat.Dense) [][]float64 {
	nr, _ := trans.Dims()
	out := make([][]float64, nr)
	for i := range nr {
		cdf := make([]float64, nr)
		acc := 0.0
		for j := range nr {
			acc += math.Max(trans.At(i, j), 0)
			cdf[j] = acc
		}
		for j := range cdf {
			cdf[j] /= acc
		}
		cdf[nr-1] = 1
		out[i] = cdf
	}
	return out
}
