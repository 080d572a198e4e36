package sim

import (
	"math"

	"github.com/backlogsim/backlogsim/mcstat"
)

// Estimate is a Monte Carlo estimate with its standard error.
type Estimate = mcstat.Estimate

// RiskContributions are the Euler contributions to the expected shortfall
// of one loss (a firm's, or the system's), by origin and by channel, at
// each of TailLevels.
//
// With VaR v at tail probability α = 1 − q, n paths of weight w_i (1
// without importance sampling) and source values x_s,i that add up to the
// loss x_i on every path, the contribution of source s is
//
//	C_s = Σ_i w_i·c_i·x_s,i / (n·α),  c_i = 1 if x_i > v, θ if x_i = v, else 0,
//
// with θ = (n·α − Σ_{x_i>v} w_i) / Σ_{x_i=v} w_i, so that the paths at the
// VaR fill the tail exactly: the estimator of E[X_s | L ≥ VaR] that sums to
// ES_q = v + Σ w(x − v)⁺/(nα) (Tasche 1999; Acerbi and Tasche 2002) even
// when the loss has atoms. Its standard error is the delta method's
// (Hong 2009; Hong and Liu 2009): the influence of a path on C_s is
// w·c·(x_s − m_s)/α, m_s = E[X_s | L = VaR], because the tail's boundary
// moves with the estimated VaR; m_s is the weighted mean of x_s over the
// paths whose rank lies within one binomial standard deviation √(nα(1−α))
// of the VaR's (see mcstat.TailSplit). Variances are taken across independent groups (paths, or
// antithetic pairs).
//
// Losses are never negative, so when the VaR is zero the paths at it add
// nothing and are not replayed. Exact runs have every path and give every
// level. A streaming run keeps
// only each loss's worst TailKeep(n) paths (about 1%): the 99% and 99.9%
// levels come from them exactly; at 95% the tail is not kept and the level
// is not available (Available false). Paths tied at the VaR beyond the
// kept ones are represented by the kept ties.
type RiskContributions struct {
	Levels [3]ContributionLevel
}

// ContributionLevel is the decomposition at one tail level.
type ContributionLevel struct {
	// Available is false when the run did not keep the paths of this tail.
	Available bool
	VaR, ES   float64
	// Direct and Contagion are the sums of the sources' direct and
	// contagion parts: Direct + Contagion = ES.
	Direct, Contagion Estimate
	// Sources lists every origin that contributes at some available level,
	// in origin order: the customers, the firms' pools, the firms' own
	// finances. Their Totals add up to ES.
	Sources []SourceContribution
}

// Kinds of origin in SourceContribution.
const (
	OriginCustomer = "customer" // the customer's default
	OriginPool     = "pool"     // defaults in the firm's diversified pool
	OriginFinances = "finances" // the firm's own finances: what drained its buffer apart from losses and backer payments
)

// SourceContribution is one origin's contribution to ES: Direct arrived
// through the loss-bearer's own counterparty (or pool), Contagion through
// the default of another firm; Total = Direct + Contagion.
type SourceContribution struct {
	Name string // a customer, or the firm whose pool or finances
	Kind string // OriginCustomer, OriginPool or OriginFinances

	Total, Direct, Contagion Estimate
}

// contribAcc accumulates one (loss, level) decomposition over the paths
// in path order. Its vectors have one entry per extended source: the
// direct part of each origin, the contagion part of each origin, each
// origin's total, then the direct and the contagion sums.
type contribAcc struct {
	alpha, theta, v float64
	nG, g           int
	group           int       // current group, -1 before the first
	a               []float64 // the current group's Σ w·c·x/g
	b               float64   // the current group's Σ w·c/g
	sumA, sumA2     []float64
	sumAB           []float64
	sumB, sumB2     float64
	winX            []float64 // Σ w·x over the window around the VaR
	winW            float64
}

