// Package sim is backlogsim's Monte Carlo engine: it simulates the funding
// market, the AI-demand and macro factors, the cash-burning customers and
// the propagation of their defaults through providers' and suppliers'
// backlogs, and summarises the loss distributions.
//
// # Units and time
//
// Money is in USD billions, time in years, rates per year. The horizon T is
// divided into N = T·StepsPerYear steps of length dt; step s covers
// [s·dt, (s+1)·dt). Flows within a step use the rates at its start.
//
// # Entities
//
// Customers are the cash-burning AI labs. Providers (clouds, data-centre
// operators) and suppliers (chips, foundries) are firms. A contract obliges
// a payer (customer or firm) to pay a payee (firm) its value over a term:
// flat (V/T per year), ramp (cumulative V·(t/T)²) or an explicit yearly
// schedule (year k's amount paid evenly within contract year k). A firm's
// backlog minus the value of the listed contracts it is paid under is its
// diversified pool.
//
// # One step, in order
//
//  1. Funding regime. In step 0 the regime is Funding.Initial; in later
//     steps it moves along the per-step transition matrix P = exp(Q·dt) of
//     the rate matrix Q (gonum mat.Dense.Exp). A funding shock covering the
//     step's start forces the regime; the chain continues from it afterwards.
//  2. Factors. The demand factor D (an Ornstein–Uhlenbeck process, exact
//     discretisation) is D₀ in step 0 and
//     D_{s} = e^{−κdt}·D_{s−1} + σ√((1−e^{−2κdt})/(2κ))·Z afterwards.
//     The macro factor Y is N(0, 1) in step 0 and
//     Y_s = φ·Y_{s−1} + √(1−φ²)·Z with φ = e^{−κ_M dt} afterwards.
//  3. Customers, each not yet in default.
//     (a) Flows and requests, for each customer in order:
//     revenue  = R_s·dt, with R_s the run-rate at the start of the step;
//     net      = revenue − (1 − c·δ)·F(t)·dt − v·revenue + σ_cf·√dt·Z − due_s,
//     where F(t) = F₀e^{γt} is the fixed cost, δ = 1 if the customer is in
//     distress in this step (see (c)) and c its distress CostCut, v the
//     variable cost share and due_s the listed contract payments falling
//     due in the step (each scaled by 1 − Haircut and deferred once
//     renegotiated, see (c)); burn b = −net/dt. Committed tranches whose
//     window contains the step and whose conditions hold (investor not in
//     default, regime allowed, R_s/plan_s >= MinPerformance) pay in τ,
//     each at most once. The number of funding rounds in the step is
//     N ~ Poisson(λ·dt), drawn by inverse CDF from one uniform, with
//     λ = RoundRate × the regime's round-rate multiplier × x^η,
//     × UrgencyMultiplier when the runway cash/b is below
//     RunwayThresholdYears, where x = R_s/plan_s is revenue against plan
//     (plan_s = R₀·e^{∫₀^{t_s} g}, the trend at demand 0 without the
//     PlanShortfall d, see (c)) and η the PerformanceElasticity; λ = 0
//     when the customer is not burning cash (b <= 0), when its runway is above MaxRunwayYears (if set), or when
//     its need n = TargetRunwayYears·b − (cash + net + τ) is <= 0 (if a target
//     is set). So E[rounds] = ∫λ dt and P(no round by T) = e^{−∫λ} at any
//     step length. The step's rounds share one size draw and request
//     q = min(N·R_s·RevenueMultiple·(regime valuation multiplier)·x^η·
//     e^{σ_r Z − σ_r²/2}, n), the first term being what the valuation
//     supports (n = +∞ without a target).
//     (b) The venture market. With C_r the regime's CapacityPerYear, the
//     market can supply in step s of simulation year y
//     A_s = Σ_{s' < s in y} C_{r_{s'}}·dt + C_{r_s}·(y + 1 − t_s) − (raised in y
//     before s): what the year has supplied so far plus the current
//     regime's rate to the year's end. If the requests exceed A_s each is
//     cut pro rata to A_s/Σq (rationing); so no year raises more than the
//     largest capacity among the regimes it visits.
//     (c) Settlement, for each customer in order: its rounds count if they
//     raise anything; cash ← cash + net + τ + allocation. If cash < 0, each
//     healthy strategic backer
//     pays in up to what is left of its AnnualLimit for the simulation
//     year, and the payment is charged to the backer's buffer. If cash is
//     still below zero the customer defaults. Otherwise, with b₀ the burn
//     before any distress cut, it is in distress in the next step if
//     Distress.RunwayYears > 0, b₀ > 0 and cash < RunwayYears·b₀; the first
//     time, each listed contract it pays is renegotiated: what remains
//     after this step, V', is cut by h = Haircut, and the payee j books
//     h·V' as backlog renegotiated and (m_j + k_j)·(1 − R̄)·h·V' as
//     economic loss, charged to its buffer, R̄ the mean re-marketing
//     recovery clamp(Mean + DemandSlope·D_s); and it is deferred by
//     n = round(DeferralYears/dt) steps: nothing falls due in steps
//     s+1..s+n and step s' > s+n pays what step s'−n paid before, so the
//     remaining value from step s' > s is that from max(s'−n, s+1) before
//     (a deferral changes no amount: the payee books nothing). Then log
//     revenue moves: ln R_{s+1} = ln R_s + ∫g − d·dt + β·D_s·dt +
//     σ_i·√dt·ε, where g(t) = g∞ + (g₀ − g∞)·2^{−t/h} is the plan's
//     growth, d the PlanShortfall (so at D = 0 and without shocks
//     R_s = plan_s·e^{−d·t_s}) and ε is N(0, 1) or Student-t scaled to
//     unit variance; ln R is capped at 13.8 (10⁶ bn) so growth cannot
//     overflow.
//  4. Firms, each not yet in default, in order (Firm.Financing; all of
//     it zero is the simple form of a constant operating cash flow):
//     buffer += (OCF·e^{g·t} + λ·D_s)·dt − (capex_s + lease_s) + cut_s −
//     interest_s − due_s, with t the step's start and g the
//     OperatingCashFlowGrowth, where capex_s and lease_s are the step's
//     shares of the year's capex and leases (year k's amounts spent evenly
//     within [k, k+1)); cut_s = φ·min(L/B₀, 1)·capex_s is the capex no
//     longer built for backlog already lost, φ the CapexBacklogShare, B₀
//     the firm's Backlog at time zero and L its backlog lost and
//     renegotiated away before step s (so the step's capex is
//     c_s = capex_s − cut_s); interest_s =
//     (B_old·i + B_new·(i + spread + regime's CreditSpreadAdd))·dt on the
//     original debt outstanding B_old and the new borrowing B_new, and
//     due_s = min(the step's share of the year's maturities, B_old) is
//     repaid (B_old −= due_s). Then its diversified pool loses the share
//     Φ((Φ⁻¹(p_dt) − √ρ·Y_s − γ·D_s)/√(1−ρ)) of its balance, with
//     p_dt = 1 − (1 − p_r)^{dt} and p_r = min(p·μ_r^{−s}, 0.999) in a
//     regime with round-rate multiplier μ_r (Vasicek 2002, with the
//     pool's FundingSensitivity s and DemandLoading γ): that is backlog
//     lost, and LossGivenDefault times it is economic loss, charged to
//     the buffer. The surviving balance then runs off linearly over what
//     is left of DurationYears. Then the firm covers a negative buffer,
//     in this order, each up to what is left of it:
//     (i) borrowing (B_new += x) up to the headroom
//     max(0, MaxLeverage·max(OCF·e^{g·t} + λ·D_s, 0)·(1 − (1 − e)·CreditLimitCut_r)
//     + BacklogAdvance·K_s − B_old − B_new), with e the firm's
//     CutExemption, where K_s = max(0, B₀ − L − L_S) is the backlog that
//     secures borrowing: B₀ less the backlog lost and renegotiated away
//     so far (L, now including the step's pool loss, and L_S what the payers in the step's defaulted set S
//     are about to cost it, during propagation). Backlog that runs off as
//     it is paid is not deducted: the debt it secures amortizes with it,
//     in Maturities. So the limit is unsecured borrowing on earnings, cut
//     by the credit market's state, plus borrowing secured on contracts
//     (committed delayed-draw facilities), not cut by the regime but lost
//     with the contracts (debt already drawn above a
//     fallen limit is not called); (ii) new equity up to
//     EquityPerYear·(1 − EquityMarketCut_r) less the equity issued in the
//     simulation year; (iii) deferring capex beyond the horizon, up to
//     CapexDeferrableShare·c_s less what the step has already deferred.
//     The credit market's state is the funding regime:
//     tightening venture rounds and closing credit markets have come
//     together (2000-02, 2022), and a separate chain would need a
//     correlation we have no data to calibrate, so tying them is the
//     conservative choice. A firm whose buffer is still below zero is
//     short of what falls due and defaults (step 5).
//  5. Propagation. The step's defaulters form a set S. Each defaulter d
//     owes the remaining value L_dj of each contract to its payee j (after
//     any renegotiation), and a firm also owes its debt outstanding
//     B_old + B_new; its assets outside S are its estate plus
//     the remaining value, at par, of the contracts that payers still alive
//     (not in S, not defaulted before) owe it. The estate of a customer is
//     its cash at the end of the step plus the step's dues it did not pay
//     (that is, the cash it had before paying them), floored at 0, plus its
//     LiquidationValue, plus LiquidationRevenueMultiple × R_s (what an
//     acquirer pays for the revenue it still earns); a firm's is its
//     LiquidationValue. The clearing
//     payments are the greatest clearing vector of this network (Clear:
//     Eisenberg and Noe 2001, fictitious default algorithm, exact after at
//     most |S|+1 rounds), with obligations to payees outside S and Debt
//     ranking pari passu with obligations inside S, creditors paid pro
//     rata, and zero equity solvent; r_d is d's payments over its
//     obligations. Each lost contract costs its payee the economic loss
//     below, each Stake in a defaulted lab costs its holder the stake's
//     value and the revenue share it loses (see Stake), and each tranche
//     the lab received from an investor in the model costs that investor
//     its amount (see Tranche); a firm still alive whose buffer less these
//     losses plus all it can still raise or save (headroom, equity left
//     and deferrable capex, with the contracts of S no longer securing
//     borrowing) would fall below zero joins S, and the round repeats
//     until no new firm defaults. Then the losses are booked, the
//     defaulters stop paying for good, and survivors cover what the losses
//     left them short as in step 4.

