package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantPrefix starts the comment lines at the top of a corpus file that give
// the exact error it must produce, one line per problem.
const wantPrefix = "# want: "

// corpusWant returns the expected error of a file of testdata/bad: its
// leading "# want: " lines joined by newlines.
func corpusWant(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		msg, ok := strings.CutPrefix(line, wantPrefix)
		if !ok {
			break
		}
		want = append(want, msg)
	}
	if len(want) == 0 {
		t.Fatalf("%s: no %q line at the top", path, strings.TrimSpace(wantPrefix))
	}
	return strings.Join(want, "\n")
}

// TestBadCorpus loads every malformed scenario in testdata/bad and checks
// that it fails with exactly the error its "# want:" lines give. Cases that
// need a whole world extend testdata/corpus_base.toml, a frozen copy of the
// baseline, never the built-in baseline: editing the baseline must not move
// the line numbers and indices their errors name.
//
// It checks the error is an
// *Error or an ErrorList whose entries name a file.
func TestBadCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Errorf("testdata/bad holds %d cases; want at least 40", len(files))
	}
	for _, path := range files {
		path = filepath.ToSlash(path)
		t.Run(strings.TrimSuffix(filepath.Base(path), ".toml"), func(t *testing.T) {
			want := corpusWant(t, path)
			s, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%q) = %q, nil; want error %q", path, s.Model.Name, want)
			}
			if got := err.Error(); got != want {
				t.Errorf("Load(%q) = %q; want %q", path, got, want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Load(%q) returned %T; want *Error or ErrorList", path, err)
			}
			if e.File == "" || e.Msg == "" {
				t.Errorf("Load(%q) = %#v; want File and Msg set", path, e)
			}
		})
	}
}

// TestSuggest checks the "did you mean" hints for unknown keys.
func TestSuggest(t *testing.T) {
	known := map[string]bool{"cash": true, "revenue": true, "funding": true, "seed": true, "suppliers": true, "idio_dof": true}
	for _, tt := range []struct{ key, want string }{
		{"cahs", "cash"},
		{"sede", "seed"},
		{"fundng", "funding"},
		{"supplier", "suppliers"},
		{"idio-dof", "idio_dof"},
		{"revenu", "revenue"},
		{"pd", ""},
		{"burn", ""},
		{"colour", ""},
		{"", ""},
	} {
		if got := suggest(tt.key, known); got != tt.want {
			t.Errorf("suggest(%q) = %q; want %q", tt.key, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"cash", "cash", 0},
		{"", "abc", 3},
		{"cahs", "cash", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSyntaxMessage(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Key 'a' has already been defined.", "key 'a' has already been defined"},
		{"expected value but found '\\n' instead", "expected value but found '\\n' instead"},
		{"TOML is hard.", "TOML is hard"},
		{"", ""},
	} {
		if got := syntaxMessage(tt.in); got != tt.want {
			t.Errorf("syntaxMessage(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestReadFileLimits: a device that never ends and a directory fail at
// once with a clear error instead of hanging or exhausting memory.
func TestReadFileLimits(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Load(%q) = %v; want an error saying it is a directory", dir, err)
	}
	big := filepath.Join(dir, "big.toml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxFileSize + 1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than 32 MiB") {
		t.Errorf("Load(%s of %d bytes) = %v; want an error about its size", big, maxFileSize+1, err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		src := "extends = \"/dev/zero\"\n"
		_, err := LoadBytes(filepath.Join(dir, "x.toml"), []byte(src), nil)
		if err == nil || !strings.Contains(err.Error(), "/dev/zero is not a regular file but a character device") {
			t.Errorf("LoadBytes(%q) = %v; want an error saying the parent is a device", src, err)
		}
	}
}
