package output

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// testSummary returns a small hand-built summary: two providers (one with
// no losses at all), one supplier and two customers, over a 2.5-year
// horizon so that the last by-year probability covers half a year.
func testSummary() sim.Summary {
	loss := func(mean, scale float64) mcstat.LossStats {
		return mcstat.LossStats{
			N:          1000,
			Mean:       mean,
			Std:        2 * scale,
			MeanStdErr: 2 * scale / math.Sqrt(1000),
			VaR:        [3]float64{4 * scale, 8 * scale, 12.5 * scale},
			VaRStdErr:  [3]float64{0.1 * scale, 0.4 * scale, 1.5 * scale},
			ES:         [3]float64{7 * scale, 10.25 * scale, 14 * scale},
			ESStdErr:   [3]float64{0.2 * scale, 0.6 * scale, 2 * scale},
			PPositive:  0.375,
		}
	}
	return sim.Summary{
		Scenario:     "test-world",
		Seed:         1<<63 + 7, // beyond float64 precision
		Paths:        1000,
		HorizonYears: 2.5,
		StepsPerYear: 4,
		Providers: []sim.FirmSummary{
			{
				Name: "zeta-cloud", Backlog: 300, OperatingCashFlow: 80,
				BacklogLost:                loss(12.34, 10),
				EconomicLoss:               loss(4.5, 3),
				DefaultProbability:         mcstat.Proportion(3, 1000),
				LossFromDefaultProbability: mcstat.Proportion(375, 1000),
				LostBy: []sim.LossSource{
					{Name: "lab-b", Mean: 8.5, TailMean: 60.25},
					{Name: "lab-a", Mean: 3, TailMean: 20},
					{Name: sim.PoolSource, Mean: 0.84, TailMean: 2.5},
				},
			},
			{
				Name: "alpha-cloud", Backlog: 40.05, OperatingCashFlow: 2,
				BacklogLost:  mcstat.LossStats{N: 1000},
				EconomicLoss: mcstat.LossStats{N: 1000},
			},
		},
		Suppliers: []sim.FirmSummary{
			{
				Name: "chips", Backlog: 60, OperatingCashFlow: 30,
				BacklogLost:                loss(1.5, 1),
				EconomicLoss:               loss(0.75, 0.5),
				DefaultProbability:         mcstat.Proportion(0, 1000),
				LossFromDefaultProbability: mcstat.Proportion(120, 1000),
				LostBy:                     []sim.LossSource{{Name: "zeta-cloud", Mean: 1.5, TailMean: 9}},
			},
		},
		Customers: []sim.CustomerSummary{
			{
				Name:               "lab-b",
				DefaultProbability: mcstat.Proportion(250, 1000),
				DefaultProbabilityByYear: []mcstat.ProportionStats{
					mcstat.Proportion(20, 1000), mcstat.Proportion(150, 1000), mcstat.Proportion(250, 1000),
				},
				FundingRaised:       loss(25, 5),
				ProbabilityAnyRound: mcstat.Proportion(870, 1000),
				BackerSupport:       loss(0.5, 0.25),
			},
			{
				Name:               "lab-a",
				DefaultProbability: mcstat.Proportion(1, 1000),
				DefaultProbabilityByYear: []mcstat.ProportionStats{
					mcstat.Proportion(0, 1000), mcstat.Proportion(0, 1000), mcstat.Proportion(1, 1000),
				},
				FundingRaised:       loss(10, 2),
				ProbabilityAnyRound: mcstat.Proportion(999, 1000),
				BackerSupport:       mcstat.LossStats{N: 1000},
			},
		},
	}
}

