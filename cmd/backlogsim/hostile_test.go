package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/output"
)

// The tests of this file reproduce the problems an adversarial session
// found (issue 9), each as it was reported, with M the minimal scenario.

// minimal returns the absolute path of scenarios/testdata/minimal.toml.
func minimal(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../../scenarios/testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeTestFile writes data to path, creating its directory.
func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// extendsM returns a scenario extending M with extra appended.
func extendsM(t *testing.T, extra string) string {
	return "extends = " + strconvQuote(minimal(t)) + "\n" + extra
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// readFileString returns the contents of path, or "" if it cannot be read.
func readFileString(path string) string {
	data, _ := os.ReadFile(path)
	return string(data)
}

// TestBatchKeepsForeignFolder (1): batch src.toml --out . once replaced
// the folder src, deleting src/main.go. Now it refuses before simulating
// (exit 2) and replaces it only with --force.
func TestBatchKeepsForeignFolder(t *testing.T) {
	proj := t.TempDir()
	writeTestFile(t, filepath.Join(proj, "src", "main.go"), "code\n")
	data, err := os.ReadFile(minimal(t))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(proj, "src.toml"), string(data))
	t.Chdir(proj)
	status, stdout, stderr := runCLI(t, "batch", "src.toml", "--out", ".", "--paths", "100", "--no-plots")
	if status != exitUsage || !strings.Contains(stderr, "src holds something other than a backlogsim run") || !strings.Contains(stderr, "--force") {
		t.Errorf("batch into a folder of code = %d, stdout %q, stderr %q; want %d and a refusal naming --force", status, stdout, stderr, exitUsage)
	}
	if got := readFileString(filepath.Join("src", "main.go")); got != "code\n" {
		t.Fatalf("src/main.go = %q after batch; want it kept", got)
	}
	if status, _, stderr := runCLI(t, "batch", "src.toml", "--out", ".", "--paths", "100", "--no-plots", "--force"); status != exitOK {
		t.Fatalf("batch --force = %d; stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join("src", "main.go")); !os.IsNotExist(err) {
		t.Errorf("batch --force kept src/main.go (%v); want the folder replaced", err)
	}
}

// TestRunNameCannotChooseFolder (2): a scenario's name decided the
// default output folder out/NAME, so name = "../../victim" with --force
// replaced a folder outside out/, and name = "." all of out/.
func TestRunNameCannotChooseFolder(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "r2", "work")
	victim := filepath.Join(root, "r2", "victim", "keep.txt")
	writeTestFile(t, victim, "precious\n")
	writeTestFile(t, filepath.Join(work, "out", "other", "keep.txt"), "precious\n")
	m := minimal(t)
	t.Chdir(work)
	for _, name := range []string{"../../victim", ".", "../escape", "a/b", "a\nb", ".hidden", "$(touch pwned)", strings.Repeat("n", 5000)} {
		writeTestFile(t, "evil.toml", "extends = "+strconvQuote(m)+"\nname = "+strconvQuote(name)+"\n")
		status, _, stderr := runCLI(t, "run", "evil.toml", "--force", "--paths", "100", "--no-plots", "--quiet")
		if status != exitUsage || !strings.Contains(stderr, "name") {
			t.Errorf("run with name %q = %d, stderr %q; want %d and a name error", name, status, stderr, exitUsage)
		}
	}
	if got := readFileString(victim); got != "precious\n" {
		t.Errorf("victim/keep.txt = %q; want it untouched", got)
	}
	if got := readFileString(filepath.Join("out", "other", "keep.txt")); got != "precious\n" {
		t.Errorf("out/other/keep.txt = %q; want it untouched", got)
	}
	for _, p := range []string{"pwned", "../escape", "../pwned"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists; want nothing created", p)
		}
	}
	// A valid name writes out/NAME, inside out/.
	writeTestFile(t, "good.toml", "extends = "+strconvQuote(m)+"\nname = \"good.v1\"\n")
	if status, _, stderr := runCLI(t, "run", "good.toml", "--paths", "100", "--no-plots", "--quiet"); status != exitOK {
		t.Fatalf("run good.toml = %d; stderr:\n%s", status, stderr)
	}
	if _, err := os.Stat(filepath.Join("out", "good.v1", "summary.json")); err != nil {
		t.Error(err)
	}
}

