package sim

import "github.com/backlogsim/backlogsim/mcstat"

// Results holds what Simulate measured on every path, in path order, the
// streaming summaries it kept over time and the Summary of it all.
// Everything in it depends only on the model (including its Seed and
// Paths), never on the number of workers.
type Results struct {
	Model *Model
	Paths int

	// Summary is the statistics that backlogsim reports, computed once
	// from the distributions and aggregates below (see Summarize).
	Summary Summary

	// Streaming is true when the per-path slices below are nil and only the
	// distributions and aggregates are kept (see SummaryMode).
	Streaming bool
	// Antithetic is true when paths come in antithetic pairs (2k, 2k+1).
	Antithetic bool
	// ImportanceSampled is true when paths carry likelihood-ratio weights;
	// Weights[p] is path p's weight in exact mode (nil otherwise). Every
	// statistic in the Results is already weighted.
	ImportanceSampled bool
	Weights           []float64
	// Weighting sums the paths' weights (all 1 without importance
	// sampling), in exact and streaming mode alike.
	Weighting WeightStats

	// StepYears[s] is the time at the end of step s.
	StepYears []float64

	Providers []FirmResults
	Suppliers []FirmResults
	Customers []CustomerResults
	// System is the system-wide loss (nil for Results built by hand).
	System *SystemResults

	// RegimeShare[s][r] is the share of paths in funding regime r during
	// step s.
	RegimeShare [][]float64

	// JointDefaults is which entities default together (nil for Results
	// built by hand).
	JointDefaults *JointDefaults
	// TailAnatomy describes the worst 1% of paths of each firm's backlog
	// lost, then the system's (nil for Results built by hand).
	TailAnatomy []TailAnatomy
}

// FirmResults are one provider's or supplier's outcomes.
type FirmResults struct {
	Name              string
	Backlog           float64
	OperatingCashFlow float64

	// BacklogLost[p] is the contract value still to come, at their default
	// steps, of the contracts whose payers defaulted on path p, plus the
	// defaulted part of the diversified pool. EconomicLoss[p] is what those
	// defaults and renegotiations cost the firm (see the package
	// documentation). BacklogRenegotiated[p] is the contract value that
	// distressed payers renegotiated away on path p (not in BacklogLost).
	// DefaultStep[p] is the step at which the firm defaulted on path p, or
	// -1 if it survived the horizon. All four are nil in streaming mode.
	BacklogLost         []float64
	EconomicLoss        []float64
	BacklogRenegotiated []float64
	DefaultStep         []int32

	// The distributions of BacklogLost, EconomicLoss and
	// BacklogRenegotiated, in either mode.
	BacklogLostDist, EconomicLossDist *mcstat.LossDistribution
	BacklogRenegotiatedDist           *mcstat.LossDistribution
	// Their expected shortfalls' contributions by origin (nil for Results
	// built by hand).
	BacklogLostContributions, EconomicLossContributions *RiskContributions
	// DefaultProbability is the probability that the firm defaults within
	// the horizon.
	DefaultProbability mcstat.ProportionStats
	// LossFromDefaultProbability is the probability that the firm loses
	// backlog to the default of a counterparty (a customer or a firm that
	// owes it contracts), apart from its diversified pool, which loses
	// something on nearly every path.
	LossFromDefaultProbability mcstat.ProportionStats
	// DefaultProbabilityByYear[k] is the probability of default by the
	// end of year k+1 (the last entry covers a final partial year);
	// Survival[s] the probability that the firm has not defaulted by the
	// end of step s.
	DefaultProbabilityByYear []mcstat.ProportionStats
	Survival                 []float64

	// LostBy is the firm's backlog lost broken down by source: each
	// counterparty that owes it contracts, then the diversified pool.
	LostBy []LossSource
}

// LossSource is the part of a firm's backlog lost that one source caused.
type LossSource struct {
	// Name is the counterparty's name, or PoolSource for the diversified
	// pool.
	Name string
	// Mean is the mean over all paths; TailMean the mean over the firm's
	// worst 1% of paths by backlog lost (the ⌈n/100⌉ worst, ties broken by
	// path index; by probability weight under importance sampling).
	Mean     float64
	TailMean float64
}

// PoolSource names the diversified pool in LossSource.
const PoolSource = "diversified pool"

// CustomerResults are one customer's outcomes.
type CustomerResults struct {
	Name string
	// DefaultStep[p] is the step at which the customer defaulted on path p,
	// or -1 if it survived.
	DefaultStep []int32
	// FundingRaised[p] is the total raised in venture rounds on path p;
	// Rounds[p] the number of rounds; BackerSupport[p] what strategic
	// backers paid in; TranchesPaid[p] what committed tranches paid in. All
	// five per-path slices are nil in streaming mode.
	FundingRaised []float64
	Rounds        []int32
	BackerSupport []float64
	TranchesPaid  []float64

	// The distributions of FundingRaised, BackerSupport and TranchesPaid,
	// in either mode.
	FundingRaisedDist, BackerSupportDist, TranchesPaidDist *mcstat.LossDistribution
	// DefaultProbability is the probability of default within the horizon;
	// DefaultProbabilityByYear[k] by the end of year k+1 (the last entry
	// covers a final partial year); ProbabilityAnyRound that of at least
	// one funding round.
	DefaultProbability       mcstat.ProportionStats
	DefaultProbabilityByYear []mcstat.ProportionStats
	ProbabilityAnyRound      mcstat.ProportionStats
	// Survival[s] is the probability that the customer has not defaulted by
	// the end of step s (path weights rounded to multiples of 2⁻²⁴).
	Survival []float64
	// CashBands[s][k] is the CashBandLevels()[k] quantile of cash at the
	// end of step s over all paths (a defaulted customer's cash stays at
	// its value at default). The quantiles come from a streaming histogram
	// and are accurate to within half a bin (see Histogram).
	CashBands [][5]float64
}

// CashBandLevels returns the probability levels of CustomerResults.CashBands.
func CashBandLevels() [5]float64 { return [5]float64{0.05, 0.25, 0.5, 0.75, 0.95} }
