package output

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/backlogsim/backlogsim/sim"
)

// WriteTrace writes the story of one path: its events (funding rounds,
// backer payments, tranches, distress and renegotiation, defaults) in
// order, then the state of the labs and of
// the firms at the end of every step.
func WriteTrace(w io.Writer, scenario string, tr *sim.PathTrace) error {
	fmt.Fprintf(w, "%s, path %d (weight %.6g)\n\nEvents:\n", scenario, tr.Path, tr.Weight)
	for _, ev := range traceEvents(tr) {
		fmt.Fprintf(w, "  %6.3f y  %s\n", ev.years, ev.text)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"step", "years", "regime", "D", "Y"}
	for _, c := range tr.Customers {
		head = append(head, c+" cash", c+" run-rate", c+" vs plan", c+" raised", c+" backed")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, st := range tr.Steps {
		row := []string{strconv.Itoa(st.Step), f3(st.Years), tr.Regimes[st.Regime], f2(st.Demand), f2(st.Macro)}
		for _, l := range st.Labs {
			cash := f1(l.Cash)
			if l.Defaulted {
				cash += " D"
			}
			row = append(row, cash, f1(l.RunRate), f2(l.RunRate/l.PlanRunRate), f1(l.Raised), f1(l.BackerSupport))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head = []string{"step", "years"}
	for _, f := range tr.Firms {
		head = append(head, f+" buffer", f+" lost", f+" pool")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, st := range tr.Steps {
		row := []string{strconv.Itoa(st.Step), f3(st.Years)}
		for _, f := range st.Firms {
			buf := f1(f.Buffer)
			if f.Defaulted {
				buf += " D"
			}
			row = append(row, buf, f1(f.BacklogLost), f1(f.PoolLost))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMoney in USD billions; D marks an entity in default; \"vs plan\" is the run-rate over the\ndeterministic growth path; \"lost\" is cumulative backlog lost, \"pool\" the part from the diversified pool.")
	return nil
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
func f3(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

type traceEvent struct {
	years float64
	text  string
}

// traceEvents lists what happened on the path, step by step: regime
// changes, rounds, backer payments, tranches, distress and renegotiation,
// defaults and the losses they caused.
func traceEvents(tr *sim.PathTrace) []traceEvent {
	var out []traceEvent
	prev := sim.TraceStep{Regime: -1}
	for _, st := range tr.Steps {
		start := st.Years - (tr.Steps[0].Years)
		if st.Regime != prev.Regime {
			out = append(out, traceEvent{start, "funding regime " + tr.Regimes[st.Regime]})
		}
		for i, l := range st.Labs {
			name := tr.Customers[i]
			if l.Raised > 0 {
				out = append(out, traceEvent{start, fmt.Sprintf("%s raises %.1f", name, l.Raised)})
			}
			if l.BackerSupport > 0 {
				out = append(out, traceEvent{start, fmt.Sprintf("%s's backers pay in %.1f", name, l.BackerSupport)})
			}
			if l.Tranches > 0 {
				out = append(out, traceEvent{start, fmt.Sprintf("%s receives %.1f of committed tranches", name, l.Tranches)})
			}
			wasDistressed := prev.Labs != nil && prev.Labs[i].Distressed
			switch {
			case l.Distressed && !wasDistressed:
				out = append(out, traceEvent{start, fmt.Sprintf("%s enters distress (cash %.1f): cuts costs from the next step", name, l.Cash)})
			case !l.Distressed && wasDistressed && !l.Defaulted:
				out = append(out, traceEvent{start, fmt.Sprintf("%s leaves distress (cash %.1f)", name, l.Cash)})
			}
			if l.Renegotiated {
				out = append(out, traceEvent{start, fmt.Sprintf("%s renegotiates its contracts", name)})
			}
			if l.Defaulted && (prev.Labs == nil || !prev.Labs[i].Defaulted) {
				out = append(out, traceEvent{start, fmt.Sprintf("%s DEFAULTS (cash %.1f)", name, l.Cash)})
			}
		}
		for _, l := range st.Losses {
			if l.BacklogLost == 0 && l.EconomicLoss > 0 {
				// A stake or a paid-in tranche: the holder loses what it
				// invested, and no backlog.
				out = append(out, traceEvent{start, fmt.Sprintf("%s writes off %.1f invested in %s",
					l.Payee, l.EconomicLoss, l.Payer)})
				continue
			}
			out = append(out, traceEvent{start, fmt.Sprintf("%s loses %.1f of backlog to %s's default (economic loss %.1f)",
				l.Payee, l.BacklogLost, l.Payer, l.EconomicLoss)})
		}
		for f, fs := range st.Firms {
			before := 0.0
			if prev.Firms != nil {
				before = prev.Firms[f].BacklogRenegotiated
			}
			if d := fs.BacklogRenegotiated - before; d > 0 {
				out = append(out, traceEvent{start, fmt.Sprintf("%s books %.1f of backlog renegotiated", tr.Firms[f], d)})
			}
			if fs.Defaulted && (prev.Firms == nil || !prev.Firms[f].Defaulted) {
				out = append(out, traceEvent{start, fmt.Sprintf("%s DEFAULTS (buffer %.1f)", tr.Firms[f], fs.Buffer)})
			}
		}
		prev = st
	}
	return out
}

// TraceCSV returns the trace as a tidy CSV: one row per step, entity and
// measure, with columns step, years, entity, measure, value. The entity
// "market" carries the regime (its index), demand and macro factors.
func TraceCSV(tr *sim.PathTrace) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	rec := func(st sim.TraceStep, entity, measure string, v float64) {
		_ = cw.Write([]string{strconv.Itoa(st.Step), strconv.FormatFloat(st.Years, 'g', -1, 64), entity, measure, strconv.FormatFloat(v, 'g', -1, 64)})
	}
	b := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	_ = cw.Write([]string{"step", "years", "entity", "measure", "value"})
	for _, st := range tr.Steps {
		rec(st, "market", "regime", float64(st.Regime))
		rec(st, "market", "demand", st.Demand)
		rec(st, "market", "macro", st.Macro)
		for i, l := range st.Labs {
			n := tr.Customers[i]
			rec(st, n, "cash", l.Cash)
			rec(st, n, "run_rate", l.RunRate)
			rec(st, n, "plan_run_rate", l.PlanRunRate)
			rec(st, n, "raised", l.Raised)
			rec(st, n, "backer_support", l.BackerSupport)
			rec(st, n, "tranches", l.Tranches)
			rec(st, n, "distressed", b(l.Distressed))
			rec(st, n, "renegotiated", b(l.Renegotiated))
			rec(st, n, "rounds", float64(l.Rounds))
			rec(st, n, "defaulted", b(l.Defaulted))
		}
		for f, fs := range st.Firms {
			n := tr.Firms[f]
			rec(st, n, "buffer", fs.Buffer)
			rec(st, n, "backlog_lost", fs.BacklogLost)
			rec(st, n, "economic_loss", fs.EconomicLoss)
			rec(st, n, "pool_lost", fs.PoolLost)
			rec(st, n, "backlog_renegotiated", fs.BacklogRenegotiated)
			rec(st, n, "defaulted", b(fs.Defaulted))
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// TraceChart draws the path: the labs' cash, the firms' buffers and their
// cumulative backlog lost against time, each series ending in a cross
// where its entity defaults.
func TraceChart(scenario string, tr *sim.PathTrace) (Chart, error) {
	years := make([]float64, len(tr.Steps))
	for s, st := range tr.Steps {
		years[s] = st.Years
	}
	panel := func(title, ylabel string, names []string, value func(st sim.TraceStep, k int) (float64, bool)) (*plot.Plot, error) {
		p := newPanel(title, "years", ylabel, true)
		p.Legend = *newLegend()
		for k, name := range names {
			pts := make(plotter.XYs, len(tr.Steps))
			var def plotter.XYs
			for s, st := range tr.Steps {
				v, d := value(st, k)
				pts[s] = plotter.XY{X: years[s], Y: v}
				if d && def == nil {
					def = plotter.XYs{pts[s]}
				}
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, fmt.Errorf("output: trace chart: %w", err)
			}
			l.Color, l.Dashes, l.Width = seriesColor(k), seriesDashes(k), vg.Points(1.4)
			p.Add(l)
			p.Legend.Add(name, l)
			if def != nil {
				sc, err := plotter.NewScatter(def)
				if err != nil {
					return nil, fmt.Errorf("output: trace chart: %w", err)
				}
				sc.Color, sc.Radius = seriesColor(k), vg.Points(5)
				sc.Shape = draw.CrossGlyph{}
				p.Add(sc)
			}
		}
		return p, nil
	}
	cash, err := panel("Labs' cash", "USD bn", tr.Customers, func(st sim.TraceStep, k int) (float64, bool) {
		return st.Labs[k].Cash, st.Labs[k].Defaulted
	})
	if err != nil {
		return Chart{}, err
	}
	buffers, err := panel("Firms' buffers", "USD bn", tr.Firms, func(st sim.TraceStep, k int) (float64, bool) {
		return st.Firms[k].Buffer, st.Firms[k].Defaulted
	})
	if err != nil {
		return Chart{}, err
	}
	lost, err := panel("Firms' backlog lost (cumulative)", "USD bn", tr.Firms, func(st sim.TraceStep, k int) (float64, bool) {
		return st.Firms[k].BacklogLost, st.Firms[k].Defaulted
	})
	if err != nil {
		return Chart{}, err
	}
	caption := fmt.Sprintf("Scenario %s, path %d (likelihood weight %.4g). A cross marks the step at which an entity defaults. "+
		"This is exactly the path the full run simulated: a path's random numbers depend only on the seed and its index.", scenario, tr.Path, tr.Weight)
	return compareFigure(fmt.Sprintf("trace-path-%d", tr.Path), fmt.Sprintf("The story of path %d", tr.Path),
		[]*plot.Plot{cash, buffers, lost}, 1, nil, caption), nil
}
