package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

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
	Diff               *FirmDiff       `json:"diff,omitempty"`
}

// FirmDiff is a FirmCase's difference from the base.
type FirmDiff struct {
	BacklogLostMean    mcstat.Difference `json:"backlog_lost_mean"`
	BacklogLostES      mcstat.Difference `json:"backlog_lost_es"`
	EconomicLossMean   mcstat.Difference `json:"economic_loss_mean"`
	EconomicLossES     mcstat.Difference `json:"economic_loss_es"`
	DefaultProbability mcstat.Difference `json:"default_probability"`
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
			}
			if ri > 0 {
				bs := sums(runs[0].Results.Summary)[findFirm(base, bf.Name)]
				fcase.Diff = &FirmDiff{
					BacklogLostMean:    mcstat.Paired(bf.BacklogLost, f.BacklogLost).Difference(),
					BacklogLostES:      mcstat.PairedTail(bf.BacklogLost, f.BacklogLost, compareLevel).ESDifference(bs.BacklogLost.ESStdErr[k], s.BacklogLost.ESStdErr[k]),
					EconomicLossMean:   mcstat.Paired(bf.EconomicLoss, f.EconomicLoss).Difference(),
					EconomicLossES:     mcstat.PairedTail(bf.EconomicLoss, f.EconomicLoss, compareLevel).ESDifference(bs.EconomicLoss.ESStdErr[k], s.EconomicLoss.ESStdErr[k]),
					DefaultProbability: mcstat.PairedProportion(bf.DefaultStep, f.DefaultStep).Difference(),
				}
			}
			fc.Cases = append(fc.Cases, fcase)
		}
		out = append(out, fc)
	}
	return out, nil
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

