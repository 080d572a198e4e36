package sim

import (
	"math"
	"testing"
)

// TestLossFromDefaultProbability checks P(loss from a default) against the
// labs' default steps in a world whose provider also has a diversified
// pool: the provider loses to a default exactly on the paths where either
// lab defaulted (their flat contracts run the whole horizon), whereas its
// pool makes it lose something on nearly every path.
func TestLossFromDefaultProbability(t *testing.T) {
	m := twoLabsOneCloud(2000, 3)
	m.Providers[0].Backlog = 200
	m.Providers[0].Pool = DiversifiedPool{AnnualDefaultProbability: 0.05, Correlation: 0.2, LossGivenDefault: 0.5, DurationYears: 3}
	for _, mode := range []SummaryMode{ExactSummary, StreamingSummary} {
		res := mustSimulate(t, m, Options{Summary: mode})
		exact := mustSimulate(t, m, Options{Summary: ExactSummary})
		hits := 0
		for p := range m.Paths {
			if exact.Customers[0].DefaultStep[p] >= 0 || exact.Customers[1].DefaultStep[p] >= 0 {
				hits++
			}
		}
		want := float64(hits) / float64(m.Paths)
		got := res.Providers[0].LossFromDefaultProbability
		// The standard error is the proportion's, √(p(1−p)/n) up to the
		// n − 1 of a sample variance.
		if se := math.Sqrt(want * (1 - want) / float64(m.Paths)); math.Abs(got.P-want) > 1e-12 || math.Abs(got.StdErr/se-1) > 1e-3 {
			t.Errorf("mode %v: P(loss from a default) = %+v; want %v (from the labs' default steps)", mode, got, want)
		}
		if !(want > 0.05 && want < 0.95) {
			t.Errorf("P(either lab defaults) = %v; want a probability well inside (0, 1) for this test to mean something", want)
		}
		if pos := res.Summary.Providers[0].BacklogLost.PPositive; !(pos > 0.99) {
			t.Errorf("P(backlog lost > 0) = %v; want nearly 1 with a pool", pos)
		}
		if s := res.Summary.Providers[0].LossFromDefaultProbability; s != got {
			t.Errorf("summary %+v; want the results' %+v", s, got)
		}
	}
}
