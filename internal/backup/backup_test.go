package backup

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, dest string, entries map[string]string) *Manifest {
	t.Helper()
	w, err := Create(dest, Manifest{CreatedAt: time.Now().UTC(), Database: "sqlite", SchemaVersion: 3})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range entries {
		if err := w.Add(name, int64(len(body)), strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteVerifyExtract(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "b.tar.gz")
	write(t, dest, map[string]string{SQLiteName: "database bytes", "files/0123456789abcdef0123456789abcdef": "photo"})
	m, err := Verify(dest)
	if err != nil || m.Files() != 1 || m.SchemaVersion != 3 || m.Format != Format {
		t.Fatalf("verify: %+v %v", m, err)
	}
	got := map[string]string{}
	if _, err := Extract(dest, func(name string, _ int64, r io.Reader) error {
		b, err := io.ReadAll(r)
		got[name] = string(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got[SQLiteName] != "database bytes" || got["files/0123456789abcdef0123456789abcdef"] != "photo" {
		t.Fatalf("extracted %v", got)
	}
	if StorageKey("files/abc") != "abc" || StorageKey(SQLiteName) != "" {
		t.Fatal("StorageKey")
	}
	// Never overwritten; nothing partial left behind.
	if _, err := Create(dest, Manifest{}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("Create over an existing backup: %v", err)
	}
	w, err := Create(filepath.Join(dir, "aborted.tar.gz"), Manifest{})
	if err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Fatalf("files left after Abort: %v", left)
	}
}

// rawArchive writes entries (in order) with a manifest that lists only
// listed, to forge archives Verify must refuse.
func rawArchive(t *testing.T, dest string, entries [][2]string, m Manifest) {
	t.Helper()
	f, err := os.Create(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	b, _ := json.Marshal(m)
	for _, e := range append(entries, [2]string{ManifestName, string(b)}) {
		if err := tw.WriteHeader(&tar.Header{Name: e[0], Mode: 0o600, Size: int64(len(e[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	gz.Close()
}

func TestVerifyRefusesForgedArchives(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.tar.gz")
	m := write(t, good, map[string]string{SQLiteName: "db"})
	for name, tc := range map[string]struct {
		entries [][2]string
		m       Manifest
		want    string
	}{
		"extra entry":      {[][2]string{{SQLiteName, "db"}, {"files/x", "y"}}, *m, "not in the manifest files/x"},
		"changed database": {[][2]string{{SQLiteName, "dB"}}, *m, "checksum mismatch"},
		"missing database": {nil, *m, "missing " + SQLiteName},
		"path escape":      {[][2]string{{"../etc/passwd", "x"}}, *m, "unexpected entry"},
		"other format":     {[][2]string{{SQLiteName, "db"}}, Manifest{Format: "zip/1"}, "format"},
		"no database":      {nil, Manifest{Format: Format, Database: "sqlite"}, "holds no database"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".tar.gz")
		rawArchive(t, p, tc.entries, tc.m)
		if _, err := Verify(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (want %q)", name, err, tc.want)
		}
	}
}
