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

// TestSimulatedSummaryRoundTrip writes a simulated run's summary, with its
// joint defaults, system loss and contributions, and reads it back.
func TestSimulatedSummaryRoundTrip(t *testing.T) {
	_, s := plotsRun(t)
	if s.JointDefaults == nil || s.System == nil || s.Providers[0].BacklogLostContributions == nil {
		t.Fatalf("simulated summary lacks joint defaults, system or contributions")
	}
	data, err := SummaryJSON(s)
	if err != nil {
		t.Fatalf("SummaryJSON: %v", err)
	}
	for _, key := range []string{`"joint_defaults"`, `"system"`, `"contributions"`, `"sources"`, `"survivors"`, `"liquidity"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("summary.json lacks %s", key)
		}
	}
	f, err := ReadSummaryJSON(data)
	if err != nil {
		t.Fatalf("ReadSummaryJSON: %v", err)
	}
	got, err := f.Summary()
	if err != nil {
		t.Fatalf("Summary: %v", err)
	}
	if !reflect.DeepEqual(got.JointDefaults, s.JointDefaults) || !reflect.DeepEqual(got.System, s.System) || !reflect.DeepEqual(got.TailAnatomy, s.TailAnatomy) {
		t.Errorf("round trip changed the joint defaults, the system loss or the tail anatomy")
	}
	if len(s.TailAnatomy) == 0 {
		t.Errorf("simulated summary has no tail anatomy")
	}
	if len(s.Survivors) != len(s.Providers)+len(s.Suppliers) || !reflect.DeepEqual(got.Survivors, s.Survivors) {
		t.Errorf("round trip changed the survivor ranking: %+v; want %+v", got.Survivors, s.Survivors)
	}
	for i := range s.Providers {
		if !reflect.DeepEqual(got.Providers[i].BacklogLostContributions, s.Providers[i].BacklogLostContributions) ||
			!reflect.DeepEqual(got.Providers[i].EconomicLossContributions, s.Providers[i].EconomicLossContributions) {
			t.Errorf("round trip changed %s's contributions", s.Providers[i].Name)
		}
	}
}
