package scenarios

import (
	"math"

	"github.com/backlogsim/backlogsim/sim"
)

// contracts reads the [[contracts]] and checks that each firm's backlog
// covers those it is owed.
func (b *builder) contracts(top *table) {
	arr := top.array("contracts")
	if len(arr) > maxContracts {
		b.errAt(top.get("contracts"), "contracts", "too many contracts: %d, at most %d", len(arr), maxContracts)
		return
	}
	listed := map[string]float64{}
	for _, t := range arr {
		var c sim.Contract
		payer, pid, okPayer := b.party(t, "payer")
		payee, qid, okPayee := b.party(t, "payee")
		c.Payer, c.Payee = pid, qid
		if okPayee && b.kinds[payee] == "customer" {
			b.errAt(t.get("payee"), t.key("payee"), "must be a provider or supplier, got customer %q (customers only pay)", payee)
			okPayee = false
		}
		if okPayer && okPayee && payer == payee {
			b.errAt(t.get("payee"), t.key("payee"), "must differ from payer, got %q for both", payee)
			okPayee = false
		}
		c.Name, _ = t.str("name", false, payer+"->"+payee)
		c.Value = t.modelNum("value", true, 0)
		c.StartYears = t.num("start_years", false, 0, b.beforeHorizon())
		c.TermYears = t.modelNum("term_years", true, 1)
		profile := t.oneOf("profile", "flat", "flat", "ramp", "schedule")
		switch profile {
		case "flat":
			c.Profile = sim.Flat
		case "ramp":
			c.Profile = sim.Ramp
		case "schedule":
			c.Profile = sim.Schedule
		}
		sched, ok := t.modelNums("schedule")
		switch {
		case profile == "schedule" && t.get("schedule") == nil:
			t.missing("schedule", `key (profile = "schedule")`)
		case profile != "schedule" && t.get("schedule") != nil:
			b.errAt(t.get("schedule"), t.key("schedule"), `only allowed with profile = "schedule", got profile %q`, profile)
		case ok:
			c.YearlySchedule = sched // its length and sum: sim.Model.Validate
		}
		t.get("remove") // consumed by the extends merge
		t.done()
		if okPayee {
			listed[payee] += c.Value
		}
		b.m.Contracts = append(b.m.Contracts, c)
	}
	// Each firm's backlog must cover its listed contracts; the rest is the
	// diversified pool.
	check := func(fs []sim.Firm) {
		for _, f := range fs {
			sum := listed[f.Name]
			if sum > f.Backlog*(1+1e-9)+1e-9 {
				t := b.firms[f.Name]
				b.errAt(t.get("backlog"), t.key("backlog"),
					"must be >= %s, the sum of listed contracts with %s as payee, got %s",
					fmtNum(math.Round(sum*1e6)/1e6), f.Name, fmtNum(f.Backlog))
			}
		}
	}
	check(b.m.Providers)
	check(b.m.Suppliers)
}

func (b *builder) backers(top *table) {
	for _, t := range top.array("backers") {
		var k sim.Backing
		backer, id, ok := b.party(t, "backer")
		if ok && b.kinds[backer] != "provider" {
			b.errAt(t.get("backer"), t.key("backer"), "must be a provider, got %s %q", b.kinds[backer], backer)
		}
		k.Backer = id
		cust, id, ok := b.party(t, "customer")
		if ok && b.kinds[cust] != "customer" {
			b.errAt(t.get("customer"), t.key("customer"), "must be a customer, got %s %q", b.kinds[cust], cust)
		}
		k.Customer = id
		k.AnnualLimit = t.modelNum("annual_limit", true, 0)
		t.done()
		b.m.Backers = append(b.m.Backers, k)
	}
}

// tranches reads the committed investments ([[tranches]]).
func (b *builder) tranches(top *table) {
	regimes := map[string]int{}
	for i, r := range b.m.Funding.Regimes {
		regimes[r.Name] = i
	}
	for _, t := range top.array("tranches") {
		tr := sim.Tranche{Investor: -1}
		tr.Name, _ = t.str("name", true, "")
		cust, id, ok := b.party(t, "customer")
		if ok && b.kinds[cust] != "customer" {
			b.errAt(t.get("customer"), t.key("customer"), "must be a customer, got %s %q", b.kinds[cust], cust)
		}
		tr.Customer = id
		if t.get("investor") != nil {
			inv, id, ok := b.party(t, "investor")
			if ok && b.kinds[inv] == "customer" {
				b.errAt(t.get("investor"), t.key("investor"), "must be a provider or supplier, got customer %q", inv)
			}
			tr.Investor = id
		}
		tr.Amount = t.modelNum("amount", true, 0)
		tr.StartYears = t.modelNum("start_years", true, 0)
		tr.ExpiryYears = t.modelNum("expiry_years", false, 0)
		if tr.ExpiryYears != 0 && tr.ExpiryYears <= tr.StartYears {
			b.errAt(t.get("expiry_years"), t.key("expiry_years"), "must be after start_years %s, got %s", fmtNum(tr.StartYears), fmtNum(tr.ExpiryYears))
		}
		tr.MinPerformance = t.modelNum("min_performance", false, 0)
		if n := t.get("regimes"); n != nil {
			list, ok := n.val.([]any)
			if !ok || n.kind != leafNode {
				b.errAt(n, t.key("regimes"), "must be an array of regime names, got %s", describe(n))
			}
			for i, x := range list {
				name, isString := x.(string)
				r, known := regimes[name]
				switch {
				case !isString:
					b.errAt(n, index(t.key("regimes"), i), "must be a regime name, got %s", describeValue(x))
					continue
				case !known:
					b.errAt(n, index(t.key("regimes"), i), "unknown regime %q; want %s", name, quoteList(sortedKeys(regimes)))
					continue
				}
				tr.Regimes = append(tr.Regimes, r)
			}
		}
		t.get("remove") // consumed by the extends merge
		t.done()
		b.m.Tranches = append(b.m.Tranches, tr)
	}
}
