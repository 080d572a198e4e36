package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// mergeOptions are the settings of "backlogsim merge".
type mergeOptions struct {
	Shards  []string
	Out     string
	Force   bool
	Workers workersFlag
	Quiet   bool
	NoPlots bool
}

// mergeUsage is the help of "backlogsim merge", before its flags.
const mergeUsage = `Usage: backlogsim merge SHARD... [flags]

Merges the shard files that "backlogsim run|compare|batch|sweep|sensitivity
-shard I/N" wrote into the outputs the command would have written in one
process; summary.json, compare.json, sweep.json and sensitivity.json (and
their CSV files, and a batch's index.csv) are byte-identical to it.
Every shard of the run must be given once; a missing, duplicate, corrupt,
truncated or foreign shard is an error and nothing is written.

Flags:
`

func cmdMerge(ctx context.Context, args []string, e env) error {
	var opts mergeOptions
	fs := newFlagSet("merge", mergeUsage)
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/NAME, or out/compare-BASE)")
	fs.BoolVar(&opts.Force, "force", false, "replace the output directory if it exists and is not empty")
	fs.TextVar(&opts.Workers, "workers", workersFlag{}, fmt.Sprintf("worker goroutines, 0 to %d (default 0: one per CPU); never changes results", sim.MaxWorkers))
	fs.BoolVar(&opts.Quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&opts.NoPlots, "no-plots", false, "skip the plots and HTML reports")
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return usageError{errors.New("merge: want the shard files to merge")}
	}
	opts.Shards = positional
	return merge(ctx, opts, e)
}

func merge(ctx context.Context, opts mergeOptions, e env) error {
	started := time.Now()
	h, order, err := readShardSet(opts.Shards)
	if err != nil {
		return usageError{err}
	}
	switch {
	case h.Command == "batch":
		return mergeBatch(ctx, opts, h, order, started, e)
	case isStudy(h.Command):
		return mergeStudy(ctx, opts, h, order, started, e)
	}
	scs, err := shardScenarios(h)
	if err != nil {
		return usageError{err}
	}
	if opts.Out == "" {
		opts.Out = filepath.Join("out", scs[0].Model.Name)
		if h.Command == "compare" {
			opts.Out = filepath.Join("out", "compare-"+h.Cases[0].Folder)
		}
	}
	if err := atomicdir.Check(opts.Out, opts.Force); err != nil {
		return err
	}
	mode := sim.ExactSummary
	if h.Summary == "streaming" {
		mode = sim.StreamingSummary
	}
	set := caseSettings{workers: opts.Workers.n, noPlots: opts.NoPlots, quiet: opts.Quiet, summary: mode}
	var models []*sim.Model
	for _, sc := range scs {
		models = append(models, sc.Model)
	}
	var pp *parameterPlan
	if h.Command == "run" && h.Study != "" {
		var sets []*sim.Model
		if pp, sets, err = parameterMerge(scs[0], scs[0].Model, h.Study); err != nil {
			return usageError{err}
		}
		models = append(models, sets...)
	}
	mergers, err := mergeStates(order, models, sim.Options{Workers: set.workerCount(), Summary: mode})
	if err != nil {
		return err
	}
	var outs []*caseOutput
	for k, sc := range scs {
		res, err := mergers[k].Results(ctx)
		if err != nil {
			return err
		}
		cs := set
		cs.label = h.Cases[k].Folder
		out, err := caseFiles(ctx, sc, res, cs, started, e)
		if err != nil {
			return err
		}
		outs = append(outs, out)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case h.Command == "compare":
		var runs []loadedRun
		for k, sc := range scs {
			runs = append(runs, loadedRun{sc: sc, folder: h.Cases[k].Folder})
		}
		return writeCompare(ctx, opts.Out, opts.Force, runs, outs, set, started, e)
	case pp != nil:
		return writeParameterRun(ctx, opts, pp, mergers[len(scs):], outs[0], started, e)
	default:
		return writeRun(ctx, opts.Out, opts.Force, outs[0], opts.Quiet, started, e)
	}
}

