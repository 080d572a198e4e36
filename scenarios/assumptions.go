package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// Assumption is one value of a scenario as it ran, for a readable table of
// assumptions: which entity it belongs to, its key, its value and unit,
// and the source its file gives for it.
type Assumption struct {
	// Entity is a lab, provider or supplier name, "contract NAME" (or
	// "contracts[i]", "backers[i]", … for an element without a name) or a
	// top-level table ("simulation", "funding", "demand", …).
	Entity string
	// Key is the key below the entity: "cash", "funding.round_rate",
	// "regimes.open.capacity_per_year".
	Key string
	// Value is the value as the scenario file would write it.
	Value string
	// Unit is the key's unit as scenarios/FORMAT.md gives it ("USD bn",
	// "per year", "share", …), "" for a pure number or a name.
	Unit string
	// Source is the comment that documents the value in its file: the
	// comment at the end of the key's line or, failing that, the comment
	// lines right above it; "" if there is none. A value set on the command
	// line says so.
	Source string
	// File and Line locate the value (the file of the extends chain that
	// set it).
	File string
	Line int
}

// assumptionOrder is the order of the top-level tables in Assumptions.
var assumptionOrder = []string{"simulation", "sampling", "funding", "demand", "macro", "recovery",
	"customers", "providers", "suppliers", "contracts", "backers", "tranches", "stakes"}

// Assumptions returns every value of the scenario that m runs (m is
// normally s.Model after the command line's flags), table by table in the
// order of the scenario format, with the sources of the scenario files'
// comments. The run settings paths and seed are m's. The [uncertainty]
// section is not included: see Uncertainty.
func (s *Scenario) Assumptions(m *sim.Model) []Assumption {
	if s.root == nil {
		return nil
	}
	var out []Assumption
	tops := slices.Collect(func(yield func(string) bool) {
		for k := range s.root.kids {
			if !yield(k) {
				return
			}
		}
	})
	slices.SortFunc(tops, func(a, b string) int {
		ia, ib := slices.Index(assumptionOrder, a), slices.Index(assumptionOrder, b)
		if ia < 0 {
			ia = len(assumptionOrder)
		}
		if ib < 0 {
			ib = len(assumptionOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	for _, top := range tops {
		n := s.root.kids[top]
		switch {
		case top == "name" || top == "description" || top == "extends":
		case top == "customers" || top == "providers" || top == "suppliers":
			for _, name := range sortedKids(n) {
				out = s.leaves(out, name, "", n.kids[name])
			}
		case n.kind == arrayNode:
			seen := map[string]int{}
			for i, e := range n.elems {
				entity := elementName(top, i, e)
				if seen[entity]++; seen[entity] > 1 {
					entity = fmt.Sprintf("%s (%d)", entity, seen[entity])
				}
				out = s.leaves(out, entity, "", e)
			}
		default:
			out = s.leaves(out, top, "", n)
		}
	}
	if m != nil {
		for i := range out {
			a := &out[i]
			if a.Entity != "simulation" {
				continue
			}
			var v string
			switch a.Key {
			case "paths":
				v = strconv.Itoa(m.Paths)
			case "seed":
				v = strconv.FormatUint(m.Seed, 10)
			default:
				continue
			}
			if v != a.Value {
				a.Value, a.Source, a.File, a.Line = v, "set on the command line", "", 0
			}
		}
	}
	return out
}

// leaves appends the leaves below n, a table, to out: keys in the order
// of their lines (then by name), nested tables after.
func (s *Scenario) leaves(out []Assumption, entity, prefix string, n *node) []Assumption {
	if n.kind == leafNode {
		return append(out, s.assumption(entity, strings.TrimSuffix(prefix, "."), n))
	}
	if n.kind == arrayNode {
		for i, e := range n.elems {
			out = s.leaves(out, entity, fmt.Sprintf("%s[%d].", strings.TrimSuffix(prefix, "."), i), e)
		}
		return out
	}
	keys := sortedKids(n)
	for _, k := range keys {
		if kid := n.kids[k]; kid.kind == leafNode {
			out = append(out, s.assumption(entity, prefix+k, kid))
		}
	}
	for _, k := range keys {
		if kid := n.kids[k]; kid.kind != leafNode {
			out = s.leaves(out, entity, prefix+k+".", kid)
		}
	}
	return out
}

// sortedKids returns the keys of table n by line, then name.
func sortedKids(n *node) []string {
	keys := make([]string, 0, len(n.kids))
	for k := range n.kids {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		na, nb := n.kids[a], n.kids[b]
		if na.file == nb.file && na.line != nb.line {
			return na.line - nb.line
		}
		return strings.Compare(a, b)
	})
	return keys
}

func (s *Scenario) assumption(entity, key string, n *node) Assumption {
	last := key
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		last = key[i+1:]
	}
	unit := keyUnits[last]
	if strings.HasPrefix(key, "rates.") {
		unit = "per year" // funding.rates.FROM.TO
	}
	return Assumption{Entity: entity, Key: key, Value: formatValue(n.val), Unit: unit,
		Source: commentFor(s.sources[n.file], n.line), File: n.file, Line: n.line}
}

// elementName names element i of the array of tables top: "contract
// NAME", or by the two entities it links ("contract openai→oracle",
// "backer amazon→anthropic", "stake nvidia→openai"), or "top[i]".
func elementName(top string, i int, e *node) string {
	str := func(k string) (string, bool) {
		n, ok := e.kids[k]
		if !ok || n.kind != leafNode {
			return "", false
		}
		v, ok := n.val.(string)
		return v, ok
	}
	kind := strings.TrimSuffix(top, "s")
	if name, ok := str("name"); ok {
		return kind + " " + name
	}
	for _, pair := range [][2]string{{"payer", "payee"}, {"backer", "customer"}, {"holder", "lab"}, {"investor", "lab"}} {
		a, okA := str(pair[0])
		b, okB := str(pair[1])
		if okA && okB {
			return kind + " " + a + "→" + b
		}
	}
	return fmt.Sprintf("%s[%d]", top, i)
}

// formatValue writes a leaf's value as a scenario file would.
func formatValue(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = formatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// commentFor returns the comment documenting line (1-based) of a file's
// lines: the comment at the end of the line or, failing that, the block
// of comment lines right above it, joined into one line.
func commentFor(lines []string, line int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	if c := trailingComment(lines[line-1]); c != "" {
		return c
	}
	var block []string
	for i := line - 2; i >= 0; i-- {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(t, "#") {
			break
		}
		if c := strings.TrimSpace(strings.TrimLeft(t, "#")); c != "" {
			block = append([]string{c}, block...)
		}
	}
	return strings.Join(block, " ")
}

// trailingComment returns the text of the comment that ends a line of
// TOML, outside strings, or "".
func trailingComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			if strings.TrimSpace(line[:i]) == "" {
				return "" // a comment line, not a trailing comment
			}
			return strings.TrimSpace(line[i+1:])
		}
	}
	return ""
}

