package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"time"
)

// Manifest records how a run was made, for manifest.json: enough to
// reproduce it and to tell runs apart.
type Manifest struct {
	// Version is backlogsim's version, as from Version.
	Version string `json:"version"`
	// Command is the command line, program name first.
	Command []string `json:"command"`
	// Scenario is the scenario's name; ScenarioSource where it came from
	// (a file path or a built-in name) and ScenarioSHA256 the hex SHA-256
	// of its source bytes.
	Scenario       string `json:"scenario"`
	ScenarioSource string `json:"scenario_source"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Seed           uint64 `json:"seed"`
	Paths          int    `json:"paths"`
	// Workers is the number of goroutines used; results do not depend on it.
	Workers int `json:"workers"`
	// GoVersion is runtime.Version() and Host the host name.
	GoVersion string `json:"go_version"`
	Host      string `json:"host"`
	// Started and Finished bracket the run; Seconds is its wall-clock
	// duration.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Seconds  float64   `json:"seconds"`
	// ResolvedScenario is the scenario after defaults and overrides were
	// applied, in the scenario file format.
	ResolvedScenario string `json:"resolved_scenario"`
	// Files maps every other file of the output folder (slash-separated
	// path) to the hex SHA-256 of its contents (see SealFolder and
	// ReadFolder).
	Files map[string]string `json:"files,omitempty"`
}

// ManifestJSON returns m as manifest.json: JSON with snake_case keys,
// indented by two spaces and ending in a newline. Times are in RFC 3339
// format. It returns an error if m.Seconds is NaN or infinite.
func ManifestJSON(m Manifest) ([]byte, error) {
	if math.IsNaN(m.Seconds) || math.IsInf(m.Seconds, 0) {
		return nil, fmt.Errorf("output: manifest field seconds is %v", m.Seconds)
	}
	if m.Command == nil {
		m.Command = []string{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("output: encoding manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// Version returns backlogsim's version from the build information: the
// main module's version ("(devel)" when built from a working tree without
// one), then, when the build recorded them, the VCS revision (with
// "-dirty" if the working tree was modified) and the commit time, e.g.
// "v1.2.0 (revision 3f2a9c1e, 2026-11-30T12:00:00Z)". A build from a
// module cache has a version and no revision; "go build" in a clone has a
// revision; builds with -buildvcs=false have neither.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return versionFrom(nil)
	}
	return versionFrom(info)
}

func versionFrom(info *debug.BuildInfo) string {
	const devel = "(devel)"
	if info == nil {
		return devel
	}
	v := info.Main.Version
	if v == "" {
		v = devel
	}
	var rev, at string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return v
	}
	if dirty {
		rev += "-dirty"
	}
	if at != "" {
		rev += ", " + at
	}
	return v + " (revision " + rev + ")"
}
