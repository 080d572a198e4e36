package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the built binary as a separate process, to check what
// signals do and that results do not depend on GOMAXPROCS. They are skipped
// under -short and where the binary cannot be built.

// TestBinary builds the binary once and runs the tests that need it.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	t.Run("KilledRunLeavesNothing", func(t *testing.T) { testKilledRunLeavesNothing(t, bin) })
	t.Run("InterruptedRunExits130", func(t *testing.T) { testInterruptedRunExits130(t, bin) })
	t.Run("KilledForceRunKeepsPreviousOutput", func(t *testing.T) { testKilledForceRunKeepsPreviousOutput(t, bin) })
	t.Run("ReproducibleAcrossProcesses", func(t *testing.T) { testReproducibleAcrossProcesses(t, bin) })
	t.Run("InterruptWhileDrawing", func(t *testing.T) { testInterruptWhileDrawing(t, bin) })
	t.Run("InterruptedBatchSaysWhatItWrote", func(t *testing.T) { testInterruptedBatchSaysWhatItWrote(t, bin) })
	t.Run("FIFOScenario", func(t *testing.T) { testFIFOScenario(t, bin) })
}

// buildBinary builds backlogsim into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("sends POSIX signals")
	}
	goTool, err := exec.LookPath(filepath.Join(runtime.GOROOT(), "bin", "go"))
	if err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skipf("cannot build the binary: no go tool: %v", err)
		}
	}
	bin := filepath.Join(t.TempDir(), "backlogsim")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Skipf("cannot build the binary: %v\n%s", err, out)
	}
	return bin
}

// process is a started backlogsim.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan error
}

// start starts bin with args and env added to the environment.
func start(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s %q: %v", bin, args, err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits up to timeout for p to exit and returns its exit status.
func (p *process) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return -int(ws.Signal())
			}
			return exit.ExitCode()
		}
		t.Fatalf("waiting for %q: %v", p.cmd.Args, err)
	case <-time.After(timeout):
		t.Fatalf("%q still running after %v; stderr:\n%s", p.cmd.Args, timeout, p.stderr.String())
	}
	return 0
}

// midway lets p simulate for a while and fails if it has already exited:
// the scenario loads in milliseconds and a million paths of the baseline
// take tens of seconds, so after a second p is in the middle of Simulate.
func (p *process) midway(t *testing.T) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		t.Fatalf("%q exited early (%v); stderr:\n%s", p.cmd.Args, err, p.stderr.String())
	case <-time.After(time.Second):
	}
}

// longRun are arguments of a run of the baseline that takes tens of seconds.
func longRun(out string, extra ...string) []string {
	return append([]string{"run", "baseline", "--paths", "1000000", "--no-plots", "--quiet", "--out", out}, extra...)
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// snapshot returns the contents of every file below dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// testKilledRunLeavesNothing: a run killed with SIGKILL while it simulates
// leaves no output directory and no temporary sibling: nothing is written
// before the simulation ends.
func testKilledRunLeavesNothing(t *testing.T, bin string) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	p := start(t, bin, nil, longRun(out)...)
	p.midway(t)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if got := p.wait(t, 10*time.Second); got != -int(syscall.SIGKILL) {
		t.Errorf("killed run: status %d; want killed by SIGKILL", got)
	}
	if names := listDir(t, parent); len(names) != 0 {
		t.Errorf("killed run left %q in %s; want nothing", names, parent)
	}
}

// testInterruptedRunExits130: SIGINT or SIGTERM while simulating stops the
// run within seconds with status 130 and "interrupted; nothing was
// written", and nothing is written.
func testInterruptedRunExits130(t *testing.T, bin string) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			p := start(t, bin, nil, longRun(out)...)
			p.midway(t)
			sent := time.Now()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			status := p.wait(t, 10*time.Second)
			if took := time.Since(sent); took > 5*time.Second {
				t.Errorf("run took %v to stop after %v; want a few seconds at most", took, sig)
			}
			if status != exitInterrupted {
				t.Errorf("run after %v: status %d; want %d", sig, status, exitInterrupted)
			}
			if want := "backlogsim: interrupted; nothing was written\n"; p.stderr.String() != want {
				t.Errorf("run after %v: stderr %q; want %q", sig, p.stderr.String(), want)
			}
			if names := listDir(t, parent); len(names) != 0 {
				t.Errorf("interrupted run left %q in %s; want nothing", names, parent)
			}
		})
	}
}

// testKilledForceRunKeepsPreviousOutput: a --force run over a complete
// output directory that is killed while simulating leaves that directory
// exactly as it was.
func testKilledForceRunKeepsPreviousOutput(t *testing.T, bin string) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	first := start(t, bin, nil, "run", "baseline", "--paths", "2000", "--no-plots", "--quiet", "--out", out)
	if status := first.wait(t, time.Minute); status != exitOK {
		t.Fatalf("first run: status %d; stderr:\n%s", status, first.stderr.String())
	}
	before := snapshot(t, out)
	if len(before) < 3 {
		t.Fatalf("first run wrote %d files; want summary.json, summary.csv and manifest.json", len(before))
	}

	p := start(t, bin, nil, longRun(out, "--force")...)
	p.midway(t)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t, 10*time.Second)
	after := snapshot(t, out)
	if len(after) != len(before) {
		t.Errorf("after a killed --force run %s holds %d files; want the %d of the previous run", out, len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("after a killed --force run %s changed", name)
		}
	}
	if names := listDir(t, parent); len(names) != 1 || names[0] != "out" {
		t.Errorf("after a killed --force run %s holds %q; want only out", parent, names)
	}
}

// testReproducibleAcrossProcesses: summary.json and summary.csv are byte
// for byte the same for any number of workers, any GOMAXPROCS, and on a
// repeated run.
func testReproducibleAcrossProcesses(t *testing.T, bin string) {
	dir := t.TempDir()
	var ref map[string][]byte
	refName := ""
	for i, tc := range []struct {
		env     []string
		workers string
	}{
		{nil, "1"},
		{nil, "2"},
		{nil, "8"},
		{nil, "8"}, // again
		{[]string{"GOMAXPROCS=1"}, "0"},
		{[]string{"GOMAXPROCS=2"}, "0"},
		{[]string{"GOMAXPROCS=1"}, "8"},
	} {
		name := strings.Join(append(append([]string(nil), tc.env...), "--workers "+tc.workers), " ")
		out := filepath.Join(dir, "run"+string(rune('a'+i)))
		p := start(t, bin, tc.env, "run", "baseline", "--paths", "1500", "--seed", "11", "--workers", tc.workers,
			"--no-plots", "--quiet", "--out", out)
		if status := p.wait(t, time.Minute); status != exitOK {
			t.Fatalf("run %s: status %d; stderr:\n%s", name, status, p.stderr.String())
		}
		got := map[string][]byte{}
		for _, file := range []string{"summary.json", "summary.csv"} {
			data, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				t.Fatal(err)
			}
			got[file] = data
		}
		if ref == nil {
			ref, refName = got, name
			continue
		}
		for file, data := range got {
			if !bytes.Equal(data, ref[file]) {
				t.Errorf("%s of run %s differs from run %s", file, name, refName)
			}
		}
	}
}
