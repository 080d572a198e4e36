package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// batchOptions are the settings of "backlogsim batch". Unset Paths or
// Seed keep each scenario's own; zero Workers means the number of CPUs.
type batchOptions struct {
	runFlags
	Inputs []string
	Out    string
	Force  bool
	// Shard, when set, runs only shard I/N of the cases and writes their
	// outputs to a shard file.
	Shard shardFlag
}

// batchUsage is the help of "backlogsim batch", before its flags.
const batchUsage = `Usage: backlogsim batch FILE|DIR [FILE|DIR ...] [flags]

Runs every scenario (a TOML file, a built-in name, or a directory meaning
its *.toml files in name order, hidden files left out), each into its own
folder OUT/STEM, where STEM is the file name without .toml, and writes
OUT/index.csv and OUT/index.html with every case's headline figures.

A batch that is interrupted and started again skips the cases already
complete: those whose folder holds every file its manifest.json lists,
unchanged, and whose manifest records the same scenario hash, seed and
paths as would be run now. A folder holding anything else (files
backlogsim did not write) is refused unless --force is given.

Flags:
`

func cmdBatch(ctx context.Context, args []string, e env) error {
	var opts batchOptions
	fs := newFlagSet("batch", batchUsage)
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/batch)")
	fs.BoolVar(&opts.Force, "force", false, "replace case folders that hold something other than a backlogsim run")
	opts.register(fs, "each scenario's", "each scenario's plots and report")
	fs.Var(&opts.Shard, "shard", "run only shard `I/N` (0 <= I < N) of the cases and write their outputs to a shard file at -out; \"backlogsim merge\" writes the N shard files' case folders and the index (default -out: out/batch-shards/shard-I-of-N.shard)")
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return usageError{errors.New("batch: want at least one scenario file or directory")}
	}
	opts.Inputs = positional
	return batch(ctx, opts, e)
}

// batchCase is one scenario of a batch.
type batchCase struct {
	stem   string
	sc     *scenarios.Scenario
	dir    string
	folder *output.Folder // what dir held before the batch
}

// expandInputs turns the command line's files, directories and built-in
// names into scenario references, in order: a directory gives its *.toml
// files sorted by name, leaving out hidden ones (such as the ._x.toml
// files macOS leaves on foreign disks).
func expandInputs(inputs []string) ([]string, error) {
	var refs []string
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil || !fi.IsDir() {
			refs = append(refs, in) // a file or a built-in name: scenarios.Load decides
			continue
		}
		entries, err := os.ReadDir(in)
		if err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
		var files []string
		for _, de := range entries {
			if !de.IsDir() && strings.HasSuffix(de.Name(), ".toml") && !strings.HasPrefix(de.Name(), ".") {
				files = append(files, filepath.Join(in, de.Name()))
			}
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("batch: directory %s has no .toml files", in)
		}
		slices.Sort(files)
		refs = append(refs, files...)
	}
	return refs, nil
}

// caseStem returns the folder name of the scenario ref loaded as sc.
func caseStem(ref string, sc *scenarios.Scenario) (string, error) {
	stem := strings.TrimSuffix(filepath.Base(ref), ".toml")
	if strings.HasPrefix(sc.Source, "builtin:") {
		stem = strings.TrimSuffix(strings.TrimPrefix(ref, "builtin:"), ".toml")
	}
	if err := sim.CheckName(stem); err != nil || strings.HasPrefix(stem, "index.") {
		return "", fmt.Errorf("batch: %s: cannot use %q as an output folder name: a file name must give a scenario name (letters, digits, '-', '_', '.' not leading) and not start with index.", ref, stem)
	}
	return stem, nil
}

// planBatch loads every scenario and checks everything that could stop
// the batch midway: bad scenarios (all of them reported), folder names,
// memory, and case folders holding files backlogsim did not write.
func planBatch(ctx context.Context, opts batchOptions, refs []string) ([]batchCase, error) {
	scs, err := loadAll(ctx, refs)
	if err != nil {
		return nil, err
	}
	var cases []batchCase
	var errs []error
	stems := map[string]string{}
	for i, sc := range scs {
		ref := refs[i]
		stem, err := caseStem(ref, sc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := stems[strings.ToLower(stem)]; dup {
			errs = append(errs, fmt.Errorf("batch: %s and %s would both write folder %s", prev, ref, stem))
			continue
		}
		stems[strings.ToLower(stem)] = ref
		opts.apply(sc.Model)
		if err := sc.Model.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", sc.Source, err))
			continue
		}
		if err := checkResources(opts.runFlags, []runNeed{{sc.Model, sim.AutoSummary, !opts.NoPlots}}); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ref, err))
			continue
		}
		if opts.Shard.set { // the folders are written by merge, which checks them
			cases = append(cases, batchCase{stem: stem, sc: sc})
			continue
		}
		dir := filepath.Join(opts.Out, stem)
		folder, err := output.ReadFolder(dir)
		if err != nil {
			return nil, err
		}
		if folder.State == output.FolderForeign && !opts.Force {
			errs = append(errs, fmt.Errorf("batch: %s holds something other than a backlogsim run (%s); move it away or use --force to replace it", dir, folder.Why))
			continue
		}
		cases = append(cases, batchCase{stem: stem, sc: sc, dir: dir, folder: folder})
	}
	if len(errs) > 0 {
		return nil, usageError{errors.Join(errs...)}
	}
	return cases, nil
}

