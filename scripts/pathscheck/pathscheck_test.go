package pathscheck

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// runBacklogsim runs the command line of the repository two levels up.
func runBacklogsim(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "./cmd/backlogsim"}, args...)...)
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("backlogsim %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

type stats struct {
	Mean float64 `json:"mean"`
}

type summary struct {
	Paths     int `json:"paths"`
	Providers map[string]struct {
		BacklogLost  stats `json:"backlog_lost"`
		EconomicLoss stats `json:"economic_loss"`
	} `json:"providers"`
	Suppliers map[string]struct {
		BacklogLost  stats `json:"backlog_lost"`
		EconomicLoss stats `json:"economic_loss"`
	} `json:"suppliers"`
	Customers map[string]struct {
		FundingRaised stats `json:"funding_raised"`
	} `json:"customers"`
}

// TestDuckDBReadsPaths writes the baseline's per-path Parquet file, plain
// and under importance sampling, reads it with DuckDB and checks every
// column's weighted mean, Σ weight·x / paths, against the mean in
// summary.json, and that it has one row per path.
func TestDuckDBReadsPaths(t *testing.T) {
	for _, c := range []struct {
		name  string
		flags []string
	}{
		{"plain", nil},
		{"importance", []string{"--importance", "demand=-0.5,macro=-0.5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "paths.parquet")
			out := filepath.Join(dir, "out")
			args := append([]string{"run", "baseline", "--paths", "3000", "--seed", "11", "--quiet", "--no-plots",
				"--out", out, "--paths-out", file}, c.flags...)
			runBacklogsim(t, args...)
			data, err := os.ReadFile(filepath.Join(out, "summary.json"))
			if err != nil {
				t.Fatal(err)
			}
			var s summary
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("duckdb", "")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			src := "read_parquet('" + strings.ReplaceAll(file, "'", "''") + "')"
			var rows int
			if err := db.QueryRow("SELECT count(*) FROM " + src).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows != s.Paths {
				t.Errorf("%d rows; want %d paths", rows, s.Paths)
			}
			mean := func(col string) float64 {
				t.Helper()
				var v float64
				q := fmt.Sprintf(`SELECT sum(weight * "%s") / count(*) FROM %s`, col, src)
				if err := db.QueryRow(q).Scan(&v); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return v
			}
			check := func(col string, want float64) {
				t.Helper()
				got := mean(col)
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Errorf("DuckDB mean of %s = %v; summary.json says %v", col, got, want)
				}
			}
			checked := 0
			for name, f := range s.Providers {
				check("provider_"+name+"_backlog_lost", f.BacklogLost.Mean)
				check("provider_"+name+"_economic_loss", f.EconomicLoss.Mean)
				checked += 2
			}
			for name, f := range s.Suppliers {
				check("supplier_"+name+"_backlog_lost", f.BacklogLost.Mean)
				check("supplier_"+name+"_economic_loss", f.EconomicLoss.Mean)
				checked += 2
			}
			for name, cu := range s.Customers {
				check("lab_"+name+"_funding_raised", cu.FundingRaised.Mean)
				checked++
			}
			if checked < 10 {
				t.Errorf("only %d columns checked", checked)
			}
			var wsum float64
			if err := db.QueryRow("SELECT sum(weight) FROM " + src).Scan(&wsum); err != nil {
				t.Fatal(err)
			}
			if c.flags == nil && wsum != float64(s.Paths) {
				t.Errorf("plain run: weights sum to %v; want %d", wsum, s.Paths)
			}
		})
	}
}
