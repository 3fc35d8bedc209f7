package infra

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeTree creates files (path -> content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPackContextHash(t *testing.T) {
	base := map[string]string{"Dockerfile": "FROM x\n", "bin/run": "#!/bin/sh\n", "php/a.ini": "a=1\n"}
	baseHash := func(t *testing.T) string {
		t.Helper()
		_, h, err := packContext(writeTree(t, base))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	want := baseHash(t)
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		same   bool
	}{
		{"same files in another directory", func(t *testing.T, dir string) {}, true},
		{"other modification times", func(t *testing.T, dir string) {
			old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
			if err := os.Chtimes(filepath.Join(dir, "Dockerfile"), old, old); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"one byte changed", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "php/a.ini"), []byte("a=2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file mode changed", func(t *testing.T, dir string) {
			if err := os.Chmod(filepath.Join(dir, "bin/run"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file added", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "extra"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file renamed", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "php/a.ini"), filepath.Join(dir, "php/b.ini")); err != nil {
				t.Fatal(err)
			}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, base)
			tt.change(t, dir)
			_, got, err := packContext(dir)
			if err != nil {
				t.Fatal(err)
			}
			if (got == want) != tt.same {
				t.Errorf("hash %s, base %s: want same=%v", got, want, tt.same)
			}
		})
	}
}

func TestPackContextArchive(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM x\n", "bin/run": "#!/bin/sh\n"})
	gz, _, err := packContext(dir)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !h.ModTime.IsZero() && h.ModTime.Unix() != 0 || h.Uid != 0 || h.Gid != 0 {
			t.Errorf("%s carries time or owner: %v %d %d", h.Name, h.ModTime, h.Uid, h.Gid)
		}
		names = append(names, h.Name)
	}
	want := []string{"Dockerfile", "bin/", "bin/run"}
	if len(names) != len(want) {
		t.Fatalf("entries %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("entry %d: %s, want %s", i, names[i], want[i])
		}
	}
}

func TestPackContextRefuses(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": "FROM x\n"})
	if err := os.Symlink("Dockerfile", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := packContext(dir); err == nil {
		t.Error("a symlink in the build context was accepted")
	}
	if _, _, err := packContext(t.TempDir()); err == nil {
		t.Error("an empty build context was accepted")
	}
}
