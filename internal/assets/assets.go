// Package assets serves LEOC's static files (CSS, JS, fonts, icons) from the
// binary under content-hashed URLs such as /static/app.3f9a1c2b.css.
//
// Because a changed file gets a new URL, browsers and proxies may keep every
// answer for a year without revalidating, which matters on slow rural links.
// The hashes are computed once in New; templates ask URL for the current one.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Prefix is the URL path under which Handler serves the files; mount the
// handler there: mux.Handle("GET "+assets.Prefix, a.Handler()).
const Prefix = "/static/"

// hashLen is the number of hex digits of the SHA-256 kept in a URL. 32 bits
// are plenty to tell two versions of the same file apart.
const hashLen = 8

//go:embed static
var embedded embed.FS

// Assets is the immutable set of static files loaded at start. It is safe for
// concurrent use.
type Assets struct {
	byName map[string]*file // "fonts/x.woff2" → file
	byURL  map[string]*file // "/static/fonts/x.1a2b3c4d.woff2" → file
	names  []string         // sorted
}

// file is one static file with everything needed to answer for it.
type file struct {
	name        string // path below static/, e.g. "fonts/x.woff2"
	hash        string // hashLen hex digits of SHA-256(body)
	url         string // Prefix + name with hash before the extension
	contentType string
	body        []byte
	gzipped     []byte // nil when compression is pointless for this file
}

// fileType says how a file extension is served. An extension missing from
// this table makes New fail, so nothing is ever served with a sniffed type.
type fileType struct {
	contentType  string
	compressible bool
}

var fileTypes = map[string]fileType{
	".css":   {"text/css; charset=utf-8", true},
	".js":    {"text/javascript; charset=utf-8", true},
	".json":  {"application/json", true},
	".svg":   {"image/svg+xml", true},
	".txt":   {"text/plain; charset=utf-8", true},
	".ico":   {"image/x-icon", true},
	".png":   {"image/png", false},
	".jpg":   {"image/jpeg", false},
	".webp":  {"image/webp", false},
	".gif":   {"image/gif", false},
	".woff2": {"font/woff2", false},
	".woff":  {"font/woff", false},
}

// New loads the embedded static/ directory. It fails when a file has an
// unknown extension or a stylesheet refers to a file that does not exist, so
// a broken asset stops the start instead of a page.
func New() (*Assets, error) {
	sub, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	return load(sub)
}

// load builds Assets from fsys. Stylesheets are processed after every other
// file because their url(...) references are rewritten to the hashed URLs of
// those files, and the stylesheet's own hash is taken after the rewrite: a
// new font therefore also gives app.css a new URL.
func load(fsys fs.FS) (*Assets, error) {
	var plain, styles []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if _, ok := fileTypes[path.Ext(name)]; !ok {
			return fmt.Errorf("%s: no content type for extension %q (add it to fileTypes)", name, path.Ext(name))
		}
		if _, _, ok := splitHashed(name); ok {
			return fmt.Errorf("%s: name looks like a hashed URL; rename it", name)
		}
		if path.Ext(name) == ".css" {
			styles = append(styles, name)
		} else {
			plain = append(plain, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}

	a := &Assets{byName: map[string]*file{}, byURL: map[string]*file{}}
	for _, name := range append(plain, styles...) {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("assets: %w", err)
		}
		if path.Ext(name) == ".css" {
			if body, err = a.rewriteCSS(name, body); err != nil {
				return nil, fmt.Errorf("assets: %s: %w", name, err)
			}
		}
		f, err := newFile(name, body)
		if err != nil {
			return nil, fmt.Errorf("assets: %s: %w", name, err)
		}
		a.byName[name] = f
		a.byURL[f.url] = f
		a.names = append(a.names, name)
	}
	sort.Strings(a.names)
	return a, nil
}

func newFile(name string, body []byte) (*file, error) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:hashLen]
	ft := fileTypes[path.Ext(name)]
	f := &file{
		name:        name,
		hash:        hash,
		url:         Prefix + hashedName(name, hash),
		contentType: ft.contentType,
		body:        body,
	}
	if ft.compressible {
		gz, err := gzipBytes(body)
		if err != nil {
			return nil, err
		}
		// Only worth a second representation (and Vary) when it saves 10 %.
		if len(gz) < len(body)*9/10 {
			f.gzipped = gz
		}
	}
	return f, nil
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cssToken matches, in one pass, a comment (left alone), an @import (refused)
// or a url(...) reference (rewritten).
var cssToken = regexp.MustCompile(`/\*[\s\S]*?\*/|@import\b|url\(\s*['"]?([^'")]*?)['"]?\s*\)`)

// rewriteCSS replaces every relative url(...) in the stylesheet name with the
// hashed URL of the file it names. Remote and root-relative URLs are refused:
// the CSP allows only 'self', and an unhashed URL would miss the long cache.
// @import is refused because it chains requests on slow links.
func (a *Assets) rewriteCSS(name string, css []byte) ([]byte, error) {
	var errs []error
	out := cssToken.ReplaceAllFunc(css, func(m []byte) []byte {
		switch {
		case bytes.HasPrefix(m, []byte("/*")):
			return m
		case bytes.HasPrefix(m, []byte("@import")):
			errs = append(errs, errors.New("@import is not allowed; put the rules in the stylesheet"))
			return m
		}
		ref := string(cssToken.FindSubmatch(m)[1])
		if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
			return m
		}
		target, suffix, _ := strings.Cut(ref, "#")
		if strings.Contains(target, ":") || strings.HasPrefix(target, "/") || strings.Contains(target, "?") {
			errs = append(errs, fmt.Errorf("url(%s): only relative references to files in static/ are allowed", ref))
			return m
		}
		f, ok := a.byName[path.Join(path.Dir(name), target)]
		if !ok {
			errs = append(errs, fmt.Errorf("url(%s): no such static file", ref))
			return m
		}
		if suffix != "" {
			suffix = "#" + suffix
		}
		return []byte("url(" + f.url + suffix + ")")
	})
	return out, errors.Join(errs...)
}

// hashedName inserts the hash before the extension: "fonts/a.woff2" →
// "fonts/a.1a2b3c4d.woff2".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// splitHashed undoes hashedName: "fonts/a.1a2b3c4d.woff2" → ("fonts/a.woff2",
// "1a2b3c4d", true). ok is false when the name carries no hash-shaped part.
func splitHashed(p string) (name, hash string, ok bool) {
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	i := strings.LastIndexByte(stem, '.')
	if ext == "" || i < 0 || strings.Contains(stem[i:], "/") || !isHash(stem[i+1:]) {
		return "", "", false
	}
	return stem[:i] + ext, stem[i+1:], true
}

func isHash(s string) bool {
	if len(s) != hashLen {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// URL returns the hashed URL of the static file name (a path below static/,
// such as "app.css" or "fonts/x.woff2"). For an unknown name it returns
// Prefix+name, which the handler answers with 404: templates never fail to
// render, tests and MustExist catch the typo.
func (a *Assets) URL(name string) string {
	if f, ok := a.byName[name]; ok {
		return f.url
	}
	return Prefix + name
}

// MustExist reports, as one error, every name that is not a static file. Call
// it at start with the names the templates use.
func (a *Assets) MustExist(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := a.byName[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("assets: no such static file: %s", strings.Join(missing, ", "))
	}
	return nil
}

// Files returns the names of all static files, sorted.
func (a *Assets) Files() []string {
	return append([]string(nil), a.names...)
}
