package output

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// AnatomyEntry is one loss's sim.TailAnatomy in a SummaryFile.
type AnatomyEntry struct {
	// Loss is a provider's or supplier's name, or "system".
	Loss    string        `json:"loss"`
	Drivers []DriverEntry `json:"drivers"`
}

// DriverEntry is one driver's mean over the worst 1% of paths of the loss
// and over all paths, with standard errors.
type DriverEntry struct {
	Name       string  `json:"name"`
	Tail       float64 `json:"tail"`
	TailStdErr float64 `json:"tail_stderr"`
	All        float64 `json:"all"`
	AllStdErr  float64 `json:"all_stderr"`
}

func newAnatomyEntries(as []sim.TailAnatomy) []AnatomyEntry {
	var out []AnatomyEntry
	for _, a := range as {
		e := AnatomyEntry{Loss: a.Loss, Drivers: []DriverEntry{}}
		for _, d := range a.Drivers {
			e.Drivers = append(e.Drivers, DriverEntry{Name: d.Name, Tail: d.Tail.Value, TailStdErr: d.Tail.StdErr, All: d.All.Value, AllStdErr: d.All.StdErr})
		}
		out = append(out, e)
	}
	return out
}

func tailAnatomies(es []AnatomyEntry) []sim.TailAnatomy {
	var out []sim.TailAnatomy
	for _, e := range es {
		a := sim.TailAnatomy{Loss: e.Loss}
		for _, d := range e.Drivers {
			a.Drivers = append(a.Drivers, sim.DriverStat{Name: d.Name,
				Tail: sim.Estimate{Value: d.Tail, StdErr: d.TailStdErr}, All: sim.Estimate{Value: d.All, StdErr: d.AllStdErr}})
		}
		out = append(out, a)
	}
	return out
}

func checkAnatomy(c *finiteChecker, es []AnatomyEntry) {
	for i, e := range es {
		for j, d := range e.Drivers {
			p := fmt.Sprintf("tail_anatomy[%d].drivers[%d].", i, j)
			c.check(p+"tail", d.Tail)
			c.check(p+"tail_stderr", d.TailStdErr)
			c.check(p+"all", d.All)
			c.check(p+"all_stderr", d.AllStdErr)
		}
	}
}
