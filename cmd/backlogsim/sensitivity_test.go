package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/output"
)

// uncertainBaseline is the baseline with its own [uncertainty] section
// replaced by two parameters: a triple and a distribution (whose tornado
// values are quantiles).
var uncertainBaseline = func() string {
	data, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "baseline.toml"))
	if err != nil {
		panic(err)
	}
	text, _, _ := strings.Cut(string(data), "\n[uncertainty]")
	text = strings.Replace(text, `name = "baseline"`, `name = "u"`, 1)
	return text + `
[uncertainty]
"funding.rates.open.tight" = {low = 0.05, high = 0.3, source = "estimate: for the test"}
"customers.openai.funding.round_rate" = {distribution = "triangular", min = 0.8, mode = 1.5, max = 2.5, source = "estimate: for the test"}
`
}()

// minimalScenario has no entities and no [uncertainty] section.
const minimalScenario = `name = "min"
[funding]
initial = "open"
[funding.regimes.open]
[demand]
mean_reversion = 0.5
volatility = 0.2
[macro]
mean_reversion = 0.5
[recovery]
mean = 0.5
concentration = 5
`

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readSensitivity(t *testing.T, dir string) *output.Sensitivity {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "sensitivity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s output.Sensitivity
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("sensitivity.json: %v", err)
	}
	return &s
}

// TestTornadoEqualsCompare checks that every tornado figure is the one
// "backlogsim compare" gives for the base and the parameter's low and high
// cases written as scenario files.
func TestTornadoEqualsCompare(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "u.toml")
	writeFile(t, base, uncertainBaseline)
	out := filepath.Join(dir, "sens")
	status, _, stderr := runCLI(t, "sensitivity", base, "--paths", "600", "--seed", "5", "--no-sobol", "--no-plots", "--out", out,
		"--metrics", "openai.default_probability,oracle.default_probability,oracle.economic_loss_es,microsoft.backlog_lost_mean")
	if status != exitOK {
		t.Fatalf("sensitivity = %d; stderr:\n%s", status, stderr)
	}
	s := readSensitivity(t, out)
	// The manifest records the base case as it ran: the command line's
	// paths and seed, not the file's.
	man, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`paths = 600`, `seed = 5`} {
		if !strings.Contains(string(man), want) {
			t.Errorf("sensitivity manifest.json's resolved scenario lacks %q", want)
		}
	}
	if s.Tornado == nil || len(s.Tornado.Metrics) != 4 || len(s.Parameters) != 2 {
		t.Fatalf("sensitivity.json: tornado %v, %d parameters; want 4 metrics, 2 parameters", s.Tornado, len(s.Parameters))
	}
	for _, p := range s.Parameters {
		low, high := filepath.Join(dir, "low.toml"), filepath.Join(dir, "high.toml")
		for _, c := range []struct {
			path string
			v    float64
		}{{low, p.Low}, {high, p.High}} {
			writeFile(t, c.path, fmt.Sprintf("extends = %q\nname = %q\n%s = %s\n", "u.toml",
				filepath.Base(c.path), p.Key, strconv.FormatFloat(c.v, 'g', -1, 64)))
		}
		cmpDir := filepath.Join(dir, "cmp-"+p.Key)
		status, _, stderr := runCLI(t, "compare", base, low, high, "--paths", "600", "--seed", "5", "--no-plots", "--quiet", "--out", cmpDir)
		if status != exitOK {
			t.Fatalf("compare = %d; stderr:\n%s", status, stderr)
		}
		data, err := os.ReadFile(filepath.Join(cmpDir, "compare.json"))
		if err != nil {
			t.Fatal(err)
		}
		var c output.Comparison
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		for _, tm := range s.Tornado.Metrics {
			m := metricByName(t, s, tm.Metric)
			var bar *output.TornadoBar
			for i := range tm.Bars {
				if tm.Bars[i].Parameter == p.Key {
					bar = &tm.Bars[i]
				}
			}
			if bar == nil {
				t.Fatalf("%s: no bar for %s", tm.Metric, p.Key)
			}
			b, _, _ := output.MetricDiff(&c, 0, m)
			lo, ld, _ := output.MetricDiff(&c, 1, m)
			hi, hd, _ := output.MetricDiff(&c, 2, m)
			for _, x := range []struct {
				name      string
				got, want any
			}{
				{"base", tm.Base, b}, {"low", bar.Low, lo}, {"high", bar.High, hi},
				{"low diff", bar.LowDiff, *ld}, {"high diff", bar.HighDiff, *hd},
			} {
				if !jsonEqual(t, x.got, x.want) {
					t.Errorf("%s, %s: tornado %s = %+v; compare gives %+v", tm.Metric, p.Key, x.name, x.got, x.want)
				}
			}
		}
	}
}

