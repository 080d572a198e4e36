package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpOfEveryCommand checks that "help COMMAND" prints the command's
// usage on stdout and that "COMMAND -h" and "COMMAND --help" succeed.
func TestHelpOfEveryCommand(t *testing.T) {
	for _, cmd := range commands {
		status, stdout, stderr := runCLI(t, "help", cmd)
		if status != exitOK || !strings.HasPrefix(stdout, "Usage: backlogsim "+cmd) {
			t.Errorf("help %s = %d, stdout %.60q, stderr %.60q; want its usage on stdout", cmd, status, stdout, stderr)
		}
		for _, flag := range []string{"-h", "--help"} {
			status, _, stderr := runCLI(t, cmd, flag)
			if status != exitOK || !strings.HasPrefix(stderr, "Usage: backlogsim "+cmd) {
				t.Errorf("%s %s = %d, stderr %.60q; want its usage", cmd, flag, status, stderr)
			}
		}
	}
	if status, stdout, _ := runCLI(t, "help", "no-such-command"); status != exitOK || !strings.Contains(stdout, "Usage:\n") {
		t.Errorf("help no-such-command = %d, %.60q; want the general usage", status, stdout)
	}
	for _, args := range [][]string{{"scenarios", "extra"}, {"version", "extra"}} {
		if status, _, _ := runCLI(t, args...); status != exitUsage {
			t.Errorf("%q = %d; want %d", args, status, exitUsage)
		}
	}
}

// TestVersionRecordsCommit builds the command with VCS stamping on, as a
// plain "go build" in a git clone does, and checks that "version" reports
// the commit. It needs a git clone (a .git directory at the module root;
// a git worktree's .git file is not enough for Go) and the go command.
func TestVersionRecordsCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(root, ".git")); err != nil || !fi.IsDir() {
		t.Skip("not a git clone with a .git directory")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	bin := filepath.Join(t.TempDir(), "backlogsim")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/backlogsim")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "(revision ") {
		t.Errorf("version = %q; want the commit it was built from", out)
	}
}
