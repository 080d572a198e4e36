package output

import (
	"fmt"
	"github.com/backlogsim/backlogsim/mcstat"
	"slices"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// Metric names one headline statistic of a run: ENTITY.STATISTIC, for
// example "openai.default_probability" or "oracle.economic_loss_es". The
// statistics are those of compare.json: default_probability for every
// entity and, for providers and suppliers, backlog_lost_mean,
// backlog_lost_es, economic_loss_mean and economic_loss_es (ES at the
// comparison's level, 99%).
type Metric struct {
	Entity string `json:"entity"`
	// Kind is "customer", "provider" or "supplier".
	Kind string `json:"kind"`
	Stat string `json:"statistic"`
}

func (m Metric) String() string { return m.Entity + "." + m.Stat }

// firmStats are the statistics of providers and suppliers.
var firmStats = []string{"default_probability", "backlog_lost_mean", "backlog_lost_es", "economic_loss_mean", "economic_loss_es"}

// ParseMetric parses ENTITY.STATISTIC for an entity of m.
func ParseMetric(m *sim.Model, s string) (Metric, error) {
	entity, stat, ok := strings.Cut(s, ".")
	if !ok {
		return Metric{}, fmt.Errorf("metric %q: want ENTITY.STATISTIC, such as openai.default_probability", s)
	}
	kind := ""
	switch {
	case slices.ContainsFunc(m.Customers, func(c sim.Customer) bool { return c.Name == entity }):
		kind = "customer"
	case slices.ContainsFunc(m.Providers, func(f sim.Firm) bool { return f.Name == entity }):
		kind = "provider"
	case slices.ContainsFunc(m.Suppliers, func(f sim.Firm) bool { return f.Name == entity }):
		kind = "supplier"
	default:
		return Metric{}, fmt.Errorf("metric %q: no customer, provider or supplier %q", s, entity)
	}
	allowed := firmStats
	if kind == "customer" {
		allowed = firmStats[:1]
	}
	if !slices.Contains(allowed, stat) {
		return Metric{}, fmt.Errorf("metric %q: a %s's statistics are %s", s, kind, strings.Join(allowed, ", "))
	}
	return Metric{Entity: entity, Kind: kind, Stat: stat}, nil
}

// DefaultMetrics are the metrics a sensitivity analysis reports unless
// told otherwise: every customer's default probability, then every
// provider's default probability and ES 99% of economic loss.
func DefaultMetrics(m *sim.Model) []Metric {
	var out []Metric
	for _, c := range m.Customers {
		out = append(out, Metric{Entity: c.Name, Kind: "customer", Stat: "default_probability"})
	}
	for _, p := range m.Providers {
		out = append(out, Metric{Entity: p.Name, Kind: "provider", Stat: "default_probability"},
			Metric{Entity: p.Name, Kind: "provider", Stat: "economic_loss_es"})
	}
	return out
}

// IsProbability reports whether the metric is a probability (shown in
// percent) rather than an amount of money.
func (m Metric) IsProbability() bool { return m.Stat == "default_probability" }

// MetricValue returns the metric's value and standard error in a run's
// summary: the same figures as compare.json's.
func MetricValue(s sim.Summary, m Metric) (mcstat.Estimate, error) {
	k := levelIndex(compareLevel)
	if m.Kind == "customer" {
		for _, c := range s.Customers {
			if c.Name == m.Entity {
				return c.DefaultProbability.Estimate(), nil
			}
		}
		return mcstat.Estimate{}, fmt.Errorf("output: no customer %q in the summary", m.Entity)
	}
	for _, f := range append(slices.Clone(s.Providers), s.Suppliers...) {
		if f.Name != m.Entity {
			continue
		}
		switch m.Stat {
		case "default_probability":
			return f.DefaultProbability.Estimate(), nil
		case "backlog_lost_mean":
			return f.BacklogLost.MeanEstimate(), nil
		case "backlog_lost_es":
			return f.BacklogLost.ESEstimate(k), nil
		case "economic_loss_mean":
			return f.EconomicLoss.MeanEstimate(), nil
		case "economic_loss_es":
			return f.EconomicLoss.ESEstimate(k), nil
		}
		return mcstat.Estimate{}, fmt.Errorf("output: unknown statistic %q", m.Stat)
	}
	return mcstat.Estimate{}, fmt.Errorf("output: no firm %q in the summary", m.Entity)
}

// MetricDiff returns the metric of case i of a comparison and its
// difference from the base (nil for the base itself).
func MetricDiff(c *Comparison, i int, m Metric) (mcstat.Estimate, *mcstat.Difference, error) {
	if m.Kind == "customer" {
		for _, cu := range c.Customers {
			if cu.Name == m.Entity && i < len(cu.Cases) {
				cc := cu.Cases[i]
				if cc.Diff == nil {
					return cc.DefaultProbability, nil, nil
				}
				return cc.DefaultProbability, &cc.Diff.DefaultProbability, nil
			}
		}
		return mcstat.Estimate{}, nil, fmt.Errorf("output: no customer %q in the comparison", m.Entity)
	}
	for _, f := range append(slices.Clone(c.Providers), c.Suppliers...) {
		if f.Name != m.Entity || i >= len(f.Cases) {
			continue
		}
		fc := f.Cases[i]
		var e mcstat.Estimate
		var d *mcstat.Difference
		pick := func(est mcstat.Estimate, diff func(*FirmDiff) *mcstat.Difference) {
			e = est
			if fc.Diff != nil {
				d = diff(fc.Diff)
			}
		}
		switch m.Stat {
		case "default_probability":
			pick(fc.DefaultProbability, func(x *FirmDiff) *mcstat.Difference { return &x.DefaultProbability })
		case "backlog_lost_mean":
			pick(fc.BacklogLostMean, func(x *FirmDiff) *mcstat.Difference { return &x.BacklogLostMean })
		case "backlog_lost_es":
			pick(fc.BacklogLostES, func(x *FirmDiff) *mcstat.Difference { return &x.BacklogLostES })
		case "economic_loss_mean":
			pick(fc.EconomicLossMean, func(x *FirmDiff) *mcstat.Difference { return &x.EconomicLossMean })
		case "economic_loss_es":
			pick(fc.EconomicLossES, func(x *FirmDiff) *mcstat.Difference { return &x.EconomicLossES })
		default:
			return mcstat.Estimate{}, nil, fmt.Errorf("output: unknown statistic %q", m.Stat)
		}
		return e, d, nil
	}
	return mcstat.Estimate{}, nil, fmt.Errorf("output: no firm %q in the comparison", m.Entity)
}

// HeadlineMetrics are every customer's default probability and every
// provider's and supplier's default probability, mean and ES 99% of
// backlog lost and of economic loss.
func HeadlineMetrics(m *sim.Model) []Metric {
	var out []Metric
	for _, c := range m.Customers {
		out = append(out, Metric{Entity: c.Name, Kind: "customer", Stat: "default_probability"})
	}
	for _, st := range firmStats {
		for _, p := range m.Providers {
			out = append(out, Metric{Entity: p.Name, Kind: "provider", Stat: st})
		}
		for _, s := range m.Suppliers {
			out = append(out, Metric{Entity: s.Name, Kind: "supplier", Stat: st})
		}
	}
	return out
}
