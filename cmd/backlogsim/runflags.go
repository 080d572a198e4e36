package main

import (
	"flag"
	"fmt"
	"runtime"
	"strconv"

	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// runFlags are the flags that run, compare and batch share: how many paths
// on which seed, how many workers, and how much to print and draw.
type runFlags struct {
	Paths   pathsFlag // unset keeps the scenario's
	Seed    seedFlag  // unset keeps the scenario's
	Workers workersFlag
	Quiet   bool
	NoPlots bool
	// MaxMemory bounds the memory a run may need (see checkResources).
	MaxMemory memoryFlag
}

// register defines the flags on fs; whose says whose value a flag left
// unset keeps ("the scenario's") and plots what -no-plots skips.
func (f *runFlags) register(fs *flag.FlagSet, whose, plots string) {
	fs.TextVar(&f.Paths, "paths", pathsFlag{}, fmt.Sprintf("number of Monte Carlo `paths`, 1 to %d, written as in a scenario file (default: %s)", sim.MaxPaths, whose))
	fs.TextVar(&f.Seed, "seed", seedFlag{}, fmt.Sprintf("random `seed`, 0 to %d, written as in a scenario file (default: %s)", uint64(sim.MaxSeed), whose))
	fs.TextVar(&f.Workers, "workers", workersFlag{}, fmt.Sprintf("worker goroutines, 0 to %d (default 0: one per CPU, %d here); never changes results", sim.MaxWorkers, runtime.NumCPU()))
	fs.TextVar(&f.MaxMemory, "max-memory", memoryFlag{}, "refuse a run estimated to need more than this much memory, such as 512MiB or 8GB (default: the machine's available memory)")
	fs.BoolVar(&f.Quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&f.NoPlots, "no-plots", false, "skip "+plots)
}

// apply sets m's paths and seed where the flags give them.
func (f *runFlags) apply(m *sim.Model) {
	if f.Paths.set {
		m.Paths = f.Paths.n
	}
	if f.Seed.set {
		m.Seed = f.Seed.n
	}
}

// The flag types below implement encoding.TextUnmarshaler for flag.TextVar.
// Each parses its value with package scenarios, as the matching key of a
// scenario file, so a flag accepts exactly what a file accepts. The empty
// text is the unset default that flag.TextVar installs; an explicitly
// empty flag is refused by checkNotEmpty.

// pathsFlag is --paths.
type pathsFlag struct {
	n   int
	set bool
}

func (p *pathsFlag) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*p = pathsFlag{}
		return nil
	}
	n, err := scenarios.ParsePaths(string(text))
	if err != nil {
		return err
	}
	*p = pathsFlag{n: n, set: true}
	return nil
}

func (p pathsFlag) MarshalText() ([]byte, error) { return optionalInt(int64(p.n), p.set), nil }

// seedFlag is --seed.
type seedFlag struct {
	n   uint64
	set bool
}

func (s *seedFlag) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*s = seedFlag{}
		return nil
	}
	n, err := scenarios.ParseSeed(string(text))
	if err != nil {
		return err
	}
	*s = seedFlag{n: n, set: true}
	return nil
}

func (s seedFlag) MarshalText() ([]byte, error) {
	if !s.set {
		return nil, nil
	}
	return strconv.AppendUint(nil, s.n, 10), nil
}

// workersFlag is --workers; 0 means one per CPU.
type workersFlag struct {
	n   int
	set bool
}

func (w *workersFlag) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*w = workersFlag{}
		return nil
	}
	n, err := scenarios.ParseWorkers(string(text))
	if err != nil {
		return err
	}
	*w = workersFlag{n: n, set: true}
	return nil
}

func (w workersFlag) MarshalText() ([]byte, error) { return optionalInt(int64(w.n), w.set), nil }

// importanceFlag is --importance (see scenarios.ParseImportance).
type importanceFlag struct {
	is   sim.ImportanceSampling
	text string
}

func (f *importanceFlag) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*f = importanceFlag{}
		return nil
	}
	is, err := scenarios.ParseImportance(string(text))
	if err != nil {
		return err
	}
	*f = importanceFlag{is: is, text: string(text)}
	return nil
}

func (f importanceFlag) MarshalText() ([]byte, error) { return []byte(f.text), nil }

func optionalInt(n int64, set bool) []byte {
	if !set {
		return nil
	}
	return strconv.AppendInt(nil, n, 10)
}
