package scenarios

import (
	"math"

	"github.com/backlogsim/backlogsim/sim"
)

// financing reads a firm's optional financing keys: demand_loading,
// capex, leases, maturities, interest_rate and the [credit] table.
func (b *builder) financing(t *table, debt float64) sim.FirmFinancing {
	f := sim.FirmFinancing{
		DemandLoading:           t.modelNum("demand_loading", false, 0),
		InterestRate:            t.modelNum("interest_rate", false, 0),
		OperatingCashFlowGrowth: t.modelNum("operating_cash_flow_growth", false, 0),
		CapexBacklogShare:       t.modelNum("capex_backlog_share", false, 0),
		CapexDeferrableShare:    t.modelNum("capex_deferrable_share", false, 0),
	}
	f.Capex, _ = t.modelNums("capex")
	f.Leases, _ = t.modelNums("leases")
	var ok bool
	if f.Maturities, ok = t.modelNums("maturities"); ok {
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
		MaxLeverage:    c.modelNum("max_leverage", false, 0),
		Spread:         c.modelNum("spread", false, 0),
		BacklogAdvance: c.modelNum("backlog_advance", false, 0),
		CutExemption:   c.modelNum("cut_exemption", false, 0),
		EquityPerYear:  c.modelNum("equity_per_year", false, 0),
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
		st.Value = t.modelNum("value", false, 0)
		st.RevenueShare = t.modelNum("revenue_share", false, 0)
		st.RevenueShareEndYears = t.modelNum("revenue_share_end_years", false, 0)
		st.RevenueShareCap = t.modelNum("revenue_share_cap", false, 0)
		t.get("remove") // consumed by the extends merge
		t.done()
		b.m.Stakes = append(b.m.Stakes, st)
	}
}
