package scenarios

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/backlogsim/backlogsim/sim"
)

//go:embed *.toml
var builtinFS embed.FS

// builtinPrefix starts the Source of an embedded scenario.
const builtinPrefix = "builtin:"

// maxExtendsDepth bounds extends chains.
const maxExtendsDepth = 32

// Scenario is a loaded, validated scenario.
type Scenario struct {
	// Model is the simulation model the scenario describes.
	Model *sim.Model
	// Source is the path the scenario was loaded from, or "builtin:NAME"
	// for an embedded scenario.
	Source string
	// Resolved is the scenario after extends has been applied, as TOML:
	// loading it gives the same Model. Defaults are not filled in.
	Resolved []byte
	// Hash is the hex SHA-256 of the raw bytes of the file and of every
	// file it extends, in order from the file to its root ancestor, each
	// preceded by its length as a big-endian uint64.
	Hash string
	// Uncertainty lists the uncertain parameters of the [uncertainty]
	// section, sorted by key.
	Uncertainty []Parameter

	root *node // the resolved key tree without [uncertainty], for With
	// sources are the lines of every file of the extends chain, by source
	// name, for the comments of Assumptions.
	sources map[string][]string
	full    *node // the whole resolved key tree, for ResolvedWith
}

// Builtins returns the names of the embedded scenarios, sorted.
func Builtins() []string {
	entries, _ := fs.ReadDir(builtinFS, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".toml"))
	}
	sort.Strings(names)
	return names
}

// builtin returns an embedded scenario by name ("baseline",
// "baseline.toml" or "builtin:baseline").
func builtin(name string) ([]byte, string, bool) {
	name = strings.TrimPrefix(name, builtinPrefix)
	name = strings.TrimSuffix(name, ".toml")
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, "", false
	}
	data, err := builtinFS.ReadFile(name + ".toml")
	if err != nil {
		return nil, "", false
	}
	return data, builtinPrefix + name, true
}

// Load loads the scenario file at path or, when no such file exists, the
// built-in scenario of that name ("baseline" or "baseline.toml"). Problems
// with the scenario are reported as *Error or, when there are several, as
// ErrorList.
func Load(path string) (*Scenario, error) {
	return LoadContext(context.Background(), path)
}

// LoadContext is Load, giving up with ctx.Err() when ctx is cancelled
// while a file is opened or read (a FIFO or a stalled network file system
// could otherwise block forever). A bare built-in name ("baseline") that
// is also the name of a file in the working directory is refused as
// ambiguous: "./baseline" names the file, "builtin:baseline" the built-in.
func LoadContext(ctx context.Context, path string) (*Scenario, error) {
	resolve := contextResolver(ctx)
	if strings.HasPrefix(path, builtinPrefix) {
		if data, source, ok := builtin(path); ok {
			return LoadBytes(source, data, resolve)
		}
	}
	data, err := readFile(ctx, path)
	if err == nil {
		if _, source, ok := builtin(path); ok && path == strings.TrimPrefix(source, builtinPrefix) {
			return nil, fmt.Errorf("scenarios: %q is both a file and a built-in scenario; write ./%s for the file or %s for the built-in",
				path, path, source)
		}
		return LoadBytes(path, data, resolve)
	}
	if errors.Is(err, fs.ErrNotExist) {
		if data, source, ok := builtin(path); ok {
			return LoadBytes(source, data, resolve)
		}
		return nil, fmt.Errorf("scenarios: no file %s and no built-in scenario of that name (built-ins: %s)",
			path, strings.Join(Builtins(), ", "))
	}
	if ctx.Err() != nil {
		return nil, err // the context's own error, so callers see a cancellation
	}
	return nil, fmt.Errorf("scenarios: %w", err)
}

// maxFileSize bounds the size of a scenario file, so that a path such as
// /dev/zero or a huge file given by mistake fails at once instead of
// exhausting memory. The baseline is about 25 kB.
const maxFileSize = 32 << 20

// readFile reads the regular file at path, refusing anything else (a
// directory, a FIFO, a device) and more than maxFileSize bytes. It returns
// ctx.Err() as soon as ctx is cancelled, even if the open or read blocks:
// they run on their own goroutine, which is abandoned.
func readFile(ctx context.Context, path string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := readRegular(path)
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readRegular does readFile's work, blocking.
func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Check what was opened, not what was looked at: the name may have
	// been replaced meanwhile.
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(path, fi); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB: not a scenario file", path, maxFileSize>>20)
	}
	return data, nil
}

