package output

import (
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

func TestSweepCSVAndCharts(t *testing.T) {
	m := []Metric{{Entity: "openai", Kind: "customer", Stat: "default_probability"}}
	one := &Sweep{Scenario: "s", Seed: 1, Paths: 10, Metrics: m, Keys: []SweepKey{{Key: "a.b", Values: []float64{1, 2}}},
		Points: []SweepPoint{{Values: []float64{1}, Estimates: []mcstat.Estimate{est(0.1, 0.01)}}, {Values: []float64{2}, Estimates: []mcstat.Estimate{est(0.2, 0.02)}}}}
	csv, err := SweepCSV(one)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a.b,metric,value,stderr\n1,openai.default_probability,0.1,0.01\n2,openai.default_probability,0.2,0.02\n"; string(csv) != want {
		t.Errorf("SweepCSV = %q; want %q", csv, want)
	}
	two := &Sweep{Scenario: "s", Seed: 1, Paths: 10, Metrics: m,
		Keys: []SweepKey{{Key: "a.b", Values: []float64{1, 2}}, {Key: "c.d", Values: []float64{5, 6}}}}
	for i, v := range [][]float64{{1, 5}, {1, 6}, {2, 5}, {2, 6}} {
		two.Points = append(two.Points, SweepPoint{Values: v, Estimates: []mcstat.Estimate{est(float64(i)/10, 0.01)}})
	}
	g := sweepGrid{s: two, j: 0, f: 1}
	if g.Z(1, 0) != 0.2 || g.X(1) != 2 || g.Y(0) != 5 {
		t.Errorf("sweepGrid Z(1, 0), X(1), Y(0) = %v, %v, %v; want 0.2, 2, 5", g.Z(1, 0), g.X(1), g.Y(0))
	}
	for _, s := range []*Sweep{one, two} {
		charts, err := SweepCharts(s)
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != 1 || !strings.HasPrefix(charts[0].Name, "sweep-openai") {
			t.Fatalf("SweepCharts = %v; want one chart", charts)
		}
		files, err := RenderCharts(charts)
		if err != nil {
			t.Fatal(err)
		}
		checkRendered(t, charts, files)
	}
}
