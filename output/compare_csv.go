package output

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/backlogsim/backlogsim/mcstat"
)

// CompareCSV returns c as compare.csv, a tidy table under the header
//
//	kind,entity,case,measure,level,statistic,value
//
// kind is provider, supplier or customer. measure is one of the
// compare.json keys backlog_lost_mean, backlog_lost_es, economic_loss_mean,
// economic_loss_es (firms), default_probability (all) and
// default_probability_by_year (customers, with the year 1, 2, … as level;
// level is the ES level 0.99 for the ES measures and empty otherwise),
// and for firms backlog_lost_var and economic_loss_var at every tail level
// and backlog_lost_es and economic_loss_es at the other tail levels.
// statistic is value and stderr for every run and, for the cases, diff,
// paired_stderr, unpaired_stderr and (except for ES) correlation. Rows come
// providers, suppliers, customers, each entity's rows together, cases in
// order. Values are formatted with strconv.FormatFloat(v, 'g', -1, 64).
func CompareCSV(c *Comparison) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{"kind", "entity", "case", "measure", "level", "statistic", "value"}}
	var bad error
	num := func(v float64) string {
		if (math.IsNaN(v) || math.IsInf(v, 0)) && bad == nil {
			bad = errors.New("output: compare.csv: a value is NaN or infinite")
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	est := func(kind, entity, cs, measure, level string, e mcstat.Estimate) {
		rows = append(rows,
			[]string{kind, entity, cs, measure, level, "value", num(e.Value)},
			[]string{kind, entity, cs, measure, level, "stderr", num(e.StdErr)})
	}
	dif := func(kind, entity, cs, measure, level string, d mcstat.Difference) {
		rows = append(rows,
			[]string{kind, entity, cs, measure, level, "diff", num(d.Diff)},
			[]string{kind, entity, cs, measure, level, "paired_stderr", num(d.PairedStdErr)},
			[]string{kind, entity, cs, measure, level, "unpaired_stderr", num(d.UnpairedStdErr)})
		if d.Correlation != nil {
			rows = append(rows, []string{kind, entity, cs, measure, level, "correlation", num(*d.Correlation)})
		}
	}
	lvl := LevelKey(c.ESLevel)
	for _, group := range []struct {
		kind  string
		firms []FirmComparison
	}{{"provider", c.Providers}, {"supplier", c.Suppliers}} {
		for _, f := range group.firms {
			for _, fc := range f.Cases {
				k, n := group.kind, f.Name
				est(k, n, fc.Case, "backlog_lost_mean", "", fc.BacklogLostMean)
				est(k, n, fc.Case, "backlog_lost_es", lvl, fc.BacklogLostES)
				est(k, n, fc.Case, "economic_loss_mean", "", fc.EconomicLossMean)
				est(k, n, fc.Case, "economic_loss_es", lvl, fc.EconomicLossES)
				est(k, n, fc.Case, "default_probability", "", fc.DefaultProbability)
				for _, tail := range []struct {
					measure string
					cases   []TailCase
				}{{"backlog_lost", fc.BacklogLostTail}, {"economic_loss", fc.EconomicLossTail}} {
					for _, tc := range tail.cases {
						est(k, n, fc.Case, tail.measure+"_var", LevelKey(tc.Level), tc.VaR)
						if tc.Level != c.ESLevel { // the ES level's row is above
							est(k, n, fc.Case, tail.measure+"_es", LevelKey(tc.Level), tc.ES)
						}
					}
				}
				if d := fc.Diff; d != nil {
					dif(k, n, fc.Case, "backlog_lost_mean", "", d.BacklogLostMean)
					dif(k, n, fc.Case, "backlog_lost_es", lvl, d.BacklogLostES)
					dif(k, n, fc.Case, "economic_loss_mean", "", d.EconomicLossMean)
					dif(k, n, fc.Case, "economic_loss_es", lvl, d.EconomicLossES)
					dif(k, n, fc.Case, "default_probability", "", d.DefaultProbability)
					for _, tail := range []struct {
						measure string
						diffs   []TailDiff
					}{{"backlog_lost", d.BacklogLostTail}, {"economic_loss", d.EconomicLossTail}} {
						for _, td := range tail.diffs {
							dif(k, n, fc.Case, tail.measure+"_var", LevelKey(td.Level), td.VaR)
							if td.Level != c.ESLevel {
								dif(k, n, fc.Case, tail.measure+"_es", LevelKey(td.Level), td.ES)
							}
						}
					}
				}
			}
		}
	}
	for _, cu := range c.Customers {
		for _, cc := range cu.Cases {
			est("customer", cu.Name, cc.Case, "default_probability", "", cc.DefaultProbability)
			for y, e := range cc.DefaultProbabilityByYear {
				est("customer", cu.Name, cc.Case, "default_probability_by_year", strconv.Itoa(y+1), e)
			}
			if d := cc.Diff; d != nil {
				dif("customer", cu.Name, cc.Case, "default_probability", "", d.DefaultProbability)
				for y, e := range d.DefaultProbabilityByYear {
					dif("customer", cu.Name, cc.Case, "default_probability_by_year", strconv.Itoa(y+1), e)
				}
			}
		}
	}
	if bad != nil {
		return nil, bad
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("output: compare.csv: %w", err)
	}
	return buf.Bytes(), nil
}
