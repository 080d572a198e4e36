package scenarios

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// Setting numeric keys of a loaded scenario: how uncertainty, tornadoes
// and sweeps build their cases. Values are set on the resolved key tree
// and the model is built and validated as it is from a file, so any
// numeric key the loader reads can be varied, including keys added after
// this code was written.

// keyStep is one segment of a key path: a table key, or an element of an
// array of tables.
type keyStep struct {
	key   string
	index int // -1 for a table key
}

// parseKeyPath splits "customers.openai.cash" or "contracts[2].value"
// into steps.
func parseKeyPath(path string) ([]keyStep, error) {
	if path == "" {
		return nil, errors.New("empty key path")
	}
	var steps []keyStep
	for _, seg := range strings.Split(path, ".") {
		idx := -1
		if open := strings.IndexByte(seg, '['); open >= 0 && strings.HasSuffix(seg, "]") {
			n, err := strconv.Atoi(seg[open+1 : len(seg)-1])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad index in %q", seg)
			}
			seg, idx = seg[:open], n
		}
		if !isBare(seg) {
			return nil, fmt.Errorf("bad key %q in %q: keys use letters, digits, _ and -", seg, path)
		}
		steps = append(steps, keyStep{key: seg, index: idx})
	}
	return steps, nil
}

// checkKeyPath returns what is wrong with a key path, or "".
func checkKeyPath(path string) string {
	steps, err := parseKeyPath(path)
	if err != nil {
		return "not a key path: " + err.Error()
	}
	switch steps[0].key {
	case "uncertainty", "name", "description", "extends":
		return "cannot be uncertain: only numeric keys of the model can"
	}
	return ""
}

// lookup returns the node at path in root, or nil.
func lookup(root *node, path string) *node {
	steps, err := parseKeyPath(path)
	if err != nil {
		return nil
	}
	n := root
	for j, s := range steps {
		if n == nil || n.kind != tableNode {
			return nil
		}
		n = n.kids[s.key]
		if s.index >= 0 && j == len(steps)-1 && n != nil && n.kind == leafNode {
			// An element of an array of numbers.
			a, ok := n.val.([]any)
			if !ok || s.index >= len(a) {
				return nil
			}
			return &node{file: n.file, line: n.line, val: a[s.index]}
		}
		if s.index >= 0 {
			if n == nil || n.kind != arrayNode || s.index >= len(n.elems) {
				return nil
			}
			n = n.elems[s.index]
		}
	}
	return n
}

// numberAt returns the number at path in root, if there is one.
func numberAt(root *node, path string) (float64, bool) {
	n := lookup(root, path)
	if n == nil || n.kind != leafNode {
		return 0, false
	}
	switch v := n.val.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// setNumber returns a copy of root with the number v at path; root is not
// changed. The key must hold a number or be absent from a table that
// exists (the loader then supplies no default and checks the key as if
// it had been written in the file); at is where an absent key is said to
// be written.
func setNumber(root *node, path string, v float64, at *node) (*node, error) {
	steps, err := parseKeyPath(path)
	if err != nil {
		return nil, err
	}
	var set func(n *node, i int) (*node, error)
	set = func(n *node, i int) (*node, error) {
		where := strings.Join(strings.Split(path, ".")[:i], ".")
		if n == nil || n.kind != tableNode {
			return nil, fmt.Errorf("%s: no table %s in the scenario", path, where)
		}
		s := steps[i]
		out := *n
		out.kids = make(map[string]*node, len(n.kids)+1)
		for k, x := range n.kids {
			out.kids[k] = x
		}
		c := n.kids[s.key]
		if s.index >= 0 && i == len(steps)-1 {
			// An element of an array of numbers, such as capex[1].
			leaf, err := setElement(c, s.index, v, path)
			if err != nil {
				return nil, err
			}
			out.kids[s.key] = leaf
			return &out, nil
		}
		if s.index >= 0 {
			if c == nil || c.kind != arrayNode || s.index >= len(c.elems) {
				return nil, fmt.Errorf("%s: no element %s[%d] in the scenario", path, s.key, s.index)
			}
			arr := *c
			arr.elems = append([]*node(nil), c.elems...)
			e, err := set(c.elems[s.index], i+1)
			if err != nil {
				return nil, err
			}
			arr.elems[s.index] = e
			out.kids[s.key] = &arr
			return &out, nil
		}
		if i < len(steps)-1 {
			k, err := set(c, i+1)
			if err != nil {
				return nil, err
			}
			out.kids[s.key] = k
			return &out, nil
		}
		leaf := &node{file: at.file, line: at.line, val: v}
		if c != nil {
			switch c.val.(type) {
			case int64, float64:
			default:
				return nil, fmt.Errorf("%s: holds %s, not a number", path, describe(c))
			}
			if c.kind != leafNode {
				return nil, fmt.Errorf("%s: holds %s, not a number", path, describe(c))
			}
			leaf.file, leaf.line = c.file, c.line
			if _, isInt := c.val.(int64); isInt && v == float64(int64(v)) {
				leaf.val = int64(v)
			}
		}
		out.kids[s.key] = leaf
		return &out, nil
	}
	return set(root, 0)
}

// setElement returns a copy of the array-of-numbers leaf c with element i
// set to v.
func setElement(c *node, i int, v float64, path string) (*node, error) {
	a, ok := c.val.([]any)
	if c == nil || c.kind != leafNode || !ok {
		what := "nothing"
		if c != nil {
			what = describe(c)
		}
		return nil, fmt.Errorf("%s: holds %s, not an array of numbers", path, what)
	}
	if i >= len(a) {
		return nil, fmt.Errorf("%s: the array has %d elements", path, len(a))
	}
	out := append([]any(nil), a...)
	switch a[i].(type) {
	case int64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			out[i] = int64(v)
		} else {
			out[i] = v
		}
	case float64:
		out[i] = v
	default:
		return nil, fmt.Errorf("%s: holds %s, not a number", path, describeValue(a[i]))
	}
	return &node{file: c.file, line: c.line, val: out}, nil
}

