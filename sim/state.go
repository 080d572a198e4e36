package sim

import (
	"fmt"
	"slices"

	"github.com/backlogsim/backlogsim/mcstat"
)

// rangeState is everything a run keeps about a block-aligned range of
// paths [First, First+Count): the accumulators of the merger and, in exact
// mode, every path's outcomes. Every sum in it is exact or in integers, so
// the states of consecutive ranges merge into exactly the state one process
// builds over their union: this is what makes a sharded run byte-identical
// to a single one.
//
// Its fields are exported so that encoding/gob carries all of them into a
// shard file (see Shard); a field added here travels without more code,
// and TestShardsMergeToSingleRun fails if merge forgets it.
type rangeState struct {
	First, Count    int
	Exact, Weighted bool

	Lost, Econ     []*mcstat.LossDistribution // [firm]
	Reneg          []*mcstat.LossDistribution // [firm], backlog renegotiated
	Raised, Backed []*mcstat.LossDistribution // [customer]
	Tranched       []*mcstat.LossDistribution // [customer], tranches paid
	// The system-wide losses (see SystemResults).
	SysLost, SysEcon *mcstat.LossDistribution
	FirmDefault      []mcstat.Moments // [firm]
	// LossFromDefault: the firm lost backlog to a counterparty's default
	// (a source other than its pool).
	LossFromDefault []mcstat.Moments   // [firm]
	CustDefault     [][]mcstat.Moments // [customer][year]
	AnyRound        []mcstat.Moments   // [customer]
	LostBySum       []mcstat.ExactSum  // [source], Σ w·lost by source
	Series          *timeSeries
	Joint           *jointAcc
	Weights         weightAcc

	// PerPath holds every path's outcomes in exact mode, nil in streaming
	// mode.
	PerPath *pathData
}

// pathData is every path's outcomes over a range, indexed by path − First.
type pathData struct {
	Lost, Econ, Raised, Backed [][]float64 // [entity][path]
	Reneg, Tranched            [][]float64 // [firm][path], [customer][path]
	SysLost, SysEcon           []float64   // system-wide sums, [path]
	FirmDefault, CustDefault   [][]int32   // [entity][path]
	Rounds                     [][]int32   // [customer][path]
	Weights                    []float64   // nil without importance sampling
}

func newRangeState(p *plan, exact bool, first, count int) *rangeState {
	n, g := p.m.Paths, p.groupSize()
	st := &rangeState{First: first, Count: count, Exact: exact, Weighted: p.weighted(), Series: newTimeSeries(p)}
	dist := func() *mcstat.LossDistribution {
		if exact {
			return mcstat.NewExact(n, g)
		}
		return mcstat.NewStreaming(n, g)
	}
	years := modelYears(p.m)
	for range p.nFirm {
		st.Lost = append(st.Lost, dist())
		st.Econ = append(st.Econ, dist())
		st.Reneg = append(st.Reneg, dist())
	}
	st.FirmDefault = make([]mcstat.Moments, p.nFirm)
	st.LossFromDefault = make([]mcstat.Moments, p.nFirm)
	for range p.nCust {
		st.Raised = append(st.Raised, dist())
		st.Backed = append(st.Backed, dist())
		st.Tranched = append(st.Tranched, dist())
		st.CustDefault = append(st.CustDefault, make([]mcstat.Moments, years))
	}
	st.AnyRound = make([]mcstat.Moments, p.nCust)
	st.SysLost, st.SysEcon = dist(), dist()
	st.Joint = newJointAcc(p, years)
	nSrc := newBlock(p).nSources()
	st.LostBySum = make([]mcstat.ExactSum, nSrc)
	if exact {
		st.PerPath = newPathData(p, count)
	}
	return st
}

func newPathData(p *plan, count int) *pathData {
	floats := func(k int) [][]float64 {
		out := make([][]float64, k)
		for e := range out {
			out[e] = make([]float64, count)
		}
		return out
	}
	ints := func(k int) [][]int32 {
		out := make([][]int32, k)
		for e := range out {
			out[e] = make([]int32, count)
		}
		return out
	}
	d := &pathData{
		Lost: floats(p.nFirm), Econ: floats(p.nFirm), FirmDefault: ints(p.nFirm),
		Raised: floats(p.nCust), Backed: floats(p.nCust), CustDefault: ints(p.nCust), Rounds: ints(p.nCust),
		Reneg: floats(p.nFirm), Tranched: floats(p.nCust),
		SysLost: make([]float64, count), SysEcon: make([]float64, count),
	}
	if p.weighted() {
		d.Weights = make([]float64, count)
	}
	return d
}

