package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// JointDefaultsEntry is sim.JointDefaults in a SummaryFile. Matrices are
// indexed [i][j] in the order of Entities: the customers, then the
// providers, then the suppliers, as in the scenario.
type JointDefaultsEntry struct {
	Entities []string `json:"entities"`
	// Joint[i][j] is P(i and j default within the horizon); the diagonal
	// is P(i defaults).
	Joint       [][]float64 `json:"joint"`
	JointStdErr [][]float64 `json:"joint_stderr"`
	// Conditional[i][j] is P(j defaults | i defaults) (ratio estimator,
	// delta-method standard error); row i is null when i never defaulted.
	Conditional       [][]float64 `json:"conditional"`
	ConditionalStdErr [][]float64 `json:"conditional_stderr"`
	// FirmsInDefault[k] is the probability that exactly k providers and
	// suppliers are in default at the horizon.
	FirmsInDefault       []float64 `json:"firms_in_default"`
	FirmsInDefaultStdErr []float64 `json:"firms_in_default_stderr"`
}

func newJointDefaultsEntry(jd *sim.JointDefaults) *JointDefaultsEntry {
	if jd == nil {
		return nil
	}
	e := &JointDefaultsEntry{Entities: jd.Entities}
	split := func(row []mcstat.ProportionStats) (ps, ses []float64) {
		ps, ses = make([]float64, len(row)), make([]float64, len(row))
		for k, v := range row {
			ps[k], ses[k] = v.P, v.StdErr
		}
		return ps, ses
	}
	for i := range jd.Entities {
		p, se := split(jd.Joint[i])
		e.Joint = append(e.Joint, p)
		e.JointStdErr = append(e.JointStdErr, se)
		p, se = nil, nil
		if jd.Defined[i] {
			p, se = split(jd.Conditional[i])
		}
		e.Conditional = append(e.Conditional, p)
		e.ConditionalStdErr = append(e.ConditionalStdErr, se)
	}
	e.FirmsInDefault, e.FirmsInDefaultStdErr = split(jd.FirmsInDefault)
	return e
}

// jointDefaults converts e back to sim.JointDefaults, checking its shape.
func (e *JointDefaultsEntry) jointDefaults() (*sim.JointDefaults, error) {
	if e == nil {
		return nil, nil
	}
	n := len(e.Entities)
	bad := func(key string) error {
		return fmt.Errorf("output: summary field joint_defaults.%s: want %d rows of %d entries (or null rows for conditional)", key, n, n)
	}
	join := func(key string, ps, ses []float64, nullable bool) ([]mcstat.ProportionStats, error) {
		if ps == nil && ses == nil && nullable {
			return make([]mcstat.ProportionStats, n), nil
		}
		if len(ps) != n || len(ses) != n {
			return nil, bad(key)
		}
		out := make([]mcstat.ProportionStats, n)
		for k := range ps {
			out[k] = mcstat.ProportionStats{P: ps[k], StdErr: ses[k]}
		}
		return out, nil
	}
	if len(e.Joint) != n || len(e.JointStdErr) != n || len(e.Conditional) != n || len(e.ConditionalStdErr) != n {
		return nil, bad("joint")
	}
	jd := &sim.JointDefaults{Entities: e.Entities, Defined: make([]bool, n)}
	for i := range n {
		row, err := join("joint", e.Joint[i], e.JointStdErr[i], false)
		if err != nil {
			return nil, err
		}
		cond, err := join("conditional", e.Conditional[i], e.ConditionalStdErr[i], true)
		if err != nil {
			return nil, err
		}
		jd.Joint = append(jd.Joint, row)
		jd.Conditional = append(jd.Conditional, cond)
		jd.Defined[i] = e.Conditional[i] != nil
	}
	if len(e.FirmsInDefault) != len(e.FirmsInDefaultStdErr) {
		return nil, bad("firms_in_default")
	}
	for k, p := range e.FirmsInDefault {
		jd.FirmsInDefault = append(jd.FirmsInDefault, mcstat.ProportionStats{P: p, StdErr: e.FirmsInDefaultStdErr[k]})
	}
	return jd, nil
}

// check reports the first non-finite number of e to c.
func (e *JointDefaultsEntry) check(c *finiteChecker) {
	if e == nil {
		return
	}
	for _, m := range []struct {
		key  string
		rows [][]float64
	}{{"joint", e.Joint}, {"joint_stderr", e.JointStdErr}, {"conditional", e.Conditional}, {"conditional_stderr", e.ConditionalStdErr}} {
		for i, row := range m.rows {
			for j, v := range row {
				c.check(fmt.Sprintf("joint_defaults.%s[%d][%d]", m.key, i, j), v)
			}
		}
	}
	for k, v := range e.FirmsInDefault {
		c.check(fmt.Sprintf("joint_defaults.firms_in_default[%d]", k), v)
		c.check(fmt.Sprintf("joint_defaults.firms_in_default_stderr[%d]", k), e.FirmsInDefaultStdErr[k])
	}
}
