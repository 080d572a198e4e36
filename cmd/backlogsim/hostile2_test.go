package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
)

// TestKilledForceRunRecovered (8): a --force run killed between its two
// renames left no output folder, the previous one hidden as .DIR.old-*.
// The next run puts it back before anything else: without --force it is
// then refused as not empty (exit 2) and is as it was.
func TestKilledForceRunRecovered(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	if status, _, stderr := runCLI(t, "run", minimal(t), "--paths", "100", "--no-plots", "--quiet", "--out", out); status != exitOK {
		t.Fatalf("first run = %d; stderr %s", status, stderr)
	}
	before := snapshot(t, out)
	// What a kill between the renames leaves.
	if err := os.Rename(out, filepath.Join(parent, ".out.old-KILLED")); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runCLI(t, "run", minimal(t), "--paths", "100", "--seed", "9", "--no-plots", "--quiet", "--out", out)
	if status != exitUsage || !strings.Contains(stderr, "exists and is not empty") {
		t.Errorf("run after a killed swap = %d, stderr %q; want %d: the restored folder is not empty", status, stderr, exitUsage)
	}
	after := snapshot(t, out)
	if len(after) != len(before) {
		t.Errorf("restored %s holds %d files; want the %d of the previous run", out, len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("restored %s differs from the previous run", name)
		}
	}
	if names := listDir(t, parent); len(names) != 1 || names[0] != "out" {
		t.Errorf("%s holds %q; want only out", parent, names)
	}
}

// TestErrorsBeforeSimulating (10): problems found only after simulating,
// with exit 1, are now found before it, with exit 2 and nothing written.
func TestErrorsBeforeSimulating(t *testing.T) {
	dir := t.TempDir()
	m := minimal(t)
	sampled := filepath.Join(dir, "sampled.toml")
	writeTestFile(t, sampled, extendsM(t, "name = \"sampled\"\n[sampling]\nantithetic = true\n"))
	// A case without the base's supplier: the same world written out
	// without it.
	noChips := strings.Replace(readFileString(m), "[suppliers.chips]", "[suppliers.chips-x]", 1)
	noChips = strings.Replace(noChips, "[suppliers.chips.pool]", "[suppliers.chips-x.pool]", 1)
	noChips = strings.Replace(noChips, `payee = "chips"`, `payee = "chips-x"`, 1)
	noChips = strings.Replace(noChips, `name = "minimal"`, `name = "no-chips"`, 1)
	missing := filepath.Join(dir, "missing.toml")
	writeTestFile(t, missing, noChips)
	out := filepath.Join(dir, "o")
	for _, args := range [][]string{
		{"compare", sampled, m, "--paths", "200"},
		{"compare", m, missing, "--paths", "200"},
	} {
		status, _, stderr := runCLI(t, append(args, "--no-plots", "--quiet", "--out", out)...)
		if status != exitUsage || !strings.Contains(stderr, "compare") {
			t.Errorf("backlogsim %q = %d, stderr %q; want %d before simulating", args, status, stderr, exitUsage)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused compare wrote %s: %v", out, err)
	}
	// A race into one --out: the second writer finds the folder filled
	// meanwhile; that is the documented exit 2, not an I/O failure.
	err := &atomicdir.ConflictError{Dir: out, Msg: "exists and is not empty (written by another process meanwhile); use --force to replace it"}
	if got := report(err, &bytes.Buffer{}); got != exitUsage {
		t.Errorf("report(%v) = %d; want %d", err, got, exitUsage)
	}
}

// TestCompareFolderNames (10): a compare case named compare.json once
// collided with the file compare.json after simulating. Case folders now
// avoid the comparison's own file names, and a provider named all gets
// its own chart.
func TestCompareFolderNames(t *testing.T) {
	dir := t.TempDir()
	cj := filepath.Join(dir, "cj.toml")
	writeTestFile(t, cj, extendsM(t, "name = \"compare.json\"\n[providers.all]\nbacklog = 5\ncash = 5\noperating_cash_flow = 1\ndebt = 1\nmargin = 0.3\nstranded_share = 0.2\n[providers.all.pool]\nannual_default_probability = 0.01\ncorrelation = 0.1\nloss_given_default = 0.5\nduration_years = 1\n"))
	out := filepath.Join(dir, "o")
	status, stdout, stderr := runCLI(t, "compare", minimal(t), cj, "--paths", "200", "--out", out)
	if status != exitOK {
		t.Fatalf("compare with a case named compare.json = %d; stderr %s", status, stderr)
	}
	for _, name := range []string{"compare.json", "compare.json-2/summary.json", "compare.json-2/plots/loss-backlog-all-2.png", "compare.json-2/plots/loss-backlog-all.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("compare: %v", err)
		}
	}
	// (11) The provider the base lacks is listed, not dropped silently.
	if !strings.Contains(stdout, "Not compared: provider all of compare.json-2, which the base lacks.") {
		t.Errorf("compare output does not list the unpaired provider:\n%s", stdout)
	}
	var c output.Comparison
	if err := json.Unmarshal([]byte(readFileString(filepath.Join(out, "compare.json"))), &c); err != nil {
		t.Fatal(err)
	}
	if want := (output.Unpaired{Case: "compare.json-2", Kind: "provider", Name: "all"}); len(c.Unpaired) != 1 || c.Unpaired[0] != want {
		t.Errorf("compare.json unpaired = %+v; want [%+v]", c.Unpaired, want)
	}
}

