package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/sim"
)

// traceOptions are the settings of "backlogsim trace".
type traceOptions struct {
	runFlags
	Scenario string
	// Path is the path to trace (-1: none); Worst > 0 lists the Worst
	// worst paths of Firm's loss instead.
	Path     int
	Worst    int
	Firm     string
	Economic bool
	Out      string
	Force    bool
	// The sampling flags override the scenario's [sampling], as in run: a
	// path depends on them.
	Sampling samplingFlags
}

// traceUsage is the help of "backlogsim trace", before its flags.
const traceUsage = "Usage: backlogsim trace [SCENARIO] -path N [flags]\n       backlogsim trace [SCENARIO] -worst K -firm NAME [flags]\n\n" +
	"Prints the story of one path step by step (regime, factors, each lab's\ncash, revenue, rounds and backer payments, each firm's buffer and losses,\n" +
	"defaults): exactly the path that \"backlogsim run\" simulates with the\nsame scenario, paths, seed and sampling. -worst lists the worst paths of a\nfirm's loss to trace.\n\nFlags:\n"

func cmdTrace(ctx context.Context, args []string, e env) error {
	var opts traceOptions
	fs := newFlagSet("trace", traceUsage)
	opts.register(fs, "the scenario's", "the chart")
	fs.IntVar(&opts.Path, "path", -1, "trace path `N` (from 0), exactly as the full run simulates it")
	fs.IntVar(&opts.Worst, "worst", 0, "list the `K` worst paths of -firm's loss (runs the full simulation)")
	fs.StringVar(&opts.Firm, "firm", "", "provider or supplier `NAME` (or \"system\") whose worst paths -worst lists")
	fs.BoolVar(&opts.Economic, "economic", false, "with -worst, rank by economic loss instead of backlog lost")
	fs.StringVar(&opts.Out, "out", "", "also write trace.txt, trace.csv and the chart to `directory`")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	opts.Sampling.register(fs, "as in run")
	var err error
	if opts.Scenario, err = parseScenario(fs, args, e); err != nil {
		return err
	}
	switch {
	case opts.Worst < 0:
		return usageError{fmt.Errorf("-worst: must be > 0, got %d", opts.Worst)}
	case opts.Worst > 0 && opts.Firm == "":
		return usageError{fmt.Errorf("-worst needs -firm NAME")}
	case opts.Worst > 0 && opts.Path >= 0:
		return usageError{fmt.Errorf("give -path or -worst, not both")}
	case opts.Worst == 0 && opts.Path < 0:
		return usageError{fmt.Errorf("give -path N or -worst K -firm NAME")}
	}
	return trace(ctx, opts, e)
}

func trace(ctx context.Context, opts traceOptions, e env) error {
	sc, err := loadRun(ctx, opts.Scenario, opts.runFlags, opts.Sampling)
	if err != nil {
		return err
	}
	m := sc.Model
	if opts.Worst > 0 {
		return listWorst(ctx, m, opts, e)
	}
	if opts.Path >= m.Paths {
		return usageError{fmt.Errorf("-path %d: the run has %d paths (0 to %d); set -paths", opts.Path, m.Paths, m.Paths-1)}
	}
	if opts.Out != "" {
		if err := atomicdir.Check(opts.Out, opts.Force); err != nil {
			return err
		}
	}
	tr, err := sim.TracePath(ctx, m, opts.Path)
	if err != nil {
		return err
	}
	if err := output.WriteTrace(e.stdout, m.Name, tr); err != nil {
		return err
	}
	if opts.Out == "" {
		return nil
	}
	files, err := traceFiles(m.Name, tr, opts.NoPlots)
	if err != nil {
		return err
	}
	return atomicdir.Write(ctx, opts.Out, files, opts.Force)
}

// traceFiles returns the files of a trace's output folder.
func traceFiles(scenario string, tr *sim.PathTrace, noPlots bool) (map[string][]byte, error) {
	var text bytesWriter
	if err := output.WriteTrace(&text, scenario, tr); err != nil {
		return nil, err
	}
	files := map[string][]byte{"trace.txt": text.b}
	var err error
	if files["trace.csv"], err = output.TraceCSV(tr); err != nil {
		return nil, err
	}
	if noPlots {
		return files, nil
	}
	chart, err := output.TraceChart(scenario, tr)
	if err != nil {
		return nil, err
	}
	rendered, err := output.RenderCharts([]output.Chart{chart})
	if err != nil {
		return nil, err
	}
	for name, data := range rendered {
		files[name] = data
	}
	return files, nil
}

type bytesWriter struct{ b []byte }

func (w *bytesWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// listWorst runs the full simulation and lists the worst paths of a loss.
func listWorst(ctx context.Context, m *sim.Model, opts traceOptions, e env) error {
	workers := sim.WorkersUsed(m.Paths, opts.Workers.n)
	res, err := sim.Simulate(ctx, m, sim.Options{Workers: workers})
	if err != nil {
		return err
	}
	worst, err := sim.WorstPaths(res, opts.Firm, opts.Economic, opts.Worst)
	if err != nil {
		return usageError{err}
	}
	measure := "backlog lost"
	if opts.Economic {
		measure = "economic loss"
	}
	fmt.Fprintf(e.stdout, "%s: the %d worst of %d paths by %s's %s (USD bn)\n\n", m.Name, len(worst), m.Paths, opts.Firm, measure)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rank\tpath\tloss\tweight\t")
	for k, w := range worst {
		fmt.Fprintf(tw, "%d\t%d\t%.2f\t%.4g\t\n", k+1, w.Path, w.X, w.W)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(worst) > 0 {
		fmt.Fprintf(e.stdout, "\nTrace one with: backlogsim trace %s -paths %d -seed %d -path %d\n", opts.Scenario, m.Paths, m.Seed, worst[0].Path)
	}
	return nil
}
