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
	// EquityMarketCut in [0, 1] cuts every firm's yearly equity allowance
	// (CreditLine.EquityPerYear) by that share: 1 is a closed market.
	EquityMarketCut float64
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
