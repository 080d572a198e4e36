package sim

import (
	"math"
	"testing"
)

// defaultSteps returns every entity's per-path default steps, entity order.
func defaultSteps(res *Results) [][]int32 {
	var out [][]int32
	for _, c := range res.Customers {
		out = append(out, c.DefaultStep)
	}
	for _, f := range res.Providers {
		out = append(out, f.DefaultStep)
	}
	for _, f := range res.Suppliers {
		out = append(out, f.DefaultStep)
	}
	return out
}

// TestJointDefaultsFromPaths recomputes the joint and conditional default
// probabilities, their standard errors, the number of firms in default and
// the firms' survival from the per-path outcomes of an exact run, by the
// textbook formulas applied to the groups (paths or antithetic pairs):
// p̂ = mean of w·1, SE = sd/√G; the ratio r = Σa/Σb with delta-method SE
// √(Σ(a − r·b)²/(G−1)/G)/b̄.
func TestJointDefaultsFromPaths(t *testing.T) {
	cases := []struct {
		name     string
		sampling Sampling
	}{
		{"plain", Sampling{}},
		{"antithetic", Sampling{Antithetic: true}},
		{"importance", Sampling{Importance: ImportanceSampling{DemandShift: -1, RegimeTilt: 3, WindowYears: 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := smallWorld()
			m.Paths = 3000
			m.Sampling = tc.sampling
			res := mustSimulate(t, m, Options{Summary: ExactSummary})
			jd := res.JointDefaults
			steps := defaultSteps(res)
			ne := len(steps)
			g := 1
			if res.Antithetic {
				g = 2
			}
			ng := m.Paths / g
			weight := func(p int) float64 {
				if res.Weights == nil {
					return 1
				}
				return res.Weights[p]
			}
			// groupVal(i, j, k): group k's mean of w·1{i and j default}.
			groupVal := func(i, j, k int) float64 {
				v := 0.0
				for p := k * g; p < (k+1)*g; p++ {
					if steps[i][p] >= 0 && steps[j][p] >= 0 {
						v += weight(p)
					}
				}
				return v / float64(g)
			}
			near := func(got, want float64) bool { return math.Abs(got-want) <= 1e-9*math.Max(1e-3, math.Abs(want)) }
			anyDefined := false
			for i := range ne {
				for j := range ne {
					var sa, sb float64
					a := make([]float64, ng)
					b := make([]float64, ng)
					for k := range ng {
						a[k], b[k] = groupVal(i, j, k), groupVal(i, i, k)
						sa += a[k]
						sb += b[k]
					}
					pa := sa / float64(ng)
					ss := 0.0
					for k := range ng {
						ss += (a[k] - pa) * (a[k] - pa)
					}
					se := math.Sqrt(ss / float64(ng-1) / float64(ng))
					if got := jd.Joint[i][j]; !near(got.P, min(max(pa, 0), 1)) || !near(got.StdErr, se) {
						t.Errorf("Joint[%s][%s] = %+v; want %v ± %v", jd.Entities[i], jd.Entities[j], got, pa, se)
					}
					if sb == 0 {
						if jd.Defined[i] {
							t.Errorf("Defined[%s] = true; it never defaulted", jd.Entities[i])
						}
						continue
					}
					anyDefined = true
					r := sa / sb
					ss = 0
					for k := range ng {
						d := a[k] - r*b[k]
						ss += d * d
					}
					cse := math.Sqrt(ss/float64(ng-1)/float64(ng)) / (sb / float64(ng))
					if got := jd.Conditional[i][j]; !near(got.P, min(max(r, 0), 1)) || !near(got.StdErr, cse) {
						t.Errorf("Conditional[%s][%s] = %+v; want %v ± %v", jd.Entities[i], jd.Entities[j], got, r, cse)
					}
				}
			}
			if !anyDefined {
				t.Fatalf("no entity defaulted: the test checks nothing")
			}
			nc := len(res.Customers)
			total := 0.0
			for k, got := range jd.FirmsInDefault {
				want := 0.0
				for p := range m.Paths {
					n := 0
					for e := nc; e < ne; e++ {
						if steps[e][p] >= 0 {
							n++
						}
					}
					if n == k {
						want += weight(p)
					}
				}
				want /= float64(m.Paths)
				total += got.P
				if !near(got.P, want) {
					t.Errorf("FirmsInDefault[%d] = %v; want %v", k, got.P, want)
				}
			}
			if !res.ImportanceSampled && math.Abs(total-1) > 1e-9 {
				t.Errorf("FirmsInDefault sums to %v; want 1", total)
			}
			for f := range len(res.Providers) + len(res.Suppliers) {
				fr := res.firm(f)
				last := len(fr.Survival) - 1
				if want := 1 - fr.DefaultProbability.P; !res.ImportanceSampled && math.Abs(fr.Survival[last]-want) > 1e-9 {
					t.Errorf("%s: Survival at the horizon %v; want 1 − P(default) = %v", fr.Name, fr.Survival[last], want)
				}
				if y := fr.DefaultProbabilityByYear; !near(y[len(y)-1].P, fr.DefaultProbability.P) {
					t.Errorf("%s: P(default by the last year) %v; want %v", fr.Name, y[len(y)-1].P, fr.DefaultProbability.P)
				}
			}
		})
	}
}
