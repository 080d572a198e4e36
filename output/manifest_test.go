package output

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestManifestJSON(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := Manifest{
		Version:          "v1.2.3",
		Command:          []string{"backlogsim", "run", "-seed", "7", "world.toml"},
		Scenario:         "world",
		ScenarioSource:   "world.toml",
		ScenarioSHA256:   strings.Repeat("ab", 32),
		Seed:             1<<64 - 1,
		Paths:            100000,
		Workers:          8,
		GoVersion:        "go1.26.8",
		Host:             "box",
		Started:          start,
		Finished:         start.Add(90500 * time.Millisecond),
		Seconds:          90.5,
		ResolvedScenario: "name = \"world\"\n<&>\n",
	}
	data, err := ManifestJSON(m)
	if err != nil {
		t.Fatalf("ManifestJSON: %v", err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || !bytes.HasPrefix(data, []byte("{\n  \"version\": ")) {
		t.Errorf("ManifestJSON(m) = %s; want two-space indented JSON ending in a newline", data)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatalf("ManifestJSON output is not JSON: %v", err)
	}
	for _, k := range []string{"version", "command", "scenario", "scenario_source", "scenario_sha256", "seed",
		"paths", "workers", "go_version", "host", "started", "finished", "seconds", "resolved_scenario"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("ManifestJSON(m) has no key %q", k)
		}
	}
	for _, want := range []string{`"seed": 18446744073709551615`, `"started": "2026-03-01T12:00:00Z"`, `<&>`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("ManifestJSON(m) does not contain %s:\n%s", want, data)
		}
	}
	var back Manifest
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("decoding ManifestJSON output: %v", err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("ManifestJSON(m) decodes to %+v; want %+v", back, m)
	}
}

func TestManifestJSONEdgeCases(t *testing.T) {
	data, err := ManifestJSON(Manifest{})
	if err != nil {
		t.Fatalf("ManifestJSON(Manifest{}): %v", err)
	}
	if !bytes.Contains(data, []byte(`"command": []`)) {
		t.Errorf("ManifestJSON(Manifest{}) = %s; want an empty command array", data)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		if _, err := ManifestJSON(Manifest{Seconds: v}); err == nil || !strings.Contains(err.Error(), "seconds") {
			t.Errorf("ManifestJSON(Manifest{Seconds: %v}) error = %v; want one naming seconds", v, err)
		}
	}
}

func TestVersionFrom(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	for _, test := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no info", nil, "(devel)"},
		{"module version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"},
			Settings: settings("vcs.revision", "abc")}, "v1.2.3 (revision abc)"},
		{"module version only", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"revision", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", "abc123", "vcs.modified", "false", "vcs.time", "2026-11-30T12:00:00Z")}, "(devel) (revision abc123, 2026-11-30T12:00:00Z)"},
		{"dirty revision", &debug.BuildInfo{Settings: settings("vcs.modified", "true", "vcs.revision", "abc123")}, "(devel) (revision abc123-dirty)"},
		{"nothing", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "(devel)"},
	} {
		if got := versionFrom(test.info); got != test.want {
			t.Errorf("%s: versionFrom(%+v) = %q; want %q", test.name, test.info, got, test.want)
		}
	}
	if Version() == "" {
		t.Errorf("Version() = \"\"; want something")
	}
}
