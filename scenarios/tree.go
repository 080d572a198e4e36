package scenarios

import (
	"strconv"
)

// node is a parsed TOML value annotated with where it was written, so that
// errors found after extends merging still point to the right file and
// line. Nodes are never modified after they are built; merging makes new
// table and array nodes.
type node struct {
	file string
	line int

	kind  nodeKind
	kids  map[string]*node // table
	elems []*node          // array of tables
	val   any              // leaf: string, int64, float64, bool, time, []any
}

type nodeKind int

const (
	leafNode nodeKind = iota
	tableNode
	arrayNode // array of tables
)

// buildNode converts a value decoded by toml.Decode into a node tree.
func buildNode(v any, path, file string, lines map[string]int, defLine int) *node {
	line, ok := lines[path]
	if !ok {
		line = defLine
	}
	n := &node{file: file, line: line}
	switch v := v.(type) {
	case map[string]any:
		n.kind = tableNode
		n.kids = make(map[string]*node, len(v))
		for k, x := range v {
			n.kids[k] = buildNode(x, child(path, k), file, lines, line)
		}
	case []map[string]any:
		n.kind = arrayNode
		for i, x := range v {
			n.elems = append(n.elems, buildNode(x, index(path, i), file, lines, line))
		}
	case []any:
		if len(v) > 0 && allTables(v) {
			n.kind = arrayNode
			for i, x := range v {
				n.elems = append(n.elems, buildNode(x, index(path, i), file, lines, line))
			}
			break
		}
		n.val = v
	default:
		n.val = v
	}
	return n
}

func allTables(v []any) bool {
	for _, x := range v {
		if _, ok := x.(map[string]any); !ok {
			return false
		}
	}
	return true
}

// toValue converts a node tree back into the shape the TOML encoder expects.
func toValue(n *node) any {
	switch n.kind {
	case tableNode:
		m := make(map[string]any, len(n.kids))
		for k, x := range n.kids {
			m[k] = toValue(x)
		}
		return m
	case arrayNode:
		a := make([]map[string]any, len(n.elems))
		for i, x := range n.elems {
			a[i] = toValue(x).(map[string]any)
		}
		return a
	}
	return n.val
}

// keyedArrays are the top-level arrays of tables that extends merges element
// by element, matching elements by the key that keyOf computes.
var keyedArrays = map[string]string{"contracts": "contract", "backers": "backing", "stakes": "stake", "tranches": "tranche"}

// keyOf returns the merge key of an element of a keyed array, or "" when it
// cannot be computed (the element is then appended and validated later).
func keyOf(array string, e *node) string {
	if e.kind != tableNode {
		return ""
	}
	str := func(k string) string {
		if n, ok := e.kids[k]; ok && n.kind == leafNode {
			if s, ok := n.val.(string); ok {
				return s
			}
		}
		return ""
	}
	a, b := "payer", "payee"
	if array == "tranches" {
		return str("name")
	}
	if array == "contracts" {
		if name := str("name"); name != "" {
			return name
		}
	} else if array == "stakes" {
		a, b = "holder", "lab"
	} else {
		a, b = "backer", "customer"
	}
	if str(a) == "" || str(b) == "" {
		return ""
	}
	return str(a) + "->" + str(b)
}

// mergeRoot overlays the top-level table child on parent (nil for none).
// The keys name, description and extends are not inherited.
func mergeRoot(parent, child *node, errs *[]*Error) *node {
	base := &node{kind: tableNode, kids: map[string]*node{}, file: child.file}
	if parent != nil {
		for k, v := range parent.kids {
			switch k {
			case "name", "description", "extends":
				continue
			}
			base.kids[k] = v
		}
	}
	out := &node{kind: tableNode, kids: make(map[string]*node, len(base.kids)), file: child.file}
	for k, v := range base.kids {
		out.kids[k] = v
	}
	for _, k := range sortedKeys(child.kids) {
		c := child.kids[k]
		if what, ok := keyedArrays[k]; ok && c.kind == arrayNode {
			p := base.kids[k]
			if p != nil && p.kind != arrayNode {
				p = nil
			}
			out.kids[k] = mergeKeyed(k, what, p, c, parent != nil, errs)
			continue
		}
		if k == "uncertainty" {
			out.kids[k] = mergeUncertainty(base.kids[k], c, errs)
			continue
		}
		out.kids[k] = mergeNode(base.kids[k], c)
	}
	delete(out.kids, "extends")
	return out
}

// mergeNode overlays c on p: tables merge key by key, anything else in c
// replaces p.
func mergeNode(p, c *node) *node {
	if c.kind != tableNode {
		return c
	}
	if p == nil || p.kind != tableNode {
		p = &node{kind: tableNode}
	}
	out := &node{kind: tableNode, file: c.file, line: c.line, kids: make(map[string]*node, len(p.kids)+len(c.kids))}
	for k, v := range p.kids {
		out.kids[k] = v
	}
	for k, v := range c.kids {
		out.kids[k] = mergeNode(p.kids[k], v)
	}
	return out
}

