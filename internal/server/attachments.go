package server

import (
	"net/http"

	"leoc/internal/store"
)

// attachmentRoutes are the upload and download routes of evidence files.
func (s *Server) attachmentRoutes() []route { return nil }

// beneficiaryRoutes are the social-security beneficiary register's routes.
func (s *Server) beneficiaryRoutes() []route { return nil }

// attachmentsFor lists the files of one record, for its detail page (the
// "attachments" partial).
func (s *Server) attachmentsFor(r *http.Request, register string, id int64) []store.Attachment {
	return nil
}
