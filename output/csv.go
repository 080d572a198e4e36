package output

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// SummaryCSV returns s as summary.csv: a tidy table with one row per
// entity and statistic under the header
//
//	kind,entity,measure,statistic,level,value
//
// kind is provider, supplier, customer or system and entity the entity's
// name. Rows come in the order of s: providers, then suppliers, then
// customers, then the system, each entity's rows together. The measures and their statistics are the
// keys of summary.json (see SummaryJSON):
//
//   - backlog and operating_cash_flow (firms): statistic value.
//   - backlog_lost, economic_loss and backlog_renegotiated (firms),
//     funding_raised, backer_support and tranches_paid (customers): statistics n, mean, std, mean_stderr,
//     p_positive and, with the tail level (0.95, 0.99, 0.999) as level,
//     var, var_stderr, es and es_stderr.
//   - default_probability (all) and probability_any_round (customers):
//     statistics p and stderr.
//   - default_probability_by_year (customers): statistics p and stderr with
//     the year (1, 2, …) as level.
//   - lost_by (firms): statistics mean and tail_mean_worst_1pct with the
//     source (a counterparty or sim.PoolSource) as level.
//   - default_probability_by_year also for firms; backlog_lost_es99_contribution,
//     economic_loss_es99_contribution, joint_default_probability,
//     conditional_default_probability, tail_anatomy_worst_1pct and
//     tail_anatomy_all_paths, and the rows of kind and entity system (see
//     csv_attribution.go and FORMAT.md).
//
// level is empty where it does not apply. Money is in USD billions. Values
// are formatted with strconv.FormatFloat(v, 'g', -1, 64), the shortest
// representation that reads back exactly, so the bytes depend only on s.
// SummaryCSV returns an error naming the row if a value is NaN or infinite.
func SummaryCSV(s sim.Summary) ([]byte, error) {
	var buf bytes.Buffer
	w := &csvRows{w: csv.NewWriter(&buf)}
	w.write([]string{"kind", "entity", "measure", "statistic", "level", "value"})
	for _, kind := range []struct {
		name  string
		firms []sim.FirmSummary
	}{{"provider", s.Providers}, {"supplier", s.Suppliers}} {
		for _, f := range kind.firms {
			r := csvEntity{w: w, kind: kind.name, entity: f.Name}
			r.row("backlog", "value", "", f.Backlog)
			r.row("operating_cash_flow", "value", "", f.OperatingCashFlow)
			r.stats("backlog_lost", f.BacklogLost)
			r.stats("economic_loss", f.EconomicLoss)
			r.stats("backlog_renegotiated", f.BacklogRenegotiated)
			r.proportion("default_probability", "", f.DefaultProbability)
			r.proportion("loss_from_default_probability", "", f.LossFromDefaultProbability)
			for _, src := range f.LostBy {
				r.row("lost_by", "mean", src.Name, src.Mean)
				r.row("lost_by", "tail_mean_worst_1pct", src.Name, src.TailMean)
			}
			r.attribution(f, s)
			r.joint(s.JointDefaults)
		}
	}
	for _, c := range s.Customers {
		r := csvEntity{w: w, kind: "customer", entity: c.Name}
		r.proportion("default_probability", "", c.DefaultProbability)
		for k, p := range c.DefaultProbabilityByYear {
			r.proportion("default_probability_by_year", strconv.Itoa(k+1), p)
		}
		r.stats("funding_raised", c.FundingRaised)
		r.proportion("probability_any_round", "", c.ProbabilityAnyRound)
		r.stats("backer_support", c.BackerSupport)
		r.stats("tranches_paid", c.TranchesPaid)
		r.joint(s.JointDefaults)
	}
	systemRows(w, s)
	if w.err != nil {
		return nil, w.err
	}
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return nil, fmt.Errorf("output: writing summary CSV: %w", err)
	}
	return buf.Bytes(), nil
}

// csvRows writes CSV records, remembering the first error.
type csvRows struct {
	w   *csv.Writer
	err error
}

func (c *csvRows) write(record []string) {
	if c.err != nil {
		return
	}
	if err := c.w.Write(record); err != nil {
		c.err = fmt.Errorf("output: writing summary CSV: %w", err)
	}
}

// csvEntity writes the rows of one entity.
type csvEntity struct {
	w            *csvRows
	kind, entity string
}

func (e csvEntity) row(measure, statistic, level string, v float64) {
	if e.w.err != nil {
		return
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.w.err = fmt.Errorf("output: summary CSV row %s,%s,%s,%s,%s is %v; the engine should never produce it",
			e.kind, e.entity, measure, statistic, level, v)
		return
	}
	e.w.write([]string{e.kind, e.entity, measure, statistic, level, strconv.FormatFloat(v, 'g', -1, 64)})
}

func (e csvEntity) proportion(measure, level string, p mcstat.ProportionStats) {
	e.row(measure, "p", level, p.P)
	e.row(measure, "stderr", level, p.StdErr)
}

func (e csvEntity) stats(measure string, s mcstat.LossStats) {
	e.row(measure, "n", "", float64(s.N))
	e.row(measure, "mean", "", s.Mean)
	e.row(measure, "std", "", s.Std)
	e.row(measure, "mean_stderr", "", s.MeanStdErr)
	for k, q := range mcstat.TailLevels() {
		level := LevelKey(q)
		e.row(measure, "var", level, s.VaR[k])
		e.row(measure, "var_stderr", level, s.VaRStdErr[k])
		e.row(measure, "es", level, s.ES[k])
		e.row(measure, "es_stderr", level, s.ESStdErr[k])
	}
	e.row(measure, "p_positive", "", s.PPositive)
}
