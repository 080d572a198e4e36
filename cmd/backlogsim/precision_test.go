package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/output"
)

// TestRunPrecision: run -precision stops, in whole blocks, at the first
// stage whose target statistics are precise enough, and its outputs are
// byte for byte those of run -paths N for the N it stopped at.
func TestRunPrecision(t *testing.T) {
	dir := t.TempDir()
	precise := filepath.Join(dir, "precise")
	const target = 0.04
	metrics := "openai.default_probability,oracle.backlog_lost_mean"
	status, _, stderr := runCLI(t, "run", "baseline", "--paths", "256", "--seed", "21", "--precision", fmt.Sprint(target),
		"--precision-metrics", metrics, "--no-plots", "--out", precise)
	if status != exitOK {
		t.Fatalf("run -precision = %d; stderr:\n%s", status, stderr)
	}
	stages := strings.Count(stderr, "backlogsim: precision:")
	data, err := os.ReadFile(filepath.Join(precise, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var head struct{ Paths int }
	if err := json.Unmarshal(data, &head); err != nil {
		t.Fatal(err)
	}
	n := head.Paths
	if stages < 2 || n <= 256 || n%precisionBlock != 0 {
		t.Fatalf("run -precision: %d stages ending at %d paths; want at least 2 stages and whole blocks beyond 256 (stderr:\n%s)", stages, n, stderr)
	}
	file, err := output.ReadSummaryJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := file.Summary()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []output.Metric{{Entity: "openai", Kind: "customer", Stat: "default_probability"}, {Entity: "oracle", Kind: "provider", Stat: "backlog_lost_mean"}} {
		name := m.String()
		est, err := output.MetricValue(sum, m)
		if err != nil {
			t.Fatal(err)
		}
		if rel := est.StdErr / math.Abs(est.Value); !(rel <= target) {
			t.Errorf("%s = %v ± %v after -precision %v: relative standard error %v", name, est.Value, est.StdErr, target, rel)
		}
	}
	fixed := filepath.Join(dir, "fixed")
	mustRun(t, "run", "baseline", "--paths", fmt.Sprint(n), "--seed", "21", "--no-plots", "--quiet", "--out", fixed)
	sameFiles(t, fmt.Sprintf("run -precision against run -paths %d", n), precise, fixed, "summary.json", "summary.csv")
}

func TestNextPaths(t *testing.T) {
	for _, tc := range []struct {
		n         int
		rel, want float64
		max, next int
	}{
		{256, 0.2, 0.1, 1 << 20, 1280},    // 256·1.1·4 = 1126.4 → 5 blocks
		{1024, 0.101, 0.1, 1 << 20, 1280}, // a little short: one block more at least
		{1024, 10, 0.1, 1 << 20, 8192},    // at most eight times
		{1024, 10, 0.1, 5000, 5000},       // at most -max-paths
		{1000, math.Inf(1), 0.1, 1 << 20, 8192},
	} {
		if got := nextPaths(tc.n, tc.rel, tc.want, tc.max); got != tc.next {
			t.Errorf("nextPaths(%d, %v, %v, %d) = %d; want %d", tc.n, tc.rel, tc.want, tc.max, got, tc.next)
		}
	}
}

// TestRunPrecisionLimits: -max-paths stops a run that cannot reach its
// target, with a warning and the outputs of the paths it ran; bad
// settings are usage errors.
func TestRunPrecisionLimits(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "capped")
	status, _, stderr := runCLI(t, "run", "baseline", "--paths", "256", "--precision", "0.0001", "--max-paths", "768",
		"--precision-metrics", "openai.default_probability", "--no-plots", "--quiet", "--out", out)
	if status != exitOK || !strings.Contains(stderr, "-max-paths 768 reached") {
		t.Errorf("run -precision beyond -max-paths = %d, %q; want success and a warning", status, stderr)
	}
	if data, err := os.ReadFile(filepath.Join(out, "summary.json")); err != nil || !strings.Contains(string(data), `"paths": 768`) {
		t.Errorf("capped run's summary.json: %v; want 768 paths", err)
	}
	for _, args := range [][]string{
		{"--precision", "1.5"},
		{"--precision", "-0.1"},
		{"--max-paths", "1000"},
		{"--precision", "0.1", "--shard", "0/2"},
		{"--precision", "0.1", "--precision-metrics", "nobody.default_probability"},
		{"--precision", "0.1", "--paths", "2000", "--max-paths", "1000"},
	} {
		if status, _, stderr := runCLI(t, append([]string{"run", "baseline", "--no-plots", "--out", filepath.Join(dir, "bad")}, args...)...); status != exitUsage {
			t.Errorf("run %v = %d, %q; want %d", args, status, stderr, exitUsage)
		}
	}
}
