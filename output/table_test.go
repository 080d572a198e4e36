package output

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

// updateGolden is the -update flag, shared by every golden-file test in the
// package: use checkGolden rather than defining another.
var updateGolden = flag.Bool("update", false, "update golden files in testdata")

// checkGolden compares got with testdata/name, or rewrites the file if the
// -update flag is set.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is intended):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestWriteTableGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, testSummary()); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	checkGolden(t, "table.golden", buf.Bytes())
}

func TestWriteTableSections(t *testing.T) {
	for _, test := range []struct {
		name    string
		modify  func(*sim.Summary)
		present []string
		absent  []string
	}{
		{
			name:    "full",
			modify:  func(*sim.Summary) {},
			present: []string{"Scenario test-world", "provider ", "supplier ", "customer ", "by 1y", "by 2.5y"},
		},
		{
			name:    "no suppliers",
			modify:  func(s *sim.Summary) { s.Suppliers = nil },
			present: []string{"provider ", "customer "},
			absent:  []string{"supplier "},
		},
		{
			name:    "only header",
			modify:  func(s *sim.Summary) { s.Providers, s.Suppliers, s.Customers = nil, nil, nil },
			present: []string{"Scenario test-world"},
			absent:  []string{"provider ", "supplier ", "customer "},
		},
		{
			name:    "whole years",
			modify:  func(s *sim.Summary) { s.HorizonYears = 3 },
			present: []string{"by 3y"},
			absent:  []string{"by 2.5y"},
		},
	} {
		s := testSummary()
		test.modify(&s)
		var buf bytes.Buffer
		if err := WriteTable(&buf, s); err != nil {
			t.Fatalf("%s: WriteTable: %v", test.name, err)
		}
		out := buf.String()
		for _, p := range test.present {
			if !strings.Contains(out, p) {
				t.Errorf("%s: WriteTable(s) output lacks %q:\n%s", test.name, p, out)
			}
		}
		for _, a := range test.absent {
			if strings.Contains(out, a) {
				t.Errorf("%s: WriteTable(s) output contains %q:\n%s", test.name, a, out)
			}
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTableWriteError(t *testing.T) {
	err := WriteTable(failWriter{}, testSummary())
	if err == nil || !strings.HasPrefix(err.Error(), "output: ") || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("WriteTable(failWriter{}, s) = %v; want an output: error wrapping disk full", err)
	}
}

func TestFormatters(t *testing.T) {
	for _, test := range []struct {
		f    func(float64) string
		name string
		v    float64
		want string
	}{
		{tableMoney, "tableMoney", 12.345, "12.3"},
		{tableMoney, "tableMoney", -0.04, "0.0"},
		{tableMoney, "tableMoney", -0.05001, "-0.1"},
		{tableMoney, "tableMoney", 0, "0.0"},
		{tablePercent, "tablePercent", 0.25, "25.0%"},
		{tablePercent, "tablePercent", 0.0004, "0.0%"},
		{tablePercent, "tablePercent", -1e-12, "0.0%"},
		{tablePercent, "tablePercent", 1, "100.0%"},
	} {
		if got := test.f(test.v); got != test.want {
			t.Errorf("%s(%v) = %q; want %q", test.name, test.v, got, test.want)
		}
	}
}

func TestLevelIndex(t *testing.T) {
	for _, test := range []struct {
		q    float64
		want int
	}{
		{0.95, 0}, {0.99, 1}, {0.999, 2}, {0.5, 0}, {1, 2},
	} {
		if got := levelIndex(test.q); got != test.want {
			t.Errorf("levelIndex(%v) = %d; want %d", test.q, got, test.want)
		}
	}
}
