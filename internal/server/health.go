package server

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"leoc/internal/leoc"
)

// health is liveness: the process answers. It touches no database, so a
// slow database does not get a healthy process restarted. The shape
// {"status":"healthy","timestamp":…} is what the old deployment guide's
// monitors expect; keep it.
//
// A load balancer asks every few seconds, so the answer is appended into a
// small buffer by hand (the same bytes json.Marshal of the map gave: keys
// in order, the version escaped once at start) instead of encoding a map.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	b := make([]byte, 0, 96+len(s.healthVersion))
	b = append(b, `{"status":"healthy","timestamp":"`...)
	b = s.now().UTC().AppendFormat(b, time.RFC3339)
	b = append(b, `","version":`...)
	b = append(b, s.healthVersion...)
	b = append(b, "}\n"...)
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write JSON", "err", err, "request_id", state(r).id)
	}
}

// Header values every JSON answer carries (full slices: see headerValue).
var (
	jsonContentType = []string{"application/json; charset=utf-8"}[:1:1]
	noStore         = []string{"no-store"}[:1:1]
)

// ReadinessCheck is one dependency /ready reports: the database always,
// and whatever else the process was given (Redis, object storage) through
// Options.Readiness. Check answers within ctx's deadline or fails.
type ReadinessCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// dependency is one line of /ready's answer.
type dependency struct {
	Status    string  `json:"status"` // "ok" or "unavailable"
	LatencyMS float64 `json:"latency_ms"`
}

// ready is readiness: every dependency answers within two seconds. A load
// balancer stops sending requests to a replica that answers 503. The
// reasons are logged, not shown: /ready is public.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := append([]ReadinessCheck{{Name: "database", Check: s.store.Ping}}, s.readiness...)
	deps := make(map[string]dependency, len(checks))
	status, code := "ready", http.StatusOK
	for _, c := range checks {
		start := time.Now()
		err := c.Check(ctx)
		d := dependency{Status: "ok", LatencyMS: float64(time.Since(start).Microseconds()) / 1000}
		if err != nil {
			s.log.Error("readiness check failed", "dependency", c.Name, "err", err)
			d.Status = "unavailable"
			status, code = "unavailable", http.StatusServiceUnavailable
		}
		deps[c.Name] = d
	}
	s.writeJSON(w, r, code, map[string]any{"status": status, "dependencies": deps})
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

// PprofHandler serves the Go profiler alone, for the loopback listener of
// LEOC_PPROF_ADDR (config refuses any other address): a CPU profile of a
// production server under its real load is how its costs are found
// (docs/performance.md). Nothing else of LEOC is reachable there.
func PprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// favicon answers browsers that ask for /favicon.ico whatever the page says.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.assets.URL("favicon.svg"), http.StatusMovedPermanently)
}
