package store

import "time"

// Attachment is an uploaded file (a handover photo, a scanned document)
// that belongs to one record of a register.
type Attachment struct {
	ID          int64
	Register    string
	RecordID    int64
	Kind        string // photo | document
	Name        string // the file name as uploaded, for display only
	ContentType string
	Size        int64
	CreatedAt   time.Time
	CreatedBy   string
}
