package output

import (
	"bytes"
	"encoding/json"
	"fmt"
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

func ptr[T any](v T) *T { return &v }
