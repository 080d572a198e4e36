package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestItemRange: the shards' ranges tile the items in order, as evenly as
// they divide, for more shards than items too.
func TestItemRange(t *testing.T) {
	for _, items := range []int{0, 1, 5, 12, 100} {
		for _, shards := range []int{1, 2, 3, 7, 16} {
			next := 0
			for i := range shards {
				first, count := itemRange(items, i, shards)
				if first != next || count < items/shards || count > items/shards+1 {
					t.Errorf("itemRange(%d, %d, %d) = %d, %d; want first %d and about %d", items, i, shards, first, count, next, items/shards)
				}
				next = first + count
			}
			if next != items {
				t.Errorf("itemRange(%d, ·, %d) covers %d items", items, shards, next)
			}
		}
	}
}

// TestMergedSweepIdentical: sweep -shard I/N for N = 2 and 7 (more
// shards than the grid's 6 points: one shard has none), merged, writes the
// same sweep.json and sweep.csv as one sweep.
func TestMergedSweepIdentical(t *testing.T) {
	dir := t.TempDir()
	common := []string{"sweep", "baseline", "--set", "funding.rates.open.tight=0.05:0.25:3", "--set", "customers.openai.funding.round_rate=1:2:2",
		"--paths", "300", "--seed", "3", "--metrics", "openai.default_probability,oracle.economic_loss_es"}
	single := filepath.Join(dir, "single")
	mustRun(t, append(common, "--out", single, "--quiet")...)
	for _, k := range []int{2, 7} {
		files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
		args := append([]string{"merge", "--out", merged, "--quiet"}, files...)
		names := []string{"sweep.json", "sweep.csv"}
		if k == 2 {
			names = append(names, "plots/sweep-openai-default-probability.png")
		} else {
			args = append(args, "--no-plots")
		}
		mustRun(t, args...)
		sameFiles(t, fmt.Sprintf("sweep, %d shards", k), merged, single, names...)
	}
}

// TestMergedSensitivityIdentical: sensitivity -shard I/N, whose shards
// split the tornado's parameters and the Sobol cases (some shards get
// both), merged, writes the same sensitivity.json, .csv and .html as one
// analysis.
func TestMergedSensitivityIdentical(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "u.toml")
	writeFile(t, base, uncertainBaseline)
	common := []string{"sensitivity", base, "--paths", "300", "--seed", "4", "--sobol-rows", "3", "--sobol-paths", "100",
		"--bootstrap", "50", "--metrics", "openai.default_probability,oracle.economic_loss_es", "--no-plots"}
	single := filepath.Join(dir, "single")
	mustRun(t, append(common, "--out", single, "--quiet")...)
	for _, k := range []int{2, 7} {
		files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
		mustRun(t, append([]string{"merge", "--out", merged, "--quiet", "--no-plots"}, files...)...)
		sameFiles(t, fmt.Sprintf("sensitivity, %d shards", k), merged, single, "sensitivity.json", "sensitivity.csv", "sensitivity.html")
	}
}

