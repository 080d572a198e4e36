package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzCommandLine runs arbitrary command lines in-process, in a scratch
// working directory with the minimal scenario beside it. Whatever the
// flags and arguments, the command must not panic, must exit 0, 2 or 130
// (1 is for I/O failures, which a scratch directory does not have), must
// explain any failure on stderr, and must write nothing unless it
// succeeds. Arguments naming paths outside the scratch directory are left
// out (the fuzzer is not to write elsewhere), and every run is cancelled
// after two seconds (exiting 130), so huge --paths cannot stall it.
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []string{
		"run m.toml --paths 100 --no-plots",
		"run m.toml --seed 1e3 --workers 3 --out o --force",
		"run --seed 5abc",
		"run m.toml --paths 1e9 --summary exact",
		"run m.toml --importance demand=-0.3,window=inf",
		"run m.toml --max-memory 1KiB",
		"compare m.toml m.toml --paths 200 --no-plots",
		"batch . --paths 100 --no-plots",
		"validate m.toml --resolved",
		"validate ..",
		"run m.toml --out .. --force",
		"scenarios extra",
		"version",
		"help",
		"run -h",
		"bogus",
	} {
		f.Add(seed)
	}
	data, err := os.ReadFile("../../scenarios/testdata/minimal.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) == 0 {
			return
		}
		for _, a := range args {
			if strings.ContainsAny(a, `/\`) || strings.Contains(a, "..") && a != ".." || a == ".." && args[0] != "validate" {
				return // could name a place outside the scratch directory
			}
		}
		dir := t.TempDir()
		t.Chdir(dir)
		if err := os.WriteFile("m.toml", data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := listTree(t, dir)
		args = append(args[:1:1], append([]string{"--paths", "200"}, args[1:]...)...)
		if !slices.Contains([]string{"run", "compare", "batch"}, args[0]) {
			args = strings.Fields(line)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var stdout, stderr bytes.Buffer
		status := runMain(ctx, args, env{stdout: &stdout, stderr: &stderr, args: args})
		switch {
		case strings.Contains(stderr.String(), "internal error"):
			t.Fatalf("backlogsim %q: %s", args, stderr.String())
		case status != exitOK && status != exitUsage && status != exitInterrupted:
			t.Fatalf("backlogsim %q = %d; want 0, 2 or 130; stderr:\n%s", args, status, stderr.String())
		case status != exitOK && stderr.Len() == 0:
			t.Fatalf("backlogsim %q = %d with nothing on stderr", args, status)
		case status != exitOK:
			if after := listTree(t, dir); !slices.Equal(before, after) {
				t.Fatalf("backlogsim %q = %d but wrote %q (before %q)", args, status, after, before)
			}
		}
	})
}

// listTree returns the paths below dir, sorted.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		names = append(names, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
