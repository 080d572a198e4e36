package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// A run needing more memory than the machine has dies minutes in with a
// runtime out-of-memory error (exact summaries of 10⁹ paths, compare at
// 10⁹, --workers 10000). checkResources refuses such a run before it
// starts, with the estimate and the flag to change.

// runNeed is one simulation a command will hold in memory at once.
type runNeed struct {
	m       *sim.Model
	summary sim.SummaryMode
	plots   bool
}

// checkResources estimates the memory of the runs needs (held at the same
// time) and returns a usage error if it exceeds --max-memory or, without
// it, the memory the machine has available.
func checkResources(f runFlags, needs []runNeed) error {
	var total int64
	var parts []string
	for _, n := range needs {
		est, err := sim.EstimateMemory(n.m, sim.Options{Workers: f.Workers.n, Summary: n.summary})
		if err != nil {
			return usageError{err}
		}
		total += est.Total()
		if est.PerPath > 0 {
			parts = append(parts, fmt.Sprintf("%s: exact summary of %d paths at %s a path", n.m.Name, n.m.Paths, formatBytes(est.PerPath)))
		}
		parts = append(parts, fmt.Sprintf("%s: %d workers, %s", n.m.Name, sim.WorkersUsed(n.m.Paths, f.Workers.n), formatBytes(est.Workers)))
	}
	limit, what := f.MaxMemory.n, "--max-memory"
	if !f.MaxMemory.set {
		var ok bool
		if limit, ok = availableMemory(); !ok {
			return nil // unknown: nothing to compare with
		}
		what = "available memory"
	}
	if total <= limit {
		return nil
	}
	return usageError{fmt.Errorf("this run needs about %s of memory (%s) but the %s is %s; use --summary streaming, fewer --paths or --workers, or a larger --max-memory",
		formatBytes(total), strings.Join(parts, "; "), what, formatBytes(limit))}
}

// availableMemory returns the memory this process may still use: the
// smaller of MemAvailable in /proc/meminfo and the cgroup's limit less its
// usage. ok is false where neither is known.
func availableMemory() (bytes int64, ok bool) {
	bytes = math.MaxInt64
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					bytes, ok = kb<<10, true
				}
			}
		}
	}
	limit, err1 := readCgroupNumber("/sys/fs/cgroup/memory.max")
	usage, err2 := readCgroupNumber("/sys/fs/cgroup/memory.current")
	if err1 == nil && err2 == nil && limit > usage {
		bytes, ok = min(bytes, limit-usage), true
	}
	return bytes, ok
}

func readCgroupNumber(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64) // "max" fails: no limit
}

// formatBytes formats n bytes with a binary unit: 1.5 GiB.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 5 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[i])
}

// memoryFlag is --max-memory: a size in bytes with an optional unit, B,
// kB/KiB, MB/MiB, GB/GiB or TB/TiB (decimal or binary), such as 8GB or
// 512MiB.
type memoryFlag struct {
	n   int64
	set bool
	txt string
}

func (f *memoryFlag) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	if s == "" {
		*f = memoryFlag{}
		return nil
	}
	i := strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	num, unit := s, ""
	if i >= 0 {
		num, unit = s[:i], strings.TrimSpace(s[i:])
	}
	mult, ok := map[string]float64{"": 1, "B": 1, "kB": 1e3, "KB": 1e3, "KiB": 1 << 10, "MB": 1e6, "MiB": 1 << 20,
		"GB": 1e9, "GiB": 1 << 30, "TB": 1e12, "TiB": 1 << 40}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || !(v > 0) || v*mult >= math.MaxInt64 {
		return fmt.Errorf("want a size such as 512MiB or 8GB, got %q", s)
	}
	*f = memoryFlag{n: int64(v * mult), set: true, txt: s}
	return nil
}

func (f memoryFlag) MarshalText() ([]byte, error) { return []byte(f.txt), nil }
