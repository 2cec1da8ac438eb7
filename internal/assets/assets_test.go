package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func newAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

// routed mounts the handler the way the server does.
func routed(a *Assets) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix, a.Handler())
	return mux
}

func get(t *testing.T, h http.Handler, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// wantType is written out here rather than taken from fileTypes so that a
// change to the table is a visible test change.
var wantType = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".png":   "image/png",
	".ico":   "image/x-icon",
}

func TestFilesAndMustExist(t *testing.T) {
	a := newAssets(t)
	want := []string{
		"app.css", "app.js", "bs-datepicker.js", "bulletin.css", "favicon.svg", "forms.js", "logo.svg", "rows.js", "fonts/OFL.txt",
		// The stock documents' form: batch and expiry only for items that track them.
		"stock_lines.js",
		"fonts/noto-sans-devanagari-devanagari-400-normal.woff2",
		"fonts/noto-sans-devanagari-devanagari-700-normal.woff2",
		"fonts/noto-sans-devanagari-latin-400-normal.woff2",
		"fonts/noto-sans-devanagari-latin-700-normal.woff2",
		// The map (docs/map.md): our script and styles, Leaflet and its
		// marker-clustering plugin with their licences.
		"map.js", "map.css",
		"vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/LICENSE.txt",
		"vendor/leaflet/images/layers.png", "vendor/leaflet/images/layers-2x.png", "vendor/leaflet/images/marker-icon.png",
		"vendor/leaflet/images/marker-icon-2x.png", "vendor/leaflet/images/marker-shadow.png",
		"vendor/markercluster/markercluster.js", "vendor/markercluster/MarkerCluster.css",
		"vendor/markercluster/MarkerCluster-default.css", "vendor/markercluster/LICENCE.txt",
	}
	if err := a.MustExist(want...); err != nil {
		t.Fatal(err)
	}
	files := a.Files()
	if len(files) != len(want) {
		t.Errorf("Files() = %v, want the %d files %v", files, len(want), want)
	}
	files[0] = "changed" // callers get a copy
	if a.Files()[0] == "changed" {
		t.Error("Files returns the internal slice")
	}
	err := a.MustExist("app.css", "nope.css", "fonts/x.woff2")
	if err == nil || !strings.Contains(err.Error(), "nope.css") || !strings.Contains(err.Error(), "fonts/x.woff2") {
		t.Errorf("MustExist with missing names = %v, want both named", err)
	}
}

func TestEveryFileServedAtItsHashedURL(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	urlShape := regexp.MustCompile(`^/static/[a-zA-Z0-9/_-]+(\.[a-zA-Z0-9_-]+)*\.[0-9a-f]{8}\.[a-z0-9]+$`)
	for _, name := range a.Files() {
		t.Run(name, func(t *testing.T) {
			u := a.URL(name)
			if !urlShape.MatchString(u) {
				t.Fatalf("URL(%q) = %q, not a hashed URL", name, u)
			}
			w := get(t, h, u, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", u, w.Code)
			}
			hdr := w.Header()
			if got, want := hdr.Get("Content-Type"), wantType[path.Ext(name)]; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			if got := hdr.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := hdr.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if hdr.Get("Content-Encoding") != "" {
				t.Errorf("encoded answer to a request without Accept-Encoding")
			}
			// The URL really is content-addressed: its hash is the body's.
			sum := sha256.Sum256(w.Body.Bytes())
			if !strings.Contains(u, "."+hex.EncodeToString(sum[:])[:hashLen]+".") {
				t.Errorf("URL %s does not carry the hash of the served body", u)
			}
		})
	}
}

