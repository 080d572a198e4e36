package sim_test

import (
	"context"
	"fmt"
	"math"

	"github.com/backlogsim/backlogsim/sim"
)

// A lab with 4 bn of cash burns through a 6 bn fixed cost a year against
// 3 bn of revenue, raising venture rounds at one a year; it owes a cloud
// provider 10 bn over four years. Simulate runs the paths; their Summary
// holds the statistics.
func ExampleSimulate() {
	m := &sim.Model{
		Name: "one-lab", Settings: sim.Settings{Paths: 20000, Seed: 1}, HorizonYears: 2, StepsPerYear: 12,
		Funding: sim.FundingMarket{
			Regimes: []sim.FundingRegime{{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1}},
		},
		Recovery: sim.RecoveryModel{Mean: 0.5, Concentration: math.Inf(1)},
		Customers: []sim.Customer{{
			Name: "lab", Cash: 4, Revenue: 3, GrowthInitial: 0.6, GrowthLongRun: 0.2, GrowthHalfLifeYears: 1,
			IdioVolatility: 0.3, FixedCost: 6, CashFlowVolatility: 1,
			Funding: sim.CustomerFunding{RoundRate: 1, RunwayThresholdYears: 1, UrgencyMultiplier: 1.5,
				RevenueMultiple: 2, SizeVolatility: 0.3},
		}},
		Providers: []sim.Firm{{
			Name: "cloud", Backlog: 50, Cash: 20, OperatingCashFlow: 10, Margin: 0.3, StrandedShare: 0.2,
			Pool: sim.DiversifiedPool{AnnualDefaultProbability: 0.01, Correlation: 0.2, LossGivenDefault: 0.4, DurationYears: 3},
		}},
		Contracts: []sim.Contract{{Name: "compute", Payer: 0, Payee: 1, Value: 10, TermYears: 4}},
	}
	res, err := sim.Simulate(context.Background(), m, sim.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := res.Summary
	lab, cloud := s.Customers[0], s.Providers[0]
	fmt.Printf("lab: P(default in 2 years) = %.3f ± %.3f\n", lab.DefaultProbability.P, lab.DefaultProbability.StdErr)
	fmt.Printf("cloud: mean backlog lost %.2f ± %.2f bn, 99%% VaR %.1f bn\n",
		cloud.BacklogLost.Mean, cloud.BacklogLost.MeanStdErr, cloud.BacklogLost.VaR[1])
	// Output:
	// lab: P(default in 2 years) = 0.308 ± 0.003
	// cloud: mean backlog lost 2.98 ± 0.03 bn, 99% VaR 11.5 bn
}
