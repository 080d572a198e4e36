package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Uncertain parameters: the [uncertainty] section of a scenario file.

// TailProbability bounds the quantiles an unbounded distribution (normal,
// lognormal) is sampled at: draws come from the distribution truncated to
// its [TailProbability, 1 − TailProbability] quantiles, and Load checks
// that the model is valid at both ends.
const TailProbability = 0.001

// TornadoProbability is the quantile a distribution's low value in a
// tornado is taken at; its high value is at 1 − TornadoProbability. A
// low/base/high triple gives its low and high values directly.
const TornadoProbability = 0.05

// Parameter is one uncertain value of a scenario: a numeric key and the
// distribution of its value.
type Parameter struct {
	// Key is the dotted path of the key, as in errors:
	// "funding.rates.open.tight", "customers.openai.funding.round_rate".
	Key string
	// Kind is "range" for a low/base/high triple, otherwise the
	// distribution: "uniform", "triangular", "normal", "lognormal", "beta"
	// or "discrete".
	Kind string
	// Spec describes the distribution, for reports:
	// "triangular(min 0.05, mode 0.1, max 0.2)".
	Spec string
	// Low and High are the values a tornado sets the key to: a triple's
	// low and high, or the distribution's TornadoProbability and
	// 1 − TornadoProbability quantiles.
	Low, High float64
	// Min and Max are the smallest and largest values Value returns.
	Min, Max float64
	// Source says where the distribution comes from ("estimate: ..." for
	// judgement).
	Source string
	// File and Line locate the parameter's entry.
	File string
	Line int

	quantile func(p float64) float64
	// clampedBase is set when a triple's base is an inherited value
	// clamped into its range; Resolved then writes it as base.
	clampedBase *float64
}

// Value returns the parameter's value at the point u in [0, 1] of the
// unit interval: its quantile function, truncated to [Min, Max].
func (p *Parameter) Value(u float64) float64 {
	lo := 0.0
	if p.Kind == "normal" || p.Kind == "lognormal" {
		lo = TailProbability
	}
	u = math.Max(lo, math.Min(1-lo, u))
	return math.Max(p.Min, math.Min(p.Max, p.quantile(u)))
}

// parseUncertainty reads the [uncertainty] table n (nil when absent): one
// entry per key path, sorted by key.
// base returns the scenario's value of a key path and the file it was
// written in, if it has one.
func (d *decoder) parseUncertainty(n *node, base func(key string) (float64, string, bool)) []Parameter {
	if n == nil {
		return nil
	}
	if n.kind != tableNode {
		d.errAt(n, "uncertainty", "must be a table, got %s", describe(n))
		return nil
	}
	var out []Parameter
	for _, key := range sortedKeys(n.kids) {
		t := d.table(nil, child("uncertainty", key))
		e := n.kids[key]
		if e.kind != tableNode {
			d.errAt(e, t.path, "must be a table such as {low = 1, high = 2, source = \"...\"}, got %s", describe(e))
			continue
		}
		t.n = e
		if p, ok := d.parameter(key, t, base); ok {
			out = append(out, p)
		}
		t.done()
	}
	return out
}

// parameter reads one entry of [uncertainty].
func (d *decoder) parameter(key string, t *table, base func(string) (float64, string, bool)) (Parameter, bool) {
	nerr := len(d.errs)
	p := Parameter{Key: key, File: t.n.file, Line: t.n.line}
	if err := checkKeyPath(key); err != "" {
		d.errAt(t.n, t.path, "%s", err)
	}
	src, _ := t.str("source", true, "")
	if strings.TrimSpace(src) == "" && t.get("source") != nil {
		d.errAt(t.get("source"), t.key("source"), "must say where the range comes from, or \"estimate: \" and why")
	}
	p.Source = src
	kind := "range"
	if t.get("distribution") != nil {
		kind = t.oneOf("distribution", "", "uniform", "triangular", "normal", "lognormal", "beta", "discrete")
		if kind == "" {
			return p, false
		}
	}
	p.Kind = kind
	if kind == "range" {
		ok := d.rangeParameter(&p, key, t, base)
		return p, ok && len(d.errs) == nerr
	}
	if !d.distribution(&p, kind, t) {
		return p, false
	}
	if len(d.errs) != nerr || p.quantile == nil {
		return p, false
	}
	p.Min, p.Max = p.quantile(TailProbability), p.quantile(1-TailProbability)
	if kind != "normal" && kind != "lognormal" {
		p.Min, p.Max = p.quantile(0), p.quantile(1)
	}
	p.Low, p.High = p.quantile(TornadoProbability), p.quantile(1-TornadoProbability)
	return p, true
}

