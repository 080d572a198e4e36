package sim

import (
	"context"
	"math"
	"testing"
)

// TestWeightDiagnostics checks the importance-sampling weight diagnostics
// against sums computed here from the exact run's per-path weights, and
// that a streaming run of the same paths measures the same sums.
func TestWeightDiagnostics(t *testing.T) {
	m := smallWorld()
	m.Paths = 600
	plain, err := Simulate(context.Background(), m, Options{Workers: 2, Summary: ExactSummary})
	if err != nil {
		t.Fatal(err)
	}
	s := plain.Summary.Sampling
	if s.EffectiveSampleSize != 600 || s.MaxWeightShare != 1.0/600 || s.Importance.Active() {
		t.Errorf("unweighted run: sampling %+v; want ESS 600, max share 1/600, no importance", s)
	}

	m.Sampling.Importance = ImportanceSampling{DemandShift: -1.5, MacroShift: -1, RegimeTilt: 3}
	exact, err := Simulate(context.Background(), m, Options{Workers: 3, Summary: ExactSummary})
	if err != nil {
		t.Fatal(err)
	}
	var sum, sq, hi float64
	for _, w := range exact.Weights {
		sum += w
		sq += w * w
		hi = math.Max(hi, w)
	}
	wantESS, wantShare := sum*sum/sq, hi/sum
	got := exact.Summary.Sampling
	if math.Abs(got.EffectiveSampleSize-wantESS) > 1e-9*wantESS || math.Abs(got.MaxWeightShare-wantShare) > 1e-12 {
		t.Errorf("ESS %v, max share %v; want %v, %v from the per-path weights", got.EffectiveSampleSize, got.MaxWeightShare, wantESS, wantShare)
	}
	if !(got.EffectiveSampleSize < 600) || got.Importance != m.Sampling.Importance {
		t.Errorf("weighted run: sampling %+v; want ESS below 600 and the importance settings", got)
	}
	stream, err := Simulate(context.Background(), m, Options{Workers: 1, Summary: StreamingSummary})
	if err != nil {
		t.Fatal(err)
	}
	if stream.Weighting != exact.Weighting {
		t.Errorf("streaming weights %+v; exact %+v", stream.Weighting, exact.Weighting)
	}
}
