package output_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/sim"
)

// tinyModel returns a minimal model: one lab that owes one cloud provider
// a five-year contract.
func tinyModel() *sim.Model {
	return &sim.Model{
		Name:         "tiny",
		Settings:     sim.Settings{Paths: 300, Seed: 1},
		HorizonYears: 2,
		StepsPerYear: 12,
		Funding: sim.FundingMarket{
			Regimes: []sim.FundingRegime{{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1}},
		},
		Demand:   sim.DemandFactor{MeanReversion: 0.5, Volatility: 0.2},
		Macro:    sim.MacroFactor{MeanReversion: 0.3},
		Recovery: sim.RecoveryModel{Mean: 0.4, Concentration: 10},
		Customers: []sim.Customer{{
			Name: "lab", Cash: 5, Revenue: 4, GrowthInitial: 0.8, GrowthLongRun: 0.2,
			GrowthHalfLifeYears: 1.5, DemandLoading: 1, IdioVolatility: 0.3,
			FixedCost: 6, VariableCostShare: 0.2, CashFlowVolatility: 1,
			Funding: sim.CustomerFunding{RoundRate: 1, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
				RevenueMultiple: 2, SizeVolatility: 0.3},
		}},
		Providers: []sim.Firm{{
			Name: "cloud", Backlog: 100, Cash: 20, OperatingCashFlow: 30, Margin: 0.3, StrandedShare: 0.2,
			Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.01, Correlation: 0.15, LossGivenDefault: 0.4, DurationYears: 2},
		}},
		Contracts: []sim.Contract{
			{Name: "lab-cloud", Payer: 0, Payee: 1, Value: 30, TermYears: 5, Profile: sim.Flat},
		},
	}
}

func ExampleSummaryJSON() {
	res, err := sim.Simulate(context.Background(), tinyModel(), sim.Options{})
	if err != nil {
		log.Fatal(err)
	}
	data, err := output.SummaryJSON(res.Summary)
	if err != nil {
		log.Fatal(err)
	}

	// The file starts with the run's description.
	lines := bytes.SplitAfter(data, []byte("\n"))
	for _, l := range lines[:8] {
		fmt.Print(string(l))
	}

	// ReadSummaryJSON reads it back.
	f, err := output.ReadSummaryJSON(data)
	if err != nil {
		log.Fatal(err)
	}
	cloud := f.Providers["cloud"]
	fmt.Println("providers:", slices.Sorted(maps.Keys(f.Providers)))
	fmt.Println("customers:", slices.Sorted(maps.Keys(f.Customers)))
	fmt.Println("tail levels:", slices.Sorted(maps.Keys(cloud.BacklogLost.VaR)))
	fmt.Println("years:", len(f.Customers["lab"].DefaultProbabilityByYear))
	fmt.Println("lost_by sources:", len(cloud.LostBy))

	// Output:
	// {
	//   "format_version": 1,
	//   "money_unit": "USD billions",
	//   "scenario": "tiny",
	//   "seed": 1,
	//   "paths": 300,
	//   "horizon_years": 2,
	//   "steps_per_year": 12,
	// providers: [cloud]
	// customers: [lab]
	// tail levels: [0.95 0.99 0.999]
	// years: 2
	// lost_by sources: 2
}