// finiteParameter is the range of a parameter's bounds and moments.
var finiteParameter = rng{Lo: -maxRate, Hi: maxRate}

// rangeParameter reads a low, base, high triple, the base defaulting to
// the scenario's value of key, into a triangular distribution on p. It
// reports whether the triple is consistent.
func (d *decoder) rangeParameter(p *Parameter, key string, t *table, base func(string) (float64, string, bool)) bool {
	lo, hi := t.num("low", true, math.NaN(), finiteParameter), t.num("high", true, math.NaN(), finiteParameter)
	b, given := t.num("base", false, math.NaN(), finiteParameter), t.get("base") != nil
	valueFile := ""
	if !given {
		if v, file, ok := base(key); ok {
			b, valueFile = v, file
		} else if t.get("low") != nil && t.get("high") != nil {
			d.errAt(t.n, t.key("base"), "missing: the scenario gives %s no value, so the triple needs a base", key)
		}
	}
	if !given && lo < hi && (b < lo || b > hi) {
		// A value written beside its range must lie in it; a value a
		// child file changed is clamped into an inherited range.
		if valueFile == t.n.file {
			d.errAt(t.n, t.path, "the scenario's value %s is outside [low, high] = [%s, %s]; widen the range",
				fmtNum(b), fmtNum(lo), fmtNum(hi))
			return false
		}
		b = math.Max(lo, math.Min(hi, b))
		p.clampedBase = &b
	}
	if !d.ordered(t, lo, b, hi, "low", "base", "high") {
		return false
	}
	tri := distuv.NewTriangle(lo, hi, b, nil)
	p.Spec = fmt.Sprintf("low %s, base %s, high %s (sampled triangular)", fmtNum(lo), fmtNum(b), fmtNum(hi))
	p.quantile, p.Low, p.High, p.Min, p.Max = tri.Quantile, lo, hi, lo, hi
	return true
}

// distribution reads the parameters of a named distribution into p's
// quantile function and description. It reports false when they are out
// of order; other problems are recorded in d.errs.
func (d *decoder) distribution(p *Parameter, kind string, t *table) bool {
	num := func(k string) float64 { return t.num(k, true, math.NaN(), finiteParameter) }
	switch kind {
	case "uniform":
		lo, hi := num("min"), num("max")
		if !d.ordered(t, lo, lo, hi, "min", "min", "max") {
			return false
		}
		u := distuv.Uniform{Min: lo, Max: hi}
		p.Spec = fmt.Sprintf("uniform(min %s, max %s)", fmtNum(lo), fmtNum(hi))
		p.quantile = u.Quantile
	case "triangular":
		lo, mode, hi := num("min"), num("mode"), num("max")
		if !d.ordered(t, lo, mode, hi, "min", "mode", "max") {
			return false
		}
		p.Spec = fmt.Sprintf("triangular(min %s, mode %s, max %s)", fmtNum(lo), fmtNum(mode), fmtNum(hi))
		p.quantile = distuv.NewTriangle(lo, hi, mode, nil).Quantile
	case "normal":
		mean, sd := num("mean"), t.num("sd", true, math.NaN(), rng{Lo: 0, Hi: maxRate, LoOpen: true})
		p.Spec = fmt.Sprintf("normal(mean %s, sd %s)", fmtNum(mean), fmtNum(sd))
		p.quantile = distuv.Normal{Mu: mean, Sigma: sd}.Quantile
	case "lognormal":
		med := t.num("median", true, math.NaN(), rng{Lo: 0, Hi: maxRate, LoOpen: true})
		sigma := t.num("sigma", true, math.NaN(), rng{Lo: 0, Hi: 10, LoOpen: true})
		p.Spec = fmt.Sprintf("lognormal(median %s, sigma %s)", fmtNum(med), fmtNum(sigma))
		p.quantile = distuv.LogNormal{Mu: math.Log(med), Sigma: sigma}.Quantile
	case "beta":
		pos := rng{Lo: 0, Hi: 1e4, LoOpen: true}
		a, b := t.num("alpha", true, math.NaN(), pos), t.num("beta", true, math.NaN(), pos)
		lo, hi := t.num("min", false, 0, finiteParameter), t.num("max", false, 1, finiteParameter)
		if !d.ordered(t, lo, lo, hi, "min", "min", "max") {
			return false
		}
		p.Spec = fmt.Sprintf("beta(alpha %s, beta %s, min %s, max %s)", fmtNum(a), fmtNum(b), fmtNum(lo), fmtNum(hi))
		be := distuv.Beta{Alpha: a, Beta: b}
		p.quantile = func(u float64) float64 { return lo + (hi-lo)*be.Quantile(u) }
	case "discrete":
		p.quantile, p.Spec = d.discrete(t)
	}
	return true
}

