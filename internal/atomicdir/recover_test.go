package atomicdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// killedBetweenRenames leaves parent as a --force write killed between its
// two renames leaves it: the previous directory renamed aside to
// .out.old-*, no out, and a complete .out.tmp-* beside it.
func killedBetweenRenames(t *testing.T, parent string) {
	t.Helper()
	out := filepath.Join(parent, "out")
	if err := Write(t.Context(), out, toBytes(oldFiles()), false); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out, filepath.Join(parent, ".out.old-KILLED")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(parent, ".out.tmp-KILLED"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestRecoverAfterKilledSwap: a write killed between moving the previous
// directory aside and renaming the new one into place leaves the name
// empty; the next Check or Write restores the previous directory as it
// was, so that without force it is refused (not silently replaced) and
// with force it is replaced and the hidden copy is gone.
func TestRecoverAfterKilledSwap(t *testing.T) {
	t.Run("check", func(t *testing.T) {
		parent := t.TempDir()
		killedBetweenRenames(t, parent)
		out := filepath.Join(parent, "out")
		var ce *ConflictError
		if err := Check(out, false); !errors.As(err, &ce) {
			t.Errorf("Check(out, false) after a killed swap = %v; want a *ConflictError (previous output restored, not empty)", err)
		}
		checkTree(t, out, oldFiles())
		checkEntries(t, parent, ".out.tmp-KILLED", "out")
	})
	t.Run("write without force", func(t *testing.T) {
		parent := t.TempDir()
		killedBetweenRenames(t, parent)
		out := filepath.Join(parent, "out")
		if err := Write(t.Context(), out, toBytes(newFiles()), false); err == nil {
			t.Errorf("Write(out, new, false) after a killed swap = nil; want the restored previous output refused")
		}
		checkTree(t, out, oldFiles())
	})
	t.Run("write with force", func(t *testing.T) {
		parent := t.TempDir()
		killedBetweenRenames(t, parent)
		out := filepath.Join(parent, "out")
		if err := Write(t.Context(), out, toBytes(newFiles()), true); err != nil {
			t.Fatalf("Write(out, new, true) after a killed swap = %v", err)
		}
		checkTree(t, out, newFiles())
		checkEntries(t, parent, ".out.tmp-KILLED", "out")
	})
	t.Run("nothing to recover", func(t *testing.T) {
		parent := t.TempDir()
		if got, err := Recover(filepath.Join(parent, "out")); got != "" || err != nil {
			t.Errorf("Recover(missing) = %q, %v; want \"\", nil", got, err)
		}
		if err := os.Mkdir(filepath.Join(parent, ".other.old-x"), 0o755); err != nil {
			t.Fatal(err)
		}
		if got, err := Recover(filepath.Join(parent, "out")); got != "" || err != nil {
			t.Errorf("Recover(out) beside another folder's .old = %q, %v; want \"\", nil", got, err)
		}
	})
}

// TestWriteCancelled: a cancelled context stops Write before anything is
// in place and leaves the previous directory as it was.
func TestWriteCancelled(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	if err := Write(t.Context(), out, toBytes(oldFiles()), false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Write(ctx, out, toBytes(newFiles()), true); !errors.Is(err, context.Canceled) {
		t.Errorf("Write(cancelled, out, new, true) = %v; want context.Canceled", err)
	}
	checkTree(t, out, oldFiles())
	checkEntries(t, parent, "out")
}

// TestConflictErrors: every refusal that is the caller's doing is a
// *ConflictError, so that the command line can exit 2 for it.
func TestConflictErrors(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(parent, "full")
	if err := Write(t.Context(), full, toBytes(oldFiles()), false); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	for _, test := range []struct {
		dir   string
		force bool
		want  string
	}{
		{file, true, "not a directory"},
		{full, false, "not empty"},
		{filepath.Dir(wd), true, "contains the working directory"},
	} {
		err := Write(t.Context(), test.dir, toBytes(newFiles()), test.force)
		var ce *ConflictError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), test.want) {
			t.Errorf("Write(%s, force %v) = %v; want a *ConflictError saying %q", test.dir, test.force, err, test.want)
		}
	}
}
