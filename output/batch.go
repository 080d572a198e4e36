package output

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"html/template"
	"maps"
	"math"
	"slices"
	"strconv"
)

// BatchEntry is one case of a batch run, as the index shows it: the name
// of its folder and its summary.json.
type BatchEntry struct {
	Case    string
	Summary *SummaryFile
}

// batchLevel is the tail level of the index's ES column.
const batchLevel = 0.99

// BatchIndexCSV returns index.csv of a batch: a tidy table of each case's
// headline figures under the header
//
//	case,scenario,paths,seed,kind,entity,measure,value,stderr
//
// with, for every provider and supplier, the measures backlog_lost_mean
// and backlog_lost_es99 (USD billions) and, for every customer,
// default_probability. Rows come in the order of entries, each case's
// providers, suppliers and customers in scenario order. Values are
// formatted with strconv.FormatFloat(v, 'g', -1, 64).
func BatchIndexCSV(entries []BatchEntry) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{"case", "scenario", "paths", "seed", "kind", "entity", "measure", "value", "stderr"}}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	key := LevelKey(batchLevel)
	for _, e := range entries {
		s := e.Summary
		if s == nil {
			return nil, fmt.Errorf("output: batch index: case %q has no summary", e.Case)
		}
		head := []string{e.Case, s.Scenario, strconv.Itoa(s.Paths), strconv.FormatUint(s.Seed, 10)}
		row := func(kind, entity, measure string, v, se float64) {
			rows = append(rows, append(slices.Clone(head), kind, entity, measure, num(v), num(se)))
		}
		for _, g := range []struct {
			kind  string
			firms map[string]FirmEntry
		}{{"provider", s.Providers}, {"supplier", s.Suppliers}} {
			for _, name := range byIndex(g.firms, func(f FirmEntry) int { return f.Index }) {
				f := g.firms[name]
				row(g.kind, name, "backlog_lost_mean", f.BacklogLost.Mean, f.BacklogLost.MeanStdErr)
				row(g.kind, name, "backlog_lost_es99", f.BacklogLost.ES[key], f.BacklogLost.ESStdErr[key])
			}
		}
		for _, name := range byIndex(s.Customers, func(c CustomerEntry) int { return c.Index }) {
			c := s.Customers[name]
			row("customer", name, "default_probability", c.DefaultProbability, c.DefaultProbabilityStdErr)
		}
	}
	for _, r := range rows {
		for _, v := range r[7:] {
			if f, err := strconv.ParseFloat(v, 64); err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
				return nil, fmt.Errorf("output: batch index: case %s: %s %s is %s", r[0], r[5], r[6], v)
			}
		}
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("output: batch index: %w", err)
	}
	return buf.Bytes(), nil
}

// byIndex returns the keys of m ordered by index, then name.
func byIndex[E any](m map[string]E, index func(E) int) []string {
	names := slices.Collect(maps.Keys(m))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(index(m[a]), index(m[b])), cmp.Compare(a, b))
	})
	return names
}

