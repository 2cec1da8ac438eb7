package server

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

// The statistics benchmarks (issue 15, docs/performance.md "Statistics"):
// n incidents and n distributions on SQLite, n = LEOC_BENCH_STATS_ROWS
// (default 100,000; 1,000,000 for the growth check):
//
//	LEOC_BENCH_STATS_DB=/tmp/leoc-stats-100k.db go test -run '^$' -bench 'Statistics$' -benchtime 200x ./internal/server
//	LEOC_BENCH_STATS_DB=/tmp/leoc-stats-100k.db go test -run '^$' -bench StatisticsLoad -benchtime 1x ./internal/server
//
// The incidents are made by the demo generator through the store, the first
// 100,000; more are copies of those (new ids, the same days, so every day
// holds ten times the incidents) made with bulk SQL. The distributions are
// made by the demo generator's bulk path (demo.BulkDistributions), after
// which every statistics row is rebuilt from the records. The database is
// kept at LEOC_BENCH_STATS_DB (it takes minutes to make) and copied for
// every run. LEOC_BENCH_STATS_BASE names a kept 100,000-row database to
// copy the 1,000,000 from.

func statsBenchEnv(b *testing.B) *testEnv {
	b.Helper()
	n := 100_000
	if v := os.Getenv("LEOC_BENCH_STATS_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("LEOC_BENCH_STATS_ROWS=%q", v)
		}
	}
	path := filepath.Join(b.TempDir(), "leoc.db")
	kept := os.Getenv("LEOC_BENCH_STATS_DB")
	if kept != "" {
		if _, err := os.Stat(kept); err == nil {
			copyDatabase(b, kept, path)
			return newEnv(b, storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return "sqlite://" + path }})
		}
	}
	if base := os.Getenv("LEOC_BENCH_STATS_BASE"); base != "" && n > 100_000 {
		// Start from a kept 100,000-row database instead of generating it.
		copyDatabase(b, base, path)
		multiplyToStatsRows(b, path, n/100_000)
	} else {
		generateStatsData(b, path, n)
	}
	if kept != "" {
		copyDatabase(b, path, kept)
	}
	return newEnv(b, storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return "sqlite://" + path }})
}