func TestSummaryJSONShape(t *testing.T) {
	data, err := SummaryJSON(testSummary())
	if err != nil {
		t.Fatalf("SummaryJSON: %v", err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("SummaryJSON output does not end in a newline")
	}
	if !bytes.HasPrefix(data, []byte("{\n  \"format_version\": 1,\n")) {
		t.Errorf("SummaryJSON output starts %q; want format_version first, indented by two spaces", data[:min(40, len(data))])
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("SummaryJSON output is not JSON: %v", err)
	}

	// get walks doc along keys (strings for objects, ints for arrays).
	get := func(keys ...any) any {
		t.Helper()
		var v any = doc
		for _, k := range keys {
			switch k := k.(type) {
			case string:
				m, ok := v.(map[string]any)
				if !ok {
					t.Fatalf("path %v: %v is not an object", keys, v)
				}
				if v, ok = m[k]; !ok {
					t.Fatalf("path %v: no key %q", keys, k)
				}
			case int:
				a, ok := v.([]any)
				if !ok || k >= len(a) {
					t.Fatalf("path %v: %v is not an array with index %d", keys, v, k)
				}
				v = a[k]
			}
		}
		return v
	}
	for _, test := range []struct {
		path []any
		want any
	}{
		{[]any{"format_version"}, 1.0},
		{[]any{"money_unit"}, "USD billions"},
		{[]any{"scenario"}, "test-world"},
		{[]any{"paths"}, 1000.0},
		{[]any{"horizon_years"}, 2.5},
		{[]any{"steps_per_year"}, 4.0},
		{[]any{"tail_levels", 2}, 0.999},
		{[]any{"providers", "zeta-cloud", "index"}, 0.0},
		{[]any{"providers", "alpha-cloud", "index"}, 1.0},
		{[]any{"providers", "zeta-cloud", "backlog"}, 300.0},
		{[]any{"providers", "zeta-cloud", "operating_cash_flow"}, 80.0},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "mean"}, 12.34},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "var", "0.99"}, 80.0},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "var_stderr", "0.999"}, 15.0},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "es", "0.95"}, 70.0},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "es_stderr", "0.99"}, 6.0},
		{[]any{"providers", "zeta-cloud", "backlog_lost", "p_positive"}, 0.375},
		{[]any{"providers", "zeta-cloud", "economic_loss", "std"}, 6.0},
		{[]any{"providers", "zeta-cloud", "default_probability"}, 0.003},
		{[]any{"providers", "zeta-cloud", "lost_by", 0, "source"}, "lab-b"},
		{[]any{"providers", "zeta-cloud", "lost_by", 2, "source"}, sim.PoolSource},
		{[]any{"providers", "zeta-cloud", "lost_by", 0, "tail_mean_worst_1pct"}, 60.25},
		{[]any{"providers", "alpha-cloud", "lost_by"}, []any{}},
		{[]any{"suppliers", "chips", "default_probability_stderr"}, 0.0},
		{[]any{"suppliers", "chips", "lost_by", 0, "mean"}, 1.5},
		{[]any{"customers", "lab-b", "index"}, 0.0},
		{[]any{"customers", "lab-b", "default_probability"}, 0.25},
		{[]any{"customers", "lab-b", "default_probability_by_year", 1}, 0.15},
		{[]any{"customers", "lab-b", "default_probability_by_year_stderr", 2}, math.Sqrt(0.25 * 0.75 / 1000)},
		{[]any{"customers", "lab-b", "funding_raised", "mean"}, 25.0},
		{[]any{"customers", "lab-b", "probability_any_round"}, 0.87},
		{[]any{"customers", "lab-a", "backer_support", "es", "0.999"}, 0.0},
	} {
		if got := get(test.path...); !reflect.DeepEqual(got, test.want) {
			t.Errorf("SummaryJSON(testSummary()) at %v = %v; want %v", test.path, got, test.want)
		}
	}
	// The seed must survive exactly, beyond float64 precision.
	if want := "\"seed\": 9223372036854775815,"; !bytes.Contains(data, []byte(want)) {
		t.Errorf("SummaryJSON(testSummary()) does not contain %s", want)
	}
}

