package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// Sharded studies. A sweep or sensitivity analysis is many independent
// runs (sweep points, tornado parameters, Sobol cases), each addressed by
// its index alone: shard I of N computes a contiguous range of them
// (itemRange) and writes their results to a shard file, and merge joins
// the parts in order into exactly the study one process computes.

// itemRange returns the items [first, first+count) that shard index of
// shards computes of items units of work, as evenly as they divide. A
// shard gets none when there are more shards than items.
func itemRange(items, index, shards int) (first, count int) {
	lo, hi := index*items/shards, (index+1)*items/shards
	return lo, hi - lo
}

// metricNames returns the names of metrics, as -metrics takes them.
func metricNames(metrics []output.Metric) []string {
	var out []string
	for _, m := range metrics {
		out = append(out, m.String())
	}
	return out
}

// parseMetrics parses metric names for the model m.
func parseMetrics(m *sim.Model, names []string) ([]output.Metric, error) {
	var out []output.Metric
	for _, name := range names {
		mt, err := output.ParseMetric(m, name)
		if err != nil {
			return nil, err
		}
		out = append(out, mt)
	}
	return out, nil
}

// studyShard describes the study a shard file belongs to.
type studyShard struct {
	command string
	sc      *scenarios.Scenario
	paths   int
	seed    uint64
	study   any // the settings every shard shares, encoded as JSON
	items   int
}

// writeStudyShard writes shard sh of study s, whose part of the results is
// body, to path.
func writeStudyShard(s studyShard, sh shardFlag, body any, path string, force, quiet bool, e env) error {
	m, err := caseModel(s.sc, nil, s.paths, s.seed)
	if err != nil {
		return err
	}
	c, err := shardCase(s.sc, m, "")
	if err != nil {
		return err
	}
	study, err := json.Marshal(s.study)
	if err != nil {
		return err
	}
	first, count := itemRange(s.items, sh.Index, sh.Count)
	h := output.ShardHeader{
		Command: s.command, Version: output.Version(), Index: sh.Index, Shards: sh.Count,
		Paths: s.paths, Seed: s.seed, Cases: []output.ShardCase{c},
		Study: string(study), Items: s.items, ItemFirst: first, ShardItems: count,
	}
	if err := output.WriteShardBody(path, h, body, force); err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stdout, "Wrote shard %d/%d (%d of the %s's %d runs) to %s.\n", sh.Index, sh.Count, count, s.command, s.items, path)
	}
	return nil
}

// isStudy reports whether command shards by runs rather than by paths.
func isStudy(command string) bool { return command == "sweep" || command == "sensitivity" }

// mergeStudy merges the shard files at order, whose common header is h,
// into the outputs of a sweep or sensitivity analysis.
func mergeStudy(ctx context.Context, opts mergeOptions, h output.ShardHeader, order []string, started time.Time, e env) error {
	scs, err := shardScenarios(h)
	if err != nil {
		return usageError{err}
	}
	sc := scs[0]
	if opts.Out == "" {
		opts.Out = filepath.Join("out", h.Command+"-"+sc.Model.Name)
	}
	if err := atomicdir.Check(opts.Out, opts.Force); err != nil {
		return err
	}
	o := studyOutput{dir: opts.Out, force: opts.Force, noPlots: opts.NoPlots, quiet: opts.Quiet, workers: opts.Workers.n, started: started}
	if h.Command == "sweep" {
		return mergeSweep(ctx, h, order, sc, o, e)
	}
	return mergeSensitivity(ctx, h, order, sc, o, e)
}

// readPart decodes the part of the shard file at path into body and
// returns its header.
func readPart(path string, body any) (output.ShardHeader, error) {
	h, err := output.ReadShardBody(path, body)
	if err != nil {
		return h, usageError{err}
	}
	return h, nil
}

func mergeSweep(ctx context.Context, h output.ShardHeader, order []string, sc *scenarios.Scenario, o studyOutput, e env) error {
	var st sweepStudy
	if err := json.Unmarshal([]byte(h.Study), &st); err != nil {
		return usageError{fmt.Errorf("merge: the shards' sweep settings: %w", err)}
	}
	metrics, err := parseMetrics(sc.Model, st.Metrics)
	if err != nil {
		return usageError{fmt.Errorf("merge: %w", err)}
	}
	var points []output.SweepPoint
	for _, path := range order {
		var part []output.SweepPoint
		ph, err := readPart(path, &part)
		if err != nil {
			return err
		}
		if len(part) != ph.ShardItems {
			return usageError{fmt.Errorf("merge: %s: %w: %d sweep points, want %d", path, output.ErrCorruptShard, len(part), ph.ShardItems)}
		}
		points = append(points, part...)
	}
	sw := &output.Sweep{FormatVersion: 1, MoneyUnit: output.MoneyUnit, Scenario: sc.Model.Name, Seed: h.Seed, Paths: h.Paths,
		Keys: st.Keys, Metrics: metrics, Points: points}
	return writeSweep(ctx, sc, sw, o, e)
}

func mergeSensitivity(ctx context.Context, h output.ShardHeader, order []string, sc *scenarios.Scenario, o studyOutput, e env) error {
	var st sensitivityStudy
	if err := json.Unmarshal([]byte(h.Study), &st); err != nil {
		return usageError{fmt.Errorf("merge: the shards' sensitivity settings: %w", err)}
	}
	metrics, err := parseMetrics(sc.Model, st.Metrics)
	if err != nil {
		return usageError{fmt.Errorf("merge: %w", err)}
	}
	s := &study{sc: sc, params: sc.Uncertainty, metrics: metrics, seed: h.Seed}
	nTornado, _, err := st.items(s)
	if err != nil {
		return err
	}
	var all sensitivityPart
	for _, path := range order {
		var part sensitivityPart
		ph, err := readPart(path, &part)
		if err != nil {
			return err
		}
		first, last := ph.ItemFirst, ph.ItemFirst+ph.ShardItems
		nBars := max(0, min(last, nTornado)-first)
		if len(part.Bars) != nBars || len(part.Sobol) != ph.ShardItems-nBars || nBars > 0 && len(part.Base) != len(metrics) {
			return usageError{fmt.Errorf("merge: %s: %w: %d tornado parameters and %d Sobol cases, want %d and %d", path, output.ErrCorruptShard, len(part.Bars), len(part.Sobol), nBars, ph.ShardItems-nBars)}
		}
		if all.Base == nil {
			all.Base = part.Base
		} else if part.Base != nil && !slices.Equal(all.Base, part.Base) {
			return usageError{fmt.Errorf("merge: %s: the base run's figures differ from the other shards'", path)}
		}
		all.Bars = append(all.Bars, part.Bars...)
		all.Sobol = append(all.Sobol, part.Sobol...)
	}
	res, err := s.sensitivityResult(st, h.Paths, all)
	if err != nil {
		return err
	}
	return writeSensitivity(ctx, sc, res, o, h.Seed, h.Paths, e)
}
