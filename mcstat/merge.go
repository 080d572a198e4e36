package mcstat

import (
	"bytes"
	"encoding/gob"
	"fmt"
)

// Merge adds o, a distribution of other paths of the same run, to d: the
// moments and histograms add up exactly and, streaming, the worst paths of
// the union are kept. The result does not depend on the order of merging.
// Neither may be finished.
func (d *LossDistribution) Merge(o *LossDistribution) {
	d.wx.Merge(&o.wx)
	d.wx2.Merge(&o.wx2)
	d.wpos.Merge(&o.wpos)
	if d.hist != nil {
		d.hist.Merge(o.hist)
		for _, e := range o.tail {
			d.push(e)
		}
	}
}

// CanMerge reports an error unless o, read from elsewhere and accumulated
// over paths [first, first+count), can be merged into d: the same run
// (paths, group size, mode), one group per group of the range, and kept
// paths within the range.
func (d *LossDistribution) CanMerge(o *LossDistribution, first, count int) error {
	switch {
	case o == nil:
		return fmt.Errorf("missing distribution")
	case o.paths != d.paths || o.groupSize != d.groupSize || o.keep != d.keep || (o.hist == nil) != (d.hist == nil) || o.complete:
		return fmt.Errorf("distribution of %d paths in groups of %d keeping %d; want %d, %d and %d", o.paths, o.groupSize, o.keep, d.paths, d.groupSize, d.keep)
	case o.wx.n != count/o.groupSize || o.wx2.n != o.wx.n || o.wpos.n != o.wx.n:
		return fmt.Errorf("distribution of %d groups; want %d", o.wx.n, count/o.groupSize)
	case len(o.tail) > o.keep:
		return fmt.Errorf("distribution keeps %d paths; want at most %d", len(o.tail), o.keep)
	}
	for _, e := range o.tail {
		if e.Path < first || e.Path >= first+count {
			return fmt.Errorf("distribution keeps path %d, outside paths %d to %d", e.Path, first, first+count-1)
		}
	}
	return nil
}

// distributionState is the gob form of a LossDistribution being
// accumulated; cumulative weights are rebuilt by Finish.
type distributionState struct {
	Paths, GroupSize int
	WX, WX2, WPos    Moments
	// The kept paths as parallel slices: gob leaves out a struct field
	// that is zero, which would turn a −0 value into +0.
	TailX, TailW []float64
	TailPath     []int
	Keep         int
	Hist         *histogramState
}

type histogramState struct {
	W          []int64
	SqHi, SqLo []uint64
	Total      int64
}

// GobEncode encodes the state of a distribution being accumulated, for
// merging elsewhere.
func (d *LossDistribution) GobEncode() ([]byte, error) {
	if d.complete {
		return nil, fmt.Errorf("mcstat: GobEncode of a finished exact distribution")
	}
	s := distributionState{Paths: d.paths, GroupSize: d.groupSize, WX: d.wx, WX2: d.wx2, WPos: d.wpos, Keep: d.keep}
	for _, e := range d.tail {
		s.TailX = append(s.TailX, e.X)
		s.TailW = append(s.TailW, e.W)
		s.TailPath = append(s.TailPath, e.Path)
	}
	if h := d.hist; h != nil {
		s.Hist = &histogramState{W: dense(h.w), SqHi: dense(h.sqHi), SqLo: dense(h.sqLo), Total: h.total}
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(s)
	return buf.Bytes(), err
}

// GobDecode decodes what GobEncode wrote.
func (d *LossDistribution) GobDecode(data []byte) error {
	var s distributionState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return err
	}
	if len(s.TailW) != len(s.TailX) || len(s.TailPath) != len(s.TailX) {
		return fmt.Errorf("mcstat: kept paths: %d values, %d weights and %d indices", len(s.TailX), len(s.TailW), len(s.TailPath))
	}
	if s.GroupSize < 1 || s.Paths < 0 || s.Keep < 0 {
		return fmt.Errorf("mcstat: distribution of %d paths in groups of %d keeping %d", s.Paths, s.GroupSize, s.Keep)
	}
	*d = LossDistribution{paths: s.Paths, groupSize: s.GroupSize, wx: s.WX, wx2: s.WX2, wpos: s.WPos, keep: s.Keep}
	for i, x := range s.TailX {
		d.tail = append(d.tail, TailEntry{X: x, W: s.TailW[i], Path: s.TailPath[i]})
	}
	if h := s.Hist; h != nil {
		if len(h.W) != histBins || len(h.SqHi) != histBins || len(h.SqLo) != histBins {
			return fmt.Errorf("mcstat: histogram of %d bins; want %d", len(h.W), histBins)
		}
		d.hist = histogramOf(h.W, nil, h.Total, true, h.SqHi, h.SqLo)
	}
	return nil
}

// histogramGob is the gob form of a Histogram.
type histogramGob[W Weight] struct {
	W, W2      []W
	Total      W
	Fixed      bool
	SqHi, SqLo []uint64
}

// GobEncode encodes h's weights, for merging elsewhere.
func (h *Histogram[W]) GobEncode() ([]byte, error) {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(histogramGob[W]{dense(h.w), dense(h.w2), h.total, h.fixed, dense(h.sqHi), dense(h.sqLo)})
	return buf.Bytes(), err
}

// GobDecode decodes what GobEncode wrote.
func (h *Histogram[W]) GobDecode(data []byte) error {
	var g histogramGob[W]
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return err
	}
	ok := len(g.W) == histBins && (g.W2 == nil || len(g.W2) == histBins) &&
		(!g.Fixed || len(g.SqHi) == histBins && len(g.SqLo) == histBins)
	if !ok {
		return fmt.Errorf("mcstat: histogram of %d bins; want %d", len(g.W), histBins)
	}
	*h = *histogramOf(g.W, g.W2, g.Total, g.Fixed, g.SqHi, g.SqLo)
	return nil
}
