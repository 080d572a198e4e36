package output

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// compareModel is a small world of one lab, one provider and one supplier;
// tight makes its funding market tighter.
func compareModel(name string, tight bool) *sim.Model {
	m := &sim.Model{
		Name: name, Settings: sim.Settings{Paths: 1500, Seed: 9}, HorizonYears: 2, StepsPerYear: 12,
		Funding: sim.FundingMarket{Regimes: []sim.FundingRegime{{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1}}},
		Demand:  sim.DemandFactor{MeanReversion: 0.5, Volatility: 0.2},
		Macro:   sim.MacroFactor{MeanReversion: 0.5},
		Recovery: sim.RecoveryModel{
			Mean: 0.4, DemandSlope: 0.5, Concentration: 5,
		},
		Customers: []sim.Customer{{
			Name: "lab", Cash: 4, Revenue: 6, GrowthInitial: 0.6, GrowthLongRun: 0.2, GrowthHalfLifeYears: 1,
			DemandLoading: 1, IdioVolatility: 0.3, FixedCost: 8, VariableCostShare: 0.2, CashFlowVolatility: 1,
			Funding: sim.CustomerFunding{RoundRate: 2, RevenueMultiple: 2, SizeVolatility: 0.3},
		}},
		Providers: []sim.Firm{{Name: "cloud", Backlog: 80, Cash: 3, OperatingCashFlow: 4, Debt: 5, Margin: 0.3, StrandedShare: 0.4,
			Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.02, Correlation: 0.2, LossGivenDefault: 0.5, DurationYears: 2}}},
		Suppliers: []sim.Firm{{Name: "chips", Backlog: 30, Cash: 5, OperatingCashFlow: 5, Margin: 0.5, StrandedShare: 0.1,
			Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.01, Correlation: 0.1, LossGivenDefault: 0.5, DurationYears: 1}}},
		Contracts: []sim.Contract{
			{Name: "lab->cloud", Payer: 0, Payee: 1, Value: 40, TermYears: 4},
			{Name: "cloud->chips", Payer: 1, Payee: 2, Value: 10, TermYears: 2},
		},
	}
	if tight {
		m.Funding.Regimes[0].RoundRateMultiplier = 0.4
		m.Funding.Regimes[0].ValuationMultiplier = 0.5
	}
	return m
}

func compareRun(t *testing.T, name string, tight bool) CompareRun {
	t.Helper()
	m := compareModel(name, tight)
	res, err := sim.Simulate(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatalf("Simulate(%s) = %v; want nil", name, err)
	}
	return CompareRun{Name: name, Description: "test " + name, Results: res}
}

func TestCompareIdenticalCaseIsZero(t *testing.T) {
	runs := []CompareRun{compareRun(t, "base", false), compareRun(t, "same", false), compareRun(t, "tight", true)}
	c, err := Compare(runs)
	if err != nil {
		t.Fatalf("Compare = %v; want nil", err)
	}
	same := c.Providers[0].Cases[1].Diff
	for name, d := range map[string]mcstat.Difference{
		"backlog_lost_mean": same.BacklogLostMean, "backlog_lost_es": same.BacklogLostES,
		"economic_loss_mean": same.EconomicLossMean, "default_probability": same.DefaultProbability,
	} {
		if d.Diff != 0 || d.PairedStdErr != 0 {
			t.Errorf("Compare(base, same) cloud %s = %+v; want zero difference and paired SE", name, d)
		}
	}
	if d := c.Customers[0].Cases[1].Diff.DefaultProbability; d.Diff != 0 || d.PairedStdErr != 0 {
		t.Errorf("Compare(base, same) lab default = %+v; want zero", d)
	}
	tight := c.Customers[0].Cases[2].Diff
	if d := tight.DefaultProbability; !(d.Diff > 3*d.PairedStdErr) || !(d.PairedStdErr < d.UnpairedStdErr) {
		t.Errorf("Compare(base, tight) lab default = %+v; want a significant rise with paired SE < unpaired", d)
	}
	last := tight.DefaultProbabilityByYear[len(tight.DefaultProbabilityByYear)-1]
	if math.Abs(last.Diff-tight.DefaultProbability.Diff) > 1e-15 {
		t.Errorf("last by-year difference %v; want the horizon's %v", last.Diff, tight.DefaultProbability.Diff)
	}
	if c.Providers[0].Cases[0].Diff != nil {
		t.Error("base case has a Diff; want nil")
	}
	if r := c.StdErrRatios(); len(r) != 2 || r[1].Median >= 1 {
		t.Errorf("StdErrRatios() = %+v; want two cases, the tight one below 1", r)
	}
}

