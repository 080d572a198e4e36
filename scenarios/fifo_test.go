//go:build unix

package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesFIFO: a FIFO as the scenario, or as a parent through
// extends, is refused at once instead of blocking forever in open.
func TestLoadRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO: %v", err)
	}
	child := filepath.Join(dir, "child.toml")
	if err := os.WriteFile(child, []byte("extends = \"fifo.toml\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, child} {
		done := make(chan error, 1)
		go func() {
			_, err := LoadContext(t.Context(), path)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("Load(%s) = %v; want a not-a-regular-file error", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Load(%s) still blocked after 5s", path)
		}
	}
}

// TestLoadContextCancelled: a cancelled context ends a load at once.
func TestLoadContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := LoadContext(ctx, filepath.Join("testdata", "minimal.toml")); err != context.Canceled {
		t.Errorf("LoadContext(cancelled) = %v; want context.Canceled", err)
	}
}
