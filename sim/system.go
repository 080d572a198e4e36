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
	mg.st.SysLost.AddGroup(first, lost, ws)
	mg.st.SysEcon.AddGroup(first, econ, ws)
}
