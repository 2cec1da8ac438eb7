package assets

// Checks on the content of static/: what the CSP, the templates and the
// licence require of the files themselves.

import (
	"bytes"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

func readStatic(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(embedded, "static/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var cssComment = regexp.MustCompile(`/\*[\s\S]*?\*/`)

func TestCSSIsSelfContained(t *testing.T) {
	css := readStatic(t, "app.css")
	code := cssComment.ReplaceAll(css, nil)
	for _, bad := range []string{"@import", "http://", "https://", "url(//", "expression("} {
		if bytes.Contains(bytes.ToLower(code), []byte(bad)) {
			t.Errorf("app.css contains %q outside comments", bad)
		}
	}
	if n := bytes.Count(css, []byte("\n")); n > 600 {
		t.Errorf("app.css has %d lines; keep it under 600", n)
	}
	for _, want := range []string{
		"font-display: swap", "unicode-range:", "@page { size: A4; margin: 15mm; }",
		`font-family: "Noto Sans Devanagari"`, `"Noto Sans Devanagari", system-ui, sans-serif`,
	} {
		if !bytes.Contains(css, []byte(want)) {
			t.Errorf("app.css lacks %q", want)
		}
	}
}

// The served stylesheet refers to the fonts by their hashed URLs, and those
// URLs are served.
func TestServedCSSReferencesResolve(t *testing.T) {
	a := newAssets(t)
	h := routed(a)
	css := get(t, h, a.URL("app.css"), nil).Body.String()
	refs := regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(cssComment.ReplaceAllString(css, ""), -1)
	if len(refs) < 4 {
		t.Fatalf("expected the four font references, found %d", len(refs))
	}
	for _, m := range refs {
		u := m[1]
		w := get(t, h, u, nil)
		if w.Code != 200 || w.Header().Get("Cache-Control") != cacheImmutable {
			t.Errorf("url(%s) in served CSS: %d %q", u, w.Code, w.Header().Get("Cache-Control"))
		}
	}
}

// Every class the templates may use (docs/assets.md) is in the stylesheet.
func TestCSSDefinesDocumentedClasses(t *testing.T) {
	css := string(readStatic(t, "app.css"))
	docs, err := os.ReadFile("../../docs/assets.md")
	if err != nil {
		t.Fatal(err)
	}
	classes := regexp.MustCompile("`\\.([a-z][a-z0-9-]*)`").FindAllStringSubmatch(string(docs), -1)
	if len(classes) < 40 {
		t.Fatalf("found only %d documented classes in docs/assets.md", len(classes))
	}
	for _, m := range classes {
		if !regexp.MustCompile(`\.` + m[1] + `(?:[^a-z0-9_-]|$)`).MatchString(css) {
			t.Errorf("class .%s is documented but not styled in app.css", m[1])
		}
	}
}

// cspUnsafe are constructs the CSP forbids or that build HTML from strings.
var cspUnsafe = []string{
	"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML",
	"document.write", "setTimeout('", `setTimeout("`, "javascript:", "http://", "https://",
	"setAttribute('style'", `setAttribute("style"`,
}

func TestJSIsCSPSafe(t *testing.T) {
	js := string(readStatic(t, "app.js"))
	for _, bad := range cspUnsafe {
		if strings.Contains(js, bad) {
			t.Errorf("app.js contains %q", bad)
		}
	}
	for _, want := range []string{"X-CSRF-Token", `meta[name="csrf-token"]`, "aria-expanded", "data-confirm", "data-autosubmit", "window.leoc"} {
		if !strings.Contains(js, want) {
			t.Errorf("app.js lacks %q", want)
		}
	}
}

// The distribution form's script builds the register matches with
// textContent and calls the lookup through leoc.api.
func TestRowsJSIsCSPSafe(t *testing.T) {
	js := string(readStatic(t, "rows.js"))
	for _, bad := range cspUnsafe {
		if strings.Contains(js, bad) {
			t.Errorf("rows.js contains %q", bad)
		}
	}
	for _, want := range []string{"data-add-row", "data-ssf-lookup", "/api/v1/ssf-beneficiaries/lookup", "window.leoc.api", "textContent"} {
		if !strings.Contains(js, want) {
			t.Errorf("rows.js lacks %q", want)
		}
	}
}

// The date picker takes every calendar fact from /api/v1/calendar/table, so
// it cannot drift from internal/bs: no month names or lengths in the file.
func TestDatePickerIsCSPSafeAndHasNoCalendarCopy(t *testing.T) {
	js := string(readStatic(t, "bs-datepicker.js"))
	for _, bad := range cspUnsafe {
		if strings.Contains(js, bad) {
			t.Errorf("bs-datepicker.js contains %q", bad)
		}
	}
	for _, want := range []string{"'use strict'", "/api/v1/calendar/table", "window.leoc", "makeCalendar", "data-bs-date"} {
		if !strings.Contains(js, want) {
			t.Errorf("bs-datepicker.js lacks %q", want)
		}
	}
	for _, copied := range []string{"वैशाख", "Baishakh", "चैत", "Chaitra", "आइत", `'Sun'`, `"Sun"`, "[30, 32, 31", "30,32,31"} {
		if strings.Contains(js, copied) {
			t.Errorf("bs-datepicker.js contains %q: calendar data must come from the server", copied)
		}
	}
}

func TestFontsAreWOFF2AndSmall(t *testing.T) {
	a := newAssets(t)
	total, fonts := 0, 0
	for _, name := range a.Files() {
		if !strings.HasSuffix(name, ".woff2") {
			continue
		}
		fonts++
		b := readStatic(t, name)
		if !bytes.HasPrefix(b, []byte("wOF2")) {
			t.Errorf("%s is not WOFF2 (starts %q)", name, b[:min(4, len(b))])
		}
		total += len(b)
	}
	if fonts != 4 {
		t.Errorf("%d woff2 files, want 4 (devanagari+latin × 400+700)", fonts)
	}
	if total > 400<<10 {
		t.Errorf("fonts weigh %d bytes, over the 400 KB budget", total)
	}
	ofl := readStatic(t, "fonts/OFL.txt")
	if !bytes.Contains(ofl, []byte("SIL OPEN FONT LICENSE Version 1.1")) {
		t.Error("fonts/OFL.txt is not the OFL 1.1")
	}
}

func TestSVGsHaveNoScript(t *testing.T) {
	for _, name := range []string{"favicon.svg", "logo.svg"} {
		svg := strings.ToLower(string(readStatic(t, name)))
		if !strings.HasPrefix(svg, "<svg") {
			t.Errorf("%s does not start with <svg", name)
		}
		for _, bad := range []string{"<script", "onload", "href=\"http", "<text"} {
			if strings.Contains(svg, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// TestFormsJSIsCSPSafe holds forms.js to the same rules as app.js, and
// checks it carries the hooks the templates and docs/assets.md name.
func TestFormsJSIsCSPSafe(t *testing.T) {
	js := string(readStatic(t, "forms.js"))
	for _, bad := range cspUnsafe {
		if strings.Contains(js, bad) {
			t.Errorf("forms.js contains %q", bad)
		}
	}
	for _, want := range []string{"data-print", "data-max-bytes", "data-incident-picker", `'combobox'`, "aria-activedescendant",
		"localStorage", "data-no-draft", "'password'", "csrf_token", "draft-bar-template"} {
		if !strings.Contains(js, want) {
			t.Errorf("forms.js lacks %q", want)
		}
	}
}
