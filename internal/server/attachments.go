package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Evidence files: upload to a record, download, the list on a detail page.
//
// The content decides everything (files.Check); the name a browser sent is
// only shown. The stored object is written before the row and deleted again
// when the row cannot be written, so a row never points at a missing file
// and a refused upload leaves nothing behind. Files may be added to a locked
// record (evidence typically follows the save, which locks), but there is no
// route to delete one: files go only when an admin purges those of removed
// records (leoc files purge).

// attachmentRoutes are the upload and download routes of evidence files.
// Uploads are routed per register (a "{register}" wildcard would clash
// with the registers' own routes in the mux).
func (s *Server) attachmentRoutes() []route {
	return []route{
		{pattern: "POST /api/v1/distributions/{id}/files", access: authenticated, perm: leoc.PermWriteRecords, h: s.apiUploadTo("distributions")},
		{pattern: "POST /distributions/{id}/files", access: authenticated, perm: leoc.PermWriteRecords, h: s.uploadFormTo("distributions")},
		{pattern: "GET /api/v1/files/{id}", access: authenticated, perm: leoc.PermRead, h: s.serveFile},
		{pattern: "GET /files/{id}", access: authenticated, perm: leoc.PermRead, h: s.serveFile},
	}
}

// fileStorage is where evidence is kept. The local upload directory for
// now; the scale-out issue swaps in an object store here.
func (s *Server) fileStorage() files.Storage { return s.storage }

// uploadMemory is how much of a multipart body is held in memory; the rest
// goes to a temporary file that is removed at the end of the request.
const uploadMemory = 1 << 20

