package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// TestPprofOnlyOnItsListener: the LEOC_PPROF_ADDR handler serves the
// profiler and nothing of LEOC; the main handler (without LEOC_DEBUG) does
// not serve the profiler to anyone, the administrator included.
func TestPprofOnlyOnItsListener(t *testing.T) {
	h := PprofHandler()
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w
	}
	if w := get(h, "/debug/pprof/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "goroutine") {
		t.Fatalf("profiler index: %d", w.Code)
	}
	if w := get(h, "/debug/pprof/goroutine?debug=1"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "goroutine profile") {
		t.Fatalf("goroutine profile: %d", w.Code)
	}
	for _, p := range []string{"/", "/metrics", "/health", "/api/v1/stats/incidents"} {
		if w := get(h, p); w.Code != http.StatusNotFound {
			t.Errorf("the profiler's listener answered %s with %d", p, w.Code)
		}
	}
	e := newEnv(t, backendSQLite())
	if w := e.do(req{method: "GET", path: "/debug/pprof/", token: e.tokens[leoc.RoleAdmin]}); w.Code != http.StatusNotFound {
		t.Fatalf("the main listener served the profiler without LEOC_DEBUG: %d", w.Code)
	}
}
