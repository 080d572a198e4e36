package output

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/backlogsim/backlogsim/sim"
)

// Chart is one figure of a run: a plot ready to be drawn at its size.
//
// Plot is a complete figure: its title, the panels (one, or a grid of
// small multiples), a legend beside them and a caption naming the
// scenario and seed, so drawing it with Plot.Draw or Plot.WriterTo at
// Width × Height gives the same picture that RenderCharts writes.
type Chart struct {
	Name          string // file stem, e.g. "loss-backlog-oracle"
	Title         string
	Plot          *plot.Plot
	Width, Height vg.Length
}

// slug turns a name into a file-name stem: lower case letters, digits and
// single hyphens.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		s = "x"
	}
	return s
}

// Charts returns every chart of a run, in a fixed order: loss distributions
// (backlog lost, then economic loss; one chart per provider and supplier
// and one page of small multiples each), exceedance curves, the
// provider comparison box plots, customer survival, cash fan charts, the
// funding regimes and the backlog lost by source.
func Charts(res *sim.Results) ([]Chart, error) {
	if res == nil || res.Model == nil {
		return nil, errors.New("output: charts: no results")
	}
	b := newChartBuilder(res, res.Summary)
	b.network()
	b.lossDistributions("backlog")
	b.lossDistributions("economic")
	b.exceedance("backlog")
	b.exceedance("economic")
	b.comparison("backlog")
	b.comparison("ocf")
	b.survival()
	b.cashFans()
	b.regimes()
	b.lostBy()
	b.convergence()
	if b.err != nil {
		return nil, b.err
	}
	seen := map[string]bool{}
	for _, c := range b.charts {
		if seen[c.Name] {
			return nil, fmt.Errorf("output: charts: duplicate chart name %q", c.Name)
		}
		seen[c.Name] = true
	}
	return b.charts, nil
}

// RenderCharts draws every chart as PNG and SVG. The keys of the result are
// "plots/NAME.png" and "plots/NAME.svg". The bytes depend only on the
// charts. Charts are drawn on up to GOMAXPROCS goroutines: a PNG at
// pngDPI takes a good part of a second.
func RenderCharts(charts []Chart) (map[string][]byte, error) {
	type rendered struct {
		png, svg []byte
		err      error
	}
	done := make([]rendered, len(charts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(charts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &done[i]
				if r.png, r.err = renderPNG(charts[i]); r.err == nil {
					r.svg, r.err = renderSVG(charts[i])
				}
			}
		}()
	}
	for i := range charts {
		next <- i
	}
	close(next)
	wg.Wait()
	out := make(map[string][]byte, 2*len(charts))
	for i, c := range charts {
		if done[i].err != nil {
			return nil, done[i].err
		}
		out["plots/"+c.Name+".png"] = done[i].png
		out["plots/"+c.Name+".svg"] = done[i].svg
	}
	return out, nil
}

func checkChart(c Chart) error {
	if c.Plot == nil || c.Width <= 0 || c.Height <= 0 {
		return fmt.Errorf("output: chart %q has no plot or no size", c.Name)
	}
	return nil
}

// renderPNG draws c as a PNG image at pngDPI.
func renderPNG(c Chart) (b []byte, err error) {
	if err := checkChart(c); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("output: drawing chart %q: %v", c.Name, r)
		}
	}()
	cv := vgimg.NewWith(vgimg.UseWH(c.Width, c.Height), vgimg.UseDPI(pngDPI))
	c.Plot.Draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cv}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("output: chart %q: %w", c.Name, err)
	}
	return buf.Bytes(), nil
}

// renderSVG draws c as an SVG document (fonts referenced, not embedded).
func renderSVG(c Chart) (b []byte, err error) {
	if err := checkChart(c); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("output: drawing chart %q: %v", c.Name, r)
		}
	}()
	cv := vgsvg.New(c.Width, c.Height)
	c.Plot.Draw(draw.New(cv))
	var buf bytes.Buffer
	if _, err := cv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("output: chart %q: %w", c.Name, err)
	}
	return buf.Bytes(), nil
}
