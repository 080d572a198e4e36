package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeScenarios writes small scenario files extending the baseline into a
// new directory and returns it.
func writeScenarios(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func modTime(t *testing.T, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

func TestBatchRestartSkipsCompleteCases(t *testing.T) {
	dir := writeScenarios(t, map[string]string{
		"a.toml": "extends = \"baseline\"\n",
		"b.toml": "extends = \"baseline\"\n[customers.openai]\ncash = 50.0\n",
		"c.toml": "extends = \"baseline\"\n[backers.0]\n",
	})
	// c.toml is not a valid scenario: a batch with it must fail before
	// running anything.
	out := filepath.Join(t.TempDir(), "batch")
	if status, _, _ := runCLI(t, "batch", dir, "--out", out, "--paths", "500", "--no-plots"); status != exitUsage {
		t.Errorf("batch with a bad scenario = %d; want %d", status, exitUsage)
	}
	if _, err := os.Stat(filepath.Join(out, "a")); !os.IsNotExist(err) {
		t.Errorf("batch with a bad scenario ran a: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "c.toml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte("extends = \"severe-crash\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	args := []string{"batch", dir, "--out", out, "--paths", "800", "--seed", "5", "--no-plots"}
	status, stdout, stderr := runCLI(t, args...)
	if status != exitOK {
		t.Fatalf("batch = %d; stderr:\n%s", status, stderr)
	}
	if !strings.Contains(stdout, "3 run, 0 already complete") {
		t.Errorf("first batch output:\n%s\nwant 3 run", stdout)
	}
	summary := map[string][]byte{}
	mtime := map[string]time.Time{}
	for _, c := range []string{"a", "b", "c"} {
		p := filepath.Join(out, c, "summary.json")
		mtime[c] = modTime(t, p)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		summary[c] = data
	}
	index, err := os.ReadFile(filepath.Join(out, "index.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a,a,800,5,provider,oracle,backlog_lost_mean", "c,c,800,5,customer,openai,default_probability"} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("index.csv does not contain %q:\n%s", want, index)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Error(err)
	}

	// Restart: b is deleted, a is intact, c's scenario changed.
	if err := os.RemoveAll(filepath.Join(out, "b")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte("extends = \"severe-crash\"\n# edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // so that a rewrite would change the mtime
	status, stdout, stderr = runCLI(t, args...)
	if status != exitOK {
		t.Fatalf("batch restart = %d; stderr:\n%s", status, stderr)
	}
	if !strings.Contains(stdout, "a: complete, skipped") || !strings.Contains(stdout, "2 run, 1 already complete") {
		t.Errorf("batch restart output:\n%s\nwant a skipped and 2 run", stdout)
	}
	if got := modTime(t, filepath.Join(out, "a", "summary.json")); !got.Equal(mtime["a"]) {
		t.Errorf("a/summary.json modified at %v, was %v; want it skipped", got, mtime["a"])
	}
	for _, c := range []string{"b", "c"} {
		data, err := os.ReadFile(filepath.Join(out, c, "summary.json"))
		if err != nil {
			t.Fatalf("%s not redone: %v", c, err)
		}
		// Same seed and paths: the same results.
		if !bytes.Equal(data, summary[c]) {
			t.Errorf("%s/summary.json differs after rerun; want identical results", c)
		}
	}
	if got := modTime(t, filepath.Join(out, "c", "summary.json")); got.Equal(mtime["c"]) {
		t.Error("c/summary.json not rewritten after its scenario changed")
	}

	// Different paths: nothing is complete.
	status, stdout, _ = runCLI(t, "batch", dir, "--out", out, "--paths", "600", "--seed", "5", "--no-plots", "--quiet")
	if status != exitOK || stdout != "" {
		t.Errorf("quiet batch = %d, %q; want success and no output", status, stdout)
	}
	if got := modTime(t, filepath.Join(out, "a", "summary.json")); got.Equal(mtime["a"]) {
		t.Error("a not rerun after --paths changed")
	}
}

func TestBatchUsageErrors(t *testing.T) {
	empty := t.TempDir()
	dup := writeScenarios(t, map[string]string{"baseline.toml": "extends = \"baseline\"\n"})
	for _, args := range [][]string{
		{"batch"},
		{"batch", empty},
		{"batch", "no-such-file.toml"},
		{"batch", "baseline", filepath.Join(dup, "baseline.toml")},
		{"batch", "baseline", "--paths", "-2"},
	} {
		if status, _, stderr := runCLI(t, append(args, "--out", filepath.Join(t.TempDir(), "o"))...); status != exitUsage {
			t.Errorf("backlogsim %q = %d; want %d (stderr %q)", args, status, exitUsage, stderr)
		}
	}
}
