package server

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"leoc/internal/leoc"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are what /metrics exposes in Prometheus format: requests by route
// pattern (never the raw path, whose IDs would make a series per record),
// method and status, their latency, the database pools and the Go runtime.
// Each Server has its own registry, so tests can run several servers.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

func (s *Server) newMetrics() *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "leoc_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status (499: client went away).",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "leoc_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by route pattern and method.",
		// From a cached page to a PDF or an export on a slow server.
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method"})
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "leoc_build_info", Help: "Always 1; the labels say which LEOC and database run.",
	}, []string{"version", "database"})
	build.WithLabelValues(s.version, string(s.store.Dialect())).Set(1)
	m.registry.MustRegister(m.requests, m.latency, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for name, db := range s.store.Pools() {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

// observe records one answered request; the access log calls it.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// MetricsHandler serves /metrics without a token, for the separate admin
// listener (LEOC_METRICS_ADDR) that only the operator's network reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler)
	return mux
}

// metricsPage is /metrics on the main listener: only with the bearer token
// of LEOC_METRICS_TOKEN, and as if it did not exist when none is set, so a
// public server shows nothing about its traffic.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.MetricsToken == "" {
		s.notFound(w, r)
		return
	}
	const prefix = "Bearer "
	got := r.Header.Get("Authorization")
	if len(got) <= len(prefix) || got[:len(prefix)] != prefix ||
		subtle.ConstantTimeCompare([]byte(got[len(prefix):]), []byte(s.cfg.MetricsToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		s.renderError(w, r, leoc.Errorf(leoc.EUnauthorized, "metrics.token_required"))
		return
	}
	s.metrics.handler.ServeHTTP(w, r)
}
