package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// CompareFormatVersion is the version of the compare.json format. It
// changes only when a key is removed or renamed or its meaning changes.
const CompareFormatVersion = 1

// compareLevel is the tail level of the ES columns of a comparison.
const compareLevel = 0.99

// CompareRun is one scenario's run in a comparison.
type CompareRun struct {
	// Name labels the run; names are unique within a comparison.
	Name        string
	Description string
	Results     *sim.Results
}

// Comparison is the content of compare.json: the headline statistics of a
// base run and of one or more cases run on common random numbers (the same
// seed and number of paths), and each case's difference from the base with
// its paired standard error.
//
// Differences of means and of default probabilities are mcstat.Paired and
// mcstat.PairedProportion statistics: the paired standard error comes from
// the per-path differences; the unpaired one, √(s²_base/n + s²_case/n), is
// what two independent runs would give. Differences of ES are those of the
// two estimates from all paths, with the standard error from sectioning
// the paths into mcstat.TailBatches batches (mcstat.PairedTail); their unpaired
// standard error combines the two runs' ES standard errors.
type Comparison struct {
	FormatVersion int       `json:"format_version"`
	MoneyUnit     string    `json:"money_unit"`
	Base          string    `json:"base"`
	Seed          uint64    `json:"seed"`
	Paths         int       `json:"paths"`
	HorizonYears  float64   `json:"horizon_years"`
	StepsPerYear  int       `json:"steps_per_year"`
	ESLevel       float64   `json:"es_level"`
	TailBatches   int       `json:"tail_batches"`
	Cases         []CaseRef `json:"cases"`

	Providers []FirmComparison     `json:"providers"`
	Suppliers []FirmComparison     `json:"suppliers"`
	Customers []CustomerComparison `json:"customers"`
	// Unpaired lists the entities of cases that the base lacks, which
	// have no difference to show (see CheckComparable).
	Unpaired []Unpaired `json:"unpaired"`
}

// CaseRef names a run of a Comparison; the base comes first.
type CaseRef struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// FirmComparison is one provider's or supplier's statistics in every run,
// in the order of Comparison.Cases.
type FirmComparison struct {
	Name  string     `json:"name"`
	Cases []FirmCase `json:"cases"`
}

// FirmCase is a firm's headline statistics in one run. Diff is nil for the
// base.
type FirmCase struct {
	Case               string          `json:"case"`
	BacklogLostMean    mcstat.Estimate `json:"backlog_lost_mean"`
	BacklogLostES      mcstat.Estimate `json:"backlog_lost_es"`
	EconomicLossMean   mcstat.Estimate `json:"economic_loss_mean"`
	EconomicLossES     mcstat.Estimate `json:"economic_loss_es"`
	DefaultProbability mcstat.Estimate `json:"default_probability"`
	// BacklogLostTail and EconomicLossTail are the VaR and ES at every
	// level of mcstat.TailLevels.
	BacklogLostTail  []TailCase `json:"backlog_lost_tail"`
	EconomicLossTail []TailCase `json:"economic_loss_tail"`
	Diff             *FirmDiff  `json:"diff,omitempty"`
}

// TailCase is a loss's value at risk and expected shortfall at one level.
type TailCase struct {
	Level float64         `json:"level"`
	VaR   mcstat.Estimate `json:"var"`
	ES    mcstat.Estimate `json:"es"`
}

// TailDiff is the difference of a TailCase from the base's: both
// estimates from all paths, with paired standard errors by sectioning
// (mcstat.PairedTail) and unpaired ones combining the two runs' own.
type TailDiff struct {
	Level float64           `json:"level"`
	VaR   mcstat.Difference `json:"var"`
	ES    mcstat.Difference `json:"es"`
}

// FirmDiff is a FirmCase's difference from the base.
type FirmDiff struct {
	BacklogLostMean    mcstat.Difference `json:"backlog_lost_mean"`
	BacklogLostES      mcstat.Difference `json:"backlog_lost_es"`
	EconomicLossMean   mcstat.Difference `json:"economic_loss_mean"`
	EconomicLossES     mcstat.Difference `json:"economic_loss_es"`
	DefaultProbability mcstat.Difference `json:"default_probability"`
	BacklogLostTail    []TailDiff        `json:"backlog_lost_tail"`
	EconomicLossTail   []TailDiff        `json:"economic_loss_tail"`
}

// CustomerComparison is one customer's statistics in every run.
type CustomerComparison struct {
	Name  string         `json:"name"`
	Cases []CustomerCase `json:"cases"`
}

// CustomerCase is a customer's default probabilities in one run: within
// the horizon and by the end of each year (as in sim.CustomerSummary).
type CustomerCase struct {
	Case                     string            `json:"case"`
	DefaultProbability       mcstat.Estimate   `json:"default_probability"`
	DefaultProbabilityByYear []mcstat.Estimate `json:"default_probability_by_year"`
	Diff                     *CustomerDiff     `json:"diff,omitempty"`
}

// CustomerDiff is a CustomerCase's difference from the base.
type CustomerDiff struct {
	DefaultProbability       mcstat.Difference   `json:"default_probability"`
	DefaultProbabilityByYear []mcstat.Difference `json:"default_probability_by_year"`
}

