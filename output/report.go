package output

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

//go:embed report.html.tmpl
var reportTemplateText string

var reportTemplate = template.Must(template.Must(template.New("report").Parse(reportTemplateText)).Parse(attributionTemplateText))

// Report returns DIR/report.html: one self-contained HTML file with the
// scenario's name and description, the run settings, the summary tables
// with Monte Carlo standard errors, every chart (as inline SVG) and the
// scenario's assumptions: a table of its values with their sources, the
// bands of its uncertain parameters and the resolved scenario file, folded
// away. It uses no scripts and no external resources, so it opens in a
// browser from disk. charts are normally Charts(res). The bytes depend
// only on the arguments.
func Report(res *sim.Results, charts []Chart, sc ScenarioText) ([]byte, error) {
	if res == nil || res.Model == nil {
		return nil, errors.New("output: report: no results")
	}
	sum := res.Summary
	d := reportData{
		Name:         sum.Scenario,
		Description:  res.Model.Description,
		Seed:         sum.Seed,
		Paths:        sum.Paths,
		Horizon:      fmtShort(sum.HorizonYears),
		StepsPerYear: sum.StepsPerYear,
		Resolved:     sc.Resolved,
		Assumptions:  newAssumptionRows(sc.Assumptions),
		Bands:        newBandRows(sc.Bands),
		NumCharts:    len(charts),
		Sampling:     samplingText(sum.Sampling),
		Warning:      SmallSampleWarning(sum),
		Findings:     Findings(sum),
	}
	if d.Name == "" {
		d.Name = res.Model.Name
	}
	for _, r := range res.Model.Funding.Regimes {
		d.Regimes = append(d.Regimes, r.Name)
	}
	for _, f := range sum.Providers {
		d.Providers = append(d.Providers, newFirmRow(f))
	}
	for _, f := range sum.Suppliers {
		d.Suppliers = append(d.Suppliers, newFirmRow(f))
	}
	d.YearLabels = yearLabels(sum.HorizonYears)
	for _, c := range sum.Customers {
		d.Customers = append(d.Customers, newCustomerRow(c, len(d.YearLabels)))
	}
	d.Survivors = survivorRows(sum.Survivors)
	sections, err := chartSections(charts)
	if err != nil {
		return nil, err
	}
	d.Sections = sections
	d.Attribution = newAttribution(sum)
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("output: report: %w", err)
	}
	return buf.Bytes(), nil
}

type reportData struct {
	Name, Description string
	Seed              uint64
	Paths             int
	Horizon           string
	StepsPerYear      int
	Sampling, Warning string
	Findings          []string
	Regimes           []string
	Providers         []firmRow
	Suppliers         []firmRow
	YearLabels        []string
	Customers         []customerRow
	Survivors         []survivorRow
	Sections          []chartSection
	NumCharts         int
	Resolved          string
	Assumptions       []assumptionRow
	Bands             []bandRow
	// Attribution is the sections on why the loss happens (nil if the run
	// measured none of it).
	Attribution *attributionData
}

// firmRow is one line of the providers' or suppliers' table, formatted.
type firmRow struct {
	Name, Backlog, OCF                  string
	MeanLost, VaR99, ES99, PFromDefault string
	EconMean, EconES99, PDefault        string
}

func newFirmRow(f sim.FirmSummary) firmRow {
	k := tailIndex()
	b, e := f.BacklogLost, f.EconomicLoss
	return firmRow{
		Name:         f.Name,
		Backlog:      fmtShort(f.Backlog),
		OCF:          fmtShort(f.OperatingCashFlow),
		MeanLost:     pm(b.Mean, b.MeanStdErr),
		VaR99:        pm(b.VaR[k], b.VaRStdErr[k]),
		ES99:         pm(b.ES[k], b.ESStdErr[k]),
		PFromDefault: pmPct(f.LossFromDefaultProbability),
		EconMean:     pm(e.Mean, e.MeanStdErr),
		EconES99:     pm(e.ES[k], e.ESStdErr[k]),
		PDefault:     pmPct(f.DefaultProbability),
	}
}

// customerRow is one line of the customers' table, formatted.
type customerRow struct {
	Name, PDefault, Raised, AnyRound, Support string
	ByYear                                    []string
}

func newCustomerRow(c sim.CustomerSummary, years int) customerRow {
	r := customerRow{
		Name:     c.Name,
		PDefault: pmPct(c.DefaultProbability),
		Raised:   pm(c.FundingRaised.Mean, c.FundingRaised.MeanStdErr),
		AnyRound: pmPct(c.ProbabilityAnyRound),
		Support:  pm(c.BackerSupport.Mean, c.BackerSupport.MeanStdErr),
	}
	for k := range years {
		if k < len(c.DefaultProbabilityByYear) {
			r.ByYear = append(r.ByYear, pmPct(c.DefaultProbabilityByYear[k]))
		} else {
			r.ByYear = append(r.ByYear, "")
		}
	}
	return r
}

