package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/notify"
	"leoc/internal/redisconn"
	"leoc/internal/scaletest"
	"leoc/internal/store"
)

// TestFilesMigrateToS3 moves the files of an instance from its upload
// directory into a real MinIO bucket: every byte arrives, a second run copies
// nothing, a file missing on disk is named and fails the run, a missing
// bucket is refused, and files purge works on the bucket afterwards.
func TestFilesMigrateToS3(t *testing.T) {
	m := scaletest.StartMinIO(t)
	bucket := m.Bucket(t)
	url := m.StorageURL(bucket)
	in := newInstance(t, "LEOC_S3_ACCESS_KEY="+m.AccessKey, "LEOC_S3_SECRET_KEY="+m.SecretKey)
	in.migrate()
	ctx := context.Background()
	st := in.openStore()
	err := st.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO event_logs (id, date_bs, date_ad, fiscal_year, type, description, status, created_at, created_by, updated_at, updated_by)
			VALUES (1, '2082-10-15', '2026-01-29', 2082, 'other', 'with files', 'active', '2026-01-29 10:00:00', 'x', '2026-01-29 10:00:00', 'x')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	local := files.Local{Dir: filepath.Join(in.dir, "data", "uploads")}
	admin := &leoc.User{Username: "admin1", Role: leoc.RoleAdmin}
	contents := map[string][]byte{}
	for i := range 3 {
		key, _ := files.NewKey()
		data := make([]byte, 1000+i*300_000)
		_, _ = rand.Read(data)
		if _, err := local.Put(ctx, key, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		a := &store.Attachment{RecordID: 1, Kind: "photo", Name: "handover.jpg", ContentType: "image/jpeg", Size: int64(len(data)), StorageKey: key, SHA256: "x"}
		if err := st.CreateAttachment(ctx, store.SystemActor, admin, store.EventLogRegister, a); err != nil {
			t.Fatal(err)
		}
		contents[key] = data
	}
	st.Close()

	if code, _, errOut := in.run("", "files", "migrate"); code != 2 || !strings.Contains(errOut, "--to is required") {
		t.Fatalf("without --to: %d %s", code, errOut)
	}
	code, out, errOut := in.run("", "files", "migrate", "--to", url)
	if code != 0 || !strings.Contains(out, "copied 3 files") || !strings.Contains(out, "0 already there") {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	s3, err := files.OpenS3URL(url, m.AccessKey, m.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range contents {
		r, err := s3.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, want) {
			t.Fatalf("object %s: %d bytes, want %d", key, len(got), len(want))
		}
	}
	// Again: nothing to copy.
	if code, out, _ := in.run("", "files", "migrate", "--to", url); code != 0 || !strings.Contains(out, "copied 0 files (0 bytes), 3 already there") {
		t.Fatalf("second run: %d %s", code, out)
	}
	// A file lost from disk is named and fails the run.
	st = in.openStore()
	key, _ := files.NewKey()
	a := &store.Attachment{RecordID: 1, Kind: "document", Name: "lost.pdf", ContentType: "application/pdf", Size: 5, StorageKey: key, SHA256: "x"}
	if err := st.CreateAttachment(ctx, store.SystemActor, admin, store.EventLogRegister, a); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errOut := in.run("", "files", "migrate", "--to", url); code == 0 || !strings.Contains(out, "MISSING file 4 of event-logs #1 (lost.pdf)") || !strings.Contains(errOut, "1 files are missing") {
		t.Fatalf("missing file: %d %s %s", code, out, errOut)
	}
	// A bucket that is not there is refused before anything is read.
	if code, _, errOut := in.run("", "files", "migrate", "--to", m.StorageURL("no-such-bucket")); code == 0 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("missing bucket: %d %s", code, errOut)
	}
	// The purge works on the bucket once the instance uses it.
	in.env = append(in.env, "LEOC_STORAGE_URL="+url)
	if code, out, errOut := in.run("", "files", "purge", "--dry-run"); code != 0 || !strings.Contains(out, "nothing to purge") {
		t.Fatalf("purge with S3: %d %s %s", code, out, errOut)
	}
}

// TestUserCommandsTellTheServers: a command that changes users, tokens or
// sessions tells the servers sharing LEOC_REDIS_URL (notify.Auth), which
// forget who their tokens and sessions belong to.
func TestUserCommandsTellTheServers(t *testing.T) {
	redisURL := scaletest.RedisURL(t)
	in := newInstance(t, "LEOC_REDIS_URL="+redisURL)
	in.migrate()
	conn, err := redisconn.Open(t.Context(), redisURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	bus, err := notify.NewRedis(t.Context(), conn.Client(), conn.Prefix(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close()
	told := make(chan struct{}, 10)
	bus.Subscribe(notify.Auth, func(context.Context) { told <- struct{}{} })
	heard := func(what string) {
		t.Helper()
		select {
		case <-told:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no notice", what)
		}
	}
	if code, _, errs := in.run("a-long-password-1\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, errs)
	}
	heard("user add")
	if code, _, errs := in.run("", "user", "disable", "--username", "ram"); code != 0 {
		t.Fatalf("user disable: %d %s", code, errs)
	}
	heard("user disable")
}
