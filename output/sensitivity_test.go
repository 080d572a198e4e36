package output

import (
	"bytes"
	"encoding/json"
	"github.com/backlogsim/backlogsim/mcstat"
	"math"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sensitivity"
)

func sensitivityFixture() *Sensitivity {
	m := []Metric{{Entity: "openai", Kind: "customer", Stat: "default_probability"}, {Entity: "oracle", Kind: "provider", Stat: "economic_loss_es"}}
	iv := func(v, lo, hi float64) sensitivity.Interval { return sensitivity.Interval{Value: v, Lo: lo, Hi: hi} }
	return &Sensitivity{
		FormatVersion: SensitivityFormatVersion, MoneyUnit: MoneyUnit, Scenario: "u", ESLevel: 0.99,
		Parameters: []UncertainParam{{Key: "a.b", Kind: "range", Spec: "low 1, base 2, high 3", Low: 1, High: 3, Min: 1, Max: 3, Source: "estimate: test"},
			{Key: "c.d", Kind: "uniform", Spec: "uniform(min 0, max 1)", Low: 0.05, High: 0.95, Min: 0, Max: 1, Source: "estimate: test"}},
		Metrics: m,
		Tornado: &Tornado{Seed: 1, Paths: 100, TailBatches: 20, Quantile: 0.05, Metrics: []TornadoMetric{
			{Metric: "openai.default_probability", Base: est(0.1, 0.01), Bars: []TornadoBar{
				{Parameter: "a.b", LowValue: 1, HighValue: 3, Low: est(0.05, 0.01), High: est(0.2, 0.02),
					LowDiff: mcstat.Difference{Diff: -0.05, PairedStdErr: 0.005}, HighDiff: mcstat.Difference{Diff: 0.1, PairedStdErr: 0.01}, Swing: 0.15},
				{Parameter: "c.d", LowValue: 0.05, HighValue: 0.95, Low: est(0.1, 0.01), High: est(0.1, 0.01), Swing: 0}}},
			{Metric: "oracle.economic_loss_es", Base: est(100, 5), Bars: []TornadoBar{
				{Parameter: "c.d", LowValue: 0.05, HighValue: 0.95, Low: est(90, 5), High: est(120, 6),
					LowDiff: mcstat.Difference{Diff: -10, PairedStdErr: 2}, HighDiff: mcstat.Difference{Diff: 20, PairedStdErr: 3}, Swing: 30},
				{Parameter: "a.b", LowValue: 1, HighValue: 3, Low: est(100, 5), High: est(100, 5)}}},
		}},
		Sobol: &SobolAnalysis{Design: "test", BaseRows: 8, Cases: 32, Paths: 50, Seed: 1, DesignSeed: 2, Level: 0.95, Resamples: 100,
			Metrics: []SobolMetric{
				{Metric: "openai.default_probability", Variance: 0.001, NoiseVariance: 0.0001, Indices: []SobolIndex{
					{Parameter: "a.b", First: iv(0.8, 0.7, 0.9), Total: iv(0.85, 0.75, 0.95)},
					{Parameter: "c.d", First: iv(0.01, -0.02, 0.04), Total: iv(0.02, 0.01, 0.03)}}},
				{Metric: "oracle.economic_loss_es", Variance: 0, Indices: []SobolIndex{
					{Parameter: "a.b", First: iv(math.NaN(), math.NaN(), math.NaN()), Total: iv(math.NaN(), math.NaN(), math.NaN())},
					{Parameter: "c.d", First: iv(math.NaN(), math.NaN(), math.NaN()), Total: iv(math.NaN(), math.NaN(), math.NaN())}}},
			}},
	}
}

func TestSensitivityJSONAndCSV(t *testing.T) {
	s := sensitivityFixture()
	data, err := SensitivityJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Sensitivity
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if got := back.Sobol.Metrics[1].Indices[0].Total; got.Value != 0 || got.Lo != 0 {
		t.Errorf("index of a constant metric = %+v; want 0", got)
	}
	if back.Tornado.Metrics[0].Bars[0].HighDiff.Diff != 0.1 || back.Sobol.Metrics[0].Indices[0].First.Hi != 0.9 {
		t.Errorf("sensitivity.json does not round-trip: %s", data)
	}
	csv, err := SensitivityCSV(s)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	// 2 metrics × (2 base rows + 2 bars × 11) tornado rows, 2 metrics × (2 + 2 × 6) Sobol rows.
	if want := 1 + 2*(2+2*11) + 2*(2+2*6); len(lines) != want {
		t.Errorf("sensitivity.csv has %d lines; want %d", len(lines), want)
	}
	for _, want := range []string{"analysis,metric,parameter,statistic,value", "tornado,openai.default_probability,a.b,high_diff,0.1",
		"tornado,oracle.economic_loss_es,c.d,low_diff_paired_stderr,2", "sobol,openai.default_probability,c.d,first_lo,-0.02",
		"sobol,oracle.economic_loss_es,,variance,0"} {
		if !bytes.Contains(csv, []byte(want+"\n")) {
			t.Errorf("sensitivity.csv lacks %q", want)
		}
	}
}

