package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/backlogsim/backlogsim/internal/atomicdir"
	"github.com/backlogsim/backlogsim/sim"
)

// Shard files (see FORMAT.md, "Shard files").

// ShardFormatVersion is the version of the shard file layout this build
// writes and the only one it reads.
const ShardFormatVersion = 1

// shardMagic starts every shard file.
const shardMagic = "backlogsim shard\n"

// ShardHeader describes a shard file: which run it belongs to and which
// part of it it holds. Every shard of a run has the same header but for
// Index, First and ShardPaths.
type ShardHeader struct {
	// Command is the command that wrote the shard: "run", "compare",
	// "sweep" or "sensitivity".
	Command string `json:"command"`
	// Version is the backlogsim version that wrote it; shards of one run
	// must come from the same version.
	Version string `json:"version"`
	// Index is this shard's number, 0 to Shards−1.
	Index  int `json:"index"`
	Shards int `json:"shards"`
	// Paths is the run's total number of paths, Seed its seed, Summary
	// "exact" or "streaming".
	Paths   int    `json:"paths"`
	Seed    uint64 `json:"seed"`
	Summary string `json:"summary"`
	// First and ShardPaths are the paths this shard simulated.
	First      int `json:"first"`
	ShardPaths int `json:"shard_paths"`
	// Cases are the scenarios simulated, in order: one for run, the base
	// and its cases for compare.
	Cases []ShardCase `json:"cases"`
	// NoPlots is the -no-plots flag of the command that wrote the shard.
	NoPlots bool `json:"no_plots"`
	// Study holds the settings of a sweep or sensitivity study, or of run
	// -parameter-sets, as JSON: every shard of one run must carry the same
	// bytes. Empty for a plain run or compare.
	Study string `json:"study,omitempty"`
	// Items and ItemFirst are the study's units of work (sweep points,
	// tornado parameters then Sobol cases) and the first of them this
	// shard computed; ShardItems is how many.
	Items      int `json:"items,omitempty"`
	ItemFirst  int `json:"item_first,omitempty"`
	ShardItems int `json:"shard_items,omitempty"`
}

