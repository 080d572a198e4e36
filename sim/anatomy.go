package sim

import (
	"math"
	"strings"
)

// TailAnatomy compares what the world looks like on the worst 1% of paths
// of one loss (a firm's backlog lost, or the system's) with all paths: a
// first reverse stress test.
//
// The tail means are E[driver | L ≥ VaR₀.₉₉] with the paths tied at the
// VaR counted in part, exactly as the paths of RiskContributions at 99%,
// with the same delta-method standard errors. The means over all paths are
// estimated on the first AnatomySample paths of the run (all of them if
// fewer), a fixed subsample, with their standard errors.
type TailAnatomy struct {
	Loss    string // a firm's name, or SystemName
	Drivers []DriverStat
}

// DriverStat is one driver's mean in the tail and over all paths.
type DriverStat struct {
	Name      string
	Tail, All Estimate
}

// yearSuffix ends the name of a year-of-default driver, which follows the
// entity's default indicator.
const yearSuffix = ": year of default, if it defaulted"

// AnatomySample is the number of paths, from the first, over which
// TailAnatomy estimates the means over all paths.
const AnatomySample = 4000

// anatomyLevel is the index in TailLevels of the tail the anatomy reads.
const anatomyLevel = 1

// driverNames returns the names of the drivers, in the order of a
// driverRecorder's vector.
func driverNames(p *plan) []string {
	var names []string
	for _, r := range p.m.Funding.Regimes {
		names = append(names, "share of time in regime "+r.Name)
	}
	names = append(names, "mean demand factor", "mean macro factor")
	for i := range p.nCust {
		n := p.m.EntityName(EntityID(i))
		names = append(names, n+": revenue run-rate / plan at default or horizon",
			n+": amount raised", n+": defaulted", n+yearSuffix)
	}
	for f := range p.nFirm {
		n := p.m.EntityName(EntityID(p.nCust + f))
		names = append(names, n+": defaulted", n+yearSuffix)
	}
	return names
}

// driverRecorder records one path's drivers (see driverNames). The year of
// default is recorded as default indicator × year, and divided by the
// default probability when the means are formed.
type driverRecorder struct {
	w       *worker
	v       []float64
	planLog []float64
}

func newDriverRecorder(w *worker) *driverRecorder {
	p := w.p
	return &driverRecorder{w: w, v: make([]float64, len(driverNames(p))), planLog: make([]float64, p.nCust)}
}

func (d *driverRecorder) reset() {
	clear(d.v)
	for i, c := range d.w.p.m.Customers {
		d.planLog[i] = math.Log(c.Revenue)
	}
}

func (d *driverRecorder) endStep(s, regime int, demand, macro float64) {
	w, p := d.w, d.w.p
	nr := len(p.m.Funding.Regimes)
	inv := 1 / float64(p.steps)
	d.v[regime] += inv
	d.v[nr] += demand * inv
	d.v[nr+1] += macro * inv
	at := nr + 2
	for i := range p.nCust {
		x := d.v[at : at+4]
		at += 4
		if w.custDefault[i] >= 0 && int(w.custDefault[i]) < s {
			continue
		}
		d.planLog[i] += p.cust[i].growth[s]
		x[0] = 0
		if plan := math.Exp(math.Min(d.planLog[i], maxLogRevenue)); plan > 0 {
			x[0] = math.Exp(w.lnRev[i]) / plan
		}
		x[1] = w.raised[i]
		if w.custDefault[i] == int32(s) {
			x[2], x[3] = 1, float64(s+1)*p.dt
		}
	}
	for f := range p.nFirm {
		if w.firmDefault[f] == int32(s) {
			d.v[at], d.v[at+1] = 1, float64(s+1)*p.dt
		}
		at += 2
	}
}

// replayObserver is the observer of a replay: it traces origins and
// records drivers.
type replayObserver struct {
	origins *originTracker
	drivers *driverRecorder
}

func (r replayObserver) backerPaid(f, c int, amount float64) { r.origins.backerPaid(f, c, amount) }
func (r replayObserver) poolLoss(f int, lost, econ float64)  { r.origins.poolLoss(f, lost, econ) }
func (r replayObserver) firmDefaults(f int)                  { r.origins.firmDefaults(f) }
func (r replayObserver) contractLoss(payer EntityID, f int, lost, econ float64) {
	r.origins.contractLoss(payer, f, lost, econ)
}
func (r replayObserver) endStep(s, regime int, demand, macro float64) {
	r.drivers.endStep(s, regime, demand, macro)
}

// anatomy returns the TailAnatomy of loss from its tail and all-path
// accumulators: the year of default is divided by the default probability
// (a ratio, reported without a standard error).
func anatomy(p *plan, loss string, tail, all *contribAcc) TailAnatomy {
	tail.flush()
	all.flush()
	ta := TailAnatomy{Loss: loss}
	names := driverNames(p)
	for k, n := range names {
		ta.Drivers = append(ta.Drivers, DriverStat{Name: n, Tail: tail.estimate(k), All: all.estimate(k)})
	}
	for k, n := range names {
		if strings.HasSuffix(n, yearSuffix) {
			d := &ta.Drivers[k]
			d.Tail = ratio(d.Tail.Value, ta.Drivers[k-1].Tail.Value)
			d.All = ratio(d.All.Value, ta.Drivers[k-1].All.Value)
		}
	}
	return ta
}

func ratio(a, b float64) Estimate {
	if b <= 0 {
		return Estimate{}
	}
	return Estimate{Value: a / b}
}