// TestBatchResume (12): a truncated summary.json was trusted as complete
// (then failed and was never rerun) and a deleted chart went unnoticed;
// a hidden ._x.toml failed the whole batch, and only the first bad file's
// errors were shown.
func TestBatchResume(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "a.toml"), extendsM(t, ""))
	writeTestFile(t, filepath.Join(dir, "b.toml"), extendsM(t, "[simulation]\nseed = 2\n"))
	writeTestFile(t, filepath.Join(dir, "._a.toml"), "\x00\x05\x16\x07 AppleDouble junk")
	out := filepath.Join(t.TempDir(), "batch")
	args := []string{"batch", dir, "--out", out, "--paths", "200"}
	if status, stdout, stderr := runCLI(t, args...); status != exitOK || !strings.Contains(stdout, "2 run, 0 already complete") {
		t.Fatalf("batch = %d, stdout %q, stderr %q; want both cases run, ._a.toml left out", status, stdout, stderr)
	}
	good := readFileString(filepath.Join(out, "a", "summary.json"))
	// Damage a: truncate its summary; damage b: delete a chart.
	if err := os.WriteFile(filepath.Join(out, "a", "summary.json"), []byte(good[:len(good)/2]), 0o644); err != nil {
		t.Fatal(err)
	}
	charts, _ := filepath.Glob(filepath.Join(out, "b", "plots", "*.png"))
	if len(charts) == 0 {
		t.Fatal("b has no charts")
	}
	if err := os.Remove(charts[0]); err != nil {
		t.Fatal(err)
	}
	status, stdout, stderr := runCLI(t, args...)
	if status != exitOK || !strings.Contains(stdout, "2 run, 0 already complete") {
		t.Errorf("batch after damage = %d, stdout %q, stderr %q; want both rerun", status, stdout, stderr)
	}
	if got := readFileString(filepath.Join(out, "a", "summary.json")); got != good {
		t.Errorf("a/summary.json not restored by the rerun")
	}
	if _, err := os.Stat(charts[0]); err != nil {
		t.Errorf("deleted chart not restored: %v", err)
	}
	if status, stdout, _ := runCLI(t, args...); status != exitOK || !strings.Contains(stdout, "0 run, 2 already complete") {
		t.Errorf("batch again = %d, stdout %q; want both skipped", status, stdout)
	}

	// Every bad file's errors, not only the first's.
	bad := t.TempDir()
	writeTestFile(t, filepath.Join(bad, "x.toml"), extendsM(t, "[simulation]\npaths = -1\n"))
	writeTestFile(t, filepath.Join(bad, "y.toml"), extendsM(t, "[simulation]\nseed = -1\n"))
	status, _, stderr = runCLI(t, "batch", bad, "--out", filepath.Join(bad, "o"))
	if status != exitUsage || !strings.Contains(stderr, "x.toml:3: simulation.paths") || !strings.Contains(stderr, "y.toml:3: simulation.seed") {
		t.Errorf("batch of two bad files = %d, stderr %q; want both files' errors", status, stderr)
	}
}