// ShardCase is one scenario of a sharded run, with everything needed to
// rebuild its model.
type ShardCase struct {
	// Folder is the case's output folder (compare), or empty.
	Folder         string `json:"folder,omitempty"`
	Scenario       string `json:"scenario"`
	ScenarioSource string `json:"scenario_source"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Resolved is the scenario as TOML after extends (see
	// scenarios.Scenario.Resolved); Sampling the variance reduction the
	// run used, which flags may have changed.
	Resolved string       `json:"resolved"`
	Sampling sim.Sampling `json:"sampling"`
	// ModelSHA256 is the hex SHA-256 of the model's gob encoding: merge
	// rebuilds the model from Resolved and checks it against this.
	ModelSHA256 string `json:"model_sha256"`
}

// ModelSHA256 returns the hex SHA-256 of m's gob encoding, which
// identifies the model exactly (Model has no maps, so the encoding is
// deterministic).
func ModelSHA256(m *sim.Model) (string, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m); err != nil {
		return "", fmt.Errorf("output: encoding the model: %w", err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(buf.Bytes())), nil
}

// WriteShard writes a shard file holding h and the states of its cases, in
// the order of h.Cases, to path, atomically: a temporary file in the same
// directory, synced and renamed over path, so that path never holds a
// partial shard. Without force it refuses to replace an existing file.
func WriteShard(path string, h ShardHeader, states []*sim.Shard, force bool) error {
	if len(states) != len(h.Cases) {
		return fmt.Errorf("output: shard: %d states for %d cases", len(states), len(h.Cases))
	}
	return WriteShardBody(path, h, states, force)
}

// WriteShardBody writes a shard file as WriteShard does, with body (any
// value encoding/gob can encode: a study's part of the results) as its
// state.
func WriteShardBody(path string, h ShardHeader, body any, force bool) error {
	if err := CheckShardPath(path, force); err != nil {
		return err
	}
	header, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("output: shard header: %w", err)
	}
	var state bytes.Buffer
	if err := gob.NewEncoder(&state).Encode(body); err != nil {
		return fmt.Errorf("output: shard state: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(shardMagic)
	binary.Write(&buf, binary.BigEndian, uint32(ShardFormatVersion))
	binary.Write(&buf, binary.BigEndian, uint32(len(header)))
	buf.Write(header)
	binary.Write(&buf, binary.BigEndian, uint64(state.Len()))
	buf.Write(state.Bytes())
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return atomicdir.WriteFile(path, buf.Bytes()) // a temporary name starting with a dot: a killed write leaves nothing "*.shard" matches
}

// CheckShardPath reports an error if a shard file cannot be written to
// path: it is a directory, or it exists and force is false.
func CheckShardPath(path string, force bool) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return nil
	case fi.IsDir():
		return fmt.Errorf("output: %s is a directory; -out names the shard file", path)
	case !force:
		return fmt.Errorf("output: %s exists; use -force to replace it", path)
	}
	return nil
}

// ErrCorruptShard marks a file that is not a complete, intact shard file.
var ErrCorruptShard = errors.New("not a complete shard file")

// maxShardHeader bounds a shard header's length.
const maxShardHeader = 64 << 20

// ReadShard reads the shard file at path. It checks the magic, the format
// version and the SHA-256 of the whole file before it decodes anything,
// so a truncated, partial or altered file is an error wrapping
// ErrCorruptShard, never a state. With states false it decodes only the
// header.
func ReadShard(path string, states bool) (ShardHeader, []*sim.Shard, error) {
	if !states {
		h, err := ReadShardBody(path, nil)
		return h, nil, err
	}
	var out []*sim.Shard
	h, err := ReadShardBody(path, &out)
	if err != nil {
		return h, nil, err
	}
	if len(out) != len(h.Cases) {
		return h, nil, fmt.Errorf("output: %s: %w: %d states for %d cases", path, ErrCorruptShard, len(out), len(h.Cases))
	}
	return h, out, nil
}

// ReadShardBody reads the shard file at path as ReadShard does and decodes
// its state into body (a pointer to the type WriteShardBody was given), or
// only the header if body is nil.
func ReadShardBody(path string, body any) (ShardHeader, error) {
	var h ShardHeader
	data, err := os.ReadFile(path)
	if err != nil {
		return h, fmt.Errorf("output: %w", err)
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("output: %s: %w: %s", path, ErrCorruptShard, fmt.Sprintf(format, args...))
	}
	if !bytes.HasPrefix(data, []byte(shardMagic)) {
		return h, corrupt("it does not start with %q", shardMagic)
	}
	rest := data[len(shardMagic):]
	if len(rest) < 4+4+8+sha256.Size {
		return h, corrupt("only %d bytes (truncated)", len(data))
	}
	if v := binary.BigEndian.Uint32(rest); v != ShardFormatVersion {
		return h, fmt.Errorf("output: %s: shard format version %d; this backlogsim reads version %d", path, v, ShardFormatVersion)
	}
	content, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(content); !bytes.Equal(got[:], sum) {
		return h, corrupt("SHA-256 mismatch (truncated or altered)")
	}
	rest = content[len(shardMagic)+4:]
	hlen := uint64(binary.BigEndian.Uint32(rest))
	rest = rest[4:]
	if hlen > maxShardHeader || hlen+8 > uint64(len(rest)) {
		return h, corrupt("header length %d beyond the file", hlen)
	}
	if err := json.Unmarshal(rest[:hlen], &h); err != nil {
		return h, corrupt("header: %v", err)
	}
	rest = rest[hlen:]
	slen := binary.BigEndian.Uint64(rest)
	rest = rest[8:]
	if slen != uint64(len(rest)) {
		return h, corrupt("state length %d, but %d bytes follow", slen, len(rest))
	}
	if body == nil {
		return h, nil
	}
	if err := gob.NewDecoder(bytes.NewReader(rest)).Decode(body); err != nil {
		return h, corrupt("state: %v", err)
	}
	return h, nil
}
