package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/backlogsim/backlogsim/sim"
)

// The command line's --paths, --seed, --workers and --importance are read
// here, by the code that reads simulation.paths, simulation.seed and
// [sampling.importance] from a file: each value is parsed as the TOML
// value it would be in a scenario and checked against the same range, so
// that a flag accepts exactly what a file accepts (1e3, 1_000 and 0x3e8
// are all a thousand; 1.5, 5abc and inf are refused).

// ParsePaths parses text as simulation.paths: an integer in
// [sim.MinPaths, sim.MaxPaths].
func ParsePaths(text string) (int, error) {
	v, err := parseInteger(text)
	if err != nil {
		return 0, err
	}
	if v == 1 {
		return 0, errors.New(onePath)
	}
	if v < math.MinInt || v > math.MaxInt {
		return 0, fieldMsg(sim.CheckPaths(-1))
	}
	return int(v), fieldMsg(sim.CheckPaths(int(v)))
}

// ParseSeed parses text as simulation.seed: an integer in [0, sim.MaxSeed].
func ParseSeed(text string) (uint64, error) {
	v, err := parseInteger(text)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fmt.Errorf("must be >= 0, got %d", v)
	}
	return uint64(v), fieldMsg(sim.CheckSeed(uint64(v)))
}

// ParseWorkers parses a number of worker goroutines: an integer in [0,
// sim.MaxWorkers], 0 meaning one per CPU.
func ParseWorkers(text string) (int, error) {
	v, err := parseInteger(text)
	if err != nil {
		return 0, err
	}
	if v < math.MinInt || v > math.MaxInt {
		v = -1
	}
	return int(v), sim.CheckWorkers(int(v))
}

// fieldMsg returns err's message without the sim: prefix and key, which
// a flag's error names otherwise.
func fieldMsg(err error) error {
	var fe *sim.FieldError
	if errors.As(err, &fe) {
		return errors.New(fe.Msg)
	}
	return err
}

// importanceKeys maps the --importance flag's short keys to those of
// [sampling.importance].
var importanceKeys = map[string]string{
	"demand":       "demand_shift",
	"macro":        "macro_shift",
	"revenue":      "revenue_shift",
	"regime":       "regime_tilt",
	"arrival":      "arrival_tilt",
	"window":       "window_years",
	"macro_window": "macro_window_years",
}

// ParseImportance parses the --importance flag: comma-separated KEY=VALUE
// pairs, KEY one of demand, macro, revenue (shifts in standard
// deviations), regime, arrival (tilts), window and macro_window (years),
// each VALUE a number read and checked as the matching key of
// [sampling.importance] (demand_shift and so on). A key given twice is an
// error, as in a file.
func ParseImportance(text string) (sim.ImportanceSampling, error) {
	var toml strings.Builder
	toml.WriteString("[i]\n")
	seen := map[string]bool{}
	for _, part := range strings.Split(text, ",") {
		key, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return sim.ImportanceSampling{}, fmt.Errorf("want KEY=VALUE, got %q", part)
		}
		fileKey, ok := importanceKeys[key]
		if !ok {
			return sim.ImportanceSampling{}, fmt.Errorf("unknown key %q; want demand, macro, revenue, regime, arrival, window or macro_window", key)
		}
		if seen[key] {
			return sim.ImportanceSampling{}, fmt.Errorf("%s: given twice", key)
		}
		seen[key] = true
		if !isNumber(val) {
			return sim.ImportanceSampling{}, fmt.Errorf("%s: want a number, got %q", key, val)
		}
		fmt.Fprintf(&toml, "%s = %s\n", fileKey, val)
	}
	var is sim.ImportanceSampling
	err := decodeSetting(toml.String(), func(t *table) { is = importance(t.sub("i", true)) })
	if err == nil {
		err = is.Validate()
	}
	return is, flagError(err, func(k string) string {
		for short, long := range importanceKeys {
			if strings.HasSuffix(k, "."+long) {
				return short
			}
		}
		return k
	})
}

// parseInteger parses text as an integer key of a scenario would be read
// (a float with an integral value, such as 1e3, is one).
func parseInteger(text string) (int64, error) {
	if !isNumber(text) {
		return 0, fmt.Errorf("want an integer, got %q", text)
	}
	var v int64
	err := decodeSetting("v = "+text+"\n", func(t *table) { v = t.integer("v", 0, math.MinInt64, math.MaxInt64) })
	return v, flagError(err, func(string) string { return "" })
}

// isNumber reports whether s is one TOML number.
func isNumber(s string) bool {
	if !isNumberToken(s) {
		return false
	}
	p, err := parse("flag", []byte("v = "+s+"\n"))
	if err != nil {
		return false
	}
	switch p.root.kids["v"].val.(type) {
	case int64, float64:
		return true
	}
	return false
}

// isNumberToken reports whether s could be one TOML number (decimal, hex,
// octal or binary integer, float, inf, nan), so that it can be put after
// "KEY = " without starting another value, key or comment.
func isNumberToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// decodeSetting parses data as a scenario fragment and reads it with read.
func decodeSetting(data string, read func(t *table)) error {
	p, err := parse("flag", []byte(data))
	if err != nil {
		return err
	}
	d := &decoder{file: "flag"}
	read(d.table(p.root, ""))
	return errorsOf(d.errs)
}

// flagError turns the errors of decodeSetting into one message without
// the file and line of the fragment: "KEY: MSG" (KEY from key of the
// error's Key, left out when empty), joined by "; ".
func flagError(err error, key func(string) string) error {
	if err == nil {
		return nil
	}
	var list ErrorList
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ErrorList{one}
	default:
		// sim's *FieldError values, joined.
		for _, e := range leafErrors(err) {
			var fe *sim.FieldError
			if !errors.As(e, &fe) {
				return err
			}
			list = append(list, &Error{Key: fe.Key, Msg: fe.Msg})
		}
	}
	msgs := make([]string, len(list))
	for i, e := range list {
		msg := e.Msg
		if k := key(e.Key); k != "" {
			msg = k + ": " + msg
		}
		msgs[i] = msg
	}
	return errors.New(strings.Join(msgs, "; "))
}