// Compare compares runs[1:] with the base runs[0]. The runs must have the
// same seed, number of paths, horizon and steps per year (common random
// numbers need the first two), unique names, and every case must have the
// base's providers, suppliers and customers (matched by name; entities the
// base lacks are listed in Unpaired).
func Compare(runs []CompareRun) (*Comparison, error) {
	if len(runs) < 2 {
		return nil, fmt.Errorf("output: compare: need a base and at least one case, got %d runs", len(runs))
	}
	b := runs[0]
	names := map[string]bool{}
	for _, r := range runs {
		if r.Results == nil || r.Results.Model == nil {
			return nil, fmt.Errorf("output: compare: run %q has no results", r.Name)
		}
		if names[r.Name] {
			return nil, fmt.Errorf("output: compare: two runs are named %q", r.Name)
		}
		// Paired statistics take every path as one independent, unweighted
		// observation.
		switch res := r.Results; {
		case res.Streaming:
			return nil, fmt.Errorf("output: compare: run %q kept no per-path results (streaming summary); compare needs an exact summary", r.Name)
		case res.Antithetic || res.ImportanceSampled:
			return nil, fmt.Errorf("output: compare: run %q uses antithetic or importance sampling; compare needs plain Monte Carlo (remove [sampling])", r.Name)
		}
		names[r.Name] = true
		m, bm := r.Results.Model, b.Results.Model
		switch {
		case r.Results.Paths != b.Results.Paths:
			return nil, fmt.Errorf("output: compare: %s has %d paths and %s %d; common random numbers need the same paths", r.Name, r.Results.Paths, b.Name, b.Results.Paths)
		case m.Seed != bm.Seed:
			return nil, fmt.Errorf("output: compare: %s has seed %d and %s %d; common random numbers need the same seed", r.Name, m.Seed, b.Name, bm.Seed)
		case m.HorizonYears != bm.HorizonYears || m.StepsPerYear != bm.StepsPerYear:
			return nil, fmt.Errorf("output: compare: %s has horizon %v years at %d steps a year and %s %v at %d; want the same", r.Name, m.HorizonYears, m.StepsPerYear, b.Name, bm.HorizonYears, bm.StepsPerYear)
		}
	}
	bm := b.Results.Model
	c := &Comparison{
		FormatVersion: CompareFormatVersion,
		MoneyUnit:     MoneyUnit,
		Base:          b.Name,
		Seed:          bm.Seed,
		Paths:         b.Results.Paths,
		HorizonYears:  bm.HorizonYears,
		StepsPerYear:  bm.StepsPerYear,
		ESLevel:       compareLevel,
		TailBatches:   min(mcstat.TailBatches, b.Results.Paths),
		Providers:     []FirmComparison{},
		Suppliers:     []FirmComparison{},
		Customers:     []CustomerComparison{},
	}
	models := make([]*sim.Model, len(runs))
	runNames := make([]string, len(runs))
	for i, r := range runs {
		c.Cases = append(c.Cases, CaseRef{Name: r.Name, Description: r.Description})
		models[i], runNames[i] = r.Results.Model, r.Name
	}
	var err error
	if c.Unpaired, err = CheckComparable(runNames, models); err != nil {
		return nil, err
	}
	if c.Unpaired == nil {
		c.Unpaired = []Unpaired{}
	}
	if c.Providers, err = compareFirms(runs, "provider", func(r *sim.Results) []sim.FirmResults { return r.Providers },
		func(s sim.Summary) []sim.FirmSummary { return s.Providers }); err != nil {
		return nil, err
	}
	if c.Suppliers, err = compareFirms(runs, "supplier", func(r *sim.Results) []sim.FirmResults { return r.Suppliers },
		func(s sim.Summary) []sim.FirmSummary { return s.Suppliers }); err != nil {
		return nil, err
	}
	if c.Customers, err = compareCustomers(runs); err != nil {
		return nil, err
	}
	return c, nil
}

// findFirm returns the index of the firm named name, or -1.
func findFirm(firms []sim.FirmResults, name string) int {
	return slices.IndexFunc(firms, func(f sim.FirmResults) bool { return f.Name == name })
}

