package output

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/backlogsim/backlogsim/sim"
)

func TestPathTable(t *testing.T) {
	res := fixedResults()
	tab, err := NewPathTable(res)
	if err != nil {
		t.Fatal(err)
	}
	// path, weight, 3 per firm, 2 per lab.
	if want := 2 + 3*(len(res.Providers)+len(res.Suppliers)) + 2*len(res.Customers); len(tab.Columns) != want {
		t.Fatalf("%d columns; want %d", len(tab.Columns), want)
	}
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != res.Paths+1 || recs[0][2] != "provider_big_cloud_backlog_lost" || recs[0][11] != "provider_start_up_dc_backlog_lost" {
		t.Fatalf("csv: %d records, header %v", len(recs), recs[0])
	}
	// Every value reads back exactly.
	for p := range res.Paths {
		got, err := strconv.ParseFloat(recs[p+1][2], 64)
		if err != nil || got != res.Providers[0].BacklogLost[p] {
			t.Fatalf("csv path %d: %q; want %v", p, recs[p+1][2], res.Providers[0].BacklogLost[p])
		}
	}

	buf.Reset()
	if err := tab.WriteParquet(&buf); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Path   int32   `parquet:"path"`
		Weight float64 `parquet:"weight"`
		Lost   float64 `parquet:"provider_neo_cloud_backlog_lost"`
		Step   int32   `parquet:"lab_lab_b_default_step"`
	}
	rows, err := parquet.Read[row](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != res.Paths {
		t.Fatalf("parquet: %d rows; want %d", len(rows), res.Paths)
	}
	for p, r := range rows {
		if r.Path != int32(p) || r.Weight != 1 || r.Lost != res.Providers[1].BacklogLost[p] || r.Step != res.Customers[1].DefaultStep[p] {
			t.Fatalf("parquet row %d = %+v", p, r)
		}
	}

	stream := *res
	stream.Streaming = true
	if _, err := NewPathTable(&stream); err == nil {
		t.Error("NewPathTable of a streamed run: no error")
	}
	if _, err := NewPathTable(&sim.Results{}); err == nil {
		t.Error("NewPathTable without a model: no error")
	}
}