// BatchIndexHTML returns index.html of a batch: one self-contained page (no
// scripts, no external resources) with a table per kind of entity, one row
// per case linking to its folder's report.html (when it has one) and
// summary.json, one column per entity: mean and ES 99% of backlog lost for
// providers and suppliers, P(default) for customers, each with its Monte
// Carlo standard error. withReport[i] says whether entries[i] has a
// report.html.
func BatchIndexHTML(entries []BatchEntry, withReport []bool) ([]byte, error) {
	key := LevelKey(batchLevel)
	d := batchPage{}
	type col struct {
		name  string
		index int
	}
	columns := func(get func(*SummaryFile) map[string]int) []string {
		seen := map[string]int{}
		for _, e := range entries {
			for name, i := range get(e.Summary) {
				if _, ok := seen[name]; !ok {
					seen[name] = i
				}
			}
		}
		var cols []col
		for n, i := range seen {
			cols = append(cols, col{n, i})
		}
		slices.SortFunc(cols, func(a, b col) int { return cmp.Or(cmp.Compare(a.index, b.index), cmp.Compare(a.name, b.name)) })
		var out []string
		for _, c := range cols {
			out = append(out, c.name)
		}
		return out
	}
	firmIdx := func(m map[string]FirmEntry) map[string]int {
		out := map[string]int{}
		for n, f := range m {
			out[n] = f.Index
		}
		return out
	}
	for _, e := range entries {
		if e.Summary == nil {
			return nil, fmt.Errorf("output: batch index: case %q has no summary", e.Case)
		}
	}
	for _, g := range []struct {
		title string
		get   func(*SummaryFile) map[string]FirmEntry
	}{
		{"Providers: backlog lost, mean and ES 99% (USD bn)", func(s *SummaryFile) map[string]FirmEntry { return s.Providers }},
		{"Suppliers: backlog lost, mean and ES 99% (USD bn)", func(s *SummaryFile) map[string]FirmEntry { return s.Suppliers }},
	} {
		t := batchTable{Title: g.title, Columns: columns(func(s *SummaryFile) map[string]int { return firmIdx(g.get(s)) })}
		if len(t.Columns) == 0 {
			continue
		}
		for _, e := range entries {
			r := batchRow{Case: e.Case, Scenario: e.Summary.Scenario, Paths: e.Summary.Paths, Seed: e.Summary.Seed}
			for _, name := range t.Columns {
				f, ok := g.get(e.Summary)[name]
				if !ok {
					r.Cells = append(r.Cells, "")
					continue
				}
				r.Cells = append(r.Cells, fmt.Sprintf("%s ± %s / %s ± %s",
					fmtCompare(f.BacklogLost.Mean), fmtCompare(f.BacklogLost.MeanStdErr),
					fmtCompare(f.BacklogLost.ES[key]), fmtCompare(f.BacklogLost.ESStdErr[key])))
			}
			t.Rows = append(t.Rows, r)
		}
		d.Tables = append(d.Tables, t)
	}
	t := batchTable{Title: "Customers: probability of default within the horizon", Columns: columns(func(s *SummaryFile) map[string]int {
		out := map[string]int{}
		for n, c := range s.Customers {
			out[n] = c.Index
		}
		return out
	})}
	if len(t.Columns) > 0 {
		for _, e := range entries {
			r := batchRow{Case: e.Case, Scenario: e.Summary.Scenario, Paths: e.Summary.Paths, Seed: e.Summary.Seed}
			for _, name := range t.Columns {
				c, ok := e.Summary.Customers[name]
				if !ok {
					r.Cells = append(r.Cells, "")
					continue
				}
				r.Cells = append(r.Cells, fmtCompare(100*c.DefaultProbability)+"% ± "+fmtCompare(100*c.DefaultProbabilityStdErr)+"%")
			}
			t.Rows = append(t.Rows, r)
		}
		d.Tables = append(d.Tables, t)
	}
	for i, e := range entries {
		d.Cases = append(d.Cases, batchCase{Name: e.Case, Report: i < len(withReport) && withReport[i]})
	}
	var buf bytes.Buffer
	if err := batchTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("output: batch index: %w", err)
	}
	return buf.Bytes(), nil
}

type batchPage struct {
	Cases  []batchCase
	Tables []batchTable
}

type batchCase struct {
	Name   string
	Report bool
}

type batchTable struct {
	Title   string
	Columns []string
	Rows    []batchRow
}

type batchRow struct {
	Case, Scenario string
	Paths          int
	Seed           uint64
	Cells          []string
}

var batchTemplate = template.Must(template.New("batch").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="backlogsim" />
<title>backlogsim batch index</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #222; margin: 0; padding: 0 24px 48px; line-height: 1.45; font-size: 15px; }
main { max-width: 1200px; margin: 0 auto; }
h1 { font-size: 26px; margin: 24px 0 4px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #0072B2; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13.5px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; white-space: nowrap; }
th { background: #eef4f9; }
td.name, th.name { text-align: left; }
.tablewrap { overflow-x: auto; }
</style>
</head>
<body>
<main>
<h1>Batch index</h1>
<p>Headline figures of every case, read from each case's summary.json. ± is one Monte Carlo standard error.</p>
<ul>
{{range .Cases}}<li>{{.Name}}: {{if .Report}}<a href="{{.Name}}/report.html">report</a>, {{end}}<a href="{{.Name}}/summary.json">summary.json</a>, <a href="{{.Name}}/summary.csv">summary.csv</a></li>
{{end}}</ul>
{{range .Tables}}
<h2>{{.Title}}</h2>
<div class="tablewrap"><table>
<thead><tr><th class="name">case</th><th class="name">scenario</th><th>paths</th><th>seed</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><td class="name">{{.Case}}</td><td class="name">{{.Scenario}}</td><td>{{.Paths}}</td><td>{{.Seed}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
{{end}}
<footer>Generated by backlogsim. Self-contained: no scripts, no network resources.</footer>
</main>
</body>
</html>
`))