func compareFirms(runs []CompareRun, kind string, results func(*sim.Results) []sim.FirmResults, sums func(sim.Summary) []sim.FirmSummary) ([]FirmComparison, error) {
	k := levelIndex(compareLevel)
	base := results(runs[0].Results)
	out := []FirmComparison{}
	for _, bf := range base {
		fc := FirmComparison{Name: bf.Name}
		for ri, r := range runs {
			i := findFirm(results(r.Results), bf.Name)
			if i < 0 {
				return nil, fmt.Errorf("output: compare: %s has no %s %q", r.Name, kind, bf.Name)
			}
			f := results(r.Results)[i]
			s := sums(r.Results.Summary)[i]
			fcase := FirmCase{
				Case:               r.Name,
				BacklogLostMean:    s.BacklogLost.MeanEstimate(),
				BacklogLostES:      s.BacklogLost.ESEstimate(k),
				EconomicLossMean:   s.EconomicLoss.MeanEstimate(),
				EconomicLossES:     s.EconomicLoss.ESEstimate(k),
				DefaultProbability: s.DefaultProbability.Estimate(),
				BacklogLostTail:    tailCases(s.BacklogLost),
				EconomicLossTail:   tailCases(s.EconomicLoss),
			}
			if ri > 0 {
				bs := sums(runs[0].Results.Summary)[findFirm(base, bf.Name)]
				fcase.Diff = &FirmDiff{
					BacklogLostMean:    mcstat.Paired(bf.BacklogLost, f.BacklogLost).Difference(),
					BacklogLostES:      mcstat.PairedTail(bf.BacklogLost, f.BacklogLost, compareLevel).ESDifference(bs.BacklogLost.ESStdErr[k], s.BacklogLost.ESStdErr[k]),
					EconomicLossMean:   mcstat.Paired(bf.EconomicLoss, f.EconomicLoss).Difference(),
					EconomicLossES:     mcstat.PairedTail(bf.EconomicLoss, f.EconomicLoss, compareLevel).ESDifference(bs.EconomicLoss.ESStdErr[k], s.EconomicLoss.ESStdErr[k]),
					DefaultProbability: mcstat.PairedProportion(bf.DefaultStep, f.DefaultStep).Difference(),
					BacklogLostTail:    tailDiffs(bf.BacklogLost, f.BacklogLost, bs.BacklogLost, s.BacklogLost),
					EconomicLossTail:   tailDiffs(bf.EconomicLoss, f.EconomicLoss, bs.EconomicLoss, s.EconomicLoss),
				}
			}
			fc.Cases = append(fc.Cases, fcase)
		}
		out = append(out, fc)
	}
	return out, nil
}

// tailCases returns the VaR and ES of s at every tail level.
func tailCases(s mcstat.LossStats) []TailCase {
	out := []TailCase{}
	for k, q := range mcstat.TailLevels() {
		out = append(out, TailCase{Level: q,
			VaR: mcstat.Estimate{Value: s.VaR[k], StdErr: s.VaRStdErr[k]}, ES: s.ESEstimate(k)})
	}
	return out
}

// tailDiffs returns the differences of VaR and ES of the per-path losses
// alt from base at every tail level; bs and as are their statistics.
func tailDiffs(base, alt []float64, bs, as mcstat.LossStats) []TailDiff {
	out := []TailDiff{}
	for k, q := range mcstat.TailLevels() {
		pt := mcstat.PairedTail(base, alt, q)
		out = append(out, TailDiff{Level: q,
			VaR: mcstat.Difference{Diff: pt.VaRDiff, PairedStdErr: pt.VaRDiffStdErr, UnpairedStdErr: math.Hypot(bs.VaRStdErr[k], as.VaRStdErr[k])},
			ES:  pt.ESDifference(bs.ESStdErr[k], as.ESStdErr[k])})
	}
	return out
}

func compareCustomers(runs []CompareRun) ([]CustomerComparison, error) {
	base := runs[0].Results
	spy := base.Model.StepsPerYear
	out := []CustomerComparison{}
	for bi, bc := range base.Customers {
		cc := CustomerComparison{Name: bc.Name}
		for ri, r := range runs {
			i := slices.IndexFunc(r.Results.Customers, func(c sim.CustomerResults) bool { return c.Name == bc.Name })
			if i < 0 {
				return nil, fmt.Errorf("output: compare: %s has no customer %q", r.Name, bc.Name)
			}
			s := r.Results.Summary.Customers[i]
			ccase := CustomerCase{
				Case:                     r.Name,
				DefaultProbability:       s.DefaultProbability.Estimate(),
				DefaultProbabilityByYear: []mcstat.Estimate{},
			}
			for _, p := range s.DefaultProbabilityByYear {
				ccase.DefaultProbabilityByYear = append(ccase.DefaultProbabilityByYear, p.Estimate())
			}
			if ri > 0 {
				alt := r.Results.Customers[i].DefaultStep
				d := &CustomerDiff{
					DefaultProbability:       mcstat.PairedProportion(bc.DefaultStep, alt).Difference(),
					DefaultProbabilityByYear: []mcstat.Difference{},
				}
				for y := range base.Summary.Customers[bi].DefaultProbabilityByYear {
					// By the end of year y+1: steps before (y+1)·spy; the
					// last entry covers a final partial year.
					steps := int32(min((y+1)*spy, base.Model.Steps()))
					d.DefaultProbabilityByYear = append(d.DefaultProbabilityByYear, mcstat.PairedProportionBy(bc.DefaultStep, alt, steps).Difference())
				}
				ccase.Diff = d
			}
			cc.Cases = append(cc.Cases, ccase)
		}
		out = append(out, cc)
	}
	return out, nil
}

// CompareJSON returns c as compare.json: JSON indented by two spaces,
// ending in a newline, with the keys of the struct tags in field order.
// Entities and cases keep the comparison's order (base first). It returns
// an error if a number is NaN or infinite.
func CompareJSON(c *Comparison) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("output: encoding comparison: %w", err)
	}
	return buf.Bytes(), nil
}
