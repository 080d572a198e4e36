package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds the malformed scenarios of package scenarios, each with
// the exact error it must produce in its leading "# want: " lines.
const corpusDir = "../../scenarios/testdata/bad"

// corpusWant returns the error a corpus file must produce when loaded from
// path: its "# want: " lines, with the corpus's own path replaced by path's
// directory.
func corpusWant(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		msg, ok := strings.CutPrefix(line, "# want: ")
		if !ok {
			break
		}
		// The loader names files relative to scenarios/: testdata/bad/ and
		// the corpus's fixture testdata/corpus_base.toml.
		want = append(want, strings.ReplaceAll(msg, "testdata/", filepath.ToSlash(filepath.Dir(filepath.Dir(path)))+"/"))
	}
	if len(want) == 0 {
		t.Fatalf("%s: no # want: line", path)
	}
	return strings.Join(want, "\n")
}

// TestValidateBadCorpus: "backlogsim validate FILE" on every malformed
// scenario of the corpus exits 2 and prints exactly the loader's
// FILE:LINE: KEY: MSG lines on stderr (for a syntax error, possibly
// followed by a display of the position), and nothing on stdout. So does
// "validate --resolved".
func TestValidateBadCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s (%v)", corpusDir, err)
	}
	for _, path := range files {
		path = filepath.ToSlash(path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".toml"), func(t *testing.T) {
			want := "backlogsim: " + corpusWant(t, path) + "\n"
			syntax := strings.HasPrefix(filepath.Base(path), "syntax_")
			for _, args := range [][]string{{"validate", path}, {"validate", "--resolved", path}} {
				status, stdout, stderr := runCLI(t, args...)
				if syntax && strings.HasPrefix(stderr, want) {
					stderr = want // a caret display of the position may follow
				}
				if status != exitUsage || stderr != want || stdout != "" {
					t.Errorf("backlogsim %q = %d, stdout %q, stderr %q; want %d, no output, stderr %q",
						args, status, stdout, stderr, exitUsage, want)
				}
			}
		})
	}
}

// TestRunBadScenario: "backlogsim run" on a bad scenario fails the same
// way before simulating, and writes nothing.
func TestRunBadScenario(t *testing.T) {
	path := corpusDir + "/rate_negative.toml"
	out := filepath.Join(t.TempDir(), "out")
	status, stdout, stderr := runCLI(t, "run", path, "--out", out)
	want := "backlogsim: " + corpusWant(t, path) + "\n"
	if status != exitUsage || stderr != want || stdout != "" {
		t.Errorf("backlogsim run %s = %d, %q, %q; want %d and stderr %q", path, status, stdout, stderr, exitUsage, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("backlogsim run %s created %s; want nothing written", path, out)
	}
}

// TestSyntaxErrorPosition: a TOML syntax error names the file, the line and
// the key being parsed.
func TestSyntaxErrorPosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.toml")
	src := "extends = \"baseline\"\n\n[simulation]\npaths = 1_000_\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runCLI(t, "validate", path)
	// The first line is the message; the caret display follows (see
	// TestSyntaxErrorCaret).
	want := "backlogsim: " + path + `:4: simulation.paths: syntax error: invalid integer "1_000_": underscores must be surrounded by digits` + "\n"
	if status != exitUsage || !strings.HasPrefix(stderr, want) {
		t.Errorf("backlogsim validate %s = %d, %q; want %d, starting %q", path, status, stderr, exitUsage, want)
	}
}

// TestSyntaxErrorCaret: a syntax error also shows the offending line with a
// caret under the column, as toml.ParseError.ErrorWithPosition does.
func TestSyntaxErrorCaret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.toml")
	if err := os.WriteFile(path, []byte("extends = \"baseline\"\n[simulation]\npaths = 1_000_\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runCLI(t, "validate", path)
	for _, want := range []string{"At line 3, column 9-14:", "3 | paths = 1_000_", "^^^^^^"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("backlogsim validate %s: stderr %q does not contain %q", path, stderr, want)
		}
	}
}