// TestMergeRejectsBadStudyShards: shards of sweeps with other settings,
// or of a sweep and a run, do not merge; a missing shard is named.
func TestMergeRejectsBadStudyShards(t *testing.T) {
	dir := t.TempDir()
	sweep := []string{"sweep", "baseline", "--set", "funding.rates.open.tight=0.05:0.25:3", "--paths", "200", "--metrics", "openai.default_probability"}
	files := writeShards(t, filepath.Join(dir, "a"), 3, sweep...)
	otherGrid := writeShards(t, filepath.Join(dir, "b"), 3, append(sweep[:3:3], "funding.rates.open.tight=0.05:0.3:3", "--paths", "200", "--metrics", "openai.default_probability")...)
	otherMetric := writeShards(t, filepath.Join(dir, "c"), 3, append(sweep[:len(sweep)-1:len(sweep)-1], "oracle.default_probability")...)
	runs := writeShards(t, filepath.Join(dir, "d"), 3, "run", "baseline", "--paths", "200")
	for _, tc := range []struct {
		name   string
		shards []string
		want   string
	}{
		{"missing", []string{files[0], files[2]}, "missing 1 of the 3 shards: 1"},
		{"other grid", []string{files[0], otherGrid[1], files[2]}, "different sweep settings"},
		{"other metrics", []string{files[0], otherMetric[1], files[2]}, "different sweep settings"},
		{"a run's shard", []string{files[0], runs[1], files[2]}, "commands sweep and run"},
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
	// A lost shard rerun alone completes the set.
	if err := os.Remove(files[1]); err != nil {
		t.Fatal(err)
	}
	mustRun(t, append(sweep, "--shard", "1/3", "--out", files[1], "--quiet")...)
	mustRun(t, append([]string{"merge", "--out", filepath.Join(dir, "ok"), "--quiet", "--no-plots"}, files...)...)
}

// TestMergedBatchIdentical: batch -shard I/N for N = 2 and 4 (more shards
// than the 3 cases: one has none), merged, writes every case's summary
// files and the index byte-identical to one batch; a case folder of the
// user's own stops the merge before anything is written.
func TestMergedBatchIdentical(t *testing.T) {
	in := writeScenarios(t, map[string]string{
		"a.toml": "extends = \"baseline\"\n",
		"b.toml": "extends = \"baseline\"\n[customers.openai]\ncash = 50.0\n",
	})
	dir := t.TempDir()
	common := []string{"batch", in, "severe-crash", "--paths", "400", "--seed", "6", "--no-plots"}
	single := filepath.Join(dir, "single")
	mustRun(t, append(common, "--out", single, "--quiet")...)
	names := []string{"index.csv", "index.html"}
	for _, c := range []string{"a", "b", "severe-crash"} {
		names = append(names, c+"/summary.json", c+"/summary.csv")
	}
	for _, k := range []int{2, 4} {
		files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
		mustRun(t, append([]string{"merge", "--out", merged, "--quiet"}, files...)...)
		sameFiles(t, fmt.Sprintf("batch, %d shards", k), merged, single, names...)
	}

	files := writeShards(t, filepath.Join(dir, "again"), 2, common...)
	out := filepath.Join(dir, "foreign")
	mustWrite(t, filepath.Join(out, "b", "notes.txt"), nil)
	if status, _, stderr := runCLI(t, append([]string{"merge", "--out", out, "--quiet"}, files...)...); status != exitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("merge over a foreign case folder = %d, %q; want %d and a hint at --force", status, stderr, exitUsage)
	}
	if _, err := os.Stat(filepath.Join(out, "a")); !os.IsNotExist(err) {
		t.Errorf("merge over a foreign case folder wrote case a: %v", err)
	}
}

// TestMergedParameterSetsIdentical: run -parameter-sets M -shard I/N
// (each shard simulates its paths of the scenario and of every set),
// merged, writes the same summary and parameter-set files as one run.
func TestMergedParameterSetsIdentical(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "u.toml")
	writeFile(t, base, uncertainBaseline)
	common := []string{"run", base, "--paths", shardPaths, "--seed", "8", "--parameter-sets", "2", "--no-plots"}
	single := filepath.Join(dir, "single")
	mustRun(t, append(common, "--out", single, "--quiet")...)
	for _, k := range []int{2, 7} {
		files := writeShards(t, filepath.Join(dir, fmt.Sprint(k)), k, common...)
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", k))
		mustRun(t, append([]string{"merge", "--out", merged, "--quiet", "--no-plots"}, files...)...)
		sameFiles(t, fmt.Sprintf("parameter sets, %d shards", k), merged, single, "summary.json", "summary.csv", "parameters.json", "parameters.csv")
	}
	// Shards of the same run with other parameter sets do not merge.
	a := writeShards(t, filepath.Join(dir, "a"), 2, common...)
	b := writeShards(t, filepath.Join(dir, "b"), 2, append(common[:len(common)-2:len(common)-2], "3", "--no-plots")...)
	status, _, stderr := runCLI(t, "merge", "--out", filepath.Join(dir, "mixed"), "--quiet", a[0], b[1])
	if status != exitUsage || !strings.Contains(stderr, "different run settings") {
		t.Errorf("merge of shards with 2 and 3 parameter sets = %d, %q; want %d and \"different run settings\"", status, stderr, exitUsage)
	}
}
