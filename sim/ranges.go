package sim

import (
	"math"
	"strconv"
)

// Bounds on magnitudes. They are far beyond any plausible world but keep
// every quantity the engine computes finite: amounts of money (USD bn) at
// most 10⁶, about ten times world GDP and the engine's cap on revenue;
// rates per year and multipliers at most 10⁶; log-growth rates within ±10
// a year and cost growth within ±5 (e^(5·100 years) is still finite);
// volatilities at most 10 per √year; times at most MaxHorizonYears. A
// recovery concentration below MinConcentration makes the Beta draws
// underflow.
const (
	MaxMoney         = 1e6
	MaxRate          = 1e6
	MaxHorizonYears  = 100
	MinConcentration = 0.1
)

// A Range is the set of values a number of the model may take: an
// interval, open or closed at either end, possibly unbounded.
type Range struct {
	Lo, Hi         float64
	LoOpen, HiOpen bool
	// Inf allows +Inf (an unbounded Hi does not).
	Inf bool
	// Capped marks Hi as a sanity cap on magnitude rather than part of the
	// value's domain: a value below Lo is told only about Lo, one above Hi
	// only about Hi.
	Capped bool
	// Note is appended to the message of a value out of range.
	Note string
}

// The ranges of the model's numbers (see the bounds above).
var (
	anyNumber   = Range{Lo: math.Inf(-1), Hi: math.Inf(1)}
	nonNegative = Range{Lo: 0, Hi: math.Inf(1)}
	positive    = Range{Lo: 0, Hi: math.Inf(1), LoOpen: true}
	unit        = Range{Lo: 0, Hi: 1}
	unitOpen    = Range{Lo: 0, Hi: 1, HiOpen: true}
	money       = Range{Lo: 0, Hi: MaxMoney, Capped: true}
	rate        = Range{Lo: 0, Hi: MaxRate, Capped: true}
	multiplier  = Range{Lo: 0, Hi: MaxRate, Capped: true}
	growth      = Symmetric(10)
	costGrowth  = Symmetric(5)
	volatility  = Range{Lo: 0, Hi: 10, Capped: true}
	years       = Range{Lo: 0, Hi: MaxHorizonYears}
	// creditRate is the range of interest rates and spreads, per year.
	creditRate = Range{Lo: 0, Hi: 1}
)

// Symmetric is the range [-x, x].
func Symmetric(x float64) Range { return Range{Lo: -x, Hi: x} }

// Contains reports whether v is in r.
func (r Range) Contains(v float64) bool {
	if math.IsInf(v, 1) {
		return r.Inf
	}
	if math.IsNaN(v) || math.IsInf(v, -1) {
		return false
	}
	return (v > r.Lo || !r.LoOpen && v == r.Lo) && (v < r.Hi || !r.HiOpen && v == r.Hi)
}

// Problem returns what is wrong with v, as in "must be in [0, 1], got
// 1.5", or "" if r contains v.
func (r Range) Problem(v float64) string {
	switch {
	case r.Contains(v):
		return ""
	case math.IsInf(v, 0) || math.IsNaN(v):
		within := ""
		if !math.IsInf(r.Lo, -1) || !math.IsInf(r.Hi, 1) {
			within = " " + r.String()
		}
		return "must be a finite number" + within + ", got " + FormatNumber(v) + r.Note
	}
	return "must be " + r.violated(v) + ", got " + FormatNumber(v) + r.Note
}

// violated returns the part of r that v violates, as in "must be %s".
func (r Range) violated(v float64) string {
	if !r.Capped {
		return r.String()
	}
	if v > r.Hi || math.IsInf(v, 1) {
		return "<= " + formatBound(r.Hi)
	}
	lower := r
	lower.Hi, lower.HiOpen = math.Inf(1), false
	return lower.String()
}

// String describes r as in "in [0, 1)", "> 0" or "finite".
func (r Range) String() string {
	lo, hi := !math.IsInf(r.Lo, -1), !math.IsInf(r.Hi, 1)
	var s string
	switch {
	case lo && hi:
		l, h := "[", "]"
		if r.LoOpen {
			l = "("
		}
		if r.HiOpen {
			h = ")"
		}
		s = "in " + l + formatBound(r.Lo) + ", " + formatBound(r.Hi) + h
	case lo && r.LoOpen:
		s = "> " + formatBound(r.Lo)
	case lo:
		s = ">= " + formatBound(r.Lo)
	case hi:
		s = "<= " + formatBound(r.Hi)
	default:
		s = "finite"
	}
	if r.Inf {
		s += " (or inf)"
	}
	return s
}

// FormatNumber formats v as errors about the model's numbers do: the
// shortest exact decimal, and inf, -inf and nan as TOML writes them.
func FormatNumber(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "nan"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatBound formats a bound of a range, writing whole numbers out in
// full (1000000 rather than 1e+06).
func formatBound(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return FormatNumber(v)
}
