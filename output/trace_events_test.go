package output

import (
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

// TestTraceEventsCommitments: a lab that receives a tranche in step 0,
// enters distress and renegotiates after step 1 (its cloud booking 2.5 of
// backlog renegotiated) and leaves distress after step 2 has exactly those
// events, in order, at the steps' start times.
func TestTraceEventsCommitments(t *testing.T) {
	lab := func(tranches float64, distressed, reneg bool) []sim.LabStep {
		return []sim.LabStep{{Cash: 1, RunRate: 1, PlanRunRate: 1, Tranches: tranches, Distressed: distressed, Renegotiated: reneg}}
	}
	firm := func(reneg float64) []sim.FirmStep { return []sim.FirmStep{{Buffer: 5, BacklogRenegotiated: reneg}} }
	tr := &sim.PathTrace{
		Regimes: []string{"open"}, Customers: []string{"lab"}, Firms: []string{"cloud"},
		Steps: []sim.TraceStep{
			{Step: 0, Years: 0.25, Labs: lab(6, false, false), Firms: firm(0)},
			{Step: 1, Years: 0.5, Labs: lab(0, true, true), Firms: firm(2.5)},
			{Step: 2, Years: 0.75, Labs: lab(0, false, false), Firms: firm(2.5)},
		},
	}
	var got []string
	for _, ev := range traceEvents(tr) {
		got = append(got, f2(ev.years)+" "+ev.text)
	}
	want := []string{
		"0.00 funding regime open",
		"0.00 lab receives 6.0 of committed tranches",
		"0.25 lab enters distress (cash 1.0): cuts costs from the next step",
		"0.25 lab renegotiates its contracts",
		"0.25 cloud books 2.5 of backlog renegotiated",
		"0.50 lab leaves distress (cash 1.0)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("traceEvents =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTraceEventsStakeWriteOff: a default costs a contract's payee backlog
// and a stake's holder only what it invested; the two read differently.
func TestTraceEventsStakeWriteOff(t *testing.T) {
	tr := &sim.PathTrace{
		Regimes: []string{"open"}, Customers: []string{"lab"}, Firms: []string{"cloud", "chips"},
		Steps: []sim.TraceStep{{
			Step: 0, Years: 0.25,
			Labs:  []sim.LabStep{{Cash: -1, RunRate: 1, PlanRunRate: 1, Defaulted: true}},
			Firms: []sim.FirmStep{{Buffer: 5}, {Buffer: 9}},
			Losses: []sim.ContractLoss{
				{Payer: "lab", Payee: "cloud", BacklogLost: 12, EconomicLoss: 3},
				{Payer: "lab", Payee: "chips", EconomicLoss: 10},
			},
		}},
	}
	var got []string
	for _, ev := range traceEvents(tr) {
		got = append(got, f2(ev.years)+" "+ev.text)
	}
	want := []string{
		"0.00 funding regime open",
		"0.00 lab DEFAULTS (cash -1.0)",
		"0.00 cloud loses 12.0 of backlog to lab's default (economic loss 3.0)",
		"0.00 chips writes off 10.0 invested in lab",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("traceEvents =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