// CompareCSV returns c as compare.csv, a tidy table under the header
//
//	kind,entity,case,measure,level,statistic,value
//
// kind is provider, supplier or customer. measure is one of the
// compare.json keys backlog_lost_mean, backlog_lost_es, economic_loss_mean,
// economic_loss_es (firms), default_probability (all) and
// default_probability_by_year (customers, with the year 1, 2, … as level;
// level is the ES level 0.99 for the ES measures and empty otherwise).
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
				if d := fc.Diff; d != nil {
					dif(k, n, fc.Case, "backlog_lost_mean", "", d.BacklogLostMean)
					dif(k, n, fc.Case, "backlog_lost_es", lvl, d.BacklogLostES)
					dif(k, n, fc.Case, "economic_loss_mean", "", d.EconomicLossMean)
					dif(k, n, fc.Case, "economic_loss_es", lvl, d.EconomicLossES)
					dif(k, n, fc.Case, "default_probability", "", d.DefaultProbability)
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

// SERatio summarises how much common random numbers gained: the ratios
// paired/unpaired standard error over every difference of means and
// default probabilities with a positive unpaired standard error.
type SERatio struct {
	N                int
	Min, Median, Max float64
}

// StdErrRatios returns the SERatio of each case (not the base), in the
// order of c.Cases[1:].
func (c *Comparison) StdErrRatios() []SERatio {
	ratios := make([][]float64, len(c.Cases))
	add := func(i int, d mcstat.Difference) {
		if d.UnpairedStdErr > 0 && d.Correlation != nil {
			ratios[i] = append(ratios[i], d.PairedStdErr/d.UnpairedStdErr)
		}
	}
	for _, f := range append(slices.Clone(c.Providers), c.Suppliers...) {
		for i, fc := range f.Cases {
			if fc.Diff != nil {
				add(i, fc.Diff.BacklogLostMean)
				add(i, fc.Diff.EconomicLossMean)
				add(i, fc.Diff.DefaultProbability)
			}
		}
	}
	for _, cu := range c.Customers {
		for i, cc := range cu.Cases {
			if cc.Diff != nil {
				add(i, cc.Diff.DefaultProbability)
			}
		}
	}
	var out []SERatio
	for _, r := range ratios[1:] {
		s := SERatio{N: len(r)}
		if len(r) > 0 {
			slices.Sort(r)
			s.Min, s.Max = r[0], r[len(r)-1]
			s.Median = r[len(r)/2]
			if len(r)%2 == 0 {
				s.Median = (r[len(r)/2-1] + r[len(r)/2]) / 2
			}
		}
		out = append(out, s)
	}
	return out
}

// WriteCompareTable writes c to w as plain-text tables for the terminal:
// one row per entity and run. Firms: mean backlog lost, its ES 99%, mean
// economic loss and P(default); customers: P(default), by year. Each case's
// row gives its value and, in a Δ column, the difference from the base ±
// one paired standard error. Money in USD billions with one decimal.
func WriteCompareTable(w io.Writer, c *Comparison) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	var names []string
	for _, cs := range c.Cases {
		names = append(names, cs.Name)
	}
	fmt.Fprintf(tw, "Comparison with base %s: %s; seed %d, %d paths, horizon %s years, common random numbers\n",
		c.Base, strings.Join(names[1:], ", "), c.Seed, c.Paths, strconv.FormatFloat(c.HorizonYears, 'g', -1, 64))
	fmt.Fprintln(tw, "Money in USD billions. Δ = case − base ± one paired standard error (ES: sectioning, 20 batches).")
	pmDiff := func(d mcstat.Difference, f func(float64) string) string {
		s := f(d.Diff)
		if d.Diff >= 0 && !strings.HasPrefix(s, "-") {
			s = "+" + s
		}
		return s + " ± " + f(d.PairedStdErr)
	}
	caseWidth := utf8.RuneCountInString("case")
	for _, n := range names {
		caseWidth = max(caseWidth, utf8.RuneCountInString(n))
	}
	for _, group := range []struct {
		kind  string
		firms []FirmComparison
	}{{"provider", c.Providers}, {"supplier", c.Suppliers}} {
		if len(group.firms) == 0 {
			continue
		}
		width := utf8.RuneCountInString(group.kind)
		for _, f := range group.firms {
			width = max(width, utf8.RuneCountInString(f.Name))
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "%-*s\t%-*s\tlost mean\tΔ\tlost ES99\tΔ\tecon mean\tΔ\tP(default)\tΔ\t\n", width, group.kind, caseWidth, "case")
		for _, f := range group.firms {
			for i, fc := range f.Cases {
				name := ""
				if i == 0 {
					name = f.Name
				}
				fmt.Fprintf(tw, "%-*s\t%-*s\t%s\t", width, name, caseWidth, fc.Case, tableMoney(fc.BacklogLostMean.Value))
				if d := fc.Diff; d != nil {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
						pmDiff(d.BacklogLostMean, tableMoney), tableMoney(fc.BacklogLostES.Value), pmDiff(d.BacklogLostES, tableMoney),
						tableMoney(fc.EconomicLossMean.Value), pmDiff(d.EconomicLossMean, tableMoney),
						tablePercent(fc.DefaultProbability.Value), pmDiff(d.DefaultProbability, tablePercent))
				} else {
					fmt.Fprintf(tw, "\t%s\t\t%s\t\t%s\t\t\n",
						tableMoney(fc.BacklogLostES.Value), tableMoney(fc.EconomicLossMean.Value), tablePercent(fc.DefaultProbability.Value))
				}
			}
		}
	}
	if len(c.Customers) > 0 {
		width, years := utf8.RuneCountInString("customer"), 0
		for _, cu := range c.Customers {
			width = max(width, utf8.RuneCountInString(cu.Name))
			for _, cc := range cu.Cases {
				years = max(years, len(cc.DefaultProbabilityByYear))
			}
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "%-*s\t%-*s\tP(default)\tΔ", width, "customer", caseWidth, "case")
		for y := range years {
			end := float64(y + 1)
			if y == years-1 {
				end = c.HorizonYears
			}
			fmt.Fprintf(tw, "\tby %sy", strconv.FormatFloat(end, 'g', -1, 64))
		}
		fmt.Fprint(tw, "\t\n")
		for _, cu := range c.Customers {
			for i, cc := range cu.Cases {
				name := ""
				if i == 0 {
					name = cu.Name
				}
				delta := ""
				if cc.Diff != nil {
					delta = pmDiff(cc.Diff.DefaultProbability, tablePercent)
				}
				fmt.Fprintf(tw, "%-*s\t%-*s\t%s\t%s", width, name, caseWidth, cc.Case, tablePercent(cc.DefaultProbability.Value), delta)
				for y := range years {
					cell := ""
					if y < len(cc.DefaultProbabilityByYear) {
						cell = tablePercent(cc.DefaultProbabilityByYear[y].Value)
					}
					fmt.Fprintf(tw, "\t%s", cell)
				}
				fmt.Fprint(tw, "\t\n")
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("output: writing comparison table: %w", err)
	}
	fmt.Fprintln(w)
	for _, u := range c.Unpaired {
		fmt.Fprintf(w, "Not compared: %s %s of %s, which the base lacks.\n", u.Kind, u.Name, u.Case)
	}
	for i, r := range c.StdErrRatios() {
		if r.N == 0 {
			continue
		}
		fmt.Fprintf(w, "Paired/unpaired standard error, %s: median %.2f (%.2f to %.2f over %d differences of means and probabilities).\n",
			c.Cases[i+1].Name, r.Median, r.Min, r.Max, r.N)
	}
	return nil
}
