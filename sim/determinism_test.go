package sim

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
)

// TestWorkersIdentical: the results, every per-path slice, the streaming
// summaries and the Summary, are the same for any number of workers, and
// the same on a second run.
func TestWorkersIdentical(t *testing.T) {
	m := smallWorld()
	m.Paths = 3000 // 12 blocks of 256, so 8 workers all get work
	ref := mustSimulate(t, m, Options{Workers: 1})
	for _, workers := range []int{1, 2, 3, 8} {
		got := mustSimulate(t, m, Options{Workers: workers})
		if !reflect.DeepEqual(got, ref) {
			t.Errorf("Simulate(smallWorld, Workers: %d) differs from Workers: 1 in %s", workers, firstDifference(got, ref))
		}
		if !reflect.DeepEqual(got.Summary, ref.Summary) {
			t.Errorf("Simulate(smallWorld, Workers: %d).Summary differs from Workers: 1", workers)
		}
	}
}

// firstDifference names the first field of Results that differs.
func firstDifference(a, b *Results) string {
	switch {
	case !reflect.DeepEqual(a.Providers, b.Providers):
		return "Providers"
	case !reflect.DeepEqual(a.Suppliers, b.Suppliers):
		return "Suppliers"
	case !reflect.DeepEqual(a.Customers, b.Customers):
		return "Customers"
	case !reflect.DeepEqual(a.RegimeShare, b.RegimeShare):
		return "RegimeShare"
	}
	return "another field"
}

func TestProgress(t *testing.T) {
	m := smallWorld()
	m.Paths = 1000
	var seen []int
	_, err := Simulate(context.Background(), m, Options{Workers: 3, Progress: func(done int) { seen = append(seen, done) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 || seen[len(seen)-1] != m.Paths || !slices.IsSorted(seen) {
		t.Errorf("Progress calls = %v; want increasing to %d", seen, m.Paths)
	}
}

func TestCancel(t *testing.T) {
	m := smallWorld()
	m.Paths = 5000

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Simulate(ctx, m, Options{})
	if res != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Simulate(cancelled context) = %v, %v; want nil, %v", res, err, context.Canceled)
	}

	// Cancelled part-way, from the progress callback after the first block.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	res, err = Simulate(ctx, m, Options{Workers: 2, Progress: func(int) { cancel() }})
	if res != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("Simulate(cancelled after one block) = %v, %v; want nil, %v", res, err, context.Canceled)
	}
}

// customerByName returns the per-path results of the named customer.
func customerByName(t *testing.T, res *Results, name string) CustomerResults {
	t.Helper()
	for _, c := range res.Customers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no customer %q", name)
	return CustomerResults{}
}

// TestCommonRandomNumbersParameterChange: changing lab-b's fixed cost
// changes lab-b but leaves lab-a's draws alone. Customers interact only
// through firms, and lab-a depends on firms only through its backer
// big-cloud's default; so on every path where big-cloud survives in both
// runs, lab-a's default step, funding, rounds and backer support are
// identical.
func TestCommonRandomNumbersParameterChange(t *testing.T) {
	base := smallWorld()
	changed := smallWorld()
	changed.Customers[1].FixedCost *= 1.5
	r0, r1 := mustSimulate(t, base), mustSimulate(t, changed)
	a0, a1 := customerByName(t, r0, "lab-a"), customerByName(t, r1, "lab-a")
	b0, b1 := customerByName(t, r0, "lab-b"), customerByName(t, r1, "lab-b")
	compared := 0
	for p := range base.Paths {
		if r0.Providers[0].DefaultStep[p] >= 0 || r1.Providers[0].DefaultStep[p] >= 0 {
			continue
		}
		compared++
		if a0.DefaultStep[p] != a1.DefaultStep[p] || a0.FundingRaised[p] != a1.FundingRaised[p] ||
			a0.Rounds[p] != a1.Rounds[p] || a0.BackerSupport[p] != a1.BackerSupport[p] {
			t.Fatalf("lab-a on path %d = (default %d, raised %v, rounds %d, support %v); want (%d, %v, %d, %v) as before lab-b's change",
				p, a1.DefaultStep[p], a1.FundingRaised[p], a1.Rounds[p], a1.BackerSupport[p],
				a0.DefaultStep[p], a0.FundingRaised[p], a0.Rounds[p], a0.BackerSupport[p])
		}
	}
	if compared < base.Paths/2 {
		t.Fatalf("big-cloud survived on only %d of %d paths; the test compares too few", compared, base.Paths)
	}
	if reflect.DeepEqual(b0.DefaultStep, b1.DefaultStep) {
		t.Errorf("lab-b's default steps did not change with its fixed cost")
	}
	// The common factors are shared: the regime shares are identical.
	if !reflect.DeepEqual(r0.RegimeShare, r1.RegimeShare) {
		t.Errorf("RegimeShare changed with lab-b's fixed cost")
	}
}

// withCustomerFirst returns a copy of m with c inserted as the first
// customer, every entity reference shifted accordingly.
func withCustomerFirst(m *Model, c Customer) *Model {
	out := *m
	out.Customers = append([]Customer{c}, m.Customers...)
	out.Contracts = slices.Clone(m.Contracts)
	for i := range out.Contracts {
		out.Contracts[i].Payer++
		out.Contracts[i].Payee++
	}
	out.Backers = slices.Clone(m.Backers)
	for i := range out.Backers {
		out.Backers[i].Backer++
		out.Backers[i].Customer++
	}
	return &out
}

// TestCommonRandomNumbersNewEntity: adding an unrelated customer, at the
// front so that every entity index shifts, leaves every other outcome on
// every path unchanged, because streams are keyed by name, not index.
func TestCommonRandomNumbersNewEntity(t *testing.T) {
	base := smallWorld()
	extra := withCustomerFirst(base, Customer{
		Name: "lab-new", Cash: 3, Revenue: 2, GrowthInitial: 0.5, GrowthHalfLifeYears: 1, IdioVolatility: 0.5,
		FixedCost: 4, CashFlowVolatility: 1,
		Funding: CustomerFunding{RoundRate: 2, RunwayThresholdYears: 1, UrgencyMultiplier: 2, RevenueMultiple: 3, SizeVolatility: 0.4},
	})
	r0, r1 := mustSimulate(t, base), mustSimulate(t, extra)
	if d := customerByName(t, r1, "lab-new").DefaultStep; !slices.ContainsFunc(d, func(s int32) bool { return s >= 0 }) {
		t.Fatalf("lab-new never defaults; the test wants it to")
	}
	if !reflect.DeepEqual(r1.Customers[1:], r0.Customers) {
		t.Errorf("customers' results changed when an unrelated customer was added")
	}
	if !reflect.DeepEqual(r1.Providers, r0.Providers) || !reflect.DeepEqual(r1.Suppliers, r0.Suppliers) {
		t.Errorf("firms' results changed when an unrelated customer was added")
	}
	if !reflect.DeepEqual(r1.RegimeShare, r0.RegimeShare) {
		t.Errorf("RegimeShare changed when an unrelated customer was added")
	}
}
