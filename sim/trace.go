package sim

import (
	"context"
	"fmt"
	"math"

	"github.com/backlogsim/backlogsim/mcstat"
)

// PathTrace is the story of one path, step by step: exactly the path that
// Simulate simulates with the same model (streams depend only on the seed
// and the path index), so its final losses equal the run's.
type PathTrace struct {
	Path int
	// Weight is the path's likelihood-ratio weight (1 without importance
	// sampling).
	Weight    float64
	Regimes   []string // funding regime names, by index
	Customers []string
	Firms     []string // providers then suppliers
	Steps     []TraceStep
}

// TraceStep is the state at the end of one step.
type TraceStep struct {
	Step   int
	Years  float64 // time at the end of the step
	Regime int     // funding regime during the step
	Demand float64 // demand factor D during the step
	Macro  float64 // macro factor Y during the step
	Labs   []LabStep
	Firms  []FirmStep
	// Losses are the contracts lost in the step, in the order booked.
	Losses []ContractLoss
}

// ContractLoss is one contract's loss: its payer defaulted.
type ContractLoss struct {
	Payer, Payee              string
	BacklogLost, EconomicLoss float64
}

// LabStep is a customer's state at the end of a step.
type LabStep struct {
	Cash float64
	// RunRate is the revenue run-rate for the next step (per year);
	// PlanRunRate what it would be on the plan, the deterministic growth
	// path alone, without the plan shortfall, demand and idiosyncratic
	// shocks.
	RunRate, PlanRunRate float64
	// Raised, BackerSupport and Tranches are what rounds, strategic
	// backers and committed tranches paid in during the step; Rounds the
	// rounds so far.
	Raised, BackerSupport, Tranches float64
	Rounds                          int
	// Distressed is true if the lab is in distress in the next step;
	// Renegotiated is true in the step after which it renegotiated its
	// contracts.
	Distressed, Renegotiated bool
	// Defaulted is true from the step of default on.
	Defaulted bool
}

// FirmStep is a provider's or supplier's state at the end of a step.
type FirmStep struct {
	Buffer float64
	// BacklogLost, EconomicLoss and BacklogRenegotiated are cumulative;
	// PoolLost is the part of BacklogLost from the diversified pool.
	BacklogLost, EconomicLoss, PoolLost, BacklogRenegotiated float64
	Defaulted                                                bool
	// Debt is the debt outstanding (original and new borrowing);
	// EquityIssued and CapexDeferred are cumulative: new equity issued
	// and capex deferred beyond the horizon to cover shortfalls.
	Debt, EquityIssued, CapexDeferred float64
}

// TracePath simulates path of m and returns its story.
func TracePath(ctx context.Context, m *Model, path int) (*PathTrace, error) {
	if path < 0 || path >= m.Paths {
		return nil, fmt.Errorf("sim: path %d out of range [0, %d)", path, m.Paths)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	w := newWorker(p)
	tr := &tracer{w: w, out: &PathTrace{Path: path}}
	w.obs = tr
	for _, r := range m.Funding.Regimes {
		tr.out.Regimes = append(tr.out.Regimes, r.Name)
	}
	for e := range p.nCust + p.nFirm {
		name := m.EntityName(EntityID(e))
		if e < p.nCust {
			tr.out.Customers = append(tr.out.Customers, name)
		} else {
			tr.out.Firms = append(tr.out.Firms, name)
		}
	}
	tr.prevRaised = make([]float64, p.nCust)
	tr.prevBacked = make([]float64, p.nCust)
	tr.prevTranched = make([]float64, p.nCust)
	tr.prevReneg = make([]bool, p.nCust)
	tr.planLog = make([]float64, p.nCust)
	tr.poolLost = make([]float64, p.nFirm)
	for i, c := range m.Customers {
		tr.planLog[i] = math.Log(c.Revenue)
	}
	w.run(path, nil, 0)
	tr.out.Weight = math.Exp(w.logWeight)
	return tr.out, nil
}

// tracer is the observer that records a PathTrace.
type tracer struct {
	w                      *worker
	out                    *PathTrace
	prevRaised, prevBacked []float64
	prevTranched           []float64
	prevReneg              []bool
	planLog                []float64
	poolLost               []float64
	losses                 []ContractLoss
}

func (*tracer) backerPaid(int, int, float64) {}
func (*tracer) firmDefaults(int)             {}

func (t *tracer) poolLoss(f int, lost, _ float64) { t.poolLost[f] += lost }

func (t *tracer) contractLoss(payer EntityID, f int, lost, econ float64) {
	m := t.w.p.m
	t.losses = append(t.losses, ContractLoss{
		Payer: m.EntityName(payer), Payee: m.EntityName(EntityID(t.w.p.nCust + f)),
		BacklogLost: lost, EconomicLoss: econ,
	})
}

func (t *tracer) endStep(s, regime int, demand, macro float64) {
	w, p := t.w, t.w.p
	st := TraceStep{Step: s, Years: float64(s+1) * p.dt, Regime: regime, Demand: demand, Macro: macro, Losses: t.losses}
	t.losses = nil
	for i := range p.nCust {
		t.planLog[i] += p.cust[i].growth[s] + p.m.Customers[i].PlanShortfall*p.dt
		st.Labs = append(st.Labs, LabStep{
			Cash: w.cash[i], RunRate: math.Exp(w.lnRev[i]), PlanRunRate: math.Exp(math.Min(t.planLog[i], maxLogRevenue)),
			Raised: w.raised[i] - t.prevRaised[i], BackerSupport: w.backed[i] - t.prevBacked[i],
			Tranches: w.tranched[i] - t.prevTranched[i],
			Rounds:   int(w.rounds[i]), Defaulted: w.custDefault[i] >= 0,
			Distressed: w.distressed[i] && w.custDefault[i] < 0, Renegotiated: w.renegotiated[i] && !t.prevReneg[i],
		})
		t.prevRaised[i], t.prevBacked[i] = w.raised[i], w.backed[i]
		t.prevTranched[i], t.prevReneg[i] = w.tranched[i], w.renegotiated[i]
	}
	for f := range p.nFirm {
		st.Firms = append(st.Firms, FirmStep{
			Buffer: w.buffer[f], BacklogLost: w.lost[f], EconomicLoss: w.econ[f], PoolLost: t.poolLost[f],
			BacklogRenegotiated: w.reneg[f],
			Defaulted:           w.firmDefault[f] >= 0,
			Debt:                w.debt(f), EquityIssued: w.equityIssued[f], CapexDeferred: w.capexDeferred[f],
		})
	}
	t.out.Steps = append(t.out.Steps, st)
}

// WorstPaths returns the k worst paths (worst first, ties by path index)
// of the backlog lost, or with economic the economic loss, of the firm
// named name, or of the system for SystemName, from the paths the run
// kept: X is the loss, W the weight.
func WorstPaths(res *Results, name string, economic bool, k int) ([]mcstat.TailEntry, error) {
	var d *mcstat.LossDistribution
	if name == SystemName && res.System != nil {
		d = res.System.BacklogLostDist
		if economic {
			d = res.System.EconomicLossDist
		}
	}
	for _, f := range append(append([]FirmResults(nil), res.Providers...), res.Suppliers...) {
		if f.Name == name {
			d = f.BacklogLostDist
			if economic {
				d = f.EconomicLossDist
			}
		}
	}
	if d == nil {
		return nil, fmt.Errorf("sim: no provider or supplier named %q", name)
	}
	return d.TailHead(k), nil
}
