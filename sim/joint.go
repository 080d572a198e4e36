package sim

import (
	"math"

	"github.com/backlogsim/backlogsim/mcstat"
)

// JointDefaults describes which entities default together within the
// horizon. Entities are the customers, then the providers, then the
// suppliers, in the scenario's order (entity IDs).
//
// Estimators. Each independent group (a path, or an antithetic pair whose
// two paths are averaged) contributes, for every pair (i, j), the mean over
// its paths of w·1{i and j default} (w the likelihood-ratio weight, 1
// without importance sampling): the joint probability is the mean of these
// group values over the groups, its standard error their standard
// deviation over √groups. The conditional probability P(j | i) =
// P(i and j)/P(i) is a ratio estimator; its standard error is the delta
// method's √(Var(a − r·b)/groups)/P(i), with a and b the groups' values
// for (i and j) and for i, and r the ratio.
type JointDefaults struct {
	Entities []string
	// Joint[i][j] is P(i and j default within the horizon); Joint[i][i] is
	// P(i defaults).
	Joint [][]mcstat.ProportionStats
	// Conditional[i][j] is P(j defaults | i defaults); Defined[i] is false
	// (and row i zero) when i never defaulted.
	Conditional [][]mcstat.ProportionStats
	Defined     []bool
	// FirmsInDefault[k] is the probability that exactly k providers and
	// suppliers are in default at the horizon, k = 0…number of firms.
	FirmsInDefault []mcstat.ProportionStats
}

// jointAcc accumulates JointDefaults and the firms' default timing. Its
// sums are exact (see mcstat.ExactSum), so that it merges across workers and
// shards into the state of one run; its exported fields are the state a
// shard carries (see rangeState).
type jointAcc struct {
	NE, NCust, NFirm int
	Groups           int
	// Sums over groups, [i*ne+j]: of a_ij, a_ij², and a_ij·a_ii.
	Sum, Sum2, Cross []mcstat.ExactSum
	// Count[k]: sums over groups of the weight share with k firms in
	// default, and of its square.
	Count, Count2 []mcstat.ExactSum
	// DefaultAt[f*steps+s]: Σ w over paths where firm f defaulted at step s.
	DefaultAt []mcstat.ExactSum
	Steps     int
	// FirmByYear[f][y] is the share with firm f in default by year y+1.
	FirmByYear [][]mcstat.Moments
	Years      int
	StepsYear  int
	// Scratch for one group: a_ij, the counts and the by-year shares.
	a, cnt, byYear []float64
}

func newJointAcc(p *plan, years int) *jointAcc {
	ne := p.nCust + p.nFirm
	j := &jointAcc{
		NE: ne, NCust: p.nCust, NFirm: p.nFirm, Steps: p.steps,
		Sum: make([]mcstat.ExactSum, ne*ne), Sum2: make([]mcstat.ExactSum, ne*ne), Cross: make([]mcstat.ExactSum, ne*ne),
		Count: make([]mcstat.ExactSum, p.nFirm+1), Count2: make([]mcstat.ExactSum, p.nFirm+1),
		DefaultAt: make([]mcstat.ExactSum, p.nFirm*p.steps),
		Years:     years, StepsYear: p.m.StepsPerYear,
	}
	for range p.nFirm {
		j.FirmByYear = append(j.FirmByYear, make([]mcstat.Moments, years))
	}
	return j
}

// merge adds o's groups to ja.
func (ja *jointAcc) merge(o *jointAcc) {
	ja.Groups += o.Groups
	for _, pair := range [][2][]mcstat.ExactSum{{ja.Sum, o.Sum}, {ja.Sum2, o.Sum2}, {ja.Cross, o.Cross}, {ja.Count, o.Count}, {ja.Count2, o.Count2}, {ja.DefaultAt, o.DefaultAt}} {
		for k := range pair[0] {
			pair[0][k].Merge(&pair[1][k])
		}
	}
	for f := range ja.FirmByYear {
		for y := range ja.FirmByYear[f] {
			ja.FirmByYear[f][y].Merge(&o.FirmByYear[f][y])
		}
	}
}

// sameShape reports whether o accumulates for the same entities, steps
// and years as ja.
func (ja *jointAcc) sameShape(o *jointAcc) bool {
	ne, nf := ja.NE, ja.NFirm
	ok := o != nil && o.NE == ne && o.NCust == ja.NCust && o.NFirm == nf && o.Steps == ja.Steps && o.Years == ja.Years && o.StepsYear == ja.StepsYear &&
		len(o.Sum) == ne*ne && len(o.Sum2) == ne*ne && len(o.Cross) == ne*ne && len(o.Count) == nf+1 && len(o.Count2) == nf+1 &&
		len(o.DefaultAt) == nf*ja.Steps && len(o.FirmByYear) == nf
	for f := range nf {
		ok = ok && len(o.FirmByYear[f]) == ja.Years
	}
	return ok
}

// normalise puts every sum in its canonical form.
func (ja *jointAcc) normalise() {
	for _, sums := range [][]mcstat.ExactSum{ja.Sum, ja.Sum2, ja.Cross, ja.Count, ja.Count2, ja.DefaultAt} {
		for k := range sums {
			sums[k].Normalise()
		}
	}
	for f := range ja.FirmByYear {
		for y := range ja.FirmByYear[f] {
			ja.FirmByYear[f][y].Normalise()
		}
	}
}

