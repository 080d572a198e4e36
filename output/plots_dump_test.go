package output

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDumpCharts writes the charts and the report of the test model to
// $BACKLOGSIM_DUMP (plots/ and report.html) for inspection and for
// scripts/check-report.sh; it is skipped otherwise.
func TestDumpCharts(t *testing.T) {
	dir := os.Getenv("BACKLOGSIM_DUMP")
	if dir == "" {
		t.Skip("BACKLOGSIM_DUMP not set")
	}
	res, _ := plotsRun(t)
	if os.Getenv("BACKLOGSIM_DUMP_FIXED") != "" {
		res = fixedResults()
	}
	charts, err := Charts(res)
	if err != nil {
		t.Fatal(err)
	}
	files, err := RenderCharts(charts)
	if err != nil {
		t.Fatal(err)
	}
	report, err := Report(res, charts, testScenario)
	if err != nil {
		t.Fatal(err)
	}
	files["report.html"] = report
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
