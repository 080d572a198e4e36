package output

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/backlogsim/backlogsim/mcstat"
	"math"
	"slices"
	"strconv"

	"github.com/backlogsim/backlogsim/sensitivity"
)

// SensitivityFormatVersion is the version of the sensitivity.json format.
const SensitivityFormatVersion = 1

// Sensitivity is the content of sensitivity.json: which uncertain
// parameters of a scenario move which headline statistics, one at a time
// (the tornado) and over their joint distribution (Sobol indices).
type Sensitivity struct {
	FormatVersion int    `json:"format_version"`
	MoneyUnit     string `json:"money_unit"`
	Scenario      string `json:"scenario"`
	// ESLevel is the level of the ES metrics.
	ESLevel    float64          `json:"es_level"`
	Parameters []UncertainParam `json:"parameters"`
	Metrics    []Metric         `json:"metrics"`
	Tornado    *Tornado         `json:"tornado,omitempty"`
	Sobol      *SobolAnalysis   `json:"sobol,omitempty"`
}

// UncertainParam is one uncertain parameter as the scenario gives it.
type UncertainParam struct {
	Key  string `json:"key"`
	Kind string `json:"kind"`
	Spec string `json:"distribution"`
	// Low and High are the tornado's values; Min and Max the range sampled.
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Source string  `json:"source"`
}

// Tornado is the one-at-a-time analysis: the base scenario and, for each
// parameter, a run at its low and one at its high value, all on common
// random numbers (the same seed and paths). Every figure is the one
// Compare gives for the comparison of the base with the parameter's low
// and high cases.
type Tornado struct {
	Seed        uint64 `json:"seed"`
	Paths       int    `json:"paths"`
	TailBatches int    `json:"tail_batches"`
	// Quantile is the quantile a distribution's low value is taken at; its
	// high value is at 1 − Quantile. Triples give low and high directly.
	Quantile float64         `json:"quantile"`
	Metrics  []TornadoMetric `json:"metrics"`
}

// TornadoMetric is the tornado of one metric. Bars are sorted by swing,
// largest first (ties by parameter key).
type TornadoMetric struct {
	Metric string          `json:"metric"`
	Base   mcstat.Estimate `json:"base"`
	Bars   []TornadoBar    `json:"bars"`
}

// TornadoBar is one parameter's effect on a metric: its value at the
// parameter's low and high values and each one's paired difference from
// the base.
type TornadoBar struct {
	Parameter string            `json:"parameter"`
	LowValue  float64           `json:"low_value"`
	HighValue float64           `json:"high_value"`
	Low       mcstat.Estimate   `json:"low"`
	High      mcstat.Estimate   `json:"high"`
	LowDiff   mcstat.Difference `json:"low_diff"`
	HighDiff  mcstat.Difference `json:"high_diff"`
	// Swing is |High − Low|, the bar's length.
	Swing float64 `json:"swing"`
}

// SobolAnalysis is the global analysis: first-order and total Sobol
// indices of every metric over the joint distribution of the parameters.
type SobolAnalysis struct {
	Design string `json:"design"`
	// BaseRows is N, Cases N·(d+2) runs of Paths paths each, all on seed
	// Seed (common random numbers); DesignSeed seeds the design.
	BaseRows   int           `json:"base_rows"`
	Cases      int           `json:"cases"`
	Paths      int           `json:"paths"`
	Seed       uint64        `json:"seed"`
	DesignSeed uint64        `json:"design_seed"`
	Level      float64       `json:"confidence_level"`
	Resamples  int           `json:"bootstrap_resamples"`
	Metrics    []SobolMetric `json:"metrics"`
}

// SobolMetric is the indices of one metric, in the order of the
// parameters, with the variance of the metric over the design and the
// mean of its squared Monte Carlo standard errors (the part of the
// variance that is sampling noise rather than parameter uncertainty).
type SobolMetric struct {
	Metric        string       `json:"metric"`
	Variance      float64      `json:"variance"`
	NoiseVariance float64      `json:"noise_variance"`
	Indices       []SobolIndex `json:"indices"`
}

// SobolIndex is one parameter's first-order and total index with their
// bootstrap confidence intervals.
type SobolIndex struct {
	Parameter string               `json:"parameter"`
	First     sensitivity.Interval `json:"first"`
	Total     sensitivity.Interval `json:"total"`
}

// SensitivityJSON returns s as sensitivity.json, indented by two spaces and
// ending in a newline. The indices of a metric that never varies over the
// design (Variance 0) are written as 0.
func SensitivityJSON(s *Sensitivity) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonSafe(s)); err != nil {
		return nil, fmt.Errorf("output: encoding sensitivity: %w", err)
	}
	return buf.Bytes(), nil
}

// jsonSafe returns a copy of s whose NaN Sobol indices (a metric that
// does not vary over the design) are 0.
func jsonSafe(s *Sensitivity) *Sensitivity {
	if s.Sobol == nil {
		return s
	}
	out := *s
	sob := *s.Sobol
	sob.Metrics = nil
	for _, m := range s.Sobol.Metrics {
		mm := m
		mm.Indices = nil
		for _, ix := range m.Indices {
			ix.First, ix.Total = finiteInterval(ix.First), finiteInterval(ix.Total)
			mm.Indices = append(mm.Indices, ix)
		}
		sob.Metrics = append(sob.Metrics, mm)
	}
	out.Sobol = &sob
	return &out
}

