package scenarios

import (
	"math"
	"strings"
	"testing"

	"github.com/backlogsim/backlogsim/sim"
)

// TestParseSettings: the flags accept exactly what the file accepts for
// simulation.paths and simulation.seed. fmt.Sscan once read "1e3" and
// "1.5" as 1 and "5abc" as 5.
func TestParseSettings(t *testing.T) {
	for _, test := range []struct {
		parse func(string) (uint64, error)
		name  string
		in    string
		want  uint64
		err   string // "" for success
	}{
		{seed, "seed", "7", 7, ""},
		{seed, "seed", "1e3", 1000, ""},
		{seed, "seed", "1_000", 1000, ""},
		{seed, "seed", "0x10", 16, ""},
		{seed, "seed", "0", 0, ""},
		{seed, "seed", "9223372036854775807", math.MaxInt64, ""},
		{seed, "seed", "9223372036854775808", 0, "want an integer"},
		{seed, "seed", "1.5", 0, "must be an integer, got float 1.5"},
		{seed, "seed", "5abc", 0, `want an integer, got "5abc"`},
		{seed, "seed", "-1", 0, "must be >= 0, got -1"},
		{seed, "seed", "", 0, "want an integer"},
		{seed, "seed", "1 # x", 0, "want an integer"},
		{seed, "seed", "1\nname = 2", 0, "want an integer"},
		{seed, "seed", "inf", 0, "must be an integer"},
		{paths, "paths", "100", 100, ""},
		{paths, "paths", "1e9", 1e9, ""},
		{paths, "paths", "0", 0, "must be in [1, 1000000000], got 0"},
		{paths, "paths", "1000000001", 0, "must be in [1, 1000000000], got 1000000001"},
		{paths, "paths", "-5", 0, "must be in [1, 1000000000], got -5"},
		{workers, "workers", "0", 0, ""},
		{workers, "workers", "1024", 1024, ""},
		{workers, "workers", "10000", 0, "workers must be in [0, 1024] (0: one per CPU), got 10000"},
	} {
		got, err := test.parse(test.in)
		if test.err == "" {
			if err != nil || got != test.want {
				t.Errorf("Parse %s(%q) = %d, %v; want %d", test.name, test.in, got, err, test.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), test.err) {
			t.Errorf("Parse %s(%q) = %d, %v; want an error containing %q", test.name, test.in, got, err, test.err)
		}
	}
}

func seed(s string) (uint64, error) { return ParseSeed(s) }
func paths(s string) (uint64, error) {
	v, err := ParsePaths(s)
	return uint64(v), err
}
func workers(s string) (uint64, error) {
	v, err := ParseWorkers(s)
	return uint64(v), err
}

// TestParseImportance: --importance is read as [sampling.importance]:
// inf and out-of-range values are refused as in a file, and a key given
// twice is an error rather than the last one winning.
func TestParseImportance(t *testing.T) {
	got, err := ParseImportance("demand=-0.3, macro=-0.3,revenue=-0.15,regime=2,arrival=0.5,window=1,macro_window=2")
	want := sim.ImportanceSampling{DemandShift: -0.3, MacroShift: -0.3, RevenueShift: -0.15, RegimeTilt: 2, ArrivalTilt: 0.5, WindowYears: 1, MacroWindowYears: 2}
	if err != nil || got != want {
		t.Errorf("ParseImportance(all keys) = %+v, %v; want %+v", got, err, want)
	}
	for _, test := range []struct{ in, err string }{
		{"window=inf", "window: must be a finite number, got inf"},
		{"demand=11", "demand: must be in [-10, 10], got 11"},
		{"demand=1,demand=2", "demand: given twice"},
		{"arrival=1.5", "arrival: must be in [0, 1], got 1.5"},
		{"regime=nan", "regime: must be a finite number, got nan"},
		{"demand", `want KEY=VALUE, got "demand"`},
		{"speed=1", `unknown key "speed"`},
		{"demand=x", `demand: want a number, got "x"`},
		{"demand=1#", `demand: want a number, got "1#"`},
		{"demand=[1]", `demand: want a number, got "[1]"`},
	} {
		if _, err := ParseImportance(test.in); err == nil || err.Error() != test.err && !strings.Contains(err.Error(), test.err) {
			t.Errorf("ParseImportance(%q) = %v; want an error containing %q", test.in, err, test.err)
		}
	}
}
