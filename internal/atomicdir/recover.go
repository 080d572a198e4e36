package atomicdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Recover puts back a directory that a killed Write left aside: if dir is
// missing and its parent holds .DIRNAME.old-* directories (Write renames
// the previous dir there just before renaming the new one into place), it
// renames the most recently modified of them to dir and returns its former
// path. It returns "" when there was nothing to recover. Check and Write
// call it, so that the name dir is never left empty by an interruption.
func Recover(dir string) (string, error) {
	dir, parent, base, err := splitDir(dir)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		return "", nil // dir exists (or cannot be examined: checkDir reports it)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return "", nil // no parent: nothing to recover
	}
	prefix := "." + base + oldInfix
	var newest string
	var newestInfo fs.FileInfo
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		if newestInfo == nil || fi.ModTime().After(newestInfo.ModTime()) {
			newest, newestInfo = filepath.Join(parent, e.Name()), fi
		}
	}
	if newest == "" {
		return "", nil
	}
	if err := os.Rename(newest, dir); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return "", nil // dir appeared meanwhile
		}
		return "", fmt.Errorf("output: restoring %s from %s left by an interrupted run: %w", dir, newest, err)
	}
	return newest, syncDir(parent)
}

// WriteFile writes data to the file path so that readers see either its
// old content or all of the new: it writes and syncs a temporary file in
// the same directory, renames it over path and syncs the directory. The
// directory must exist.
func WriteFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+tmpInfix+"*")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // fails harmlessly once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return syncDir(dir)
}
