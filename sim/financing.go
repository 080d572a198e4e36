package sim

import "math"

// FirmFinancing is how a firm's cash moves besides its contracts: an
// operating cash flow that moves with AI demand, committed capital
// spending, leases, interest and maturities of its debt, and a credit line
// that refinances what it cannot pay from cash. Yearly lists are by
// simulation year: entry k is spent evenly within [k, k+1), and years
// beyond the list spend nothing. All money in USD bn.
type FirmFinancing struct {
	// OperatingCashFlowGrowth g makes the operating cash flow per year
	// OCF·e^{g·t} at the start t of each step (continuous, per year): the
	// cash the backlog brings in as it is recognised.
	OperatingCashFlowGrowth float64
	// DemandLoading λ adds λ·D to the operating cash flow per year (USD bn
	// a year per unit of the demand factor D): positive for a firm that
	// earns more when AI demand is strong, negative for one whose
	// business AI erodes.
	DemandLoading float64
	// Capex is planned capital spending by year. CapexBacklogShare φ of
	// it builds capacity for the firm's backlog: once a share L/B₀ of the
	// backlog B₀ at time zero has been lost or renegotiated away, the
	// capex still to come is multiplied by 1 − φ·min(L/B₀, 1) (a lost
	// contract's data centres are not built). CapexDeferrableShare u of
	// each step's remaining capex can be deferred beyond the horizon when
	// the firm cannot fund it otherwise (see refinance).
	Capex                []float64
	CapexBacklogShare    float64
	CapexDeferrableShare float64
	// Leases are lease payments by year.
	Leases []float64
	// Maturities is the principal of Debt falling due by year; it must be
	// refinanced or paid from cash. Their sum is at most Debt.
	Maturities []float64
	// InterestRate is the annual rate paid on Debt outstanding.
	InterestRate float64
	Credit       CreditLine
}

// CreditLine is a firm's access to the credit market. The market's state
// is the funding regime: a regime's CreditLimitCut and CreditSpreadAdd
// (FundingRegime) move every firm's limit and spread together.
type CreditLine struct {
	// MaxLeverage and BacklogAdvance cap total debt at
	//   MaxLeverage × the firm's operating cash flow per year at the
	//   current demand factor (not below zero) × (1 − (1 − CutExemption)
	//   × the regime's CreditLimitCut)
	// + BacklogAdvance × the backlog not lost: Backlog at time zero less
	//   what has been lost or renegotiated away (run-off as contracts are
	//   paid is not deducted: the debt they secure amortizes with them,
	//   in Maturities).
	// The first is unsecured borrowing on earnings, which the credit
	// market's state moves; the second is secured on contracts (delayed-
	// draw facilities), committed and not cut by the regime, but lost
	// with the contracts. Both zero means the firm cannot borrow.
	MaxLeverage    float64
	BacklogAdvance float64
	// CutExemption in [0, 1] is the share of the regime's CreditLimitCut
	// the firm escapes: investment-grade issuers kept most of their
	// market access when high-yield issuance collapsed.
	CutExemption float64
	// EquityPerYear is the most new equity the firm can issue in a
	// simulation year, × (1 − the regime's EquityMarketCut); equity is
	// issued only to cover a shortfall that borrowing cannot.
	EquityPerYear float64
	// Spread is the annual rate over InterestRate on new borrowing, to
	// which the regime's CreditSpreadAdd is added; new borrowing is not
	// repaid within the horizon.
	Spread float64
}

// Stake is a firm's equity stake in a lab and the revenue share the lab
// pays it. When the lab defaults the holder loses Value (the carrying
// value of the stake) and the revenue share it would still have received:
// RevenueShare × the lab's run-rate × the years left to
// RevenueShareEndYears, capped at what is left of RevenueShareCap (0 means
// no cap). Both are economic loss of the holder, charged to its buffer.
// The share received while the lab is alive is part of the holder's
// OperatingCashFlow and is not added again.
type Stake struct {
	Holder, Lab          EntityID
	Value                float64
	RevenueShare         float64
	RevenueShareEndYears float64
	RevenueShareCap      float64
}

// firmCash is firm f's financing compiled per step.
type firmCash struct {
	spend    []float64 // planned capex and leases in step s
	capex    []float64 // planned capex in step s
	maturity []float64 // principal of Debt due in step s
	ocf      []float64 // operating cash flow per year at the start of step s
	load     float64   // demand loading of the operating cash flow
	rate     float64
	credit   CreditLine
	backlog  float64 // backlog at time zero
	capShare float64 // CapexBacklogShare
	capDefer float64 // CapexDeferrableShare
}

