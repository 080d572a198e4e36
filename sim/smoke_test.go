package sim

import (
	"context"
	"fmt"
	"testing"
)

func TestSmoke(t *testing.T) {
	m := smallWorld()
	res, err := Simulate(context.Background(), m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(res)
	for _, f := range append(s.Providers, s.Suppliers...) {
		fmt.Printf("%-10s lost mean %.2f (%.2f) VaR99 %.2f ES99 %.2f econ %.2f pd %.4f lostby %+v\n", f.Name, f.BacklogLost.Mean, f.BacklogLost.MeanStdErr, f.BacklogLost.VaR[1], f.BacklogLost.ES[1], f.EconomicLoss.Mean, f.DefaultProbability.P, f.LostBy)
	}
	for _, c := range s.Customers {
		fmt.Printf("%-10s pd %.3f byYear %v raised %.1f anyRound %.3f support %.2f\n", c.Name, c.DefaultProbability.P, c.DefaultProbabilityByYear, c.FundingRaised.Mean, c.ProbabilityAnyRound.P, c.BackerSupport.Mean)
		fmt.Println(res.Customers[0].CashBands[0], res.Customers[0].CashBands[35])
	}
	fmt.Println(res.RegimeShare[0], res.RegimeShare[13], res.RegimeShare[35])
}
