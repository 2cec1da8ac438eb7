package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/must"
)

// BenchmarkStockViews measures the stock pages over the demo's store after
// 2,000 distributions from stock (about 5,000 ledger rows): the stock on
// hand, the low-stock list and the bin card of rice (every movement of rice,
// with its running balance), as a logged-in viewer reads them.
func BenchmarkStockViews(b *testing.B) {
	e := newEnv(b, backendSQLite())
	opts := demo.Options{Seed: 3, Batch: 250, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	must.OK(b, demo.Distributions(context.Background(), e.st, bs.Default(), 2000, opts))
	cookies, _ := e.login("viewer1")
	h := e.s.Handler()
	for _, path := range []string{"/inventory/stock", "/inventory/stock?group=item", "/inventory/stock/low", "/inventory/items/rice/card"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("GET", path, nil)
				for _, c := range cookies {
					r.AddCookie(c)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