// copyBlock copies b's per-path outcomes to d, b's first path at at.
func (d *pathData) copyBlock(p *plan, b *block, at int) {
	for j := range b.count {
		path := at + j
		for f := range p.nFirm {
			d.Lost[f][path] = b.lost[j*p.nFirm+f]
			d.Econ[f][path] = b.econ[j*p.nFirm+f]
			d.Reneg[f][path] = b.reneg[j*p.nFirm+f]
			d.FirmDefault[f][path] = b.firmDefault[j*p.nFirm+f]
		}
		for i := range p.nCust {
			d.CustDefault[i][path] = b.custDefault[j*p.nCust+i]
			d.Raised[i][path] = b.raised[j*p.nCust+i]
			d.Rounds[i][path] = b.rounds[j*p.nCust+i]
			d.Backed[i][path] = b.backed[j*p.nCust+i]
			d.Tranched[i][path] = b.tranched[j*p.nCust+i]
		}
		if d.Weights != nil {
			d.Weights[path] = b.weight[j]
		}
		d.SysLost[path] = systemSum(b.lost, j, p.nFirm)
		d.SysEcon[path] = systemSum(b.econ, j, p.nFirm)
	}
}

// appendPaths appends o's paths to d's.
func (d *pathData) appendPaths(o *pathData) {
	cat := func(a, b [][]float64) {
		for e := range a {
			a[e] = append(a[e], b[e]...)
		}
	}
	catInts := func(a, b [][]int32) {
		for e := range a {
			a[e] = append(a[e], b[e]...)
		}
	}
	cat(d.Lost, o.Lost)
	cat(d.Econ, o.Econ)
	cat(d.Raised, o.Raised)
	cat(d.Backed, o.Backed)
	cat(d.Reneg, o.Reneg)
	cat(d.Tranched, o.Tranched)
	catInts(d.FirmDefault, o.FirmDefault)
	catInts(d.CustDefault, o.CustDefault)
	catInts(d.Rounds, o.Rounds)
	d.Weights = append(d.Weights, o.Weights...)
	d.SysLost = append(d.SysLost, o.SysLost...)
	d.SysEcon = append(d.SysEcon, o.SysEcon...)
}

// merge adds the state of the range that follows s's to s.
func (s *rangeState) merge(o *rangeState) error {
	if o.First != s.First+s.Count {
		return fmt.Errorf("paths %d to %d do not follow paths %d to %d", o.First, o.First+o.Count-1, s.First, s.First+s.Count-1)
	}
	if err := s.sameShape(o); err != nil {
		return err
	}
	for k, d := range s.Lost {
		d.Merge(o.Lost[k])
		s.Econ[k].Merge(o.Econ[k])
		s.Reneg[k].Merge(o.Reneg[k])
		s.FirmDefault[k].Merge(&o.FirmDefault[k])
		s.LossFromDefault[k].Merge(&o.LossFromDefault[k])
	}
	for k, d := range s.Raised {
		d.Merge(o.Raised[k])
		s.Backed[k].Merge(o.Backed[k])
		s.Tranched[k].Merge(o.Tranched[k])
		s.AnyRound[k].Merge(&o.AnyRound[k])
		for y := range s.CustDefault[k] {
			s.CustDefault[k][y].Merge(&o.CustDefault[k][y])
		}
	}
	for k := range s.LostBySum {
		s.LostBySum[k].Merge(&o.LostBySum[k])
	}
	s.SysLost.Merge(o.SysLost)
	s.SysEcon.Merge(o.SysEcon)
	s.Weights.merge(&o.Weights)
	s.Series.merge(o.Series)
	s.Joint.merge(o.Joint)
	if s.PerPath != nil {
		s.PerPath.appendPaths(o.PerPath)
	}
	s.Count += o.Count
	return nil
}

