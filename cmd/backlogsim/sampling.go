package main

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sim"
)

// summaryFlag is -summary: auto, exact or streaming (see sim.SummaryMode).
// Unset (the empty text flag.TextVar installs) is auto; an explicitly
// empty flag is refused by checkNotEmpty.
type summaryFlag struct {
	mode sim.SummaryMode
	text string
}

func (f *summaryFlag) UnmarshalText(text []byte) error {
	modes := map[string]sim.SummaryMode{"": sim.AutoSummary, "auto": sim.AutoSummary, "exact": sim.ExactSummary, "streaming": sim.StreamingSummary}
	mode, ok := modes[string(text)]
	if !ok {
		return fmt.Errorf("want auto, exact or streaming, got %q", text)
	}
	*f = summaryFlag{mode: mode, text: string(text)}
	return nil
}

func (f summaryFlag) MarshalText() ([]byte, error) { return []byte(f.text), nil }
