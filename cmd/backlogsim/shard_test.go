package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shardPaths is small but spans 8 blocks of 256 paths, the last partial,
// so that 7 shards all get paths.
const shardPaths = "1800"

// mustRun runs the command line and fails the test unless it succeeds.
func mustRun(t *testing.T, args ...string) {
	t.Helper()
	if status, _, stderr := runCLI(t, args...); status != exitOK {
		t.Fatalf("%s: status %d; stderr:\n%s", strings.Join(args, " "), status, stderr)
	}
}

// writeShards runs command args with -shard i/k for every i, each shard
// file in dir, and returns their paths.
func writeShards(t *testing.T, dir string, k int, args ...string) []string {
	t.Helper()
	var files []string
	for i := range k {
		f := filepath.Join(dir, fmt.Sprintf("s%d-of-%d.shard", i, k))
		mustRun(t, append(args, "--shard", fmt.Sprintf("%d/%d", i, k), "--out", f, "--quiet", "--workers", "2")...)
		files = append(files, f)
	}
	return files
}

// sameFiles fails unless every named file is byte-identical in a and b.
func sameFiles(t *testing.T, what, a, b string, names ...string) {
	t.Helper()
	for _, name := range names {
		x, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s: %s differs from the single-process run's", what, name)
		}
	}
}

// TestMergedRunIdentical: run -shard I/N for N = 1, 2, 4, 7, merged, writes
// the same summary.json and summary.csv, byte for byte, as one run, with
// exact and streaming summaries (and plots and report, checked once).
func TestMergedRunIdentical(t *testing.T) {
	for _, summary := range []string{"exact", "streaming"} {
		t.Run(summary, func(t *testing.T) {
			dir := t.TempDir()
			common := []string{"run", "baseline", "--paths", shardPaths, "--seed", "11", "--summary", summary}
			single := filepath.Join(dir, "single")
			plots := summary == "exact"
			args := append(common, "--out", single, "--quiet")
			if !plots {
				args = append(args, "--no-plots")
			}
			mustRun(t, args...)
			for _, k := range []int{1, 2, 4, 7} {
				files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
				merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
				args := append([]string{"merge", "--out", merged, "--quiet", "--workers", "3"}, files...)
				names := []string{"summary.json", "summary.csv"}
				if plots && k == 7 {
					names = append(names, "report.html", "plots/loss-backlog-microsoft.png")
				} else {
					args = append(args, "--no-plots")
				}
				mustRun(t, args...)
				sameFiles(t, fmt.Sprintf("%s, %d shards", summary, k), merged, single, names...)
			}
		})
	}
}

// TestMergedCompareIdentical: compare -shard I/N, merged, writes the same
// compare.json, compare.csv and per-case summaries as one compare.
func TestMergedCompareIdentical(t *testing.T) {
	dir := t.TempDir()
	common := []string{"compare", "baseline", "mild-tightening", "--paths", shardPaths, "--seed", "5"}
	single := filepath.Join(dir, "single")
	mustRun(t, append(common, "--out", single, "--quiet", "--no-plots")...)
	for _, k := range []int{1, 2, 4, 7} {
		files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
		mustRun(t, append([]string{"merge", "--out", merged, "--quiet", "--no-plots"}, files...)...)
		sameFiles(t, fmt.Sprintf("compare, %d shards", k), merged, single,
			"compare.json", "compare.csv", "baseline/summary.json", "mild-tightening/summary.json")
	}
}

// TestMergeRejectsBadShardSets: a missing, duplicate, truncated, altered
// or foreign shard is a usage error that names the problem, and nothing is
// written; a failed shard can be rerun alone.
func TestMergeRejectsBadShardSets(t *testing.T) {
	dir := t.TempDir()
	common := []string{"run", "baseline", "--paths", "1000", "--seed", "2", "--no-plots"}
	files := writeShards(t, filepath.Join(dir, "a"), 3, common...)
	other := writeShards(t, filepath.Join(dir, "b"), 3, "run", "baseline", "--paths", "1000", "--seed", "3")
	four := writeShards(t, filepath.Join(dir, "c"), 4, common...)
	data, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.shard")
	altered := filepath.Join(dir, "altered.shard")
	notShard := filepath.Join(dir, "not.shard")
	mustWrite(t, truncated, data[:len(data)/2])
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 1
	mustWrite(t, altered, flipped)
	mustWrite(t, notShard, []byte("name = \"x\"\n"))
	for _, tc := range []struct {
		name   string
		shards []string
		want   string
	}{
		{"missing", []string{files[0], files[2]}, "missing 1 of the 3 shards: 1"},
		{"duplicate", []string{files[0], files[1], files[1], files[2]}, "both shard 1 of 3"},
		{"truncated", []string{files[0], truncated, files[2]}, "not a complete shard file"},
		{"altered", []string{files[0], altered, files[2]}, "SHA-256 mismatch"},
		{"not a shard", []string{files[0], notShard, files[2]}, "does not start with"},
		{"other seed", []string{files[0], other[1], files[2]}, "seeds 2 and 3"},
		{"other split", []string{files[0], four[1], files[2]}, "shard counts 3 and 4"},
		{"no such file", []string{files[0], filepath.Join(dir, "nope.shard")}, "no such file"},
	} {
		out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
		status, _, stderr := runCLI(t, append([]string{"merge", "--out", out, "--quiet"}, tc.shards...)...)
		if status != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("merge (%s) = status %d, stderr %q; want %d and %q", tc.name, status, stderr, exitUsage, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("merge (%s) wrote %s", tc.name, out)
		}
	}

	// A shard file is not overwritten without -force; rerunning a lost
	// shard alone completes the set.
	if status, _, stderr := runCLI(t, append(common, "--shard", "1/3", "--out", files[1])...); status != exitUsage || !strings.Contains(stderr, "-force") {
		t.Errorf("run -shard over an existing file = %d, %q; want %d and a hint at -force", status, stderr, exitUsage)
	}
	if err := os.Remove(files[1]); err != nil {
		t.Fatal(err)
	}
	mustRun(t, append(common, "--shard", "1/3", "--out", files[1], "--quiet")...)
	mustRun(t, append([]string{"merge", "--out", filepath.Join(dir, "ok"), "--quiet", "--no-plots"}, files...)...)
}

func TestShardFlag(t *testing.T) {
	for _, bad := range []string{"3", "3/3", "-1/2", "1/0", "a/b", "1/2/3", ""} {
		var f shardFlag
		if err := f.Set(bad); err == nil {
			t.Errorf("shardFlag.Set(%q) = nil; want an error", bad)
		}
	}
	var f shardFlag
	if err := f.Set("6/7"); err != nil || f.Index != 6 || f.Count != 7 || f.String() != "6/7" {
		t.Errorf("shardFlag.Set(6/7) = %v, %+v", err, f)
	}
}

func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
