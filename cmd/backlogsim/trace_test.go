package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTraceWorstPath lists Oracle's worst path of a baseline run, traces
// it, and checks that the trace ends with the loss the run ranked it by,
// and that the trace's files are written.
func TestTraceWorstPath(t *testing.T) {
	status, stdout, stderr := runCLI(t, "trace", "baseline", "-paths", "1000", "-seed", "3", "-worst", "3", "-firm", "oracle")
	if status != exitOK {
		t.Fatalf("trace -worst: status %d; stderr:\n%s", status, stderr)
	}
	var path int
	var loss float64
	found := false
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) == 4 && f[0] == "1" {
			path, _ = strconv.Atoi(f[1])
			loss, _ = strconv.ParseFloat(f[2], 64)
			found = true
		}
	}
	if !found {
		t.Fatalf("trace -worst lists no rank 1:\n%s", stdout)
	}
	out := filepath.Join(t.TempDir(), "trace")
	status, stdout, stderr = runCLI(t, "trace", "baseline", "-paths", "1000", "-seed", "3", "-path", strconv.Itoa(path), "-out", out)
	if status != exitOK {
		t.Fatalf("trace -path %d: status %d; stderr:\n%s", path, status, stderr)
	}
	if !strings.Contains(stdout, "Events:") || !strings.Contains(stdout, "oracle buffer") {
		t.Errorf("trace -path %d: no events or firm table:\n%s", path, stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "trace.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := ""
	for _, r := range rows {
		if r[2] == "oracle" && r[3] == "backlog_lost" {
			last = r[4]
		}
	}
	v, err := strconv.ParseFloat(last, 64)
	if err != nil {
		t.Fatalf("trace.csv has no oracle backlog_lost: %v", err)
	}
	if got, want := fmt.Sprintf("%.2f", v), fmt.Sprintf("%.2f", loss); got != want {
		t.Errorf("trace of path %d ends with oracle's backlog lost %s; the run ranked it at %s", path, got, want)
	}
	for _, name := range []string{"trace.txt", fmt.Sprintf("plots/trace-path-%d.svg", path)} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("trace -out: %v", err)
		}
	}
	for _, bad := range [][]string{
		{"trace", "baseline"},
		{"trace", "baseline", "-worst", "2"},
		{"trace", "baseline", "-path", "5", "-worst", "2", "-firm", "oracle"},
		{"trace", "baseline", "-paths", "10", "-path", "10"},
	} {
		if status, _, _ := runCLI(t, bad...); status != exitUsage {
			t.Errorf("%v: status %d; want %d", bad, status, exitUsage)
		}
	}
	if status, _, stderr := runCLI(t, "trace", "baseline", "-paths", "100", "-worst", "1", "-firm", "nobody"); status != exitUsage || !strings.Contains(stderr, "nobody") {
		t.Errorf("trace -firm nobody: status %d, stderr %q; want a usage error naming it", status, stderr)
	}
}
