package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/backlogsim/backlogsim/sim"
)

// decoder reads typed values out of a node tree, collecting errors.
type decoder struct {
	file string // the loaded file, for errors without a node
	errs []*Error
}

func (d *decoder) errAt(n *node, key, format string, args ...any) {
	e := &Error{File: d.file, Key: key, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.File, e.Line = n.file, n.line
	}
	d.errs = append(d.errs, e)
}

// table gives checked access to the keys of one TOML table and reports the
// keys nobody asked for.
type table struct {
	d    *decoder
	n    *node // nil when the table is absent
	path string
	// pattern is path with "*" for the names of entities and regimes and
	// "[]" for array indices, as sim.NumberRange takes it.
	pattern string
	used    map[string]bool
	absent  bool // reported missing: reads return defaults silently
}

func (d *decoder) table(n *node, path string) *table {
	return &table{d: d, n: n, path: path, pattern: path, used: map[string]bool{}}
}

func (t *table) key(k string) string { return child(t.path, k) }

// get returns the node for key k, or nil.
func (t *table) get(k string) *node {
	t.used[k] = true
	if t.n == nil {
		return nil
	}
	return t.n.kids[k]
}

func (t *table) missing(k, what string) {
	if t.absent {
		return
	}
	t.d.errAt(t.n, t.key(k), "missing required %s", what)
}

// sub returns the table at key k. A missing required table is reported
// once; an optional missing table reads as empty.
func (t *table) sub(k string, required bool) *table {
	n := t.get(k)
	s := t.d.table(nil, t.key(k))
	s.pattern = child(t.pattern, k)
	switch {
	case n == nil:
		if required {
			t.missing(k, "table")
			s.absent = true
		}
		s.absent = s.absent || t.absent
	case n.kind != tableNode:
		t.d.errAt(n, t.key(k), "must be a table, got %s", describe(n))
		s.absent = true
	default:
		s.n = n
	}
	return s
}

// subtables returns the names (sorted) and tables of a table of tables,
// such as customers.
func (t *table) subtables(k string) ([]string, []*table) {
	s := t.sub(k, false)
	if s.n == nil {
		return nil, nil
	}
	names := sortedKeys(s.n.kids)
	var tables []*table
	var ok []string
	for _, name := range names {
		x := s.sub(name, true)
		if x.n == nil {
			continue
		}
		x.pattern = s.pattern + ".*"
		ok = append(ok, name)
		tables = append(tables, x)
	}
	return ok, tables
}

// array returns the elements of an array of tables.
func (t *table) array(k string) []*table {
	n := t.get(k)
	if n == nil {
		return nil
	}
	if n.kind != arrayNode {
		if v, ok := n.val.([]any); ok && len(v) == 0 {
			return nil
		}
		t.d.errAt(n, t.key(k), "must be an array of tables ([[%s]]), got %s", k, describe(n))
		return nil
	}
	out := make([]*table, len(n.elems))
	for i, e := range n.elems {
		out[i] = t.d.table(e, index(t.key(k), i))
		out[i].pattern = child(t.pattern, k) + "[]"
	}
	return out
}