// ordered checks lo <= mid <= hi with lo < hi.
func (d *decoder) ordered(t *table, lo, mid, hi float64, nlo, nmid, nhi string) bool {
	if math.IsNaN(lo) || math.IsNaN(mid) || math.IsNaN(hi) {
		return false
	}
	if !(lo < hi) {
		d.errAt(t.get(nhi), t.key(nhi), "must be greater than %s = %s, got %s", nlo, fmtNum(lo), fmtNum(hi))
		return false
	}
	if mid < lo || mid > hi {
		d.errAt(t.get(nmid), t.key(nmid), "must be in [%s, %s] = [%s, %s], got %s", nlo, nhi, fmtNum(lo), fmtNum(hi), fmtNum(mid))
		return false
	}
	return true
}

// discrete reads values and optional weights and returns the quantile
// function of the discrete distribution.
func (d *decoder) discrete(t *table) (func(float64) float64, string) {
	vals, ok := t.nums("values", rng{Lo: -maxRate, Hi: maxRate})
	if !ok {
		if t.get("values") == nil {
			t.missing("values", "key")
		}
		return nil, ""
	}
	if len(vals) < 2 {
		d.errAt(t.get("values"), t.key("values"), "must hold at least 2 values, got %d", len(vals))
		return nil, ""
	}
	w := make([]float64, len(vals))
	for i := range w {
		w[i] = 1
	}
	if t.get("weights") != nil {
		ws, ok := t.nums("weights", rng{Lo: 0, Hi: maxRate})
		if !ok {
			return nil, ""
		}
		if len(ws) != len(vals) {
			d.errAt(t.get("weights"), t.key("weights"), "must hold one weight per value (%d), got %d", len(vals), len(ws))
			return nil, ""
		}
		w = ws
	}
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	xs, cum := make([]float64, len(vals)), make([]float64, len(vals))
	var total float64
	xs, cum = xs[:0], cum[:0]
	for _, i := range idx {
		if w[i] == 0 {
			continue // never drawn; would otherwise be the minimum
		}
		total += w[i]
		xs, cum = append(xs, vals[i]), append(cum, total)
	}
	if total <= 0 {
		d.errAt(t.get("weights"), t.key("weights"), "must not all be 0")
		return nil, ""
	}
	spec := "discrete(values " + joinNums(vals) + ", weights " + joinNums(w) + ")"
	return func(u float64) float64 {
		k, _ := slices.BinarySearch(cum, u*total)
		return xs[min(k, len(xs)-1)]
	}, spec
}

func joinNums(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmtNum(x)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
