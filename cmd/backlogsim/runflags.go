package main

import (
	"flag"
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// runFlags are the flags that run, compare and batch share: how many paths
// on which seed, how many workers, and how much to print and draw.
type runFlags struct {
	Paths   int // 0 keeps the scenario's
	Seed    uint64
	seedSet bool
	Workers int // 0 means the number of CPUs
	Quiet   bool
	NoPlots bool

	seedText string
}

// register defines the flags on fs; whose says whose value a flag left
// unset keeps ("the scenario's") and plots what -no-plots skips.
func (f *runFlags) register(fs *flag.FlagSet, whose, plots string) {
	fs.IntVar(&f.Paths, "paths", 0, "number of Monte Carlo `paths` (default: "+whose+")")
	fs.StringVar(&f.seedText, "seed", "", "random `seed`, an unsigned integer (default: "+whose+")")
	fs.IntVar(&f.Workers, "workers", 0, "worker goroutines (default: number of CPUs); never changes results")
	fs.BoolVar(&f.Quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&f.NoPlots, "no-plots", false, "skip "+plots)
}

// check validates the parsed flags.
func (f *runFlags) check() error {
	if f.seedText != "" {
		if _, err := fmt.Sscan(f.seedText, &f.Seed); err != nil {
			return usageError{fmt.Errorf("-seed: want an unsigned integer, got %q", f.seedText)}
		}
		f.seedSet = true
	}
	if f.Paths < 0 {
		return usageError{fmt.Errorf("-paths: must be > 0, got %d", f.Paths)}
	}
	return nil
}

// apply sets m's paths and seed where the flags give them.
func (f *runFlags) apply(m *sim.Model) {
	if f.Paths > 0 {
		m.Paths = f.Paths
	}
	if f.seedSet {
		m.Seed = f.Seed
	}
}
