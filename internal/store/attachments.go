package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// Attachment is an uploaded file (a handover photo, a scanned document)
// that belongs to one record of a register.
type Attachment struct {
	ID          int64
	Register    string
	RecordID    int64
	Kind        string // photo | document
	Name        string // the file name as uploaded, sanitised, for display only
	ContentType string
	Size        int64
	StorageKey  string // random key in files.Storage, never shown
	SHA256      string // of the stored bytes
	CreatedAt   time.Time
	CreatedBy   string
	DeletedAt   *time.Time // set when an admin purged the stored file
}

// IsImage reports whether the file can be shown in an <img>.
func (a Attachment) IsImage() bool {
	switch a.ContentType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return true
	}
	return false
}

const attachmentColumns = "id, register, record_id, kind, name, content_type, size, storage_key, sha256, created_at, created_by, deleted_at"

func scanAttachment(r rowScanner) (*Attachment, error) {
	var a Attachment
	var deleted nullTimeScan
	if err := r.Scan(&a.ID, &a.Register, &a.RecordID, &a.Kind, &a.Name, &a.ContentType, &a.Size, &a.StorageKey, &a.SHA256,
		&a.CreatedAt, &a.CreatedBy, &deleted); err != nil {
		return nil, err
	}
	if deleted.Valid {
		t := deleted.Time
		a.DeletedAt = &t
	}
	return &a, nil
}

// CreateAttachment records a file already put into storage under
// a.StorageKey. The record must exist and belong to a ward the user may
// write; a locked record still takes evidence (the photo is usually added
// right after the distribution was saved, and saving locks it), but a file
// once attached is never removed through the application. If this fails,
// the caller deletes the stored object, so no row points at a missing file.
func (s *Store) CreateAttachment(ctx context.Context, actor Actor, u *leoc.User, reg Register, a *Attachment) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateAttachment(ctx, actor, u, reg, a) })
}

// CreateAttachment records a stored file inside a larger transaction (the
// legacy import copies the old uploads with their records).
func (t *Tx) CreateAttachment(ctx context.Context, actor Actor, u *leoc.User, reg Register, a *Attachment) error {
	st, err := t.RecordState(ctx, reg, a.RecordID)
	if err != nil {
		return err
	}
	if reg.WardColumn != "" && !u.CanWriteWard(st.Ward) {
		return leoc.Errorf(leoc.EForbidden, "record.other_ward", st.Ward)
	}
	a.Register, a.CreatedAt, a.CreatedBy = reg.Name, t.s.Now(), actor.Username
	err = t.queryRow(ctx, `INSERT INTO attachments (register, record_id, kind, name, content_type, size, storage_key, sha256,
		created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Register, a.RecordID, a.Kind, a.Name, a.ContentType, a.Size, a.StorageKey, a.SHA256, a.CreatedAt, a.CreatedBy).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: create attachment: %w", translate(err))
	}
	return t.Audit(ctx, actor, "file.upload", reg.Name, strconv.FormatInt(a.RecordID, 10), map[string]any{
		"file_id": a.ID, "kind": a.Kind, "name": a.Name, "content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256,
	})
}

// Attachment loads one file that has not been purged.
func (s *Store) Attachment(ctx context.Context, id int64) (*Attachment, error) {
	a, err := scanAttachment(s.queryRow(ctx, "SELECT "+attachmentColumns+" FROM attachments WHERE id = ? AND deleted_at IS NULL", id))
	if err != nil {
		return nil, notFound(err, "file.not_found")
	}
	return a, nil
}

// Attachments lists the files of one record, oldest first.
func (s *Store) Attachments(ctx context.Context, register string, recordID int64) ([]Attachment, error) {
	return s.listAttachments(ctx, "SELECT "+attachmentColumns+
		" FROM attachments WHERE register = ? AND record_id = ? AND deleted_at IS NULL ORDER BY id", register, recordID)
}

// OrphanAttachments lists the files whose record no longer exists, for
// registers plugged into this store. Files of a register that is not
// plugged in are left alone: that is a missing register, not a deleted
// record.
func (s *Store) OrphanAttachments(ctx context.Context) ([]Attachment, error) {
	var out []Attachment
	for _, r := range s.registers {
		list, err := s.listAttachments(ctx, "SELECT "+prefixed("a.", attachmentColumns)+" FROM attachments a WHERE a.register = ?"+
			" AND a.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM "+r.Table+" t WHERE t.id = a.record_id) ORDER BY a.id", r.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (s *Store) listAttachments(ctx context.Context, q string, args ...any) ([]Attachment, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list attachments: %w", err)
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// MarkAttachmentPurged records that the stored object of a file of a
// removed record was deleted. The row stays (name, size, checksum, who
// uploaded it) as history; the purge is audited.
func (s *Store) MarkAttachmentPurged(ctx context.Context, actor Actor, a Attachment) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "UPDATE attachments SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", s.Now(), a.ID); err != nil {
			return fmt.Errorf("store: purge attachment %d: %w", a.ID, err)
		}
		return tx.Audit(ctx, actor, "file.purge", a.Register, strconv.FormatInt(a.RecordID, 10), map[string]any{
			"file_id": a.ID, "name": a.Name, "size": a.Size, "sha256": a.SHA256,
		})
	})
}
