package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunPathsOut(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "paths.csv")
	status, _, stderr := runCLI(t, "run", "--paths", "300", "--out", filepath.Join(dir, "out"), "--no-plots", "--quiet", "--paths-out", file)
	if status != exitOK {
		t.Fatalf("run --paths-out: status %d; stderr:\n%s", status, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(data), "\n"); lines != 301 || !strings.HasPrefix(string(data), "path,weight,provider_") {
		t.Errorf("paths.csv: %d lines, starting %.40q; want a header and 300 rows", lines, data)
	}
	for _, bad := range [][]string{
		{"--paths-out", filepath.Join(dir, "x.json")},
		{"--paths-out", filepath.Join(dir, "x.parquet"), "--summary", "streaming"},
	} {
		args := append([]string{"run", "--paths", "300", "--out", filepath.Join(dir, "bad"), "--no-plots", "--quiet"}, bad...)
		if status, _, stderr := runCLI(t, args...); status != exitUsage || !strings.Contains(stderr, "paths-out") {
			t.Errorf("run %v = %d, %q; want a usage error about -paths-out", bad, status, stderr)
		}
	}
}
