package output

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"
)

// TestSummaryCSVAttribution: summary.csv carries the contributions, joint
// defaults, default counts, firms' default timing and tail anatomy of
// summary.json: each loss's sources add up to its ES 99%, the joint
// probabilities are symmetric and are the summary's, the default counts
// add up to 1.
func TestSummaryCSVAttribution(t *testing.T) {
	_, sum := plotsRun(t)
	data, err := SummaryCSV(sum)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ entity, measure, statistic, level string }
	got := map[key]float64{}
	count := map[string]int{}
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			t.Fatal(err)
		}
		got[key{r[1], r[2], r[3], r[4]}] = v
		count[r[2]]++
	}
	for _, m := range []string{"backlog_lost_es99_contribution", "economic_loss_es99_contribution", "joint_default_probability",
		"conditional_default_probability", "firms_in_default", "tail_anatomy_worst_1pct", "tail_anatomy_all_paths"} {
		if count[m] == 0 {
			t.Errorf("summary.csv has no %s rows", m)
		}
	}
	// Contributions add up to ES, for every firm and the system.
	sums := map[key]float64{}
	for k, v := range got {
		if k.statistic == "total" && k.level != "" {
			sums[key{k.entity, k.measure, "es", ""}] += v
		}
	}
	if len(sums) == 0 {
		t.Fatal("no contribution rows")
	}
	for k, total := range sums {
		if es := got[k]; math.Abs(total-es) > 1e-9*math.Max(1, math.Abs(es)) {
			t.Errorf("%s %s: sources add up to %v; es row %v", k.entity, k.measure, total, es)
		}
	}
	jd := sum.JointDefaults
	p := 0.0
	for k := range jd.FirmsInDefault {
		p += got[key{"system", "firms_in_default", "p", strconv.Itoa(k)}]
	}
	if math.Abs(p-1) > 1e-9 {
		t.Errorf("firms_in_default adds up to %v; want 1", p)
	}
	for i, a := range jd.Entities {
		for j, b := range jd.Entities {
			if i == j {
				continue
			}
			if v := got[key{a, "joint_default_probability", "p", b}]; v != jd.Joint[i][j].P || v != got[key{b, "joint_default_probability", "p", a}] {
				t.Errorf("joint_default_probability %s, %s = %v; want %v both ways", a, b, v, jd.Joint[i][j].P)
			}
			if v, ok := got[key{b, "conditional_default_probability", "p", a}]; ok != jd.Defined[i] || ok && v != jd.Conditional[i][j].P {
				t.Errorf("conditional_default_probability of %s given %s = %v (present %v); want P(%s | %s) = %v", b, a, v, ok, b, a, jd.Conditional[i][j].P)
			}
		}
	}
}
