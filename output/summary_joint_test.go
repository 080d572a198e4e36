package output

import (
	"reflect"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

func TestJointDefaultsRoundTrip(t *testing.T) {
	s := testSummary()
	p := func(v, se float64) mcstat.ProportionStats { return mcstat.ProportionStats{P: v, StdErr: se} }
	s.JointDefaults = &sim.JointDefaults{
		Entities:       []string{"lab", "cloud"},
		Joint:          [][]mcstat.ProportionStats{{p(0.3, 0.01), p(0.1, 0.005)}, {p(0.1, 0.005), p(0.12, 0.006)}},
		Conditional:    [][]mcstat.ProportionStats{{p(1, 0), p(1.0/3, 0.02)}, {{}, {}}},
		Defined:        []bool{true, false},
		FirmsInDefault: []mcstat.ProportionStats{p(0.88, 0.006), p(0.12, 0.006)},
	}
	s.Providers[0].DefaultProbabilityByYear = []mcstat.ProportionStats{p(0.01, 0.001), p(0.02, 0.002)}
	data, err := SummaryJSON(s)
	if err != nil {
		t.Fatalf("SummaryJSON: %v", err)
	}
	if !strings.Contains(string(data), `"conditional": [`) || !strings.Contains(string(data), "null") {
		t.Errorf("summary.json lacks the conditional matrix with a null row:\n%s", data)
	}
	f, err := ReadSummaryJSON(data)
	if err != nil {
		t.Fatalf("ReadSummaryJSON: %v", err)
	}
	got, err := f.Summary()
	if err != nil {
		t.Fatalf("Summary: %v", err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip = %+v\nwant %+v", got.JointDefaults, s.JointDefaults)
	}
	bad := strings.Replace(string(data), `"entities": [`, `"entities": ["extra",`, 1)
	if _, err := ReadSummaryJSON([]byte(bad)); err == nil || !strings.Contains(err.Error(), "joint_defaults") {
		t.Errorf("ReadSummaryJSON with an extra entity: error %v; want one naming joint_defaults", err)
	}
}
