// Package scaletest gives tests the real services a scaled-out LEOC uses:
// the machine's Redis and a MinIO server started per test. Without them a
// test is skipped, except in CI (CI=true), where a missing service is a
// failure: CI installs and starts them (.ci/run).
package scaletest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/redis/go-redis/v9"
)

// missing skips the test, or fails it in CI.
func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// RedisAddr is the Redis server tests use: LEOC_TEST_REDIS_ADDR, or the
// machine's 127.0.0.1:6379.
func RedisAddr() string {
	if a := os.Getenv("LEOC_TEST_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// RedisURL returns a redis:// URL of the test Redis on a random database
// number from 1 to 15, so tests running at the same time rarely share keys
// or channel names (LEOC prefixes both with the number). It never empties a
// database: keys that tests leave expire with their windows.
func RedisURL(t testing.TB) string {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: RedisAddr(), DialTimeout: time.Second})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		missing(t, fmt.Sprintf("no Redis at %s (%v): install redis-server or set LEOC_TEST_REDIS_ADDR", RedisAddr(), err))
	}
	b := make([]byte, 1)
	_, _ = rand.Read(b) // crypto/rand never fails
	return fmt.Sprintf("redis://%s/%d", RedisAddr(), 1+int(b[0])%15)
}

// RandomName is a unique name for keys, buckets and prefixes of one test.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// MinIO is a MinIO server started for one test.
type MinIO struct {
	Endpoint  string // 127.0.0.1:PORT
	AccessKey string
	SecretKey string
}

// MinIOBinary finds the minio server: on PATH, or where go install puts it.
func MinIOBinary() string {
	if p, err := exec.LookPath("minio"); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(os.Getenv("GOPATH"), "bin"), filepath.Join(os.Getenv("HOME"), "go", "bin")} {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, "minio")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// StartMinIO starts `minio server` on a free loopback port with its data
// in a temporary directory, waits until it is ready, and stops it when the
// test ends.
func StartMinIO(t testing.TB) *MinIO {
	t.Helper()
	bin := MinIOBinary()
	if bin == "" {
		missing(t, "no minio binary on PATH or in $GOPATH/bin: go install github.com/minio/minio@latest")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // minio binds it next; a race with another test is unlikely and fails loudly
	m := &MinIO{Endpoint: addr, AccessKey: "leoc-test", SecretKey: RandomName("secret-")}
	dir := t.TempDir()
	cmd := exec.Command(bin, "server", filepath.Join(dir, "data"), "--address", addr, "--console-address", "127.0.0.1:0", "--quiet")
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER="+m.AccessKey, "MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "HOME="+dir)
	logf, err := os.Create(filepath.Join(dir, "minio.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start minio: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // the test is over; its data goes with TempDir
		_ = cmd.Wait()
		_ = logf.Close()
	})
	// Ready means the S3 API answers, not only the health endpoint: a
	// fresh server reports itself healthy a moment before its object layer
	// is up, and answers "Server not initialized yet" until then.
	c, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""), Secure: false})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/minio/health/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("health: %s", resp.Status)
			} else if _, err = c.ListBuckets(context.Background()); err == nil {
				return m
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "minio.log"))
			t.Fatalf("minio at %s not ready after 60 s: %v\n%s", addr, err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Bucket creates a new bucket and returns its name.
func (m *MinIO) Bucket(t testing.TB) string {
	t.Helper()
	c, err := minio.New(m.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, ""), Secure: false})
	if err != nil {
		t.Fatal(err)
	}
	name := RandomName("leoc-")
	if err := c.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	return name
}

// StorageURL is the LEOC_STORAGE_URL of bucket on this server.
func (m *MinIO) StorageURL(bucket string) string {
	return "s3://" + bucket + "?endpoint=" + m.Endpoint + "&secure=false"
}
