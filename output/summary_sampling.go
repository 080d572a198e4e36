package output

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// SamplingEntry is sim.SamplingSummary in a SummaryFile: how the paths
// were drawn, so that summary.json alone says whether its statistics are
// weighted, and how evenly importance sampling weighted the paths.
type SamplingEntry struct {
	Antithetic bool `json:"antithetic"`
	// Importance is the importance-sampling measure, absent when off. Its
	// keys are those of the scenario file's [sampling.importance].
	Importance *ImportanceEntry `json:"importance,omitempty"`
	// EffectiveSampleSize is Kish's (Σw)²/Σw² over the paths' weights and
	// MaxWeightShare the largest weight's share of Σw: the number of paths
	// and 1/paths without importance sampling.
	EffectiveSampleSize float64 `json:"effective_sample_size"`
	MaxWeightShare      float64 `json:"max_weight_share"`
}

// ImportanceEntry is sim.ImportanceSampling under the scenario file's
// key names.
type ImportanceEntry struct {
	DemandShift      float64 `json:"demand_shift"`
	MacroShift       float64 `json:"macro_shift"`
	RevenueShift     float64 `json:"revenue_shift"`
	RegimeTilt       float64 `json:"regime_tilt"`
	ArrivalTilt      float64 `json:"arrival_tilt"`
	WindowYears      float64 `json:"window_years"`
	MacroWindowYears float64 `json:"macro_window_years"`
}

func newSamplingEntry(s sim.SamplingSummary) SamplingEntry {
	e := SamplingEntry{Antithetic: s.Antithetic, EffectiveSampleSize: s.EffectiveSampleSize, MaxWeightShare: s.MaxWeightShare}
	if is := s.Importance; is.Active() {
		e.Importance = &ImportanceEntry{is.DemandShift, is.MacroShift, is.RevenueShift, is.RegimeTilt, is.ArrivalTilt, is.WindowYears, is.MacroWindowYears}
	}
	return e
}

func (e SamplingEntry) summary() sim.SamplingSummary {
	s := sim.SamplingSummary{Antithetic: e.Antithetic, EffectiveSampleSize: e.EffectiveSampleSize, MaxWeightShare: e.MaxWeightShare}
	if is := e.Importance; is != nil {
		s.Importance = sim.ImportanceSampling{DemandShift: is.DemandShift, MacroShift: is.MacroShift, RevenueShift: is.RevenueShift,
			RegimeTilt: is.RegimeTilt, ArrivalTilt: is.ArrivalTilt, WindowYears: is.WindowYears, MacroWindowYears: is.MacroWindowYears}
	}
	return s
}

// SmallSampleWarning returns a warning when importance sampling left a
// small effective sample size (under a tenth of the paths, or under 1,000),
// and "" otherwise: the run's estimates then rest on few paths, and their
// standard errors, computed as if the weights were fixed, understate the
// error.
func SmallSampleWarning(s sim.Summary) string {
	ess := s.Sampling.EffectiveSampleSize
	if !s.Sampling.Importance.Active() || (ess >= 0.1*float64(s.Paths) && ess >= 1000) {
		return ""
	}
	return "importance sampling: effective sample size " + fmtShort(ess) + " of " + strconv.Itoa(s.Paths) +
		" paths; the largest weight is " + fmtPct(s.Sampling.MaxWeightShare) +
		" of the total. Estimates rest on few paths: weaken the shifts or add paths."
}

// samplingText describes the sampling of a run in a sentence.
func samplingText(s sim.SamplingSummary) string {
	var parts []string
	if s.Antithetic {
		parts = append(parts, "antithetic pairs")
	}
	if is := s.Importance; is.Active() {
		parts = append(parts, fmt.Sprintf("importance sampling (demand %s, macro %s, revenue %s standard deviations; regime tilt %s, arrival tilt %s; window %s years, macro window %s years): effective sample size %s, largest weight %s of the total",
			fmtShort(is.DemandShift), fmtShort(is.MacroShift), fmtShort(is.RevenueShift), fmtShort(is.RegimeTilt), fmtShort(is.ArrivalTilt),
			fmtShort(is.WindowYears), fmtShort(is.MacroWindowYears), fmtShort(s.EffectiveSampleSize), fmtPct(s.MaxWeightShare)))
	}
	if len(parts) == 0 {
		return "plain Monte Carlo (independent, equally weighted paths)"
	}
	return strings.Join(parts, "; ")
}
