package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"leoc/internal/leoc"
)

// Per-request CPU (issue 15, docs/performance.md "Per-request CPU"): the
// service time of the cheapest answers through the whole middleware chain,
// with the access log written as production writes it (JSON, here to
// io.Discard):
//
//	go test -run '^$' -bench 'PerRequest' -benchtime 20000x ./internal/server
//
// Target: /health ≤ 0.05 ms.
func BenchmarkPerRequest(b *testing.B) {
	e := newEnv(b, backendSQLite())
	e.s.log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	h := e.s.Handler()
	cookies, _ := e.login("viewer1")
	for _, c := range []struct {
		name, path string
		auth       func(r *http.Request)
	}{
		{"health", "/health", func(*http.Request) {}},
		{"token/me", "/api/v1/me", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+e.tokens[leoc.RoleViewer]) }},
		{"session/me", "/api/v1/me", func(r *http.Request) {
			for _, c := range cookies {
				r.AddCookie(c)
			}
		}},
		{"token/stats-cached", "/api/v1/stats/incidents", func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+e.tokens[leoc.RoleViewer])
			r.Header.Set("Accept-Encoding", "gzip")
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				r := httptest.NewRequest("GET", c.path, nil)
				c.auth(r)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", c.path, w.Code)
				}
			}
			// CPU does not depend on how many other processes wait for
			// the two cores; the wall time per op does.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
