package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
)

// batchOptions are the settings of "backlogsim batch". Zero Paths or an
// unset Seed keep each scenario's own; zero Workers means the number of
// CPUs.
type batchOptions struct {
	runFlags
	Inputs []string
	Out    string
}

func cmdBatch(ctx context.Context, args []string, e env) error {
	var opts batchOptions
	fs := flag.NewFlagSet("backlogsim batch", flag.ContinueOnError)
	fs.StringVar(&opts.Out, "out", "", "output `directory` (default: out/batch)")
	opts.register(fs, "each scenario's", "each scenario's plots and report")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: backlogsim batch FILE|DIR [FILE|DIR ...] [flags]

Runs every scenario (a TOML file, a built-in name, or a directory meaning
its *.toml files in name order), each into its own folder OUT/STEM, where
STEM is the file name without .toml, and writes OUT/index.csv and
OUT/index.html with every case's headline figures.

A batch that is interrupted and started again skips the cases already
complete: those whose folder holds summary.json and whose manifest.json
records the same scenario hash, seed and paths as would be run now.

Flags:
`)
		fs.PrintDefaults()
	}
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return usageError{errors.New("batch: want at least one scenario file or directory")}
	}
	opts.Inputs = positional
	if err := opts.check(); err != nil {
		return err
	}
	return batch(ctx, opts, e)
}

// batchCase is one scenario of a batch.
type batchCase struct {
	stem string
	sc   *scenarios.Scenario
}

// expandInputs turns the command line's files, directories and built-in
// names into scenario references, in order: a directory gives its *.toml
// files sorted by name.
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
			if !de.IsDir() && strings.HasSuffix(de.Name(), ".toml") {
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

func batch(ctx context.Context, opts batchOptions, e env) error {
	refs, err := expandInputs(opts.Inputs)
	if err != nil {
		return usageError{err}
	}
	// Load everything first: a bad scenario fails the batch before any
	// simulation.
	var cases []batchCase
	stems := map[string]string{}
	for _, ref := range refs {
		sc, err := scenarios.Load(ref)
		if err != nil {
			return usageError{err}
		}
		stem := strings.TrimSuffix(filepath.Base(ref), ".toml")
		if strings.HasPrefix(sc.Source, "builtin:") {
			stem = strings.TrimSuffix(strings.TrimPrefix(ref, "builtin:"), ".toml")
		}
		if prev, dup := stems[stem]; dup {
			return usageError{fmt.Errorf("batch: %s and %s would both write folder %s", prev, ref, stem)}
		}
		if stem == "" || stem == "." || stem == ".." || strings.HasPrefix(stem, ".") || strings.HasPrefix(stem, "index.") {
			return usageError{fmt.Errorf("batch: %s: cannot use %q as an output folder name", ref, stem)}
		}
		stems[stem] = ref
		m := sc.Model
		opts.apply(m)
		if err := m.Validate(); err != nil {
			return usageError{fmt.Errorf("%s: %w", sc.Source, err)}
		}
		cases = append(cases, batchCase{stem: stem, sc: sc})
	}
	if opts.Out == "" {
		opts.Out = filepath.Join("out", "batch")
	}
	if fi, err := os.Stat(opts.Out); err == nil && !fi.IsDir() {
		return usageError{fmt.Errorf("batch: %s exists and is not a directory", opts.Out)}
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("batch: %w", err)
	}

	var entries []output.BatchEntry
	var reports []bool
	ran, skipped := 0, 0
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		dir := filepath.Join(opts.Out, c.stem)
		done, err := caseComplete(dir, c.sc)
		if err != nil {
			return err
		}
		if done {
			skipped++
			if !opts.Quiet {
				fmt.Fprintf(e.stdout, "[%d/%d] %s: complete, skipped\n", i+1, len(cases), c.stem)
			}
		} else {
			out, err := simulateCase(ctx, c.sc, caseSettings{workers: opts.Workers, noPlots: opts.NoPlots, quiet: opts.Quiet, label: c.stem}, e)
			if err != nil {
				return err
			}
			if err := output.WriteDir(dir, out.files, true); err != nil {
				return err
			}
			ran++
			if !opts.Quiet {
				fmt.Fprintf(e.stdout, "[%d/%d] %s: %d paths, seed %d, wrote %s\n", i+1, len(cases), c.stem, c.sc.Model.Paths, c.sc.Model.Seed, dir)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		sum, err := output.ReadSummaryJSON(data)
		if err != nil {
			return fmt.Errorf("batch: %s: %w", dir, err)
		}
		entries = append(entries, output.BatchEntry{Case: c.stem, Summary: sum})
		_, rerr := os.Stat(filepath.Join(dir, "report.html"))
		reports = append(reports, rerr == nil)
	}
	csv, err := output.BatchIndexCSV(entries)
	if err != nil {
		return err
	}
	html, err := output.BatchIndexHTML(entries, reports)
	if err != nil {
		return err
	}
	if err := output.WriteFileAtomic(filepath.Join(opts.Out, "index.csv"), csv); err != nil {
		return err
	}
	if err := output.WriteFileAtomic(filepath.Join(opts.Out, "index.html"), html); err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(e.stdout, "Batch of %d: %d run, %d already complete; index in %s\n", len(cases), ran, skipped, filepath.Join(opts.Out, "index.html"))
	}
	return nil
}

// caseComplete reports whether dir holds a complete run of sc as it would
// be run now: a summary.json (whole, since folders are written atomically)
// and a manifest.json with the same scenario hash, seed and paths.
func caseComplete(dir string, sc *scenarios.Scenario) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("batch: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return false, nil // no manifest: rerun
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return false, nil // unreadable manifest: rerun
	}
	return m.ScenarioSHA256 == sc.Hash && m.Seed == sc.Model.Seed && m.Paths == sc.Model.Paths, nil
}
