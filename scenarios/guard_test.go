package scenarios

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestGuardRefusesParserBombs: the small files that made the TOML parser
// take gigabytes or overflow its stack (fatal runtime errors, no recovery)
// are refused before parsing with a FILE:LINE error.
func TestGuardRefusesParserBombs(t *testing.T) {
	for _, test := range []struct {
		name string
		data string
		want string
	}{
		{"10,000 nested inline tables", "a = " + strings.Repeat("{a = ", 10_000) + "1" + strings.Repeat("}", 10_000) + "\n",
			"bomb.toml:1: refused before parsing: more than 32 levels of nested arrays and tables"},
		{"50,000-part dotted key", strings.Repeat("a.", 49_999) + "a = 1\n",
			"bomb.toml:1: refused before parsing: a dotted key of more than 32 parts"},
		{"3,000,000 nested brackets", "name = \"x\"\na = " + strings.Repeat("[", 3_000_000) + "\n",
			"bomb.toml:2: refused before parsing: more than 32 levels of nested arrays and tables"},
		{"deep table header", "[" + strings.Repeat("a.", 40) + "a]\n",
			"bomb.toml:1: refused before parsing: a dotted key of more than 32 parts"},
		{"long quoted key", "\"" + strings.Repeat("k", 300) + "\" = 1\n",
			"bomb.toml:1: refused before parsing: a key longer than 256 bytes"},
		{"too many keys", strings.Repeat("[x]\n", 1) + strings.Repeat("a = 1\n", maxItems+1),
			"refused before parsing: more than 1000000 keys and array elements"},
	} {
		t.Run(test.name, func(t *testing.T) {
			_, err := LoadBytes("bomb.toml", []byte(test.data), nil)
			var e *Error
			if !errors.As(err, &e) || !strings.HasSuffix(err.Error(), test.want) {
				t.Errorf("LoadBytes(%s) = %v; want an *Error ending %q", test.name, err, test.want)
			}
		})
	}
}

// TestGuardAccepts: what the guard lets through is left to the parser:
// strings, comments and arrays that look like keys or brackets do not
// count, and nesting up to the limit passes.
func TestGuardAccepts(t *testing.T) {
	for _, data := range []string{
		"a = \"[[[[{{{{ . . . . \"\n",
		"a = '''\n[[[[\n{{{{\n'''\n",
		"a = \"\"\"\n\\\"[[[[\n\"\"\"\"\"\n",
		"# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
		"a = " + strings.Repeat("[", maxNesting) + strings.Repeat("]", maxNesting) + "\n",
		strings.Repeat("a.", maxKeyParts-1) + "a = 1.5\n",
		"[[contracts]]\nx = [1.5, 2.5, {a.b = 3}]\n[[contracts]]\n",
	} {
		if err := guard("ok.toml", []byte(data)); err != nil {
			t.Errorf("guard(%q) = %v; want nil", data, err)
		}
		var v map[string]any
		if _, err := toml.NewDecoder(bytes.NewReader([]byte(data))).Decode(&v); err != nil {
			t.Errorf("test input %q is not valid TOML: %v", data, err)
		}
	}
	for _, name := range Builtins() {
		data, _, _ := builtin(name)
		if err := guard(name, data); err != nil {
			t.Errorf("guard(built-in %s) = %v; want nil", name, err)
		}
	}
}

// FuzzGuard checks the guard against the parser: whatever the guard lets
// through and the parser decodes is nested no deeper, and has no longer
// keys and no more keys and elements, than the guard's limits allow.
func FuzzGuard(f *testing.F) {
	for _, seed := range []string{
		"a = {b = {c = [1, 2, {d.e = 3}]}}\n",
		"[a.b.c]\nd = 1\n[[e.f]]\ng = 'x'\n",
		"\"a.b\".'c' = \"\"\"\nx\"\"\"\n",
		"a = [[[[[[1]]]]]]\n",
		"a.b.c.d.e = 1\n",
	} {
		f.Add([]byte(seed))
	}
	for _, name := range Builtins() {
		data, _, _ := builtin(name)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if guard("fuzz.toml", data) != nil {
			return
		}
		var v map[string]any
		if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&v); err != nil {
			return
		}
		var st decodedStats
		st.walk(v, 0)
		if limit := (maxNesting + 1) * (maxKeyParts + 1); st.depth > limit {
			t.Errorf("guard accepted %q, which decodes %d levels deep; want at most %d", data, st.depth, limit)
		}
		if st.longestKey > maxKeyBytes {
			t.Errorf("guard accepted %q, whose decoded key is %d bytes; want at most %d", data, st.longestKey, maxKeyBytes)
		}
		if st.items > maxItems*maxKeyParts {
			t.Errorf("guard accepted %q, which decodes to %d keys and elements", data, st.items)
		}
	})
}

// decodedStats measures a decoded TOML value.
type decodedStats struct{ depth, longestKey, items int }

func (s *decodedStats) walk(v any, depth int) {
	s.depth = max(s.depth, depth)
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			s.items++
			s.longestKey = max(s.longestKey, len(k))
			s.walk(x, depth+1)
		}
	case []map[string]any:
		for _, x := range v {
			s.items++
			s.walk(x, depth+1)
		}
	case []any:
		for _, x := range v {
			s.items++
			s.walk(x, depth+1)
		}
	}
}
