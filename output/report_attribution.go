package output

import (
	_ "embed"
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

//go:embed report_attribution.html.tmpl
var attributionTemplateText string

// attributionData is the report's sections on why the loss happens: risk
// contributions, joint defaults and the tail anatomy. Every number is
// formatted; nil pieces are left out.
type attributionData struct {
	Contributions []contribTable
	Joint         *jointTable
	Anatomy       *anatomyTable
}

type contribTable struct {
	Loss, ES, Direct, Contagion string
	Rows                        []contribRow
}

type contribRow struct{ Source, Kind, Total, Direct, Contagion string }

type jointTable struct {
	Entities []string
	Rows     []jointRow
	Count    []string // P(k firms in default), k = 0…
}

type jointRow struct {
	Given string
	Cells []string
}

type anatomyTable struct {
	Losses []string
	Rows   []anatomyRow
}

type anatomyRow struct {
	Driver, All string
	Tail        []string
}

// newAttribution formats the attribution sections of sum, or returns nil
// if the run measured none of them.
func newAttribution(sum sim.Summary) *attributionData {
	d := &attributionData{}
	k := tailIndex()
	add := func(loss string, rc *sim.RiskContributions) {
		if rc == nil || !rc.Levels[k].Available {
			return
		}
		l := rc.Levels[k]
		t := contribTable{Loss: loss, ES: fmtShort(l.ES), Direct: pm(l.Direct.Value, l.Direct.StdErr), Contagion: pm(l.Contagion.Value, l.Contagion.StdErr)}
		for _, s := range l.Sources {
			t.Rows = append(t.Rows, contribRow{Source: s.Name, Kind: s.Kind, Total: pm(s.Total.Value, s.Total.StdErr),
				Direct: pm(s.Direct.Value, s.Direct.StdErr), Contagion: pm(s.Contagion.Value, s.Contagion.StdErr)})
		}
		d.Contributions = append(d.Contributions, t)
	}
	if sum.System != nil {
		add("System (all providers and suppliers)", sum.System.BacklogLostContributions)
	}
	for _, f := range append(append([]sim.FirmSummary(nil), sum.Providers...), sum.Suppliers...) {
		add(f.Name, f.BacklogLostContributions)
	}
	if jd := sum.JointDefaults; jd != nil {
		t := &jointTable{Entities: jd.Entities}
		for i, name := range jd.Entities {
			if !jd.Defined[i] {
				continue
			}
			r := jointRow{Given: fmt.Sprintf("%s (P = %s)", name, pmPct(jd.Joint[i][i]))}
			for j := range jd.Entities {
				if i == j {
					r.Cells = append(r.Cells, "")
					continue
				}
				r.Cells = append(r.Cells, pmPct(jd.Conditional[i][j]))
			}
			t.Rows = append(t.Rows, r)
		}
		for _, p := range jd.FirmsInDefault {
			t.Count = append(t.Count, pmPct(p))
		}
		d.Joint = t
	}
	if len(sum.TailAnatomy) > 0 {
		t := &anatomyTable{}
		for _, a := range sum.TailAnatomy {
			t.Losses = append(t.Losses, a.Loss)
		}
		for k, dr := range sum.TailAnatomy[0].Drivers {
			r := anatomyRow{Driver: dr.Name, All: fmtShort(dr.All.Value)}
			for _, a := range sum.TailAnatomy {
				r.Tail = append(r.Tail, fmtShort(a.Drivers[k].Tail.Value))
			}
			t.Rows = append(t.Rows, r)
		}
		d.Anatomy = t
	}
	if d.Contributions == nil && d.Joint == nil && d.Anatomy == nil {
		return nil
	}
	return d
}
