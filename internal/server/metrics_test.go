package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/store/storetest"
)

const testMetricsToken = "3f9a1c7e5b2d8f4a6c0e9b1d7a3f5c8e2b6d4a0f9c1e7b3d5a8f2c6e0b4d9a7f"

// /health keeps the shape the old deployment guide's monitors read.
func TestHealthShape(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	w := e.do(req{method: "GET", path: "/health"})
	var m map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || w.Code != 200 {
		t.Fatalf("health: %d %s %v", w.Code, w.Body, err)
	}
	if m["status"] != "healthy" || m["version"] != "test" {
		t.Fatalf("health body: %v", m)
	}
	if _, err := time.Parse(time.RFC3339, m["timestamp"]); err != nil {
		t.Fatalf("timestamp %q is not RFC 3339: %v", m["timestamp"], err)
	}
}

// /ready lists every dependency with its latency; one that fails makes the
// whole answer 503 and names it.
func TestReadyReportsEachDependency(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	var redisDown bool
	e.s.readiness = []ReadinessCheck{
		{Name: "object_storage", Check: func(context.Context) error { return nil }},
		{Name: "redis", Check: func(context.Context) error {
			if redisDown {
				return errors.New("connection refused")
			}
			return nil
		}},
	}
	type answer struct {
		Status       string
		Dependencies map[string]dependency
	}
	read := func(wantCode int) answer {
		t.Helper()
		w := e.do(req{method: "GET", path: "/ready"})
		var a answer
		if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != wantCode {
			t.Fatalf("ready: %d (want %d) %s %v", w.Code, wantCode, w.Body, err)
		}
		return a
	}
	a := read(200)
	if a.Status != "ready" || len(a.Dependencies) != 3 {
		t.Fatalf("ready: %+v", a)
	}
	for _, name := range []string{"database", "redis", "object_storage"} {
		d, ok := a.Dependencies[name]
		if !ok || d.Status != "ok" || d.LatencyMS < 0 {
			t.Fatalf("dependency %s: %+v", name, a.Dependencies)
		}
	}
	redisDown = true
	a = read(http.StatusServiceUnavailable)
	if a.Status != "unavailable" || a.Dependencies["redis"].Status != "unavailable" || a.Dependencies["database"].Status != "ok" {
		t.Fatalf("ready with redis down: %+v", a)
	}
	if !strings.Contains(e.logs.String(), "connection refused") {
		t.Fatal("the failing dependency's error is not logged")
	}
	redisDown = false
	e.st.Close()
	if a := read(http.StatusServiceUnavailable); a.Dependencies["database"].Status != "unavailable" {
		t.Fatalf("ready with the database closed: %+v", a)
	}
}

// /metrics on the main listener: 404 without LEOC_METRICS_TOKEN, 401 without
// or with a wrong token, and with it counts by route pattern (not the raw
// path), status, latency, the database pool and the Go runtime.
func TestMetricsNeedTheToken(t *testing.T) {
	off := newEnv(t, storetest.Backends()[0])
	if w := off.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testMetricsToken}}); w.Code != 404 {
		t.Fatalf("metrics without LEOC_METRICS_TOKEN: %d", w.Code)
	}

	e := newEnv(t, storetest.Backends()[0], func(c *config.Config) { c.MetricsToken = testMetricsToken })
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}, {"Authorization": testMetricsToken}} {
		if w := e.do(req{method: "GET", path: "/metrics", header: h}); w.Code != 401 || strings.Contains(w.Body.String(), "go_goroutines") {
			t.Fatalf("metrics with %v: %d", h, w.Code)
		}
	}
	e.do(req{method: "GET", path: "/health"})
	e.do(req{method: "GET", path: "/api/v1/incidents/12345", token: e.tokens[leoc.RoleAdmin]})
	e.do(req{method: "GET", path: "/api/v1/incidents/67890", token: e.tokens[leoc.RoleAdmin]})
	w := e.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testMetricsToken}})
	body := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`leoc_http_requests_total{method="GET",route="GET /health",status="200"} 1`,
		`leoc_http_requests_total{method="GET",route="GET /api/v1/incidents/{id}",status="404"} 2`,
		`leoc_http_requests_total{method="GET",route="GET /metrics",status="401"} 3`,
		`leoc_http_request_duration_seconds_bucket{method="GET",route="GET /health",le="0.005"}`,
		`go_sql_open_connections{db_name="write"}`,
		`go_sql_open_connections{db_name="read"}`,
		`go_goroutines `,
		`leoc_build_info{database="sqlite",version="test"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "12345") {
		t.Error("a raw path reached a metric label")
	}
}

// The separate admin listener (LEOC_METRICS_ADDR) serves only /metrics,
// without a token.
func TestMetricsHandlerServesOnlyMetrics(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	h := e.s.MetricsHandler()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "go_goroutines") {
		t.Fatalf("admin /metrics: %d", w.Code)
	}
	for _, p := range []string{"/", "/health", "/api/v1/me"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if w.Code != 404 {
			t.Errorf("admin listener %s: %d", p, w.Code)
		}
	}
}