func TestSensitivityChartsAndReport(t *testing.T) {
	s := sensitivityFixture()
	charts, err := SensitivityCharts(s)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	want := "tornado-openai-default-probability tornado-oracle-economic-loss-es sobol-openai-default-probability sobol-oracle-economic-loss-es"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("chart names = %s; want %s", got, want)
	}
	files, err := RenderCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	checkRendered(t, charts, files)
	html, err := SensitivityReport(s, charts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sensitivity of u", "estimate: test", "uniform(min 0, max 1)", `id="svg-tornado-openai-default-probability"`,
		"0.800 [0.700, 0.900]", "20 ± 3", "-5 ± 0.5"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("sensitivity.html lacks %q", want)
		}
	}
	if bytes.Contains(html, []byte("<script")) {
		t.Error("sensitivity.html contains a script")
	}
}

func TestSortBarsAndIndices(t *testing.T) {
	bars := []TornadoBar{{Parameter: "b", Swing: 1}, {Parameter: "a", Swing: 1}, {Parameter: "c", Swing: 3}}
	SortBars(bars)
	if bars[0].Parameter != "c" || bars[1].Parameter != "a" || bars[2].Parameter != "b" {
		t.Errorf("SortBars = %v; want c, a, b", bars)
	}
	ix := []SobolIndex{{Parameter: "x", Total: sensitivity.Interval{Value: math.NaN()}}, {Parameter: "y", Total: sensitivity.Interval{Value: 0.2}}, {Parameter: "z", Total: sensitivity.Interval{Value: 0.5}}}
	SortIndices(ix)
	if ix[0].Parameter != "z" || ix[1].Parameter != "y" || ix[2].Parameter != "x" {
		t.Errorf("SortIndices = %v; want z, y, x", ix)
	}
}

func TestParseMetric(t *testing.T) {
	m := plotsModel()
	for _, c := range []struct {
		in   string
		want string // kind, or the start of the error
	}{
		{m.Customers[0].Name + ".default_probability", "customer"},
		{m.Providers[0].Name + ".economic_loss_es", "provider"},
		{m.Customers[0].Name + ".economic_loss_es", "metric"},
		{"nobody.default_probability", "metric"},
		{"default_probability", "metric"},
	} {
		got, err := ParseMetric(m, c.in)
		if err != nil {
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("ParseMetric(%q) = %v; want %s", c.in, err, c.want)
			}
			continue
		}
		if got.Kind != c.want || got.String() != c.in {
			t.Errorf("ParseMetric(%q) = %+v; want kind %s", c.in, got, c.want)
		}
	}
	if d := DefaultMetrics(m); len(d) != len(m.Customers)+2*len(m.Providers) {
		t.Errorf("DefaultMetrics: %d metrics; want %d", len(d), len(m.Customers)+2*len(m.Providers))
	}
}

func TestMetricValueMatchesSummary(t *testing.T) {
	_, sum := plotsRun(t)
	f := sum.Providers[0]
	k := levelIndex(0.99)
	for _, c := range []struct {
		stat string
		want mcstat.Estimate
	}{
		{"default_probability", est(f.DefaultProbability.P, f.DefaultProbability.StdErr)},
		{"backlog_lost_es", est(f.BacklogLost.ES[k], f.BacklogLost.ESStdErr[k])},
		{"economic_loss_mean", est(f.EconomicLoss.Mean, f.EconomicLoss.MeanStdErr)},
	} {
		got, err := MetricValue(sum, Metric{Entity: f.Name, Kind: "provider", Stat: c.stat})
		if err != nil || got != c.want {
			t.Errorf("MetricValue(%s.%s) = %v, %v; want %v", f.Name, c.stat, got, err, c.want)
		}
	}
}

func est(v, se float64) mcstat.Estimate { return mcstat.Estimate{Value: v, StdErr: se} }
