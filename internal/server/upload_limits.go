package server

import (
	"net/http"
	"regexp"

	"leoc/internal/files"
	"leoc/internal/leoc"
)

// Upload limits as people meet them: the browser checks a file's size
// against the kind's limit before sending (forms.js reads the data-max-*
// attributes of the file inputs), and a file the server still finds too
// large is answered inside the normal page with the limits and the way back
// to the record, not as a bare 413. JSON clients keep the JSON 413.

// MaxPhotoMB and MaxDocumentMB are LEOC_MAX_PHOTO_MB and
// LEOC_MAX_DOCUMENT_MB, for the upload forms.
func (p *page) MaxPhotoMB() int    { return p.s.cfg.MaxPhotoMB }
func (p *page) MaxDocumentMB() int { return p.s.cfg.MaxDocumentMB }

// MaxBytes is the limit of a kind in bytes, what the browser compares.
func (p *page) MaxBytes(kind string) int64 { return p.s.uploadLimits().Of(kind) }

// uploadPath matches the HTML upload route of any register.
var uploadPath = regexp.MustCompile(`^/([a-z][a-z-]*)/([0-9]+)/files$`)

// fileTooLarge is the refusal of a file over its kind's limit: 413, with
// the limit in the message.
func (s *Server) fileTooLarge(kind string) error {
	m := leoc.M("file.too_large_document", s.cfg.MaxDocumentMB)
	if kind == files.KindPhoto {
		m = leoc.M("file.too_large_photo", s.cfg.MaxPhotoMB)
	}
	return &leoc.Error{Code: leoc.ETooLarge, Message: m, Fields: map[string]leoc.Msg{"file": m}}
}

type uploadTooLargePage struct {
	Message string
	Back    string
}

// renderUploadTooLarge answers a too-large upload from a browser form: the
// error page's status, the normal layout, the limits of both kinds and a
// link back to the record's files. It reports false when r is not an
// upload from a page, so the caller answers as usual.
func (s *Server) renderUploadTooLarge(w http.ResponseWriter, r *http.Request, e *leoc.Error) bool {
	if r.Method != http.MethodPost || wantsJSON(r) {
		return false
	}
	m := uploadPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return false
	}
	if _, ok := s.store.Register(m[1]); !ok {
		return false
	}
	d := &uploadTooLargePage{Message: s.cat.Msg(state(r).lang, e.Message), Back: "/" + m[1] + "/" + m[2] + "#files"}
	s.renderPage(w, r, http.StatusRequestEntityTooLarge, "upload_too_large", d)
	return true
}
