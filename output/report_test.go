package output

import (
	"bytes"
	"encoding/xml"
	"html"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

const testResolved = `name = "plots-test"
description = "A <small> & fixed world"
seed = 7
paths = 500
`

// testScenario is what the test reports show of their scenario.
var testScenario = ScenarioText{
	Resolved: testResolved,
	Assumptions: []Assumption{
		{Entity: "simulation", Key: "paths", Value: "500", Source: "set on the command line"},
		{Entity: "simulation", Key: "seed", Value: "7"},
		{Entity: "lab-a", Key: "cash", Value: "10", Unit: "USD bn", Source: "calibration: the <2026> filing"},
		{Entity: "lab-a", Key: "funding.round_rate", Value: "1.5", Unit: "rounds/year", Source: "estimate: about 1.5 a year"},
	},
	Bands: []UncertainParameter{{Key: "customers.lab-a.cash", Value: 10, Low: 8, High: 12.5, Spec: "range", Source: "estimate: ±20%"}},
}

func buildReport(t *testing.T, res *sim.Results) ([]Chart, []byte) {
	t.Helper()
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Report(res, charts, testScenario)
	if err != nil {
		t.Fatal(err)
	}
	return charts, b
}

// parseStrict parses the whole report as XML (the template writes
// well-formed XHTML-compatible HTML5) and returns the ids of its elements
// and the number of elements by name.
func parseStrict(t *testing.T, doc []byte) (ids map[string]bool, count map[string]int) {
	t.Helper()
	const doctype = "<!DOCTYPE html>"
	if !bytes.HasPrefix(doc, []byte(doctype)) {
		t.Fatalf("report does not start with %s", doctype)
	}
	dec := xml.NewDecoder(bytes.NewReader(doc[len(doctype):]))
	dec.Strict = true
	ids, count = map[string]bool{}, map[string]int{}
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			t.Fatalf("report is not well formed (line %d): %v", line+1, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Local != "html" {
					t.Errorf("root element %q", tok.Name.Local)
				}
			}
			depth++
			count[tok.Name.Local]++
			for _, a := range tok.Attr {
				if a.Name.Local == "id" {
					if ids[a.Value] {
						t.Errorf("duplicate id %q", a.Value)
					}
					ids[a.Value] = true
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Errorf("%d root elements, depth %d at the end", roots, depth)
	}
	return ids, count
}

func TestReport(t *testing.T) {
	res, sum := plotsRun(t)
	charts, doc := buildReport(t, res)
	s := string(doc)
	ids, count := parseStrict(t, doc)

	// Every chart is inlined as an SVG that parses on its own.
	if count["svg"] != len(charts) {
		t.Errorf("%d <svg> elements for %d charts", count["svg"], len(charts))
	}
	for _, c := range charts {
		if !ids["chart-"+c.Name] || !ids["svg-"+c.Name] {
			t.Errorf("chart %s missing", c.Name)
		}
	}
	svgRe := regexp.MustCompile(`(?s)<svg .*?</svg>`)
	svgs := svgRe.FindAllString(s, -1)
	if len(svgs) != len(charts) {
		t.Errorf("found %d SVG blocks, want %d", len(svgs), len(charts))
	}
	// Sections order the charts by group: find each by its id.
	byName := map[string]Chart{}
	for _, c := range charts {
		byName[c.Name] = c
	}
	idRe := regexp.MustCompile(`^<svg id="svg-([^"]+)"`)
	for _, block := range svgs {
		m := idRe.FindStringSubmatch(block)
		if m == nil {
			t.Errorf("inlined SVG without an id: %.60q", block)
			continue
		}
		c, ok := byName[m[1]]
		if !ok {
			t.Errorf("inlined SVG %s is no chart", m[1])
			continue
		}
		if err := checkSVG([]byte(block), c); err != nil {
			t.Errorf("inlined %s: %v", c.Name, err)
		}
	}

	// Every table, with its headers.
	for _, id := range []string{"settings", "table-providers", "table-suppliers", "table-customers", "how-to-read", "scenario", "description"} {
		if !ids[id] {
			t.Errorf("no element with id %q", id)
		}
	}
	for _, h := range []string{"Mean backlog lost", "VaR 99%", "ES 99%", "P(loss from a default)", "Mean economic loss", "Economic ES 99%", "P(default)", "P(default) by 1 y", "P(default) by 3 y", "Mean funding raised", "P(any round)", "Seed", "Paths", "Horizon"} {
		if !strings.Contains(s, "<th>"+h+"</th>") && !strings.Contains(s, `<th class="name">`+h+"</th>") {
			t.Errorf("no table header %q", h)
		}
	}
	// Standard errors are shown.
	if n := strings.Count(s, " ± "); n < 3*(len(sum.Providers)+len(sum.Suppliers)) {
		t.Errorf("only %d ± in the report", n)
	}

	// Names, description, settings and the resolved scenario, escaped.
	var names []string
	for _, f := range append(append([]sim.FirmSummary{}, sum.Providers...), sum.Suppliers...) {
		names = append(names, f.Name)
	}
	for _, c := range sum.Customers {
		names = append(names, c.Name)
	}
	for _, n := range names {
		if !strings.Contains(s, `<td class="name">`+html.EscapeString(n)+"</td>") {
			t.Errorf("no table row for %q", n)
		}
	}
	for _, want := range []string{
		html.EscapeString(res.Model.Description),
		"<td>7</td>", "<td>500</td>", "<td>3 years, 12 steps per year</td>",
		"description = &#34;A &lt;small&gt; &amp; fixed world&#34;",
		"Start_Up.DC",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}

	// Self-contained: no scripts, no external references.
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "@import", "url("} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	rest := strings.NewReplacer(`xmlns="http://www.w3.org/2000/svg"`, "", `xmlns:xlink="http://www.w3.org/1999/xlink"`, "").Replace(s)
	if strings.Contains(rest, "http://") || strings.Contains(rest, "https://") {
		i := max(strings.Index(rest, "http://"), strings.Index(rest, "https://"))
		t.Errorf("report refers to the network: %q", rest[max(0, i-40):min(len(rest), i+40)])
	}

	// Deterministic.
	_, doc2 := buildReport(t, res)
	if !bytes.Equal(doc, doc2) {
		t.Error("two reports of the same run differ")
	}
	if len(doc) > 8<<20 {
		t.Errorf("report of %d bytes", len(doc))
	}
}

func TestReportFixedAndEmpty(t *testing.T) {
	res := fixedResults()
	_, doc := buildReport(t, res)
	parseStrict(t, doc)
	if !strings.Contains(string(doc), "Start &amp; Up DC") {
		t.Error("escaped provider name missing")
	}

	// No charts: still a valid report with the tables.
	b, err := Report(res, nil, ScenarioText{})
	if err != nil {
		t.Fatal(err)
	}
	_, count := parseStrict(t, b)
	// The summary tables and the survivor ranking.
	if count["svg"] != 0 || count["table"] != 5 {
		t.Errorf("%d svg, %d tables", count["svg"], count["table"])
	}
	if _, err := Report(nil, nil, ScenarioText{}); err == nil {
		t.Error("nil results: no error")
	}
}

// TestReportAssumptions checks the assumptions table (entity shown once,
// sources escaped, estimates marked), the parameter bands and the resolved
// scenario folded in a <details>.
func TestReportAssumptions(t *testing.T) {
	_, doc := buildReport(t, fixedResults())
	s := string(doc)
	for _, want := range []string{
		`<td class="name">lab-a</td><td class="name">cash</td><td>10</td><td class="name">USD bn</td><td class="source">calibration: the &lt;2026&gt; filing</td>`,
		`<td class="name"></td><td class="name">funding.round_rate</td><td>1.5</td><td class="name">rounds/year</td><td class="source estimate">estimate: about 1.5 a year</td>`,
		`<td class="name">customers.lab-a.cash</td><td>10</td><td>8</td><td>12.5</td>`,
		`<details id="resolved-scenario">`,
		`description = &#34;A &lt;small&gt; &amp; fixed world&#34;`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %s", want)
		}
	}
	// The raw scenario is folded away: it comes after the tables, inside
	// the <details>.
	if i, j := strings.Index(s, `<details id="resolved-scenario">`), strings.Index(s, `<pre class="scenario">`); !(i >= 0 && j > i) {
		t.Errorf("resolved scenario at %d, <details> at %d; want it inside", j, i)
	}
	if n := strings.Count(s, `<td class="name">simulation</td>`); n != 1 {
		t.Errorf("entity simulation shown on %d rows; want only its first", n)
	}
}
