package config

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
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

// TestSecretKeyDecodedChecks: the entropy and placeholder checks apply to
// what the key decodes to, not only to the characters typed.
func TestSecretKeyDecodedChecks(t *testing.T) {
	seq := func(start, step byte) []byte {
		b := make([]byte, 32)
		for i := range b {
			b[i] = start + byte(i)*step
		}
		return b
	}
	for name, v := range map[string]string{
		"hex 00 01 02 …":            hex.EncodeToString(seq(0, 1)),
		"base64 00 01 02 …":         base64.StdEncoding.EncodeToString(seq(0, 1)),
		"hex 10 13 16 …":            hex.EncodeToString(seq(0x10, 3)),
		"hex descending":            hex.EncodeToString(seq(0xff, 0xff)),
		"base64url 00 01 02 … 40":   base64.RawURLEncoding.EncodeToString(append(seq(0, 1), seq(32, 1)...)),
		"base64 passphrase secret":  base64.StdEncoding.EncodeToString([]byte("the leoc secret of thalara gaunpalika, 2082")),
		"base64 passphrase CHANGE":  base64.StdEncoding.EncodeToString([]byte("Please ChangeMe before going live in Bajhang")),
		"hex passphrase password":   hex.EncodeToString([]byte("pass-word for the Thalara LEOC server 2082!")),
		"base64 alphabet":           base64.StdEncoding.EncodeToString([]byte("abcdefghijklmnopqrstuvwxyz0123456789")),
		"raw alphabet":              "abcdefghijklmnopqrstuvwxyzABCDEFGH",
		"base64 repeated pattern":   base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x9c, 0x11, 0xe3, 0x42, 0x07, 0xba, 0x5d, 0x68, 0xf0, 0x2e, 0x73}, 4)),
		"base64 qwerty":             base64.StdEncoding.EncodeToString([]byte("qwertyuiop-asdfghjkl-zxcvbnm-1234567890")),
		"raw pass_word passphrase":  "my_pass_word_for_leoc_is_very_long_2082",
		"base64 default passphrase": base64.RawStdEncoding.EncodeToString([]byte("DEFAULT key of the Thalara municipality LEOC")),
	} {
		if key, msg := parseSecretKey(v); msg == "" {
			t.Errorf("%s: accepted (%d bytes)", name, len(key))
		} else if strings.Contains(msg, v) {
			t.Errorf("%s: the message repeats the key", name)
		}
	}
	// Real keys still pass: random bytes, however they are written.
	rng := rand.NewChaCha8([32]byte{20, 82})
	for i := range 2000 {
		b := make([]byte, 32+i%33)
		_, _ = rng.Read(b) // never fails
		for _, v := range []string{hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
			if _, msg := parseSecretKey(v); msg != "" {
				t.Fatalf("random key %q refused: %s", v, msg)
			}
		}
	}
	// A development key file with a sequence is refused too.
	m := newMemFS()
	m.files["/data/secret.key"] = []byte(hex.EncodeToString(seq(0, 1)) + "\n")
	if err := EnsureDevSecret(&Config{Env: Development, DataDir: "/data"}, m.readFile, m.writeFile); err == nil {
		t.Error("a secret.key holding 00 01 02 … was accepted")
	}
}
