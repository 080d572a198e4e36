// Package pathscheck proves that backlogsim's per-path Parquet output
// (run --paths-out FILE.parquet) is readable by DuckDB, a reader users
// would use, and agrees with summary.json.
//
// It is a module of its own so that "go test ./..." at the repository root
// does not build DuckDB (a large cgo library); .ci/run runs it:
//
//	cd scripts/pathscheck && go test ./...
package pathscheck
