package atomicdir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readTree returns the regular files below dir, keyed by slash-separated
// relative path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := make(map[string]string)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		got[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return got
}

// checkEntries fails unless dir holds exactly the entries names.
func checkEntries(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("listing %s: %v", dir, err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q; want %q", dir, got, names)
	}
}

// checkTree fails unless the files below dir are want.
func checkTree(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	got := readTree(t, dir)
	if len(got) != len(want) {
		t.Errorf("%s holds %d files %v; want %d", dir, len(got), got, len(want))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s/%s = %q (present %v); want %q", dir, name, g, ok, w)
		}
	}
}

func toBytes(files map[string]string) map[string][]byte {
	b := make(map[string][]byte, len(files))
	for k, v := range files {
		b[k] = []byte(v)
	}
	return b
}

// oldFiles is a previous run's output; newFiles the new one's.
func oldFiles() map[string]string {
	return map[string]string{"summary.json": "old", "old-only.txt": "stale", "plots/old.png": "png"}
}

func newFiles() map[string]string {
	return map[string]string{"summary.json": "{}\n", "table.txt": "table", "plots/x.png": "x", "plots/deep/y.svg": "y", "empty": ""}
}

func TestWriteDirNew(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "missing", "parent")
	dir := filepath.Join(parent, "run")
	if err := Write(t.Context(), dir, toBytes(newFiles()), false); err != nil {
		t.Fatalf("Write(%s, files, false): %v", dir, err)
	}
	checkTree(t, dir, newFiles())
	checkEntries(t, parent, "run")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o755 {
		t.Errorf("WriteDir made %s with mode %v; want 0755", dir, got)
	}
}

func TestWriteDirExisting(t *testing.T) {
	for _, test := range []struct {
		name    string
		old     map[string]string // nil: an empty directory
		force   bool
		wantErr string // "" for success
	}{
		{name: "non-empty without force", old: oldFiles(), wantErr: "exists and is not empty; use --force to replace it"},
		{name: "non-empty with force", old: oldFiles(), force: true},
		{name: "empty without force"},
		{name: "empty with force", force: true},
	} {
		t.Run(test.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range test.old {
				path := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := Check(dir, test.force); (err == nil) != (test.wantErr == "") {
				t.Errorf("Check(%s, %v) = %v; want error %q", dir, test.force, err, test.wantErr)
			}
			err := Write(t.Context(), dir, toBytes(newFiles()), test.force)
			if test.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), test.wantErr) || !strings.HasPrefix(err.Error(), "output: ") {
					t.Errorf("Write(%s, files, %v) = %v; want an error containing %q", dir, test.force, err, test.wantErr)
				}
				checkTree(t, dir, test.old)
			} else {
				if err != nil {
					t.Fatalf("Write(%s, files, %v) = %v; want nil", dir, test.force, err)
				}
				checkTree(t, dir, newFiles())
			}
			checkEntries(t, parent, "out")
		})
	}
}

func TestWriteDirNotADirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.WriteFile(dir, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		if err := Check(dir, force); err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("Check(%s, %v) = %v; want a not-a-directory error", dir, force, err)
		}
		if err := Write(t.Context(), dir, toBytes(newFiles()), force); err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("Write(%s, files, %v) = %v; want a not-a-directory error", dir, force, err)
		}
	}
	if data, err := os.ReadFile(dir); err != nil || string(data) != "precious" {
		t.Errorf("WriteDir changed the file %s: %q, %v", dir, data, err)
	}
	checkEntries(t, parent, "out")
}

func TestWriteDirBadNames(t *testing.T) {
	for _, name := range []string{
		"", ".", "/etc/passwd", "../escape", "a/../../escape", "a/../b", "./a", "a//b", "a/", `a\b`, "..",
	} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		files := map[string][]byte{"ok.txt": []byte("ok"), name: []byte("bad")}
		err := Write(t.Context(), dir, files, true)
		if err == nil || !strings.HasPrefix(err.Error(), "output: invalid output file name") {
			t.Errorf("Write(dir, {%q}, true) = %v; want an invalid name error", name, err)
		}
		checkEntries(t, parent)
	}
}

func TestWriteDirBadDir(t *testing.T) {
	for _, dir := range []string{"", ".", "..", "/", "a/.."} {
		if err := Write(t.Context(), dir, toBytes(newFiles()), true); err == nil {
			t.Errorf("Write(%q, files, true) = nil; want an error", dir)
		}
		if err := Check(dir, true); err == nil {
			t.Errorf("Check(%q, true) = nil; want an error", dir)
		}
	}
}

func TestCheckDirPrecious(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{wd, filepath.Dir(wd)} {
		err := Check(dir, true)
		if err == nil || !strings.Contains(err.Error(), "refusing to replace") {
			t.Errorf("Check(%s, true) = %v; want a refusal", dir, err)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if err := Check(home, true); err == nil || !strings.Contains(err.Error(), "refusing to replace") {
			t.Errorf("Check(%s, true) = %v; want a refusal", home, err)
		}
	}
}

func TestWriteDirFailureMidway(t *testing.T) {
	// "a" is written as a file first, then "a/b" cannot be created.
	conflict := map[string][]byte{"a": []byte("file"), "a/b": []byte("under a file"), "z": []byte("z")}

	t.Run("new", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if err := Write(t.Context(), dir, conflict, false); err == nil || !strings.HasPrefix(err.Error(), "output: writing a/b") {
			t.Errorf("Write(dir, conflict, false) = %v; want an error writing a/b", err)
		}
		checkEntries(t, parent)
	})
	t.Run("existing", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "out")
		if err := Write(t.Context(), dir, toBytes(oldFiles()), false); err != nil {
			t.Fatal(err)
		}
		if err := Write(t.Context(), dir, conflict, true); err == nil {
			t.Errorf("Write(dir, conflict, true) = nil; want an error")
		}
		checkTree(t, dir, oldFiles())
		checkEntries(t, parent, "out")
	})
}

func TestWriteDirRelative(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := Write(t.Context(), "out", toBytes(newFiles()), false); err != nil {
		t.Fatalf("Write(out, files, false): %v", err)
	}
	checkTree(t, "out", newFiles())
	if err := Write(t.Context(), "out/", toBytes(oldFiles()), true); err != nil {
		t.Fatalf("Write(out/, files, true): %v", err)
	}
	checkTree(t, "out", oldFiles())
	checkEntries(t, ".", "out")
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "index.csv")
	for _, content := range []string{"one\n", "two\n"} {
		if err := WriteFile(p, []byte(content)); err != nil {
			t.Fatalf("WriteFile(%q) = %v", content, err)
		}
		if got, err := os.ReadFile(p); err != nil || string(got) != content {
			t.Errorf("after WriteFile(%q): file = %q, %v", content, got, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries; want only the file (no temporaries)", len(entries))
	}
}