// TestRunZeroStepHorizon (3): horizon_years = 1e-10 passed validate and
// panicked in run; both now refuse it with exit 2.
func TestRunZeroStepHorizon(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.toml")
	data := strings.Replace(readFileString(minimal(t)), "horizon_years = 2", "horizon_years = 1e-10", 1)
	data = strings.Replace(data, "start_years = 1.5", "start_years = 0", 1)
	writeTestFile(t, path, data)
	for _, cmd := range []string{"validate", "run"} {
		args := []string{cmd, path}
		if cmd == "run" {
			args = append(args, "--paths", "100", "--no-plots", "--quiet", "--out", filepath.Join(t.TempDir(), "o"))
		}
		status, _, stderr := runCLI(t, args...)
		if status != exitUsage || !strings.Contains(stderr, "must give at least one step") || strings.Contains(stderr, "internal error") {
			t.Errorf("%s with horizon 1e-10 = %d, stderr %q; want %d and \"must give at least one step\"", cmd, status, stderr, exitUsage)
		}
	}
}

// TestFlagsParsedAsInFile (6): --seed 1e3 ran seed 1, 1.5 seed 1, 5abc
// seed 5, and --paths skipped the file's range. Now each flag is read as
// its key of a scenario file: 1e3 is a thousand, the others are refused.
func TestFlagsParsedAsInFile(t *testing.T) {
	dir := t.TempDir()
	run := func(out string, extra ...string) (int, string) {
		args := append([]string{"run", minimal(t), "--paths", "300", "--no-plots", "--quiet", "--out", filepath.Join(dir, out)}, extra...)
		status, _, stderr := runCLI(t, args...)
		return status, stderr
	}
	for _, seed := range []string{"1000", "1e3", "1_000", "0x3e8"} {
		if status, stderr := run("seed-"+seed, "--seed", seed); status != exitOK {
			t.Fatalf("--seed %s = %d; stderr %s", seed, status, stderr)
		}
		var m output.Manifest
		if err := json.Unmarshal([]byte(readFileString(filepath.Join(dir, "seed-"+seed, "manifest.json"))), &m); err != nil || m.Seed != 1000 {
			t.Errorf("--seed %s: manifest seed %d (%v); want 1000", seed, m.Seed, err)
		}
	}
	for _, bad := range [][]string{
		{"--seed", "1.5"}, {"--seed", "5abc"}, {"--seed", "-1"}, {"--seed", ""}, {"--seed=", ""},
		{"--paths", "0"}, {"--paths", "1"}, {"--paths", "1000000001"}, {"--paths", "1e10"}, {"--paths", "10 # x"},
		{"--workers", "10000"}, {"--workers", "-1"}, {"--workers", "two"},
		{"--importance", "window=inf"}, {"--importance", "demand=1,demand=2"}, {"--importance", "regime=-1"},
		{"--max-memory", "lots"},
	} {
		args := bad
		if bad[0] == "--seed=" {
			args = []string{"--seed="}
		}
		if status, stderr := run("bad", args...); status != exitUsage {
			t.Errorf("run %q = %d, stderr %q; want %d", args, status, stderr, exitUsage)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Errorf("a refused flag wrote output: %v", err)
	}
}

// TestManifestRecordsWorkersUsed (7): the manifest recorded the workers
// asked for, not the number that ran: 300 paths are two blocks, so at
// most two workers run.
func TestManifestRecordsWorkersUsed(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	if status, _, stderr := runCLI(t, "run", minimal(t), "--paths", "300", "--workers", "64", "--no-plots", "--quiet", "--out", out); status != exitOK {
		t.Fatalf("run = %d; stderr %s", status, stderr)
	}
	var m output.Manifest
	if err := json.Unmarshal([]byte(readFileString(filepath.Join(out, "manifest.json"))), &m); err != nil || m.Workers != 2 {
		t.Errorf("manifest workers = %d (%v); want 2", m.Workers, err)
	}
}

// TestRefusesRunsTooLargeForMemory (7): exact summaries of 10⁹ paths,
// compare at 10⁹ and --workers in the thousands died of a runtime
// out-of-memory error; now they are refused up front with the estimate
// and the flags to change.
func TestRefusesRunsTooLargeForMemory(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", minimal(t), "--paths", "1e9", "--summary", "exact", "--max-memory", "64GiB"},
		{"run", minimal(t), "--paths", "1000000", "--summary", "streaming", "--workers", "1024", "--max-memory", "100MB"},
		{"compare", minimal(t), minimal(t), "--paths", "1e9", "--max-memory", "64GiB"},
		{"batch", minimal(t), "--paths", "1e9", "--max-memory", "1MiB"},
	} {
		args = append(args, "--no-plots", "--quiet", "--out", filepath.Join(dir, "o"))
		status, _, stderr := runCLI(t, args...)
		if status != exitUsage || !strings.Contains(stderr, "needs about") || !strings.Contains(stderr, "--max-memory") {
			t.Errorf("backlogsim %q = %d, stderr %q; want %d and the estimate with the flags to change", args, status, stderr, exitUsage)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "o")); !os.IsNotExist(err) {
		t.Errorf("a refused run wrote output: %v", err)
	}
}
