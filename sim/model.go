package sim

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Model is a complete, validated description of one scenario: the funding
// market, the common factors, the entities and the contracts between them.
// Money is in USD billions, time in years, rates per year.
//
// A Model is built by package scenarios from a TOML file; tests build it
// directly. Entities are referred to by index: customers first, then
// providers, then suppliers (see EntityID). Call Validate before Simulate.
type Model struct {
	Name        string
	Description string

	// Settings say how the model is run: paths, seed and sampling.
	Settings

	// HorizonYears × StepsPerYear must be a whole number of steps.
	HorizonYears float64
	StepsPerYear int

	Funding  FundingMarket
	Demand   DemandFactor
	Macro    MacroFactor
	Recovery RecoveryModel

	Customers []Customer
	Providers []Firm
	Suppliers []Firm
	Contracts []Contract
	Backers   []Backing
	Stakes    []Stake
	Tranches  []Tranche
}

// Sampling selects variance-reduction techniques. Neither changes what is
// estimated, only how precisely.
type Sampling struct {
	// Antithetic pairs path 2k+1 with path 2k: it draws the same streams
	// with every normal negated and every uniform u replaced by 1−u (draws
	// made inside gonum's Beta and chi-square samplers are shared, not
	// mirrored). Paths must then be even; standard errors treat each pair
	// as one independent observation.
	Antithetic bool
	// Importance shifts the draws that drive the tail towards stress and
	// weights each path by its likelihood ratio.
	Importance ImportanceSampling
}

// ImportanceSampling describes the sampling measure of importance sampling.
// Each shift θ moves the mean of every standard normal shock of one kind by
// δ = θ/√N over the N steps, so that the sum of the shocks over the horizon
// (the factor's Brownian driver at the horizon, in standard deviations) is
// shifted by θ while the likelihood ratio's log has variance θ² whatever
// the step: a shock Z is drawn as N(δ, 1) instead of N(0, 1) and the path's
// weight is multiplied by φ(Z)/φ(Z−δ) = exp(−δZ + δ²/2). RegimeTilt
// multiplies the funding chain's transition rates into regimes with a
// lower round-rate multiplier than the current one, and divides the
// others, and the weight is multiplied by the ratio of the true to the
// tilted one-step transition probability. With all shifts 0 and RegimeTilt
// 0 or 1 it is off.
type ImportanceSampling struct {
	DemandShift  float64 // θ of the demand factor's shocks; negative is stress
	MacroShift   float64 // θ of the macro factor's shocks; negative is stress
	RevenueShift float64 // θ of every customer's idiosyncratic revenue shocks (their normal part)
	RegimeTilt   float64 // >= 1 to stress; 0 or 1 is no tilt
	// ArrivalTilt multiplies every customer's rate of funding rounds (0 or
	// 1 is no tilt, below 1 is stress): the number of rounds N in a step is
	// drawn from Poisson(μ') with μ' = tilt·μ instead of Poisson(μ), and the
	// weight is multiplied by (μ/μ')^N·e^(μ'−μ).
	ArrivalTilt float64
	// WindowYears confines the shifts and tilts to the steps that start
	// before it (0 means the whole horizon), where the events that drive
	// the tail happen; θ is then spread over the window's steps.
	// MacroWindowYears, if not 0, is the macro shift's own window: the
	// pools' losses that matter in a tail may come earlier or later than
	// the labs' defaults.
	WindowYears      float64
	MacroWindowYears float64
}

// Active reports whether importance sampling is on.
func (is ImportanceSampling) Active() bool {
	tilted := func(t float64) bool { return t != 0 && t != 1 }
	return is.DemandShift != 0 || is.MacroShift != 0 || is.RevenueShift != 0 || tilted(is.RegimeTilt) || tilted(is.ArrivalTilt)
}

// Steps returns the number of time steps on the horizon.
func (m *Model) Steps() int {
	return int(math.Round(m.HorizonYears * float64(m.StepsPerYear)))
}

// Dt returns the length of one step in years.
func (m *Model) Dt() float64 { return 1 / float64(m.StepsPerYear) }

// NumEntities returns the number of customers, providers and suppliers.
func (m *Model) NumEntities() int {
	return len(m.Customers) + len(m.Providers) + len(m.Suppliers)
}

// EntityID is an index into the model's entities: customers occupy
// [0, len(Customers)), providers the next len(Providers) indices and
// suppliers the rest.
type EntityID int

// EntityKind says which list an entity belongs to.
type EntityKind int

