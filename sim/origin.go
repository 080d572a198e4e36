package sim

// observer is told what happens on a path as it is stepped. A worker's
// observer is nil during a run, which costs one predictable branch at each
// hook; replays (risk contributions, trace) set one.
type observer interface {
	// backerPaid: firm f paid amount into customer c.
	backerPaid(f, c int, amount float64)
	// poolLoss: firm f's diversified pool lost backlog lost, costing econ.
	poolLoss(f int, lost, econ float64)
	// firmDefaults: firm f defaults; called before its own creditors'
	// losses are booked, after every loss that made it default.
	firmDefaults(f int)
	// contractLoss: firm f lost a contract of payer, lost backlog and econ.
	contractLoss(payer EntityID, f int, lost, econ float64)
	// endStep: step s is over.
	endStep(s, regime int, demand, macro float64)
}

// Channels of a loss: direct (the originator is the firm's own
// counterparty or pool) or through another firm's default.
const (
	channelDirect = iota
	channelContagion
	numChannels
)

// originTracker traces every loss of every firm to the origin that started
// it, and to its channel. Origins are, in order: each customer (its
// default), each firm's diversified pool, and each firm's own finances
// (the part of its buffer's fall not explained by the losses and backer
// payments charged to it). A firm's default passes its losses on to its
// own creditors in the proportions of what drained its buffer, by origin.
// The tracker takes the engine's booked losses as input, whatever the
// clearing that produced them.
type originTracker struct {
	w      *worker
	nOrig  int
	lost   []float64 // [(f*numChannels+ch)*nOrig+o]
	econ   []float64 // same layout
	damage []float64 // [f*nOrig+o]: buffer drain of firm f by origin
	share  []float64 // [f*nOrig+o]: origin shares of firm f's default
}

func newOriginTracker(w *worker) *originTracker {
	p := w.p
	n := p.nCust + 2*p.nFirm
	return &originTracker{
		w: w, nOrig: n,
		lost:   make([]float64, p.nFirm*numChannels*n),
		econ:   make([]float64, p.nFirm*numChannels*n),
		damage: make([]float64, p.nFirm*n),
		share:  make([]float64, p.nFirm*n),
	}
}

func (t *originTracker) reset() {
	clear(t.lost)
	clear(t.econ)
	clear(t.damage)
	clear(t.share)
}

func (t *originTracker) poolOrigin(f int) int     { return t.w.p.nCust + f }
func (t *originTracker) financesOrigin(f int) int { return t.w.p.nCust + t.w.p.nFirm + f }

// charged reports whether a loss of firm f now still falls on its buffer.
func (t *originTracker) charged(f int) bool { return t.w.firmDefault[f] < 0 }

func (t *originTracker) book(f, ch, o int, lost, econ float64) {
	at := (f*numChannels+ch)*t.nOrig + o
	t.lost[at] += lost
	t.econ[at] += econ
	if t.charged(f) {
		t.damage[f*t.nOrig+o] += econ
	}
}

func (t *originTracker) backerPaid(f, c int, amount float64) {
	t.damage[f*t.nOrig+c] += amount
}

func (t *originTracker) poolLoss(f int, lost, econ float64) {
	t.book(f, channelDirect, t.poolOrigin(f), lost, econ)
}

func (t *originTracker) contractLoss(payer EntityID, f int, lost, econ float64) {
	nc := t.w.p.nCust
	if int(payer) < nc {
		t.book(f, channelDirect, int(payer), lost, econ)
		return
	}
	k := int(payer) - nc
	for o, sh := range t.share[k*t.nOrig : (k+1)*t.nOrig] {
		if sh != 0 {
			t.book(f, channelContagion, o, lost*sh, econ*sh)
		}
	}
}

func (t *originTracker) firmDefaults(f int) {
	p := t.w.p
	dmg := t.damage[f*t.nOrig : (f+1)*t.nOrig]
	sh := t.share[f*t.nOrig : (f+1)*t.nOrig]
	total := 0.0
	for _, d := range dmg {
		total += d
	}
	own := max(p.m.firm(EntityID(p.nCust+f)).Cash-t.w.buffer[f]-total, 0)
	total += own
	if !(total > 0) {
		sh[t.financesOrigin(f)] = 1
		return
	}
	for o, d := range dmg {
		sh[o] = d / total
	}
	sh[t.financesOrigin(f)] += own / total
}

func (t *originTracker) endStep(int, int, float64, float64) {}

// sources returns firm f's attribution of measure (0 backlog lost, 1
// economic loss) by channel and origin.
func (t *originTracker) sources(f, measure int) []float64 {
	v := t.lost
	if measure == 1 {
		v = t.econ
	}
	n := numChannels * t.nOrig
	return v[f*n : (f+1)*n]
}

// originName returns the display name of origin o.
func originName(p *plan, o int) (name, kind string) {
	switch {
	case o < p.nCust:
		return p.m.EntityName(EntityID(o)), "customer"
	case o < p.nCust+p.nFirm:
		return p.m.EntityName(EntityID(o)), "pool"
	}
	return p.m.EntityName(EntityID(o - p.nFirm)), "finances"
}
