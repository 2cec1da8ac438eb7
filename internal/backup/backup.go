// Package backup writes and reads LEOC's backup archives: one gzipped tar
// holding a consistent snapshot of the database, every stored upload, and a
// manifest with the size and SHA-256 of each, written last so that an
// archive cut short has no manifest and fails verification.
//
// The database snapshot comes first and the files after it: uploads are
// stored before their row commits and are never changed, so every file a
// row of the snapshot names is already there when the files are copied.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"leoc/internal/files"
)

// Format names the archive layout; Read refuses others.
const Format = "leoc-backup/1"

// Names inside the archive.
const (
	ManifestName = "manifest.json"
	SQLiteName   = "database/leoc.db"     // SQLite: the VACUUM INTO copy
	PostgresName = "database/leoc.pgdump" // PostgreSQL: pg_dump --format=custom
	filesDir     = "files/"               // files/<storage key>
)

// Manifest describes an archive.
type Manifest struct {
	Format        string    `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	LEOCVersion   string    `json:"leoc_version"`
	Database      string    `json:"database"` // "sqlite" or "postgres"
	SchemaVersion int       `json:"schema_version"`
	Entries       []Entry   `json:"entries"`
}

// Entry is one file of the archive with its checksum.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Files counts the uploads in the archive.
func (m *Manifest) Files() int {
	n := 0
	for _, e := range m.Entries {
		if strings.HasPrefix(e.Name, filesDir) {
			n++
		}
	}
	return n
}

// Writer writes an archive to a temporary file beside its destination and
// renames it into place only when complete and synced, so a failed or
// interrupted backup never leaves a file that looks like a backup.
type Writer struct {
	dest string
	f    *os.File
	gz   *gzip.Writer
	tw   *tar.Writer
	m    Manifest
	done bool
}

// Create starts an archive at dest, which must not exist.
func Create(dest string, m Manifest) (*Writer, error) {
	if _, err := os.Lstat(dest); err == nil {
		return nil, fmt.Errorf("backup: %s exists; choose a new file name (backups are never overwritten)", dest)
	}
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	m.Format = Format
	gz := gzip.NewWriter(f)
	return &Writer{dest: dest, f: f, gz: gz, tw: tar.NewWriter(gz), m: m}, nil
}

// Add copies r (size bytes) into the archive under name.
func (w *Writer) Add(name string, size int64, r io.Reader) error {
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: w.m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("backup: add %s: %w", name, err)
	}
	h := sha256.New()
	n, err := io.Copy(w.tw, io.TeeReader(r, h))
	if err != nil {
		return fmt.Errorf("backup: add %s: %w", name, err)
	}
	if n != size {
		return fmt.Errorf("backup: add %s: read %d bytes, expected %d", name, n, size)
	}
	w.m.Entries = append(w.m.Entries, Entry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// AddFile copies the file at p into the archive under name.
func (w *Writer) AddFile(name, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return w.Add(name, st.Size(), f)
}

// AddStored copies every stored upload named in keys from storage. A key
// whose file is missing is an error: the backup would not restore the
// record's evidence.
func (w *Writer) AddStored(ctx context.Context, storage files.Storage, keys []string) error {
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.addStored(ctx, storage, k); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) addStored(ctx context.Context, storage files.Storage, key string) error {
	rc, err := storage.Open(ctx, key)
	if err != nil {
		return fmt.Errorf("backup: stored file %s: %w", key, err)
	}
	defer rc.Close()
	// Storage gives a stream; its size comes from spooling it once, so the
	// tar header is right even for an object store without sizes.
	tmp, err := os.CreateTemp("", "leoc-backup-file-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, rc)
	if err != nil {
		return fmt.Errorf("backup: stored file %s: %w", key, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return w.Add(filesDir+key, n, tmp)
}

// Close writes the manifest, syncs, and renames the archive into place.
func (w *Writer) Close() (*Manifest, error) {
	b, err := json.MarshalIndent(w.m, "", " ")
	if err != nil {
		return nil, err
	}
	err = w.tw.WriteHeader(&tar.Header{Name: ManifestName, Mode: 0o600, Size: int64(len(b)), ModTime: w.m.CreatedAt, Typeflag: tar.TypeReg})
	if err == nil {
		_, err = w.tw.Write(b)
	}
	if err == nil {
		err = w.tw.Close()
	}
	if err == nil {
		err = w.gz.Close()
	}
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.f.Name(), w.dest)
	}
	if err != nil {
		os.Remove(w.f.Name())
		return nil, fmt.Errorf("backup: write %s: %w", w.dest, err)
	}
	w.done = true
	syncDir(filepath.Dir(w.dest))
	return &w.m, nil
}

// Abort removes the partial archive; after Close it does nothing.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.f.Close()
	os.Remove(w.f.Name())
	w.done = true
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: the rename is what matters
		d.Close()
	}
}

// Verify reads the whole archive and checks every entry against the
// manifest: same set of names, sizes and SHA-256 sums. It returns the
// manifest of a good archive.
func Verify(file string) (*Manifest, error) {
	return walk(file, nil)
}

// Extract verifies the archive first, then calls fn for every entry but the
// manifest, so nothing is restored from a damaged archive.
func Extract(file string, fn func(name string, size int64, r io.Reader) error) (*Manifest, error) {
	if _, err := walk(file, nil); err != nil {
		return nil, err
	}
	return walk(file, fn)
}

// walk reads the archive once, hashing each entry, optionally handing it to
// fn, and checks the result against the manifest at the end.
func walk(file string, fn func(name string, size int64, r io.Reader) error) (*Manifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("backup: %s is not a LEOC backup (not gzip): %w", file, err)
	}
	tr := tar.NewReader(gz)
	seen := map[string]Entry{}
	var m *Manifest
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("backup: %s is damaged or cut short: %w", file, err)
		}
		name := hdr.Name
		if hdr.Typeflag != tar.TypeReg || !safeName(name) {
			return nil, fmt.Errorf("backup: unexpected entry %q", name)
		}
		if m != nil {
			return nil, fmt.Errorf("backup: entry %q after the manifest", name)
		}
		if name == ManifestName {
			m = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(m); err != nil {
				return nil, fmt.Errorf("backup: manifest: %w", err)
			}
			continue
		}
		if _, dup := seen[name]; dup {
			return nil, fmt.Errorf("backup: entry %q twice", name)
		}
		h := sha256.New()
		var r io.Reader = io.TeeReader(tr, h)
		if fn != nil {
			if err := fn(name, hdr.Size, r); err != nil {
				return nil, err
			}
		}
		if _, err := io.Copy(io.Discard, r); err != nil { // what fn left unread
			return nil, fmt.Errorf("backup: %s is damaged: %w", file, err)
		}
		seen[name] = Entry{Name: name, Size: hdr.Size, SHA256: hex.EncodeToString(h.Sum(nil))}
	}
	if m == nil {
		return nil, fmt.Errorf("backup: %s has no manifest: the backup did not finish, or this is not a LEOC backup", file)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("backup: format %q, this leoc reads %q", m.Format, Format)
	}
	var problems []string
	for _, e := range m.Entries {
		got, ok := seen[e.Name]
		switch {
		case !ok:
			problems = append(problems, "missing "+e.Name)
		case got.Size != e.Size || got.SHA256 != e.SHA256:
			problems = append(problems, fmt.Sprintf("checksum mismatch %s (manifest %d bytes %s, archive %d bytes %s)", e.Name, e.Size, e.SHA256, got.Size, got.SHA256))
		}
		delete(seen, e.Name)
	}
	for name := range seen {
		problems = append(problems, "not in the manifest "+name)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("backup: %s fails verification:\n  %s", file, strings.Join(problems, "\n  "))
	}
	if m.databaseEntry() == "" {
		return nil, fmt.Errorf("backup: %s holds no database", file)
	}
	return m, nil
}

// databaseEntry is the name of the database snapshot the manifest lists.
func (m *Manifest) databaseEntry() string {
	want := SQLiteName
	if m.Database == "postgres" {
		want = PostgresName
	}
	for _, e := range m.Entries {
		if e.Name == want {
			return want
		}
	}
	return ""
}

// safeName refuses absolute paths and .. so extraction stays inside.
func safeName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && path.Clean(name) == name && !strings.HasPrefix(name, "..")
}

// StorageKey returns the storage key of an entry under files/, or "".
func StorageKey(name string) string {
	if k, ok := strings.CutPrefix(name, filesDir); ok {
		return k
	}
	return ""
}
