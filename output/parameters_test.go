package output

import (
	"math"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

func TestNewParameterBand(t *testing.T) {
	// Values 1..21 (shuffled): gonum's LinInterp interpolates the
	// empirical CDF, which is i/21 at the i-th value i, so q(p) = 21p for
	// p >= 1/21: median 10.5, 5% point 1.05, 95% point 19.95.
	var sets []mcstat.Estimate
	for i := range 21 {
		sets = append(sets, est(float64((i*8)%21+1), 2))
	}
	b := NewParameterBand("x.default_probability", est(10, 1), sets)
	if math.Abs(b.Median-10.5) > 1e-12 || math.Abs(b.P05-1.05) > 1e-12 || math.Abs(b.P95-19.95) > 1e-12 || b.MCStdErr != 2 {
		t.Errorf("NewParameterBand = median %v, p05 %v, p95 %v, mc %v; want 10.5, 1.05, 19.95, 2", b.Median, b.P05, b.P95, b.MCStdErr)
	}
	if b.Values[1] != 9 || b.Base.Value != 10 {
		t.Errorf("NewParameterBand keeps values %v and base %v; want values in set order and base 10", b.Values[:2], b.Base)
	}
	p := &ParameterSets{Scenario: "u", Sets: 21, Paths: 10, Parameters: []UncertainParam{{Key: "a.b"}}, Values: make([][]float64, 21), Bands: []ParameterBand{b}}
	for i := range p.Values {
		p.Values[i] = []float64{float64(i)}
	}
	csv, err := ParameterSetsCSV(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"metric,set,statistic,value\n", "parameter:a.b,3,value,3\n", "x.default_probability,,mc_stderr,2\n", "x.default_probability,1,value,9\n"} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("parameters.csv lacks %q", want)
		}
	}
	charts, err := ParameterSetCharts(p, []Metric{{Entity: "x", Kind: "customer", Stat: "default_probability"}})
	if err != nil || len(charts) != 1 || charts[0].Name != "parameter-bands-default-probability" {
		t.Fatalf("ParameterSetCharts = %v, %v; want one chart", charts, err)
	}
	files, err := RenderCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	checkRendered(t, charts, files)
}
