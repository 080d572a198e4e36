// Command backlogsim runs Monte Carlo stress tests of the AI-infrastructure
// backlog: which providers lose how much contracted revenue, and how
// likely, when the cash-burning AI labs that owe it cannot raise money.
//
// Usage:
//
//	backlogsim run [SCENARIO] [flags]       simulate and write results
//	backlogsim validate SCENARIO [flags]    check a scenario file
//	backlogsim scenarios                    list the built-in scenarios
//	backlogsim compare BASE CASE... [flags] compare cases with a base
//	backlogsim batch FILE|DIR... [flags]    run many scenarios, resumably
//	backlogsim merge SHARD... [flags]       merge the shards of a run or compare
//	backlogsim trace [SCENARIO] -path N     the story of one path
//	backlogsim sensitivity [SCENARIO]       tornado and Sobol indices
//	backlogsim sweep SCENARIO -set K=A:B:N  a grid over one or two keys
//	backlogsim version                      print the version
//
// SCENARIO is a TOML file or the name of a built-in scenario (default
// "baseline"). Run "backlogsim COMMAND -h" for a command's flags.
//
// Exit status: 0 on success, 1 when the run fails, 2 for bad usage or a
// bad scenario, 130 when interrupted (SIGINT or SIGTERM).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/BurntSushi/toml"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/output"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError marks errors caused by how the command was called or by its
// input, which exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
	// stderrIsTerminal enables the progress bar.
	stderrIsTerminal bool
	args             []string // the full command line, for the manifest
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The first SIGINT or SIGTERM cancels ctx: every stage (loading,
	// simulating, rendering, writing) stops within a second and nothing
	// incomplete is left. A second one exits at once.
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel()
		<-signals
		fmt.Fprintln(os.Stderr, "backlogsim: interrupted twice; exiting at once")
		os.Exit(exitInterrupted)
	}()
	e := env{stdout: os.Stdout, stderr: os.Stderr, stderrIsTerminal: isTerminal(os.Stderr), args: os.Args}
	os.Exit(runMain(ctx, os.Args[1:], e))
}

// runMain dispatches to a subcommand and turns its error into an exit status.
func runMain(ctx context.Context, args []string, e env) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "backlogsim: internal error: %v\nThis is a bug; please report it with the command and scenario.\n%s", r, debug.Stack())
			status = exitFailure
		}
	}()
	if len(args) == 0 {
		printUsage(e.stderr)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = cmdRun(ctx, rest, e)
	case "validate":
		err = cmdValidate(ctx, rest, e)
	case "scenarios":
		err = cmdScenarios(ctx, rest, e)
	case "compare":
		err = cmdCompare(ctx, rest, e)
	case "batch":
		err = cmdBatch(ctx, rest, e)
	case "merge":
		err = cmdMerge(ctx, rest, e)
	case "sensitivity":
		err = cmdSensitivity(ctx, rest, e)
	case "trace":
		err = cmdTrace(ctx, rest, e)
	case "sweep":
		err = cmdSweep(ctx, rest, e)
	case "version":
		err = cmdVersion(rest, e)
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 && cmd == "help" && isCommand(rest[0]) {
			// "help run" is "run -h", on stdout.
			h := e
			h.stderr = e.stdout
			return runMain(ctx, []string{rest[0], "-h"}, h)
		}
		printUsage(e.stdout)
	default:
		err = usageError{fmt.Errorf("unknown command %q", cmd)}
		printUsage(e.stderr)
	}
	if err != nil && ctx.Err() != nil && !errors.As(err, new(interruptedError)) {
		// Whatever failed, a signal arrived and the output is incomplete.
		err = interruptedError{"nothing was written"}
	}
	return report(err, e.stderr)
}

// interruptedError reports that a signal stopped the command; msg says
// what was left written (exit status 130).
type interruptedError struct{ msg string }

func (e interruptedError) Error() string { return "interrupted; " + e.msg }

// report prints err, if any, and returns the exit status it calls for.
func report(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, new(interruptedError)):
		fmt.Fprintf(stderr, "backlogsim: %v\n", err)
		return exitInterrupted
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "backlogsim: interrupted; nothing was written")
		return exitInterrupted
	}
	printCapped(stderr, "backlogsim: "+err.Error())
	// Show a TOML syntax error's line with a caret under the column.
	var pe toml.ParseError
	if errors.As(err, &pe) {
		if _, pos, ok := strings.Cut(pe.ErrorWithPosition(), "\n"); ok {
			fmt.Fprint(stderr, pos)
		}
	}
	var u usageError
	var conflict *atomicdir.ConflictError
	if errors.As(err, &u) || errors.As(err, &conflict) {
		return exitUsage
	}
	return exitFailure
}

// maxErrorLines bounds the lines of one error message printed: a scenario
// with a hundred thousand bad contracts gets the first problems and a
// count of the rest, not a hundred thousand lines.
const maxErrorLines = 50

// printCapped prints msg and a newline, at most maxErrorLines lines of it
// and then how many more there were.
func printCapped(w io.Writer, msg string) {
	lines := strings.SplitN(msg, "\n", maxErrorLines+1)
	if len(lines) <= maxErrorLines {
		fmt.Fprintln(w, msg)
		return
	}
	more := strings.Count(lines[maxErrorLines], "\n") + 1
	fmt.Fprintln(w, strings.Join(lines[:maxErrorLines], "\n"))
	fmt.Fprintf(w, "backlogsim: ... and %d more problems not shown\n", more)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `backlogsim: Monte Carlo stress tests of AI-infrastructure backlogs

Usage:
  backlogsim run [SCENARIO] [flags]      simulate and write results
  backlogsim validate SCENARIO [flags]   check a scenario file without running it
  backlogsim scenarios                   list the built-in scenarios
  backlogsim compare BASE CASE...        compare cases with a base on common random numbers
  backlogsim batch FILE|DIR...           run many scenarios, resuming where it stopped
  backlogsim merge SHARD...              merge the shard files of a run or compare
  backlogsim sensitivity [SCENARIO]      tornado and Sobol indices of the [uncertainty] parameters
  backlogsim trace [SCENARIO] -path N    the story of one path, step by step (-worst K -firm NAME lists the worst)
  backlogsim sweep SCENARIO -set K=A:B:N  a grid over one or two keys on common random numbers
  backlogsim version                     print the version

SCENARIO is a TOML file or a built-in scenario name (default "baseline").
Run "backlogsim help COMMAND" or "backlogsim COMMAND -h" for a command's flags.
`)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// commands are the subcommands runMain knows.
var commands = []string{"run", "validate", "scenarios", "compare", "batch", "merge", "sensitivity", "trace", "sweep", "version"}

func isCommand(name string) bool { return slices.Contains(commands, name) }

// cmdVersion prints the version: the module version and, when the build
// recorded them, the VCS revision and commit time (see output.Version).
func cmdVersion(args []string, e env) error {
	fs := flag.NewFlagSet("backlogsim version", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: backlogsim version

Prints backlogsim's version: the module version ("(devel)" when built
from a working tree) and, when the build recorded them, the VCS revision
("-dirty" if the tree was modified) and its commit time. "go build" and
"go run" record them inside a git checkout unless -buildvcs=false (or
GOFLAGS=-buildvcs=false) is set; manifest.json records the same string.
`)
	}
	positional, err := parseFlags(fs, args, e.stderr)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usageError{fmt.Errorf("version: takes no arguments")}
	}
	fmt.Fprintln(e.stdout, "backlogsim", output.Version())
	return nil
}
