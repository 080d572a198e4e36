package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// FormatVersion is the version of the summary.json format that SummaryJSON
// writes and ReadSummaryJSON reads. It changes only when a key is removed
// or its meaning changes; adding keys does not change it.
const FormatVersion = 1

// MoneyUnit is the unit of every amount of money in the summary files.
const MoneyUnit = "USD billions"

// SummaryFile is the content of summary.json: the statistics of one run in
// the stable, versioned format that SummaryJSON writes and ReadSummaryJSON
// reads. Entities are keyed by name, so their JSON keys are sorted; Index
// keeps their order in the scenario.
type SummaryFile struct {
	// FormatVersion is FormatVersion.
	FormatVersion int `json:"format_version"`
	// MoneyUnit is MoneyUnit.
	MoneyUnit string `json:"money_unit"`

	Scenario     string  `json:"scenario"`
	Seed         uint64  `json:"seed"`
	Paths        int     `json:"paths"`
	HorizonYears float64 `json:"horizon_years"`
	StepsPerYear int     `json:"steps_per_year"`
	// TailLevels are the confidence levels of the var and es keys of every
	// Stats, as in mcstat.TailLevels.
	TailLevels []float64 `json:"tail_levels"`

	Providers map[string]FirmEntry     `json:"providers"`
	Suppliers map[string]FirmEntry     `json:"suppliers"`
	Customers map[string]CustomerEntry `json:"customers"`

	// JointDefaults is which entities default together (absent when the
	// run did not measure it).
	JointDefaults *JointDefaultsEntry `json:"joint_defaults,omitempty"`
	// System is the system-wide loss (absent when the run did not
	// measure it).
	System *SystemEntry `json:"system,omitempty"`
	// TailAnatomy describes the worst 1% of paths of each firm's and the
	// system's backlog lost (absent when the run did not measure it).
	TailAnatomy []AnatomyEntry `json:"tail_anatomy,omitempty"`

	// Sampling is how the paths were drawn.
	Sampling SamplingEntry `json:"sampling"`

	// Survivors ranks the providers and suppliers, best placed first
	// (absent in files written before it existed).
	Survivors []SurvivorEntry `json:"survivors,omitempty"`
}

// FirmEntry is one provider's or supplier's statistics in a SummaryFile.
type FirmEntry struct {
	// Index is the firm's position among the providers (or suppliers) of
	// the scenario, from 0.
	Index             int     `json:"index"`
	Backlog           float64 `json:"backlog"`
	OperatingCashFlow float64 `json:"operating_cash_flow"`
	// Liquidity is what the firm can draw on at time zero (absent in files
	// written before it existed; see SurvivorEntry).
	Liquidity    *float64 `json:"liquidity,omitempty"`
	BacklogLost  Stats    `json:"backlog_lost"`
	EconomicLoss Stats    `json:"economic_loss"`
	// BacklogRenegotiated is the contract value distressed payers
	// renegotiated away (absent in files written before it existed).
	BacklogRenegotiated *Stats `json:"backlog_renegotiated,omitempty"`

	DefaultProbability       float64 `json:"default_probability"`
	DefaultProbabilityStdErr float64 `json:"default_probability_stderr"`
	// LossFromDefaultProbability is the probability of losing backlog to a
	// counterparty's default, apart from the diversified pool (absent in
	// files written before it existed).
	LossFromDefaultProbability       *float64 `json:"loss_from_default_probability,omitempty"`
	LossFromDefaultProbabilityStdErr *float64 `json:"loss_from_default_probability_stderr,omitempty"`
	// DefaultProbabilityByYear[k] is the probability of default by the end
	// of year k+1 (absent when the run did not measure it).
	DefaultProbabilityByYear       []float64 `json:"default_probability_by_year,omitempty"`
	DefaultProbabilityByYearStdErr []float64 `json:"default_probability_by_year_stderr,omitempty"`

	// LostBy breaks the mean backlog lost down by source, in the order of
	// sim.FirmResults.LostBy. It is never null.
	LostBy []LostBy `json:"lost_by"`

	// Contributions decomposes the ES of backlog_lost and economic_loss
	// by origin (absent when the run did not measure them).
	Contributions *LossContributions `json:"contributions,omitempty"`
}

// LostBy is the part of a firm's backlog lost that one source caused.
type LostBy struct {
	// Source is a counterparty's name or sim.PoolSource.
	Source string  `json:"source"`
	Mean   float64 `json:"mean"`
	// TailMeanWorst1pct is the mean over the paths in which the firm's
	// total backlog lost is at or above its 99% quantile.
	TailMeanWorst1pct float64 `json:"tail_mean_worst_1pct"`
}

