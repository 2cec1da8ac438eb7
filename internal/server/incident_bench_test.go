package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkIncidents100k measures the incident register the way people use
// it, through the whole HTTP stack (bearer token, middleware, JSON), on
// SQLite with 100,000 demo incidents:
//
//	go test -run '^$' -bench Incidents100k -benchtime 3s ./internal/server
//
// The data set is generated once per run with the demo generator (about 45 s
// on 2 cores), through the same store path as every create, and removed
// afterwards. Targets (issue 4): statistics with filters p95 < 20 ms, a list
// page p95 < 30 ms, CSV export of all 100,000 rows < 3 s with flat memory.
func BenchmarkIncidents100k(b *testing.B) {
	const n = 100_000
	dbURL := "sqlite://" + filepath.Join(b.TempDir(), "leoc.db")
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	// "Today" is the test clock's (BS 2082-10-15): four fiscal years, 2079/80 to 2082/83.
	err = demo.Incidents(ctx, st, bs.Default(), demo.Options{Incidents: n, Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d incidents in %s", n, time.Since(start).Round(time.Millisecond))
	st.Close()
	e := newEnv(b, storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return dbURL }})
	tok := e.tokens[leoc.RoleViewer]

	for _, c := range []struct{ name, path string }{
		{"stats/all", "/api/v1/stats/incidents"},
		{"stats/fy", "/api/v1/stats/incidents?fy=2082/83"},
		{"stats/fy+2wards", "/api/v1/stats/incidents?fy=2082/83&ward=3&ward=5"},
		{"stats/2fy+type", "/api/v1/stats/incidents?fy=2081/82&fy=2082/83&type=landslide&type=flood"},
		{"stats/month", "/api/v1/stats/incidents?from=2082-04-01&to=2082-04-31"},
		{"stats/fy+ward+quarter", "/api/v1/stats/incidents?ward=3&from=2082-04-01&to=2082-06-31"},
		{"stats/search", "/api/v1/stats/incidents?fy=2082/83&q=बिष्खेत"},
		{"list/newest", "/api/v1/incidents"},
		{"list/fy", "/api/v1/incidents?fy=2082/83"},
		{"list/fy+ward", "/api/v1/incidents?fy=2082/83&ward=3"},
		{"list/2wards", "/api/v1/incidents?ward=3&ward=5"},
		{"list/type", "/api/v1/incidents?type=earthquake"},
		{"list/fy+page40", "/api/v1/incidents?fy=2082/83&page=40"},
		{"list/month", "/api/v1/incidents?from=2082-04-01&to=2082-04-31"},
		{"list/by-loss", "/api/v1/incidents?fy=2082/83&sort=loss"},
		{"list/search", "/api/v1/incidents?q=बिष्खेत"},
		{"picker/ward+type", "/api/v1/incidents?search=" + url.QueryEscape("३ बाढी")},
		{"picker/type+month", "/api/v1/incidents?search=" + url.QueryEscape("landslide 2082-05")},
		{"picker/tole", "/api/v1/incidents?search=" + url.QueryEscape("बिष्खेत")},
		{"picker/number", "/api/v1/incidents?search=" + url.QueryEscape("#54321")},
		{"page/list", "/incidents?fy=2082/83"},
		{"page/stats", "/incidents/stats?fy=2082/83"},
	} {
		b.Run(c.name, func(b *testing.B) { benchLatency(b, e, tok, c.path) })
	}
	b.Run("export/csv-all", func(b *testing.B) { benchExport(b, e, tok, "/api/v1/incidents/export.csv") })
	b.Run("export/csv-fy", func(b *testing.B) { benchExport(b, e, tok, "/api/v1/incidents/export.csv?fy=2082/83") })
	b.Run("export/xlsx-all", func(b *testing.B) { benchExport(b, e, tok, "/api/v1/incidents/export.xlsx") })
	b.Run("export/xlsx-fy", func(b *testing.B) { benchExport(b, e, tok, "/api/v1/incidents/export.xlsx?fy=2082/83") })
}

// benchLatency calls path repeatedly and reports the median and the 95th
// percentile of the server time.
func benchLatency(b *testing.B, e *testEnv, tok, path string) {
	h := e.s.Handler()
	var times []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, r)
		times = append(times, time.Since(t0))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	slices.Sort(times)
	ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

// countingWriter is a client that reads the answer and throws it away, so
// the measured memory is the server's, not a recorder's copy of 30 MB.
type countingWriter struct {
	header http.Header
	status int
	bytes  atomic.Int64
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(s int)   { w.status = s }
func (w *countingWriter) Flush()              {}
func (w *countingWriter) Write(p []byte) (int, error) {
	w.bytes.Add(int64(len(p)))
	return len(p), nil
}

// benchExport runs an export and reports its size, the bytes allocated and
// how far the live heap grew above what it was before (sampled every
// millisecond): flat memory means the growth does not follow the rows.
func benchExport(b *testing.B, e *testEnv, tok, path string) {
	h := e.s.Handler()
	var peak, size int64
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var mu sync.Mutex
		maxHeap := before.HeapAlloc
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			var m runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					runtime.ReadMemStats(&m)
					mu.Lock()
					maxHeap = max(maxHeap, m.HeapAlloc)
					mu.Unlock()
				}
			}
		}()
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := &countingWriter{header: http.Header{}}
		h.ServeHTTP(w, r)
		close(done)
		<-sampled
		if w.status != 0 && w.status != http.StatusOK {
			b.Fatalf("%s: %d", path, w.status)
		}
		peak = max(peak, int64(maxHeap)-int64(before.HeapAlloc))
		size = w.bytes.Load()
	}
	b.ReportMetric(float64(size)/(1<<20), "MB-sent")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-growth")
}