// mergeKeyed merges the array of tables c into p (nil for none): an element
// of c whose key matches an element of p is merged into it; one with
// remove = true deletes the match; any other is appended. Two elements of c
// with the same key are an error.
// hasParent says whether c's file extends another.
func mergeKeyed(array, what string, p, c *node, hasParent bool, errs *[]*Error) *node {
	var elems []*node
	pos := map[string]int{}
	if p != nil {
		for _, e := range p.elems {
			if k := keyOf(array, e); k != "" {
				pos[k] = len(elems)
			}
			elems = append(elems, e)
		}
	}
	seen := map[string]int{} // key -> line of the element of c that set it
	for i, e := range c.elems {
		path := index(array, i)
		k := keyOf(array, e)
		remove, removeLine := false, 0
		if e.kind == tableNode {
			if r, ok := e.kids["remove"]; ok {
				b, isBool := r.val.(bool)
				if r.kind != leafNode || !isBool {
					*errs = append(*errs, &Error{File: r.file, Line: r.line, Key: child(path, "remove"),
						Msg: "must be a boolean, got " + describe(r)})
					continue
				}
				remove, removeLine = b, r.line
				e = without(e, "remove")
			}
		}
		if k != "" {
			if line, dup := seen[k]; dup {
				msg := "duplicate " + what + " " + strconv.Quote(k) + " (first at line " + strconv.Itoa(line) + ")"
				if array == "contracts" {
					msg += "; give contracts between the same parties distinct names"
				}
				*errs = append(*errs, &Error{File: e.file, Line: e.line, Key: path, Msg: msg})
				continue
			}
		}
		j, matched := pos[k]
		matched = matched && k != ""
		if remove {
			if !matched {
				msg := "no " + what + " " + strconv.Quote(k) + " in the parent scenario to remove"
				if !hasParent {
					msg = "only a file with extends can remove a " + what + " of its parent; this one has no parent"
				}
				*errs = append(*errs, &Error{File: e.file, Line: removeLine, Key: child(path, "remove"), Msg: msg})
				continue
			}
			elems[j] = nil
			delete(pos, k)
			continue
		}
		if k != "" {
			seen[k] = e.line
		}
		if matched {
			elems[j] = mergeNode(elems[j], e)
			continue
		}
		if k != "" {
			pos[k] = len(elems)
		}
		elems = append(elems, e)
	}
	out := &node{kind: arrayNode, file: c.file, line: c.line}
	for _, e := range elems {
		if e != nil {
			out.elems = append(out.elems, e)
		}
	}
	return out
}

// without returns a copy of table e without key k.
func without(e *node, k string) *node {
	out := *e
	out.kids = make(map[string]*node, len(e.kids))
	for kk, v := range e.kids {
		if kk != k {
			out.kids[kk] = v
		}
	}
	return &out
}

// mergeUncertainty overlays the [uncertainty] table c on p (nil for none):
// an entry of c replaces the parent's entry for the same key whole, and an
// entry {remove = true} deletes it.
func mergeUncertainty(p, c *node, errs *[]*Error) *node {
	if c.kind != tableNode {
		return c
	}
	if p == nil || p.kind != tableNode {
		p = &node{kind: tableNode}
	}
	out := &node{kind: tableNode, file: c.file, line: c.line, kids: make(map[string]*node, len(p.kids)+len(c.kids))}
	for k, v := range p.kids {
		out.kids[k] = v
	}
	for _, k := range sortedKeys(c.kids) {
		e := c.kids[k]
		if e.kind == tableNode {
			if r, ok := e.kids["remove"]; ok {
				path := child(child("uncertainty", k), "remove")
				if b, isBool := r.val.(bool); r.kind != leafNode || !isBool || !b || len(e.kids) != 1 {
					*errs = append(*errs, &Error{File: r.file, Line: r.line, Key: path,
						Msg: "must be true and alone in its entry, got " + describe(r)})
					continue
				}
				if _, ok := out.kids[k]; !ok {
					*errs = append(*errs, &Error{File: r.file, Line: r.line, Key: path,
						Msg: "no uncertain key " + strconv.Quote(k) + " in the parent scenario to remove"})
					continue
				}
				delete(out.kids, k)
				continue
			}
		}
		out.kids[k] = e
	}
	return out
}

// withClampedBases returns root with an explicit base in every triple
// whose base was an inherited value clamped into its range, so that the
// resolved file, where the value and the entry are in one file, loads to
// the same parameters.
func withClampedBases(root *node, params []Parameter) *node {
	unc := root.kids["uncertainty"]
	if unc == nil || unc.kind != tableNode {
		return root
	}
	var out, u *node
	for _, p := range params {
		if p.clampedBase == nil {
			continue
		}
		if out == nil {
			out = without(root, "")
			u = without(unc, "")
			out.kids["uncertainty"] = u
		}
		e := without(u.kids[p.Key], "")
		e.kids["base"] = &node{file: e.file, line: e.line, val: *p.clampedBase}
		u.kids[p.Key] = e
	}
	if out == nil {
		return root
	}
	return out
}