// # Losses
//
// When a payer defaults at step s, each payee j of a contract with
// remaining value V (what was still to fall due, from step s on, including
// beyond the horizon) records:
//
//	backlog lost   = V
//	economic loss  = (m_j + k_j)·(1 − R)·(V − r_d·V)
//
// where m_j is the payee's margin (the profit it no longer earns on each
// unit of revenue), k_j its stranded share (the unrecovered cost of the
// capacity it built or ordered for the contract, per unit of revenue), R
// the share of that value it recovers by re-marketing the capacity and
// r_d·V what the payer's estate pays it under the clearing. In words:
// lost margin plus stranded capacity, less what re-marketing and the
// estate recover. R ~ Beta with mean clamp(Mean + DemandSlope·D_s, 0.001,
// 0.999) and Concentration α+β, one draw per lost contract: with a positive
// DemandSlope recovery falls when demand does (wrong-way risk).
// A firm defaults at the first step its buffer (cash plus accumulated
// operating cash flow, less spending, debt service, economic losses and
// backer payments, plus what it borrowed, issued as equity or deferred)
// is below zero after borrowing, issuing and deferring what it can. The
// order of (i)-(iii) decides what the firm owes afterwards, not whether
// it defaults in the step: that needs all three together to fall short. A firm's own contract payments and receipts never touch its
// buffer: its OperatingCashFlow and Capex already net them.
//
// # After a firm defaults
//
// A defaulted firm stops paying its contracts (step 5) and its buffer and
// economic loss close at its default step: its estate, including its
// claims on others, went to its creditors, so later losses fall on them,
// not on the firm. Its backlog lost goes on counting: the backlog (its
// diversified pool and the contracts it is paid under) is still held, by
// the estate or a buyer, and what its payers fail to pay later is lost
// whoever holds it. (Before this rule later pool and contract losses also
// counted in the defaulted firm's economic loss.)
//
// # Who survives
//
// Summarize ranks the providers and suppliers (RankSurvivors) by default
// probability and by ES 99% of economic loss over Liquidity: cash, plus
// the borrowing headroom at time zero (initial regime, initial demand
// factor, nothing lost), plus the first year's equity allowance in the
// initial regime. Free cash flow is negative for several firms, so it
// cannot be the denominator; liquidity is what the firm can draw on at
// once. Economic loss counts what counterparties' defaults cost the firm,
// not its own financing shortfall. Ties in one measure are broken by the
// other, then by name; a firm with a loss and no liquidity (an infinite
// ratio) is marked NoLiquidity and placed last by loss.
//
// # Conventions
//
//   - Strategic backers are tried in the order the backings are listed;
//     each backing's AnnualLimit applies per simulation year [k, k+1), the
//     year of the step's start, and a backer that has defaulted pays
//     nothing.
//   - A schedule whose term is not a whole number of years pays its last
//     entry evenly over the last, partial year: entry k is paid evenly
//     over [k, min(k+1, TermYears)).
//   - Where funding shocks overlap, the one listed last forces the regime.
//   - The diversified pool runs off linearly: after the step's defaults
//     its balance is multiplied by 1 − dt/(DurationYears − t), and it is 0
//     once DurationYears − t <= dt.
//   - When a recovery Beta draw is NaN (both shapes so small that both
//     gamma draws underflow to zero), R is drawn as Bernoulli(mean) with
//     one uniform from the contract's stream.
//
// # Random numbers
//
// Path p draws from independent PCG streams (math/rand/v2), one for each
// purpose and owner: the funding regime, the demand factor, the macro
// factor, each customer's revenue shocks, cash-flow noise, round arrivals
// and round sizes, and each contract's recovery. A stream's state is
// derived from the seed, p and a hash of its purpose and owner's name, and
// each stream draws a fixed number of variates per step while its owner is
// alive. So results do not depend on the number of workers, and two
// scenarios that differ in one parameter use the same random numbers for
// everything else: the basis of common-random-number comparisons.
//
// # Attribution and replay
//
// Every loss a firm books is traced to its origin: a customer's default, a
// firm's diversified pool, or a firm's own finances (the fall of its buffer
// not explained by the losses and backer payments charged to it). A loss
// from a customer or from the firm's own pool arrives directly; a loss
// from a defaulted firm arrives through contagion and carries that firm's
// origins in the proportions in which they drained its buffer up to its
// default (RiskContributions). Because a path's draws depend only on the
// seed and its index, any path can be replayed exactly: the contributions
// replay the paths in each loss's tail, TracePath tells one path's story.
//
// # Summaries and variance reduction
//
// Workers simulate blocks of 256 consecutive paths; one merger folds the
// blocks into the run's state in block order. Every sum over paths in that
// state is exact: floating-point sums in a fixed-point accumulator
// (mcstat.ExactSum, rounded once when read), histogram and time-series
// weights in integer multiples of 2⁻²⁴, and the worst paths kept under a
// total order; per-path outcomes are stored by path index. The state
// therefore does not depend on which worker, or which machine, added which
// paths: a run split into block-aligned shards (SimulateShard) and merged
// (ShardMerger) gives Results identical to Simulate's, which is itself one
// shard merged. Up to ExactPathLimit paths every path's outcomes
// are kept (ExactSummary); beyond, each loss keeps a log-binned histogram
// and its worst paths exactly (StreamingSummary, see
// mcstat.LossDistribution), so memory does not grow with the paths beyond
// that tail. Model.Sampling adds antithetic pairs and importance sampling;
// with importance sampling every statistic is weighted by the paths'
// likelihood ratios (see Sampling and mcstat.LossDistribution.Stats for the
// estimators and their standard errors).
package sim
