package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResolvedScenarioReproducesRun runs the baseline with the paths, seed
// and sampling overridden on the command line, then runs the resolved
// scenario saved in its manifest.json without any flag: summary.json must
// be byte for byte the same, so the saved scenario is what ran.
func TestResolvedScenarioReproducesRun(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first")
	status, _, stderr := runCLI(t, "run", "baseline", "--paths", "600", "--seed", "3",
		"--antithetic", "--importance", "demand=-0.3,macro=-0.3", "--out", first, "--no-plots", "--quiet")
	if status != exitOK {
		t.Fatalf("run: status %d; stderr:\n%s", status, stderr)
	}
	// 600 importance-sampled paths leave an effective sample size under
	// 1,000: the run says so.
	if !strings.Contains(stderr, "effective sample size") {
		t.Errorf("run with importance sampling on 600 paths: no effective-sample-size warning; stderr:\n%s", stderr)
	}
	data, err := os.ReadFile(filepath.Join(first, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		ResolvedScenario string `json:"resolved_scenario"`
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"paths = 600", "seed = 3", "antithetic = true", "demand_shift = -0.3"} {
		if !strings.Contains(man.ResolvedScenario, want) {
			t.Errorf("resolved scenario does not say %q:\n%s", want, man.ResolvedScenario)
		}
	}
	file := filepath.Join(dir, "resolved.toml")
	if err := os.WriteFile(file, []byte(man.ResolvedScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(dir, "second")
	status, _, stderr = runCLI(t, "run", file, "--out", second, "--no-plots", "--quiet")
	if status != exitOK {
		t.Fatalf("run of the resolved scenario: status %d; stderr:\n%s", status, stderr)
	}
	a, err := os.ReadFile(filepath.Join(first, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(second, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("summary.json of the resolved scenario differs from the run's (%d and %d bytes)", len(a), len(b))
	}
}
