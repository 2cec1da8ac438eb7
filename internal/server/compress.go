package server

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"

	"leoc/internal/assets"
)

// Pages and JSON are compressed on the way out: an audit page of 96 KB is
// about 10 KB gzipped, which matters on a rural mobile connection.
//
// BREACH (guessing a secret from the compressed size of pages that also
// reflect attacker-chosen text) is answered by masking the CSRF token with a
// fresh random pad in every response (see csrfToken), so no secret repeats
// byte for byte between responses; session cookies are never in a body.

// compressMinBytes: smaller bodies gain nothing from gzip (a TCP packet
// carries about 1,400 bytes) and are sent as they are.
const compressMinBytes = 1400

// compressible lists the content types worth compressing. Images, PDFs,
// XLSX (a zip) and the embedded assets (already pre-compressed, with
// Content-Encoding set) pass through untouched.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(strings.ToLower(ct)) {
	case "text/html", "application/json", "text/csv", "text/plain", "application/xml", "text/xml",
		"application/atom+xml", "application/cap+xml", "image/svg+xml", "application/geo+json":
		return true
	}
	return false
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression) // the level is valid, so no error
	return w
}}

// compress gzips compressible answers for clients that accept gzip.
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			// The asset handler keeps a gzipped copy where it is worth it
			// and decides for itself.
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodHead || !assets.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
			// The answer still depends on Accept-Encoding, so caches must
			// know; the header is added when the body is known to qualify.
			next.ServeHTTP(&varyWriter{ResponseWriter: w}, r)
			return
		}
		gw := &gzipResponseWriter{ResponseWriter: w}
		defer func() {
			if err := gw.close(); err != nil {
				s.log.Debug("gzip close", "err", err, "request_id", state(r).id)
			}
		}()
		next.ServeHTTP(gw, r)
	})
}

// addVary adds Accept-Encoding to Vary once.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// varyWriter marks compressible answers with Vary even when this client did
// not ask for gzip, so a shared cache never hands the plain copy to one that did.
type varyWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *varyWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if compressible(w.Header().Get("Content-Type")) && w.Header().Get("Content-Encoding") == "" {
			addVary(w.Header())
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *varyWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *varyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// gzipResponseWriter holds back the status and the first bytes until it
// knows whether the body is worth compressing: a compressible type without
// its own Content-Encoding and at least compressMinBytes long (or flushed
// before that, as streaming exports do).
type gzipResponseWriter struct {
	http.ResponseWriter
	status  int          // held back until decided
	buf     []byte       // body held back until decided
	decided bool         // headers sent
	gz      *gzip.Writer // nil when passing through
	skip    bool         // not compressible: pass through from the start
}

func (w *gzipResponseWriter) WriteHeader(code int) {
	if w.status != 0 || w.decided {
		return
	}
	w.status = code
	h := w.Header()
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		w.skip = true
		w.decide(false)
		return
	}
	addVary(h)
}

func (w *gzipResponseWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.decided {
		if w.gz != nil {
			return w.gz.Write(b)
		}
		return w.ResponseWriter.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) >= compressMinBytes {
		if err := w.decide(true); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// decide sends the headers, compressed or not, and what was held back.
func (w *gzipResponseWriter) decide(zip bool) error {
	if w.decided {
		return nil
	}
	w.decided = true
	if zip {
		h := w.Header()
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		// An ETag names the plain bytes; the gzipped ones are another representation.
		if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			h.Set("ETag", "W/"+et)
		}
		gz := gzipWriters.Get().(*gzip.Writer)
		gz.Reset(w.ResponseWriter)
		w.gz = gz
	}
	w.ResponseWriter.WriteHeader(w.status)
	if len(w.buf) == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(w.buf)
	} else {
		_, err = w.ResponseWriter.Write(w.buf)
	}
	w.buf = nil
	return err
}

// Flush lets streaming answers (CSV exports) stream: what is held back is
// compressed and sent now.
func (w *gzipResponseWriter) Flush() {
	if w.status == 0 {
		return
	}
	if !w.decided {
		_ = w.decide(!w.skip) // an error here shows again on the next Write
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// close ends the answer: a short body goes out plain, a compressed one gets
// its gzip trailer.
func (w *gzipResponseWriter) close() error {
	if w.status == 0 {
		return nil // nothing was written; net/http sends its own empty 200
	}
	if !w.decided {
		if err := w.decide(false); err != nil {
			return err
		}
	}
	if w.gz == nil {
		return nil
	}
	err := w.gz.Close()
	w.gz.Reset(nil)
	gzipWriters.Put(w.gz)
	w.gz = nil
	return err
}

func (w *gzipResponseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
