package output

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestBatchIndex(t *testing.T) {
	var entries []BatchEntry
	for _, r := range []CompareRun{compareRun(t, "base", false), compareRun(t, "tight", true)} {
		f, err := NewSummaryFile(r.Results.Summary)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, BatchEntry{Case: r.Name, Summary: f})
	}
	data, err := BatchIndexCSV(entries)
	if err != nil {
		t.Fatalf("BatchIndexCSV = %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("index.csv does not parse: %v", err)
	}
	// Per case: 2 firms × 2 measures + 1 customer.
	if len(rows) != 1+2*5 {
		t.Errorf("index.csv has %d rows; want %d:\n%s", len(rows), 1+2*5, data)
	}
	want := []string{"tight", "tight", "1500", "9", "customer", "lab", "default_probability"}
	last := rows[len(rows)-1]
	if strings.Join(last[:7], ",") != strings.Join(want, ",") {
		t.Errorf("index.csv last row = %v; want it to start %v", last, want)
	}
	page, err := BatchIndexHTML(entries, []bool{true, false})
	if err != nil {
		t.Fatalf("BatchIndexHTML = %v", err)
	}
	for _, want := range []string{"base/report.html", "tight/summary.json", "cloud", "chips", "lab"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("index.html does not contain %q", want)
		}
	}
	if bytes.Contains(page, []byte("tight/report.html")) {
		t.Error("index.html links a report that does not exist")
	}
	if _, err := BatchIndexCSV([]BatchEntry{{Case: "x"}}); err == nil {
		t.Error("BatchIndexCSV(no summary) = nil; want an error")
	}
}
