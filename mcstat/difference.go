package mcstat

import "math"

// Estimate is a statistic with its Monte Carlo standard error.
type Estimate struct {
	Value  float64 `json:"value"`
	StdErr float64 `json:"stderr"`
}

// Difference is an alternative run's statistic minus the base run's on
// common random numbers.
type Difference struct {
	Diff float64 `json:"diff"`
	// PairedStdErr is Diff's standard error; UnpairedStdErr what it would be
	// for independent runs.
	PairedStdErr   float64 `json:"paired_stderr"`
	UnpairedStdErr float64 `json:"unpaired_stderr"`
	// Correlation is the per-path correlation of the two runs' amounts
	// (absent for ES).
	Correlation *float64 `json:"correlation,omitempty"`
}

// Difference returns the difference of the means with its paired and
// unpaired standard errors and the per-path correlation.
func (s PairedStats) Difference() Difference {
	r := s.Correlation
	return Difference{Diff: s.Diff, PairedStdErr: s.DiffStdErr, UnpairedStdErr: s.UnpairedStdErr, Correlation: &r}
}

// ESDifference returns the difference of the expected shortfalls with its
// standard error by sectioning; the unpaired standard error combines the
// two runs' own ES standard errors baseSE and altSE.
func (s PairedTailStats) ESDifference(baseSE, altSE float64) Difference {
	return Difference{Diff: s.ESDiff, PairedStdErr: s.ESDiffStdErr, UnpairedStdErr: math.Hypot(baseSE, altSE)}
}

// MeanEstimate returns the mean with its standard error.
func (s LossStats) MeanEstimate() Estimate { return Estimate{Value: s.Mean, StdErr: s.MeanStdErr} }

// ESEstimate returns the expected shortfall at TailLevels()[k] with its
// standard error.
func (s LossStats) ESEstimate(k int) Estimate { return Estimate{Value: s.ES[k], StdErr: s.ESStdErr[k]} }

// Estimate returns the probability with its standard error.
func (p ProportionStats) Estimate() Estimate { return Estimate{Value: p.P, StdErr: p.StdErr} }
