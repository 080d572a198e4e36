package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// Unpaired is an entity of a case that the base lacks. Compare pairs the
// runs' entities by name, so it has no difference to show for it; it is
// listed in the Comparison, not dropped silently.
type Unpaired struct {
	Case string `json:"case"`
	Kind string `json:"kind"` // provider, supplier or customer
	Name string `json:"name"`
}

// CheckComparable checks, before anything is simulated, what Compare
// would refuse afterwards: runs (the base first, named by names) must use
// plain Monte Carlo and the same seed, paths, horizon and steps, and every
// case must have every entity of the base, of the same kind. It returns
// the entities of cases that the base lacks.
func CheckComparable(names []string, models []*sim.Model) ([]Unpaired, error) {
	if len(models) < 2 || len(names) != len(models) {
		return nil, fmt.Errorf("output: compare: need a base and at least one case, got %d runs", len(models))
	}
	b := models[0]
	baseKinds := entityKinds(b)
	var unpaired []Unpaired
	for i, m := range models {
		is := m.Sampling.Importance
		switch {
		case m.Sampling.Antithetic || is.Active():
			return nil, fmt.Errorf("output: compare: %s uses antithetic or importance sampling; compare needs plain Monte Carlo (remove [sampling])", names[i])
		case m.Paths != b.Paths || m.Seed != b.Seed:
			return nil, fmt.Errorf("output: compare: %s has %d paths and seed %d, %s %d and %d; common random numbers need the same", names[i], m.Paths, m.Seed, names[0], b.Paths, b.Seed)
		case m.HorizonYears != b.HorizonYears || m.StepsPerYear != b.StepsPerYear:
			return nil, fmt.Errorf("output: compare: %s has horizon %v years at %d steps a year and %s %v at %d; want the same", names[i], m.HorizonYears, m.StepsPerYear, names[0], b.HorizonYears, b.StepsPerYear)
		}
		if i == 0 {
			continue
		}
		kinds := entityKinds(m)
		for name, kind := range baseKinds {
			if kinds[name] != kind {
				return nil, fmt.Errorf("output: compare: %s has no %s %q, which the base %s has; compare pairs entities by name", names[i], kind, name, names[0])
			}
		}
		for id := range sim.EntityID(m.NumEntities()) {
			name := m.EntityName(id)
			if _, ok := baseKinds[name]; !ok {
				unpaired = append(unpaired, Unpaired{Case: names[i], Kind: m.Kind(id).String(), Name: name})
			}
		}
	}
	return unpaired, nil
}

// entityKinds maps each entity of m to its kind.
func entityKinds(m *sim.Model) map[string]string {
	kinds := map[string]string{}
	for id := range sim.EntityID(m.NumEntities()) {
		kinds[m.EntityName(id)] = m.Kind(id).String()
	}
	return kinds
}
