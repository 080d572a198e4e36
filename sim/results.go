package sim

// Results holds what Simulate measured on every path, in path order, and
// the streaming summaries it kept over time. Everything in it depends only
// on the model (including its Seed and Paths), never on the number of
// workers.
type Results struct {
	Model *Model
	Paths int

	// StepYears[s] is the time at the end of step s.
	StepYears []float64

	Providers []FirmResults
	Suppliers []FirmResults
	Customers []CustomerResults

	// RegimeShare[s][r] is the share of paths in funding regime r during
	// step s.
	RegimeShare [][]float64
}

// FirmResults are one provider's or supplier's outcomes.
type FirmResults struct {
	Name              string
	Backlog           float64
	OperatingCashFlow float64

	// BacklogLost[p] is the contract value still to come, at their default
	// steps, of the contracts whose payers defaulted on path p, plus the
	// defaulted part of the diversified pool. EconomicLoss[p] is what those
	// defaults cost the firm (see the package documentation).
	BacklogLost  []float64
	EconomicLoss []float64
	// DefaultStep[p] is the step at which the firm defaulted on path p, or
	// -1 if it survived the horizon.
	DefaultStep []int32

	// LostBy is the firm's backlog lost broken down by source: each
	// counterparty that owes it contracts, then the diversified pool.
	LostBy []LossSource
}

// LossSource is the part of a firm's backlog lost that one source caused.
type LossSource struct {
	// Name is the counterparty's name, or PoolSource for the diversified
	// pool.
	Name string
	// Mean is the mean over all paths; TailMean the mean over the paths in
	// which the firm's total backlog lost is at or above its 99% quantile.
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
	// backers paid in.
	FundingRaised []float64
	Rounds        []int32
	BackerSupport []float64
	// CashBands[s][k] is the CashBandLevels()[k] quantile of cash at the
	// end of step s over all paths (a defaulted customer's cash stays at
	// its value at default). The quantiles come from a streaming histogram
	// and are accurate to within its bin width (see CashHistogram).
	CashBands [][5]float64
}

// CashBandLevels returns the probability levels of CustomerResults.CashBands.
func CashBandLevels() [5]float64 { return [5]float64{0.05, 0.25, 0.5, 0.75, 0.95} }