// yearlyPerStep spreads a yearly list over steps of length dt: entry k is
// spent evenly within [k, k+1).
func yearlyPerStep(years []float64, steps int, dt float64) []float64 {
	out := make([]float64, steps)
	for s := range out {
		t0, t1 := float64(s)*dt, float64(s+1)*dt
		for k, v := range years {
			lo, hi := math.Max(t0, float64(k)), math.Min(t1, float64(k+1))
			if hi > lo {
				out[s] += v * (hi - lo)
			}
		}
	}
	return out
}

// ocfPath returns the operating cash flow per year at the start of each
// step: ocf·e^{g·t}.
func ocfPath(ocf, g float64, steps int, dt float64) []float64 {
	out := make([]float64, steps)
	for s := range out {
		out[s] = ocf
		if g != 0 {
			out[s] = ocf * math.Exp(g*float64(s)*dt)
		}
	}
	return out
}

// stepFinancing moves firm f's buffer and debt through step s: operating
// cash flow at demand D, less capex (cut for the backlog already lost),
// leases, interest and maturities.
func (w *worker) stepFinancing(f, s int, demand float64) {
	fc := &w.p.firm[f].cash
	r := &w.p.m.Funding.Regimes[w.regimeNow]
	interest := (w.debtOld[f]*fc.rate + w.borrowed[f]*(fc.rate+fc.credit.Spread+r.CreditSpreadAdd)) * w.p.dt
	due := math.Min(fc.maturity[s], w.debtOld[f])
	w.debtOld[f] -= due
	cut := 0.0 // capex not spent for the backlog already lost
	if fc.capShare > 0 && fc.backlog > 0 {
		cut = fc.capex[s] * fc.capShare * math.Min((w.lost[f]+w.reneg[f])/fc.backlog, 1)
	}
	w.capexNow[f], w.deferNow[f] = fc.capex[s]-cut, 0
	w.buffer[f] += (fc.ocf[s]+fc.load*demand)*w.p.dt - (fc.spend[s] - cut) - interest - due
}

// debt returns firm f's debt outstanding.
func (w *worker) debt(f int) float64 { return w.debtOld[f] + w.borrowed[f] }

// stakeLoss returns what holder loses on stake k when its lab defaults in
// step s.
func (w *worker) stakeLoss(k, s int) float64 {
	st := &w.p.m.Stakes[k]
	left := math.Max(st.RevenueShareEndYears-float64(s)*w.p.dt, 0)
	share := st.RevenueShare * w.runRate[st.Lab] * left
	if st.RevenueShareCap > 0 {
		share = math.Min(share, math.Max(st.RevenueShareCap-w.stakePaid[k], 0))
	}
	return st.Value + share
}

// accrueStakes adds step s's revenue share of each living lab to what its
// holder has received, for the cap.
func (w *worker) accrueStakes(s int) {
	t0 := float64(s) * w.p.dt
	for k := range w.p.m.Stakes {
		st := &w.p.m.Stakes[k]
		if w.custDefault[st.Lab] < 0 && t0 < st.RevenueShareEndYears {
			w.stakePaid[k] += st.RevenueShare * w.runRate[st.Lab] * w.p.dt
		}
	}
}

// validateFinancing checks what the rules of the financing numbers (see
// Model.NumberRange) do not: that a firm's maturities do not exceed its
// debt, that a pool's funding sensitivity has round-rate multipliers to
// work from, and the stakes' parties.
func (m *Model) validateFinancing() error {
	var p problems
	bad := p.add
	for _, f := range append(append([]Firm(nil), m.Providers...), m.Suppliers...) {
		total := 0.0
		for _, v := range f.Financing.Maturities {
			total += v
		}
		if total > f.Debt*(1+1e-9)+1e-9 {
			bad("firm %s: maturities sum to %v, more than debt %v", f.Name, total, f.Debt)
		}
		if f.Pool.FundingSensitivity > 0 {
			for _, r := range m.Funding.Regimes {
				if !(r.RoundRateMultiplier > 0) {
					bad("firm %s: pool funding sensitivity needs every regime's round-rate multiplier > 0, got %v in %s", f.Name, r.RoundRateMultiplier, r.Name)
				}
			}
		}
	}
	ne := EntityID(m.NumEntities())
	for i, st := range m.Stakes {
		if st.Holder < 0 || st.Holder >= ne || m.Kind(st.Holder) == KindCustomer {
			bad("stake %d: holder must be a provider or supplier", i)
		}
		if st.Lab < 0 || st.Lab >= ne || m.Kind(st.Lab) != KindCustomer {
			bad("stake %d: lab must be a customer", i)
		}
	}
	return p.err()
}
