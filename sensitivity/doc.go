// Package sensitivity estimates which inputs of a stochastic model drive its
// outputs: first-order and total Sobol indices with bootstrap confidence
// intervals, and the quasi-random and stratified designs they are
// evaluated on.
//
// It knows nothing of backlogsim's model. A caller maps the points of a
// design (in the unit cube) to parameter values, evaluates its model at
// each point and hands the outputs back, in the order of the design's
// case indices. Cases are independent and addressable by index, so they
// can be evaluated in parallel, in any order or on different machines.
//
// # Sobol indices
//
// For Y = f(X₁, …, X_d) with independent inputs, the first-order index of
// X_i is S_i = Var(E[Y | X_i]) / Var(Y), the share of the variance X_i
// explains alone, and the total index S_Ti = E[Var(Y | X_~i)] / Var(Y) the
// share it explains with all its interactions. S_i <= S_Ti, Σ S_i <= 1,
// and S_Ti = 0 means X_i can be fixed anywhere in its range.
//
// The estimators use two independent N×d matrices of points A and B and,
// for each i, the matrix A_B^(i): A with column i taken from B (Saltelli
// et al. 2010, "Variance based sensitivity analysis of model output.
// Design and estimator for the total sensitivity index", Computer Physics
// Communications 181, 259–270). With f_A, f_B and f_ABi the outputs at the
// rows of those matrices and V the sample variance of f_A and f_B pooled:
//
//	first order (Saltelli et al. 2010, table 2 (b)):
//	    V_i  = (1/N) Σ_j f_B(j) · (f_ABi(j) − f_A(j))
//	total (Jansen 1999, as in Saltelli et al. 2010, table 2 (f)):
//	    V_Ti = (1/2N) Σ_j (f_A(j) − f_ABi(j))²
//	S_i = V_i / V,   S_Ti = V_Ti / V.
//
// The first-order sum uses f_B less the pooled mean of f_A and f_B. The
// indices do not change when a constant is added to Y, and in expectation
// neither does V_i (E[f_ABi − f_A] = 0), but centring removes the term
// mean·(f_ABi − f_A), whose noise otherwise swamps small indices of an
// output with a large mean (Sobol' et al. 2007; Saltelli et al. 2010, §3).
//
// N·(d+2) evaluations give every first-order and total index.
//
// Confidence intervals come from the bootstrap over the N rows (Archer,
// Saltelli and Sobol 1997): rows are resampled with replacement, the same
// rows for f_A, f_B and every f_ABi, the indices recomputed, and the
// percentile interval of the resamples reported.
//
// # Designs
//
// NewDesign draws A and B as the two halves of a 2d-dimensional Halton
// sequence scrambled by random digit permutations (Owen 2017, "A
// randomized Halton algorithm in R", arXiv:1706.02808; gonum's
// samplemv.Halton). LatinHypercube draws stratified points for sampling
// parameter uncertainty (gonum's samplemv.LatinHypercube). Both are
// functions of their seed alone.
package sensitivity
