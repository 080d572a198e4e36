package output

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"github.com/backlogsim/backlogsim/mcstat"
	"github.com/backlogsim/backlogsim/sim"
)

// chartNames returns the names Charts must produce for res, in order.
func chartNames(res *sim.Results) []string {
	var firms, labs []string
	for _, f := range res.Providers {
		firms = append(firms, slug(f.Name))
	}
	for _, f := range res.Suppliers {
		firms = append(firms, slug(f.Name))
	}
	for _, c := range res.Customers {
		labs = append(labs, slug(c.Name))
	}
	out := []string{"network"}
	for _, kind := range []string{"backlog", "economic"} {
		for _, f := range firms {
			out = append(out, "loss-"+kind+"-"+f)
		}
		out = append(out, "loss-"+kind+"-all")
	}
	out = append(out, "exceedance-backlog", "exceedance-economic", "compare-backlog-share", "compare-ocf-share", "survival")
	for _, l := range labs {
		out = append(out, "cash-"+l)
	}
	out = append(out, "funding-regimes")
	for _, f := range firms {
		out = append(out, "lost-by-"+f)
	}
	if !res.Streaming && res.Paths > 0 {
		if len(labs) > 0 {
			out = append(out, "convergence-default-probability")
		}
		if res.System != nil && len(res.System.BacklogLost) > 0 {
			out = append(out, "convergence-system-loss")
		}
	}
	return out
}

func pixels(l float64) int { return int(l/72*pngDPI + 0.5) }

// checkRendered checks that every chart rendered to a PNG of its size and
// to well-formed SVG of reasonable size.
func checkRendered(t *testing.T, charts []Chart, files map[string][]byte) {
	t.Helper()
	if len(files) != 2*len(charts) {
		t.Errorf("got %d files for %d charts", len(files), len(charts))
	}
	for _, c := range charts {
		pngb, ok := files["plots/"+c.Name+".png"]
		if !ok {
			t.Errorf("%s: no PNG", c.Name)
			continue
		}
		img, err := png.Decode(bytes.NewReader(pngb))
		if err != nil {
			t.Errorf("%s: PNG: %v", c.Name, err)
			continue
		}
		w, h := pixels(c.Width.Points()), pixels(c.Height.Points())
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("%s: PNG is %dx%d, want %dx%d", c.Name, b.Dx(), b.Dy(), w, h)
		}
		if len(pngb) < 10_000 {
			t.Errorf("%s: PNG of %d bytes is suspiciously small", c.Name, len(pngb))
		}
		svg, ok := files["plots/"+c.Name+".svg"]
		if !ok {
			t.Errorf("%s: no SVG", c.Name)
			continue
		}
		if len(svg) > 1<<20 {
			t.Errorf("%s: SVG of %d bytes is over 1 MiB", c.Name, len(svg))
		}
		if err := checkSVG(svg, c); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

// checkSVG parses svg strictly as XML and checks its root element, its
// size and that it contains the chart's title.
func checkSVG(svg []byte, c Chart) error {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	root := ""
	var width string
	var texts strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				break
			}
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
				for _, a := range tok.Attr {
					if a.Name.Local == "width" {
						width = a.Value
					}
				}
			}
			inText = tok.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts.Write(tok)
				texts.WriteByte('\n')
			}
		}
	}
	if root != "svg" {
		return fmt.Errorf("root element %q, want svg", root)
	}
	if want := fmt.Sprintf("%gpt", c.Width.Points()); width != want {
		return fmt.Errorf("width %q, want %q", width, want)
	}
	if !strings.Contains(texts.String(), c.Title) {
		return fmt.Errorf("title %q not among the texts", c.Title)
	}
	return nil
}

func TestChartsRenderSimulated(t *testing.T) {
	res, _ := plotsRun(t)
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
		if c.Title == "" || c.Plot == nil {
			t.Errorf("%s: no title or plot", c.Name)
		}
	}
	if want := chartNames(res); !slices.Equal(names, want) {
		t.Fatalf("chart names\n got %v\nwant %v", names, want)
	}
	files, err := RenderCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	checkRendered(t, charts, files)

	// Twice-built, twice-rendered charts are byte-identical.
	charts2, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	files2, err := RenderCharts(charts2)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range files {
		if !bytes.Equal(v, files2[k]) {
			t.Errorf("%s differs between two renderings", k)
		}
	}
}

func TestChartsRenderFixed(t *testing.T) {
	res := fixedResults()
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	files, err := RenderCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	checkRendered(t, charts, files)
	// Start & Up DC of the fixed results has no operating cash flow: the OCF box plot says so.
	for _, c := range charts {
		if c.Name == "compare-ocf-share" && !bytes.Contains(files["plots/"+c.Name+".svg"], []byte("Start &amp; Up DC (operating cash flow 0)")) {
			t.Errorf("compare-ocf-share does not note the firm left out")
		}
	}
}

