package sim

import (
	"fmt"
	"runtime"
)

// Limits on the run settings beyond Settings.Validate's. MaxPaths,
// MaxSeed, CheckPaths and CheckSeed are in settings.go.
const (
	// MinPaths is the fewest paths of a run whose results are reported: a
	// standard error needs two (a one-path run reported standard errors
	// of 0). The engine itself steps any number of paths, so
	// Settings.Validate allows one; scenario files and the command line
	// ask for MinPaths.
	MinPaths = 2
	// MaxWorkers bounds the number of worker goroutines. Each holds
	// buffers for blocks of paths and histograms of cash by step, and
	// more workers than cores only costs memory.
	MaxWorkers = 1024
)

// CheckWorkers returns an error unless workers is in [0, MaxWorkers]; 0
// means GOMAXPROCS.
func CheckWorkers(workers int) error {
	if workers < 0 || workers > MaxWorkers {
		return fmt.Errorf("workers must be in [0, %d] (0: one per CPU), got %d", MaxWorkers, workers)
	}
	return nil
}

// WorkersUsed returns the number of goroutines Simulate runs for paths
// paths when asked for workers: GOMAXPROCS when workers <= 0, and never
// more than there are blocks of paths to share.
func WorkersUsed(paths, workers int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nBlocks := (paths + blockSize - 1) / blockSize
	return max(1, min(workers, nBlocks))
}
