package atomicdir

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
)

// The infixes of the siblings Write creates: .DIRNAME.tmp-RANDOM holds the
// new directory while it is written, .DIRNAME.old-RANDOM the previous one
// while it is replaced.
const (
	tmpInfix = ".tmp-"
	oldInfix = ".old-"
)

// Check reports whether Write(ctx, dir, files, force) may write dir: it
// returns a *ConflictError if dir exists and is not a directory, if dir is
// a non-empty directory and force is false, or if replacing dir would
// remove the working or home directory. The command line calls it before
// simulating so that it fails early; Write checks again.
//
// If dir is missing but a write killed between its two renames left the
// previous directory aside as .DIRNAME.old-*, Check first renames it back
// (see Recover), so the check sees the previous directory as it was.
func Check(dir string, force bool) error {
	dir, _, _, err := splitDir(dir)
	if err != nil {
		return err
	}
	if _, err := Recover(dir); err != nil {
		return err
	}
	_, err = checkDir(dir, force)
	return err
}

// A ConflictError reports that an output directory cannot be written as
// asked: it exists and is not a directory, is not empty (without force),
// or contains the working or home directory. It is the caller's mistake,
// not a failure of the file system.
type ConflictError struct {
	Dir string
	Msg string
}

func (e *ConflictError) Error() string { return "output: " + e.Dir + " " + e.Msg }

// checkDir does CheckDir's checks on a cleaned dir and reports whether dir
// exists.
func checkDir(dir string, force bool) (exists bool, err error) {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("output: %w", err)
	case !fi.IsDir():
		return true, &ConflictError{Dir: dir, Msg: "exists and is not a directory"}
	}
	empty, err := isEmptyDir(dir)
	if err != nil {
		return true, err
	}
	if !empty && !force {
		return true, &ConflictError{Dir: dir, Msg: "exists and is not empty; use --force to replace it"}
	}
	if err := checkNotPrecious(dir); err != nil {
		return true, err
	}
	return true, nil
}

// checkNotPrecious returns an error if dir is, or contains, the working
// directory or the user's home directory: replacing it would be a disaster
// no --force should allow.
func checkNotPrecious(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	for _, what := range []struct {
		name string
		get  func() (string, error)
	}{{"working directory", os.Getwd}, {"home directory", os.UserHomeDir}} {
		p, err := what.get()
		if err != nil || p == "" {
			continue // nothing to protect that we know of
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if pathWithin(p, abs) {
			return &ConflictError{Dir: dir, Msg: "contains the " + what.name + ": refusing to replace it"}
		}
	}
	return nil
}

// pathWithin reports whether path p is dir or inside it. Both are absolute.
func pathWithin(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func isEmptyDir(dir string) (bool, error) {
	d, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("output: %w", err)
	}
	defer d.Close()
	_, err = d.Readdirnames(1)
	if err == io.EOF {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("output: reading %s: %w", dir, err)
	}
	return false, nil
}

// splitDir cleans dir and returns it with its parent and base name.
func splitDir(dir string) (clean, parent, base string, err error) {
	if dir == "" {
		return "", "", "", &ConflictError{Dir: `""`, Msg: "cannot be an output directory (empty name)"}
	}
	clean = filepath.Clean(dir)
	base = filepath.Base(clean)
	if base == "." || base == ".." || base == string(filepath.Separator) || filepath.VolumeName(clean)+string(filepath.Separator) == clean {
		return "", "", "", &ConflictError{Dir: dir, Msg: "cannot be an output directory"}
	}
	return clean, filepath.Dir(clean), base, nil
}

// Write writes files into directory dir atomically: afterwards dir holds
// exactly files, or, if Write fails, whatever it held before (if it
// existed). The keys of files are slash-separated relative paths such as
// "summary.json" or "plots/loss.png"; subdirectories are created as needed.
//
// Write writes the files into a fresh directory .DIRNAME.tmp-RANDOM beside
// dir, syncing each file and directory, and renames it to dir. If dir
// already exists it is first renamed aside to .DIRNAME.old-RANDOM and
// removed once the new directory is in place. dir may exist only if it is
// empty or force is true (see Check). A process killed midway can leave a
// .DIRNAME.tmp-* or .DIRNAME.old-* sibling behind, but never a partial dir;
// if it was killed between the two renames, the next Check or Write puts
// the .DIRNAME.old-* directory back (see Recover). The parent of dir is
// created if missing.
//
// Write stops between files when ctx is cancelled, removes what it wrote
// and returns ctx.Err(); once the new directory has been renamed into place
// it finishes. Files are created with mode 0644 and directories 0755, less
// the umask, except dir itself, which gets 0755.
func Write(ctx context.Context, dir string, files map[string][]byte, force bool) error {
	for name := range files {
		if err := checkName(name); err != nil {
			return err
		}
	}
	dir, parent, base, err := splitDir(dir)
	if err != nil {
		return err
	}
	if _, err := Recover(dir); err != nil {
		return err
	}
	if _, err := checkDir(dir, force); err != nil {
		return err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}

	tmp, err := os.MkdirTemp(parent, "."+base+tmpInfix+"*")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := populate(ctx, tmp, files); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	// Check again: dir may have appeared while we were writing.
	exists, err := checkDir(dir, force)
	if err != nil {
		return err
	}
	if !exists {
		if err := os.Rename(tmp, dir); err != nil {
			return renameError(dir, err)
		}
		committed = true
		return syncDir(parent)
	}

	old := filepath.Join(parent, "."+base+oldInfix+rand.Text())
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("output: moving the old %s aside: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("output: %w; the previous output is in %s", errors.Join(err, rerr), old)
		}
		return renameError(dir, err)
	}
	committed = true
	if err := syncDir(parent); err != nil {
		return err
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("output: wrote %s but could not remove the previous output in %s: %w", dir, old, err)
	}
	return nil
}

// renameError reports a failed rename onto dir. Another process that
// created dir (and filled it) since the last check makes the rename fail
// with EEXIST or ENOTEMPTY: that is a conflict, not an I/O failure.
func renameError(dir string, err error) error {
	if errors.Is(err, fs.ErrExist) || errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST) {
		return &ConflictError{Dir: dir, Msg: "exists and is not empty (written by another process meanwhile); use --force to replace it"}
	}
	return fmt.Errorf("output: %w", err)
}

// checkName returns an error unless name is a clean, slash-separated,
// relative path naming something below the output directory.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return fmt.Errorf("output: invalid output file name %q: want a clean relative path with forward slashes and no \"..\"", name)
	}
	return nil
}

// populate writes files into the empty directory root, in sorted order,
// syncing each file and then each directory, deepest first.
func populate(ctx context.Context, root string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	dirs := map[string]bool{root: true}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(root, filepath.FromSlash(name))
		for d := filepath.Dir(path); !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("output: writing %s: %w", name, err)
		}
		if err := writeFileSync(path, files[name]); err != nil {
			return fmt.Errorf("output: writing %s: %w", name, err)
		}
	}
	sorted := make([]string, 0, len(dirs))
	for d := range dirs {
		sorted = append(sorted, d)
	}
	// Longer paths first, so children are synced before their parents.
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, d := range sorted {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs directory dir so that entries created or renamed in it are
// durable. Windows cannot sync directories, so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("output: syncing %s: %w", dir, err)
	}
	return nil
}