func copyDatabase(b *testing.B, from, to string) {
	b.Helper()
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

func generateStatsData(b *testing.B, path string, n int) {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		b.Fatal(err)
	}
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	base := min(n, 100_000)
	o := demo.Options{Seed: 1, Incidents: base, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	if err := demo.Incidents(ctx, st, bs.Default(), o); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d incidents in %s", base, time.Since(start).Round(time.Second))
	st.Close()
	multiplyToStatsRows(b, path, n/base)
}

// multiplyToStatsRows makes the database at path hold copies times the
// incidents it holds, and as many distributions, then rebuilds its
// statistics rows. Distributions are made by the demo generator's bulk path
// (demo.BulkDistributions, as leoc demo and leoc bench make them), spread
// over the four fiscal years' days; incidents, which have no bulk path, are
// copied (multiplyRecords).
func multiplyToStatsRows(b *testing.B, path string, copies int) {
	ctx := context.Background()
	start := time.Now()
	multiplyRecords(b, path, copies)
	st, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var incidents, distributions int
	if err := st.QueryRow(ctx, "SELECT (SELECT COUNT(*) FROM incidents), (SELECT COUNT(*) FROM distributions)").Scan(&incidents, &distributions); err != nil {
		b.Fatal(err)
	}
	if distributions < incidents {
		o := demo.Options{Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
		err = demo.BulkDistributions(ctx, st, bs.Default(), incidents-distributions, o) // rebuilds the statistics
	} else {
		err = st.FinishBulkLoad(ctx)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("made %d incidents and %d distributions and rebuilt the statistics in %s", incidents, max(incidents, distributions), time.Since(start).Round(time.Second))
}

// multiplyRecords copies every incident copies-1 times under new ids.
func multiplyRecords(b *testing.B, path string, copies int) {
	if copies < 2 {
		return
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name FROM pragma_table_info('incidents') ORDER BY cid")
	if err != nil {
		b.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			b.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	var maxID int64
	if err := db.QueryRow("SELECT MAX(id) FROM incidents").Scan(&maxID); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for c := 1; c < copies; c++ {
		sel := slices.Clone(cols)
		sel[slices.Index(cols, "id")] = fmt.Sprintf("id + %d", int64(c)*maxID)
		q := "INSERT INTO incidents (" + strings.Join(cols, ", ") + ") SELECT " + strings.Join(sel, ", ") + fmt.Sprintf(" FROM incidents WHERE id <= %d", maxID)
		if _, err := tx.Exec(q); err != nil {
			b.Fatalf("copy incidents: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// statsBenchPaths are the answers measured: unfiltered, by fiscal year, by
// ward, a one-year date range (2081-10-01 to 2082-09-30 BS, across a
// fiscal-year boundary) and one month.
var statsBenchPaths = []struct{ name, path string }{
	{"incidents/all", "/api/v1/stats/incidents"},
	{"incidents/fy", "/api/v1/stats/incidents?fy=2082/83"},
	{"incidents/ward", "/api/v1/stats/incidents?ward=3"},
	{"incidents/year-range", "/api/v1/stats/incidents?from=2081-10-01&to=2082-09-30"},
	{"incidents/month", "/api/v1/stats/incidents?from=2082-04-01&to=2082-04-31"},
	{"distributions/all", "/api/v1/stats/distributions"},
	{"distributions/fy", "/api/v1/stats/distributions?fy=2082/83"},
	{"distributions/ward", "/api/v1/stats/distributions?ward=3"},
	{"distributions/year-range", "/api/v1/stats/distributions?from=2081-10-01&to=2082-09-30"},
	{"distributions/month", "/api/v1/stats/distributions?from=2082-04-01&to=2082-04-31"},
}

// BenchmarkStatistics is the service time of every statistics answer
// through the whole handler (token, middleware, JSON; in process), with
// the cache emptied before each request ("uncached") and not ("cached").
func BenchmarkStatistics(b *testing.B) {
	e := statsBenchEnv(b)
	tok := e.tokens[leoc.RoleViewer]
	for _, c := range statsBenchPaths {
		b.Run("uncached/"+c.name, func(b *testing.B) { benchStats(b, e, tok, c.path, e.s.statsCache.Invalidate) })
	}
	for _, c := range statsBenchPaths {
		b.Run("cached/"+c.name, func(b *testing.B) { benchStats(b, e, tok, c.path, nil) })
	}
}

func benchStats(b *testing.B, e *testEnv, tok, path string, before func()) {
	h := e.s.Handler()
	var times []time.Duration
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if before != nil {
			before()
		}
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		r.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(w, r)
		times = append(times, time.Since(t0))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	// CPU of the whole process per request: on a loaded machine the wall
	// clock is an upper bound, the CPU is what the answer costs.
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	slices.Sort(times)
	ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// BenchmarkStatisticsLoad drives the real handler over loopback HTTP with
// 32 connections asking for statistics answers (the paths above in turn)
// for LEOC_BENCH_LOAD_SECONDS (default 10), while one client creates an
// incident every 2 seconds — each write empties the cache. It reports the
// answers per second and their p50 and p99.
func BenchmarkStatisticsLoad(b *testing.B) {
	e := statsBenchEnv(b)
	// The access log as production writes it (JSON), thrown away after
	// formatting, as in BenchmarkPerRequest and leoc bench — not the test
	// harness's text log growing in memory.
	e.s.log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	seconds := 10
	if v := os.Getenv("LEOC_BENCH_LOAD_SECONDS"); v != "" {
		seconds, _ = strconv.Atoi(v)
	}
	srv := httptest.NewServer(e.s.Handler())
	defer srv.Close()
	tok, officer := e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleOfficer]
	const conns = 32
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}}
	get := func(path, token string, body io.Reader) (int, error) {
		method := "GET"
		if body != nil {
			method = "POST"
		}
		r, _ := http.NewRequest(method, srv.URL+path, body)
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Accept-Encoding", "gzip")
		if body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(r)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, err
	}
	for b.Loop() {
		cpu0 := processCPU()
		stop := time.Now().Add(time.Duration(seconds) * time.Second)
		var wg sync.WaitGroup
		var failures, writes atomic.Int64
		times := make([][]time.Duration, conns)
		for c := range conns {
			wg.Go(func() {
				for i := c; time.Now().Before(stop); i++ {
					t0 := time.Now()
					code, err := get(statsBenchPaths[i%len(statsBenchPaths)].path, tok, nil)
					times[c] = append(times[c], time.Since(t0))
					if err != nil || code != http.StatusOK {
						failures.Add(1)
					}
				}
			})
		}
		wg.Go(func() {
			for time.Now().Before(stop) {
				time.Sleep(2 * time.Second)
				if code, err := get("/api/v1/incidents", officer, strings.NewReader(incidentBody)); err != nil || code != http.StatusCreated {
					failures.Add(1)
				}
				writes.Add(1)
			}
		})
		wg.Wait()
		all := slices.Concat(times...)
		slices.Sort(all)
		ms := func(q float64) float64 { return float64(all[int(q*float64(len(all)-1))].Microseconds()) / 1000 }
		b.ReportMetric(float64(len(all))/float64(seconds), "answers/s")
		b.ReportMetric(ms(0.5), "p50-ms")
		b.ReportMetric(ms(0.99), "p99-ms")
		b.ReportMetric(float64(writes.Load()), "writes")
		// The process's CPU per answer — server and load generator, which
		// share the process — does not grow with the machine's load as the
		// wall times do; 2 cores / it is what two idle cores could answer.
		cpu := float64((processCPU() - cpu0).Microseconds()) / float64(len(all))
		b.ReportMetric(cpu, "cpu-µs/answer")
		b.ReportMetric(2e6/cpu, "answers/s-on-2-idle-cores")
		if failures.Load() > 0 {
			b.Fatalf("%d requests failed", failures.Load())
		}
	}
}
