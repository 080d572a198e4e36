package output

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// networkNode is one entity of the exposure network: its column (0 labs,
// 1 providers, 2 suppliers), its row and its default probability.
type networkNode struct {
	Name     string
	Col, Row int
	PDefault float64
}

// networkEdge is a contract from payer to payee, of Value USD bn.
type networkEdge struct {
	From, To int // node indices
	Value    float64
}

// exposureNetwork is the data of the network chart: labs → providers →
// suppliers, edges sized by contract value, nodes coloured by default
// probability.
type exposureNetwork struct {
	Nodes []networkNode
	Edges []networkEdge
	Rows  [3]int
}

// newExposureNetwork reads the entities and contracts of the run's model
// and the default probabilities of its summary.
func (b *chartBuilder) newExposureNetwork() exposureNetwork {
	var n exposureNetwork
	add := func(name string, col int, p float64) {
		n.Nodes = append(n.Nodes, networkNode{Name: name, Col: col, Row: n.Rows[col], PDefault: p})
		n.Rows[col]++
	}
	for _, c := range b.sum.Customers {
		add(c.Name, 0, c.DefaultProbability.P)
	}
	for _, f := range b.sum.Providers {
		add(f.Name, 1, f.DefaultProbability.P)
	}
	for _, f := range b.sum.Suppliers {
		add(f.Name, 2, f.DefaultProbability.P)
	}
	for _, c := range b.res.Model.Contracts {
		if int(c.Payer) < len(n.Nodes) && int(c.Payee) < len(n.Nodes) && c.Value > 0 {
			n.Edges = append(n.Edges, networkEdge{From: int(c.Payer), To: int(c.Payee), Value: c.Value})
		}
	}
	return n
}

// riskColor maps a default probability in [0, 1] to a colour from pale
// (0) to the palette's vermillion (pmax or more).
func riskColor(p, pmax float64) color.NRGBA {
	t := 0.0
	if pmax > 0 {
		t = math.Min(1, p/pmax)
	}
	lo, hi := color.NRGBA{0xF4, 0xEE, 0xE6, 0xff}, okabeIto[1]
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + t*(float64(b)-float64(a)) + 0.5) }
	return color.NRGBA{mix(lo.R, hi.R), mix(lo.G, hi.G), mix(lo.B, hi.B), 0xff}
}

// networkPlot draws an exposureNetwork in data coordinates: x is the
// column, y the row centred in its column.
type networkPlot struct{ n exposureNetwork }

func (np networkPlot) pos(nd networkNode) (float64, float64) {
	rows := np.n.Rows[nd.Col]
	maxRows := max(np.n.Rows[0], np.n.Rows[1], np.n.Rows[2], 1)
	y := float64(maxRows-1)/2 - float64(rows-1)/2 + float64(nd.Row)
	return float64(nd.Col), float64(maxRows-1) - y
}

// Plot implements plot.Plotter.
func (np networkPlot) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	vmax, pmax := 0.0, 0.0
	for _, e := range np.n.Edges {
		vmax = math.Max(vmax, e.Value)
	}
	for _, nd := range np.n.Nodes {
		pmax = math.Max(pmax, nd.PDefault)
	}
	for _, e := range np.n.Edges {
		x0, y0 := np.pos(np.n.Nodes[e.From])
		x1, y1 := np.pos(np.n.Nodes[e.To])
		w := vg.Points(0.6 + 11*e.Value/vmax)
		c.StrokeLine2(draw.LineStyle{Color: withAlpha(okabeIto[0], 0.45), Width: w}, trX(x0), trY(y0), trX(x1), trY(y1))
	}
	label := captionStyle()
	label.Font.Size = vg.Points(9)
	label.Color = ink
	label.YAlign = draw.YCenter
	for _, nd := range np.n.Nodes {
		x, y := np.pos(nd)
		pt := vg.Point{X: trX(x), Y: trY(y)}
		r := vg.Points(9)
		c.SetColor(riskColor(nd.PDefault, pmax))
		c.Fill(circle(pt, r))
		c.StrokeLines(draw.LineStyle{Color: textGray, Width: vg.Points(0.8)}, circlePoints(pt, r))
		label.XAlign = draw.XLeft
		at := vg.Point{X: pt.X + r + vg.Points(3), Y: pt.Y}
		c.FillText(label, at, fmt.Sprintf("%s · P(default) %s", nd.Name, fmtPct(nd.PDefault)))
	}
}

// DataRange implements plot.DataRanger.
func (np networkPlot) DataRange() (xmin, xmax, ymin, ymax float64) {
	rows := max(np.n.Rows[0], np.n.Rows[1], np.n.Rows[2], 1)
	return -0.1, 2.75, -0.6, float64(rows) - 0.4
}

func circlePoints(c vg.Point, r vg.Length) []vg.Point {
	var pts []vg.Point
	for k := 0; k <= 40; k++ {
		a := 2 * math.Pi * float64(k) / 40
		pts = append(pts, vg.Point{X: c.X + r*vg.Length(math.Cos(a)), Y: c.Y + r*vg.Length(math.Sin(a))})
	}
	return pts
}

func circle(c vg.Point, r vg.Length) vg.Path {
	var path vg.Path
	for i, pt := range circlePoints(c, r) {
		if i == 0 {
			path.Move(pt)
		} else {
			path.Line(pt)
		}
	}
	path.Close()
	return path
}

// network draws the exposure network.
func (b *chartBuilder) network() {
	n := b.newExposureNetwork()
	p := newPanel("", "", "", false)
	p.HideAxes()
	p.Add(networkPlot{n})
	total := 0.0
	for _, e := range n.Edges {
		total += e.Value
	}
	caption := []string{
		fmt.Sprintf("Labs (left) owe providers (middle), providers owe suppliers (right): each line is a contract, its width proportional to the contract's value (%s contracts, %s bn in all). Colour: the entity's probability of default within the horizon, from pale (none) to vermillion (the highest).", fmt.Sprint(len(n.Edges)), fmtNum(total)),
	}
	rows := max(n.Rows[0], n.Rows[1], n.Rows[2], 1)
	b.add("network", "Exposure network: who owes whom", single(p), nil, caption, chartWidth, vg.Length(rows)*0.55*vg.Inch+1.4*vg.Inch)
}
