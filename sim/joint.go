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

// jointAcc accumulates JointDefaults and the firms' default timing, in
// path order, in the merger.
type jointAcc struct {
	ne, nCust, nFirm int
	groups           int
	// Sums over groups, [i*ne+j]: of a_ij, a_ij², and a_ij·a_ii.
	sum, sum2, cross []float64
	// count[k]: sums over groups of the weight share with k firms in
	// default, and of its square.
	count, count2 []float64
	// defaultAt[f*steps+s]: Σ w over paths where firm f defaulted at step s.
	defaultAt []float64
	steps     int
	// firmByYear[f][y] is the share with firm f in default by year y+1.
	firmByYear [][]mcstat.Moments
	// Scratch for one group: a_ij, the counts and the by-year shares.
	a, cnt, byYear []float64
	years          int
	stepsYear      int
}

func newJointAcc(p *plan, years int) *jointAcc {
	ne := p.nCust + p.nFirm
	j := &jointAcc{
		ne: ne, nCust: p.nCust, nFirm: p.nFirm, steps: p.steps,
		sum: make([]float64, ne*ne), sum2: make([]float64, ne*ne), cross: make([]float64, ne*ne),
		count: make([]float64, p.nFirm+1), count2: make([]float64, p.nFirm+1),
		defaultAt: make([]float64, p.nFirm*p.steps),
		a:         make([]float64, ne*ne),
		cnt:       make([]float64, p.nFirm+1),
		byYear:    make([]float64, p.nFirm*years),
		years:     years, stepsYear: p.m.StepsPerYear,
	}
	for range p.nFirm {
		j.firmByYear = append(j.firmByYear, make([]mcstat.Moments, years))
	}
	return j
}

// addGroup adds the group of g paths starting at slot j0 of b, with weights
// ws.
func (ja *jointAcc) addGroup(b *block, j0, g int, ws []float64) {
	ne, nc, nf := ja.ne, ja.nCust, ja.nFirm
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
				ja.defaultAt[f*ja.steps+int(si)] += ws[k]
				for y := int(si) / ja.stepsYear; y < ja.years; y++ {
					byYear[f*ja.years+y] += w
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
			ja.sum[i*ne+jj] += v
			ja.sum2[i*ne+jj] += v * v
			ja.cross[i*ne+jj] += v * ai
		}
	}
	for k, c := range cnt {
		ja.count[k] += c
		ja.count2[k] += c * c
	}
	for f := range nf {
		for y := range ja.years {
			ja.firmByYear[f][y].Add(byYear[f*ja.years+y])
		}
	}
	ja.groups++
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
	ne, ng := ja.ne, ja.groups
	jd := &JointDefaults{Entities: names, Defined: make([]bool, ne)}
	n := float64(ng)
	for i := range ne {
		row := make([]mcstat.ProportionStats, ne)
		cond := make([]mcstat.ProportionStats, ne)
		for j := range ne {
			row[j] = meanSE(ja.sum[i*ne+j], ja.sum2[i*ne+j], ng)
		}
		sb, sb2 := ja.sum[i*ne+i], ja.sum2[i*ne+i]
		if sb > 0 && ng > 1 {
			jd.Defined[i] = true
			pb := sb / n
			for j := range ne {
				sa, sa2, sab := ja.sum[i*ne+j], ja.sum2[i*ne+j], ja.cross[i*ne+j]
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
	for k := range ja.count {
		jd.FirmsInDefault = append(jd.FirmsInDefault, meanSE(ja.count[k], ja.count2[k], ng))
	}
	return jd
}

// firmTiming sets fr's default timing from the accumulated sums.
func (ja *jointAcc) firmTiming(f int, fr *FirmResults, paths int) {
	fr.DefaultProbabilityByYear = nil
	for y := range ja.years {
		fr.DefaultProbabilityByYear = append(fr.DefaultProbabilityByYear, ja.firmByYear[f][y].Proportion())
	}
	fr.Survival = make([]float64, ja.steps)
	acc := 0.0
	for s := range ja.steps {
		acc += ja.defaultAt[f*ja.steps+s]
		fr.Survival[s] = min(max(1-acc/float64(paths), 0), 1)
	}
}
