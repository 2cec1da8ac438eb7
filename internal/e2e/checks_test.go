package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestChecksSeeProblems proves that the checks every journey step ends with
// can fail. A page that breaks its Content-Security-Policy, logs an error,
// throws and shows a message key must be caught by the console watch and by
// untranslated; a check that never saw anything would pass every journey.
func TestChecksSeeProblems(t *testing.T) {
	chromium := requireChromium(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; img-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>broken page</title>
<link rel="icon" href="data:,">
<script>document.title = 'inline script ran';</script>
<img src="https://leoc.invalid/photo.png" alt="">
<script src="/broken.js"></script>
<p id="done">nav.not_translated</p>
<p>%!d(string=ten)</p>
<p>An ordinary sentence. <code>login.success</code></p>`))
	})
	mux.HandleFunc("GET /broken.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(`console.error('records did not load'); throw new Error('boom');`))
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	b := newBrowser(t, chromium, &app{URL: ts.URL})
	b.open(t, "/")
	b.text(t, "#done")

	got := strings.Join(b.console.take(), "\n")
	for _, want := range []string{
		"Content Security Policy", // the inline script and the foreign image
		"leoc.invalid/photo.png",
		"console.error: records did not load",
		"uncaught exception: Uncaught Error: boom",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the console watch missed %q; it saw:\n%s", want, got)
		}
	}

	bad := b.untranslated(t)
	want := []string{"nav.not_translated", "%!d(string=ten)"} // not the <code>
	if !slices.Equal(bad, want) {
		t.Errorf("untranslated found %q, want %q", bad, want)
	}
}