type attachmentJSON struct {
	ID          int64  `json:"id"`
	Register    string `json:"register"`
	RecordID    int64  `json:"record_id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
	CreatedAt   string `json:"created_at"`
	CreatedBy   string `json:"created_by"`
}

func toAttachmentJSON(a *store.Attachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, Register: a.Register, RecordID: a.RecordID, Kind: a.Kind, Name: a.Name,
		ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, URL: "/api/v1/files/" + idString(a.ID),
		CreatedAt: a.CreatedAt.Format("2006-01-02T15:04:05Z07:00"), CreatedBy: a.CreatedBy}
}

func (s *Server) apiUploadTo(register string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.upload(r, register)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/files/"+idString(a.ID))
		s.writeJSON(w, r, http.StatusCreated, toAttachmentJSON(a))
	}
}

// uploadFormTo is the HTML twin: back to the record with a flash message.
func (s *Server) uploadFormTo(register string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, err := s.upload(r, register)
		if err != nil {
			e := s.domainError(r, err)
			if e.Code == leoc.EInternal || e.Code == leoc.ENotFound || e.Code == leoc.ETooLarge {
				s.renderError(w, r, e)
				return
			}
			key := e.Message.Key
			if m, ok := e.Fields["file"]; ok {
				key = m.Key
			}
			s.setFlash(w, "error", key)
		} else {
			s.setFlash(w, "success", "file.uploaded")
		}
		s.redirect(w, r, "/"+register+"/"+r.PathValue("id"))
	}
}

// upload runs the whole pipeline: read, check, store, record.
func (s *Server) upload(r *http.Request, register string) (*store.Attachment, error) {
	reg, ok := s.store.Register(register)
	if !ok {
		return nil, leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	kind, name, data, err := s.readUpload(r)
	if err != nil {
		return nil, err
	}
	checked, err := s.files.Check(r.Context(), kind, data)
	if err != nil {
		return nil, s.fileError(r, kind, err)
	}
	key, err := files.NewKey()
	if err != nil {
		return nil, err
	}
	st := s.fileStorage()
	n, err := st.Put(r.Context(), key, bytes.NewReader(checked.Data))
	if err != nil {
		return nil, err
	}
	a := &store.Attachment{RecordID: id, Kind: kind, Name: files.DisplayName(name, checked.ContentType),
		ContentType: checked.ContentType, Size: n, StorageKey: key, SHA256: checked.SHA256}
	if err := s.store.CreateAttachment(r.Context(), actor(r), state(r).user, reg, a); err != nil {
		// The request may have been cancelled; the clean-up must still run.
		if derr := st.Delete(context.WithoutCancel(r.Context()), key); derr != nil {
			s.log.Error("remove stored file after failed insert", "err", derr, "key", key, "request_id", state(r).id)
		}
		return nil, err
	}
	return a, nil
}

// readUpload reads the form values and the whole file (at most the kind's
// limit plus one byte, to tell "too large" from "exactly the limit").
func (s *Server) readUpload(r *http.Request) (kind, name string, data []byte, err error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return "", "", nil, fileInvalid("file.not_multipart")
	}
	if err := r.ParseMultipartForm(uploadMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", nil, err
		}
		return "", "", nil, fileInvalid("file.bad_form")
	}
	defer func() {
		if rerr := r.MultipartForm.RemoveAll(); rerr != nil {
			s.log.Warn("remove multipart temp files", "err", rerr, "request_id", state(r).id)
		}
	}()
	kind = r.FormValue("kind")
	if kind != files.KindPhoto && kind != files.KindDocument {
		return "", "", nil, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{"kind": leoc.M("file.kind_invalid")}}
	}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return "", "", nil, fileInvalid("file.missing")
	}
	if len(fhs) > 1 {
		return "", "", nil, fileInvalid("file.one_only")
	}
	// Go hands over only the base name of what the client sent; a client
	// that sent a path ("../x.png") is broken or probing, and is refused.
	if _, params, err := mime.ParseMediaType(fhs[0].Header.Get("Content-Disposition")); err == nil && strings.ContainsAny(params["filename"], `/\`) {
		return "", "", nil, fileInvalid("file.name_path")
	}
	normaliseNewlines(r.MultipartForm.Value)
	if err := checkValues(r.MultipartForm.Value); err != nil {
		return "", "", nil, err
	}
	data, err = readPart(fhs[0], s.uploadLimits().Of(kind))
	if leoc.ErrorCode(err) == leoc.EInvalid {
		err = s.fileTooLarge(kind)
	}
	if err != nil {
		return "", "", nil, err
	}
	return kind, fhs[0].Filename, data, nil
}

func readPart(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	if fh.Size > limit {
		return nil, fileInvalid("file.too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fileInvalid("file.too_large")
	}
	return data, nil
}

func fileInvalid(key string) error {
	return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M(key), Fields: map[string]leoc.Msg{"file": leoc.M(key)}}
}

// fileError turns a refusal of the content into a 400 that says what was
// wrong; the detail (what the bytes looked like) goes to the log only.
func (s *Server) fileError(r *http.Request, kind string, err error) error {
	re, ok := files.IsReject(err)
	if !ok {
		return err
	}
	s.log.Info("upload refused", "reason", re.Reason, "detail", re.Detail, "request_id", state(r).id)
	if re.Reason == files.ReasonTooLarge {
		return s.fileTooLarge(kind)
	}
	if re.Reason == files.ReasonKind {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"kind": leoc.M("file.kind_invalid")}}
	}
	return fileInvalid("file." + re.Reason)
}

// serveFile sends a stored file to a logged-in reader with headers that
// stop a browser from treating it as anything but what it was proven to be.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a, err := s.store.Attachment(r.Context(), id)
	if err == nil {
		err = s.checkFileAccess(r, a.Register, a.RecordID)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	etag := `"` + a.SHA256 + `"`
	h := w.Header()
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("ETag", etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	rc, err := s.fileStorage().Open(r.Context(), a.StorageKey)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			s.log.Error("stored file missing", "file_id", a.ID, "key", a.StorageKey, "request_id", state(r).id)
		}
		s.renderError(w, r, err)
		return
	}
	defer rc.Close()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	h.Set("Content-Disposition", contentDisposition(a))
	// A stored file is never a page: nothing in it may run, whatever a
	// browser makes of it. Every kind, PDFs included, gets the sandbox.
	h.Set("Content-Security-Policy", storedFilePolicy)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, rc); err != nil {
		level := slog.LevelWarn
		if clientClosed(r) { // the access log says 499; not a fault
			level = slog.LevelInfo
		}
		s.log.Log(r.Context(), level, "send file", "err", err, "file_id", a.ID, "request_id", state(r).id)
	}
}

// storedFilePolicy is the Content-Security-Policy of every stored file: a
// sandbox (no script, no forms, an opaque origin) that loads nothing.
// Images still show, as the document itself, and may be styled by the
// browser's own image viewer.
const storedFilePolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"

// contentDisposition shows images in the browser and downloads PDFs and
// Word files. PDFs are downloaded because browsers' built-in PDF viewers
// refuse to render inside the sandbox policy; opened from the download,
// a PDF runs in the reader's own viewer, never in LEOC's origin. The name
// is given both as ASCII (old browsers) and as UTF-8 per RFC 5987/6266, so
// a Devanagari name survives.
func contentDisposition(a *store.Attachment) string {
	disp := "attachment"
	if a.IsImage() {
		disp = "inline"
	}
	var ascii strings.Builder
	for _, c := range a.Name {
		switch {
		case c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%' || c == ';':
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(c)
		}
	}
	return disp + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + rfc5987(a.Name)
}

// rfc5987 percent-encodes everything but the attr-chars of RFC 5987.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// attachmentsFor lists the files of one record, for its detail page (the
// "attachments" partial). A failure is logged and shows as no files: the
// record itself is still worth showing.
func (s *Server) attachmentsFor(r *http.Request, register string, id int64) []store.Attachment {
	list, err := s.store.Attachments(r.Context(), register, id)
	if err != nil {
		s.log.Error("list attachments", "err", err, "register", register, "id", id, "request_id", state(r).id)
		return nil
	}
	return list
}

// FileSize writes a file size for people: "850 KB", "2.4 MB".
func (p *page) FileSize(n int64) string {
	var s string
	switch {
	case n < 1<<10:
		s = strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		s = strconv.FormatInt((n+512)>>10, 10) + " KB"
	default:
		s = strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return p.digits(s)
}

// uploadLimits are the configured per-kind size limits.
func (s *Server) uploadLimits() files.Limits {
	return files.Limits{Photo: int64(s.cfg.MaxPhotoMB) << 20, Document: int64(s.cfg.MaxDocumentMB) << 20,
		Pixels: int64(s.cfg.MaxImageMP) * 1_000_000}
}
