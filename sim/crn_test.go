package sim

import (
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

// frozenThroughout returns a copy of m whose funding market is forced into
// its regime with the lowest round-rate and valuation multipliers for the
// whole horizon.
func frozenThroughout(t *testing.T, m *Model) *Model {
	t.Helper()
	c := *m
	low := 0
	for r, g := range m.Funding.Regimes {
		lo := m.Funding.Regimes[low]
		if g.RoundRateMultiplier <= lo.RoundRateMultiplier && g.ValuationMultiplier <= lo.ValuationMultiplier {
			low = r
		}
	}
	for _, g := range m.Funding.Regimes {
		lo := m.Funding.Regimes[low]
		if g.RoundRateMultiplier < lo.RoundRateMultiplier || g.ValuationMultiplier < lo.ValuationMultiplier {
			t.Fatalf("%s: no regime has both the lowest round rate and the lowest valuation", m.Name)
		}
	}
	c.Funding.Shocks = []FundingShock{{Regime: low, StartYears: 0, DurationYears: m.HorizonYears}}
	c.Name = m.Name + "-frozen"
	return &c
}

// standard error are zero.
func TestCommonRandomNumbersIdenticalModel(t *testing.T) {
	m := smallWorld()
	m.Paths = 1000
	a, b := mustSimulate(t, m), mustSimulate(t, m)
	firms := append(append([]FirmResults(nil), a.Providers...), a.Suppliers...)
	other := append(append([]FirmResults(nil), b.Providers...), b.Suppliers...)
	for k, f := range firms {
		for p := range f.BacklogLost {
			if f.BacklogLost[p] != other[k].BacklogLost[p] || f.EconomicLoss[p] != other[k].EconomicLoss[p] {
				t.Fatalf("%s path %d: losses %v, %v and %v, %v; want identical", f.Name, p,
					f.BacklogLost[p], f.EconomicLoss[p], other[k].BacklogLost[p], other[k].EconomicLoss[p])
			}
		}
		if s := mcstat.Paired(f.BacklogLost, other[k].BacklogLost); s.Diff != 0 || s.DiffStdErr != 0 {
			t.Errorf("mcstat.Paired(%s backlog lost) = %+v; want zero difference and standard error", f.Name, s)
		}
		if s := mcstat.PairedTail(f.BacklogLost, other[k].BacklogLost, 0.99); s.ESDiff != 0 || s.ESDiffStdErr != 0 {
			t.Errorf("mcstat.PairedTail(%s backlog lost) = %+v; want zero difference and standard error", f.Name, s)
		}
	}
	for i, c := range a.Customers {
		if s := mcstat.PairedProportion(c.DefaultStep, b.Customers[i].DefaultStep); s.Diff != 0 || s.DiffStdErr != 0 {
			t.Errorf("mcstat.PairedProportion(%s) = %+v; want zero difference and standard error", c.Name, s)
		}
	}
}

// TestFrozenFundingMonotonePerPath proves per path, on a simplified model,
// that a funding market frozen for the whole horizon never delays a
// customer's default. With no backers, no urgency (runway threshold 0) and
// no runway cap (MaxRunwayYears 0), a customer's revenue, costs and cash
// flow noise on a path do not depend on the funding market, and while it
// is alive its round in step s arrives iff u_s < 1 − exp(−λ_r·dt) for the
// same uniform u_s in both runs, with λ_r lowest in the frozen regime, and
// raises R_s·multiple·v_r·exp(σZ_s − σ²/2) for the same Z_s with v_r
// lowest in the frozen regime. So each step's round in the frozen run is
// no larger than in the base run, its cash is no larger (by induction; IEEE
// addition and multiplication are monotone), and it defaults no later.
func TestFrozenFundingMonotonePerPath(t *testing.T) {
	m := smallWorld()
	m.Paths = 2000
	m.Backers = nil
	for i := range m.Customers {
		f := &m.Customers[i].Funding
		f.RunwayThresholdYears, f.UrgencyMultiplier, f.MaxRunwayYears = 0, 1, 0
	}
	base := mustSimulate(t, m)
	frozen := mustSimulate(t, frozenThroughout(t, m))
	for i, c := range base.Customers {
		earlier := 0
		for p, sb := range c.DefaultStep {
			sf := frozen.Customers[i].DefaultStep[p]
			if sb >= 0 && (sf < 0 || sf > sb) {
				t.Fatalf("%s path %d: defaults at step %d in the base run and %d with funding frozen; want no later", c.Name, p, sb, sf)
			}
			if sf >= 0 && (sb < 0 || sf < sb) {
				earlier++
			}
			if frozen.Customers[i].FundingRaised[p] > c.FundingRaised[p] && sb < 0 {
				t.Errorf("%s path %d: raised %v frozen and %v base; want no more while it survives in both", c.Name, p,
					frozen.Customers[i].FundingRaised[p], c.FundingRaised[p])
			}
		}
		if earlier == 0 {
			t.Errorf("%s: freezing funding brought no default forward on %d paths; want the test to bite", c.Name, m.Paths)
		}
	}
}

// TestFrozenFundingRaisesDefaultProbability: on the full small world, with
// backers and urgency, per-path monotonicity can fail (a lab that raises
// less becomes urgent and may raise sooner; a backer's annual limit used
// early is missing later), but the paired difference of the default
// probabilities must not be significantly negative.
func TestFrozenFundingRaisesDefaultProbability(t *testing.T) {
	m := smallWorld()
	m.Paths = 4000
	base := mustSimulate(t, m)
	frozen := mustSimulate(t, frozenThroughout(t, m))
	for i, c := range base.Customers {
		s := mcstat.PairedProportion(c.DefaultStep, frozen.Customers[i].DefaultStep)
		if s.Diff < -3*s.DiffStdErr {
			t.Errorf("mcstat.PairedProportion(%s base, frozen) = %v ± %v; want >= 0 within 3 standard errors", c.Name, s.Diff, s.DiffStdErr)
		}
		if s.DiffStdErr >= s.UnpairedStdErr {
			t.Errorf("mcstat.PairedProportion(%s) paired SE %v; want below the unpaired %v", c.Name, s.DiffStdErr, s.UnpairedStdErr)
		}
	}
}
