package sim

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"slices"
)

// Sharded runs.
//
// A run of n paths can be split into shards that run anywhere (array jobs
// of a cluster scheduler, say) and merged into exactly the Results of a
// single Simulate: shard i of k simulates a block-aligned range of paths
// (ShardRange) and keeps the same state a single run keeps over those
// paths; MergeShards adds the states up. Every sum in that state is exact
// or in integers, per-path outcomes are concatenated and the worst paths
// of a streaming summary are kept under a total order, so the merged state
// does not depend on how the paths were split: its Results, and every
// output computed from them, are byte-identical to those of one process.

// ShardRange returns the paths [first, first+count) that shard index of
// shards simulates in a run of paths paths: whole blocks of blockSize
// paths (so antithetic pairs are never split), as evenly as blocks allow.
// A shard gets no paths when there are more shards than blocks.
func ShardRange(paths, index, shards int) (first, count int) {
	nBlocks := (paths + blockSize - 1) / blockSize
	lo, hi := index*nBlocks/shards, (index+1)*nBlocks/shards
	first, last := min(lo*blockSize, paths), min(hi*blockSize, paths)
	return first, last - first
}

// Shard is the state of one shard of a run: what MergeShards needs of its
// paths. It is encoded with encoding/gob (GobEncode, GobDecode).
type Shard struct {
	st *rangeState
}

// First returns the shard's first path, and Paths its number of paths.
func (s *Shard) First() int { return s.st.First }

// Paths returns the number of paths the shard simulated.
func (s *Shard) Paths() int { return s.st.Count }

// SimulateShard simulates shard index of shards of the run of m (see
// ShardRange) with the options of Simulate. opts.Progress counts the
// shard's paths.
func SimulateShard(ctx context.Context, m *Model, opts Options, index, shards int) (*Shard, error) {
	if shards < 1 || index < 0 || index >= shards {
		return nil, fmt.Errorf("sim: shard %d of %d: want 0 <= index < shards", index, shards)
	}
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	first, count := ShardRange(m.Paths, index, shards)
	st, err := simulateRange(ctx, p, opts, first, count)
	if err != nil {
		return nil, err
	}
	return &Shard{st: st}, nil
}

// GobEncode encodes the shard's state.
func (s *Shard) GobEncode() ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(s.st)
	return buf.Bytes(), err
}

// GobDecode decodes a state GobEncode wrote.
func (s *Shard) GobDecode(data []byte) error {
	var st rangeState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&st); err != nil {
		return err
	}
	s.st = &st
	return nil
}

// ShardMerger adds up shards of one run, in path order, into its Results.
// It holds one merged state: shards can be decoded and added one at a
// time.
type ShardMerger struct {
	p    *plan
	opts Options
	st   *rangeState
}

// NewShardMerger returns a ShardMerger for the run of m with opts (whose
// Summary must be the one the shards were simulated with).
func NewShardMerger(m *Model, opts Options) (*ShardMerger, error) {
	p, err := compile(m)
	if err != nil {
		return nil, err
	}
	exact := exactMode(opts, m.Paths)
	st := newRangeState(p, exact, 0, 0)
	if exact {
		st.PerPath.reserve(m.Paths)
	}
	return &ShardMerger{p: p, opts: opts, st: st}, nil
}

// Add adds s, which must hold the paths that follow those added so far and
// have been simulated from the same model and summary mode.
func (sm *ShardMerger) Add(s *Shard) error {
	if err := s.st.check(sm.st); err != nil {
		return fmt.Errorf("sim: shard of paths %d to %d: %w", s.st.First, s.st.First+s.st.Count-1, err)
	}
	if err := sm.st.merge(s.st); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	return nil
}

// Results returns the Results of the run: exactly those of Simulate. All
// paths must have been added.
func (sm *ShardMerger) Results(ctx context.Context) (*Results, error) {
	if n := sm.p.m.Paths; sm.st.Count != n {
		return nil, fmt.Errorf("sim: shards hold paths 0 to %d of %d", sm.st.Count-1, n)
	}
	return finishResults(ctx, sm.p, sm.st, workerCount(sm.opts, sm.st.Count))
}

// MergeShards returns the Results of the run of m whose shards are given,
// in any order.
func MergeShards(ctx context.Context, m *Model, opts Options, shards []*Shard) (*Results, error) {
	sm, err := NewShardMerger(m, opts)
	if err != nil {
		return nil, err
	}
	shards = slices.Clone(shards)
	slices.SortFunc(shards, func(a, b *Shard) int { return a.First() - b.First() })
	for _, s := range shards {
		if err := sm.Add(s); err != nil {
			return nil, err
		}
	}
	return sm.Results(ctx)
}

// reserve makes room for n paths of nSrc sources in every slice.
func (d *pathData) reserve(n int) {
	grow := func(xs [][]float64) {
		for e := range xs {
			xs[e] = slices.Grow(xs[e], n)
		}
	}
	growInts := func(xs [][]int32) {
		for e := range xs {
			xs[e] = slices.Grow(xs[e], n)
		}
	}
	grow(d.Lost)
	grow(d.Econ)
	grow(d.Raised)
	grow(d.Backed)
	grow(d.Reneg)
	grow(d.Tranched)
	growInts(d.FirmDefault)
	growInts(d.CustDefault)
	growInts(d.Rounds)
	if d.Weights != nil {
		d.Weights = slices.Grow(d.Weights, n)
	}
	d.SysLost = slices.Grow(d.SysLost, n)
	d.SysEcon = slices.Grow(d.SysEcon, n)
}
