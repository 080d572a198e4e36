// Package scenarios loads and validates TOML scenario files into sim models.
//
// A scenario file describes one world for the simulator: the simulation
// settings, the venture-funding market, the demand, macro and recovery
// models, the cash-burning customers (AI labs), the providers (clouds,
// data-centre operators) and suppliers (chips, foundry), the contracts
// between them and the strategic backers. FORMAT.md in this directory
// documents every key, its unit, default and allowed range.
//
// Load reads a file from disk, or a built-in scenario by name (see
// Builtins; "baseline" is calibrated to public figures as of 2026). A file
// may extend another with the top-level key extends: tables merge key by
// key, contracts and backers merge element by element. Every problem found
// is reported as an *Error carrying the file, line and dotted key of the
// offending value, formatted "FILE:LINE: KEY: MSG"; several problems come
// as an ErrorList. The rules are the model's: every number is read in the
// range sim.NumberRange gives its key, and the problems
// sim.Model.Validate finds come back placed at the line of their key.
//
// Entities appear in the model in a fixed order: customers, providers and
// suppliers, each sorted by name; funding regimes are sorted by name too;
// contracts, backers and shocks keep their file order.
package scenarios