// finiteInterval replaces NaN by 0: a metric that does not vary over the
// design has no parameter that explains any of its variance.
func finiteInterval(c sensitivity.Interval) sensitivity.Interval {
	fix := func(v float64) float64 {
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	return sensitivity.Interval{Value: fix(c.Value), Lo: fix(c.Lo), Hi: fix(c.Hi)}
}

// SensitivityCSV returns s as a tidy table under the header
//
//	analysis,metric,parameter,statistic,value
//
// analysis is "tornado" or "sobol". Tornado rows give, per metric and
// parameter, low_value, high_value, low, low_stderr, high, high_stderr,
// low_diff, low_diff_paired_stderr, high_diff, high_diff_paired_stderr and
// swing, after a row with parameter "base" (base, base_stderr). Sobol rows
// give first, first_lo, first_hi, total, total_lo, total_hi, after a row
// with parameter "" (variance, noise_variance).
func SensitivityCSV(s *Sensitivity) ([]byte, error) {
	rows := [][]string{{"analysis", "metric", "parameter", "statistic", "value"}}
	var bad error
	add := func(an, metric, param, stat string, v float64) {
		if (math.IsNaN(v) || math.IsInf(v, 0)) && bad == nil {
			bad = errors.New("output: sensitivity.csv: a value is NaN or infinite")
		}
		rows = append(rows, []string{an, metric, param, stat, strconv.FormatFloat(v, 'g', -1, 64)})
	}
	if t := s.Tornado; t != nil {
		for _, m := range t.Metrics {
			add("tornado", m.Metric, "base", "base", m.Base.Value)
			add("tornado", m.Metric, "base", "base_stderr", m.Base.StdErr)
			for _, b := range m.Bars {
				for _, x := range []struct {
					stat string
					v    float64
				}{
					{"low_value", b.LowValue}, {"high_value", b.HighValue},
					{"low", b.Low.Value}, {"low_stderr", b.Low.StdErr},
					{"high", b.High.Value}, {"high_stderr", b.High.StdErr},
					{"low_diff", b.LowDiff.Diff}, {"low_diff_paired_stderr", b.LowDiff.PairedStdErr},
					{"high_diff", b.HighDiff.Diff}, {"high_diff_paired_stderr", b.HighDiff.PairedStdErr},
					{"swing", b.Swing},
				} {
					add("tornado", m.Metric, b.Parameter, x.stat, x.v)
				}
			}
		}
	}
	if sob := s.Sobol; sob != nil {
		for _, m := range sob.Metrics {
			add("sobol", m.Metric, "", "variance", m.Variance)
			add("sobol", m.Metric, "", "noise_variance", m.NoiseVariance)
			for _, ix := range m.Indices {
				f, t := finiteInterval(ix.First), finiteInterval(ix.Total)
				add("sobol", m.Metric, ix.Parameter, "first", f.Value)
				add("sobol", m.Metric, ix.Parameter, "first_lo", f.Lo)
				add("sobol", m.Metric, ix.Parameter, "first_hi", f.Hi)
				add("sobol", m.Metric, ix.Parameter, "total", t.Value)
				add("sobol", m.Metric, ix.Parameter, "total_lo", t.Lo)
				add("sobol", m.Metric, ix.Parameter, "total_hi", t.Hi)
			}
		}
	}
	if bad != nil {
		return nil, bad
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("output: sensitivity.csv: %w", err)
	}
	return buf.Bytes(), nil
}

// NewTornadoBar returns the bar of parameter key (set to lowValue and
// highValue in cases 1 and 2 of c, the base being case 0) for metric m,
// and the base's estimate.
func NewTornadoBar(c *Comparison, m Metric, key string, lowValue, highValue float64) (TornadoBar, mcstat.Estimate, error) {
	if len(c.Cases) != 3 {
		return TornadoBar{}, mcstat.Estimate{}, fmt.Errorf("output: tornado bar from a comparison of %d runs; want base, low and high", len(c.Cases))
	}
	base, _, err := MetricDiff(c, 0, m)
	if err != nil {
		return TornadoBar{}, mcstat.Estimate{}, err
	}
	lo, ld, err := MetricDiff(c, 1, m)
	if err != nil {
		return TornadoBar{}, mcstat.Estimate{}, err
	}
	hi, hd, err := MetricDiff(c, 2, m)
	if err != nil {
		return TornadoBar{}, mcstat.Estimate{}, err
	}
	return TornadoBar{Parameter: key, LowValue: lowValue, HighValue: highValue, Low: lo, High: hi,
		LowDiff: *ld, HighDiff: *hd, Swing: math.Abs(hi.Value - lo.Value)}, base, nil
}

// SortBars sorts a tornado's bars by swing, largest first, then by key.
func SortBars(bars []TornadoBar) {
	slices.SortStableFunc(bars, func(a, b TornadoBar) int {
		if a.Swing != b.Swing {
			return cmp.Compare(b.Swing, a.Swing)
		}
		return cmp.Compare(a.Parameter, b.Parameter)
	})
}

// SortIndices sorts a metric's indices by total index, largest first (NaN
// last), then by key.
func SortIndices(ix []SobolIndex) {
	key := func(v float64) float64 {
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	slices.SortStableFunc(ix, func(a, b SobolIndex) int {
		if c := cmp.Compare(key(b.Total.Value), key(a.Total.Value)); c != 0 {
			return c
		}
		return cmp.Compare(a.Parameter, b.Parameter)
	})
}
