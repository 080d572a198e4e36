package sim

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Settings say how a model is run: how many paths, on which seed, with
// which variance reduction. They change how precisely the model's
// distributions are estimated, never what is estimated. A scenario file
// gives them in [simulation] and [sampling]; command-line flags override
// them; compare runs every case with one Settings value, which is what
// makes its random numbers common.
type Settings struct {
	// Paths is the number of Monte Carlo paths; Seed selects the random
	// streams (see the package documentation on common random numbers).
	Paths int
	Seed  uint64
	// Sampling selects variance reduction; the zero value is plain Monte
	// Carlo.
	Sampling Sampling
}

// Limits of Settings. MaxSeed is the largest TOML integer, so that every
// seed a flag accepts can be written in a scenario file.
const (
	MaxPaths = 1_000_000_000
	MaxSeed  = math.MaxInt64
)

// A FieldError is a problem with one value of a model or its settings,
// named by its key path in a scenario file (as scenarios/FORMAT.md spells
// it, e.g. "sampling.importance.arrival_tilt"), so that package scenarios
// can point at the line that set it and a command-line flag at the flag.
type FieldError struct {
	Key string
	Msg string
}

func (e *FieldError) Error() string { return "sim: " + e.Key + ": " + e.Msg }

func fieldErr(key, format string, args ...any) *FieldError {
	return &FieldError{Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Validate checks the settings: paths in [1, MaxPaths], seed at most
// MaxSeed, and the sampling. Problems are *FieldError values joined by
// errors.Join.
func (s Settings) Validate() error {
	return errors.Join(CheckPaths(s.Paths), CheckSeed(s.Seed), s.Sampling.Validate(s.Paths))
}

// CheckPaths checks a number of paths (key simulation.paths).
func CheckPaths(n int) error {
	if n < 1 || n > MaxPaths {
		return fieldErr("simulation.paths", "must be in [1, %d], got %d", MaxPaths, n)
	}
	return nil
}

// CheckSeed checks a seed (key simulation.seed).
func CheckSeed(seed uint64) error {
	if seed > MaxSeed {
		return fieldErr("simulation.seed", "must be in [0, %d], got %d", uint64(MaxSeed), seed)
	}
	return nil
}

// Validate checks the sampling for a run of paths paths: antithetic pairs
// need an even number of paths, and the importance sampling its ranges.
func (s Sampling) Validate(paths int) error {
	var err error
	if s.Antithetic && paths%2 != 0 {
		err = fieldErr("sampling.antithetic", "needs an even simulation.paths, got %d", paths)
	}
	return errors.Join(err, s.Importance.Validate())
}

// Validate checks the importance sampling's ranges: shifts within ±10
// standard deviations, the regime tilt in [0, 100], the arrival tilt in
// [0, 1] and the windows >= 0 years. Problems are *FieldError values with
// keys under sampling.importance, joined by errors.Join.
func (is ImportanceSampling) Validate() error {
	var errs []error
	check := func(key string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) {
			errs = append(errs, fieldErr("sampling.importance."+key, "must be %s, got %s", rangeText(lo, hi), num(v)))
		}
	}
	check("demand_shift", is.DemandShift, -10, 10)
	check("macro_shift", is.MacroShift, -10, 10)
	check("revenue_shift", is.RevenueShift, -10, 10)
	check("regime_tilt", is.RegimeTilt, 0, 100)
	check("arrival_tilt", is.ArrivalTilt, 0, 1)
	check("window_years", is.WindowYears, 0, math.Inf(1))
	check("macro_window_years", is.MacroWindowYears, 0, math.Inf(1))
	return errors.Join(errs...)
}

// rangeText describes the closed range [lo, hi] as scenario errors do.
func rangeText(lo, hi float64) string {
	if math.IsInf(hi, 1) {
		return ">= " + num(lo)
	}
	return "in [" + num(lo) + ", " + num(hi) + "]"
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
