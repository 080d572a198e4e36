package sim

import (
	"bytes"
	"context"
	"encoding/gob"
	"reflect"
	"strings"
	"testing"
)

// shardCase is a model and summary mode a sharded run must reproduce.
type shardCase struct {
	name    string
	model   func() *Model
	summary SummaryMode
}

func shardCases() []shardCase {
	small := func() *Model {
		m := smallWorld()
		m.Paths = 3000 // 12 blocks, the last one partial
		return m
	}
	anti := func() *Model {
		m := small()
		m.Sampling.Antithetic = true
		return m
	}
	weighted := func() *Model {
		m := small()
		m.Sampling.Importance = ImportanceSampling{DemandShift: -0.5, MacroShift: -1, RevenueShift: -0.5, RegimeTilt: 2, ArrivalTilt: 0.5, WindowYears: 2}
		return m
	}
	return []shardCase{
		{"exact", small, ExactSummary},
		{"streaming", small, StreamingSummary},
		{"antithetic streaming", anti, StreamingSummary},
		{"importance exact", weighted, ExactSummary},
		{"importance streaming", weighted, StreamingSummary},
	}
}

// roundTrip encodes and decodes s as a shard file would.
func roundTrip(t *testing.T, s *Shard) *Shard {
	t.Helper()
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		t.Fatalf("gob encode shard: %v", err)
	}
	var out Shard
	if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
		t.Fatalf("gob decode shard: %v", err)
	}
	return &out
}

func simulateShards(t *testing.T, m *Model, opts Options, k int) []*Shard {
	t.Helper()
	var shards []*Shard
	for i := range k {
		s, err := SimulateShard(context.Background(), m, opts, i, k)
		if err != nil {
			t.Fatalf("SimulateShard(%d of %d): %v", i, k, err)
		}
		shards = append(shards, roundTrip(t, s))
	}
	return shards
}

// TestShardsMergeToSingleRun: any split into shards, encoded and decoded,
// merged in any order, gives Results deeply equal to one Simulate, every
// per-path slice, distribution, histogram and time series included. A
// field added to the merged state but not merged fails here.
func TestShardsMergeToSingleRun(t *testing.T) {
	for _, tc := range shardCases() {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.model()
			opts := Options{Workers: 2, Summary: tc.summary}
			want, err := Simulate(context.Background(), m, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []int{1, 2, 4, 7, 13} {
				shards := simulateShards(t, m, opts, k)
				// Reverse order: MergeShards sorts by first path.
				for i, j := 0, len(shards)-1; i < j; i, j = i+1, j-1 {
					shards[i], shards[j] = shards[j], shards[i]
				}
				got, err := MergeShards(context.Background(), m, Options{Workers: 3, Summary: tc.summary}, shards)
				if err != nil {
					t.Fatalf("MergeShards(%d shards): %v", k, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("MergeShards(%d shards) differs from Simulate in %s", k, firstDifference(got, want))
				}
			}
		})
	}
}

func TestShardRange(t *testing.T) {
	for _, tc := range []struct{ paths, shards int }{{3000, 1}, {3000, 7}, {3000, 13}, {256, 4}, {1, 3}, {1_000_000, 64}} {
		next := 0
		for i := range tc.shards {
			first, count := ShardRange(tc.paths, i, tc.shards)
			if first != next || first%blockSize != 0 && count > 0 || count < 0 {
				t.Fatalf("ShardRange(%d, %d, %d) = %d, %d; want a block-aligned range from %d", tc.paths, i, tc.shards, first, count, next)
			}
			next = first + count
		}
		if next != tc.paths {
			t.Errorf("ShardRange(%d, ·, %d) covers %d paths; want %d", tc.paths, tc.shards, next, tc.paths)
		}
	}
}

// TestMergeShardsErrors: a missing, duplicated or foreign shard is an
// error, never a wrong result.
func TestMergeShardsErrors(t *testing.T) {
	m := smallWorld()
	m.Paths = 3000
	opts := Options{Workers: 2, Summary: StreamingSummary}
	four := simulateShards(t, m, opts, 4)
	exact := simulateShards(t, m, Options{Workers: 2, Summary: ExactSummary}, 4)
	other := smallWorld()
	other.Paths = 6000
	foreign := simulateShards(t, other, opts, 4)
	for _, tc := range []struct {
		name   string
		shards []*Shard
		want   string
	}{
		{"missing", []*Shard{four[0], four[1], four[3]}, "do not follow"},
		{"missing last", four[:3], "of 3000"},
		{"duplicate", []*Shard{four[0], four[1], four[1], four[2], four[3]}, "do not follow"},
		{"other summary", []*Shard{four[0], exact[1], four[2], four[3]}, "different model or summary"},
		{"other paths", []*Shard{four[0], foreign[1], four[2], four[3]}, ""},
		{"none", nil, "of 3000"},
	} {
		_, err := MergeShards(context.Background(), m, opts, tc.shards)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MergeShards(%s) error = %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}
