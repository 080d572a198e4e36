package main

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// parseSummaryMode parses the -summary flag.
func parseSummaryMode(s string) (sim.SummaryMode, error) {
	switch s {
	case "", "auto":
		return sim.AutoSummary, nil
	case "exact":
		return sim.ExactSummary, nil
	case "streaming":
		return sim.StreamingSummary, nil
	}
	return 0, fmt.Errorf("-summary: want auto, exact or streaming, got %q", s)
}