func batch(ctx context.Context, opts batchOptions, e env) error {
	refs, err := expandInputs(opts.Inputs)
	if err != nil {
		return usageError{err}
	}
	if opts.Shard.set {
		return batchShard(ctx, opts, refs, e)
	}
	if opts.Out == "" {
		opts.Out = filepath.Join("out", "batch")
	}
	if fi, err := os.Stat(opts.Out); err == nil && !fi.IsDir() {
		return usageError{fmt.Errorf("batch: %s exists and is not a directory", opts.Out)}
	}
	cases, err := planBatch(ctx, opts, refs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("batch: %w", err)
	}

	var entries []output.BatchEntry
	var reports []bool
	ran, skipped := 0, 0
	interrupted := func() error {
		if ran == 0 {
			return interruptedError{"nothing was written"}
		}
		return interruptedError{fmt.Sprintf("%d of %d cases written, index not updated; run the same batch again to finish", ran, len(cases))}
	}
	for i, c := range cases {
		if ctx.Err() != nil {
			return interrupted()
		}
		summaryJSON, hasReport, done, err := runBatchCase(ctx, opts, c, e)
		if err != nil {
			if ctx.Err() != nil {
				return interrupted()
			}
			return err
		}
		if done {
			skipped++
			if !opts.Quiet {
				fmt.Fprintf(e.stdout, "[%d/%d] %s: complete, skipped\n", i+1, len(cases), c.stem)
			}
		} else {
			ran++
			if !opts.Quiet {
				fmt.Fprintf(e.stdout, "[%d/%d] %s: %d paths, seed %d, wrote %s\n", i+1, len(cases), c.stem, c.sc.Model.Paths, c.sc.Model.Seed, c.dir)
			}
		}
		sum, err := output.ReadSummaryJSON(summaryJSON)
		if err != nil {
			return fmt.Errorf("batch: %s: %w", c.dir, err)
		}
		entries = append(entries, output.BatchEntry{Case: c.stem, Summary: sum})
		reports = append(reports, hasReport)
	}
	if err := writeBatchIndex(opts.Out, entries, reports); err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(e.stdout, "Batch of %d: %d run, %d already complete; index in %s\n", len(cases), ran, skipped, filepath.Join(opts.Out, "index.html"))
	}
	return nil
}

// runBatchCase skips c if its folder holds a complete run of it as it
// would be run now, and otherwise runs it and replaces the folder. It
// returns the case's summary.json and whether the folder has a report.
func runBatchCase(ctx context.Context, opts batchOptions, c batchCase, e env) (summaryJSON []byte, hasReport, skipped bool, err error) {
	if caseComplete(c.folder, c.sc) {
		data, err := os.ReadFile(filepath.Join(c.dir, output.SummaryJSONFile))
		if err != nil {
			return nil, false, false, fmt.Errorf("batch: %w", err)
		}
		_, hasReport = c.folder.Manifest.Files[output.ReportFile]
		return data, hasReport, true, nil
	}
	out, err := simulateCase(ctx, c.sc, caseSettings{workers: opts.Workers.n, noPlots: opts.NoPlots, quiet: opts.Quiet, label: c.stem}, e)
	if err != nil {
		return nil, false, false, err
	}
	// Look again: the folder may have changed while the case ran.
	now, err := output.ReadFolder(c.dir)
	if err != nil {
		return nil, false, false, err
	}
	if now.State == output.FolderForeign && !opts.Force {
		return nil, false, false, &atomicdir.ConflictError{Dir: c.dir, Msg: "now holds something other than a backlogsim run (" + now.Why + "); use --force to replace it"}
	}
	files, err := out.sealed()
	if err != nil {
		return nil, false, false, err
	}
	if err := atomicdir.Write(ctx, c.dir, files, true); err != nil {
		return nil, false, false, err
	}
	_, hasReport = out.files[output.ReportFile]
	return out.files[output.SummaryJSONFile], hasReport, false, nil
}

// caseComplete reports whether folder holds a complete run of sc as it
// would be run now: every file its manifest lists, unchanged, and the same
// scenario hash, seed and paths.
func caseComplete(folder *output.Folder, sc *scenarios.Scenario) bool {
	m := folder.Manifest
	return folder.State == output.FolderComplete &&
		m.ScenarioSHA256 == sc.Hash && m.Seed == sc.Model.Seed && m.Paths == sc.Model.Paths
}

// writeBatchIndex writes OUT/index.csv and OUT/index.html.
func writeBatchIndex(out string, entries []output.BatchEntry, reports []bool) error {
	csv, err := output.BatchIndexCSV(entries)
	if err != nil {
		return err
	}
	html, err := output.BatchIndexHTML(entries, reports)
	if err != nil {
		return err
	}
	if err := atomicdir.WriteFile(filepath.Join(out, "index.csv"), csv); err != nil {
		return err
	}
	return atomicdir.WriteFile(filepath.Join(out, "index.html"), html)
}
