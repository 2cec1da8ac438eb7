package store

import "context"

// StoredAttachments returns up to limit files whose object is still stored
// (not purged), with id above afterID, in id order: the pages that
// leoc files migrate walks to copy every object to another storage.
func (s *Store) StoredAttachments(ctx context.Context, afterID int64, limit int) ([]Attachment, error) {
	return s.listAttachments(ctx, "SELECT "+attachmentColumns+" FROM attachments WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?", afterID, limit)
}
