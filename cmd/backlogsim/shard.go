package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/backlogsim/backlogsim/output"
	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// shardFlag is the value of -shard I/N: shard I (from 0) of N.
type shardFlag struct {
	Index, Count int
	set          bool
}

func (f *shardFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return fmt.Sprintf("%d/%d", f.Index, f.Count)
}

// Set parses I/N with 0 <= I < N.
func (f *shardFlag) Set(s string) error {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("want I/N with 0 <= I < N, e.g. 3/16, got %q", s)
	}
	*f = shardFlag{Index: i, Count: n, set: true}
	return nil
}

// shardUsage is the help text of -shard.
const shardUsage = "simulate only shard `I/N` (0 <= I < N) of the paths and write a shard file to -out; \"backlogsim merge\" turns the N shard files into the outputs"

// defaultShardPath is where a shard file goes without -out.
func defaultShardPath(name string, sh shardFlag) string {
	return filepath.Join("out", fmt.Sprintf("%s-shards", name), fmt.Sprintf("shard-%d-of-%d.shard", sh.Index, sh.Count))
}

// summaryName returns the summary mode a run of paths paths uses under
// mode, "exact" or "streaming", and its sim.SummaryMode.
func summaryName(mode sim.SummaryMode, paths int) (string, sim.SummaryMode) {
	if mode == sim.ExactSummary || mode == sim.AutoSummary && paths <= sim.ExactPathLimit {
		return "exact", sim.ExactSummary
	}
	return "streaming", sim.StreamingSummary
}

// shardCase describes sc, run as the model m (sc.Model or a model built
// from sc), in a shard header.
func shardCase(sc *scenarios.Scenario, m *sim.Model, folder string) (output.ShardCase, error) {
	hash, err := output.ModelSHA256(m)
	if err != nil {
		return output.ShardCase{}, err
	}
	return output.ShardCase{
		Folder: folder, Scenario: m.Name, ScenarioSource: sc.Source, ScenarioSHA256: sc.Hash,
		Resolved: string(sc.Resolved), Sampling: m.Sampling, ModelSHA256: hash,
	}, nil
}

// shardRun is what a shard of run or compare simulates: every scenario of
// scs (one for run; the base and its cases for compare), with its output
// folder, and, for run -parameter-sets, the parameter sets' models, whose
// states follow the scenarios' in the shard file.
type shardRun struct {
	command string
	scs     []*scenarios.Scenario
	folders []string
	sets    []*sim.Model
	study   string // the header's Study
}

// simulateShard simulates shard sh of r and writes the shard file to path.
func simulateShard(ctx context.Context, r shardRun, sh shardFlag, set caseSettings, path string, force bool, e env) error {
	m := r.scs[0].Model
	summary, mode := summaryName(set.summary, m.Paths)
	set.summary = mode
	first, count := sim.ShardRange(m.Paths, sh.Index, sh.Count)
	h := output.ShardHeader{
		Command: r.command, Version: output.Version(), Index: sh.Index, Shards: sh.Count,
		Paths: m.Paths, Seed: m.Seed, Summary: summary, First: first, ShardPaths: count, Study: r.study,
	}
	models := make([]*sim.Model, 0, len(r.scs)+len(r.sets))
	labels := make([]string, 0, cap(models))
	for k, sc := range r.scs {
		c, err := shardCase(sc, sc.Model, r.folders[k])
		if err != nil {
			return err
		}
		h.Cases = append(h.Cases, c)
		models, labels = append(models, sc.Model), append(labels, r.folders[k])
	}
	for k, sm := range r.sets {
		models, labels = append(models, sm), append(labels, fmt.Sprintf("parameter set %d", k))
	}
	var states []*sim.Shard
	for k, sm := range models {
		set.label = labels[k]
		err := withProgress(count, set, e, func(opts sim.Options) error {
			st, err := sim.SimulateShard(ctx, sm, opts, sh.Index, sh.Count)
			states = append(states, st)
			return err
		})
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := output.WriteShardBody(path, h, states, force); err != nil {
		return err
	}
	if !set.quiet {
		fmt.Fprintf(e.stdout, "Wrote shard %d/%d (paths %d to %d of %d) to %s.\n", sh.Index, sh.Count, first, first+count-1, m.Paths, path)
	}
	return nil
}
