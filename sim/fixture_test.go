package sim

import "gonum.org/v1/gonum/mat"

// smallWorld returns a small but complete model: two labs, two providers
// (one backing a lab, one leveraged), one supplier, three regimes and a
// scripted shock. Tests change what they need on the copy they get.
func smallWorld() *Model {
	return &Model{
		Name:         "small-world",
		Settings:     Settings{Paths: 2000, Seed: 42},
		HorizonYears: 3,
		StepsPerYear: 12,
		Funding: FundingMarket{
			Regimes: []FundingRegime{
				{Name: "open", RoundRateMultiplier: 1, ValuationMultiplier: 1},
				{Name: "tight", RoundRateMultiplier: 0.5, ValuationMultiplier: 0.6},
				{Name: "frozen", RoundRateMultiplier: 0.1, ValuationMultiplier: 0.3},
			},
			Generator: mat.NewDense(3, 3, []float64{
				-0.15, 0.12, 0.03,
				0.5, -0.7, 0.2,
				0.1, 0.4, -0.5,
			}),
			Shocks: []FundingShock{{Regime: 1, StartYears: 1, DurationYears: 0.5}},
		},
		Demand:   DemandFactor{MeanReversion: 0.5, Volatility: 0.2},
		Macro:    MacroFactor{MeanReversion: 0.3},
		Recovery: RecoveryModel{Mean: 0.4, DemandSlope: 0.5, Concentration: 10},
		Customers: []Customer{
			{
				Name: "lab-a", Cash: 10, Revenue: 12, GrowthInitial: 0.8, GrowthLongRun: 0.2,
				GrowthHalfLifeYears: 1.5, DemandLoading: 1, IdioVolatility: 0.3,
				FixedCost: 15, FixedCostGrowth: 0.3, VariableCostShare: 0.2, CashFlowVolatility: 3,
				Funding: CustomerFunding{RoundRate: 1, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
					RevenueMultiple: 2, SizeVolatility: 0.3},
			},
			{
				Name: "lab-b", Cash: 5, Revenue: 5, GrowthInitial: 1, GrowthLongRun: 0.25,
				GrowthHalfLifeYears: 1, DemandLoading: 1.2, IdioVolatility: 0.4, IdioKind: StudentT, IdioDoF: 5,
				FixedCost: 6, VariableCostShare: 0.3, CashFlowVolatility: 1,
				Funding: CustomerFunding{RoundRate: 1.5, RunwayThresholdYears: 1, UrgencyMultiplier: 2,
					RevenueMultiple: 3, SizeVolatility: 0.3},
			},
		},
		Providers: []Firm{
			{Name: "big-cloud", Backlog: 300, Cash: 50, OperatingCashFlow: 80, Debt: 40, Margin: 0.3, StrandedShare: 0.2,
				Pool: DiversifiedPool{AnnualDefaultProbability: 0.01, Correlation: 0.15, LossGivenDefault: 0.4, DurationYears: 2}},
			{Name: "neo-cloud", Backlog: 40, Cash: 2, OperatingCashFlow: 2, Debt: 20, LiquidationValue: 5, Margin: 0.25, StrandedShare: 0.5,
				Pool: DiversifiedPool{AnnualDefaultProbability: 0.02, Correlation: 0.2, LossGivenDefault: 0.5, DurationYears: 3}},
		},
		Suppliers: []Firm{
			{Name: "chips", Backlog: 60, Cash: 20, OperatingCashFlow: 30, Margin: 0.5, StrandedShare: 0.1,
				Pool: DiversifiedPool{AnnualDefaultProbability: 0.005, Correlation: 0.1, LossGivenDefault: 0.3, DurationYears: 1}},
		},
		Contracts: []Contract{
			{Name: "a-big", Payer: 0, Payee: 2, Value: 100, StartYears: 0, TermYears: 5, Profile: Ramp},
			{Name: "a-neo", Payer: 0, Payee: 3, Value: 20, StartYears: 0.5, TermYears: 4, Profile: Flat},
			{Name: "b-big", Payer: 1, Payee: 2, Value: 30, StartYears: 0, TermYears: 3, Profile: Schedule, YearlySchedule: []float64{5, 10, 15}},
			{Name: "neo-chips", Payer: 3, Payee: 4, Value: 15, StartYears: 0, TermYears: 3, Profile: Flat},
		},
		Backers: []Backing{{Backer: 2, Customer: 0, AnnualLimit: 5}},
	}
}
