package server

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"leoc/internal/leoc"
)

// health is liveness: the process answers. It touches no database, so a
// slow database does not get a healthy process restarted.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, map[string]any{
		"status": "ok", "version": s.version, "time": s.now().UTC().Format(time.RFC3339),
	})
}

// ready is readiness: the database answers within two seconds.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("readiness check failed", "err", err)
		s.writeJSON(w, r, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "unreachable"})
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"status": "ready", "database": "ok"})
}

// debugRoutes are the profiling endpoints, for development only. They sit
// behind the admin role like everything else.
func debugRoutes() []route {
	perm := leoc.PermManageSetting
	return []route{
		{pattern: "GET /debug/pprof/", access: authenticated, perm: perm, h: pprof.Index},
		{pattern: "GET /debug/pprof/profile", access: authenticated, perm: perm, h: pprof.Profile},
		{pattern: "GET /debug/pprof/trace", access: authenticated, perm: perm, h: pprof.Trace},
	}
}

// favicon answers browsers that ask for /favicon.ico whatever the page says.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.assets.URL("favicon.svg"), http.StatusMovedPermanently)
}
