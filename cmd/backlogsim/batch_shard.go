package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
)

// Sharded batches: shard I of N runs a contiguous range of the batch's
// cases (itemRange) and keeps each case's output folder, sealed with its
// manifest, in a shard file; merge checks that the files are every shard
// of one batch and writes every case folder and the index, as the batch
// run in one process would.

// batchStudy is what a batch's shards must share beyond their cases.
type batchStudy struct {
	NoPlots bool `json:"no_plots"`
}

// batchPart is one case's output folder in a batch shard.
type batchPart struct {
	Stem  string
	Files map[string][]byte
}

// batchShard runs shard opts.Shard of the batch of refs and writes its
// shard file.
func batchShard(ctx context.Context, opts batchOptions, refs []string, e env) error {
	if opts.Out == "" {
		opts.Out = defaultShardPath("batch", opts.Shard)
	}
	if err := output.CheckShardPath(opts.Out, opts.Force); err != nil {
		return usageError{err}
	}
	cases, err := planBatch(ctx, opts, refs)
	if err != nil {
		return err
	}
	h := output.ShardHeader{Command: "batch", Version: output.Version(), Index: opts.Shard.Index, Shards: opts.Shard.Count, Items: len(cases)}
	for _, c := range cases {
		sc, err := shardCase(c.sc, c.sc.Model, c.stem)
		if err != nil {
			return err
		}
		sc.Resolved = "" // the model's hash tells the cases apart; merge rebuilds nothing
		h.Cases = append(h.Cases, sc)
	}
	study, err := json.Marshal(batchStudy{NoPlots: opts.NoPlots})
	if err != nil {
		return err
	}
	h.Study = string(study)
	h.ItemFirst, h.ShardItems = itemRange(len(cases), opts.Shard.Index, opts.Shard.Count)
	var parts []batchPart
	for i, c := range cases[h.ItemFirst : h.ItemFirst+h.ShardItems] {
		out, err := simulateCase(ctx, c.sc, caseSettings{workers: opts.Workers.n, noPlots: opts.NoPlots, quiet: opts.Quiet, label: c.stem}, e)
		if err != nil {
			return err
		}
		files, err := out.sealed()
		if err != nil {
			return err
		}
		parts = append(parts, batchPart{Stem: c.stem, Files: files})
		if !opts.Quiet {
			fmt.Fprintf(e.stdout, "[%d/%d] %s: %d paths, seed %d\n", h.ItemFirst+i+1, len(cases), c.stem, c.sc.Model.Paths, c.sc.Model.Seed)
		}
	}
	if err := output.WriteShardBody(opts.Out, h, parts, opts.Force); err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(e.stdout, "Wrote shard %d/%d (%d of the batch's %d cases) to %s.\n", h.Index, h.Shards, h.ShardItems, len(cases), opts.Out)
	}
	return nil
}

// mergeBatch writes the case folders of the batch shards at order, whose
// common header is h, and the batch's index. A case folder holding files
// backlogsim did not write is refused, before anything is written, unless
// opts.Force.
func mergeBatch(ctx context.Context, opts mergeOptions, h output.ShardHeader, order []string, started time.Time, e env) error {
	if opts.Out == "" {
		opts.Out = filepath.Join("out", "batch")
	}
	if fi, err := os.Stat(opts.Out); err == nil && !fi.IsDir() {
		return usageError{fmt.Errorf("merge: %s exists and is not a directory", opts.Out)}
	}
	var errs []error
	for _, c := range h.Cases {
		dir := filepath.Join(opts.Out, c.Folder)
		folder, err := output.ReadFolder(dir)
		if err != nil {
			return err
		}
		if folder.State == output.FolderForeign && !opts.Force {
			errs = append(errs, fmt.Errorf("merge: %s holds something other than a backlogsim run (%s); move it away or use --force to replace it", dir, folder.Why))
		}
	}
	if len(errs) > 0 {
		return usageError{errors.Join(errs...)}
	}
	// Check every shard's cases before writing any folder.
	for _, path := range order {
		if _, err := readBatchPart(path, h); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	var entries []output.BatchEntry
	var reports []bool
	for _, path := range order {
		parts, err := readBatchPart(path, h)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := atomicdir.Write(ctx, filepath.Join(opts.Out, p.Stem), p.Files, true); err != nil {
				return err
			}
			sum, err := output.ReadSummaryJSON(p.Files[output.SummaryJSONFile])
			if err != nil {
				return fmt.Errorf("merge: %s: case %s: %w", path, p.Stem, err)
			}
			entries = append(entries, output.BatchEntry{Case: p.Stem, Summary: sum})
			_, report := p.Files[output.ReportFile]
			reports = append(reports, report)
		}
	}
	if err := writeBatchIndex(opts.Out, entries, reports); err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(e.stdout, "Merged %d shards: %d cases and the index in %s (%.1fs)\n", len(order), len(entries), filepath.Join(opts.Out, "index.html"), time.Since(started).Seconds())
	}
	return nil
}

// readBatchPart reads the cases of the batch shard at path and checks
// that they are the ones its header, and h, say it holds.
func readBatchPart(path string, h output.ShardHeader) ([]batchPart, error) {
	var parts []batchPart
	ph, err := readPart(path, &parts)
	if err != nil {
		return nil, err
	}
	if len(parts) != ph.ShardItems {
		return nil, usageError{fmt.Errorf("merge: %s: %w: %d cases, want %d", path, output.ErrCorruptShard, len(parts), ph.ShardItems)}
	}
	for j, p := range parts {
		if want := h.Cases[ph.ItemFirst+j].Folder; p.Stem != want {
			return nil, usageError{fmt.Errorf("merge: %s: %w: case %s where %s belongs", path, output.ErrCorruptShard, p.Stem, want)}
		}
		if _, ok := p.Files[output.SummaryJSONFile]; !ok {
			return nil, usageError{fmt.Errorf("merge: %s: %w: case %s has no %s", path, output.ErrCorruptShard, p.Stem, output.SummaryJSONFile)}
		}
	}
	return parts, nil
}
