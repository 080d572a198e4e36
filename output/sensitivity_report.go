package output

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
)

//go:embed sensitivity.html.tmpl
var sensitivityTemplateText string

var sensitivityTemplate = template.Must(template.New("sensitivity").Parse(sensitivityTemplateText))

// SensitivityReport returns sensitivity.html: one self-contained HTML file
// (no scripts, no external resources) with the uncertain parameters and
// their sources, each metric's tornado and Sobol indices as tables, and
// the charts (normally SensitivityCharts) as inline SVG. The bytes depend
// only on the arguments.
func SensitivityReport(s *Sensitivity, charts []Chart) ([]byte, error) {
	d := sensitivityData{S: s}
	for _, p := range s.Parameters {
		d.Params = append(d.Params, []string{p.Key, p.Spec, fmtShort(p.Low), fmtShort(p.High), p.Source})
	}
	svgs := map[string]template.HTML{}
	for _, c := range charts {
		svg, err := inlineSVG(c)
		if err != nil {
			return nil, err
		}
		svgs[c.Name] = svg
	}
	for _, m := range s.Metrics {
		sec := sensitivitySection{Metric: m.String(), Label: m.String()}
		label, f := metricLabel(m)
		sec.Label = label
		fmtV := func(v float64) string { return fmtShort(f * v) }
		if t := s.Tornado; t != nil {
			for _, tm := range t.Metrics {
				if tm.Metric != m.String() {
					continue
				}
				sec.Base = fmtV(tm.Base.Value) + " ± " + fmtV(tm.Base.StdErr)
				for _, b := range tm.Bars {
					sec.Bars = append(sec.Bars, []string{b.Parameter, fmtShort(b.LowValue), fmtShort(b.HighValue),
						fmtV(b.Low.Value), fmtV(b.LowDiff.Diff) + " ± " + fmtV(b.LowDiff.PairedStdErr),
						fmtV(b.High.Value), fmtV(b.HighDiff.Diff) + " ± " + fmtV(b.HighDiff.PairedStdErr), fmtV(b.Swing)})
				}
				sec.Tornado = svgs["tornado-"+slug(tm.Metric)]
			}
		}
		if sob := s.Sobol; sob != nil {
			for _, sm := range sob.Metrics {
				if sm.Metric != m.String() {
					continue
				}
				sec.Noise = noiseShare(sm)
				for _, ix := range sm.Indices {
					f, t := finiteInterval(ix.First), finiteInterval(ix.Total)
					sec.Indices = append(sec.Indices, []string{ix.Parameter,
						fmt.Sprintf("%.3f [%.3f, %.3f]", f.Value, f.Lo, f.Hi), fmt.Sprintf("%.3f [%.3f, %.3f]", t.Value, t.Lo, t.Hi)})
				}
				sec.Sobol = svgs["sobol-"+slug(sm.Metric)]
			}
		}
		d.Sections = append(d.Sections, sec)
	}
	var buf bytes.Buffer
	if err := sensitivityTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("output: sensitivity report: %w", err)
	}
	return buf.Bytes(), nil
}

type sensitivityData struct {
	S        *Sensitivity
	Params   [][]string // key, distribution, low, high, source
	Sections []sensitivitySection
}

type sensitivitySection struct {
	Metric, Label, Base, Noise string
	Bars, Indices              [][]string
	Tornado, Sobol             template.HTML
}
