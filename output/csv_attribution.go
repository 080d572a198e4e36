package output

import (
	"strconv"

	"github.com/backlogsim/backlogsim/sim"
)

// The rows of summary.csv beyond each entity's own distributions: why the
// loss happens (see FORMAT.md, "summary.csv"). Contributions are given at
// the report's tail level, 99% (every level is in summary.json).

// attribution writes firm f's default timing, its ES contributions and
// its tail anatomy.
func (e csvEntity) attribution(f sim.FirmSummary, s sim.Summary) {
	for k, p := range f.DefaultProbabilityByYear {
		e.proportion("default_probability_by_year", strconv.Itoa(k+1), p)
	}
	e.contributions("backlog_lost_es99_contribution", f.BacklogLostContributions)
	e.contributions("economic_loss_es99_contribution", f.EconomicLossContributions)
	e.anatomy(s, f.Name)
}

// contributions writes the decomposition of ES 99% of one loss: the sums
// (statistics var, es, direct, contagion and their standard errors, level
// empty) and each origin's part (level KIND:SOURCE, e.g. customer:openai
// or pool:oracle).
func (e csvEntity) contributions(measure string, rc *sim.RiskContributions) {
	if rc == nil {
		return
	}
	l := rc.Levels[tailIndex()]
	if !l.Available {
		return
	}
	e.row(measure, "var", "", l.VaR)
	e.row(measure, "es", "", l.ES)
	e.estimate(measure, "direct", "", l.Direct)
	e.estimate(measure, "contagion", "", l.Contagion)
	for _, src := range l.Sources {
		level := src.Kind + ":" + src.Name
		e.estimate(measure, "total", level, src.Total)
		e.estimate(measure, "direct", level, src.Direct)
		e.estimate(measure, "contagion", level, src.Contagion)
	}
}

// estimate writes v as statistic and statistic_stderr.
func (e csvEntity) estimate(measure, statistic, level string, v sim.Estimate) {
	e.row(measure, statistic, level, v.Value)
	e.row(measure, statistic+"_stderr", level, v.StdErr)
}

// joint writes the entity's joint and conditional default probabilities
// with every other entity of jd (level: the other entity).
func (e csvEntity) joint(jd *sim.JointDefaults) {
	if jd == nil {
		return
	}
	i := -1
	for k, name := range jd.Entities {
		if name == e.entity {
			i = k
		}
	}
	if i < 0 {
		return
	}
	for j, other := range jd.Entities {
		if j != i {
			e.proportion("joint_default_probability", other, jd.Joint[i][j])
		}
	}
	for j, other := range jd.Entities {
		if j != i && jd.Defined[j] {
			e.proportion("conditional_default_probability", other, jd.Conditional[j][i])
		}
	}
}

// anatomy writes the tail anatomy of the loss named loss: each driver's
// mean over the loss's worst 1% of paths and over all paths (level: the
// driver).
func (e csvEntity) anatomy(s sim.Summary, loss string) {
	for _, a := range s.TailAnatomy {
		if a.Loss != loss {
			continue
		}
		for _, d := range a.Drivers {
			e.estimate("tail_anatomy_worst_1pct", "mean", d.Name, d.Tail)
			e.estimate("tail_anatomy_all_paths", "mean", d.Name, d.All)
		}
	}
}

// systemRows writes the rows of kind and entity "system": the system-wide
// loss, its ES contributions and tail anatomy, and the distribution of
// the number of providers and suppliers in default.
func systemRows(w *csvRows, s sim.Summary) {
	r := csvEntity{w: w, kind: sim.SystemName, entity: sim.SystemName}
	if s.System != nil {
		r.stats("backlog_lost", s.System.BacklogLost)
		r.stats("economic_loss", s.System.EconomicLoss)
		r.contributions("backlog_lost_es99_contribution", s.System.BacklogLostContributions)
		r.contributions("economic_loss_es99_contribution", s.System.EconomicLossContributions)
		r.anatomy(s, sim.SystemName)
	}
	if jd := s.JointDefaults; jd != nil {
		for k, p := range jd.FirmsInDefault {
			r.proportion("firms_in_default", strconv.Itoa(k), p)
		}
	}
}
