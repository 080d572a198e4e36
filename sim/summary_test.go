package sim_test

import (
	"slices"
	"testing"

	"github.com/backlogsim/backlogsim/internal/simtest"
	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// TestSummarizeHand checks Summarize on hand-made Results completed by
// simtest: default steps map to years by step/StepsPerYear, the by-year
// probabilities are cumulative and a final partial year gets its own
// entry.
func TestSummarizeHand(t *testing.T) {
	m := &sim.Model{Name: "hand", Settings: sim.Settings{Seed: 9}, HorizonYears: 2.5, StepsPerYear: 4}
	// Steps 0–3 are year 1, 4–7 year 2, 8–9 the half year 3.
	res := &sim.Results{
		Model: m, Paths: 6,
		Customers: []sim.CustomerResults{{
			Name:          "c",
			DefaultStep:   []int32{-1, 0, 3, 4, 9, 7},
			Rounds:        []int32{0, 1, 0, 2, 0, 0},
			FundingRaised: []float64{0, 1, 0, 3, 0, 0},
			BackerSupport: make([]float64, 6),
		}},
		Providers: []sim.FirmResults{{
			Name: "f", Backlog: 10, OperatingCashFlow: 2,
			BacklogLost:  []float64{0, 1, 2, 3, 4, 5},
			EconomicLoss: []float64{0, 0, 0, 0, 0, 1},
			DefaultStep:  []int32{-1, -1, 5, -1, -1, -1},
		}},
	}
	s := simtest.Complete(res).Summary
	if s.Scenario != "hand" || s.Seed != 9 || s.Paths != 6 || s.HorizonYears != 2.5 || s.StepsPerYear != 4 {
		t.Errorf("Summarize header = %+v", s)
	}
	c := s.Customers[0]
	if c.DefaultProbability != mcstat.Proportion(5, 6) {
		t.Errorf("DefaultProbability = %+v; want %+v", c.DefaultProbability, mcstat.Proportion(5, 6))
	}
	want := []mcstat.ProportionStats{mcstat.Proportion(2, 6), mcstat.Proportion(4, 6), mcstat.Proportion(5, 6)}
	if !slices.Equal(c.DefaultProbabilityByYear, want) {
		t.Errorf("DefaultProbabilityByYear = %+v; want %+v", c.DefaultProbabilityByYear, want)
	}
	if c.ProbabilityAnyRound != mcstat.Proportion(2, 6) {
		t.Errorf("ProbabilityAnyRound = %+v; want %+v", c.ProbabilityAnyRound, mcstat.Proportion(2, 6))
	}
	if c.FundingRaised.Mean != 4.0/6 {
		t.Errorf("FundingRaised.Mean = %v; want %v", c.FundingRaised.Mean, 4.0/6)
	}
	f := s.Providers[0]
	if f.DefaultProbability != mcstat.Proportion(1, 6) || f.BacklogLost.Mean != 2.5 || f.EconomicLoss.PPositive != 1.0/6 {
		t.Errorf("Providers[0] = %+v; want default 1/6, mean lost 2.5, P(econ > 0) 1/6", f)
	}
}
