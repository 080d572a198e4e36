package scenarios

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/BurntSushi/toml"

	"github.com/backlogsim/backlogsim/sim"
)

// ResolvedWith returns the resolved scenario (as in Resolved) with the run
// settings of m written in: [simulation] paths and seed and the whole
// [sampling] table, as the command line's flags left them. Loading the
// result and simulating it without flags runs exactly what m runs, so a
// run's manifest.json and report record what ran, not what the file said.
// m is normally s.Model after the flags were applied.
func (s *Scenario) ResolvedWith(m *sim.Model) ([]byte, error) {
	if s.full == nil {
		return nil, fmt.Errorf("scenarios: ResolvedWith needs a scenario returned by Load or LoadBytes")
	}
	is := m.Sampling.Importance
	settings := []struct {
		path string
		val  any
	}{
		{"simulation.paths", int64(m.Paths)},
		{"simulation.seed", int64(m.Seed)},
		{"sampling.antithetic", m.Sampling.Antithetic},
		{"sampling.importance.demand_shift", is.DemandShift},
		{"sampling.importance.macro_shift", is.MacroShift},
		{"sampling.importance.revenue_shift", is.RevenueShift},
		{"sampling.importance.regime_tilt", is.RegimeTilt},
		{"sampling.importance.arrival_tilt", is.ArrivalTilt},
		{"sampling.importance.window_years", is.WindowYears},
		{"sampling.importance.macro_window_years", is.MacroWindowYears},
	}
	if m.Seed > 1<<63-1 {
		return nil, fmt.Errorf("scenarios: seed %d does not fit a TOML integer", m.Seed)
	}
	root := s.full
	for _, st := range settings {
		root = setLeaf(root, st.path, st.val)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Scenario %s resolved from %s, with the run's paths, seed and sampling.\n", strconv.Quote(m.Name), s.Source)
	if err := toml.NewEncoder(&buf).Encode(toValue(root)); err != nil {
		return nil, fmt.Errorf("scenarios: %s: encoding resolved scenario: %w", s.Source, err)
	}
	return buf.Bytes(), nil
}

// setLeaf returns a copy of root with the value v at the dotted table path
// (no array elements), creating the tables on the way; root is not changed.
func setLeaf(root *node, path string, v any) *node {
	steps, _ := parseKeyPath(path)
	var set func(n *node, i int) *node
	set = func(n *node, i int) *node {
		out := node{kind: tableNode, kids: map[string]*node{}}
		if n != nil && n.kind == tableNode {
			out = *n
			out.kids = make(map[string]*node, len(n.kids)+1)
			for k, x := range n.kids {
				out.kids[k] = x
			}
		}
		k := steps[i].key
		if i == len(steps)-1 {
			out.kids[k] = &node{kind: leafNode, val: v}
		} else {
			out.kids[k] = set(out.kids[k], i+1)
		}
		return &out
	}
	return set(root, 0)
}