func TestCompareErrors(t *testing.T) {
	base := compareRun(t, "base", false)
	other := compareModel("other", false)
	other.Seed = 10
	res, err := sim.Simulate(context.Background(), other, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		runs []CompareRun
		want string
	}{
		{"one run", []CompareRun{base}, "at least one case"},
		{"same name", []CompareRun{base, base}, "two runs are named"},
		{"other seed", []CompareRun{base, {Name: "other", Results: res}}, "same seed"},
	} {
		if _, err := Compare(tc.runs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compare(%s) = %v; want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCompareFiles(t *testing.T) {
	runs := []CompareRun{compareRun(t, "base", false), compareRun(t, "tight", true)}
	c, err := Compare(runs)
	if err != nil {
		t.Fatal(err)
	}
	js, err := CompareJSON(c)
	if err != nil {
		t.Fatalf("CompareJSON = %v", err)
	}
	var back Comparison
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatalf("compare.json does not parse: %v", err)
	}
	if back.Base != "base" || len(back.Cases) != 2 || back.Providers[0].Cases[1].Diff == nil || back.Paths != 1500 {
		t.Errorf("compare.json read back = %+v; want base, two cases and a diff", back)
	}
	again, _ := CompareJSON(c)
	if !bytes.Equal(js, again) {
		t.Error("CompareJSON is not deterministic")
	}
	data, err := CompareCSV(c)
	if err != nil {
		t.Fatalf("CompareCSV = %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("compare.csv does not parse: %v", err)
	}
	if got := strings.Join(rows[0], ","); got != "kind,entity,case,measure,level,statistic,value" {
		t.Errorf("compare.csv header = %q", got)
	}
	found := false
	for _, r := range rows {
		if r[0] == "customer" && r[2] == "tight" && r[3] == "default_probability" && r[5] == "paired_stderr" {
			found = true
		}
	}
	if !found {
		t.Error("compare.csv has no paired_stderr row for the customer's default probability")
	}
	// Every tail level's VaR and ES difference is a row, once.
	tails := map[string]int{}
	for _, r := range rows {
		if r[0] == "provider" && r[2] == "tight" && r[5] == "diff" && (r[3] == "backlog_lost_var" || r[3] == "backlog_lost_es") {
			tails[r[3]+"@"+r[4]]++
		}
	}
	for _, q := range mcstat.TailLevels() {
		for _, m := range []string{"backlog_lost_var", "backlog_lost_es"} {
			if n := tails[m+"@"+LevelKey(q)]; n != 1 {
				t.Errorf("compare.csv has %d %s diff rows at level %v; want 1", n, m, q)
			}
		}
	}
	var tab bytes.Buffer
	if err := WriteCompareTable(&tab, c); err != nil {
		t.Fatalf("WriteCompareTable = %v", err)
	}
	for _, want := range []string{"cloud", "chips", "lab", "tight", "±", "Paired/unpaired"} {
		if !strings.Contains(tab.String(), want) {
			t.Errorf("table does not contain %q:\n%s", want, tab.String())
		}
	}
}

func TestCompareReport(t *testing.T) {
	runs := []CompareRun{compareRun(t, "base", false), compareRun(t, "tight", true)}
	c, err := Compare(runs)
	if err != nil {
		t.Fatal(err)
	}
	charts, err := CompareCharts(runs, c)
	if err != nil {
		t.Fatalf("CompareCharts = %v", err)
	}
	var names []string
	for _, ch := range charts {
		names = append(names, ch.Name)
	}
	want := "compare-diff-backlog,compare-diff-economic,compare-diff-default,compare-exceedance,compare-default-by-year,compare-bars-backlog,compare-bars-economic"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("CompareCharts names = %s; want %s", got, want)
	}
	page, err := CompareReport(c, charts, []string{"base/report.html", ""})
	if err != nil {
		t.Fatalf("CompareReport = %v", err)
	}
	s := string(page)
	if n := strings.Count(s, "<svg"); n != len(charts) {
		t.Errorf("compare.html has %d inline SVGs; want %d", n, len(charts))
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link", "<img"} {
		if strings.Contains(s, bad) && !(bad == "http://" && strings.Count(s, "http://www.w3.org/") == strings.Count(s, "http://")) {
			t.Errorf("compare.html contains %q; want a self-contained page", bad)
		}
	}
	for _, want := range []string{"test tight", "paired", "P(default)", `<a href="base/report.html">base</a>`,
		`<a href="plots/compare-diff-backlog.png">PNG</a>`, `<a href="plots/compare-diff-backlog.svg">SVG</a>`} {
		if !strings.Contains(s, want) {
			t.Errorf("compare.html does not contain %q", want)
		}
	}
	if strings.Contains(s, `href="/report.html"`) || strings.Count(s, "report.html") != 1 {
		t.Errorf("compare.html links %d reports; want only the base's", strings.Count(s, "report.html"))
	}
}

// TestCompareTailDifferences checks the VaR and ES differences at every
// tail level against mcstat.PairedTail computed here from the per-path
// losses, and that the ES 99% difference is the one of the headline.
func TestCompareTailDifferences(t *testing.T) {
	runs := []CompareRun{compareRun(t, "base", false), compareRun(t, "tight", true)}
	c, err := Compare(runs)
	if err != nil {
		t.Fatal(err)
	}
	fc := c.Providers[0].Cases[1]
	if len(fc.BacklogLostTail) != len(mcstat.TailLevels()) || len(fc.Diff.EconomicLossTail) != len(mcstat.TailLevels()) {
		t.Fatalf("tails = %d, %d levels; want %d", len(fc.BacklogLostTail), len(fc.Diff.EconomicLossTail), len(mcstat.TailLevels()))
	}
	base, alt := runs[0].Results.Providers[0].BacklogLost, runs[1].Results.Providers[0].BacklogLost
	for k, q := range mcstat.TailLevels() {
		want := mcstat.PairedTail(base, alt, q)
		got := fc.Diff.BacklogLostTail[k]
		if got.Level != q || got.VaR.Diff != want.VaRDiff || got.VaR.PairedStdErr != want.VaRDiffStdErr ||
			got.ES.Diff != want.ESDiff || got.ES.PairedStdErr != want.ESDiffStdErr {
			t.Errorf("level %v: diff = %+v; want VaR %v ± %v, ES %v ± %v", q, got, want.VaRDiff, want.VaRDiffStdErr, want.ESDiff, want.ESDiffStdErr)
		}
		if v := runs[1].Results.Summary.Providers[0].BacklogLost.VaR[k]; fc.BacklogLostTail[k].VaR.Value != v {
			t.Errorf("level %v: VaR = %v; want the summary's %v", q, fc.BacklogLostTail[k].VaR.Value, v)
		}
		if q == compareLevel && got.ES != fc.Diff.BacklogLostES {
			t.Errorf("ES 99%% difference %+v differs from the headline %+v", got.ES, fc.Diff.BacklogLostES)
		}
	}
}

// TestCompareTableWidth checks that the terminal table fits 120 columns
// with long names, large numbers and a long horizon.
func TestCompareTableWidth(t *testing.T) {
	runs := []CompareRun{compareRun(t, "base", false), compareRun(t, "tight", true)}
	c, err := Compare(runs)
	if err != nil {
		t.Fatal(err)
	}
	long := "a-case-with-a-very-long-descriptive-name"
	c.Cases[1].Name = long
	c.Providers[0].Name = "a-provider-with-an-exceptionally-long-name-indeed"
	fc := &c.Providers[0].Cases[1]
	fc.Case = long
	fc.BacklogLostMean.Value, fc.Diff.BacklogLostMean.Diff, fc.Diff.BacklogLostMean.PairedStdErr = 12345.6, -1234.5, 123.4
	fc.Diff.DefaultProbability.Diff, fc.Diff.DefaultProbability.PairedStdErr = -0.999, 0.5
	cc := &c.Customers[0].Cases[1]
	for len(cc.DefaultProbabilityByYear) < 30 {
		cc.DefaultProbabilityByYear = append(cc.DefaultProbabilityByYear, mcstat.Estimate{Value: 1})
	}
	c.HorizonYears = 30
	var tab bytes.Buffer
	if err := WriteCompareTable(&tab, c); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(tab.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 120 {
			t.Errorf("line of %d columns; want at most 120:\n%s", n, line)
		}
	}
	for _, want := range []string{"-1234.5±123.4", "-99.9±50.0", "by 30y", "a-case-with-a-very-…", "a-provider-with-an-ex…"} {
		if !strings.Contains(tab.String(), want) {
			t.Errorf("table does not contain %q:\n%s", want, tab.String())
		}
	}
}

func TestExceedancePoints(t *testing.T) {
	for _, tc := range []struct {
		losses []float64
		xs, ps []float64
	}{
		{nil, nil, nil},
		{[]float64{0, 0}, nil, nil},
		{[]float64{0, 1, 1, 3}, []float64{0, 1}, []float64{0.75, 0.25}},
	} {
		xs, ps := exceedancePoints(tc.losses, 10)
		ok := len(xs) == len(tc.xs) && len(ps) == len(tc.ps)
		for i := range xs {
			// Every point must be the exact empirical P(L > x).
			above := 0
			for _, l := range tc.losses {
				if l > xs[i] {
					above++
				}
			}
			ok = ok && ps[i] == float64(above)/float64(len(tc.losses))
		}
		for i := range min(len(xs), len(tc.xs)) {
			ok = ok && xs[i] == tc.xs[i] && ps[i] == tc.ps[i]
		}
		if !ok && len(tc.xs) > 0 {
			// The evenly spaced points may add x values; check the first
			// ones and exactness only.
			ok = len(xs) >= 2 && xs[0] == 0 && ps[0] == 0.75
		}
		if !ok {
			t.Errorf("exceedancePoints(%v) = %v, %v; want %v, %v", tc.losses, xs, ps, tc.xs, tc.ps)
		}
	}
}

// TestCompareNeedsPlainExactRuns: paired statistics need every path, each
// an independent unweighted observation, so streamed, antithetic and
// importance-sampled runs are refused with a reason.
func TestCompareNeedsPlainExactRuns(t *testing.T) {
	base := compareRun(t, "base", false)
	for _, tc := range []struct {
		name   string
		change func(m *sim.Model) sim.Options
		want   string
	}{
		{"streaming", func(m *sim.Model) sim.Options { return sim.Options{Summary: sim.StreamingSummary} }, "streaming summary"},
		{"antithetic", func(m *sim.Model) sim.Options { m.Sampling.Antithetic = true; return sim.Options{} }, "antithetic or importance"},
		{"importance", func(m *sim.Model) sim.Options {
			m.Sampling.Importance.MacroShift = -1
			return sim.Options{}
		}, "antithetic or importance"},
	} {
		m := compareModel(tc.name, true)
		opts := tc.change(m)
		res, err := sim.Simulate(context.Background(), m, opts)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Compare([]CompareRun{base, {Name: tc.name, Results: res}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Compare(base, %s) = %v; want an error mentioning %q", tc.name, err, tc.want)
		}
	}
}
