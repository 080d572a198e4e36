package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// wideScenario writes a scenario of n labs, each owing its own provider,
// whose charts take tens of seconds to draw while its paths take a moment.
func wideScenario(t *testing.T, path string, n int) {
	t.Helper()
	m := readFileString(minimal(t))
	cut := func(from, to string) string {
		i, j := strings.Index(m, from), strings.Index(m, to)
		if i < 0 || j < i {
			t.Fatalf("minimal.toml has no %q before %q", from, to)
		}
		return m[i:j]
	}
	head := strings.Replace(m[:strings.Index(m, "[customers.lab]")], `name = "minimal"`, `name = "wide"`, 1)
	lab, provider := cut("[customers.lab]", "[providers.cloud]"), cut("[providers.cloud]", "[suppliers.chips]")
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		b.WriteString(strings.ReplaceAll(lab, "customers.lab", fmt.Sprintf("customers.lab%d", i)))
		b.WriteString(strings.ReplaceAll(provider, "providers.cloud", fmt.Sprintf("providers.cloud%d", i)))
	}
	b.WriteString(cut("[suppliers.chips]", "[[contracts]]"))
	for i := range n {
		fmt.Fprintf(&b, "[[contracts]]\npayer = \"lab%d\"\npayee = \"cloud%d\"\nvalue = 60\nterm_years = 3\n\n", i, i)
	}
	writeTestFile(t, path, b.String())
}

// testInterruptWhileDrawing (9): Ctrl-C was ignored while charts were
// drawn (29 s to exit for 200 labs and providers). Now a signal during
// drawing ends the run at once, with 130 and nothing written.
func testInterruptWhileDrawing(t *testing.T, bin string) {
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.toml")
	wideScenario(t, wide, 40)
	out := filepath.Join(dir, "out")
	p := start(t, bin, nil, "run", wide, "--paths", "200", "--quiet", "--out", out)
	p.midway(t) // a second: the paths are done, the charts are being drawn
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	status := p.wait(t, 20*time.Second)
	if took := time.Since(sent); took > 3*time.Second {
		t.Errorf("run took %v to stop after SIGINT while drawing; want about a second at most", took)
	}
	if status != exitInterrupted || p.stderr.String() != "backlogsim: interrupted; nothing was written\n" {
		t.Errorf("run interrupted while drawing = %d, stderr %q; want %d, nothing was written", status, p.stderr.String(), exitInterrupted)
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("interrupted run left %q in %s; want only wide.toml", names, dir)
	}
}

// testInterruptedBatchSaysWhatItWrote (12): an interrupted batch printed
// "nothing was written" after writing cases. It now says how many.
func testInterruptedBatchSaysWhatItWrote(t *testing.T, bin string) {
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases")
	writeTestFile(t, filepath.Join(cases, "a.toml"), readFileString(minimal(t)))
	wideScenario(t, filepath.Join(cases, "b.toml"), 40)
	out := filepath.Join(dir, "out")
	p := start(t, bin, nil, "batch", cases, "--paths", "200", "--quiet", "--out", out)
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(out, "a", "manifest.json")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("batch wrote no case a within a minute; stderr:\n%s", p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // into case b
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	status := p.wait(t, 20*time.Second)
	want := "backlogsim: interrupted; 1 of 2 cases written, index not updated; run the same batch again to finish\n"
	if status != exitInterrupted || p.stderr.String() != want {
		t.Errorf("batch interrupted in its second case = %d, stderr %q; want %d, %q", status, p.stderr.String(), exitInterrupted, want)
	}
	if names := listDir(t, out); len(names) != 1 || names[0] != "a" {
		t.Errorf("interrupted batch left %q in %s; want only a", names, out)
	}
}

// testFIFOScenario (5): a FIFO as the scenario, as a parent through
// extends, or in a batch folder hung forever, deaf to SIGINT and SIGTERM.
// It is now refused at once.
func testFIFOScenario(t *testing.T, bin string) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO: %v", err)
	}
	child := filepath.Join(dir, "child.toml")
	writeTestFile(t, child, "extends = \"fifo.toml\"\n")
	for _, args := range [][]string{
		{"validate", fifo},
		{"run", child, "--out", filepath.Join(dir, "o")},
		{"batch", dir, "--out", filepath.Join(dir, "o")},
	} {
		p := start(t, bin, nil, args...)
		status := p.wait(t, 10*time.Second)
		if status != exitUsage || !strings.Contains(p.stderr.String(), "not a regular file but a named pipe (FIFO)") {
			t.Errorf("backlogsim %q = %d, stderr %q; want %d at once, naming the FIFO", args, status, p.stderr.String(), exitUsage)
		}
	}
}