const (
	KindCustomer EntityKind = iota
	KindProvider
	KindSupplier
)

func (k EntityKind) String() string {
	switch k {
	case KindCustomer:
		return "customer"
	case KindProvider:
		return "provider"
	case KindSupplier:
		return "supplier"
	}
	return fmt.Sprintf("EntityKind(%d)", int(k))
}

// Kind returns the kind of entity id. It panics if id is out of range.
func (m *Model) Kind(id EntityID) EntityKind {
	c, p := len(m.Customers), len(m.Providers)
	switch {
	case id < 0 || int(id) >= m.NumEntities():
		panic(fmt.Sprintf("sim: entity id %d out of range", id))
	case int(id) < c:
		return KindCustomer
	case int(id) < c+p:
		return KindProvider
	}
	return KindSupplier
}

// EntityName returns the name of entity id. It panics if id is out of range.
func (m *Model) EntityName(id EntityID) string {
	c, p := len(m.Customers), len(m.Providers)
	switch m.Kind(id) {
	case KindCustomer:
		return m.Customers[id].Name
	case KindProvider:
		return m.Providers[int(id)-c].Name
	}
	return m.Suppliers[int(id)-c-p].Name
}

// firm returns the provider or supplier with entity id, or nil for a customer.
func (m *Model) firm(id EntityID) *Firm {
	c, p := len(m.Customers), len(m.Providers)
	switch m.Kind(id) {
	case KindProvider:
		return &m.Providers[int(id)-c]
	case KindSupplier:
		return &m.Suppliers[int(id)-c-p]
	}
	return nil
}

// FundingRegime is one state of the venture-funding market.
type FundingRegime struct {
	Name string
	// RoundRateMultiplier scales every customer's funding-round arrival rate.
	RoundRateMultiplier float64
	// ValuationMultiplier scales every round's size.
	ValuationMultiplier float64
	// The credit market moves with the funding regime (see CreditLine):
	// CreditLimitCut in [0, 1] cuts every firm's borrowing limit by that
	// share, and CreditSpreadAdd is added to the spread on new borrowing,
	// per year. Zero values leave credit as in the reference regime.
	CreditLimitCut  float64
	CreditSpreadAdd float64
	// CapacityPerYear is what the venture market supplies to all customers
	// together per year in this regime, USD bn; 0 means unlimited. See the
	// package documentation for how a year's supply is counted and rationed.
	CapacityPerYear float64
}

// FundingMarket is a continuous-time Markov chain over funding regimes.
type FundingMarket struct {
	Regimes []FundingRegime
	// Generator is the rate matrix Q, per year: off-diagonal entries are
	// transition rates (>= 0) and each row sums to zero. Nil means a single
	// regime that never changes.
	Generator *mat.Dense
	// Initial is the index of the regime at time zero.
	Initial int
	// Shocks force the regime for a stretch of time.
	Shocks []FundingShock
}

// FundingShock forces the funding market into Regime for the steps whose
// start time lies in [StartYears, StartYears+DurationYears). After the shock
// the chain continues from the forced regime.
type FundingShock struct {
	Regime        int
	StartYears    float64
	DurationYears float64
}

// DemandFactor is the common AI-demand factor D, an Ornstein–Uhlenbeck
// process in units of annual log-revenue growth:
//
//	dD = -MeanReversion·D dt + Volatility dW.
type DemandFactor struct {
	Initial       float64
	MeanReversion float64 // κ, per year, > 0 (0 means a random walk)
	Volatility    float64 // σ, per √year, >= 0
}

// MacroFactor is the standardised macro factor Y that drives the providers'
// diversified (non-AI) customers: a stationary Gaussian AR(1) with unit
// variance and autocorrelation exp(-MeanReversion·dt) between steps. Y at
// the first step is drawn from N(0, 1).
type MacroFactor struct {
	MeanReversion float64 // per year, >= 0; +Inf makes steps independent
}

// RecoveryModel gives the random share R of a lost contract's value that a
// payee recovers by re-marketing the capacity: R ~ Beta with mean
// clamp(Mean + DemandSlope·D, 0.001, 0.999) and concentration α+β =
// Concentration, drawn once per lost contract at the default step. A
// positive DemandSlope is wrong-way risk: recovery falls when demand does.
type RecoveryModel struct {
	Mean          float64 // in [0, 1]
	DemandSlope   float64
	Concentration float64 // > 0; +Inf makes R deterministic
}

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