func newContribAcc(width, nG, g int, alpha, v, theta float64) *contribAcc {
	return &contribAcc{
		alpha: alpha, v: v, theta: theta, nG: nG, g: g, group: -1,
		a: make([]float64, width), sumA: make([]float64, width), sumA2: make([]float64, width),
		sumAB: make([]float64, width), winX: make([]float64, width),
	}
}

// extend writes the extended source vector of base (direct origins, then
// contagion origins) into ext.
func extend(ext, base []float64, nOrig int) {
	copy(ext, base)
	dsum, csum := 0.0, 0.0
	for o := range nOrig {
		d, c := base[o], base[nOrig+o]
		ext[2*nOrig+o] = d + c
		dsum += d
		csum += c
	}
	ext[3*nOrig], ext[3*nOrig+1] = dsum, csum
}

// add adds path's extended source vector x with weight w, tail weight c
// and window membership win. Paths must come in increasing order.
func (ca *contribAcc) add(path int, x []float64, w, c float64, win bool) {
	if grp := path / ca.g; grp != ca.group {
		ca.flush()
		ca.group = grp
	}
	if c > 0 {
		f := w * c / float64(ca.g)
		for e, xe := range x {
			ca.a[e] += f * xe
		}
		ca.b += f
	}
	if win {
		for e, xe := range x {
			ca.winX[e] += w * xe
		}
		ca.winW += w
	}
}

func (ca *contribAcc) flush() {
	if ca.group < 0 {
		return
	}
	for e, a := range ca.a {
		ca.sumA[e] += a
		ca.sumA2[e] += a * a
		ca.sumAB[e] += a * ca.b
	}
	ca.sumB += ca.b
	ca.sumB2 += ca.b * ca.b
	clear(ca.a)
	ca.b = 0
}

// estimate returns the contribution of extended source e.
func (ca *contribAcc) estimate(e int) Estimate {
	nG := float64(ca.nG)
	value := ca.sumA[e] / (nG * ca.alpha)
	m := 0.0
	if ca.winW > 0 {
		m = ca.winX[e] / ca.winW
	}
	se := 0.0
	if ca.nG > 1 {
		d := ca.sumA[e] - m*ca.sumB
		ss := ca.sumA2[e] - 2*m*ca.sumAB[e] + m*m*ca.sumB2 - d*d/nG
		se = math.Sqrt(math.Max(ss, 0)/(nG-1)/nG) / ca.alpha
	}
	return Estimate{Value: value, StdErr: se}
}

// level returns the finished decomposition; es is the loss's ES.
func (ca *contribAcc) level(p *plan, es float64) ContributionLevel {
	ca.flush()
	nOrig := p.nCust + 2*p.nFirm
	l := ContributionLevel{
		Available: true, VaR: ca.v, ES: es,
		Direct: ca.estimate(3 * nOrig), Contagion: ca.estimate(3*nOrig + 1),
	}
	for o := range nOrig {
		name, kind := originName(p, o)
		l.Sources = append(l.Sources, SourceContribution{
			Name: name, Kind: kind,
			Total: ca.estimate(2*nOrig + o), Direct: ca.estimate(o), Contagion: ca.estimate(nOrig + o),
		})
	}
	return l
}

// prune drops the origins that contribute nothing at any available level.
func (rc *RiskContributions) prune() {
	var keep []bool
	for _, l := range rc.Levels {
		if !l.Available {
			continue
		}
		if keep == nil {
			keep = make([]bool, len(l.Sources))
		}
		for o, s := range l.Sources {
			keep[o] = keep[o] || s.Direct.Value != 0 || s.Contagion.Value != 0
		}
	}
	for k := range rc.Levels {
		l := &rc.Levels[k]
		if !l.Available {
			continue
		}
		var out []SourceContribution
		for o, s := range l.Sources {
			if keep[o] {
				out = append(out, s)
			}
		}
		l.Sources = out
	}
}
