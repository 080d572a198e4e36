package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// ReadSummaryJSON decodes summary.json as written by SummaryJSON. Keys it
// does not know are ignored, so files with keys added later still read. It
// returns an error if the format version is not FormatVersion or the file
// is inconsistent (see SummaryFile.Summary).
func ReadSummaryJSON(data []byte) (*SummaryFile, error) {
	var probe struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("output: reading summary: %w", err)
	}
	switch {
	case probe.FormatVersion == nil:
		return nil, errors.New("output: reading summary: no format_version")
	case *probe.FormatVersion != FormatVersion:
		return nil, fmt.Errorf("output: reading summary: format_version %d, want %d", *probe.FormatVersion, FormatVersion)
	}
	var f SummaryFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("output: reading summary: %w", err)
	}
	if _, err := f.Summary(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Summary converts f back to a sim.Summary with the entities in scenario
// order, the inverse of NewSummaryFile. It returns an error if the indices
// of an entity kind are not 0, 1, …, n−1, a tail level of mcstat.TailLevels is
// missing from a Stats, or a customer's by-year probabilities and standard
// errors differ in length.
func (f *SummaryFile) Summary() (sim.Summary, error) {
	s := sim.Summary{
		Scenario:     f.Scenario,
		Seed:         f.Seed,
		Paths:        f.Paths,
		HorizonYears: f.HorizonYears,
		StepsPerYear: f.StepsPerYear,
		Sampling:     f.Sampling.summary(),
	}
	var err error
	if s.JointDefaults, err = f.JointDefaults.jointDefaults(); err != nil {
		return sim.Summary{}, err
	}
	if s.System, err = f.System.systemSummary(); err != nil {
		return sim.Summary{}, err
	}
	s.TailAnatomy = tailAnatomies(f.TailAnatomy)
	if s.Providers, err = firmSummaries("providers", f.Providers); err != nil {
		return sim.Summary{}, err
	}
	if s.Suppliers, err = firmSummaries("suppliers", f.Suppliers); err != nil {
		return sim.Summary{}, err
	}
	names, err := orderedNames("customers", f.Customers, func(e CustomerEntry) int { return e.Index })
	if err != nil {
		return sim.Summary{}, err
	}
	for _, name := range names {
		e := f.Customers[name]
		field := fmt.Sprintf("customers[%q]", name)
		if len(e.DefaultProbabilityByYear) != len(e.DefaultProbabilityByYearStdErr) {
			return sim.Summary{}, fmt.Errorf("output: summary field %s: %d default probabilities by year but %d standard errors",
				field, len(e.DefaultProbabilityByYear), len(e.DefaultProbabilityByYearStdErr))
		}
		c := sim.CustomerSummary{
			Name:                name,
			DefaultProbability:  mcstat.ProportionStats{P: e.DefaultProbability, StdErr: e.DefaultProbabilityStdErr},
			ProbabilityAnyRound: mcstat.ProportionStats{P: e.ProbabilityAnyRound, StdErr: e.ProbabilityAnyRoundStdErr},
		}
		for k, p := range e.DefaultProbabilityByYear {
			c.DefaultProbabilityByYear = append(c.DefaultProbabilityByYear,
				mcstat.ProportionStats{P: p, StdErr: e.DefaultProbabilityByYearStdErr[k]})
		}
		if c.FundingRaised, err = e.FundingRaised.lossStats(field + ".funding_raised"); err != nil {
			return sim.Summary{}, err
		}
		if c.BackerSupport, err = e.BackerSupport.lossStats(field + ".backer_support"); err != nil {
			return sim.Summary{}, err
		}
		if e.TranchesPaid != nil {
			if c.TranchesPaid, err = e.TranchesPaid.lossStats(field + ".tranches_paid"); err != nil {
				return sim.Summary{}, err
			}
		}
		s.Customers = append(s.Customers, c)
	}
	if f.Survivors != nil {
		s.Survivors = sim.RankSurvivors(s.Providers, s.Suppliers)
	}
	return s, nil
}

func firmSummaries(kind string, entries map[string]FirmEntry) ([]sim.FirmSummary, error) {
	names, err := orderedNames(kind, entries, func(e FirmEntry) int { return e.Index })
	if err != nil {
		return nil, err
	}
	var out []sim.FirmSummary
	for _, name := range names {
		e := entries[name]
		field := fmt.Sprintf("%s[%q]", kind, name)
		fs := sim.FirmSummary{
			Name:               name,
			Backlog:            e.Backlog,
			OperatingCashFlow:  e.OperatingCashFlow,
			DefaultProbability: mcstat.ProportionStats{P: e.DefaultProbability, StdErr: e.DefaultProbabilityStdErr},
		}
		if e.Liquidity != nil {
			fs.Liquidity = *e.Liquidity
		}
		if e.LossFromDefaultProbability != nil && e.LossFromDefaultProbabilityStdErr != nil {
			fs.LossFromDefaultProbability = mcstat.ProportionStats{P: *e.LossFromDefaultProbability, StdErr: *e.LossFromDefaultProbabilityStdErr}
		}
		if fs.BacklogLost, err = e.BacklogLost.lossStats(field + ".backlog_lost"); err != nil {
			return nil, err
		}
		if fs.EconomicLoss, err = e.EconomicLoss.lossStats(field + ".economic_loss"); err != nil {
			return nil, err
		}
		if e.BacklogRenegotiated != nil {
			if fs.BacklogRenegotiated, err = e.BacklogRenegotiated.lossStats(field + ".backlog_renegotiated"); err != nil {
				return nil, err
			}
		}
		for _, src := range e.LostBy {
			fs.LostBy = append(fs.LostBy, sim.LossSource{Name: src.Source, Mean: src.Mean, TailMean: src.TailMeanWorst1pct})
		}
		if len(e.DefaultProbabilityByYear) != len(e.DefaultProbabilityByYearStdErr) {
			return nil, fmt.Errorf("output: summary field %s: %d default probabilities by year but %d standard errors",
				field, len(e.DefaultProbabilityByYear), len(e.DefaultProbabilityByYearStdErr))
		}
		for k, p := range e.DefaultProbabilityByYear {
			fs.DefaultProbabilityByYear = append(fs.DefaultProbabilityByYear, mcstat.ProportionStats{P: p, StdErr: e.DefaultProbabilityByYearStdErr[k]})
		}
		if fs.BacklogLostContributions, fs.EconomicLossContributions, err = e.Contributions.riskContributions(field + ".contributions"); err != nil {
			return nil, err
		}
		out = append(out, fs)
	}
	return out, nil
}

// orderedNames returns the keys of m sorted by index, checking that the indices
// are 0, 1, …, len(m)−1.
func orderedNames[E any](kind string, m map[string]E, index func(E) int) ([]string, error) {
	names := make([]string, len(m))
	seen := make([]bool, len(m))
	for name, e := range m {
		i := index(e)
		if i < 0 || i >= len(m) || seen[i] {
			return nil, fmt.Errorf("output: summary field %s[%q].index: %d is out of range or repeated", kind, name, i)
		}
		seen[i] = true
		names[i] = name
	}
	return names, nil
}

func (s Stats) lossStats(field string) (mcstat.LossStats, error) {
	l := mcstat.LossStats{
		N:          s.N,
		Mean:       s.Mean,
		Std:        s.Std,
		MeanStdErr: s.MeanStdErr,
		PPositive:  s.PPositive,
	}
	for k, q := range mcstat.TailLevels() {
		key := LevelKey(q)
		for _, m := range []struct {
			name string
			src  map[string]float64
			dst  *float64
		}{
			{"var", s.VaR, &l.VaR[k]},
			{"var_stderr", s.VaRStdErr, &l.VaRStdErr[k]},
			{"es", s.ES, &l.ES[k]},
			{"es_stderr", s.ESStdErr, &l.ESStdErr[k]},
		} {
			v, ok := m.src[key]
			if !ok {
				return mcstat.LossStats{}, fmt.Errorf("output: summary field %s.%s: no level %q", field, m.name, key)
			}
			*m.dst = v
		}
	}
	return l, nil
}

// checkFinite returns an error naming the first field of f, in encoding
// order, that is NaN or infinite.
func (f *SummaryFile) checkFinite() error {
	c := finiteChecker{}
	c.check("horizon_years", f.HorizonYears)
	for k, q := range f.TailLevels {
		c.check(fmt.Sprintf("tail_levels[%d]", k), q)
	}
	for _, kind := range []struct {
		name    string
		entries map[string]FirmEntry
	}{{"providers", f.Providers}, {"suppliers", f.Suppliers}} {
		for _, name := range slices.Sorted(maps.Keys(kind.entries)) {
			e := kind.entries[name]
			p := fmt.Sprintf("%s[%q].", kind.name, name)
			c.check(p+"backlog", e.Backlog)
			c.check(p+"operating_cash_flow", e.OperatingCashFlow)
			if e.Liquidity != nil {
				c.check(p+"liquidity", *e.Liquidity)
			}
			c.stats(p+"backlog_lost", e.BacklogLost)
			c.stats(p+"economic_loss", e.EconomicLoss)
			if e.BacklogRenegotiated != nil {
				c.stats(p+"backlog_renegotiated", *e.BacklogRenegotiated)
			}
			c.check(p+"default_probability", e.DefaultProbability)
			c.check(p+"default_probability_stderr", e.DefaultProbabilityStdErr)
			if e.LossFromDefaultProbability != nil && e.LossFromDefaultProbabilityStdErr != nil {
				c.check(p+"loss_from_default_probability", *e.LossFromDefaultProbability)
				c.check(p+"loss_from_default_probability_stderr", *e.LossFromDefaultProbabilityStdErr)
			}
			for k, v := range e.DefaultProbabilityByYear {
				c.check(fmt.Sprintf("%sdefault_probability_by_year[%d]", p, k), v)
				c.check(fmt.Sprintf("%sdefault_probability_by_year_stderr[%d]", p, k), e.DefaultProbabilityByYearStdErr[k])
			}
			for k, src := range e.LostBy {
				c.check(fmt.Sprintf("%slost_by[%d].mean", p, k), src.Mean)
				c.check(fmt.Sprintf("%slost_by[%d].tail_mean_worst_1pct", p, k), src.TailMeanWorst1pct)
			}
			e.Contributions.check(&c, p+"contributions")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.Customers)) {
		e := f.Customers[name]
		p := fmt.Sprintf("customers[%q].", name)
		c.check(p+"default_probability", e.DefaultProbability)
		c.check(p+"default_probability_stderr", e.DefaultProbabilityStdErr)
		for k, v := range e.DefaultProbabilityByYear {
			c.check(fmt.Sprintf("%sdefault_probability_by_year[%d]", p, k), v)
		}
		for k, v := range e.DefaultProbabilityByYearStdErr {
			c.check(fmt.Sprintf("%sdefault_probability_by_year_stderr[%d]", p, k), v)
		}
		c.stats(p+"funding_raised", e.FundingRaised)
		c.check(p+"probability_any_round", e.ProbabilityAnyRound)
		c.check(p+"probability_any_round_stderr", e.ProbabilityAnyRoundStdErr)
		c.stats(p+"backer_support", e.BackerSupport)
		if e.TranchesPaid != nil {
			c.stats(p+"tranches_paid", *e.TranchesPaid)
		}
	}
	f.JointDefaults.check(&c)
	f.System.check(&c)
	checkAnatomy(&c, f.TailAnatomy)
	checkSurvivors(&c, f.Survivors)
	return c.err
}

// finiteChecker records the first non-finite value it is shown.
type finiteChecker struct{ err error }

func (c *finiteChecker) check(field string, v float64) {
	if c.err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		c.err = fmt.Errorf("output: summary field %s is %v; the engine should never produce it", field, v)
	}
}

func (c *finiteChecker) stats(field string, s Stats) {
	c.check(field+".mean", s.Mean)
	c.check(field+".std", s.Std)
	c.check(field+".mean_stderr", s.MeanStdErr)
	for _, m := range []struct {
		name string
		vals map[string]float64
	}{{"var", s.VaR}, {"var_stderr", s.VaRStdErr}, {"es", s.ES}, {"es_stderr", s.ESStdErr}} {
		for _, key := range slices.Sorted(maps.Keys(m.vals)) {
			c.check(fmt.Sprintf("%s.%s[%q]", field, m.name, key), m.vals[key])
		}
	}
	c.check(field+".p_positive", s.PPositive)
}