// TestValidateResolvedRoundTrip: the output of "validate --resolved" is a
// scenario that validates to the same counts.
func TestValidateResolvedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	child := filepath.Join(dir, "child.toml")
	src := "name = \"child\"\nextends = \"baseline\"\n\n[customers.openai]\ncash = 30.0\n"
	if err := os.WriteFile(child, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	status, resolved, stderr := runCLI(t, "validate", "--resolved", child)
	if status != exitOK || !strings.Contains(resolved, "cash = 30.0") || strings.Contains(resolved, "extends") {
		t.Fatalf("validate --resolved %s = %d, stderr %q; want the merged TOML with cash = 30.0 and no extends:\n%s", child, status, stderr, resolved)
	}
	flat := filepath.Join(dir, "flat.toml")
	if err := os.WriteFile(flat, []byte(resolved), 0o644); err != nil {
		t.Fatal(err)
	}
	_, okChild, _ := runCLI(t, "validate", child)
	status, okFlat, stderr := runCLI(t, "validate", flat)
	counts := func(s string) string { _, after, _ := strings.Cut(s, ": ok: "); return after }
	if status != exitOK || counts(okFlat) == "" || counts(okFlat) != counts(okChild) {
		t.Errorf("validate of the resolved file = %d, %q, %q; want ok with the counts of %q", status, okFlat, stderr, okChild)
	}
}

// TestExitStatuses checks the exit status and message of each kind of
// failure the command line reports.
func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args   []string
		status int
		stderr string // a part of stderr
	}{
		{[]string{"validate", "no-such-scenario"}, exitUsage, "no file no-such-scenario and no built-in scenario of that name (built-ins: "},
		{[]string{"validate", dir}, exitUsage, "is a directory, not a scenario file"},
		{[]string{"validate", "/dev/zero"}, exitUsage, "/dev/zero is not a regular file but a character device: not a scenario file"},
		{[]string{"validate", "a.toml", "b.toml"}, exitUsage, "validate: expected one scenario, got 2"},
		{[]string{"run", "--paths", "-1"}, exitUsage, `invalid value "-1" for flag -paths: must be in [1, 1000000000], got -1`},
		{[]string{"run", "--seed", "-1"}, exitUsage, `invalid value "-1" for flag -seed: must be >= 0, got -1`},
		{[]string{"run", "--paths", "100", "--no-plots", "--quiet", "--out", file}, exitUsage, "exists and is not a directory"},
		{[]string{"run", "--paths", "100", "--no-plots", "--quiet", "--out", full}, exitUsage, "exists and is not empty; use --force to replace it"},
		{[]string{"run", "--paths", "100", "--no-plots", "--quiet", "--out", "."}, exitUsage, "cannot be an output directory"},
		{[]string{"run", "--paths", "100", "--no-plots", "--quiet", "--out", empty}, exitOK, ""},
		{[]string{"run", "--paths", "100", "--no-plots", "--quiet", "--out", full, "--force"}, exitOK, ""},
	} {
		if tt.args[0] == "validate" && tt.args[1] == "/dev/zero" {
			if _, err := os.Stat("/dev/zero"); err != nil {
				continue
			}
		}
		status, _, stderr := runCLI(t, tt.args...)
		if status != tt.status || !strings.Contains(stderr, tt.stderr) || tt.stderr == "" && stderr != "" {
			t.Errorf("backlogsim %q = %d, stderr %q; want %d and stderr containing %q", tt.args, status, stderr, tt.status, tt.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(full, "keep")); !os.IsNotExist(err) {
		t.Errorf("run --force into %s kept the old file keep (%v); want the directory replaced", full, err)
	}
	if _, err := os.Stat(filepath.Join(empty, "summary.json")); err != nil {
		t.Errorf("run into the empty directory %s: %v; want summary.json written", empty, err)
	}
}