// goldenCharts are the charts compared with golden images: one of each
// kind of drawing, kept few so that testdata stays small.
var goldenCharts = []string{
	"loss-backlog-big-cloud",
	"loss-backlog-all",
	"loss-economic-all",
	"exceedance-backlog",
	"compare-ocf-share",
	"cash-lab-a",
	"lost-by-big-cloud",
}

// TestChartsGolden compares charts of fixedResults with the golden images
// in testdata/plots. Regenerate them with go test ./output -regen.
func TestChartsGolden(t *testing.T) {
	res := fixedResults()
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Chart{}
	for _, c := range charts {
		byName[c.Name] = c
	}
	for _, name := range goldenCharts {
		c, ok := byName[name]
		if !ok {
			t.Errorf("no chart %s", name)
			continue
		}
		files, err := RenderCharts([]Chart{c})
		if err != nil {
			t.Fatal(err)
		}
		rel := filepath.Join("plots", name+".png")
		cmpimg.CheckPlot(func() {
			if err := os.MkdirAll(filepath.Join("testdata", "plots"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", rel), files["plots/"+name+".png"], 0o644); err != nil {
				t.Fatal(err)
			}
		}, t, rel)
	}
}

func TestExceedanceCurve(t *testing.T) {
	losses := []float64{0, 0, 0, 0, 0, 0, 1, 2, 2, 5}
	c := newExceedanceCurve("x", losses, 100)
	want := map[float64]float64{0: 0.4, 1: 0.3, 2: 0.1}
	if len(c.X) == 0 || c.X[0] != 0 {
		t.Fatalf("curve %+v does not start at 0", c)
	}
	for i, x := range c.X {
		if p, ok := want[x]; ok && math.Abs(c.P[i]-p) > 1e-12 {
			t.Errorf("P(L > %g) = %g, want %g", x, c.P[i], p)
		}
		if c.P[i] <= 0 || x >= 5 {
			t.Errorf("point (%g, %g) should not be drawn", x, c.P[i])
		}
		if i > 0 && (c.X[i] <= c.X[i-1] || c.P[i] > c.P[i-1]) {
			t.Errorf("curve not monotone at %d: %+v", i, c)
		}
	}
	// A million paths give at most maxCurvePoints points.
	big := make([]float64, 1_000_000)
	for i := range big {
		big[i] = math.Pow(float64(i+1)/float64(len(big)), 8) * 100
	}
	if c := newExceedanceCurve("big", big, maxCurvePoints); len(c.X) > maxCurvePoints || len(c.X) < maxCurvePoints/2 {
		t.Errorf("%d points for 1e6 paths, want at most %d", len(c.X), maxCurvePoints)
	}
	if c := newExceedanceCurve("none", make([]float64, 10), 100); len(c.X) != 0 {
		t.Errorf("all-zero losses give points %v", c.X)
	}
}

func TestLossDistribution(t *testing.T) {
	losses := []float64{0, 0, 0, 0, 0, 0, 1, 2, 2, 5}
	d := newLossDistribution("x", losses, mcstat.SummarizeLosses(losses))
	total := 0.0
	for _, b := range d.Bins {
		total += b.Share
	}
	if math.Abs(total-40) > 1e-9 || math.Abs(d.PPositive-0.4) > 1e-12 {
		t.Errorf("bins hold %g%% of paths, P(loss>0) = %g; want 40%%, 0.4", total, d.PPositive)
	}
	z := newLossDistribution("z", make([]float64, 5), mcstat.SummarizeLosses(make([]float64, 5)))
	if len(z.Bins) != 0 {
		t.Errorf("zero losses give bins %v", z.Bins)
	}
}

func TestBoxSampleSummarised(t *testing.T) {
	losses := make([]float64, 100_000)
	for i := range losses {
		losses[i] = float64(i)
	}
	b := newBoxSample("x", losses, mcstat.SummarizeLosses(losses), 1000)
	if !b.Summarised || len(b.Values) != boxQuantiles+1 {
		t.Fatalf("summarised %v with %d values", b.Summarised, len(b.Values))
	}
	if b.Values[0] != 0 || math.Abs(b.Values[len(b.Values)-1]-9999.9) > 1e-9 {
		t.Errorf("extremes %g, %g", b.Values[0], b.Values[len(b.Values)-1])
	}
}

func TestSurvivalCurve(t *testing.T) {
	c := sim.CustomerResults{Name: "c", DefaultStep: []int32{-1, 0, 1, 1, -1}}
	s := newSurvivalCurve(c, []float64{0.5, 1})
	want := []float64{100, 80, 40}
	if !slices.Equal(s.Percent, want) || !slices.Equal(s.Months, []float64{0, 6, 12}) {
		t.Errorf("survival %v at %v, want %v at [0 6 12]", s.Percent, s.Months, want)
	}
}

func TestChartsErrors(t *testing.T) {
	if _, err := Charts(nil); err == nil {
		t.Error("nil results: no error")
	}
	if _, err := RenderCharts([]Chart{{Name: "x"}}); err == nil {
		t.Error("chart without plot: no error")
	}
}