// mergeStates adds up the states of the shard files at order, in path
// order, for each of models (the shards' states in order) and returns
// their mergers. Memory holds the merged states and one shard.
func mergeStates(order []string, models []*sim.Model, opts sim.Options) ([]*sim.ShardMerger, error) {
	var mergers []*sim.ShardMerger
	for _, m := range models {
		sm, err := sim.NewShardMerger(m, opts)
		if err != nil {
			return nil, err
		}
		mergers = append(mergers, sm)
	}
	for _, path := range order {
		var states []*sim.Shard
		if _, err := readPart(path, &states); err != nil {
			return nil, err
		}
		if len(states) != len(models) {
			return nil, usageError{fmt.Errorf("merge: %s: %w: %d states for %d models", path, output.ErrCorruptShard, len(states), len(models))}
		}
		for k, st := range states {
			if err := mergers[k].Add(st); err != nil {
				return nil, usageError{fmt.Errorf("%s: %w", path, err)}
			}
		}
	}
	return mergers, nil
}

// writeParameterRun writes a run -parameter-sets whose scenario's outputs
// are out and whose parameter sets' states are in sets.
func writeParameterRun(ctx context.Context, opts mergeOptions, pp *parameterPlan, sets []*sim.ShardMerger, out *caseOutput, started time.Time, e env) error {
	sums := make([]sim.Summary, len(sets))
	for k, sm := range sets {
		res, err := sm.Results(ctx)
		if err != nil {
			return err
		}
		sums[k] = res.Summary
		sets[k] = nil // let the set's state go
	}
	bands, files, err := pp.finish(out.res.Summary, sums, opts.NoPlots)
	if err != nil {
		return err
	}
	for name, data := range files {
		out.files[name] = data
	}
	if err := writeRun(ctx, opts.Out, opts.Force, out, opts.Quiet, started, e); err != nil {
		return err
	}
	if !opts.Quiet {
		printBands(e, bands, output.HeadlineMetrics(pp.base))
	}
	return nil
}

