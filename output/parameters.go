package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat"

	"github.com/backlogsim/backlogsim/mcstat"
)

// ParameterSets is the content of parameters.json: the scenario run with
// Sets draws of its uncertain parameters, Paths paths each on the same
// seed, and for every headline statistic its spread across the draws
// (parameter uncertainty) beside its Monte Carlo error (sampling noise).
type ParameterSets struct {
	FormatVersion int    `json:"format_version"`
	MoneyUnit     string `json:"money_unit"`
	Scenario      string `json:"scenario"`
	Seed          uint64 `json:"seed"`
	Paths         int    `json:"paths"`
	Sets          int    `json:"sets"`
	Design        string `json:"design"`
	DesignSeed    uint64 `json:"design_seed"`
	// Parameters are the uncertain parameters; Values[s][i] is parameter
	// i's value in set s.
	Parameters []UncertainParam `json:"parameters"`
	Values     [][]float64      `json:"values"`
	Bands      []ParameterBand  `json:"bands"`
}

// ParameterBand is one metric across the parameter sets.
type ParameterBand struct {
	Metric string `json:"metric"`
	// Base is the metric in the scenario as written, with its Monte Carlo
	// standard error.
	Base mcstat.Estimate `json:"base"`
	// Median, P05 and P95 are quantiles of the metric over the sets
	// (gonum's stat.Quantile with LinInterp: the empirical distribution
	// function, i/M at the i-th smallest of M values, interpolated
	// linearly).
	Median float64 `json:"median"`
	P05    float64 `json:"p05"`
	P95    float64 `json:"p95"`
	// MCStdErr is the root mean square of the sets' Monte Carlo standard
	// errors: the sampling noise in each set's value.
	MCStdErr float64 `json:"mc_stderr"`
	// Values[s] is the metric in set s.
	Values []float64 `json:"values"`
}

// NewParameterBand summarises a metric's values and standard errors over
// the parameter sets.
func NewParameterBand(metric string, base mcstat.Estimate, sets []mcstat.Estimate) ParameterBand {
	b := ParameterBand{Metric: metric, Base: base, Values: make([]float64, len(sets))}
	var se2 float64
	for i, e := range sets {
		b.Values[i] = e.Value
		se2 += e.StdErr * e.StdErr
	}
	if len(sets) == 0 {
		return b
	}
	sorted := slices.Clone(b.Values)
	slices.Sort(sorted)
	q := func(p float64) float64 { return stat.Quantile(p, stat.LinInterp, sorted, nil) }
	b.Median, b.P05, b.P95 = q(0.5), q(0.05), q(0.95)
	b.MCStdErr = math.Sqrt(se2 / float64(len(sets)))
	return b
}

// ParameterSetsJSON returns p as parameters.json.
func ParameterSetsJSON(p *ParameterSets) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("output: encoding parameter sets: %w", err)
	}
	return buf.Bytes(), nil
}

// ParameterSetsCSV returns p as a tidy table under the header
//
//	metric,set,statistic,value
//
// with, per metric, rows base, base_stderr, median, p05, p95 and
// mc_stderr (set empty), then one row per set (statistic "value"), and
// per set and parameter a row with metric "parameter:KEY".
func ParameterSetsCSV(p *ParameterSets) ([]byte, error) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	rows := [][]string{{"metric", "set", "statistic", "value"}}
	for i, par := range p.Parameters {
		for s, vals := range p.Values {
			rows = append(rows, []string{"parameter:" + par.Key, strconv.Itoa(s), "value", num(vals[i])})
		}
	}
	for _, b := range p.Bands {
		for _, x := range []struct {
			stat string
			v    float64
		}{{"base", b.Base.Value}, {"base_stderr", b.Base.StdErr}, {"median", b.Median}, {"p05", b.P05}, {"p95", b.P95}, {"mc_stderr", b.MCStdErr}} {
			rows = append(rows, []string{b.Metric, "", x.stat, num(x.v)})
		}
		for s, v := range b.Values {
			rows = append(rows, []string{b.Metric, strconv.Itoa(s), "value", num(v)})
		}
	}
	var buf bytes.Buffer
	if err := csv.NewWriter(&buf).WriteAll(rows); err != nil {
		return nil, fmt.Errorf("output: parameters.csv: %w", err)
	}
	return buf.Bytes(), nil
}