func TestHeadAndConditionalRequests(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	u := a.URL("app.js")

	r := httptest.NewRequest(http.MethodHead, u, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD = %d, body %d bytes, Content-Length %q", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}

	first := get(t, h, u, nil)
	etag := first.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		w := get(t, h, u, http.Header{"If-None-Match": {inm}})
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match %s = %d with %d bytes, want 304 and no body", inm, w.Code, w.Body.Len())
		}
		if w.Header().Get("ETag") != etag || w.Header().Get("Cache-Control") == "" {
			t.Errorf("304 lacks ETag/Cache-Control: %v", w.Header())
		}
	}
	if w := get(t, h, u, http.Header{"If-None-Match": {`"other"`}}); w.Code != http.StatusOK {
		t.Errorf("non-matching If-None-Match = %d, want 200", w.Code)
	}

	r = httptest.NewRequest(http.MethodPost, u, nil)
	w = httptest.NewRecorder()
	a.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST = %d Allow %q, want 405", w.Code, w.Header().Get("Allow"))
	}
}

func TestGzip(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	for _, name := range []string{"app.css", "app.js"} {
		plain := get(t, h, a.URL(name), nil)
		w := get(t, h, a.URL(name), http.Header{"Accept-Encoding": {"br, gzip;q=0.8"}})
		if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s: Content-Encoding %q Vary %q", name, w.Header().Get("Content-Encoding"), w.Header().Get("Vary"))
		}
		if plain.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: identity answer lacks Vary", name)
		}
		if w.Header().Get("ETag") == plain.Header().Get("ETag") {
			t.Errorf("%s: gzip and identity share the ETag %s", name, w.Header().Get("ETag"))
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, plain.Body.Bytes()) {
			t.Errorf("%s: gunzipped body differs from the identity body", name)
		}
	}
	if w := get(t, h, a.URL("app.css"), http.Header{"Accept-Encoding": {"gzip;q=0, identity"}}); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}
	font := "fonts/noto-sans-devanagari-devanagari-400-normal.woff2"
	if w := get(t, h, a.URL(font), http.Header{"Accept-Encoding": {"gzip"}}); w.Header().Get("Content-Encoding") != "" || w.Header().Get("Vary") != "" {
		t.Error("woff2 is already compressed and must be sent as is")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"deflate, gzip":        true,
		"gzip;q=0":             false,
		"gzip; q=0.000":        false,
		"gzip;q=0.5":           true,
		"br":                   false,
		"*":                    true,
		"*;q=0":                false,
		"*, gzip;q=0":          false,
		"identity, x-gzip":     true,
		"br;q=1.0, *;q=0.1":    true,
		"gzip;q=0, *;q=1":      false,
		"compress;q=0.5, gzip": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// A page rendered by another version of the server asks for a hash this one
// does not have: it gets the current bytes, but never under the long cache.
func TestStaleOrMissingHash(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	current := a.URL("app.css")
	stale := strings.Replace(current, "."+a.byName["app.css"].hash+".", ".00000000.", 1)
	w := get(t, h, stale, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200 with the current file", stale, w.Code)
	}
	if cc := w.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") || strings.Contains(cc, "max-age") {
		t.Errorf("stale hash answered with Cache-Control %q", cc)
	}
	if w.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("stale hash Content-Type %q", w.Header().Get("Content-Type"))
	}
	for _, target := range []string{
		"/static/app.css",           // no hash
		"/static/app.0000000.css",   // hash too short
		"/static/app.000000000.css", // too long
		"/static/app.ABCDEF01.css",  // upper case is not how we write hashes
		"/static/app.zzzzzzzz.css",
		"/static/nope.00000000.css", // unknown file
		a.URL("nope.css"),           // what URL gives for an unknown name
	} {
		if w := get(t, h, target, nil); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, w.Code)
		}
	}
}

func TestTraversalAndListings(t *testing.T) {
	a := newAssets(t)
	css := strings.TrimPrefix(a.URL("app.css"), Prefix)
	targets := []string{
		"/static/../go.mod",
		"/static/%2e%2e/go.mod",
		"/static/%2E%2E/%2E%2E/go.mod",
		"/static/..%2fgo.mod",
		"/static/..%2f..%2fgo.mod",
		"/static/fonts/../" + css,
		"/static/./" + css,
		"/static//" + css,
		"/static/fonts/..%2f" + css,
		"/static/",
		"/static/fonts/",
		"/static/fonts",
		"/static/static/" + css,
		"/" + css,
		"/go.mod",
		"/static/%00" + css,
	}
	for _, target := range targets {
		// Straight at the handler: an exact 404.
		if w := get(t, a.Handler(), target, nil); w.Code != http.StatusNotFound {
			t.Errorf("handler: GET %s = %d, want 404", target, w.Code)
		}
		// Through a ServeMux, which may redirect a cleaned path: never the file.
		w := get(t, routed(a), target, nil)
		if w.Code == http.StatusOK || strings.Contains(w.Body.String(), "module leoc") {
			t.Errorf("mux: GET %s = %d, want no content", target, w.Code)
		}
	}
}

