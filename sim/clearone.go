package sim

import "math"

// clearOne is Clear for a network of one firm, which owes nothing inside
// the network: it pays min(assets, owed), and its ratio is that over owed
// (1 when it owes nothing). It is what Clear computes for such a network,
// to the last bit (TestClearOneMatchesClear), without building it: most
// steps with a default have a single defaulter, and Clear's matrices
// dominated the cost of those steps.
func clearOne(assets, owed float64) float64 {
	if !(assets < owed-clearingTol*math.Max(1, owed)) {
		return 1
	}
	paid := math.Min(math.Max(assets, 0), owed)
	if owed > 0 {
		return paid / owed
	}
	return 1
}

// clearingSingle sets the payment ratio of step s's only defaulter d, as
// clearing would, and reports whether it could: the network's values must
// be finite and >= 0 (clearing reports those that are not).
func (w *worker) clearingSingle(s int, d EntityID) bool {
	p := w.p
	owed, assets := 0.0, w.estate[d]
	if f := int(d) - p.nCust; f >= 0 {
		owed = w.debt(f)
	}
	for _, k := range p.outgoing[d] {
		owed += w.remaining(k, s) // a payer never pays itself: all outside
	}
	for _, k := range p.incoming[d] {
		if c := &p.con[k]; w.alive(c.payer) {
			assets += w.remaining(k, s)
		}
	}
	if !(assets >= 0) || !(owed >= 0) || math.IsInf(assets, 1) || math.IsInf(owed, 1) {
		return false
	}
	w.ratio[d] = clearOne(assets, owed)
	return true
}
