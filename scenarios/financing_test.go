package scenarios

import (
	"reflect"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

// TestFinancingKeys checks that every financing, credit, pool-stress and
// stake key reaches the model.
func TestFinancingKeys(t *testing.T) {
	sc, err := loadString(t, "fin.toml", `extends = "baseline"
[funding.regimes.frozen]
credit_limit_cut = 0.6
credit_spread_add = 0.04
equity_market_cut = 0.8
[providers.coreweave]
debt = 25.0
demand_loading = 3.0
capex = [30.0, 20.0]
leases = [1.0, 2.0, 3.0]
maturities = [5.0, 6.0]
interest_rate = 0.09
operating_cash_flow_growth = 0.3
capex_backlog_share = 0.7
capex_deferrable_share = 0.2
[providers.coreweave.credit]
max_leverage = 6.0
spread = 0.02
backlog_advance = 0.4
equity_per_year = 3.0
cut_exemption = 0.9
[providers.coreweave.pool]
funding_sensitivity = 1.5
demand_loading = 2.0
[[stakes]]
holder = "nvidia"
lab = "anthropic"
value = 10.0
revenue_share = 0.1
revenue_share_end_years = 4.0
revenue_share_cap = 7.0
`)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	for _, r := range m.Funding.Regimes {
		if r.Name == "frozen" && (r.CreditLimitCut != 0.6 || r.CreditSpreadAdd != 0.04 || r.EquityMarketCut != 0.8) {
			t.Errorf("frozen regime = %+v; want cut 0.6, spread add 0.04, equity market cut 0.8", r)
		}
	}
	var cw sim.Firm
	for _, f := range m.Providers {
		if f.Name == "coreweave" {
			cw = f
		}
	}
	want := sim.FirmFinancing{DemandLoading: 3, Capex: []float64{30, 20}, Leases: []float64{1, 2, 3},
		Maturities: []float64{5, 6}, InterestRate: 0.09, OperatingCashFlowGrowth: 0.3,
		CapexBacklogShare: 0.7, CapexDeferrableShare: 0.2,
		Credit: sim.CreditLine{MaxLeverage: 6, Spread: 0.02, BacklogAdvance: 0.4, EquityPerYear: 3, CutExemption: 0.9}}
	if !reflect.DeepEqual(cw.Financing, want) {
		t.Errorf("coreweave financing = %+v; want %+v", cw.Financing, want)
	}
	if cw.Pool.FundingSensitivity != 1.5 || cw.Pool.DemandLoading != 2 {
		t.Errorf("coreweave pool = %+v; want sensitivity 1.5, loading 2", cw.Pool)
	}
	var found bool
	for _, st := range m.Stakes {
		if m.EntityName(st.Holder) == "nvidia" && m.EntityName(st.Lab) == "anthropic" {
			found = true
			if st.Value != 10 || st.RevenueShare != 0.1 || st.RevenueShareEndYears != 4 || st.RevenueShareCap != 7 {
				t.Errorf("stake = %+v; want 10, 0.1, 4, 7", st)
			}
		}
	}
	if !found {
		t.Errorf("no nvidia->anthropic stake in %+v", m.Stakes)
	}
}
