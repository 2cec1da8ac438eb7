package server

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"leoc/internal/leoc"
)

// BenchmarkAuthenticatedNoop measures the server time of the cheapest
// authenticated API call: bearer-token lookup, middleware chain, JSON answer.
// Target: < 1 ms.
func BenchmarkAuthenticatedNoop(b *testing.B) {
	e := newEnv(b, backendSQLite())
	tok := e.tokens[leoc.RoleViewer]
	h := e.s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkSessionPage measures a logged-in page: session lookup, settings,
// template rendering.
func BenchmarkSessionPage(b *testing.B) {
	e := newEnv(b, backendSQLite())
	cookies, _ := e.login("officer1")
	h := e.s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/", nil)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}