// sameShape reports an error if o was not made for the same model and
// summary mode as s.
func (s *rangeState) sameShape(o *rangeState) error {
	type shape struct {
		firms, custs, years, sources, steps, regimes, cash int
		exact, weighted                                    bool
	}
	of := func(r *rangeState) shape {
		sh := shape{firms: len(r.Lost), custs: len(r.Raised), sources: len(r.LostBySum), exact: r.Exact, weighted: r.Weighted}
		if len(r.CustDefault) > 0 {
			sh.years = len(r.CustDefault[0])
		}
		if r.Series != nil {
			sh.steps, sh.regimes, sh.cash = r.Series.Steps, r.Series.NRegimes, len(r.Series.Cash)
		}
		return sh
	}
	if a, b := of(s), of(o); a != b {
		return fmt.Errorf("state was made for a different model or summary (%+v, want %+v)", b, a)
	}
	if len(o.Econ) != len(o.Lost) || len(o.Backed) != len(o.Raised) || len(o.Reneg) != len(o.Lost) || len(o.Tranched) != len(o.Raised) || len(o.FirmDefault) != len(o.Lost) ||
		len(o.AnyRound) != len(o.Raised) || len(o.CustDefault) != len(o.Raised) || o.Series == nil || !s.Joint.sameShape(o.Joint) {
		return fmt.Errorf("state has an inconsistent layout")
	}
	for _, ys := range o.CustDefault {
		if len(ys) != len(s.CustDefault[0]) {
			return fmt.Errorf("state has an inconsistent layout")
		}
	}
	return nil
}

// check reports an error if s, read from a file, is not a consistent state
// of a range of the run whose empty state is ref.
func (s *rangeState) check(ref *rangeState) error {
	if s.First < 0 || s.Count < 0 || s.First%blockSize != 0 {
		return fmt.Errorf("paths %d to %d are not a block-aligned range", s.First, s.First+s.Count-1)
	}
	if err := ref.sameShape(s); err != nil {
		return err
	}
	dists := func(r *rangeState) []*mcstat.LossDistribution {
		return slices.Concat(r.Lost, r.Econ, r.Reneg, r.Raised, r.Backed, r.Tranched, []*mcstat.LossDistribution{r.SysLost, r.SysEcon})
	}
	want := dists(ref)
	for k, d := range dists(s) {
		if err := want[k].CanMerge(d, s.First, s.Count); err != nil {
			return err
		}
	}
	ts := s.Series
	if len(ts.Regime) != len(ref.Series.Regime) || len(ts.Survival) != len(ref.Series.Survival) {
		return fmt.Errorf("time series do not match the run")
	}
	for i := range ts.Survival {
		if len(ts.Survival[i]) != ts.Steps || len(ts.Cash[i]) != ts.Steps || slices.Contains(ts.Cash[i], nil) {
			return fmt.Errorf("time series of customer %d do not match the run", i)
		}
	}
	if s.Exact != (s.PerPath != nil) {
		return fmt.Errorf("per-path outcomes missing or unexpected")
	}
	if d := s.PerPath; d != nil {
		n := s.Count
		ok := (s.Weighted && len(d.Weights) == n || !s.Weighted && d.Weights == nil)
		for _, xs := range slices.Concat(d.Lost, d.Econ, d.Reneg, d.Raised, d.Backed, d.Tranched, [][]float64{d.SysLost, d.SysEcon}) {
			ok = ok && len(xs) == n
		}
		for _, xs := range slices.Concat(d.FirmDefault, d.CustDefault, d.Rounds) {
			ok = ok && len(xs) == n
		}
		if !ok || len(d.Lost) != len(s.Lost) || len(d.Raised) != len(s.Raised) || len(d.Reneg) != len(s.Lost) || len(d.Tranched) != len(s.Raised) || len(d.Rounds) != len(s.Raised) {
			return fmt.Errorf("per-path outcomes do not hold %d paths", n)
		}
	}
	return nil
}

// normalise puts every exact sum outside the distributions (which Finish
// normalises) in its canonical form, so that equal states are deeply
// equal.
func (s *rangeState) normalise() {
	moments := func(gs []mcstat.Moments) {
		for k := range gs {
			gs[k].Normalise()
		}
	}
	moments(s.FirmDefault)
	moments(s.LossFromDefault)
	moments(s.AnyRound)
	for _, gs := range s.CustDefault {
		moments(gs)
	}
	for k := range s.LostBySum {
		s.LostBySum[k].Normalise()
	}
	s.Joint.normalise()
	s.Weights.Sum.Normalise()
	s.Weights.SumSquares.Normalise()
}
