package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"

	"leoc/internal/config"
	"leoc/internal/scaletest"
)

// TestS3Storage holds the S3 storage to Local's contract against a real
// MinIO server: round trip, keys never paths, no overwrite, repeatable
// delete, a missing key is fs.ErrNotExist, and a failed upload leaves
// nothing under its key.
func TestS3Storage(t *testing.T) {
	ctx := context.Background()
	m := scaletest.StartMinIO(t)
	bucket := m.Bucket(t)
	st, err := OpenS3URL(m.StorageURL(bucket), m.AccessKey, m.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	key, _ := NewKey()
	big := make([]byte, 7<<20+123) // crosses no part boundary but is no toy either
	_, _ = rand.Read(big)
	if n, err := st.Put(ctx, key, bytes.NewReader(big)); err != nil || n != int64(len(big)) {
		t.Fatalf("put: %d %v", n, err)
	}
	rc, err := st.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("read back %d bytes (%v), want the %d put", len(got), err, len(big))
	}
	if n, err := st.Size(ctx, key); err != nil || n != int64(len(big)) {
		t.Fatalf("size %d %v", n, err)
	}
	for _, bad := range []string{"../../etc/passwd", "", "ABCDEF0123456789ABCDEF0123456789", key + "/x"} {
		if _, err := st.Put(ctx, bad, strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
			t.Errorf("put %q: %v", bad, err)
		}
		if _, err := st.Open(ctx, bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("open %q: %v", bad, err)
		}
	}
	if _, err := st.Put(ctx, key, strings.NewReader("other")); err == nil {
		t.Fatal("overwrote a key")
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := st.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("open deleted: %v", err)
	}
	// A reader that fails half-way, and a cancelled request, leave nothing.
	key2, _ := NewKey()
	if _, err := st.Put(ctx, key2, &failingReader{n: 100 << 10}); err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	key3, _ := NewKey()
	if _, err := st.Put(cctx, key3, strings.NewReader("x")); err == nil {
		t.Fatal("put with a cancelled context succeeded")
	}
	for _, k := range []string{key2, key3} {
		if _, err := st.Open(ctx, k); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("partial object %s readable: %v", k, err)
		}
	}
}

func TestS3StorageRefusesMissingBucketAndBadKeys(t *testing.T) {
	m := scaletest.StartMinIO(t)
	if _, err := OpenS3URL(m.StorageURL("no-such-bucket"), m.AccessKey, m.SecretKey); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
	bucket := m.Bucket(t)
	if _, err := OpenS3URL(m.StorageURL(bucket), m.AccessKey, "wrong-secret-key"); err == nil {
		t.Error("wrong secret key accepted")
	}
	cfg := &config.Config{UploadDir: t.TempDir()}
	if st, err := OpenStorage(cfg); err != nil || st != (Local{Dir: cfg.UploadDir}) {
		t.Errorf("no LEOC_STORAGE_URL: %v %v", st, err)
	}
}
