package sim

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	for _, test := range []struct {
		name string
		ok   bool
	}{
		{"baseline", true},
		{"big-cloud_2.v1", true},
		{strings.Repeat("a", MaxNameLength), true},
		{"", false},
		{".", false},
		{"..", false},
		{".hidden", false},
		{"../../victim", false},
		{"a/b", false},
		{`a\b`, false},
		{"a b", false},
		{"a\nb", false},
		{"$(rm)", false},
		{"é", false},
		{strings.Repeat("a", MaxNameLength+1), false},
	} {
		if err := CheckName(test.name); (err == nil) != test.ok {
			t.Errorf("CheckName(%q) = %v; want ok %v", test.name, err, test.ok)
		}
	}
}

func TestCheckWorkers(t *testing.T) {
	for _, test := range []struct {
		what string
		err  error
		ok   bool
	}{
		{"workers 0", CheckWorkers(0), true},
		{"workers max", CheckWorkers(MaxWorkers), true},
		{"workers -1", CheckWorkers(-1), false},
		{"workers max+1", CheckWorkers(MaxWorkers + 1), false},
	} {
		if (test.err == nil) != test.ok {
			t.Errorf("%s: error %v; want ok %v", test.what, test.err, test.ok)
		}
	}
}

// TestWorkersUsed: the number Simulate runs, which the manifest records.
func TestWorkersUsed(t *testing.T) {
	for _, test := range []struct{ paths, workers, want int }{
		{1, 8, 1},
		{blockSize, 8, 1},
		{blockSize + 1, 8, 2},
		{100 * blockSize, 8, 8},
		{100 * blockSize, 1000, 100},
	} {
		if got := WorkersUsed(test.paths, test.workers); got != test.want {
			t.Errorf("WorkersUsed(%d, %d) = %d; want %d", test.paths, test.workers, got, test.want)
		}
	}
}

// TestValidateRejectsZeroSteps: a horizon shorter than one step (which
// once passed and then panicked in the merger) and names that are not
// safe as file names are refused.
func TestValidateRejectsZeroStepsAndBadNames(t *testing.T) {
	for _, test := range []struct {
		what string
		edit func(m *Model)
		want string
	}{
		{"zero steps", func(m *Model) { m.HorizonYears = 1e-11 }, "simulation.horizon_years: must give at least one step"},
		{"scenario name", func(m *Model) { m.Name = "../victim" }, "name: must not start with '.'"},
		{"entity name", func(m *Model) { m.Providers[0].Name = "a/b" }, "name must use only"},
		{"paths", func(m *Model) { m.Paths = MaxPaths + 1 }, "simulation.paths: must be in [1, 1000000000]"},
	} {
		m := smallWorld()
		test.edit(m)
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%s: Validate() = %v; want an error containing %q", test.what, err, test.want)
		}
	}
}
