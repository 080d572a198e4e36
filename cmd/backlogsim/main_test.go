package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line args in-process and returns its exit status
// and output.
func runCLI(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = runMain(context.Background(), args, env{stdout: &out, stderr: &errOut, args: append([]string{"backlogsim"}, args...)})
	return status, out.String(), errOut.String()
}

func TestRunWritesOutputsIdenticalAcrossWorkers(t *testing.T) {
	dir := t.TempDir()
	paths := "3000"
	var summaries [][]byte
	for _, workers := range []string{"1", "2", "5"} {
		out := filepath.Join(dir, "w"+workers)
		status, stdout, stderr := runCLI(t, "run", "baseline", "--paths", paths, "--seed", "7", "--workers", workers, "--out", out, "--no-plots")
		if status != exitOK {
			t.Fatalf("run --workers %s: status %d; stderr:\n%s", workers, status, stderr)
		}
		if !strings.Contains(stdout, "microsoft") {
			t.Errorf("run --workers %s: table does not mention microsoft:\n%s", workers, stdout)
		}
		for _, name := range []string{"summary.json", "summary.csv", "manifest.json"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Errorf("run --workers %s: %v", workers, err)
			}
		}
		data, err := os.ReadFile(filepath.Join(out, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		summaries = append(summaries, data)
	}
	for i := 1; i < len(summaries); i++ {
		if !bytes.Equal(summaries[0], summaries[i]) {
			t.Errorf("summary.json differs between worker counts (run 0 and run %d)", i)
		}
	}
}

func TestRunRefusesNonEmptyOutWithoutForce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(out, "keep.txt")
	if err := os.WriteFile(keep, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runCLI(t, "run", "--paths", "300", "--out", out, "--no-plots", "--quiet")
	if status != exitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("run into non-empty dir = %d, %q; want %d and a hint about --force", status, stderr, exitUsage)
	}
	if data, err := os.ReadFile(keep); err != nil || string(data) != "precious" {
		t.Errorf("existing file after refused run: %q, %v; want it untouched", data, err)
	}
	status, _, stderr = runCLI(t, "run", "--paths", "300", "--out", out, "--no-plots", "--quiet", "--force")
	if status != exitOK {
		t.Fatalf("run --force = %d; stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(keep); !os.IsNotExist(err) {
		t.Errorf("run --force left the old directory's files: %v", err)
	}
}

func TestBadScenarioWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	src := "extends = \"baseline\"\n\n[simulation]\npaths = 100\nsede = 3\n"
	if err := os.WriteFile(bad, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	status, _, stderr := runCLI(t, "run", bad, "--out", out)
	if status != exitUsage {
		t.Errorf("run %s = %d; want %d", bad, status, exitUsage)
	}
	for _, want := range []string{"bad.toml", ":5", "simulation.sede"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("run %s: stderr %q does not contain %q", bad, stderr, want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("run %s created %s (%v); want no output", bad, out, err)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"run", "a.toml", "b.toml"}, exitUsage},
		{[]string{"run", "--paths", "-3"}, exitUsage},
		{[]string{"run", "--seed", "x"}, exitUsage},
		{[]string{"run", "--no-such-flag"}, exitUsage},
		{[]string{"validate"}, exitUsage},
		{[]string{"run", "-h"}, exitOK},
		{[]string{"help"}, exitOK},
		{[]string{"version"}, exitOK},
	} {
		if got, _, stderr := runCLI(t, tc.args...); got != tc.want {
			t.Errorf("backlogsim %q = %d; want %d (stderr %q)", tc.args, got, tc.want, stderr)
		}
	}
}

func TestValidate(t *testing.T) {
	status, stdout, stderr := runCLI(t, "validate", "baseline")
	if status != exitOK || !strings.Contains(stdout, "ok") {
		t.Errorf("validate baseline = %d, %q, %q; want ok", status, stdout, stderr)
	}
	status, stdout, _ = runCLI(t, "validate", "baseline", "--resolved")
	if status != exitOK || !strings.Contains(stdout, "[simulation]") {
		t.Errorf("validate --resolved = %d, %q; want the resolved TOML", status, stdout)
	}
}

func TestInterruptedRunWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	status := runMain(ctx, []string{"run", "--paths", "5000", "--out", out}, env{stdout: &stdout, stderr: &stderr})
	if status != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("cancelled run = %d, %q; want %d and a message", status, stderr.String(), exitInterrupted)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("cancelled run created %s", out)
	}
}
