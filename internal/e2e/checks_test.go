package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestConsoleWatch proves that the check every journey step ends with can
// fail: a page that breaks its Content-Security-Policy, logs an error and
// throws must show up in the watch. Without this test, a watch that never
// saw anything would pass every journey.
func TestConsoleWatch(t *testing.T) {
	chromium := requireChromium(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; img-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>broken page</title>
<script>document.title = 'inline script ran';</script>
<img src="https://leoc.invalid/photo.png" alt="">
<script src="/broken.js"></script>
<p id="done">done</p>`))
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
		"uncaught exception",
		"boom",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the console watch missed %q; it saw:\n%s", want, got)
		}
	}
}
