package sim_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
	"gonum.org/v1/gonum/mat"
)

// fuzzBytes hands out the bytes of a fuzz input as choices; past the end
// every choice is the first option.
type fuzzBytes struct {
	data []byte
	pos  int
}

func (b *fuzzBytes) byte() byte {
	if b.pos >= len(b.data) {
		return 0
	}
	b.pos++
	return b.data[b.pos-1]
}

// intn returns a choice in [0, n).
func (b *fuzzBytes) intn(n int) int { return int(b.byte()) % n }

// of returns one of the values.
func (b *fuzzBytes) of(values ...float64) float64 { return values[b.intn(len(values))] }

// fuzzModel builds a small valid model from data: one to three regimes,
// customers, providers and suppliers, up to six contracts and two backings,
// at most 50 paths and 24 steps. Parameters are drawn from short lists of
// ordinary and extreme values (zero, huge volatility, growth of 10 a year,
// +Inf concentration and mean reversion, probabilities 0 and 1).
func fuzzModel(data []byte) *sim.Model {
	b := &fuzzBytes{data: data}
	spy := []int{1, 2, 4, 12, 52}[b.intn(5)]
	steps := 1 + b.intn(24)
	m := &sim.Model{
		Name:         "fuzz",
		Settings:     sim.Settings{Paths: 1 + b.intn(50), Seed: uint64(b.byte())},
		StepsPerYear: spy,
		HorizonYears: float64(steps) / float64(spy),
	}

	nr := 1 + b.intn(3)
	for r := range nr {
		m.Funding.Regimes = append(m.Funding.Regimes, sim.FundingRegime{
			Name:                fmt.Sprintf("r%d", r),
			RoundRateMultiplier: b.of(1, 0, 0.1, 3, 100),
			ValuationMultiplier: b.of(1, 0, 0.1, 3, 100),
		})
	}
	if nr > 1 || b.intn(2) == 1 {
		g := mat.NewDense(nr, nr, nil)
		for i := range nr {
			sum := 0.0
			for j := range nr {
				if i != j {
					q := b.of(0.1, 0, 1, 10, 1000)
					g.Set(i, j, q)
					sum += q
				}
			}
			g.Set(i, i, -sum)
		}
		m.Funding.Generator = g
	}
	m.Funding.Initial = b.intn(nr)
	for range b.intn(3) {
		m.Funding.Shocks = append(m.Funding.Shocks, sim.FundingShock{
			Regime:        b.intn(nr),
			StartYears:    float64(b.intn(steps)) / float64(spy),
			DurationYears: b.of(0.1, 1, 10, 1e-3),
		})
	}
	m.Demand = sim.DemandFactor{
		Initial:       b.of(0, -1, 1, 5),
		MeanReversion: b.of(0.5, 0, 10),
		Volatility:    b.of(0.25, 0, 3),
	}
	m.Macro.MeanReversion = b.of(0.5, 0, math.Inf(1))
	m.Recovery = sim.RecoveryModel{
		Mean:          b.of(0.5, 0, 1),
		DemandSlope:   b.of(0, 0.8, -5),
		Concentration: b.of(5, sim.MinConcentration, math.Inf(1)),
	}

	for i := range 1 + b.intn(3) {
		c := sim.Customer{
			Name:                fmt.Sprintf("c%d", i),
			Cash:                b.of(10, 0, 1, 1000),
			Revenue:             b.of(10, 0, 0.01, 1000),
			GrowthInitial:       b.of(0.8, 0, -2, 10),
			GrowthLongRun:       b.of(0.1, 0, -2, 10),
			GrowthHalfLifeYears: b.of(2, 0.01, 100),
			DemandLoading:       b.of(1, 0, -3, 10),
			IdioVolatility:      b.of(0.3, 0, 5),
			FixedCost:           b.of(5, 0, 1000),
			FixedCostGrowth:     b.of(0, 0.3, -1, 5),
			VariableCostShare:   b.of(0.2, 0, 1, 3),
			CashFlowVolatility:  b.of(1, 0, 100),
			LiquidationValue:    b.of(0, 5, 100),
			Funding: sim.CustomerFunding{
				RoundRate:            b.of(1, 0, 10, 100),
				RunwayThresholdYears: b.of(1, 0, 5),
				UrgencyMultiplier:    b.of(2, 0, 1, 10),
				MaxRunwayYears:       b.of(0, 1, 3),
				RevenueMultiple:      b.of(3, 0, 100),
				SizeVolatility:       b.of(0.5, 0, 3),
			},
		}
		if b.intn(2) == 1 {
			c.IdioKind, c.IdioDoF = sim.StudentT, b.of(4, 2.01, 100)
		}
		m.Customers = append(m.Customers, c)
	}
	firm := func(name string) sim.Firm {
		return sim.Firm{
			Name:              name,
			Backlog:           b.of(100, 0, 10, 1000),
			Cash:              b.of(10, 0, 1, 100),
			OperatingCashFlow: b.of(10, 0, -50, 100),
			Debt:              b.of(5, 0, 1000),
			LiquidationValue:  b.of(0, 10),
			Margin:            b.of(0.3, 0, 1),
			StrandedShare:     b.of(0.2, 0, 1),
			Pool: sim.DiversifiedPool{
				AnnualDefaultProbability: b.of(0.01, 0, 0.5, 1),
				Correlation:              b.of(0.15, 0, 0.99),
				LossGivenDefault:         b.of(0.5, 0, 1),
				DurationYears:            b.of(2, 0.01, 10),
			},
		}
	}
	for i := range b.intn(4) {
		m.Providers = append(m.Providers, firm(fmt.Sprintf("p%d", i)))
	}
	for i := range b.intn(3) {
		m.Suppliers = append(m.Suppliers, firm(fmt.Sprintf("s%d", i)))
	}

	nc, ne := len(m.Customers), m.NumEntities()
	if ne > nc {
		for k := range b.intn(7) {
			payer := sim.EntityID(b.intn(ne))
			payee := sim.EntityID(nc + b.intn(ne-nc))
			if payer == payee {
				continue
			}
			c := sim.Contract{
				Name:       fmt.Sprintf("k%d", k),
				Payer:      payer,
				Payee:      payee,
				Value:      b.of(50, 0, 1, 1000),
				StartYears: float64(b.intn(steps)) / float64(spy),
				TermYears:  b.of(2, 0.1, 1, 2.5, 10),
				Profile:    sim.PaymentProfile(b.intn(3)),
			}
			if c.Profile == sim.Schedule {
				n := int(math.Ceil(c.TermYears - 1e-9))
				w := make([]float64, n)
				total := 0.0
				for i := range w {
					w[i] = float64(1 + b.intn(4))
					total += w[i]
				}
				left := c.Value
				for i := range n - 1 {
					c.YearlySchedule = append(c.YearlySchedule, c.Value*w[i]/total)
					left -= c.Value * w[i] / total
				}
				c.YearlySchedule = append(c.YearlySchedule, math.Max(left, 0))
			}
			m.Contracts = append(m.Contracts, c)
		}
	}
	if len(m.Providers) > 0 {
		for range b.intn(3) {
			m.Backers = append(m.Backers, sim.Backing{
				Backer:      sim.EntityID(nc + b.intn(len(m.Providers))),
				Customer:    sim.EntityID(b.intn(nc)),
				AnnualLimit: b.of(5, 0, 100),
			})
		}
	}
	// Variance reduction, within the bounds the engine supports (see
	// extremeEngineBugs for what it does not): antithetic pairs need an
	// even number of paths, and shifts are a few standard deviations.
	if b.intn(3) == 1 {
		m.Sampling.Antithetic = true
		m.Paths += m.Paths % 2
	}
	if b.intn(3) == 1 {
		m.Sampling.Importance = sim.ImportanceSampling{
			DemandShift:  b.of(0, -1, -3, 0.5),
			MacroShift:   b.of(0, -1, -3, 0.5),
			RevenueShift: b.of(0, -1, -3, 0.5),
			RegimeTilt:   b.of(0, 1, 3, 0.5),
		}
	}
	return m
}