// With returns the scenario's model with the numeric keys in values (by
// key path, as in Parameter.Key) set to the given values, built and
// validated as if they had been written in the file. The scenario itself
// is not changed.
func (s *Scenario) With(values map[string]float64) (*sim.Model, error) {
	if s.root == nil {
		return nil, errors.New("scenarios: With needs a scenario returned by Load or LoadBytes")
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	root := s.root
	var assigned []string
	for _, k := range keys {
		r, err := setNumber(root, k, values[k], root)
		if err != nil {
			return nil, fmt.Errorf("scenarios: %s: %w", s.Source, err)
		}
		root = r
		assigned = append(assigned, k+" = "+fmtApprox(values[k]))
	}
	m, err := finishModel(root, s.Source)
	if err != nil {
		return nil, fmt.Errorf("scenarios: with %s: %w", strings.Join(assigned, ", "), err)
	}
	return m, nil
}

// finishModel builds and validates the model of a resolved key tree
// (without its uncertainty section).
func finishModel(root *node, source string) (*sim.Model, error) {
	m, errs := buildModel(root, source)
	errs = append(errs, modelErrors(root, source, m.Validate(), errs)...)
	if len(errs) > 0 {
		return nil, errorsOf(errs)
	}
	return m, nil
}

// modelErrors places the problems sim.Model.Validate found (err) at the
// lines that set their keys. Problems in a table where the loader already
// found one (reported) are left out: they follow from the value the loader
// put in place of a bad one. So are problems without a key path when the
// loader found any, for the same reason; otherwise they are reported as
// an invalid model.
func modelErrors(root *node, source string, err error, reported []*Error) []*Error {
	if err == nil {
		return nil
	}
	table := func(key string) string {
		if i := strings.LastIndexByte(key, '.'); i >= 0 {
			return key[:i]
		}
		return ""
	}
	bad := map[string]bool{}
	for _, e := range reported {
		bad[table(e.Key)] = true
	}
	var out []*Error
	var general []error
	for _, e := range leafErrors(err) {
		var fe *sim.FieldError
		if !errors.As(e, &fe) {
			general = append(general, e)
			continue
		}
		if bad[table(fe.Key)] {
			continue
		}
		pe := &Error{File: source, Key: fe.Key, Msg: fe.Msg, Err: fe}
		if n := lookup(root, fe.Key); n != nil {
			pe.File, pe.Line = n.file, n.line
		}
		out = append(out, pe)
	}
	if len(general) > 0 && len(reported) == 0 {
		joined := errors.Join(general...)
		out = append(out, &Error{File: source, Msg: "invalid model: " + joined.Error(), Err: joined})
	}
	return out
}

// leafErrors flattens errors joined by errors.Join.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// checkParameters checks that the model is valid with every parameter at
// its smallest value and with every parameter at its largest (two builds,
// whatever the number of parameters). A problem with a parameter's key is
// reported at its entry; any other at the first entry, as a problem of
// that corner.
func checkParameters(root *node, params []Parameter, source string) []*Error {
	if len(params) == 0 {
		return nil
	}
	byKey := map[string]*Parameter{}
	for i := range params {
		byKey[params[i].Key] = &params[i]
	}
	var errs []*Error
	reported := map[string]bool{}
	for _, corner := range []string{"smallest", "largest"} {
		r := root
		var failed error
		for i := range params {
			p := &params[i]
			v := p.Min
			if corner == "largest" {
				v = p.Max
			}
			next, err := setNumber(r, p.Key, v, &node{file: p.File, line: p.Line})
			if err != nil {
				if !reported[p.Key] {
					reported[p.Key] = true
					errs = append(errs, &Error{File: p.File, Line: p.Line, Key: child("uncertainty", p.Key),
						Msg: fmt.Sprintf("the model is invalid at value %s: %s", fmtApprox(v), err.Error()), Err: err})
				}
				failed = err
				continue
			}
			r = next
		}
		if failed != nil {
			continue
		}
		_, err := finishModel(r, source)
		if err == nil {
			continue
		}
		var list ErrorList
		var one *Error
		switch {
		case errors.As(err, &list):
		case errors.As(err, &one):
			list = ErrorList{one}
		}
		for _, e := range list {
			p, ok := byKey[e.Key]
			if !ok {
				p = &params[0]
			}
			if reported[p.Key] {
				continue
			}
			reported[p.Key] = true
			v := p.Min
			if corner == "largest" {
				v = p.Max
			}
			msg := fmt.Sprintf("the model is invalid at value %s: %s: %s", fmtApprox(v), e.Key, e.Msg)
			if !ok {
				msg = fmt.Sprintf("the model is invalid with every parameter at its %s value: %s", corner, firstLine(e))
			}
			errs = append(errs, &Error{File: p.File, Line: p.Line, Key: child("uncertainty", p.Key), Msg: msg, Err: e})
		}
	}
	return errs
}

// firstLine is the first line of err's message, without the scenario's
// "FILE:LINE: " prefix when it has one.
func firstLine(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Key != "" {
			return e.Key + ": " + e.Msg
		}
		return e.Msg
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
