package output

import (
	"strconv"
	"strings"
)

// ScenarioText is what a run's report shows of its scenario: the resolved
// scenario file, its values as a table with their sources, and the bands
// of its uncertain parameters. The report takes them as given; package
// scenarios builds them (cmd/backlogsim copies them over).
type ScenarioText struct {
	// Resolved is the scenario exactly as it ran, in scenario-file syntax.
	Resolved string
	// Assumptions are its values, in the order of the scenario format.
	Assumptions []Assumption
	// Bands are the [uncertainty] section's parameters, by key.
	Bands []UncertainParameter
}

// Assumption is one value of the scenario: the entity it belongs to, its
// key, value and unit, and the source the scenario file gives for it.
type Assumption struct {
	Entity, Key, Value, Unit, Source string
}

// UncertainParameter is an uncertain parameter: its value in this run, the
// low and high values a tornado sets it to, its distribution and source.
type UncertainParameter struct {
	Key              string
	Value, Low, High float64
	Spec, Source     string
}

// assumptionRow is a row of the report's assumptions table; Entity is
// empty on every row of an entity but the first.
type assumptionRow struct {
	Entity, Key, Value, Unit, Source string
	Estimate                         bool
}

// bandRow is a row of the report's parameter bands table.
type bandRow struct {
	Key, Value, Low, High, Spec, Source string
}

func newAssumptionRows(as []Assumption) []assumptionRow {
	var out []assumptionRow
	prev := ""
	for _, a := range as {
		r := assumptionRow{Entity: a.Entity, Key: a.Key, Value: a.Value, Unit: a.Unit, Source: a.Source,
			Estimate: isEstimate(a.Source)}
		if a.Entity == prev {
			r.Entity = ""
		}
		prev = a.Entity
		out = append(out, r)
	}
	return out
}

func newBandRows(bs []UncertainParameter) []bandRow {
	var out []bandRow
	for _, b := range bs {
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		out = append(out, bandRow{Key: b.Key, Value: g(b.Value), Low: g(b.Low), High: g(b.High),
			Spec: b.Spec, Source: b.Source})
	}
	return out
}

// isEstimate reports whether a source says the value is the modeller's
// estimate rather than a published figure.
func isEstimate(source string) bool {
	return strings.HasPrefix(source, "estimate")
}
