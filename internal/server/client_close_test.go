package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// TestClientCloseIsNotAnError: a client that disconnects while its request
// runs is logged as a client close (status 499, level INFO), not as an
// ERROR with status 500 — both when the handler's database call fails on
// the cancelled context before anything was sent, and when the client leaves
// half-way through an answer. Runs a real HTTP server so the disconnect is
// a real one.
func TestClientCloseIsNotAnError(t *testing.T) {
	e := newEnv(t, backendSQLite())
	started := make(chan struct{}, 1)
	e.s.routes = append(e.s.routes, route{pattern: "GET /api/v1/test-slow", access: authenticated, perm: leoc.PermRead,
		h: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("part") != "" {
				w.Header().Set("Content-Type", "text/csv")
				w.Write([]byte("a,b\n"))
				http.NewResponseController(w).Flush()
			}
			started <- struct{}{}
			<-r.Context().Done()
			// What an export does next: a query on the request's context.
			if _, _, err := e.st.Incidents(r.Context(), store.RecordFilter{}); err != nil {
				if r.URL.Query().Get("part") == "" {
					e.s.renderError(w, r, err)
				} else {
					e.s.exportFailed(w, r, true, err)
				}
			}
		}})
	e.s.handler = e.s.buildHandler()
	done := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.s.Handler().ServeHTTP(w, r)
		done <- struct{}{}
	}))
	defer srv.Close()

	for _, path := range []string{"/api/v1/test-slow", "/api/v1/test-slow?part=1"} {
		t.Run(path, func(t *testing.T) {
			e.logs.Reset()
			ctx, cancel := context.WithCancel(t.Context())
			go func() { <-started; cancel() }()
			r := must.Get(http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil))(t)
			r.Header.Set("Authorization", "Bearer "+e.tokens[leoc.RoleViewer])
			if res, err := srv.Client().Do(r); err == nil {
				// Headers of the half answer arrived; leaving now is the disconnect.
				cancel()
				res.Body.Close()
			}
			<-done
			logs := e.logs.String()
			if strings.Contains(logs, "level=ERROR") {
				t.Errorf("a client close was logged as an error:\n%s", logs)
			}
			var line string
			for _, l := range strings.Split(logs, "\n") {
				if strings.Contains(l, "msg=request ") {
					line = l
				}
			}
			if !strings.Contains(line, "status=499") || !strings.Contains(line, "level=INFO") {
				t.Errorf("access log line %q, want status=499 at INFO", line)
			}
		})
	}
}
