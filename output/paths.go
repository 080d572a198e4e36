package output

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/backlogsim/backlogsim/sim"
)

// PathColumn is one column of the per-path table: a name and either
// floating-point or integer values, one per path.
type PathColumn struct {
	Name   string
	Floats []float64 // nil for an integer column
	Ints   []int32
}

// PathTable is every path's outcomes as columns, the data behind
// "run --paths-out" (see FORMAT.md, "Per-path output"): the path index, its
// weight, each firm's backlog lost, economic loss and default step, and
// each lab's default step and funding raised.
type PathTable struct {
	Paths   int
	Columns []PathColumn
}

// NewPathTable returns the per-path table of an exact-mode run. It is an
// error if the run kept no per-path outcomes (streaming mode).
func NewPathTable(res *sim.Results) (*PathTable, error) {
	if res == nil || res.Model == nil {
		return nil, errors.New("output: per-path table: no results")
	}
	if res.Streaming {
		return nil, errors.New("output: per-path table: the run streamed its paths and kept no per-path outcomes (use exact summaries)")
	}
	n := res.Paths
	t := &PathTable{Paths: n}
	path := make([]int32, n)
	for p := range path {
		path[p] = int32(p)
	}
	weight := res.Weights
	if weight == nil {
		weight = make([]float64, n)
		for p := range weight {
			weight[p] = 1
		}
	}
	t.Columns = append(t.Columns, PathColumn{Name: "path", Ints: path}, PathColumn{Name: "weight", Floats: weight})
	names := map[string]bool{}
	column := func(kind, name, measure string) string {
		base := kind + "_" + strings.ReplaceAll(slug(name), "-", "_") + "_" + measure
		c := base
		for k := 2; names[c]; k++ {
			c = fmt.Sprintf("%s_%d", base, k)
		}
		names[c] = true
		return c
	}
	firms := func(kind string, fs []sim.FirmResults) {
		for _, f := range fs {
			t.Columns = append(t.Columns,
				PathColumn{Name: column(kind, f.Name, "backlog_lost"), Floats: f.BacklogLost},
				PathColumn{Name: column(kind, f.Name, "economic_loss"), Floats: f.EconomicLoss},
				PathColumn{Name: column(kind, f.Name, "default_step"), Ints: f.DefaultStep})
		}
	}
	firms("provider", res.Providers)
	firms("supplier", res.Suppliers)
	for _, c := range res.Customers {
		t.Columns = append(t.Columns,
			PathColumn{Name: column("lab", c.Name, "default_step"), Ints: c.DefaultStep},
			PathColumn{Name: column("lab", c.Name, "funding_raised"), Floats: c.FundingRaised})
	}
	for _, c := range t.Columns {
		if len(c.Floats)+len(c.Ints) != n {
			return nil, fmt.Errorf("output: per-path table: column %s has %d values for %d paths", c.Name, len(c.Floats)+len(c.Ints), n)
		}
	}
	return t, nil
}

// WriteParquet writes t as a Parquet file: one row per path, every column
// required, doubles and 32-bit integers, Snappy-compressed. Parquet groups
// store their columns sorted by name; readers select them by name.
func (t *PathTable) WriteParquet(w io.Writer) error {
	group := parquet.Group{}
	for _, c := range t.Columns {
		typ := parquet.DoubleType
		if c.Floats == nil {
			typ = parquet.Int32Type
		}
		group[c.Name] = parquet.Compressed(parquet.Leaf(typ), &parquet.Snappy)
	}
	schema := parquet.NewSchema("paths", group)
	// Map each column of the table to its position in the schema.
	at := map[string]int{}
	for i, p := range schema.Columns() {
		at[p[0]] = i
	}
	pw := parquet.NewWriter(w, schema, parquet.CreatedBy("backlogsim", "", ""))
	const batch = 4096
	rows := make([]parquet.Row, 0, batch)
	for start := 0; start < t.Paths; start += batch {
		rows = rows[:0]
		for p := start; p < min(start+batch, t.Paths); p++ {
			row := make(parquet.Row, len(t.Columns))
			for _, c := range t.Columns {
				i := at[c.Name]
				if c.Floats != nil {
					row[i] = parquet.DoubleValue(c.Floats[p]).Level(0, 0, i)
				} else {
					row[i] = parquet.Int32Value(c.Ints[p]).Level(0, 0, i)
				}
			}
			rows = append(rows, row)
		}
		if _, err := pw.WriteRows(rows); err != nil {
			return fmt.Errorf("output: writing per-path parquet: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("output: writing per-path parquet: %w", err)
	}
	return nil
}

// WriteCSV writes t as CSV: a header of the column names, in the table's
// order, then one row per path; numbers in the shortest form that reads
// back to the same float64 (strconv 'g', -1).
func (t *PathTable) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("output: writing per-path csv: %w", err)
	}
	rec := make([]string, len(t.Columns))
	for p := range t.Paths {
		for i, c := range t.Columns {
			if c.Floats != nil {
				rec[i] = strconv.FormatFloat(c.Floats[p], 'g', -1, 64)
			} else {
				rec[i] = strconv.FormatInt(int64(c.Ints[p]), 10)
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("output: writing per-path csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("output: writing per-path csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("output: writing per-path csv: %w", err)
	}
	return nil
}