// yearLabels names the columns of sim.CustomerSummary.DefaultProbabilityByYear.
func yearLabels(horizon float64) []string {
	years := int(math.Ceil(horizon - 1e-9))
	var out []string
	for k := 1; k <= years; k++ {
		out = append(out, "by "+fmtShort(math.Min(float64(k), horizon))+" y")
	}
	return out
}

// pm formats an estimate with its standard error.
func pm(v, se float64) string { return fmtNum(v) + " ± " + fmtSE(se) }

// pmPct formats a probability with its standard error, in percent.
func pmPct(p mcstat.ProportionStats) string {
	return strings.TrimSuffix(fmtPct(p.P), "%") + " ± " + fmtSE(100*p.StdErr) + "%"
}

// fmtSE formats a standard error to two significant digits.
func fmtSE(se float64) string {
	if se == 0 || math.IsNaN(se) || math.IsInf(se, 0) {
		return fmtNum(se)
	}
	d := max(0, 1-int(math.Floor(math.Log10(math.Abs(se)))))
	if d > 8 {
		return fmt.Sprintf("%.1e", se)
	}
	return fmt.Sprintf("%.*f", d, se)
}

type chartSection struct {
	ID, Title, Note string
	Charts          []chartFigure
}

type chartFigure struct {
	Name, Title string
	SVG         template.HTML
}

// chartGroups assigns charts to report sections by name prefix, in the
// order of the sections.
var chartGroups = []struct{ prefix, id, title, note string }{
	{"network", "network", "Exposure network",
		"Who owes whom: labs, providers and suppliers linked by their contracts."},
	{"exceedance-", "exceedance", "Exceedance curves",
		"P(loss > x) on a log scale: the further right and higher a curve, the heavier that firm's tail."},
	{"loss-backlog-", "loss-backlog", "Loss distribution: backlog lost",
		"Backlog lost is the contract value still to come from counterparties that defaulted, plus the defaulted part of the diversified pool."},
	{"loss-economic-", "loss-economic", "Loss distribution: economic loss",
		"Economic loss is what those defaults cost the firm after margin, stranded costs and recovery from re-marketing the capacity."},
	{"compare-", "comparison", "Provider comparison",
		"Per-path backlog lost scaled by each firm's size: its backlog, and its annual operating cash flow."},
	{"survival", "survival", "Customer survival",
		"Probability that each lab has not defaulted, by month."},
	{"cash-", "cash", "Cash fan charts",
		"Median and 25–75% and 5–95% bands of each lab's cash over time."},
	{"funding-", "funding", "Funding regime",
		"Share of paths in each state of the venture-funding market."},
	{"lost-by-", "lost-by", "Who drives the loss",
		"Backlog lost by the counterparty that caused it, on average and on average in the worst 1% of paths."},
	{"convergence-", "convergence", "Convergence",
		"Each estimate on the run's first n paths, from a few hundred to all of them, with its 95% confidence band: where the line is flat and the band narrow, more paths would change little (run --precision adds paths until a target is met)."},
}

func chartSections(charts []Chart) ([]chartSection, error) {
	var sections []chartSection
	index := map[string]int{}
	for _, c := range charts {
		id, title, note := "other", "Other charts", ""
		for _, g := range chartGroups {
			if strings.HasPrefix(c.Name, g.prefix) {
				id, title, note = g.id, g.title, g.note
				break
			}
		}
		svg, err := inlineSVG(c)
		if err != nil {
			return nil, err
		}
		i, ok := index[id]
		if !ok {
			i = len(sections)
			index[id] = i
			sections = append(sections, chartSection{ID: id, Title: title, Note: note})
		}
		sections[i].Charts = append(sections[i].Charts, chartFigure{Name: c.Name, Title: c.Title, SVG: svg})
	}
	// Keep the sections in chartGroups order whatever the order of charts.
	order := func(id string) int {
		for k, g := range chartGroups {
			if g.id == id {
				return k
			}
		}
		return len(chartGroups)
	}
	for i := 1; i < len(sections); i++ {
		for j := i; j > 0 && order(sections[j].ID) < order(sections[j-1].ID); j-- {
			sections[j], sections[j-1] = sections[j-1], sections[j]
		}
	}
	return sections, nil
}

// inlineSVG renders c as SVG for inclusion in HTML: without the XML
// prolog and comment, labelled for screen readers. The SVG is generated by
// gonum/plot, which escapes all text it draws.
func inlineSVG(c Chart) (template.HTML, error) {
	b, err := renderSVG(c)
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("output: chart %q: no <svg> element", c.Name)
	}
	s = s[i:]
	attrs := fmt.Sprintf(`<svg id="svg-%s" class="chart" role="img" aria-label="%s" `, html.EscapeString(c.Name), html.EscapeString(c.Title))
	s = attrs + strings.TrimPrefix(s, "<svg ")
	return template.HTML(s), nil // #nosec: generated by gonum/plot, text escaped
}
