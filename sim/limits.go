package sim

import (
	"fmt"
	"math"
	"runtime"
)

// Limits on the run settings. Scenario files and command-line flags both
// check against them (CheckPaths, CheckSeed, CheckWorkers), so a value is
// accepted in one place exactly when it is in the other.
const (
	// MinPaths is the fewest paths: a standard error needs two.
	MinPaths = 2
	// MaxPaths bounds the number of paths: 10⁹ paths of the baseline take
	// days, and a larger number is a typo.
	MaxPaths = 1_000_000_000
	// MaxSeed is the largest seed: a TOML integer is a signed 64-bit one.
	MaxSeed = math.MaxInt64
	// MaxWorkers bounds the number of worker goroutines. Each holds
	// buffers for a block of paths, and more workers than cores only
	// costs memory.
	MaxWorkers = 1024
)

// CheckPaths returns an error unless paths is in [MinPaths, MaxPaths].
func CheckPaths(paths int) error {
	if paths < MinPaths || paths > MaxPaths {
		return fmt.Errorf("paths must be in [%d, %d], got %d", MinPaths, MaxPaths, paths)
	}
	return nil
}

// CheckSeed returns an error unless seed is at most MaxSeed.
func CheckSeed(seed uint64) error {
	if seed > MaxSeed {
		return fmt.Errorf("seed must be in [0, %d], got %d", uint64(MaxSeed), seed)
	}
	return nil
}

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
