package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkMapData100k measures the map's data through the whole HTTP
// stack on SQLite with 100,000 demo distributions and 10,000 incidents,
// every one with coordinates in Thalara:
//
//	go test -run '^$' -bench MapData100k -benchtime 20x ./internal/server
//
// Targets (issue 11): all distributions < 200 ms and < 3 MB gzipped; a 304
// for an unchanged answer < 5 ms.
func BenchmarkMapData100k(b *testing.B) {
	ctx := context.Background()
	// LEOC_BENCH_MAP_DB keeps the generated database between runs (it
	// takes minutes to make); the default is a fresh one.
	path := filepath.Join(b.TempDir(), "leoc.db")
	url := "sqlite://" + path
	kept := os.Getenv("LEOC_BENCH_MAP_DB")
	if data, err := os.ReadFile(kept); kept != "" && err == nil {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
	} else {
		generateMapData(b, ctx, url)
		if kept != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(kept, data, 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	e := newEnv(b, storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return url }})
	tok := e.tokens[leoc.RoleOfficer] // sees every household: the largest answer
	for _, c := range []struct{ name, path string }{
		{"distributions/all", "/api/v1/map/distributions"},
		{"distributions/fy", "/api/v1/map/distributions?fy=2082/83"},
		{"incidents/all", "/api/v1/map/incidents"},
	} {
		b.Run(c.name, func(b *testing.B) { benchMap(b, e, tok, c.path) })
	}
}

// generateMapData fills a new database with 10,000 incidents and 100,000
// distributions, all with coordinates in Thalara.
func generateMapData(b *testing.B, ctx context.Context, url string) {
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	o := demo.Options{Seed: 1, Incidents: 10_000, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	if err := demo.Incidents(ctx, st, bs.Default(), o); err != nil {
		b.Fatal(err)
	}
	if err := demo.Distributions(ctx, st, bs.Default(), 100_000, o); err != nil {
		b.Fatal(err)
	}
	// The demo leaves households without coordinates; spread them over
	// Thalara (29.40–29.50 N, 80.92–81.12 E), deterministically.
	err = st.WithTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			"UPDATE distributions SET latitude = 29.40 + (id * 7919 % 10000) * 0.00001, longitude = 80.92 + (id * 104729 % 20000) * 0.00001",
			"UPDATE incidents SET latitude = 29.40 + (id * 7919 % 10000) * 0.00001, longitude = 80.92 + (id * 104729 % 20000) * 0.00001",
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 10,000 incidents and 100,000 distributions in %s", time.Since(start).Round(time.Millisecond))
	st.Close()
}

// benchMap reports the latency of a full answer (gzipped, as a browser
// asks), its size, and the latency of the 304 that follows.
func benchMap(b *testing.B, e *testEnv, tok, path string) {
	h := e.s.Handler()
	get := func(etag string) (*httptest.ResponseRecorder, time.Duration) {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		r.Header.Set("Accept-Encoding", "gzip")
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		w.Body = bytes.NewBuffer(make([]byte, 0, 4<<20))
		t0 := time.Now()
		h.ServeHTTP(w, r)
		return w, time.Since(t0)
	}
	var build, full, cached []time.Duration
	var size int
	b.ReportAllocs()
	for b.Loop() {
		// The first answer after a write builds the collection; later
		// clients get the cached gzip of the same data version; a client
		// that has it gets 304.
		e.s.mapCache.clear()
		w, d := get("")
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
			b.Fatalf("%s: %d %q", path, w.Code, w.Header().Get("Content-Encoding"))
		}
		build, size = append(build, d), w.Body.Len()
		again, d := get("")
		if again.Code != http.StatusOK || !bytes.Equal(again.Body.Bytes(), w.Body.Bytes()) {
			b.Fatalf("%s: the second answer differs from the first (%d)", path, again.Code)
		}
		full = append(full, d)
		w304, d := get(w.Header().Get("ETag"))
		if w304.Code != http.StatusNotModified {
			b.Fatalf("%s with If-None-Match: %d", path, w304.Code)
		}
		cached = append(cached, d)
	}
	p := func(ts []time.Duration, q float64) float64 {
		slices.Sort(ts)
		return float64(ts[int(q*float64(len(ts)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(build, 0.5), "build-p50-ms")
	b.ReportMetric(p(build, 0.95), "build-p95-ms")
	b.ReportMetric(p(full, 0.5), "p50-ms")
	b.ReportMetric(p(full, 0.95), "p95-ms")
	b.ReportMetric(float64(size)/1e6, "gzip-MB")
	b.ReportMetric(p(cached, 0.5), "304-p50-ms")
	b.ReportMetric(p(cached, 0.95), "304-p95-ms")
}
