package assets

import (
	"net/http"
	"path"
	"strconv"
	"strings"
)

const (
	// cacheImmutable is sent when the URL's hash is the file's current hash:
	// the bytes behind that URL can never change.
	cacheImmutable = "public, max-age=31536000, immutable"
	// cacheRevalidate is sent when the hash is not the current one (a page
	// rendered by an older or newer server during a deploy). The current
	// file is served so the page is not left unstyled, but it must not stick
	// under a URL that means other bytes.
	cacheRevalidate = "no-cache"
)

// Handler serves the static files at their hashed URLs below Prefix. It
// expects the full request path (do not wrap it in http.StripPrefix).
//
//   - current hash: 200 with a one-year immutable Cache-Control;
//   - known name, other well-formed hash: 200 with the current bytes and
//     Cache-Control: no-cache;
//   - anything else (unknown name, no hash, directories, traversal): 404.
//
// Compressible files are precompressed at start and sent gzip-encoded to
// clients that accept it. ETag / If-None-Match are honoured.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serve)
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	f, cache := a.lookup(r.URL.Path)
	if f == nil {
		http.NotFound(w, r)
		return
	}

	body, etag := f.body, `"`+f.hash+`"`
	if f.gzipped != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gzipped, `"`+f.hash+`.gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Cache-Control", cache)
	h.Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // a failed write means the client went away
	}
}

// lookup maps a request path to a file and the Cache-Control to send. The
// path is only ever used as a map key, never to open a file, so traversal
// attempts simply find nothing; they are rejected early anyway.
func (a *Assets) lookup(p string) (*file, string) {
	if !strings.HasPrefix(p, Prefix) || path.Clean(p) != p || strings.Contains(p, "..") {
		return nil, ""
	}
	if f, ok := a.byURL[p]; ok {
		return f, cacheImmutable
	}
	name, _, ok := splitHashed(strings.TrimPrefix(p, Prefix))
	if !ok {
		return nil, ""
	}
	if f, ok := a.byName[name]; ok {
		return f, cacheRevalidate
	}
	return nil, ""
}

// acceptsGzip reports whether an Accept-Encoding header value allows gzip,
// honouring q=0 ("not acceptable") for gzip itself and for "*".
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// etagMatches implements the weak comparison If-None-Match asks for.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// AcceptsGzip reports whether an Accept-Encoding header value allows gzip;
// the server's compression of pages and JSON uses the same reading.
func AcceptsGzip(header string) bool { return acceptsGzip(header) }