func metricByName(t *testing.T, s *output.Sensitivity, name string) output.Metric {
	t.Helper()
	for _, m := range s.Metrics {
		if m.String() == name {
			return m
		}
	}
	t.Fatalf("no metric %s", name)
	return output.Metric{}
}

// jsonEqual compares two values by their JSON encoding (exact numbers).
func jsonEqual(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}

// TestSensitivityWorkersIdentical checks that the tornado and the Sobol
// indices are byte-identical whatever the number of workers.
func TestSensitivityWorkersIdentical(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "u.toml")
	writeFile(t, base, uncertainBaseline)
	var first map[string][]byte
	for _, w := range []string{"1", "3"} {
		out := filepath.Join(dir, "w"+w)
		status, _, stderr := runCLI(t, "sensitivity", base, "--paths", "300", "--sobol-rows", "6", "--sobol-paths", "100",
			"--bootstrap", "50", "--workers", w, "--out", out, "--quiet",
			"--metrics", "openai.default_probability,oracle.economic_loss_es")
		if status != exitOK {
			t.Fatalf("sensitivity --workers %s = %d; stderr:\n%s", w, status, stderr)
		}
		files := map[string][]byte{}
		for _, name := range []string{"sensitivity.json", "sensitivity.csv", "sensitivity.html", "plots/tornado-openai-default-probability.png"} {
			data, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = data
		}
		if first == nil {
			first = files
			continue
		}
		for name, data := range files {
			if !bytes.Equal(data, first[name]) {
				t.Errorf("%s differs between --workers 1 and --workers %s", name, w)
			}
		}
	}
	s := readSensitivity(t, filepath.Join(dir, "w1"))
	if s.Sobol == nil || s.Sobol.Cases != 6*4 || len(s.Sobol.Metrics) != 2 || len(s.Sobol.Metrics[0].Indices) != 2 {
		t.Errorf("sensitivity.json: Sobol %+v; want 24 cases, 2 metrics of 2 indices", s.Sobol)
	}
}

func TestSensitivityErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"min.toml"}, "has no [uncertainty] section"},
		{[]string{"u.toml", "--metrics", "openai.economic_loss_es"}, "a customer's statistics are default_probability"},
		{[]string{"u.toml", "--metrics", "nobody.default_probability"}, "no customer, provider or supplier \"nobody\""},
		{[]string{"u.toml", "--sobol-rows", "1"}, "-sobol-rows: must be >= 2"},
		{[]string{"u.toml", "--no-sobol", "--no-tornado"}, "leave nothing to do"},
	} {
		writeFile(t, filepath.Join(dir, "u.toml"), uncertainBaseline)
		writeFile(t, filepath.Join(dir, "min.toml"), minimalScenario)
		args := append([]string{"sensitivity"}, c.args...)
		if strings.HasSuffix(args[1], ".toml") {
			args[1] = filepath.Join(dir, args[1])
		}
		args = append(args, "--out", filepath.Join(dir, "out"))
		status, _, stderr := runCLI(t, args...)
		if status != exitUsage || !bytes.Contains([]byte(stderr), []byte(c.want)) {
			t.Errorf("%v = %d, %q; want %d and %q", args, status, stderr, exitUsage, c.want)
		}
	}
}
