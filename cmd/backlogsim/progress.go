package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar draws a one-line bar of paths done on a terminal, at most ten
// times a second.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	total int
	start time.Time
	last  time.Time
}

func newProgressBar(w io.Writer, total int) *progressBar {
	now := time.Now()
	return &progressBar{w: w, total: total, start: now}
}

// update is a sim.Options.Progress callback.
func (b *progressBar) update(done int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond && done < b.total {
		return
	}
	b.last = now
	b.draw(done, now)
}

func (b *progressBar) draw(done int, now time.Time) {
	const width = 30
	frac := float64(done) / float64(max(b.total, 1))
	filled := int(frac * width)
	elapsed := now.Sub(b.start).Seconds()
	eta := ""
	if done > 0 && done < b.total {
		eta = fmt.Sprintf(", %.0fs left", elapsed/frac-elapsed)
	}
	fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %d/%d paths, %.1fs%s   ",
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), 100*frac, done, b.total, elapsed, eta)
}

// finish clears the bar's line.
func (b *progressBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 90))
}