// FuzzSimulate runs small random valid models, with or without antithetic
// and importance sampling, in exact or streaming summary mode: every number
// in the Results and the Summary must be finite, the invariants of checkInvariants
// must hold on every path, summary.json must encode, and one worker and
// three must agree.
func FuzzSimulate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("backlogsim"))
	f.Add([]byte{3, 23, 49, 7, 2, 1, 2, 3, 4, 1, 2, 3, 4, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2})
	f.Add([]byte{4, 11, 20, 1, 2, 0, 0, 1, 1, 3, 3, 2, 1, 2, 2, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2})
	seed := make([]byte, 200)
	for i := range seed {
		seed[i] = byte(i*37 + 11)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		m := fuzzModel(data)
		if err := m.Validate(); err != nil {
			t.Fatalf("fuzzModel(%v) is not valid: %v", data, err)
		}
		mode := sim.ExactSummary
		if len(data) > 0 && data[len(data)-1]%4 == 0 {
			mode = sim.StreamingSummary
		}
		res, err := sim.Simulate(context.Background(), m, sim.Options{Workers: 1, Summary: mode})
		if err != nil {
			t.Fatalf("Simulate(fuzzModel(%v)) error: %v", data, err)
		}
		sum := checkRun(t, m, res)
		res3, err := sim.Simulate(context.Background(), m, sim.Options{Workers: 3, Summary: mode})
		if err != nil {
			t.Fatalf("Simulate(fuzzModel(%v), Workers: 3) error: %v", data, err)
		}
		if s3 := res3.Summary; !reflect.DeepEqual(s3, sum) {
			t.Errorf("Simulate(fuzzModel(%v)).Summary differs between 1 and 3 workers", data)
		}
	})
}
