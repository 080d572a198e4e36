package sim

import "github.com/backlogsim/backlogsim/mcstat"

// Summary is the statistics of a run that backlogsim reports: everything in
// it is a deterministic function of the Results that carry it (see
// Results.Summary). Summaries read back from summary files have no
// Results.
type Summary struct {
	Scenario     string
	Seed         uint64
	Paths        int
	HorizonYears float64
	StepsPerYear int

	Providers []FirmSummary
	Suppliers []FirmSummary
	Customers []CustomerSummary

	// JointDefaults is which entities default together, or nil when the
	// Results did not measure it.
	JointDefaults *JointDefaults
	// System is the system-wide loss, or nil when the Results did not
	// measure it.
	System *SystemSummary
	// TailAnatomy describes the worst 1% of each firm's and the system's
	// backlog lost (nil when the Results did not measure it).
	TailAnatomy []TailAnatomy

	// Sampling is how the paths were drawn and how evenly importance
	// sampling weighted them.
	Sampling SamplingSummary

	// Survivors ranks the providers and suppliers, best placed first (see
	// RankSurvivors).
	Survivors []SurvivorRank
}

// SystemSummary summarises the system-wide loss (see SystemResults).
type SystemSummary struct {
	BacklogLost, EconomicLoss                           mcstat.LossStats
	BacklogLostContributions, EconomicLossContributions *RiskContributions
}

// SamplingSummary records the sampling of a run: the model's [sampling]
// settings as they ran and, under importance sampling, the weights'
// diagnostics. A small effective sample size means that a few paths carry
// most of the weight and that the standard errors understate the error.
type SamplingSummary struct {
	Antithetic bool
	// Importance is the importance-sampling measure; zero when off.
	Importance ImportanceSampling
	// EffectiveSampleSize and MaxWeightShare are WeightStats'; with
	// importance sampling off they are the number of paths and 1/paths.
	EffectiveSampleSize float64
	MaxWeightShare      float64
}

// FirmSummary summarises one provider or supplier.
type FirmSummary struct {
	Name              string
	Backlog           float64
	OperatingCashFlow float64
	// Liquidity is what the firm can draw on at time zero (Model.Liquidity).
	Liquidity    float64
	BacklogLost  mcstat.LossStats
	EconomicLoss mcstat.LossStats
	// BacklogRenegotiated is the contract value distressed payers
	// renegotiated away (beside, not inside, BacklogLost).
	BacklogRenegotiated mcstat.LossStats
	// DefaultProbability is the probability that the firm defaults within
	// the horizon.
	DefaultProbability mcstat.ProportionStats
	// LossFromDefaultProbability is the probability of losing backlog to
	// a counterparty's default (not the pool's).
	LossFromDefaultProbability mcstat.ProportionStats
	// DefaultProbabilityByYear[k] is the probability of default by the
	// end of year k+1 (nil when the Results did not measure it).
	DefaultProbabilityByYear []mcstat.ProportionStats
	LostBy                   []LossSource
	// The contributions to the ES of BacklogLost and EconomicLoss by
	// origin, or nil when the Results did not measure them.
	BacklogLostContributions, EconomicLossContributions *RiskContributions
}

// CustomerSummary summarises one customer.
type CustomerSummary struct {
	Name               string
	DefaultProbability mcstat.ProportionStats
	// DefaultProbabilityByYear[k] is the probability of default by the end
	// of year k+1 (the last entry covers a final partial year).
	DefaultProbabilityByYear []mcstat.ProportionStats
	FundingRaised            mcstat.LossStats
	// ProbabilityAnyRound is the probability of at least one funding round.
	ProbabilityAnyRound mcstat.ProportionStats
	BackerSupport       mcstat.LossStats
	// TranchesPaid is what committed tranches paid in.
	TranchesPaid mcstat.LossStats
}

// Summarize computes the Summary of res from its distributions and
// aggregates, so it works in exact and streaming mode alike. Simulate and
// MergeShards store it in Results.Summary; tests that build Results by
// hand complete them with internal/simtest.
func Summarize(res *Results) Summary {
	m := res.Model
	s := Summary{
		Scenario:      m.Name,
		Seed:          m.Seed,
		Paths:         res.Paths,
		HorizonYears:  m.HorizonYears,
		StepsPerYear:  m.StepsPerYear,
		JointDefaults: res.JointDefaults,
		TailAnatomy:   res.TailAnatomy,
		Sampling:      samplingSummary(res),
	}
	if sys := res.System; sys != nil && sys.BacklogLostDist != nil {
		s.System = &SystemSummary{
			BacklogLost: sys.BacklogLostDist.Stats(), EconomicLoss: sys.EconomicLossDist.Stats(),
			BacklogLostContributions: sys.BacklogLostContributions, EconomicLossContributions: sys.EconomicLossContributions,
		}
	}
	for i, f := range res.Providers {
		fs := summarizeFirm(f)
		if i < len(m.Providers) {
			fs.Liquidity = m.Liquidity(m.Providers[i])
		}
		s.Providers = append(s.Providers, fs)
	}
	for i, f := range res.Suppliers {
		fs := summarizeFirm(f)
		if i < len(m.Suppliers) {
			fs.Liquidity = m.Liquidity(m.Suppliers[i])
		}
		s.Suppliers = append(s.Suppliers, fs)
	}
	s.Survivors = RankSurvivors(s.Providers, s.Suppliers)
	for _, c := range res.Customers {
		s.Customers = append(s.Customers, CustomerSummary{
			Name:                     c.Name,
			DefaultProbability:       c.DefaultProbability,
			DefaultProbabilityByYear: c.DefaultProbabilityByYear,
			FundingRaised:            c.FundingRaisedDist.Stats(),
			ProbabilityAnyRound:      c.ProbabilityAnyRound,
			BackerSupport:            c.BackerSupportDist.Stats(),
			TranchesPaid:             c.TranchesPaidDist.Stats(),
		})
	}
	return s
}

func summarizeFirm(f FirmResults) FirmSummary {
	return FirmSummary{
		Name:                       f.Name,
		Backlog:                    f.Backlog,
		OperatingCashFlow:          f.OperatingCashFlow,
		BacklogLost:                f.BacklogLostDist.Stats(),
		EconomicLoss:               f.EconomicLossDist.Stats(),
		BacklogRenegotiated:        f.BacklogRenegotiatedDist.Stats(),
		DefaultProbability:         f.DefaultProbability,
		LossFromDefaultProbability: f.LossFromDefaultProbability,
		DefaultProbabilityByYear:   f.DefaultProbabilityByYear,
		LostBy:                     f.LostBy,
		BacklogLostContributions:   f.BacklogLostContributions,
		EconomicLossContributions:  f.EconomicLossContributions,
	}
}

// samplingSummary records res's sampling.
func samplingSummary(res *Results) SamplingSummary {
	w := res.Weighting
	s := SamplingSummary{Antithetic: res.Model.Sampling.Antithetic,
		EffectiveSampleSize: w.EffectiveSampleSize(), MaxWeightShare: w.MaxShare()}
	if res.Model.Sampling.Importance.Active() {
		s.Importance = res.Model.Sampling.Importance
	}
	return s
}
