package sim

// IdiosyncraticKind is the distribution of a customer's own revenue shocks.
type IdiosyncraticKind int

const (
	Normal IdiosyncraticKind = iota
	StudentT
)

// Customer is a cash-burning AI lab.
type Customer struct {
	Name string
	// Cash at time zero.
	Cash float64
	// Revenue is the annual revenue run-rate at time zero.
	Revenue float64
	// Growth of log revenue per year decays from GrowthInitial to
	// GrowthLongRun with half-life GrowthHalfLifeYears.
	GrowthInitial       float64
	GrowthLongRun       float64
	GrowthHalfLifeYears float64 // > 0
	// PlanShortfall d is how fast revenue falls short of that path, the
	// plan: at demand 0 and without shocks the run-rate is the plan's
	// times e^(−d·t). Rounds and tranches judge performance against the
	// plan itself.
	PlanShortfall float64
	// DemandLoading β multiplies the demand factor D in the growth rate.
	DemandLoading float64
	// IdioVolatility is the annual volatility of log revenue from the
	// customer's own shocks; IdioKind and IdioDoF (> 2, Student-t only)
	// give their distribution, scaled to unit variance.
	IdioVolatility float64
	IdioKind       IdiosyncraticKind
	IdioDoF        float64
	// Operating costs other than listed contracts: FixedCost per year,
	// growing at FixedCostGrowth (continuous, per year), plus
	// VariableCostShare of revenue.
	FixedCost         float64
	FixedCostGrowth   float64
	VariableCostShare float64
	// CashFlowVolatility is the annual standard deviation, in USD bn, of
	// additive operating cash-flow noise.
	CashFlowVolatility float64
	Funding            CustomerFunding
	Distress           Distress
	// LiquidationValue plus LiquidationRevenueMultiple times the run-rate
	// at default is what the customer's assets fetch for its creditors.
	LiquidationValue           float64
	LiquidationRevenueMultiple float64
}

// Distress is what a customer does when its runway runs short, before it
// defaults: after a step whose end leaves cash below RunwayYears of that
// step's burn, it is in distress in the next step. While in distress it
// cuts CostCut of its fixed cost (discretionary spending: training
// compute, hiring); the first time it enters distress it renegotiates its
// listed contracts, cutting Haircut of what each still has to pay after
// that step and pushing it out by DeferralYears (rounded to whole steps):
// the payments of the next DeferralYears are skipped and every later one
// falls due DeferralYears late. RunwayYears 0 switches distress off.
type Distress struct {
	RunwayYears   float64
	CostCut       float64 // in [0, 1]
	Haircut       float64 // in [0, 1]
	DeferralYears float64 // in [0, 100]
}

// CustomerFunding describes a customer's venture rounds.
type CustomerFunding struct {
	// RoundRate is the Poisson arrival rate of rounds per year in a regime
	// with RoundRateMultiplier 1.
	RoundRate float64
	// When runway (cash over annual burn) is below RunwayThresholdYears the
	// rate is multiplied by UrgencyMultiplier.
	RunwayThresholdYears float64
	UrgencyMultiplier    float64
	// A customer that is not burning cash (net cash flow before rounds >= 0
	// in the step) does not raise. When MaxRunwayYears > 0, neither does a
	// customer whose runway is above it; 0 means no limit.
	MaxRunwayYears float64
	// A round raises Revenue × RevenueMultiple × regime valuation multiplier
	// × exp(SizeVolatility·Z − SizeVolatility²/2): its mean is the product.
	// The rounds of one step share one draw of Z.
	RevenueMultiple float64
	SizeVolatility  float64
	// TargetRunwayYears, when > 0, sizes rounds to need: a step's rounds
	// raise at most what brings cash to TargetRunwayYears of the step's
	// burn, and no round arrives once cash after the step covers it. 0
	// sizes rounds by RevenueMultiple alone.
	TargetRunwayYears float64
	// PerformanceElasticity η makes rounds depend on revenue against plan
	// (the trend path R₀·e^{∫g}, demand at its mean): the rate and the size
	// a valuation supports are multiplied by (R_s/plan_s)^η. 0 is off.
	PerformanceElasticity float64
}

