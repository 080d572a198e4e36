//go:build long

package sim_test

import (
	"testing"

	"github.com/backlogsim/backlogsim/scenarios"
	"github.com/backlogsim/backlogsim/sim"
)

// TestMillionsOfPaths runs the baseline with two million paths and checks
// every number and every path (checkRun). It takes about a minute on two
// cores and needs about 0.5 GB; run it with go test -tags long.
func TestMillionsOfPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("two million paths; skipped with -short")
	}
	sc, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	m.Paths = 2_000_000
	res := sim.MustSimulate(t, m)
	s := checkRun(t, m, res)
	if s.Paths != m.Paths {
		t.Errorf("Summary.Paths = %d; want %d", s.Paths, m.Paths)
	}
}
