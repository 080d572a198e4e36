package sim

import "github.com/backlogsim/backlogsim/mcstat"

// SystemName names the system-wide loss: the sum over providers and
// suppliers.
const SystemName = "system"

// SystemResults is the system-wide loss: on each path, the sum over
// providers and suppliers, in scenario order, of their backlog lost and
// economic loss.
type SystemResults struct {
	// BacklogLost[p] and EconomicLoss[p] are path p's sums; nil in
	// streaming mode.
	BacklogLost, EconomicLoss []float64
	// The distributions of BacklogLost and EconomicLoss, in either mode.
	BacklogLostDist, EconomicLossDist *mcstat.LossDistribution
	// Contributions to the expected shortfall, by origin (nil for Results
	// built by hand).
	BacklogLostContributions, EconomicLossContributions *RiskContributions
}

// systemSum returns the sum over firms of the per-path values v of slot j
// (firm values at [j*nFirm+f]), in firm order.
func systemSum(v []float64, j, nFirm int) float64 {
	s := 0.0
	for _, x := range v[j*nFirm : (j+1)*nFirm] {
		s += x
	}
	return s
}

// addSystem folds the system-wide sums of the group at slot j0 of b.
func (mg *merger) addSystem(b *block, first, j0 int, ws []float64) {
	g := len(ws)
	lost, econ := make([]float64, g), make([]float64, g)
	for k := range g {
		lost[k] = systemSum(b.lost, j0+k, mg.p.nFirm)
		econ[k] = systemSum(b.econ, j0+k, mg.p.nFirm)
	}
	mg.sysLost.AddGroup(first, lost, ws)
	mg.sysEcon.AddGroup(first, econ, ws)
}

// copySystem copies the system-wide sums of b's paths (exact mode).
func (mg *merger) copySystem(b *block) {
	sys := mg.res.System
	for j := range b.count {
		sys.BacklogLost[b.first+j] = systemSum(b.lost, j, mg.p.nFirm)
		sys.EconomicLoss[b.first+j] = systemSum(b.econ, j, mg.p.nFirm)
	}
}
