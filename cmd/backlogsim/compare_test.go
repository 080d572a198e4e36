package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/output"
)

func TestCompareBuiltins(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	status, stdout, stderr := runCLI(t, "compare", "baseline", "mild-tightening", "severe-crash", "freeze-slowdown",
		"--paths", "2000", "--seed", "3", "--out", out, "--no-plots")
	if status != exitOK {
		t.Fatalf("compare = %d; stderr:\n%s", status, stderr)
	}
	for _, want := range []string{"oracle", "severe-crash", "±", "Paired/unpaired", "openai"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare table does not contain %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"compare.json", "compare.csv", "compare.html",
		"baseline/summary.json", "baseline/manifest.json", "severe-crash/summary.csv", "freeze-slowdown/manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("compare: %v", err)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c output.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("compare.json: %v", err)
	}
	if c.Paths != 2000 || c.Seed != 3 || c.Base != "baseline" || len(c.Cases) != 4 {
		t.Errorf("compare.json: paths %d, seed %d, base %q, %d cases; want 2000, 3, baseline, 4", c.Paths, c.Seed, c.Base, len(c.Cases))
	}
	// Every run used the same seed and paths.
	for _, cs := range c.Cases {
		mdata, err := os.ReadFile(filepath.Join(out, cs.Name, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m output.Manifest
		if err := json.Unmarshal(mdata, &m); err != nil {
			t.Fatal(err)
		}
		if m.Seed != 3 || m.Paths != 2000 {
			t.Errorf("%s manifest: seed %d, paths %d; want 3, 2000", cs.Name, m.Seed, m.Paths)
		}
	}
}

func TestCompareSameScenarioIsZero(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	status, _, stderr := runCLI(t, "compare", "baseline", "baseline", "--paths", "1000", "--out", out, "--no-plots", "--quiet")
	if status != exitOK {
		t.Fatalf("compare baseline baseline = %d; stderr:\n%s", status, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c output.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Cases[1].Name != "baseline-2" {
		t.Errorf("second run named %q; want baseline-2", c.Cases[1].Name)
	}
	for _, f := range append(c.Providers, c.Suppliers...) {
		d := f.Cases[1].Diff
		for _, x := range []mcstat.Difference{d.BacklogLostMean, d.BacklogLostES, d.EconomicLossMean, d.EconomicLossES, d.DefaultProbability} {
			if x.Diff != 0 || x.PairedStdErr != 0 {
				t.Errorf("%s: difference %+v; want exactly zero", f.Name, x)
			}
		}
	}
}

func TestCompareWithPlots(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	status, _, stderr := runCLI(t, "compare", "baseline", "contagion", "--paths", "1000", "--out", out, "--quiet")
	if status != exitOK {
		t.Fatalf("compare = %d; stderr:\n%s", status, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "compare.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "<svg"); n != 7 {
		t.Errorf("compare.html has %d charts; want 7", n)
	}
	if _, err := os.Stat(filepath.Join(out, "contagion", "report.html")); err != nil {
		t.Errorf("case report: %v", err)
	}
	// Every chart is a file beside compare.html, and every case's report
	// is linked.
	for _, name := range []string{"compare-diff-backlog", "compare-diff-economic", "compare-diff-default", "compare-exceedance"} {
		for _, ext := range []string{".png", ".svg"} {
			if _, err := os.Stat(filepath.Join(out, "plots", name+ext)); err != nil {
				t.Errorf("chart file: %v", err)
			}
		}
	}
	for _, link := range []string{`href="baseline/report.html"`, `href="contagion/report.html"`} {
		if !strings.Contains(string(page), link) {
			t.Errorf("compare.html has no link %s", link)
		}
	}
}

func TestCompareUsageErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	for _, args := range [][]string{
		{"compare"},
		{"compare", "baseline"},
		{"compare", "baseline", "no-such-case", "--out", out},
		{"compare", "baseline", "severe-crash", "--paths", "-1"},
		{"compare", "baseline", "severe-crash", "--seed", "x"},
	} {
		if status, _, stderr := runCLI(t, args...); status != exitUsage {
			t.Errorf("backlogsim %q = %d; want %d (stderr %q)", args, status, exitUsage, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed compare created %s", out)
	}
}