// readShardSet reads the headers of the shard files at paths, checks that
// they are every shard of one run, once, and returns the common header and
// the paths in shard order.
func readShardSet(paths []string) (output.ShardHeader, []string, error) {
	var first output.ShardHeader
	byIndex := map[int]string{}
	for k, path := range paths {
		h, _, err := output.ReadShard(path, false)
		if err != nil {
			return first, nil, err
		}
		if k == 0 {
			first = h
		} else if err := sameRun(first, h); err != nil {
			return first, nil, fmt.Errorf("merge: %s and %s are shards of different runs: %w", paths[0], path, err)
		}
		if h.Command != "run" && h.Command != "compare" && h.Command != "batch" && !isStudy(h.Command) {
			return first, nil, fmt.Errorf("merge: %s: shard of command %q; this backlogsim merges run, compare, batch, sweep and sensitivity", path, h.Command)
		}
		if h.Index < 0 || h.Index >= h.Shards || len(h.Cases) == 0 {
			return first, nil, fmt.Errorf("merge: %s: shard %d of %d with %d cases", path, h.Index, h.Shards, len(h.Cases))
		}
		if isStudy(h.Command) || h.Command == "batch" {
			if f, n := itemRange(h.Items, h.Index, h.Shards); f != h.ItemFirst || n != h.ShardItems {
				return first, nil, fmt.Errorf("merge: %s: shard %d of %d holds runs from %d (%d runs); want from %d (%d runs)", path, h.Index, h.Shards, h.ItemFirst, h.ShardItems, f, n)
			}
		} else if f, n := sim.ShardRange(h.Paths, h.Index, h.Shards); f != h.First || n != h.ShardPaths {
			return first, nil, fmt.Errorf("merge: %s: shard %d of %d holds paths from %d (%d paths); want from %d (%d paths)", path, h.Index, h.Shards, h.First, h.ShardPaths, f, n)
		}
		if other, dup := byIndex[h.Index]; dup {
			return first, nil, fmt.Errorf("merge: %s and %s are both shard %d of %d", other, path, h.Index, h.Shards)
		}
		byIndex[h.Index] = path
	}
	var missing []string
	var order []string
	for i := range first.Shards {
		if p, ok := byIndex[i]; ok {
			order = append(order, p)
		} else {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	if len(missing) > 0 {
		if len(missing) > 20 {
			missing = append(missing[:20], "…")
		}
		return first, nil, fmt.Errorf("merge: missing %d of the %d shards: %s (rerun them with -shard I/%d)", first.Shards-len(byIndex), first.Shards, strings.Join(missing, ", "), first.Shards)
	}
	return first, order, nil
}

// sameRun reports how b's run differs from a's, if it does.
func sameRun(a, b output.ShardHeader) error {
	diff := func(what string, x, y any) error { return fmt.Errorf("%s %v and %v", what, x, y) }
	switch {
	case a.Command != b.Command:
		return diff("commands", a.Command, b.Command)
	case a.Version != b.Version:
		return diff("backlogsim versions", a.Version, b.Version)
	case a.Shards != b.Shards:
		return diff("shard counts", a.Shards, b.Shards)
	case a.Paths != b.Paths:
		return diff("paths", a.Paths, b.Paths)
	case a.Seed != b.Seed:
		return diff("seeds", a.Seed, b.Seed)
	case a.Summary != b.Summary:
		return diff("summaries", a.Summary, b.Summary)
	case len(a.Cases) != len(b.Cases):
		return diff("numbers of scenarios", len(a.Cases), len(b.Cases))
	case a.Items != b.Items || a.Study != b.Study:
		return fmt.Errorf("different %s settings (flags)", a.Command)
	}
	for k, c := range a.Cases {
		d := b.Cases[k]
		switch {
		case c.Scenario != d.Scenario || c.Folder != d.Folder:
			return diff("scenarios", c.Scenario, d.Scenario)
		case c.ModelSHA256 != d.ModelSHA256 || c.Resolved != d.Resolved || c.Sampling != d.Sampling:
			return fmt.Errorf("scenario %s: different models (model SHA-256 %.12s… and %.12s…)", c.Scenario, c.ModelSHA256, d.ModelSHA256)
		}
	}
	return nil
}

// shardScenarios rebuilds the scenarios of a shard header, with the
// paths, seed and sampling of the run, and checks that each model is the
// one the shards simulated.
func shardScenarios(h output.ShardHeader) ([]*scenarios.Scenario, error) {
	var out []*scenarios.Scenario
	for _, c := range h.Cases {
		sc, err := scenarios.LoadBytes(c.ScenarioSource, []byte(c.Resolved), nil)
		if err != nil {
			return nil, fmt.Errorf("merge: scenario %s in the shards: %w", c.Scenario, err)
		}
		sc.Source, sc.Hash, sc.Resolved = c.ScenarioSource, c.ScenarioSHA256, []byte(c.Resolved)
		m := sc.Model
		m.Paths, m.Seed, m.Sampling = h.Paths, h.Seed, c.Sampling
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("merge: scenario %s in the shards: %w", c.Scenario, err)
		}
		hash, err := output.ModelSHA256(m)
		if err != nil {
			return nil, err
		}
		if hash != c.ModelSHA256 {
			return nil, fmt.Errorf("merge: scenario %s: the model rebuilt from the shards differs from the one they simulated (SHA-256 %.12s…, want %.12s…)", c.Scenario, hash, c.ModelSHA256)
		}
		// The report takes each value's source from the comments of the
		// scenario files, which the resolved scenario in the shards lacks:
		// when the files are still there unchanged, use them, so that the
		// merged report is the single run's. Otherwise the sources are
		// left blank.
		if orig, err := scenarios.Load(c.ScenarioSource); err == nil && orig.Hash == c.ScenarioSHA256 && string(orig.Resolved) == c.Resolved {
			orig.Model = m
			sc = orig
		}
		out = append(out, sc)
	}
	return out, nil
}

// writeRun writes the outputs of one run to dir and prints its table.
func writeRun(ctx context.Context, dir string, force bool, out *caseOutput, quiet bool, started time.Time, e env) error {
	files, err := out.sealed()
	if err != nil {
		return err
	}
	if err := atomicdir.Write(ctx, dir, files, force); err != nil {
		return err
	}
	if !quiet {
		if err := output.WriteTable(e.stdout, out.res.Summary); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nWrote %s (%d files) in %.1fs.\n", dir, len(files), time.Since(started).Seconds())
	}
	return nil
}
