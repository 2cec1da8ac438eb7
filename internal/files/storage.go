// Package files stores uploaded evidence (handover photos, scanned
// documents) and decides what may be stored: the content is checked, never
// the name a browser sent. Storage sits behind a small interface so the
// scale-out work can add an object store (S3/MinIO) next to the local
// directory.
package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// Storage keeps file contents under keys chosen by NewKey.
type Storage interface {
	// Put stores the whole of r under key and returns the bytes written.
	// On error nothing is left under key.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns the contents stored under key; fs.ErrNotExist when there
	// are none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; deleting a missing key is not an error, so a purge
	// can be repeated after a crash.
	Delete(ctx context.Context, key string) error
}

// ErrBadKey is returned for a key NewKey cannot have made.
var ErrBadKey = errors.New("files: bad storage key")

var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// NewKey returns a random storage key: 32 lowercase hex characters, never
// derived from anything a user sent, so no file name can steer where a file
// lands.
func NewKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("files: new key: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Local stores files in a directory on this machine, fanned out two levels
// deep by the key's first characters (ab/cd/abcd…) so no directory grows
// to hundreds of thousands of entries.
type Local struct {
	Dir string
}

var _ Storage = Local{}

func (l Local) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", ErrBadKey
	}
	if l.Dir == "" {
		return "", errors.New("files: no upload directory configured")
	}
	return filepath.Join(l.Dir, key[0:2], key[2:4], key), nil
}

// Put writes to a temporary file in the target directory and renames it
// into place after a sync, so a crash or a failed copy never leaves a
// partial file under the key.
func (l Local) Put(ctx context.Context, key string, r io.Reader) (n int64, err error) {
	p, err := l.path(key)
	if err != nil {
		return 0, err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()           // already failing; the first error is the one to report
			_ = os.Remove(tmp.Name()) // best effort: the temp name is never a key
		}
	}()
	if n, err = io.Copy(tmp, contextReader{ctx, r}); err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	if err = tmp.Sync(); err != nil {
		return 0, fmt.Errorf("files: put %s: sync: %w", key, err)
	}
	if err = tmp.Close(); err != nil {
		return 0, fmt.Errorf("files: put %s: close: %w", key, err)
	}
	if _, statErr := os.Stat(p); statErr == nil {
		err = fmt.Errorf("files: put %s: key exists", key)
		return 0, err
	}
	if err = os.Rename(tmp.Name(), p); err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	return n, nil
}

// Open opens the file stored under key.
func (l Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the file stored under key.
func (l Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// contextReader stops a long copy when the request is cancelled.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
