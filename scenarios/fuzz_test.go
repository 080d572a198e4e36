package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzResolver resolves extends without touching the disk: built-in names,
// and "minimal.toml" for testdata/minimal.toml, which many seeds extend.
func fuzzResolver(minimal []byte) Resolver {
	return func(from, ref string) ([]byte, string, error) {
		if strings.TrimPrefix(ref, "./") == "minimal.toml" {
			return minimal, "minimal.toml", nil
		}
		if data, source, ok := builtin(ref); ok {
			return data, source, nil
		}
		return nil, "", fmt.Errorf("no built-in scenario %q", ref)
	}
}

// FuzzLoad feeds arbitrary bytes to LoadBytes. It must not panic or hang;
// an accepted scenario must have a model that passes Validate and whose
// resolved form loads to the same model; a rejected one must fail with
// *Error values that name a file, never with the engine's Validate (the
// loader's own checks must catch everything first).
func FuzzLoad(f *testing.F) {
	minimal, err := os.ReadFile(filepath.Join("testdata", "minimal.toml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, pattern := range []string{"testdata/*.toml", "testdata/bad/*.toml", "*.toml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	resolve := fuzzResolver(minimal)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadBytes("fuzz.toml", data, resolve)
		if err != nil {
			checkLoadError(t, data, err)
			return
		}
		if err := s.Model.Validate(); err != nil {
			t.Fatalf("LoadBytes(%q) accepted a model that fails Validate: %v", data, err)
		}
		r, err := LoadBytes("resolved.toml", s.Resolved, resolve)
		if err != nil {
			t.Fatalf("LoadBytes(Resolved of %q) = %v; want no error\nresolved:\n%s", data, err, s.Resolved)
		}
		if !reflect.DeepEqual(r.Model, s.Model) {
			t.Fatalf("LoadBytes(Resolved of %q).Model = %+v; want %+v", data, r.Model, s.Model)
		}
	})
}

// checkLoadError checks the shape of an error of LoadBytes on data.
func checkLoadError(t *testing.T, data []byte, err error) {
	t.Helper()
	var list ErrorList
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ErrorList{one}
	default:
		t.Fatalf("LoadBytes(%q) = %T %v; want *Error or ErrorList", data, err, err)
	}
	for _, e := range list {
		if e.File == "" || e.Msg == "" || e.Line < 0 {
			t.Errorf("LoadBytes(%q) error %#v; want File and Msg set", data, e)
		}
		if strings.HasPrefix(e.Msg, "invalid model: ") {
			t.Errorf("LoadBytes(%q) = %v; want the loader to report the problem with its key", data, e)
		}
	}
}
