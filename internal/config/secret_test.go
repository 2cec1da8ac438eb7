package config

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// memFS stands in for os.ReadFile and os.WriteFile.
type memFS struct {
	files map[string][]byte
	perm  map[string]fs.FileMode
}

func newMemFS() *memFS { return &memFS{files: map[string][]byte{}, perm: map[string]fs.FileMode{}} }

func (m *memFS) readFile(name string) ([]byte, error) {
	b, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return b, nil
}

func (m *memFS) writeFile(name string, data []byte, perm fs.FileMode) error {
	m.files[name], m.perm[name] = data, perm
	return nil
}

func TestEnsureDevSecretGeneratesThenReuses(t *testing.T) {
	m := newMemFS()
	c := &Config{Env: Development, DataDir: "/data"}
	if err := EnsureDevSecret(c, m.readFile, m.writeFile); err != nil {
		t.Fatal(err)
	}
	if len(c.SecretKey) != 32 || c.SecretKeySource != "generated" {
		t.Fatalf("key %d bytes, source %q", len(c.SecretKey), c.SecretKeySource)
	}
	written := m.files["/data/secret.key"]
	if got := strings.TrimSpace(string(written)); got != hex.EncodeToString(c.SecretKey) {
		t.Errorf("file holds %q, want the key in hex", got)
	}
	if m.perm["/data/secret.key"] != 0o600 {
		t.Errorf("perm = %v, want 0600", m.perm["/data/secret.key"])
	}

	// A restart reads the same key back instead of signing everyone out.
	c2 := &Config{Env: Development, DataDir: "/data"}
	if err := EnsureDevSecret(c2, m.readFile, m.writeFile); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c2.SecretKey, c.SecretKey) || c2.SecretKeySource != "file" {
		t.Errorf("second start: source %q, same key %v", c2.SecretKeySource, bytes.Equal(c2.SecretKey, c.SecretKey))
	}
}

func TestEnsureDevSecretKeepsConfiguredKey(t *testing.T) {
	m := newMemFS()
	c := &Config{Env: Development, DataDir: "/data", SecretKey: []byte(rawKey), SecretKeySource: "env"}
	if err := EnsureDevSecret(c, m.readFile, m.writeFile); err != nil {
		t.Fatal(err)
	}
	if c.SecretKeySource != "env" || len(m.files) != 0 {
		t.Errorf("source %q, files %v", c.SecretKeySource, m.files)
	}
}

func TestEnsureDevSecretErrors(t *testing.T) {
	readErr := errors.New("permission denied")
	tests := []struct {
		name     string
		c        *Config
		readFile func(string) ([]byte, error)
		write    func(string, []byte, fs.FileMode) error
	}{
		{"production", &Config{Env: Production, DataDir: "/d"}, newMemFS().readFile, newMemFS().writeFile},
		{"corrupt file", &Config{DataDir: "/d"}, func(string) ([]byte, error) { return []byte("not hex"), nil }, newMemFS().writeFile},
		{"short file", &Config{DataDir: "/d"}, func(string) ([]byte, error) { return []byte("abcd"), nil }, newMemFS().writeFile},
		{"unreadable", &Config{DataDir: "/d"}, func(string) ([]byte, error) { return nil, readErr }, newMemFS().writeFile},
		{"unwritable", &Config{DataDir: "/d"}, newMemFS().readFile, func(string, []byte, fs.FileMode) error { return fs.ErrPermission }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := EnsureDevSecret(tt.c, tt.readFile, tt.write); err == nil {
				t.Fatal("want error")
			}
			if tt.c.SecretKey != nil {
				t.Error("key set despite error")
			}
		})
	}
}
