package output

import (
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

func TestFindings(t *testing.T) {
	k := tailIndex()
	firm := func(name string, backlog, es float64, pd float64, by []sim.LossSource) sim.FirmSummary {
		f := sim.FirmSummary{Name: name, Backlog: backlog, LostBy: by, DefaultProbability: mcstat.ProportionStats{P: pd, StdErr: 0.01}}
		f.BacklogLost.ES[k] = es
		f.BacklogLost.Mean = es / 10
		return f
	}
	sum := sim.Summary{
		HorizonYears: 5,
		Providers: []sim.FirmSummary{
			firm("small", 100, 10, 0.02, nil),
			firm("big", 200, 50, 0.05, []sim.LossSource{{Name: "lab-x", TailMean: 30}, {Name: sim.PoolSource, TailMean: 10}}),
		},
		Suppliers: []sim.FirmSummary{firm("chips", 80, 5, 0.01, nil)},
		Customers: []sim.CustomerSummary{
			{Name: "lab-x", DefaultProbability: mcstat.ProportionStats{P: 0.3, StdErr: 0.01}},
			{Name: "lab-y", DefaultProbability: mcstat.ProportionStats{P: 0.1, StdErr: 0.01}},
		},
	}
	got := strings.Join(Findings(sum), "\n")
	for _, want := range []string{
		"Most exposed: big.", "loses 50.0 bn", "25.0% of its 200 bn backlog", // ES 50 of 200
		"lab-x causes 75.0% of big's", // 30 of 40
		"lab-x defaults within 5 years on 30.0% of paths",
		"big, the provider or supplier most likely to fail, defaults on 5.00%",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Findings do not say %q:\n%s", want, got)
		}
	}
	if f := Findings(sim.Summary{}); len(f) != 0 {
		t.Errorf("Findings of an empty summary = %q; want none", f)
	}
}
