package sim_test

import (
	"context"
	"testing"

	"github.com/backlogsim/backlogsim/scenarios"
	. "github.com/backlogsim/backlogsim/sim"
)

// benchModel is the model the engine benchmarks run: the embedded baseline
// scenario with 4096 paths.
func benchModel(b *testing.B) *Model {
	b.Helper()
	sc, err := scenarios.Load("baseline")
	if err != nil {
		b.Fatal(err)
	}
	sc.Model.Paths = 4096
	return sc.Model
}

// entitySteps returns the number of entity-steps one run of m simulates.
func entitySteps(m *Model) float64 {
	return float64(m.Paths) * float64(m.NumEntities()) * float64(m.Steps())
}

// BenchmarkSimulate reports the full model's cost per entity-step, and
// BenchmarkRawDraws the cost of only the random draws the same run needs,
// so that their ratio shows the engine's overhead over raw generation.
func BenchmarkSimulate(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), m, Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entitySteps(m), "ns/entity-step")
}

func BenchmarkRawDraws(b *testing.B) {
	m := benchModel(b)
	var sink float64
	for b.Loop() {
		sink += RawDraws(m)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/entitySteps(m), "ns/entity-step")
	_ = sink
}