// Firm is a provider (cloud, data-centre) or supplier (chips, foundry).
type Firm struct {
	Name string
	// Backlog is total contracted revenue not yet recognised at time zero.
	// The part not covered by listed contracts where this firm is payee is
	// the diversified pool.
	Backlog float64
	// Cash at time zero and operating cash flow per year form the buffer
	// that absorbs losses; Debt ranks pari passu with contract claims when
	// the firm defaults.
	Cash              float64
	OperatingCashFlow float64
	Debt              float64
	LiquidationValue  float64
	// Margin m and StrandedShare k: each unit of lost contract value costs
	// the firm m + k before recovery (see the package documentation).
	Margin        float64
	StrandedShare float64
	Pool          DiversifiedPool
	// Financing: cash-flow loading on demand, committed spending, debt
	// service and borrowing (see FirmFinancing). The zero value is the
	// simple form: a constant operating cash flow and no borrowing.
	Financing FirmFinancing
}

// DiversifiedPool is the non-AI remainder of a firm's backlog, modelled as a
// Vasicek one-factor portfolio on the macro factor.
type DiversifiedPool struct {
	// AnnualDefaultProbability and Correlation are the Vasicek parameters;
	// LossGivenDefault is the economic loss per unit of defaulted backlog.
	AnnualDefaultProbability float64
	Correlation              float64
	LossGivenDefault         float64
	// DurationYears is the run-off period: the pool is recognised (paid)
	// evenly over it.
	DurationYears float64
	// FundingSensitivity s raises the annual default probability in a
	// funding regime with round-rate multiplier μ to
	// min(p·μ^(−s), 0.999): a pool of venture-funded tenants defaults more
	// when rounds are scarce. DemandLoading γ lowers the pool's Vasicek
	// threshold by γ·D (see the package documentation). Zero values give
	// a pool that sees only the macro factor.
	FundingSensitivity float64
	DemandLoading      float64
}

// PaymentProfile says how a contract's value falls due over its term.
type PaymentProfile int

const (
	// Flat pays the value evenly over the term.
	Flat PaymentProfile = iota
	// Ramp pays at a rate rising linearly from zero over the term.
	Ramp
	// Schedule pays YearlySchedule[k] evenly within contract year k.
	Schedule
)

// Contract is a commitment of Payer to pay Payee Value over
// [StartYears, StartYears+TermYears).
type Contract struct {
	Name           string
	Payer, Payee   EntityID
	Value          float64
	StartYears     float64
	TermYears      float64
	Profile        PaymentProfile
	YearlySchedule []float64 // Schedule only; sums to Value
}

// Tranche is a committed investment in Customer, paid as a scheduled
// inflow: at the first step on or after StartYears (and, if ExpiryYears >
// StartYears, before ExpiryYears) in which its conditions hold: Investor
// (a provider or supplier, or -1 for one outside the model) has not
// defaulted, the funding regime is one of Regimes (nil means any), and
// revenue against plan is at least MinPerformance. Without an expiry only
// the step containing StartYears qualifies; a tranche whose conditions
// fail there is lost. A tranche paid by an Investor in the model adds to
// its stake in Customer: when Customer defaults the investor loses Amount
// as economic loss, charged to its buffer, as it loses a Stake's Value.
// Paying the tranche does not touch the investor's buffer (an exchange of
// cash for equity, as a Stake's Value was paid before the start).
type Tranche struct {
	Name           string
	Customer       EntityID
	Investor       EntityID
	Amount         float64
	StartYears     float64
	ExpiryYears    float64
	Regimes        []int
	MinPerformance float64
}

// Backing is a strategic backer's commitment: while Backer has not
// defaulted it covers Customer's cash shortfalls, up to AnnualLimit in each
// simulation year.
type Backing struct {
	Backer      EntityID
	Customer    EntityID
	AnnualLimit float64
}
