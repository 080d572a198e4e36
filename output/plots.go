package output

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"unicode"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
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

// Chart sizes. At 96 dpi a standard chart is 672 × 432 pixels.
const (
	chartWidth  = 7 * vg.Inch
	chartHeight = 4.5 * vg.Inch
	// tileHeight is the height of one row of small multiples.
	tileHeight = 2.3 * vg.Inch
	// captionSpace is what a chart's caption and title add to its panels.
	captionSpace = 0.9 * vg.Inch
	// pngDPI is the resolution of the PNG files.
	pngDPI = 96
)

// Okabe–Ito colour-blind-safe palette (Okabe and Ito 2008), in the order
// the charts use it for series.
var okabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0xF0, 0xE4, 0x42, 0xff}, // yellow
	{0x00, 0x00, 0x00, 0xff}, // black
}

var (
	poolColor = color.NRGBA{0x99, 0x99, 0x99, 0xff}
	gridColor = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	textGray  = color.NRGBA{0x44, 0x44, 0x44, 0xff}
)

// seriesColor returns the colour of series i.
func seriesColor(i int) color.NRGBA { return okabeIto[i%len(okabeIto)] }

// seriesDashes returns the dash pattern of series i: solid for the first
// len(okabeIto) series, then dashed and dotted so that colours may repeat.
func seriesDashes(i int) []vg.Length {
	switch (i / len(okabeIto)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(a*255 + 0.5)
	return c
}

var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// newPanel returns an empty panel with the charts' fonts, a light grid and
// axis labels.
func newPanel(title, xlabel, ylabel string, small bool) *plot.Plot {
	p := plot.New()
	label, tick, head := vg.Points(10), vg.Points(9), vg.Points(11)
	if small {
		label, tick, head = vg.Points(8.5), vg.Points(8), vg.Points(9.5)
	}
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansBold, head)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, label)
		a.Tick.Label.Font = font.From(sans, tick)
		a.Label.TextStyle.Color = textGray
		a.Tick.Label.Color = textGray
	}
	p.X.Label.Text = xlabel
	p.X.Tick.Marker = cleanTicks{}
	p.Y.Tick.Marker = cleanTicks{}
	p.Y.Label.Text = ylabel
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
	return p
}

// newLegend returns an empty legend in the charts' font.
func newLegend() *plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sans, vg.Points(9))
	l.TextStyle.Color = color.Black
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(18)
	l.Padding = vg.Points(3)
	return &l
}

// captionStyle is the style of a chart's caption.
func captionStyle() text.Style {
	return text.Style{
		Color:   textGray,
		Font:    font.From(sans, vg.Points(8)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// figure lays out a chart: a grid of panels, an optional legend in a
// column on their right and caption lines below them. It is the only
// plotter of the figure's outer plot, whose axes are hidden.
type figure struct {
	panels  [][]*plot.Plot
	legend  *plot.Legend
	caption []string
}

// Plot implements plot.Plotter.
func (f *figure) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := captionStyle()
	lineH := sty.FontExtents().Height * 1.15
	margin := vg.Points(4)
	var lines []string
	for _, l := range f.caption {
		lines = append(lines, wrapText(sty, l, c.Size().X-2*margin)...)
	}
	y := c.Min.Y
	for i := len(lines) - 1; i >= 0; i-- {
		c.FillText(sty, vg.Point{X: c.Min.X + margin, Y: y}, lines[i])
		y += lineH
	}
	area := draw.Crop(c, 0, 0, y-c.Min.Y+margin, 0)
	if f.legend != nil && f.legend.Rectangle(area).Size().Y > 0 {
		// Leave room on the right: raster text may come out a little
		// wider than measured.
		w := f.legend.Rectangle(area).Size().X
		right := vg.Points(12)
		lc := draw.Crop(area, area.Size().X-w-right, -right, 0, -vg.Points(16))
		f.legend.Draw(lc)
		area = draw.Crop(area, 0, -(w + right + vg.Points(8)), 0, 0)
	}
	rows := len(f.panels)
	if rows == 0 {
		return
	}
	cols := len(f.panels[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(10), PadRight: vg.Points(6), PadTop: vg.Points(2)}
	cs := plot.Align(f.panels, tiles, area)
	for i, row := range f.panels {
		for j, p := range row {
			if p != nil {
				p.Draw(cs[i][j])
			}
		}
	}
}

// wrapText breaks s into lines no wider than width in style sty.
func wrapText(sty text.Style, s string, width vg.Length) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, w := range words {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if cur != "" && sty.Width(next) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// cleanTicks are gonum's default ticks with trailing zeros removed from the
// labels ("25" rather than "25.00").
type cleanTicks struct{}

func (cleanTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" && !strings.ContainsAny(ticks[i].Label, "eE") {
			ticks[i].Label = trimZeros(ticks[i].Label)
		}
	}
	return ticks
}

// newFigure returns the outer plot of a chart.
func newFigure(title string, panels [][]*plot.Plot, legend *plot.Legend, caption []string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansBold, vg.Points(13))
	// Lower the title a little below the top edge: browsers may draw the
	// SVG's text with a font a little taller than Liberation Sans.
	p.Title.TextStyle.YAlign = -1.3
	p.Title.Padding = vg.Points(10)
	p.HideAxes()
	p.X.Padding, p.Y.Padding = vg.Points(2), vg.Points(2)
	p.Add(&figure{panels: panels, legend: legend, caption: caption})
	return p
}

// single wraps one panel as a grid of one.
func single(p *plot.Plot) [][]*plot.Plot { return [][]*plot.Plot{{p}} }

// grid arranges panels in rows of at most cols.
func grid(panels []*plot.Plot, cols int) [][]*plot.Plot {
	if len(panels) == 0 {
		return nil
	}
	cols = min(cols, len(panels))
	var out [][]*plot.Plot
	for i := 0; i < len(panels); i += cols {
		row := make([]*plot.Plot, cols)
		copy(row, panels[i:min(i+cols, len(panels))])
		out = append(out, row)
	}
	return out
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
// funding regimes and the backlog lost by source. sum must be
// sim.Summarize(res).
func Charts(res *sim.Results, sum sim.Summary) ([]Chart, error) {
	if res == nil || res.Model == nil {
		return nil, errors.New("output: charts: no results")
	}
	if len(sum.Providers) != len(res.Providers) || len(sum.Suppliers) != len(res.Suppliers) || len(sum.Customers) != len(res.Customers) {
		return nil, errors.New("output: charts: summary does not match results")
	}
	b := newChartBuilder(res, sum)
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
// charts.
func RenderCharts(charts []Chart) (map[string][]byte, error) {
	out := make(map[string][]byte, 2*len(charts))
	for _, c := range charts {
		png, err := renderPNG(c)
		if err != nil {
			return nil, err
		}
		svg, err := renderSVG(c)
		if err != nil {
			return nil, err
		}
		out["plots/"+c.Name+".png"] = png
		out["plots/"+c.Name+".svg"] = svg
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