// done reports keys of the table that were not read, in line order.
func (t *table) done() {
	if t.n == nil {
		return
	}
	var unknown []string
	for k := range t.n.kids {
		if !t.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Slice(unknown, func(i, j int) bool {
		a, b := t.n.kids[unknown[i]], t.n.kids[unknown[j]]
		if a.line != b.line {
			return a.line < b.line
		}
		return unknown[i] < unknown[j]
	})
	for _, k := range unknown {
		if s := suggest(k, t.used); s != "" {
			t.d.errAt(t.n.kids[k], t.key(k), "unknown key; did you mean %q?", s)
			continue
		}
		t.d.errAt(t.n.kids[k], t.key(k), "unknown key")
	}
}

// num reads a number (TOML integer or float). A missing key is an error if
// required, otherwise def.
func (t *table) num(k string, required bool, def float64, r rng) float64 {
	n := t.get(k)
	if n == nil {
		if required {
			t.missing(k, "key")
		}
		return def
	}
	var v float64
	switch x := n.val.(type) {
	case int64:
		v = float64(x)
	case float64:
		v = x
	default:
		t.d.errAt(n, t.key(k), "must be a number, got %s", describe(n))
		return def
	}
	if msg := r.Problem(v); msg != "" {
		t.d.errAt(n, t.key(k), "%s", msg)
		return def
	}
	return v
}

// modelNum reads a number of the model, in the range sim gives its key.
func (t *table) modelNum(k string, required bool, def float64) float64 {
	return t.num(k, required, def, modelRange(child(t.pattern, k)))
}

// modelNums reads a list of numbers of the model, each in the range sim
// gives the list's elements.
func (t *table) modelNums(k string) ([]float64, bool) {
	return t.nums(k, modelRange(child(t.pattern, k)+"[]"))
}

// modelRange returns the range sim gives the key pattern. Every number a
// builder reads with modelNum has one: a missing rule is a mistake in
// this package, which the tests that load every built-in scenario catch.
func modelRange(pattern string) rng {
	r, ok := sim.NumberRange(pattern)
	if !ok {
		panic("scenarios: sim has no rule for " + pattern)
	}
	return r
}

// integer reads an integer in [lo, hi]; a float with an integral value
// (1e5) is accepted.
func (t *table) integer(k string, def, lo, hi int64) int64 {
	n := t.get(k)
	if n == nil {
		return def
	}
	var v int64
	switch x := n.val.(type) {
	case int64:
		v = x
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			t.d.errAt(n, t.key(k), "must be an integer, got %s", describe(n))
			return def
		}
		v = int64(x)
	default:
		t.d.errAt(n, t.key(k), "must be an integer, got %s", describe(n))
		return def
	}
	if v < lo || v > hi {
		if hi == math.MaxInt64 {
			t.d.errAt(n, t.key(k), "must be >= %d, got %d", lo, v)
			return def
		}
		t.d.errAt(n, t.key(k), "must be in [%d, %d], got %d", lo, hi, v)
		return def
	}
	return v
}

// str reads a string; ok is false when it is missing or of the wrong type.
func (t *table) str(k string, required bool, def string) (string, bool) {
	n := t.get(k)
	if n == nil {
		if required {
			t.missing(k, "key")
		}
		return def, false
	}
	s, ok := n.val.(string)
	if !ok || n.kind != leafNode {
		t.d.errAt(n, t.key(k), "must be a string, got %s", describe(n))
		return def, false
	}
	return s, true
}

// boolean reads a true or false; a missing key is def.
func (t *table) boolean(k string, def bool) bool {
	n := t.get(k)
	if n == nil {
		return def
	}
	v, ok := n.val.(bool)
	if !ok || n.kind != leafNode {
		t.d.errAt(n, t.key(k), "must be true or false, got %s", describe(n))
		return def
	}
	return v
}

// oneOf reads a string that must be one of allowed.
func (t *table) oneOf(k string, def string, allowed ...string) string {
	s, ok := t.str(k, false, def)
	if !ok {
		return def
	}
	if !slices.Contains(allowed, s) {
		t.d.errAt(t.get(k), t.key(k), "must be one of %s, got %q", quoteList(allowed), s)
		return def
	}
	return s
}

// nums reads an array of numbers in r.
func (t *table) nums(k string, r rng) ([]float64, bool) {
	n := t.get(k)
	if n == nil {
		return nil, false
	}
	a, ok := n.val.([]any)
	if !ok || n.kind != leafNode {
		t.d.errAt(n, t.key(k), "must be an array of numbers, got %s", describe(n))
		return nil, false
	}
	out := make([]float64, len(a))
	for i, x := range a {
		switch x := x.(type) {
		case int64:
			out[i] = float64(x)
		case float64:
			out[i] = x
		default:
			t.d.errAt(n, index(t.key(k), i), "must be a number, got %s", describeValue(x))
			return nil, false
		}
		if msg := r.Problem(out[i]); msg != "" {
			t.d.errAt(n, index(t.key(k), i), "%s", msg)
			return nil, false
		}
	}
	return out, true
}

func quoteList(s []string) string {
	out := ""
	for i, x := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			out += " or "
		default:
			out += ", "
		}
		out += strconv.Quote(x)
	}
	return out
}

// describe names the TOML type of n and, for scalars, its value.
func describe(n *node) string {
	switch n.kind {
	case tableNode:
		return "a table"
	case arrayNode:
		return "an array of tables"
	}
	return describeValue(n.val)
}

func describeValue(v any) string {
	switch v := v.(type) {
	case string:
		return "string " + strconv.Quote(v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case float64:
		return "float " + fmtNum(v)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	case time.Time:
		return "datetime " + v.Format(time.RFC3339)
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
