package sim_test

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// peakHeap runs f and returns the largest heap seen while it ran, above
// the heap before it, sampling every millisecond. The collector runs at
// GOGC=10 meanwhile: at the default of 100 the heap may grow to twice the
// live data before a collection, so the sampled peak would measure the
// collector's pacing (it varied by a factor of two with the machine's
// load) rather than the memory the run holds; at 10 it is within about
// 10% of the live heap.
func peakHeap(f func()) int64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	peak := base
	done := make(chan bool)
	sampled := make(chan bool)
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	<-sampled
	return int64(peak - base)
}

// TestEstimateMemory compares EstimateMemory's two terms that grow, the
// cost of a path in exact mode and of a worker, with what a run of the
// baseline is measured to take more when they grow: each estimate must
// be within a factor of 2 of the measured growth (which includes garbage
// not yet collected, as the process's memory does).
func TestEstimateMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the baseline six times")
	}
	sc, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	measure := func(paths, workers int, mode sim.SummaryMode) (int64, sim.MemoryEstimate) {
		m.Paths = paths
		opts := sim.Options{Workers: workers, Summary: mode}
		var res *sim.Results
		peak := peakHeap(func() {
			var err error
			if res, err = sim.Simulate(context.Background(), m, opts); err != nil {
				t.Fatal(err)
			}
		})
		runtime.KeepAlive(res)
		est, err := sim.EstimateMemory(m, opts)
		if err != nil {
			t.Fatal(err)
		}
		return peak, est
	}
	within := func(what string, measured, estimated int64) {
		t.Helper()
		t.Logf("%s: estimated %d bytes, measured %d", what, estimated, measured)
		if r := float64(estimated) / float64(measured); r < 0.5 || r > 2 {
			t.Errorf("%s: estimated %d bytes, measured %d; want within a factor of 2", what, estimated, measured)
		}
	}
	small, _ := measure(5000, 1, sim.ExactSummary)
	large, est := measure(25000, 1, sim.ExactSummary)
	within("exact summary, a path", (large-small)/20000, est.PerPath)

	one, est1 := measure(5000, 1, sim.StreamingSummary)
	many, estMany := measure(5000, 17, sim.StreamingSummary)
	within("a worker", (many-one)/16, (estMany.Workers-est1.Workers)/16)
}
