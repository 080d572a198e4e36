package scenarios

import (
	"math"

	"github.com/backlogsim/backlogsim/sim"
)

// creditRate is the range of interest rates and spreads, per year.
var creditRate = rng{lo: 0, hi: 1}

// financing reads a firm's optional financing keys: demand_loading,
// capex, leases, maturities, interest_rate and the [credit] table.
func (b *builder) financing(t *table, debt float64) sim.FirmFinancing {
	f := sim.FirmFinancing{
		DemandLoading:           t.num("demand_loading", false, 0, symmetric(maxMoney)),
		InterestRate:            t.num("interest_rate", false, 0, creditRate),
		OperatingCashFlowGrowth: t.num("operating_cash_flow_growth", false, 0, costGrowth),
		CapexBacklogShare:       t.num("capex_backlog_share", false, 0, unit),
		CapexDeferrableShare:    t.num("capex_deferrable_share", false, 0, unit),
	}
	f.Capex, _ = t.nums("capex", money)
	f.Leases, _ = t.nums("leases", money)
	var ok bool
	if f.Maturities, ok = t.nums("maturities", money); ok {
		sum := 0.0
		for _, v := range f.Maturities {
			sum += v
		}
		if sum > debt*(1+1e-9)+1e-9 {
			b.errAt(t.get("maturities"), t.key("maturities"), "must sum to at most debt %s, got %s", fmtNum(debt), fmtNum(math.Round(sum*1e6)/1e6))
		}
	}
	c := t.sub("credit", false)
	f.Credit = sim.CreditLine{
		MaxLeverage:    c.num("max_leverage", false, 0, rng{lo: 0, hi: 100}),
		Spread:         c.num("spread", false, 0, creditRate),
		BacklogAdvance: c.num("backlog_advance", false, 0, unit),
		CutExemption:   c.num("cut_exemption", false, 0, unit),
		EquityPerYear:  c.num("equity_per_year", false, 0, money),
	}
	c.done()
	return f
}

// stakes reads the [[stakes]] array: a firm's equity stake in a lab and
// the revenue share the lab pays it.
func (b *builder) stakes(top *table) {
	for _, t := range top.array("stakes") {
		var st sim.Stake
		holder, id, ok := b.party(t, "holder")
		if ok && b.kinds[holder] == "customer" {
			b.errAt(t.get("holder"), t.key("holder"), "must be a provider or supplier, got customer %q", holder)
		}
		st.Holder = id
		lab, id, ok := b.party(t, "lab")
		if ok && b.kinds[lab] != "customer" {
			b.errAt(t.get("lab"), t.key("lab"), "must be a customer, got %s %q", b.kinds[lab], lab)
		}
		st.Lab = id
		st.Value = t.num("value", false, 0, money)
		st.RevenueShare = t.num("revenue_share", false, 0, unit)
		st.RevenueShareEndYears = t.num("revenue_share_end_years", false, 0, rng{lo: 0, hi: maxHorizon})
		st.RevenueShareCap = t.num("revenue_share_cap", false, 0, money)
		t.get("remove") // consumed by the extends merge
		t.done()
		b.m.Stakes = append(b.m.Stakes, st)
	}
}
