package scenarios

import (
	"math"
	"strconv"
)

// Limits on sizes, to catch typos before they exhaust memory.
const (
	maxEntities  = 1000
	maxContracts = 100_000
	maxHorizon   = 100 // years
)

// Bounds on magnitudes. They are far beyond any plausible world but keep
// every quantity the engine computes finite: amounts of money (USD bn) at
// most 10⁶, about ten times world GDP and the engine's cap on revenue;
// rates per year and multipliers at most 10⁶; log-growth rates within ±10
// a year and cost growth within ±5 (e^(5·100 years) is still finite);
// volatilities at most 10 per √year. A recovery concentration below 0.1
// makes the Beta draws underflow.
const (
	maxMoney         = 1e6
	maxRate          = 1e6
	minConcentration = 0.1
)

var (
	money      = rng{lo: 0, hi: maxMoney, capped: true}
	rate       = rng{lo: 0, hi: maxRate, capped: true}
	multiplier = rng{lo: 0, hi: maxRate, capped: true}
	growth     = symmetric(10)
	costGrowth = symmetric(5)
	volatility = rng{lo: 0, hi: 10, capped: true}
)

// symmetric is the range [-x, x].
func symmetric(x float64) rng { return rng{lo: -x, hi: x} }

// rng is the allowed range of a number.
type rng struct {
	lo, hi         float64
	loOpen, hiOpen bool
	inf            bool   // +Inf allowed
	note           string // appended to an out-of-range message
	// capped marks hi as a sanity cap on magnitude rather than part of the
	// value's domain: a value below lo is told only about lo, one above hi
	// only about hi.
	capped bool
}

// violated returns the part of r that v violates, as in "must be %s".
func (r rng) violated(v float64) string {
	if !r.capped {
		return r.String()
	}
	if v > r.hi || math.IsInf(v, 1) {
		return "<= " + fmtBound(r.hi)
	}
	lower := r
	lower.hi, lower.hiOpen = math.Inf(1), false
	return lower.String()
}

var (
	anyNum   = rng{lo: math.Inf(-1), hi: math.Inf(1)}
	nonNeg   = rng{lo: 0, hi: math.Inf(1)}
	positive = rng{lo: 0, hi: math.Inf(1), loOpen: true}
	unit     = rng{lo: 0, hi: 1}
	unitOpen = rng{lo: 0, hi: 1, hiOpen: true}
)

func (r rng) contains(v float64) bool {
	if math.IsInf(v, 1) {
		return r.inf
	}
	if math.IsNaN(v) || math.IsInf(v, -1) {
		return false
	}
	return (v > r.lo || !r.loOpen && v == r.lo) && (v < r.hi || !r.hiOpen && v == r.hi)
}

func (r rng) String() string {
	lo, hi := !math.IsInf(r.lo, -1), !math.IsInf(r.hi, 1)
	var s string
	switch {
	case lo && hi:
		l, h := "[", "]"
		if r.loOpen {
			l = "("
		}
		if r.hiOpen {
			h = ")"
		}
		s = "in " + l + fmtBound(r.lo) + ", " + fmtBound(r.hi) + h
	case lo && r.loOpen:
		s = "> " + fmtBound(r.lo)
	case lo:
		s = ">= " + fmtBound(r.lo)
	case hi:
		s = "<= " + fmtBound(r.hi)
	default:
		s = "finite"
	}
	if r.inf {
		s += " (or inf)"
	}
	return s
}

func fmtNum(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf" // as written in TOML
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "nan"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// fmtBound formats a bound of a range, writing whole numbers out in full
// (1000000 rather than 1e+06).
func fmtBound(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmtNum(v)
}

// fmtApprox formats a computed number with 12 significant digits, so that
// rounding noise (30.599999999999998) does not show.
func fmtApprox(v float64) string { return strconv.FormatFloat(v, 'g', 12, 64) }