// keyUnits are the units of the scenario keys, as scenarios/FORMAT.md
// gives them; a key whose value is a pure number, a name or a flag maps
// to "". TestAssumptionUnits checks that every key of the built-in
// scenarios is here.
var keyUnits = map[string]string{
	// [simulation], [sampling]
	"paths": "", "seed": "", "horizon_years": "years", "steps_per_year": "per year",
	"antithetic": "", "demand_shift": "", "macro_shift": "", "revenue_shift": "", "regime_tilt": "",
	"arrival_tilt": "", "window_years": "years", "macro_window_years": "years",
	// [funding]
	"initial": "", "round_rate_multiplier": "", "valuation_multiplier": "", "capacity_per_year": "USD bn/year",
	"credit_limit_cut": "share", "credit_spread_add": "per year", "equity_market_cut": "share",
	"regime": "", "start_years": "years", "duration_years": "years",
	// [demand], [macro], [recovery]
	"mean_reversion": "per year", "volatility": "per √year", "mean": "share", "demand_slope": "",
	"concentration": "",
	// customers
	"cash": "USD bn", "revenue": "USD bn/year", "growth_initial": "per year", "growth_long_run": "per year",
	"growth_half_life_years": "years", "demand_loading": "", "idio_volatility": "per √year",
	"idio_distribution": "", "idio_dof": "", "fixed_cost": "USD bn/year", "fixed_cost_growth": "per year",
	"variable_cost_share": "share of revenue", "cash_flow_volatility": "USD bn/√year",
	"liquidation_value": "USD bn", "liquidation_revenue_multiple": "× revenue",
	"runway_years": "years", "cost_cut": "share", "haircut": "share",
	"round_rate": "rounds/year", "runway_threshold_years": "years", "urgency_multiplier": "",
	"revenue_multiple": "× revenue", "size_volatility": "", "target_runway_years": "years",
	"performance_elasticity": "", "plan_shortfall": "per year",
	// providers and suppliers
	"backlog": "USD bn", "operating_cash_flow": "USD bn/year", "operating_cash_flow_growth": "per year",
	"debt": "USD bn", "margin": "share", "stranded_share": "share", "capex": "USD bn by year",
	"leases": "USD bn by year", "maturities": "USD bn by year", "interest_rate": "per year",
	"max_leverage": "years of operating cash flow", "backlog_advance": "share", "spread": "per year",
	"equity_per_year": "USD bn/year", "annual_default_probability": "per year", "correlation": "",
	"loss_given_default": "share", "funding_sensitivity": "", "capex_backlog_share": "share",
	"capex_deferrable_share": "share", "cut_exemption": "share",
	// contracts, backers, tranches, stakes
	"name": "", "payer": "", "payee": "", "value": "USD bn", "term_years": "years", "profile": "",
	"backer": "", "lab": "", "annual_limit": "USD bn/year", "customer": "", "holder": "",
	"revenue_share": "share of revenue", "revenue_share_cap": "USD bn", "revenue_share_end_years": "years",
	"investor": "", "amount": "USD bn", "expiry_years": "years", "min_performance": "revenue / plan",
	"schedule": "", "description": "", "regimes": "",
}

// BaseValue returns the value in the scenario of the numeric key at path
// (as in Parameter.Key), and whether there is one.
func (s *Scenario) BaseValue(path string) (float64, bool) {
	if s.root == nil {
		return 0, false
	}
	return numberAt(s.root, path)
}
