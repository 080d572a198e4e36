package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/backlogsim/backlogsim/output"
)

func readParameterSets(t *testing.T, dir string) *output.ParameterSets {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "parameters.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p output.ParameterSets
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestRunParameterSets checks that run --parameter-sets gives the same
// bytes with any number of workers, and that each set's figures are those
// of a plain run of the scenario with the set's values written in.
func TestRunParameterSets(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "u.toml")
	writeFile(t, base, uncertainBaseline)
	var first []byte
	for _, w := range []string{"1", "3"} {
		out := filepath.Join(dir, "w"+w)
		status, stdout, stderr := runCLI(t, "run", base, "--paths", "400", "--parameter-sets", "4", "--workers", w, "--no-plots", "--out", out)
		if status != exitOK {
			t.Fatalf("run --parameter-sets = %d; stderr:\n%s", status, stderr)
		}
		if !bytes.Contains([]byte(stdout), []byte("Parameter uncertainty (4 sets, 400 paths each)")) {
			t.Errorf("run --parameter-sets printed no bands:\n%s", stdout)
		}
		data, err := os.ReadFile(filepath.Join(out, "parameters.json"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = data
		} else if !bytes.Equal(data, first) {
			t.Errorf("parameters.json differs between --workers 1 and --workers %s", w)
		}
	}
	p := readParameterSets(t, filepath.Join(dir, "w1"))
	if p.Sets != 4 || len(p.Values) != 4 || len(p.Parameters) != 2 {
		t.Fatalf("parameters.json: %d sets, %d value rows, %d parameters; want 4, 4, 2", p.Sets, len(p.Values), len(p.Parameters))
	}
	k := 2
	text := fmt.Sprintf("extends = %q\nname = \"set\"\n", "u.toml")
	for i, par := range p.Parameters {
		text += fmt.Sprintf("%s = %s\n", par.Key, strconv.FormatFloat(p.Values[k][i], 'g', -1, 64))
	}
	setFile := filepath.Join(dir, "set.toml")
	writeFile(t, setFile, text)
	out := filepath.Join(dir, "set")
	if status, _, stderr := runCLI(t, "run", setFile, "--paths", "400", "--no-plots", "--quiet", "--out", out); status != exitOK {
		t.Fatalf("run set = %d; stderr:\n%s", status, stderr)
	}
	data, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Customers map[string]struct {
			DefaultProbability float64 `json:"default_probability"`
		} `json:"customers"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Bands {
		if b.Metric == "openai.default_probability" {
			if got, want := b.Values[k], sum.Customers["openai"].DefaultProbability; got != want {
				t.Errorf("set %d: openai default probability %v; a plain run of its values gives %v", k, got, want)
			}
			return
		}
	}
	t.Error("no band for openai.default_probability")
}
