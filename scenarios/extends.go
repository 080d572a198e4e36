package scenarios

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// A Resolver finds the parent named ref in the extends key of the file
// from (a Source). It returns the parent's contents and its Source, which
// names it in errors and detects cycles.
type Resolver func(from, ref string) (data []byte, source string, err error)

// DefaultResolver resolves ref relative to the directory of from when from
// is a file on disk and that file exists, and as a built-in name otherwise.
// A built-in scenario can only extend built-in scenarios. The directory of
// from is that of the file itself, not of a symbolic link to it.
func DefaultResolver(from, ref string) ([]byte, string, error) {
	return contextResolver(context.Background())(from, ref)
}

// contextResolver is DefaultResolver reading files with readFile(ctx, ...).
func contextResolver(ctx context.Context) Resolver {
	return func(from, ref string) ([]byte, string, error) {
		if !strings.HasPrefix(from, builtinPrefix) && !strings.HasPrefix(ref, builtinPrefix) {
			p := ref
			if !filepath.IsAbs(p) {
				dir := filepath.Dir(from)
				if real, err := filepath.EvalSymlinks(from); err == nil {
					dir = filepath.Dir(real)
				}
				p = filepath.Join(dir, ref)
			}
			data, err := readFile(ctx, p)
			if err == nil {
				return data, p, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, "", err
			}
			if data, source, ok := builtin(ref); ok {
				return data, source, nil
			}
			return nil, "", fmt.Errorf("no file %s and no built-in scenario %q", p, ref)
		}
		if data, source, ok := builtin(ref); ok {
			return data, source, nil
		}
		return nil, "", fmt.Errorf("no built-in scenario %q", ref)
	}
}

// extendsChain returns f and the files it extends, parent after child,
// resolved by resolve. It returns an error naming the extends key of the
// file at fault for a chain that is not a string, too long, cyclic or
// unreadable.
func extendsChain(f *parsed, resolve Resolver) ([]*parsed, error) {
	chain := []*parsed{f}
	seen := map[string]bool{f.source: true}
	for {
		ext, ok := f.root.kids["extends"]
		if !ok {
			break
		}
		ref, isStr := ext.val.(string)
		if !isStr || ext.kind != leafNode {
			return nil, &Error{File: f.source, Line: ext.line, Key: "extends", Msg: "must be a string, got " + describe(ext)}
		}
		if len(chain) >= maxExtendsDepth {
			return nil, &Error{File: f.source, Line: ext.line, Key: "extends",
				Msg: fmt.Sprintf("extends chain longer than %d files", maxExtendsDepth)}
		}
		pdata, psource, err := resolve(f.source, ref)
		if err != nil {
			return nil, &Error{File: f.source, Line: ext.line, Key: "extends",
				Msg: fmt.Sprintf("cannot load parent %q: %v", ref, err), Err: err}
		}
		if seen[psource] {
			names := make([]string, 0, len(chain)+1)
			for _, c := range chain {
				names = append(names, c.source)
			}
			names = append(names, psource)
			return nil, &Error{File: f.source, Line: ext.line, Key: "extends",
				Msg: "extends cycle: " + strings.Join(names, " -> ")}
		}
		seen[psource] = true
		if f, err = parse(psource, pdata); err != nil {
			return nil, err
		}
		chain = append(chain, f)
	}
	return chain, nil
}

// chainHash is the SHA-256 of the files of chain, each preceded by its
// length, in hex: the hash of a scenario as its files were written.
func chainHash(chain []*parsed) string {
	h := sha256.New()
	for _, c := range chain {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(c.data)))
		h.Write(n[:])
		h.Write(c.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}
