package sim

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/backlogsim/backlogsim/mcstat"
)

// TestInvariants checks, on every path of the fixture world, the bounds and
// identities that hold whatever the random draws.
func TestInvariants(t *testing.T) {
	m := smallWorld()
	m.Paths = paths(4000, 20000)
	res := mustSimulate(t, m)
	steps := m.Steps()
	nCust := len(m.Customers)
	const eps = 1e-9

	if len(res.StepYears) != steps {
		t.Fatalf("len(StepYears) = %d; want %d", len(res.StepYears), steps)
	}
	for s, y := range res.StepYears {
		checkClose(t, fmt.Sprintf("StepYears[%d]", s), y, float64(s+1)*m.Dt(), 1e-12)
	}
	for s, row := range res.RegimeShare {
		sum := 0.0
		for _, v := range row {
			if v < 0 || v > 1 {
				t.Errorf("RegimeShare[%d] = %v; want shares in [0, 1]", s, row)
			}
			sum += v
		}
		checkClose(t, fmt.Sprintf("sum of RegimeShare[%d]", s), sum, 1, 1e-12)
	}

	// defaultStep returns the default step of entity e on path p, or -1.
	defaultStep := func(e EntityID, p int) int32 {
		if int(e) < nCust {
			return res.Customers[e].DefaultStep[p]
		}
		return res.firm(int(e) - nCust).DefaultStep[p]
	}

	for f := range len(m.Providers) + len(m.Suppliers) {
		id := EntityID(nCust + f)
		fm := m.firm(id)
		fr := res.firm(f)
		incoming := 0.0
		var payers []EntityID
		for _, c := range m.Contracts {
			if c.Payee == id {
				incoming += c.Value
				if !slices.Contains(payers, c.Payer) {
					payers = append(payers, c.Payer)
				}
			}
		}
		slices.Sort(payers)
		pool := math.Max(fm.Backlog-incoming, 0)
		maxEcon := (fm.Margin+fm.StrandedShare)*incoming + fm.Pool.LossGivenDefault*pool

		for p := range m.Paths {
			lost, econ := fr.BacklogLost[p], fr.EconomicLoss[p]
			// What the defaulted payers still owed at their default steps,
			// from the profiles (handPaid), is lost in full; the rest of
			// the backlog lost is the pool, at most its starting balance.
			owed := 0.0
			for _, c := range m.Contracts {
				if d := defaultStep(c.Payer, p); c.Payee == id && d >= 0 {
					owed += c.Value - handPaid(c, float64(d)*m.Dt())
				}
			}
			if lost < owed-eps || lost > owed+pool+eps {
				t.Fatalf("%s BacklogLost[%d] = %v; want in [%v, %v] (owed by defaulted payers, plus pool)", fm.Name, p, lost, owed, owed+pool)
			}
			if econ < -eps || econ > maxEcon+eps {
				t.Fatalf("%s EconomicLoss[%d] = %v; want in [0, %v]", fm.Name, p, econ, maxEcon)
			}
			// Economic loss per unit lost is at most m+k on contracts and
			// LGD on the pool.
			if econ > (fm.Margin+fm.StrandedShare)*owed+fm.Pool.LossGivenDefault*(lost-owed)+eps {
				t.Fatalf("%s EconomicLoss[%d] = %v; want <= (m+k)·%v + LGD·%v", fm.Name, p, econ, owed, lost-owed)
			}
			if d := fr.DefaultStep[p]; d < -1 || int(d) >= steps {
				t.Fatalf("%s DefaultStep[%d] = %d; want in [-1, %d)", fm.Name, p, d, steps)
			}
		}

		// LostBy: the payers in entity order, then the pool; the means add
		// up to the mean backlog lost and the tail means to the mean over
		// the worst ⌈1%·n⌉ paths.
		var names []string
		for _, e := range payers {
			names = append(names, m.EntityName(e))
		}
		names = append(names, PoolSource)
		var gotNames []string
		sumMean, sumTail := 0.0, 0.0
		for _, src := range fr.LostBy {
			gotNames = append(gotNames, src.Name)
			sumMean += src.Mean
			sumTail += src.TailMean
			if src.Mean < 0 || src.TailMean < 0 {
				t.Errorf("%s LostBy %s = %+v; want non-negative", fm.Name, src.Name, src)
			}
		}
		if !slices.Equal(gotNames, names) {
			t.Errorf("%s LostBy names = %v; want %v", fm.Name, gotNames, names)
		}
		sorted := slices.Clone(fr.BacklogLost)
		slices.Sort(sorted)
		k := int(math.Ceil(0.01 * float64(m.Paths)))
		worst := 0.0
		for _, v := range sorted[len(sorted)-k:] {
			worst += v
		}
		checkClose(t, fm.Name+" sum of LostBy means", sumMean, meanOf(fr.BacklogLost), 1e-9)
		checkClose(t, fm.Name+" sum of LostBy tail means", sumTail, worst/float64(k), 1e-9)
	}

	for i, c := range m.Customers {
		cr := res.Customers[i]
		limit := 0.0
		for _, b := range m.Backers {
			if int(b.Customer) == i {
				limit += b.AnnualLimit * math.Ceil(m.HorizonYears)
			}
		}
		for p := range m.Paths {
			d := cr.DefaultStep[p]
			if d < -1 || int(d) >= steps {
				t.Fatalf("%s DefaultStep[%d] = %d; want in [-1, %d)", c.Name, p, d, steps)
			}
			// At most one round per step, and none after default.
			alive := int32(steps)
			if d >= 0 {
				alive = d + 1
			}
			if r := cr.Rounds[p]; r < 0 || r > alive {
				t.Fatalf("%s Rounds[%d] = %d; want in [0, %d]", c.Name, p, r, alive)
			}
			if (cr.FundingRaised[p] > 0) != (cr.Rounds[p] > 0) || cr.FundingRaised[p] < 0 {
				t.Fatalf("%s path %d raised %v in %d rounds", c.Name, p, cr.FundingRaised[p], cr.Rounds[p])
			}
			if s := cr.BackerSupport[p]; s < 0 || s > limit+eps {
				t.Fatalf("%s BackerSupport[%d] = %v; want in [0, %v]", c.Name, p, s, limit)
			}
		}
		for s, bands := range cr.CashBands {
			if !slices.IsSorted(bands[:]) {
				t.Errorf("%s CashBands[%d] = %v; want increasing", c.Name, s, bands)
			}
		}
	}

	sum := res.Summary
	for _, c := range sum.Customers {
		by := c.DefaultProbabilityByYear
		for y := 1; y < len(by); y++ {
			if by[y].P < by[y-1].P {
				t.Errorf("%s DefaultProbabilityByYear = %v; want nondecreasing", c.Name, by)
			}
		}
		if last := by[len(by)-1]; last != c.DefaultProbability {
			t.Errorf("%s DefaultProbabilityByYear[last] = %v; want DefaultProbability %v", c.Name, last, c.DefaultProbability)
		}
	}
	for _, f := range append(slices.Clone(sum.Providers), sum.Suppliers...) {
		for _, ls := range []mcstat.LossStats{f.BacklogLost, f.EconomicLoss} {
			if !slices.IsSorted(ls.VaR[:]) || !slices.IsSorted(ls.ES[:]) {
				t.Errorf("%s: VaR %v and ES %v; want increasing in the level", f.Name, ls.VaR, ls.ES)
			}
			for k := range ls.VaR {
				if ls.ES[k] < ls.VaR[k] {
					t.Errorf("%s: ES %v below VaR %v", f.Name, ls.ES, ls.VaR)
				}
			}
		}
	}

	// Nothing is NaN or infinite.
	checkFinite(t, "Results", reflect.ValueOf(*res))
	checkFinite(t, "Summary", reflect.ValueOf(sum))
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// checkFinite reports every float64 reachable from v (through structs,
// slices and arrays, but not pointers: Results.Model is the input) that is
// NaN or infinite.
func checkFinite(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			t.Errorf("%s = %v; want finite", path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			checkFinite(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			checkFinite(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			if t.Failed() {
				return
			}
		}
	}
}

// TestNoRoundsAfterDefault: a customer that raises tiny rounds every step
// (λ = 1000 a year, so N ~ Poisson(83.3) rounds a step of 10⁻⁶ each) and
// still runs out of cash at a hand-computed step raises nothing afterwards.
// Cash after step s is 1.05 − (s+1)·4/12 + 10⁻⁶·(rounds so far), with at
// most about 10⁻³ raised: positive up to step 2, negative at step 3, so it
// defaults at step 3. The rounds of steps 0-3 are Poisson(4·λ/12): their
// count is checked against that mean, and each raises exactly 10⁻⁶.
func TestNoRoundsAfterDefault(t *testing.T) {
	const size = 1e-6
	m := &Model{
		Name: "doomed", Settings: Settings{Paths: 500, Seed: 8}, HorizonYears: 3, StepsPerYear: 12,
		Funding:  singleRegime(),
		Recovery: deterministicRecovery(),
		Customers: []Customer{{
			Name: "doomed", Cash: 1.05, Revenue: 1, GrowthHalfLifeYears: 1, FixedCost: 5,
			Funding: CustomerFunding{RoundRate: 1000, UrgencyMultiplier: 1, RevenueMultiple: size},
		}},
	}
	res := mustSimulate(t, m)
	c := res.Customers[0]
	total := 0.0
	for p := range m.Paths {
		if c.DefaultStep[p] != 3 || math.Abs(c.FundingRaised[p]-size*float64(c.Rounds[p])) > 1e-15 {
			t.Fatalf("path %d: default step %d, %d rounds raising %v; want step 3, %v per round",
				p, c.DefaultStep[p], c.Rounds[p], c.FundingRaised[p], size)
		}
		total += float64(c.Rounds[p])
	}
	mu := 4 * 1000.0 / 12
	checkSE(t, "mean rounds to default", total/float64(m.Paths), mu, math.Sqrt(mu/float64(m.Paths)))
	// Cash stays at its value at default: 1.05 − 4/3 plus about 10⁻⁶·μ
	// raised (its spread, 10⁻⁶·√μ, is far inside a histogram bin).
	want := 1.05 - 4.0/3 + size*mu
	for s := 3; s < m.Steps(); s++ {
		if got := c.CashBands[s][2]; math.Abs(got-want) > cashBinTolerance(want) {
			t.Errorf("median cash after step %d = %v; want %v (frozen at default)", s, got, want)
		}
	}
}

// TestDefaultedFirmPropagates: a provider with no buffer that loses its
// customer's contract defaults in the same step, and its supplier then
// loses what the provider still owed it; an Eisenberg–Noe chain computed
// by hand.
func TestDefaultedFirmPropagates(t *testing.T) {
	// The customer has 0.05 bn and burns 1 bn a year: after step 0 (dt =
	// 1/12) it has −0.0333 and defaults at step 0 owing the whole 12 bn
	// contract (it starts at t = 1), with estate 0. The provider's buffer
	// is 0.1 bn, so the economic loss (m+k)(1−R)·12 = 1·0.6·12 = 7.2 sinks
	// it; it owes the supplier 6 bn (starting at t = 1) and Debt 4, and its
	// estate is its liquidation value 2: ratio 2/10 = 0.2. The supplier
	// loses 6 bn of backlog and (m+k)(1−R)·6·(1−0.2) = 0.5·0.6·6·0.8 = 1.44.
	m := &Model{
		Name: "chain", Settings: Settings{Paths: 300, Seed: 4}, HorizonYears: 1, StepsPerYear: 12,
		Funding:  singleRegime(),
		Recovery: RecoveryModel{Mean: 0.4, Concentration: math.Inf(1)},
		Customers: []Customer{{
			Name: "lab", Cash: 0.05, GrowthHalfLifeYears: 1, FixedCost: 1,
		}},
		Providers: []Firm{{
			Name: "cloud", Backlog: 12, Cash: 0.1, Debt: 4, LiquidationValue: 2, Margin: 0.4, StrandedShare: 0.6,
		}},
		Suppliers: []Firm{{
			Name: "fab", Backlog: 6, Cash: 100, Margin: 0.3, StrandedShare: 0.2,
		}},
		Contracts: []Contract{
			{Name: "lab-cloud", Payer: 0, Payee: 1, Value: 12, StartYears: 1, TermYears: 2},
			{Name: "cloud-fab", Payer: 1, Payee: 2, Value: 6, StartYears: 1, TermYears: 2},
		},
	}
	res := mustSimulate(t, m)
	for p := range m.Paths {
		got := []float64{
			float64(res.Customers[0].DefaultStep[p]), float64(res.Providers[0].DefaultStep[p]), float64(res.Suppliers[0].DefaultStep[p]),
			res.Providers[0].BacklogLost[p], res.Providers[0].EconomicLoss[p],
			res.Suppliers[0].BacklogLost[p], res.Suppliers[0].EconomicLoss[p],
		}
		want := []float64{0, 0, -1, 12, 7.2, 6, 1.44}
		for k := range want {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Fatalf("path %d: (lab default, cloud default, fab default, cloud lost, cloud econ, fab lost, fab econ) = %v; want %v", p, got, want)
			}
		}
	}
}