func TestSummaryJSONDeterministic(t *testing.T) {
	first, err := SummaryJSON(testSummary())
	if err != nil {
		t.Fatalf("SummaryJSON: %v", err)
	}
	for range 20 {
		again, err := SummaryJSON(testSummary())
		if err != nil {
			t.Fatalf("SummaryJSON: %v", err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("SummaryJSON(testSummary()) differs between calls")
		}
	}
}

func TestSummaryJSONRoundTrip(t *testing.T) {
	for _, test := range []struct {
		name string
		s    sim.Summary
	}{
		{"test", testSummary()},
		{"empty", sim.Summary{Scenario: "empty", Paths: 1, HorizonYears: 1, StepsPerYear: 12}},
	} {
		data, err := SummaryJSON(test.s)
		if err != nil {
			t.Fatalf("%s: SummaryJSON: %v", test.name, err)
		}
		f, err := ReadSummaryJSON(data)
		if err != nil {
			t.Fatalf("%s: ReadSummaryJSON: %v", test.name, err)
		}
		got, err := f.Summary()
		if err != nil {
			t.Fatalf("%s: SummaryFile.Summary: %v", test.name, err)
		}
		if !reflect.DeepEqual(got, test.s) {
			t.Errorf("%s: ReadSummaryJSON(SummaryJSON(s)).Summary() = %+v; want %+v", test.name, got, test.s)
		}
		again, err := f.MarshalIndent()
		if err != nil {
			t.Fatalf("%s: MarshalIndent: %v", test.name, err)
		}
		if !bytes.Equal(again, data) {
			t.Errorf("%s: ReadSummaryJSON(data).MarshalIndent() differs from data:\n%s\nwant\n%s", test.name, again, data)
		}
	}
}

func TestSummaryJSONNonFinite(t *testing.T) {
	for _, test := range []struct {
		name   string
		modify func(*sim.Summary)
		field  string
	}{
		{"nan var", func(s *sim.Summary) { s.Providers[0].BacklogLost.VaR[1] = math.NaN() },
			`providers["zeta-cloud"].backlog_lost.var["0.99"] is NaN`},
		{"inf backlog", func(s *sim.Summary) { s.Suppliers[0].Backlog = math.Inf(1) },
			`suppliers["chips"].backlog is +Inf`},
		{"nan lost by", func(s *sim.Summary) { s.Providers[0].LostBy[1].TailMean = math.NaN() },
			`providers["zeta-cloud"].lost_by[1].tail_mean_worst_1pct is NaN`},
		{"nan by year", func(s *sim.Summary) { s.Customers[1].DefaultProbabilityByYear[2].StdErr = math.NaN() },
			`customers["lab-a"].default_probability_by_year_stderr[2] is NaN`},
		{"inf support", func(s *sim.Summary) { s.Customers[0].BackerSupport.ESStdErr[0] = math.Inf(-1) },
			`customers["lab-b"].backer_support.es_stderr["0.95"] is -Inf`},
		{"nan horizon", func(s *sim.Summary) { s.HorizonYears = math.NaN() }, `horizon_years is NaN`},
	} {
		s := testSummary()
		test.modify(&s)
		_, err := SummaryJSON(s)
		if err == nil || !strings.Contains(err.Error(), test.field) || !strings.HasPrefix(err.Error(), "output: ") {
			t.Errorf("%s: SummaryJSON(s) error = %v; want one naming %s", test.name, err, test.field)
		}
	}
}

func TestSummaryJSONDuplicateNames(t *testing.T) {
	for _, test := range []struct {
		name   string
		modify func(*sim.Summary)
	}{
		{"providers", func(s *sim.Summary) { s.Providers[1].Name = s.Providers[0].Name }},
		{"suppliers", func(s *sim.Summary) { s.Suppliers = append(s.Suppliers, s.Suppliers[0]) }},
		{"customers", func(s *sim.Summary) { s.Customers[1].Name = s.Customers[0].Name }},
	} {
		s := testSummary()
		test.modify(&s)
		if _, err := SummaryJSON(s); err == nil {
			t.Errorf("%s: SummaryJSON(s) with a duplicate name succeeded; want an error", test.name)
		}
	}
	// The same name in different kinds is fine.
	s := testSummary()
	s.Suppliers[0].Name = s.Providers[0].Name
	if _, err := SummaryJSON(s); err != nil {
		t.Errorf("SummaryJSON(s) with a supplier named like a provider: %v", err)
	}
}

func TestReadSummaryJSONErrors(t *testing.T) {
	good, err := SummaryJSON(testSummary())
	if err != nil {
		t.Fatalf("SummaryJSON: %v", err)
	}
	edit := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(good, []byte(old)) {
			t.Fatalf("summary JSON does not contain %q", old)
		}
		return bytes.Replace(good, []byte(old), []byte(new), 1)
	}
	for _, test := range []struct {
		name string
		data []byte
		want string
	}{
		{"not json", []byte("{"), "reading summary"},
		{"no version", edit(`"format_version": 1,`, ``), "no format_version"},
		{"future version", edit(`"format_version": 1,`, `"format_version": 2,`), "format_version 2"},
		{"bad index", edit(`"index": 1,`, `"index": 0,`), "index"},
		{"missing level", edit(`"0.999": 15`, `"0.998": 15`), `no level "0.999"`},
		{"wrong type", edit(`"paths": 1000,`, `"paths": "many",`), "reading summary"},
		{"by year length", edit(`"default_probability_by_year_stderr": [`, `"default_probability_by_year_stderr": [0,`), "standard errors"},
	} {
		_, err := ReadSummaryJSON(test.data)
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: ReadSummaryJSON(data) error = %v; want one containing %q", test.name, err, test.want)
		}
	}

	// Unknown keys are ignored.
	f, err := ReadSummaryJSON(edit(`"format_version": 1,`, `"format_version": 1, "added_later": {"x": [1]},`))
	if err != nil {
		t.Fatalf("ReadSummaryJSON(data with an unknown key): %v", err)
	}
	if got := slices.Sorted(maps.Keys(f.Customers)); !slices.Equal(got, []string{"lab-a", "lab-b"}) {
		t.Errorf("ReadSummaryJSON(data).Customers keys = %v; want [lab-a lab-b]", got)
	}
}

func TestLevelKey(t *testing.T) {
	for _, test := range []struct {
		q    float64
		want string
	}{
		{0.95, "0.95"}, {0.99, "0.99"}, {0.999, "0.999"}, {0.5, "0.5"},
	} {
		if got := LevelKey(test.q); got != test.want {
			t.Errorf("LevelKey(%v) = %q; want %q", test.q, got, test.want)
		}
	}
}
