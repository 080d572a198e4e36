package main

import (
	"fmt"
	"strconv"
	"strings"

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

// parseImportance parses the -importance flag: comma-separated key=value
// pairs with keys demand, macro, revenue (total shifts in standard
// deviations), regime (the transition-rate tilt), arrival (the round
// arrival tilt), window and macro_window (years).
func parseImportance(s string) (sim.ImportanceSampling, error) {
	var is sim.ImportanceSampling
	if s == "" {
		return is, nil
	}
	for _, part := range strings.Split(s, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return is, fmt.Errorf("-importance: want key=value, got %q", part)
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return is, fmt.Errorf("-importance: %s: want a number, got %q", key, val)
		}
		switch key {
		case "demand":
			is.DemandShift = v
		case "macro":
			is.MacroShift = v
		case "revenue":
			is.RevenueShift = v
		case "regime":
			if !(v > 0) {
				return is, fmt.Errorf("-importance: regime: want a tilt > 0, got %v", v)
			}
			is.RegimeTilt = v
		case "arrival":
			if !(v > 0 && v <= 1) {
				return is, fmt.Errorf("-importance: arrival: want a tilt in (0, 1], got %v", v)
			}
			is.ArrivalTilt = v
		case "window", "macro_window":
			if !(v >= 0) {
				return is, fmt.Errorf("-importance: %s: want years >= 0, got %v", key, v)
			}
			if key == "window" {
				is.WindowYears = v
			} else {
				is.MacroWindowYears = v
			}
		default:
			return is, fmt.Errorf("-importance: unknown key %q; want demand, macro, revenue, regime, arrival, window or macro_window", key)
		}
	}
	return is, nil
}
