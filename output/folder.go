package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// The layout of a run's output folder: summary.json, summary.csv,
// manifest.json and, unless plots were skipped, report.html and plots/.
// manifest.json lists every other file with its SHA-256 (Manifest.Files),
// so that a folder can be read back and checked: ReadFolder tells a
// complete run from a damaged one and either from a folder backlogsim did
// not write.

// File names of a run's output folder.
const (
	SummaryJSONFile = "summary.json"
	SummaryCSVFile  = "summary.csv"
	ManifestFile    = "manifest.json"
	ReportFile      = "report.html"
)

// SealFolder completes files, the contents of a run's output folder, with
// manifest.json: m with Files set to the SHA-256 of every file in files.
func SealFolder(files map[string][]byte, m Manifest) error {
	if _, ok := files[ManifestFile]; ok {
		return fmt.Errorf("output: files already hold %s", ManifestFile)
	}
	m.Files = make(map[string]string, len(files))
	for name, data := range files {
		sum := sha256.Sum256(data)
		m.Files[name] = hex.EncodeToString(sum[:])
	}
	data, err := ManifestJSON(m)
	if err != nil {
		return err
	}
	files[ManifestFile] = data
	return nil
}

// FolderState says what an output folder holds.
type FolderState int

const (
	// FolderMissing: there is no such folder.
	FolderMissing FolderState = iota
	// FolderEmpty: an empty directory.
	FolderEmpty
	// FolderComplete: a manifest.json listing every other file, each
	// present with the recorded SHA-256, and nothing else.
	FolderComplete
	// FolderDamaged: a readable manifest.json and otherwise only files it
	// lists, but some are missing or changed: a run's folder that is no
	// longer whole, safe to replace.
	FolderDamaged
	// FolderForeign: anything else, such as a folder of the user's own
	// files or an unreadable manifest: not to be replaced without --force.
	FolderForeign
)

// Folder is an output folder read back.
type Folder struct {
	State FolderState
	// Manifest is the folder's manifest, when State is FolderComplete or
	// FolderDamaged.
	Manifest Manifest
	// Why says, for FolderDamaged and FolderForeign, what is wrong.
	Why string
}

// ReadFolder reads the output folder dir back and says what it holds. It
// returns an error only when dir cannot be examined at all; a file that
// is not a directory is FolderForeign.
func ReadFolder(dir string) (*Folder, error) {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &Folder{State: FolderMissing}, nil
	case err != nil:
		return nil, fmt.Errorf("output: %w", err)
	case !fi.IsDir():
		return &Folder{State: FolderForeign, Why: "not a directory"}, nil
	}
	present, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(present) == 0 {
		return &Folder{State: FolderEmpty}, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return &Folder{State: FolderForeign, Why: "no readable " + ManifestFile}, nil
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Files == nil {
		return &Folder{State: FolderForeign, Why: ManifestFile + " is not a backlogsim manifest listing the folder's files"}, nil
	}
	f := &Folder{State: FolderComplete, Manifest: m}
	for _, name := range present {
		if _, listed := m.Files[name]; !listed && name != ManifestFile {
			return &Folder{State: FolderForeign, Why: fmt.Sprintf("%s is not one of the files %s lists", name, ManifestFile)}, nil
		}
	}
	names := make([]string, 0, len(m.Files))
	for name := range m.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			f.State, f.Why = FolderDamaged, name+" is missing or unreadable"
			break
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != m.Files[name] {
			f.State, f.Why = FolderDamaged, name+" has changed since it was written"
			break
		}
	}
	return f, nil
}

// listFiles returns the slash-separated paths of the entries below dir
// that are not directories.
func listFiles(dir string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("output: reading %s: %w", dir, err)
	}
	return names, nil
}
