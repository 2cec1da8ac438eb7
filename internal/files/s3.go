package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"leoc/internal/config"
)

// S3 stores files in an S3-compatible bucket (AWS S3, MinIO, Ceph …), for
// several LEOC servers that share their uploads. Keys are the same 32-hex
// keys as Local's, under the location's prefix.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string
}

var _ Storage = (*S3)(nil)

// NewS3 connects to the bucket of loc with the given key pair. It makes no
// request; Ping checks that the bucket is there and reachable.
func NewS3(loc config.S3Location, accessKey, secretKey string) (*S3, error) {
	c, err := minio.New(loc.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(accessKey, secretKey, ""),
		Secure: loc.Secure,
		Region: loc.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("files: s3 endpoint %s: %w", loc.Endpoint, err)
	}
	return &S3{c: c, bucket: loc.Bucket, prefix: loc.Prefix}, nil
}

// OpenStorage is the storage a configuration names: the S3 bucket of
// LEOC_STORAGE_URL when set, else the local upload directory.
func OpenStorage(cfg *config.Config) (Storage, error) {
	if cfg.StorageURL == "" {
		return Local{Dir: cfg.UploadDir}, nil
	}
	return OpenS3URL(cfg.StorageURL, cfg.S3AccessKey, cfg.S3SecretKey)
}

// OpenS3URL opens an s3:// URL (the LEOC_STORAGE_URL form) and checks the
// bucket exists, so a typo stops the start or the migration at once.
func OpenS3URL(url, accessKey, secretKey string) (*S3, error) {
	loc, msg := config.ParseS3URL(url)
	if msg != "" {
		return nil, errors.New("files: " + msg)
	}
	s, err := NewS3(loc, accessKey, secretKey)
	if err != nil {
		return nil, err
	}
	// minio-go retries a failing request for a while; a start or a migration
	// should say within seconds that the endpoint is wrong.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Ping checks that the bucket exists and the keys may see it (for /ready).
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("files: s3 bucket %s: %w", s.bucket, err)
	}
	if !ok {
		return fmt.Errorf("files: s3 bucket %s does not exist; create it first (docs/scale-out.md)", s.bucket)
	}
	return nil
}

func (s *S3) object(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", ErrBadKey
	}
	return s.prefix + key, nil
}

// Put uploads r under key. S3 makes an object visible only when its upload
// completed, so a failed or cancelled upload leaves nothing under the key.
// An existing key is refused, as Local does.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	obj, err := s.object(key)
	if err != nil {
		return 0, err
	}
	if _, err := s.c.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{}); err == nil {
		return 0, fmt.Errorf("files: put %s: key exists", key)
	} else if !isNotFound(err) {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	// Size unknown (-1): the client streams it in parts, holding one part
	// (16 MiB at most) in memory rather than the whole file.
	info, err := s.c.PutObject(ctx, s.bucket, obj, contextReader{ctx, r}, -1,
		minio.PutObjectOptions{ContentType: "application/octet-stream", PartSize: 16 << 20})
	if err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	return info.Size, nil
}

// Open returns the object under key; fs.ErrNotExist when there is none.
// The existence is checked before returning, since minio's reader would
// otherwise report a missing object only at the first Read.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.object(key)
	if err != nil {
		return nil, err
	}
	o, err := s.c.GetObject(ctx, s.bucket, obj, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	if _, err := o.Stat(); err != nil {
		_ = o.Close() // nothing was read
		if isNotFound(err) {
			return nil, fmt.Errorf("files: open %s: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("files: open %s: %w", key, err)
	}
	return o, nil
}

// Size returns the stored size of key, or fs.ErrNotExist.
func (s *S3) Size(ctx context.Context, key string) (int64, error) {
	obj, err := s.object(key)
	if err != nil {
		return 0, err
	}
	info, err := s.c.StatObject(ctx, s.bucket, obj, minio.StatObjectOptions{})
	if err != nil {
		if isNotFound(err) {
			return 0, fmt.Errorf("files: stat %s: %w", key, fs.ErrNotExist)
		}
		return 0, fmt.Errorf("files: stat %s: %w", key, err)
	}
	return info.Size, nil
}

// Delete removes the object; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	obj, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.c.RemoveObject(ctx, s.bucket, obj, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

func isNotFound(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.StatusCode == http.StatusNotFound || strings.HasPrefix(r.Code, "NoSuch")
}