// addGroup adds the group of g paths starting at slot j0 of b, with weights
// ws.
func (ja *jointAcc) addGroup(b *block, j0, g int, ws []float64) {
	ne, nc, nf := ja.NE, ja.NCust, ja.NFirm
	if ja.a == nil {
		ja.a, ja.cnt, ja.byYear = make([]float64, ne*ne), make([]float64, nf+1), make([]float64, nf*ja.Years)
	}
	a, cnt, byYear := ja.a, ja.cnt, ja.byYear
	clear(a)
	clear(cnt)
	clear(byYear)
	step := func(k, e int) int32 {
		if e < nc {
			return b.custDefault[(j0+k)*nc+e]
		}
		return b.firmDefault[(j0+k)*nf+e-nc]
	}
	for k := range g {
		w := ws[k] / float64(g)
		n := 0
		for i := range ne {
			si := step(k, i)
			if si < 0 {
				continue
			}
			for jj := i; jj < ne; jj++ {
				if step(k, jj) >= 0 {
					a[i*ne+jj] += w
				}
			}
			if f := i - nc; f >= 0 {
				n++
				ja.DefaultAt[f*ja.Steps+int(si)].Add(ws[k])
				for y := int(si) / ja.StepsYear; y < ja.Years; y++ {
					byYear[f*ja.Years+y] += w
				}
			}
		}
		cnt[n] += w
	}
	for i := range ne {
		for jj := i + 1; jj < ne; jj++ {
			a[jj*ne+i] = a[i*ne+jj]
		}
	}
	for i := range ne {
		ai := a[i*ne+i]
		for jj := range ne {
			v := a[i*ne+jj]
			if v == 0 {
				continue // adds nothing to any sum
			}
			ja.Sum[i*ne+jj].Add(v)
			ja.Sum2[i*ne+jj].AddProduct(v, v)
			ja.Cross[i*ne+jj].AddProduct(v, ai)
		}
	}
	for k, c := range cnt {
		ja.Count[k].Add(c)
		ja.Count2[k].AddProduct(c, c)
	}
	for f := range nf {
		for y := range ja.Years {
			ja.FirmByYear[f][y].Add(byYear[f*ja.Years+y])
		}
	}
	ja.Groups++
}

// meanSE returns the mean of group values with sum s and sum of squares s2
// over ng groups, and its standard error.
func meanSE(s, s2 float64, ng int) mcstat.ProportionStats {
	if ng == 0 {
		return mcstat.ProportionStats{}
	}
	n := float64(ng)
	m := s / n
	se := 0.0
	if ng > 1 {
		se = math.Sqrt(math.Max(s2-s*m, 0) / (n - 1) / n)
	}
	return mcstat.ProportionStats{P: min(max(m, 0), 1), StdErr: se}
}

// result returns the JointDefaults for entities named names.
func (ja *jointAcc) result(names []string) *JointDefaults {
	ne, ng := ja.NE, ja.Groups
	jd := &JointDefaults{Entities: names, Defined: make([]bool, ne)}
	n := float64(ng)
	for i := range ne {
		row := make([]mcstat.ProportionStats, ne)
		cond := make([]mcstat.ProportionStats, ne)
		for j := range ne {
			row[j] = meanSE(ja.Sum[i*ne+j].Value(), ja.Sum2[i*ne+j].Value(), ng)
		}
		sb, sb2 := ja.Sum[i*ne+i].Value(), ja.Sum2[i*ne+i].Value()
		if sb > 0 && ng > 1 {
			jd.Defined[i] = true
			pb := sb / n
			for j := range ne {
				sa, sa2, sab := ja.Sum[i*ne+j].Value(), ja.Sum2[i*ne+j].Value(), ja.Cross[i*ne+j].Value()
				r := sa / sb
				// Σ(a − r b)² − (Σ(a − r b))²/n, and Σ(a − r b) = 0.
				ss := sa2 - 2*r*sab + r*r*sb2
				se := math.Sqrt(math.Max(ss, 0)/(n-1)/n) / pb
				cond[j] = mcstat.ProportionStats{P: min(max(r, 0), 1), StdErr: se}
			}
		}
		jd.Joint = append(jd.Joint, row)
		jd.Conditional = append(jd.Conditional, cond)
	}
	for k := range ja.Count {
		jd.FirmsInDefault = append(jd.FirmsInDefault, meanSE(ja.Count[k].Value(), ja.Count2[k].Value(), ng))
	}
	return jd
}

// firmTiming sets fr's default timing from the accumulated sums.
func (ja *jointAcc) firmTiming(f int, fr *FirmResults, paths int) {
	fr.DefaultProbabilityByYear = nil
	for y := range ja.Years {
		fr.DefaultProbabilityByYear = append(fr.DefaultProbabilityByYear, ja.FirmByYear[f][y].Proportion())
	}
	fr.Survival = make([]float64, ja.Steps)
	acc := 0.0
	for s := range ja.Steps {
		acc += ja.DefaultAt[f*ja.Steps+s].Value()
		fr.Survival[s] = min(max(1-acc/float64(paths), 0), 1)
	}
}
