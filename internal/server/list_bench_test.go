package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/auth"
	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkListsAndSearch measures the distribution list through the whole
// HTTP stack — page 1, page 1000 by number, the page after page 999 by its
// cursor, a sorted and a filtered deep page, text searches — at
// LEOC_BENCH_LIST_ROWS distributions (default 100,000; 1,000,000 for the
// growth check) on SQLite, or on PostgreSQL when LEOC_BENCH_LIST_PG is a
// database URL:
//
//	LEOC_BENCH_LIST_ROWS=1000000 LEOC_BENCH_LIST_DB=/tmp/leoc-bench \
//	  go test -run '^$' -bench ListsAndSearch -benchtime 200x ./internal/server
//
// The rows are demo distributions (members, items, cash, realistic names,
// spread over four fiscal years) written by the demo generator's bulk path,
// so making a million takes minutes, not hours. LEOC_BENCH_LIST_DB (a
// directory) keeps the SQLite databases between runs; on PostgreSQL the
// data stays in the schema leoc_bench_list_<rows>.
//
// Targets (issue 15): any page ≤ 10 ms, a search ≤ 15 ms of service time.
func BenchmarkListsAndSearch(b *testing.B) {
	rows := 100_000
	if v := os.Getenv("LEOC_BENCH_LIST_ROWS"); v != "" {
		var err error
		if rows, err = strconv.Atoi(v); err != nil || rows < listBenchBase {
			b.Fatalf("LEOC_BENCH_LIST_ROWS=%q: a number of at least %d", v, listBenchBase)
		}
	}
	ctx := context.Background()
	dbURL := listBenchDatabase(b, rows)
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	st.SetAuditKeys(storetest.AuditKeys(b))
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if n := countDistributions(b, dbURL); n < rows {
		start := time.Now()
		fillListBench(b, ctx, st, dbURL, rows)
		b.Logf("made %d distributions in %s", rows, time.Since(start).Round(time.Second))
	}
	s, tok := listBenchServer(b, st)
	h := s.Handler()
	// The cursor a reader of page 999 follows to page 1000.
	cursor := listBenchNext(b, h, tok, "/api/v1/distributions?page=999")
	for _, c := range []struct{ name, path string }{
		{"list/page1", "/api/v1/distributions"},
		{"list/page1000", "/api/v1/distributions?page=1000"},
		{"list/after999", "/api/v1/distributions?page=1000&after=" + url.QueryEscape(cursor)},
		{"list/name-page1000", "/api/v1/distributions?sort=name&order=asc&page=1000"},
		{"list/ward-page100", "/api/v1/distributions?ward=3&page=100"},
		{"list/fy-page1000", "/api/v1/distributions?fy=2082/83&page=1000"},
		{"search/surname", "/api/v1/distributions?q=" + url.QueryEscape("खड्का")},
		{"search/two-words", "/api/v1/distributions?q=" + url.QueryEscape("राम खड्का")},
		{"search/rare", "/api/v1/distributions?q=" + url.QueryEscape("9800001234")},
		{"search/short-scan", "/api/v1/distributions?q=" + url.QueryEscape("रा")},
		{"page/page1000", "/distributions?page=1000"},
	} {
		b.Run(c.name, func(b *testing.B) {
			// CPU per request is the load-independent figure on SQLite (the
			// database runs in this process); PostgreSQL's share is not in it.
			cpu0 := processCPU()
			benchLatency(b, &testEnv{s: s}, tok, c.path)
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// listBenchBase is the fewest distributions the benchmark runs at.
const listBenchBase = 20_000

// listBenchDatabase is the URL of the benchmark's database for rows.
func listBenchDatabase(b *testing.B, rows int) string {
	if pg := os.Getenv("LEOC_BENCH_LIST_PG"); pg != "" {
		schema := fmt.Sprintf("leoc_bench_list_%d", rows)
		admin, err := sql.Open("pgx", pg)
		if err != nil {
			b.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE SCHEMA IF NOT EXISTS " + schema); err != nil {
			b.Fatal(err)
		}
		u, err := url.Parse(pg)
		if err != nil {
			b.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	dir := os.Getenv("LEOC_BENCH_LIST_DB")
	if dir == "" {
		dir = b.TempDir()
	}
	return "sqlite://" + filepath.Join(dir, fmt.Sprintf("list-%d.db", rows))
}

func countDistributions(b *testing.B, dbURL string) int {
	db, _ := openRaw(b, dbURL)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM distributions").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// fillListBench fills the database up to rows distributions with the demo
// generator through the store's bulk path (demo.BulkDistributions, the one
// leoc demo and leoc bench use): realistic records spread over the four
// fiscal years' days, statistics rebuilt, the database analysed.
func fillListBench(b *testing.B, ctx context.Context, st *store.Store, dbURL string, rows int) {
	have := countDistributions(b, dbURL)
	err := demo.BulkDistributions(ctx, st, bs.Default(), rows-have, demo.Options{Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
}

func openRaw(b *testing.B, dbURL string) (*sql.DB, bool) {
	if path, ok := strings.CutPrefix(dbURL, "sqlite://"); ok {
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			b.Fatal(err)
		}
		return db, false
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		b.Fatal(err)
	}
	return db, true
}

// listBenchServer is a server over st with an officer (who sees every
// household) of a name of its own, so a kept database takes another run.
func listBenchServer(b *testing.B, st *store.Store) (*Server, string) {
	ctx := context.Background()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	u := &leoc.User{Username: fmt.Sprintf("bench%d", time.Now().UnixNano()), Role: leoc.RoleOfficer}
	if err := st.CreateUser(ctx, store.SystemActor, u, hash); err != nil {
		b.Fatal(err)
	}
	tok, err := auth.NewAPIToken()
	if err != nil {
		b.Fatal(err)
	}
	if err := st.CreateAPIToken(ctx, store.SystemActor, &store.APIToken{UserID: u.ID, Prefix: tok[:9]}, auth.TokenHash(tok)); err != nil {
		b.Fatal(err)
	}
	s, err := New(Options{Config: testConfig(), Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench",
		Now: func() time.Time { return time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	return s, tok
}

func listBenchNext(b *testing.B, h http.Handler, tok, path string) string {
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var page struct{ Next *string }
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &page) != nil || page.Next == nil {
		b.Fatalf("%s: %d, no next cursor: %.300s", path, w.Code, w.Body)
	}
	return *page.Next
}