// CustomerEntry is one customer's statistics in a SummaryFile.
type CustomerEntry struct {
	// Index is the customer's position among the customers of the
	// scenario, from 0.
	Index int `json:"index"`

	DefaultProbability       float64 `json:"default_probability"`
	DefaultProbabilityStdErr float64 `json:"default_probability_stderr"`
	// DefaultProbabilityByYear[k] is the probability of default by the end
	// of year k+1 (the last entry covers a final partial year). Never null.
	DefaultProbabilityByYear       []float64 `json:"default_probability_by_year"`
	DefaultProbabilityByYearStdErr []float64 `json:"default_probability_by_year_stderr"`

	FundingRaised             Stats   `json:"funding_raised"`
	ProbabilityAnyRound       float64 `json:"probability_any_round"`
	ProbabilityAnyRoundStdErr float64 `json:"probability_any_round_stderr"`
	BackerSupport             Stats   `json:"backer_support"`
	// TranchesPaid is what committed tranches paid in (absent in files
	// written before it existed).
	TranchesPaid *Stats `json:"tranches_paid,omitempty"`
}

// Stats is mcstat.LossStats in a SummaryFile. The var, var_stderr, es and
// es_stderr maps are keyed by tail level formatted with
// strconv.FormatFloat(q, 'f', -1, 64): "0.95", "0.99", "0.999".
type Stats struct {
	N          int                `json:"n"`
	Mean       float64            `json:"mean"`
	Std        float64            `json:"std"`
	MeanStdErr float64            `json:"mean_stderr"`
	VaR        map[string]float64 `json:"var"`
	VaRStdErr  map[string]float64 `json:"var_stderr"`
	ES         map[string]float64 `json:"es"`
	ESStdErr   map[string]float64 `json:"es_stderr"`
	PPositive  float64            `json:"p_positive"`
}

// LevelKey returns the key of tail level q in the var and es maps of Stats.
func LevelKey(q float64) string { return strconv.FormatFloat(q, 'f', -1, 64) }

// NewSummaryFile converts s to a SummaryFile. It returns an error if two
// providers, two suppliers or two customers share a name.
func NewSummaryFile(s sim.Summary) (*SummaryFile, error) {
	levels := mcstat.TailLevels()
	f := &SummaryFile{
		FormatVersion: FormatVersion,
		MoneyUnit:     MoneyUnit,
		Scenario:      s.Scenario,
		Seed:          s.Seed,
		Paths:         s.Paths,
		HorizonYears:  s.HorizonYears,
		StepsPerYear:  s.StepsPerYear,
		TailLevels:    levels[:],
		Providers:     make(map[string]FirmEntry, len(s.Providers)),
		Suppliers:     make(map[string]FirmEntry, len(s.Suppliers)),
		Customers:     make(map[string]CustomerEntry, len(s.Customers)),
		JointDefaults: newJointDefaultsEntry(s.JointDefaults),
		System:        newSystemEntry(s.System),
		TailAnatomy:   newAnatomyEntries(s.TailAnatomy),
		Sampling:      newSamplingEntry(s.Sampling),
		Survivors:     newSurvivorEntries(s.Survivors),
	}
	if err := firmEntries(f.Providers, "provider", s.Providers); err != nil {
		return nil, err
	}
	if err := firmEntries(f.Suppliers, "supplier", s.Suppliers); err != nil {
		return nil, err
	}
	for i, c := range s.Customers {
		if _, dup := f.Customers[c.Name]; dup {
			return nil, fmt.Errorf("output: two customers are named %q", c.Name)
		}
		e := CustomerEntry{
			Index:                          i,
			DefaultProbability:             c.DefaultProbability.P,
			DefaultProbabilityStdErr:       c.DefaultProbability.StdErr,
			DefaultProbabilityByYear:       make([]float64, len(c.DefaultProbabilityByYear)),
			DefaultProbabilityByYearStdErr: make([]float64, len(c.DefaultProbabilityByYear)),
			FundingRaised:                  newStats(c.FundingRaised),
			ProbabilityAnyRound:            c.ProbabilityAnyRound.P,
			ProbabilityAnyRoundStdErr:      c.ProbabilityAnyRound.StdErr,
			BackerSupport:                  newStats(c.BackerSupport),
			TranchesPaid:                   ptr(newStats(c.TranchesPaid)),
		}
		for k, p := range c.DefaultProbabilityByYear {
			e.DefaultProbabilityByYear[k] = p.P
			e.DefaultProbabilityByYearStdErr[k] = p.StdErr
		}
		f.Customers[c.Name] = e
	}
	return f, nil
}

