package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/output"
)

func TestSweepPoint(t *testing.T) {
	keys := []output.SweepKey{{Key: "a", Values: []float64{1, 2, 3}}, {Key: "b", Values: []float64{10, 20}}}
	var got [][]float64
	for k := range 6 {
		got = append(got, sweepPoint(keys, k))
	}
	want := [][]float64{{1, 10}, {1, 20}, {2, 10}, {2, 20}, {3, 10}, {3, 20}}
	for k := range want {
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("sweepPoint(%d) = %v; want %v", k, got[k], want[k])
		}
	}
}

func TestSweepSetFlag(t *testing.T) {
	var keys []output.SweepKey
	s := sweepSet{&keys}
	if err := s.Set("funding.rates.open.tight=0.1:0.3:3"); err != nil {
		t.Fatal(err)
	}
	if keys[0].Key != "funding.rates.open.tight" || !slices.Equal(keys[0].Values, []float64{0.1, 0.2, 0.3}) {
		t.Errorf("-set parsed as %+v; want values 0.1, 0.2, 0.3", keys[0])
	}
	for _, bad := range []string{"x", "x=1:2", "x=a:2:3", "x=2:1:3", "x=1:2:1", "=1:2:3"} {
		if err := s.Set(bad); err == nil {
			t.Errorf("-set %q: no error", bad)
		}
	}
}

// TestSweep checks a two-key sweep: byte-identical across workers, and a
// point's figure equals a plain run of the scenario with its values.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	var first []byte
	for _, w := range []string{"1", "3"} {
		out := filepath.Join(dir, "w"+w)
		status, _, stderr := runCLI(t, "sweep", "baseline", "--set", "funding.rates.open.tight=0.05:0.25:3",
			"--set", "customers.openai.funding.round_rate=1:2:2", "--paths", "300", "--workers", w, "--quiet", "--out", out,
			"--metrics", "openai.default_probability,oracle.economic_loss_es")
		if status != exitOK {
			t.Fatalf("sweep = %d; stderr:\n%s", status, stderr)
		}
		data, err := os.ReadFile(filepath.Join(out, "sweep.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = data
		} else if !bytes.Equal(first, data) {
			t.Error("sweep.csv differs between --workers 1 and 3")
		}
		for _, name := range []string{"sweep.json", "manifest.json", "plots/sweep-openai-default-probability.png"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Error(err)
			}
		}
	}
	if lines := strings.Count(string(first), "\n"); lines != 1+3*2*2 {
		t.Errorf("sweep.csv has %d lines; want 13", lines)
	}
	data, err := os.ReadFile(filepath.Join(dir, "w1", "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sw output.Sweep
	if err := json.Unmarshal(data, &sw); err != nil {
		t.Fatal(err)
	}
	pt := sw.Points[3] // open.tight 0.15, round rate 2
	if !slices.Equal(pt.Values, []float64{0.15, 2}) {
		t.Fatalf("point 3 = %v; want [0.15 2]", pt.Values)
	}
	file := filepath.Join(dir, "pt.toml")
	writeFile(t, file, "extends = \"baseline\"\nname = \"pt\"\nfunding.rates.open.tight = 0.15\ncustomers.openai.funding.round_rate = 2\n")
	out := filepath.Join(dir, "pt")
	if status, _, stderr := runCLI(t, "run", file, "--paths", "300", "--no-plots", "--quiet", "--out", out); status != exitOK {
		t.Fatalf("run = %d; stderr:\n%s", status, stderr)
	}
	sdata, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Customers map[string]struct {
			DefaultProbability float64 `json:"default_probability"`
		} `json:"customers"`
	}
	if err := json.Unmarshal(sdata, &sum); err != nil {
		t.Fatal(err)
	}
	if got, want := pt.Estimates[0].Value, sum.Customers["openai"].DefaultProbability; got != want {
		t.Errorf("sweep point openai default probability %v; a plain run gives %v", got, want)
	}
}

func TestSweepErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"baseline"}, "give one or two keys"},
		{[]string{"baseline", "--set", "a.b=1:2:2", "--set", "a.c=1:2:2", "--set", "a.d=1:2:2"}, "give one or two keys, got 3"},
		{[]string{"baseline", "--set", "funding.initial=1:2:2"}, "not a number"},
		{[]string{"baseline", "--set", "funding.rates.open.tight=-1:2:2"}, "funding.rates.open.tight: must be >= 0, got -1"},
		{[]string{"baseline", "--set", "x=1:2"}, "want KEY=FROM:TO:N"},
	} {
		args := append(append([]string{"sweep"}, c.args...), "--out", filepath.Join(dir, "out"), "--paths", "10")
		status, _, stderr := runCLI(t, args...)
		if status != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v = %d, %q; want %d and %q", args, status, stderr, exitUsage, c.want)
		}
	}
}