func TestURLOfUnknownName(t *testing.T) {
	a := newAssets(t)
	if got := a.URL("nope.css"); got != "/static/nope.css" {
		t.Errorf("URL(unknown) = %q", got)
	}
}

func TestConcurrentRequests(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range a.Files() {
				r := httptest.NewRequest(http.MethodGet, a.URL(name), nil)
				r.Header.Set("Accept-Encoding", "gzip")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					t.Errorf("GET %s = %d", name, w.Code)
				}
			}
		}()
	}
	wg.Wait()
}

func TestLoadRewritesCSSReferences(t *testing.T) {
	fsys := fstest.MapFS{
		"a.css":         {Data: []byte(`/* url(not/a/file.png) http://example.org */ @font-face{src:url("f/x.woff2") format("woff2")} .i{background:url('img/i.svg#frag')} .d{background:url(data:image/png;base64,AAAA)} .m{mask:url(#m)}`)},
		"sub/b.css":     {Data: []byte(`.x{background:url(../img/i.svg)}`)},
		"f/x.woff2":     {Data: []byte("wOF2 font v1")},
		"img/i.svg":     {Data: []byte("<svg/>")},
		"fonts/OFL.txt": {Data: []byte("licence")},
	}
	a, err := load(fsys)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	css := string(a.byName["a.css"].body)
	for _, want := range []string{
		"url(" + a.URL("f/x.woff2") + ")",
		"url(" + a.URL("img/i.svg") + "#frag)",
		"url(data:image/png;base64,AAAA)",
		"url(#m)",
		"/* url(not/a/file.png) http://example.org */",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("rewritten CSS lacks %q:\n%s", want, css)
		}
	}
	if got := string(a.byName["sub/b.css"].body); got != ".x{background:url("+a.URL("img/i.svg")+")}" {
		t.Errorf("sub/b.css = %s", got)
	}

	// A changed font must change the stylesheet's URL too, or browsers would
	// keep the old stylesheet pointing at the old font for a year.
	fsys["f/x.woff2"] = &fstest.MapFile{Data: []byte("wOF2 font v2")}
	b, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if a.URL("a.css") == b.URL("a.css") {
		t.Error("stylesheet URL did not change when a font it uses changed")
	}
	if a.URL("sub/b.css") != b.URL("sub/b.css") {
		t.Error("unrelated stylesheet changed URL")
	}
}

func TestLoadRefusesBrokenInput(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"missing file":      {"a.css": {Data: []byte(`.x{background:url(nope.png)}`)}},
		"remote url":        {"a.css": {Data: []byte(`.x{background:url(https://cdn.example/x.png)}`)}},
		"protocol-relative": {"a.css": {Data: []byte(`.x{background:url(//cdn.example/x.png)}`)}},
		"root-relative":     {"a.css": {Data: []byte(`.x{background:url(/static/x.png)}`)}, "x.png": {Data: []byte("p")}},
		"outside static":    {"a.css": {Data: []byte(`.x{background:url(../x.png)}`)}},
		"import":            {"a.css": {Data: []byte(`@import "b.css";`)}, "b.css": {Data: []byte("")}},
		"unknown extension": {"a.exe": {Data: []byte("MZ")}},
		"no extension":      {"LICENSE": {Data: []byte("text")}},
		"hash-like name":    {"app.deadbeef.css": {Data: []byte("")}},
	} {
		if _, err := load(fsys); err == nil {
			t.Errorf("%s: load succeeded, want an error", name)
		}
	}
}
