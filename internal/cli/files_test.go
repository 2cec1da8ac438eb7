package cli

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func TestFilesPurge(t *testing.T) {
	in := newInstance(t)
	if code, _, errOut := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	ctx := context.Background()
	st := in.openStore()
	err := st.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO event_logs (id, date_bs, date_ad, fiscal_year, type, description, status, created_at, created_by, updated_at, updated_by)
			VALUES (1, '2082-10-15', '2026-01-29', 2082, 'other', 'kept', 'active', '2026-01-29 10:00:00', 'x', '2026-01-29 10:00:00', 'x'),
			       (2, '2082-10-15', '2026-01-29', 2082, 'other', 'removed', 'active', '2026-01-29 10:00:00', 'x', '2026-01-29 10:00:00', 'x')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	storage := files.Local{Dir: filepath.Join(in.dir, "data", "uploads")}
	admin := &leoc.User{Username: "admin1", Role: leoc.RoleAdmin}
	keys := map[int64]string{}
	for _, rec := range []int64{1, 2} {
		key := must.Get(files.NewKey())(t)
		if _, err := storage.Put(ctx, key, strings.NewReader("photo bytes")); err != nil {
			t.Fatal(err)
		}
		a := &store.Attachment{RecordID: rec, Kind: "photo", Name: "handover.jpg", ContentType: "image/jpeg", Size: 11, StorageKey: key, SHA256: "x"}
		if err := st.CreateAttachment(ctx, store.SystemActor, admin, store.EventLogRegister, a); err != nil {
			t.Fatal(err)
		}
		keys[rec] = key
	}
	// Record 2 is removed; its file stays until the purge.
	if err := st.DeleteEventLog(ctx, store.SystemActor, admin, 2); err == nil {
		t.Fatal("deleted a locked record")
	}
	if err := st.WithTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, "DELETE FROM event_logs WHERE id = 2"); return err }); err != nil {
		t.Fatal(err)
	}
	code, out, _ := in.run("", "files", "purge", "--dry-run")
	if code != 0 || !strings.Contains(out, "would remove file 2 of event-logs #2: handover.jpg") {
		t.Fatalf("dry run: %d %s", code, out)
	}
	if _, err := storage.Open(ctx, keys[2]); err != nil {
		t.Fatal("dry run removed the file")
	}
	code, out, errOut := in.run("", "files", "purge")
	if code != 0 || !strings.Contains(out, "removed file 2 of event-logs #2") || !strings.Contains(out, "removed 1 files, 11 bytes") {
		t.Fatalf("purge: %d %s %s", code, out, errOut)
	}
	if _, err := storage.Open(ctx, keys[2]); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("purged file still stored: %v", err)
	}
	if _, err := storage.Open(ctx, keys[1]); err != nil {
		t.Fatalf("kept file gone: %v", err)
	}
	if _, err := st.Attachment(ctx, 2); leoc.ErrorCode(err) != leoc.ENotFound {
		t.Fatalf("purged row still served: %v", err)
	}
	if list := must.Get(st.Attachments(ctx, "event-logs", 1))(t); len(list) != 1 {
		t.Fatalf("kept row: %+v", list)
	}
	entries, _ := must.Get2(st.ListAudit(ctx, store.AuditFilter{Action: "file.purge"}))(t)
	if len(entries) != 1 || entries[0].Username != "cli" || entries[0].EntityID != "2" {
		t.Fatalf("audit: %+v", entries)
	}
	if code, out, _ := in.run("", "files", "purge"); code != 0 || !strings.Contains(out, "nothing to purge") {
		t.Fatalf("second purge: %d %s", code, out)
	}
	if code, _, _ := in.run("", "files", "clean"); code != 2 {
		t.Fatalf("unknown subcommand: %d", code)
	}
}
