package output

import (
	"fmt"
	"image/color"
	"strings"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file is the one chart style of backlogsim: the palette, the fonts,
// the ticks, the panels, the legend, the caption and the layout of a
// figure. Run, compare and batch charts are all built from these.

// Chart sizes. At 96 dpi a standard chart is 672 × 432 pixels; its PNG
// file, at pngDPI, is twice that.
const (
	chartWidth  = 7 * vg.Inch
	chartHeight = 4.5 * vg.Inch
	// wideWidth is the width of a figure of small multiples with many
	// series (the comparison charts).
	wideWidth = 9 * vg.Inch
	// tileHeight is the height of one row of small multiples.
	tileHeight = 2.3 * vg.Inch
	// captionSpace is what a chart's caption and title add to its panels.
	captionSpace = 0.9 * vg.Inch
	// pngDPI is the resolution of the PNG files: 192 dpi, twice a
	// screen's, so that a chart stays sharp on a slide or a printed page.
	pngDPI = 192
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
	ink       = okabeIto[7]
	poolColor = color.NRGBA{0x99, 0x99, 0x99, 0xff}
	gridColor = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	textGray  = color.NRGBA{0x44, 0x44, 0x44, 0xff}
)

// seriesColor returns the colour of series i.
func seriesColor(i int) color.NRGBA { return okabeIto[i%(len(okabeIto)-1)] }

// seriesDashes returns the dash pattern of series i: solid for the first
// seven series (the palette without black), then dashed and dotted so that
// colours may repeat.
func seriesDashes(i int) []vg.Length {
	switch (i / (len(okabeIto) - 1)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// caseStyle returns the line style of case i of a comparison: black for
// the base (i = 0), then the series colours; solid for even i and dashed
// for odd i, so that a case whose line coincides with another's (e.g. a
// case that does not change a customer) still shows both.
func caseStyle(i int) draw.LineStyle {
	s := draw.LineStyle{Color: ink, Width: vg.Points(1.6)}
	if i > 0 {
		s.Color = seriesColor(i - 1)
	}
	if i%2 == 1 {
		s.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	}
	return s
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

// newPanel returns an empty panel with the charts' fonts, a light grid,
// clean ticks and axis labels. Small panels are the tiles of a grid.
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
		a.Tick.Marker = cleanTicks{}
	}
	p.X.Label.Text = xlabel
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

// percentLogTicks labels a log-scaled probability axis in percent.
type percentLogTicks struct{}

func (percentLogTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = trimZeros(fmt.Sprintf("%.6f", 100*ticks[i].Value)) + "%"
		}
	}
	return ticks
}

// logCountTicks labels a log-scaled axis of counts with whole numbers.
type logCountTicks struct{}

func (logCountTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = fmt.Sprintf("%.0f", ticks[i].Value)
		}
	}
	return ticks
}

// note is a line of text in the middle of a panel, e.g. "No path lost
// anything". Unlike plotter.Labels it has no glyph box, so that however
// narrow the panel it never widens the panel's margins: a wide label in a
// small tile would push the data area to an infinite size and lose the
// whole row of a grid.
type note struct{ text string }

// Plot implements plot.Plotter.
func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := captionStyle()
	sty.Font.Size = vg.Points(9)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	lines := wrapText(sty, n.text, c.Size().X)
	h := sty.FontExtents().Height * 1.15
	mid := c.Center()
	y := mid.Y + h*vg.Length(len(lines)-1)/2
	for _, l := range lines {
		c.FillText(sty, vg.Point{X: mid.X, Y: y}, l)
		y -= h
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
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(14), PadY: vg.Points(10), PadLeft: vg.Points(2), PadRight: vg.Points(6), PadTop: vg.Points(2)}
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