func checkRegular(path string, fi fs.FileInfo) error {
	switch {
	case fi.IsDir():
		return fmt.Errorf("%s is a directory, not a scenario file", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file but %s: not a scenario file", path, describeMode(fi.Mode()))
	case fi.Size() > maxFileSize:
		return fmt.Errorf("%s is larger than %d MiB: not a scenario file", path, maxFileSize>>20)
	}
	return nil
}

// parsed is one file of an extends chain.
type parsed struct {
	source string
	data   []byte
	root   *node
}

// parse decodes one file into a node tree.
func parse(source string, data []byte) (*parsed, error) {
	if err := guard(source, data); err != nil {
		return nil, err
	}
	var v map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&v); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e := &Error{File: source, Line: pe.Position.Line, Key: pe.LastKey, Msg: "syntax error: " + syntaxMessage(pe.Message), Err: err}
			if strings.Contains(pe.Message, "table name") {
				// The parser names the previous section and, for a header
				// cut short by its newline, the next line.
				e.Line, e.Key = headerBefore(data, pe.Position.Line)
			}
			return nil, e
		}
		return nil, &Error{File: source, Msg: err.Error(), Err: err}
	}
	root := buildNode(v, "", source, keyLines(data), 0)
	root.line = 0
	return &parsed{source: source, data: data, root: root}, nil
}

// LoadBytes loads a scenario from data. source names it in errors and in
// Scenario.Source; resolve finds the files it extends (nil means
// DefaultResolver).
func LoadBytes(source string, data []byte, resolve Resolver) (*Scenario, error) {
	if resolve == nil {
		resolve = DefaultResolver
	}
	f, err := parse(source, data)
	if err != nil {
		return nil, err
	}
	chain, err := extendsChain(f, resolve)
	if err != nil {
		return nil, err
	}

	var errs []*Error
	var root *node
	for i := len(chain) - 1; i >= 0; i-- {
		root = mergeRoot(root, chain[i].root, &errs)
	}
	if len(errs) > 0 {
		return nil, errorsOf(errs)
	}
	if _, ok := root.kids["name"]; !ok {
		name := nameFromFile(strings.TrimSuffix(filepath.Base(strings.TrimPrefix(source, builtinPrefix)), ".toml"))
		root.kids["name"] = &node{file: source, val: name}
	}
	modelRoot := without(root, "uncertainty")
	m, err := finishModel(modelRoot, source)
	if err != nil {
		return nil, err
	}
	unc := decoder{file: source}
	params := unc.parseUncertainty(root.kids["uncertainty"], func(k string) (float64, string, bool) {
		v, ok := numberAt(modelRoot, k)
		if !ok {
			return 0, "", false
		}
		return v, lookup(modelRoot, k).file, true
	})
	if errs := append(unc.errs, checkParameters(modelRoot, params, source)...); len(errs) > 0 {
		return nil, errorsOf(errs)
	}

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Scenario %s resolved from %s.\n", strconv.Quote(m.Name), source)
	if err := toml.NewEncoder(&buf).Encode(toValue(withClampedBases(root, params))); err != nil {
		return nil, fmt.Errorf("scenarios: %s: encoding resolved scenario: %w", source, err)
	}
	sources := map[string][]string{}
	for _, f := range chain {
		sources[f.source] = strings.Split(string(f.data), "\n")
	}
	return &Scenario{Model: m, Source: source, Resolved: buf.Bytes(), Hash: chainHash(chain),
		Uncertainty: params, root: modelRoot, full: root, sources: sources}, nil
}

// syntaxMessage turns a message of the TOML parser into the style of the
// other errors: lower case, without a final period.
func syntaxMessage(msg string) string {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	if r, size := utf8.DecodeRuneInString(msg); unicode.IsUpper(r) {
		next, _ := utf8.DecodeRuneInString(msg[size:])
		if !unicode.IsUpper(next) { // keep acronyms such as "TOML"
			msg = string(unicode.ToLower(r)) + msg[size:]
		}
	}
	return msg
}

// nameFromFile turns a file's base name into a scenario name that
// sim.CheckName accepts, for a scenario that does not set name: characters
// a name may not hold become '-', leading dots go and the result is cut to
// sim.MaxNameLength.
func nameFromFile(base string) string {
	s := []byte(base)
	for i, c := range s {
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			s[i] = '-'
		}
	}
	name := strings.TrimLeft(string(s), ".")
	if len(name) > sim.MaxNameLength {
		name = name[:sim.MaxNameLength]
	}
	if name == "" {
		name = "scenario"
	}
	return name
}

// describeMode names the kind of a file that is not regular.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.Type().String() + ")"
}

// headerBefore returns the line (1-based) and text of the last table
// header that starts on line or before it, for a syntax error in a header.
func headerBefore(data []byte, line int) (int, string) {
	lines := strings.Split(string(data), "\n")
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(lines[i]); strings.HasPrefix(t, "[") {
			t = strings.TrimSpace(strings.Trim(t, "[]"))
			if len(t) > 64 {
				t = t[:64] + "..."
			}
			return i + 1, t
		}
	}
	return line, ""
}
