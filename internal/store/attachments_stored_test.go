package store_test

import (
	"fmt"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestStoredAttachments pages through the files whose object is stored,
// in id order, leaving out purged ones (what leoc files migrate copies).
func TestStoredAttachments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		admin := &leoc.User{Username: "admin1", Role: leoc.RoleAdmin}
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			for i := range 5 {
				if _, err := tx.Exec(ctx, `INSERT INTO event_logs (id, date_bs, date_ad, fiscal_year, type, description, status, created_at, created_by, updated_at, updated_by)
					VALUES (?, '2082-10-15', '2026-01-29', 2082, 'other', 'x', 'active', '2026-01-29 10:00:00', 'x', '2026-01-29 10:00:00', 'x')`, i+1); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var made []store.Attachment
		for i := range 5 {
			a := &store.Attachment{RecordID: int64(i + 1), Kind: "photo", Name: "p.jpg", ContentType: "image/jpeg", Size: int64(10 + i),
				StorageKey: fmt.Sprintf("%032x", i+1), SHA256: "x"}
			if err := s.CreateAttachment(ctx, store.SystemActor, admin, store.EventLogRegister, a); err != nil {
				t.Fatal(err)
			}
			made = append(made, *a)
		}
		if err := s.MarkAttachmentPurged(ctx, store.SystemActor, made[1]); err != nil {
			t.Fatal(err)
		}
		var got []string
		for after := int64(0); ; {
			page, err := s.StoredAttachments(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			if len(page) > 2 {
				t.Fatalf("page of %d over the limit 2", len(page))
			}
			for _, a := range page {
				got = append(got, a.StorageKey)
				after = a.ID
			}
		}
		want := []string{made[0].StorageKey, made[2].StorageKey, made[3].StorageKey, made[4].StorageKey}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("stored keys %v, want %v (purged one left out)", got, want)
		}
	})
}