// TestMessages (13): the smaller message problems.
func TestMessages(t *testing.T) {
	dir := t.TempDir()
	// A file named like a built-in no longer shadows it silently.
	writeTestFile(t, filepath.Join(dir, "baseline"), extendsM(t, ""))
	m := minimal(t)
	t.Chdir(dir)
	status, _, stderr := runCLI(t, "validate", "baseline")
	if status != exitUsage || !strings.Contains(stderr, `"baseline" is both a file and a built-in scenario; write ./baseline for the file or builtin:baseline for the built-in`) {
		t.Errorf("validate baseline beside a file baseline = %d, stderr %q; want the ambiguity named", status, stderr)
	}
	for _, ref := range []string{"./baseline", "builtin:baseline"} {
		if status, _, stderr := runCLI(t, "validate", ref); status != exitOK {
			t.Errorf("validate %s = %d, stderr %q; want ok", ref, status, stderr)
		}
	}
	// A relative extends through a symbolic link resolves from the file's
	// own folder, not the link's.
	writeTestFile(t, filepath.Join(dir, "real", "parent.toml"), "extends = "+strconvQuote(m)+"\nname = \"parent\"\n")
	writeTestFile(t, filepath.Join(dir, "real", "child.toml"), "extends = \"parent.toml\"\n")
	if err := os.Symlink(filepath.Join(dir, "real", "child.toml"), filepath.Join(dir, "link.toml")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	if status, _, stderr := runCLI(t, "validate", "link.toml"); status != exitOK {
		t.Errorf("validate link.toml (a link to real/child.toml, which extends parent.toml beside it) = %d, stderr %q; want ok", status, stderr)
	}
	// Error output is capped, saying how much more there was.
	var b strings.Builder
	b.WriteString("extends = " + strconvQuote(m) + "\n")
	for i := range 300 {
		b.WriteString("[customers.lab-" + strconv.Itoa(i) + "]\nbogus = 1\n")
	}
	writeTestFile(t, filepath.Join(dir, "many.toml"), b.String())
	status, _, stderr = runCLI(t, "validate", "many.toml")
	if lines := strings.Count(stderr, "\n"); status != exitUsage || lines > maxErrorLines+1 || !strings.Contains(stderr, "more problems not shown") {
		t.Errorf("validate many.toml = %d with %d lines of stderr; want %d and at most %d lines ending with a count", status, lines, exitUsage, maxErrorLines+1)
	}
}

// TestInterruptedExitStatus (9): a signal that arrives while output is
// written or after anything else has failed still exits 130, and a
// batch interrupted midway says what it wrote.
func TestInterruptedExitStatus(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	status := runMain(ctx, []string{"run", minimal(t), "--paths", "100", "--no-plots", "--out", filepath.Join(t.TempDir(), "o")}, env{stdout: &out, stderr: &errOut})
	if status != exitInterrupted || errOut.String() != "backlogsim: interrupted; nothing was written\n" {
		t.Errorf("run with a cancelled context = %d, stderr %q; want %d, nothing was written", status, errOut.String(), exitInterrupted)
	}
	if got := report(interruptedError{"1 of 2 cases written, index not updated; run the same batch again to finish"}, &errOut); got != exitInterrupted {
		t.Errorf("report(interrupted batch) = %d; want %d", got, exitInterrupted)
	}
	if !errors.As(error(interruptedError{}), new(interruptedError)) {
		t.Error("interruptedError is not found by errors.As")
	}
}
