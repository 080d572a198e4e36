package sim

import "math"

// Summary is the statistics of a run that backlogsim reports: everything in
// it is a deterministic function of the Results.
type Summary struct {
	Scenario     string
	Seed         uint64
	Paths        int
	HorizonYears float64
	StepsPerYear int

	Providers []FirmSummary
	Suppliers []FirmSummary
	Customers []CustomerSummary
}

// FirmSummary summarises one provider or supplier.
type FirmSummary struct {
	Name              string
	Backlog           float64
	OperatingCashFlow float64
	BacklogLost       LossStats
	EconomicLoss      LossStats
	// DefaultProbability is the probability that the firm defaults within
	// the horizon.
	DefaultProbability ProportionStats
	LostBy             []LossSource
}

// CustomerSummary summarises one customer.
type CustomerSummary struct {
	Name               string
	DefaultProbability ProportionStats
	// DefaultProbabilityByYear[k] is the probability of default by the end
	// of year k+1 (the last entry covers a final partial year).
	DefaultProbabilityByYear []ProportionStats
	FundingRaised            LossStats
	// ProbabilityAnyRound is the probability of at least one funding round.
	ProbabilityAnyRound ProportionStats
	BackerSupport       LossStats
}

// Summarize computes the Summary of res.
func Summarize(res *Results) Summary {
	m := res.Model
	s := Summary{
		Scenario:     m.Name,
		Seed:         m.Seed,
		Paths:        res.Paths,
		HorizonYears: m.HorizonYears,
		StepsPerYear: m.StepsPerYear,
	}
	for _, f := range res.Providers {
		s.Providers = append(s.Providers, summarizeFirm(f))
	}
	for _, f := range res.Suppliers {
		s.Suppliers = append(s.Suppliers, summarizeFirm(f))
	}
	years := int(math.Ceil(m.HorizonYears - 1e-9))
	for _, c := range res.Customers {
		cs := CustomerSummary{
			Name:          c.Name,
			FundingRaised: SummarizeLosses(c.FundingRaised),
			BackerSupport: SummarizeLosses(c.BackerSupport),
		}
		defaults, anyRound := 0, 0
		byYear := make([]int, years)
		for p, step := range c.DefaultStep {
			if step >= 0 {
				defaults++
				y := int(step) / m.StepsPerYear
				for k := y; k < years; k++ {
					byYear[k]++
				}
			}
			if c.Rounds[p] > 0 {
				anyRound++
			}
		}
		cs.DefaultProbability = Proportion(defaults, res.Paths)
		cs.ProbabilityAnyRound = Proportion(anyRound, res.Paths)
		for _, k := range byYear {
			cs.DefaultProbabilityByYear = append(cs.DefaultProbabilityByYear, Proportion(k, res.Paths))
		}
		s.Customers = append(s.Customers, cs)
	}
	return s
}

func summarizeFirm(f FirmResults) FirmSummary {
	defaults := 0
	for _, step := range f.DefaultStep {
		if step >= 0 {
			defaults++
		}
	}
	return FirmSummary{
		Name:               f.Name,
		Backlog:            f.Backlog,
		OperatingCashFlow:  f.OperatingCashFlow,
		BacklogLost:        SummarizeLosses(f.BacklogLost),
		EconomicLoss:       SummarizeLosses(f.EconomicLoss),
		DefaultProbability: Proportion(defaults, len(f.DefaultStep)),
		LostBy:             f.LostBy,
	}
}
