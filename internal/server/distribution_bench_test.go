package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkDistributions100k measures the distribution register through
// the whole HTTP stack on SQLite with 100,000 demo distributions:
//
//	go test -run '^$' -bench Distributions100k -benchtime 3s ./internal/server
//
// Targets (issue 5): create with two items and cash p95 < 20 ms, a list
// page p95 < 30 ms, statistics p95 < 20 ms.
func BenchmarkDistributions100k(b *testing.B) {
	const n = 100_000
	url := "sqlite://" + filepath.Join(b.TempDir(), "leoc.db")
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	err = demo.Distributions(ctx, st, bs.Default(), n, demo.Options{Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d distributions in %s", n, time.Since(start).Round(time.Millisecond))
	st.Close()
	e := newEnv(b, storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return url }})
	tok := e.tokens[leoc.RoleViewer]
	for _, c := range []struct{ name, path string }{
		{"stats/all", "/api/v1/stats/distributions"},
		{"stats/fy", "/api/v1/stats/distributions?fy=2082/83"},
		{"stats/fy+2wards", "/api/v1/stats/distributions?fy=2082/83&ward=3&ward=5"},
		{"stats/month", "/api/v1/stats/distributions?from=2082-04-01&to=2082-04-31"},
		{"list/newest", "/api/v1/distributions"},
		{"list/fy", "/api/v1/distributions?fy=2082/83"},
		{"list/fy+ward", "/api/v1/distributions?fy=2082/83&ward=3"},
		{"list/type", "/api/v1/distributions?type=flood"},
		{"list/search", "/api/v1/distributions?q=" + "खड्का"},
		{"page/list", "/distributions?fy=2082/83"},
	} {
		b.Run(c.name, func(b *testing.B) { benchLatency(b, e, tok, c.path) })
	}
	b.Run("create/2items+cash", func(b *testing.B) {
		officer := e.tokens[leoc.RoleOfficer]
		income := `{"kind":"income","amount":"100000000","description":"bench","date_bs":"2082-10-01"}`
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: e.tokens[leoc.RoleFinance]}); w.Code != http.StatusCreated {
			b.Fatalf("income: %d %s", w.Code, w.Body)
		}
		h := e.s.Handler()
		var times []time.Duration
		i := 0
		for b.Loop() {
			i++
			body := strings.Replace(distributionBody, "12-34/567", fmt.Sprintf("BENCH-%d-%d", b.N, i), 1)
			r := httptest.NewRequest("POST", "/api/v1/distributions", strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+officer)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(w, r)
			times = append(times, time.Since(t0))
			if w.Code != http.StatusCreated {
				b.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		slices.Sort(times)
		ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
		b.ReportMetric(ms(0.5), "p50-ms")
		b.ReportMetric(ms(0.95), "p95-ms")
	})
}