func firmEntries(dst map[string]FirmEntry, kind string, firms []sim.FirmSummary) error {
	for i, fs := range firms {
		if _, dup := dst[fs.Name]; dup {
			return fmt.Errorf("output: two %ss are named %q", kind, fs.Name)
		}
		e := FirmEntry{
			Index:                            i,
			Backlog:                          fs.Backlog,
			OperatingCashFlow:                fs.OperatingCashFlow,
			Liquidity:                        ptr(fs.Liquidity),
			BacklogLost:                      newStats(fs.BacklogLost),
			EconomicLoss:                     newStats(fs.EconomicLoss),
			BacklogRenegotiated:              ptr(newStats(fs.BacklogRenegotiated)),
			DefaultProbability:               fs.DefaultProbability.P,
			DefaultProbabilityStdErr:         fs.DefaultProbability.StdErr,
			LossFromDefaultProbability:       ptr(fs.LossFromDefaultProbability.P),
			LossFromDefaultProbabilityStdErr: ptr(fs.LossFromDefaultProbability.StdErr),
			LostBy:                           make([]LostBy, len(fs.LostBy)),
			Contributions:                    newLossContributions(fs.BacklogLostContributions, fs.EconomicLossContributions),
		}
		for k, src := range fs.LostBy {
			e.LostBy[k] = LostBy{Source: src.Name, Mean: src.Mean, TailMeanWorst1pct: src.TailMean}
		}
		for _, p := range fs.DefaultProbabilityByYear {
			e.DefaultProbabilityByYear = append(e.DefaultProbabilityByYear, p.P)
			e.DefaultProbabilityByYearStdErr = append(e.DefaultProbabilityByYearStdErr, p.StdErr)
		}
		dst[fs.Name] = e
	}
	return nil
}

func newStats(l mcstat.LossStats) Stats {
	s := Stats{
		N:          l.N,
		Mean:       l.Mean,
		Std:        l.Std,
		MeanStdErr: l.MeanStdErr,
		VaR:        make(map[string]float64),
		VaRStdErr:  make(map[string]float64),
		ES:         make(map[string]float64),
		ESStdErr:   make(map[string]float64),
		PPositive:  l.PPositive,
	}
	for k, q := range mcstat.TailLevels() {
		key := LevelKey(q)
		s.VaR[key] = l.VaR[k]
		s.VaRStdErr[key] = l.VaRStdErr[k]
		s.ES[key] = l.ES[k]
		s.ESStdErr[key] = l.ESStdErr[k]
	}
	return s
}

// SummaryJSON returns s as summary.json: the JSON encoding of the
// SummaryFile of s, indented by two spaces and ending in a newline. The
// bytes depend only on s. The format is stable (see FormatVersion and
// FORMAT.md):
//
//	{
//	  "format_version": 1,
//	  "money_unit": "USD billions",
//	  "scenario": NAME, "seed": UINT64, "paths": INT,
//	  "horizon_years": NUMBER, "steps_per_year": INT,
//	  "tail_levels": [0.95, 0.99, 0.999],
//	  "providers": {NAME: FIRM, ...},
//	  "suppliers": {NAME: FIRM, ...},
//	  "customers": {NAME: CUSTOMER, ...}
//	}
//
//	FIRM = {"index", "backlog", "operating_cash_flow",
//	        "backlog_lost": STATS, "economic_loss": STATS,
//	        "backlog_renegotiated": STATS,
//	        "default_probability", "default_probability_stderr",
//	        "lost_by": [{"source", "mean", "tail_mean_worst_1pct"}, ...]}
//	CUSTOMER = {"index", "default_probability", "default_probability_stderr",
//	        "default_probability_by_year": [...],
//	        "default_probability_by_year_stderr": [...],
//	        "funding_raised": STATS,
//	        "probability_any_round", "probability_any_round_stderr",
//	        "backer_support": STATS, "tranches_paid": STATS}
//	STATS = {"n", "mean", "std", "mean_stderr",
//	        "var": LEVELS, "var_stderr": LEVELS,
//	        "es": LEVELS, "es_stderr": LEVELS, "p_positive"}
//	LEVELS = {"0.95": NUMBER, "0.99": NUMBER, "0.999": NUMBER}
//
// Money is in USD billions and probabilities are in [0, 1]. Keys of objects
// keyed by name or level are sorted; "index" gives an entity's position in
// the scenario.
//
// SummaryJSON returns an error if two entities of one kind share a name or
// if any number is NaN or infinite; the error names the field.
func SummaryJSON(s sim.Summary) ([]byte, error) {
	f, err := NewSummaryFile(s)
	if err != nil {
		return nil, err
	}
	return f.MarshalIndent()
}

// MarshalIndent returns f encoded as in SummaryJSON. It returns an error
// naming the field if any number in f is NaN or infinite.
func (f *SummaryFile) MarshalIndent() ([]byte, error) {
	if err := f.checkFinite(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("output: encoding summary: %w", err)
	}
	return buf.Bytes(), nil // Encode ends with a newline.
}

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

func ptr[T any](v T) *T { return &v }
