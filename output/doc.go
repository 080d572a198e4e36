// Package output renders simulation results: tables, JSON and CSV summaries,
// plots and the HTML report.
//
// The renderers take a sim.Summary (or sim.Results, which carry theirs, for
// plots, the report and comparisons) and return bytes or write to an
// io.Writer; they never touch the file system, except
// the functions of folder.go, which know the layout of an output folder and
// read one back. Package internal/atomicdir puts a set of rendered files on
// disk atomically: a run's output directory either holds a complete set of
// files or does not exist.
//
// Money is in USD billions throughout. The summary.json format is documented
// in FORMAT.md and on SummaryJSON; it is stable and versioned by its
// format_version key.
package output
