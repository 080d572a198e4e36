// Package mcstat estimates distributions and risk measures from Monte Carlo
// paths, with their Monte Carlo standard errors.
//
// It knows nothing of the model that produced the paths: a path is an
// index, an amount (a loss) and, under importance sampling, a likelihood
// ratio weight; independent groups of paths (antithetic pairs) are given by
// a group size. What it offers:
//
//   - LossStats and SummarizeLosses: mean, standard deviation, value at
//     risk and expected shortfall at TailLevels, each with its standard
//     error, from every path's value.
//   - LossDistribution: the same statistics for weighted paths in groups,
//     kept either exactly (every path) or streaming (a Histogram and the
//     worst TailKeep(n) paths, memory independent of n).
//   - Histogram: a log-binned histogram generic over its weight type,
//     float64 for weights summed in path order or int64 for fixed-point
//     weights that merge exactly in any order.
//   - Moments: Welford's mean and variance over independent groups, and
//     Proportion and ProportionStats for probabilities.
//   - Paired, PairedProportion and PairedTail: differences between two runs
//     on common random numbers with their paired standard errors, and
//     Estimate and Difference, the values a comparison reports.
//
// Every function is deterministic: sums are taken in the order values are
// given, so callers that add paths in path order get results that do not
// depend on how the paths were computed.
package mcstat
