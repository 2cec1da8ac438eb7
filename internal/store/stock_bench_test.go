package store_test

import (
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// seedStock fills a store with items × warehouses balances and rows ledger
// movements with bulk SQL (one statement each, not one API call per row):
// every balance gets rows/(items·warehouses) movements, receipts of 2 units
// and every fourth a dispatch of 1, and the balances are their sums.
func seedStock(b *testing.B, s *store.Store, items, warehouses, rows int) {
	b.Helper()
	now := s.Now()
	err := s.WithTx(ctx, func(tx *store.Tx) error {
		steps := []struct {
			q    string
			args []any
		}{
			{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				INSERT INTO inventory_items (code, name_ne, name_en, category, unit, min_stock, locked, created_at, created_by, updated_at, updated_by)
				SELECT 'B' || i, 'सामग्री ' || i, 'Item ' || i, 'food', 'kg', 1000 * (i % 7), TRUE, ?, 'bench', ?, 'bench' FROM n`,
				[]any{items, now, now}},
			{`WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				INSERT INTO warehouses (code, name_ne, name_en, locked, created_at, created_by, updated_at, updated_by)
				SELECT 'W' || i, 'भण्डार ' || i, 'Store ' || i, TRUE, ?, 'bench', ?, 'bench' FROM n`,
				[]any{warehouses, now, now}},
			{`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1),
				it AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM inventory_items WHERE code LIKE 'B%'),
				wh AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM warehouses)
				INSERT INTO stock_movements (kind, item_id, warehouse_id, quantity, document_kind, document_id, date_bs, date_ad, created_at, created_by)
				SELECT CASE WHEN (n.i / ?) % 4 = 3 THEN 'dispatch' ELSE 'receipt' END, it.id, wh.id,
					CASE WHEN (n.i / ?) % 4 = 3 THEN -1000 ELSE 2000 END,
					CASE WHEN (n.i / ?) % 4 = 3 THEN 'dispatch' ELSE 'receipt' END, n.i + 1, '2082-04-01', '2025-07-17', ?, 'bench'
				FROM n JOIN it ON it.k = n.i % ? JOIN wh ON wh.k = (n.i / ?) % ?`,
				[]any{rows, items * warehouses, items * warehouses, items * warehouses, now, items, items, warehouses}},
			{`INSERT INTO stock_balances (item_id, warehouse_id, batch, expiry_bs, quantity, movements)
				SELECT item_id, warehouse_id, batch, expiry_bs, SUM(quantity), COUNT(*) FROM stock_movements GROUP BY item_id, warehouse_id, batch, expiry_bs`, nil},
		}
		for _, st := range steps {
			if _, err := tx.Exec(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if s.Dialect() == store.Postgres {
		// VACUUM as autovacuum would after a bulk insert: index-only scans
		// need the visibility map (it cannot run in a transaction).
		if err := s.QueryRow(ctx, "VACUUM ANALYZE stock_movements").Err(); err != nil {
			b.Fatal(err)
		}
		if err := s.WithTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, "ANALYZE"); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far: on a machine
// shared with other work the wall-clock latency measures the queue for the
// cores as much as the code, the CPU time per call does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportLatency reports the p50 and p95 of the timed calls, and the CPU
// time per call since cpu0.
func reportLatency(b *testing.B, times []time.Duration, cpu0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	slices.Sort(times)
	at := func(p float64) float64 { return float64(times[int(float64(len(times)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// BenchmarkStockOnHand reads the stock on hand of 5,000 items in 10
// warehouses over a ledger of 1,000,000 movements: the whole store (50,000
// balances) and one warehouse (5,000). The answer comes from the balance
// table, so the ledger's size does not matter.
func BenchmarkStockOnHand(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			seedStock(b, s, 5000, 10, benchLedgerRows)
			var one int64
			if err := s.QueryRow(ctx, "SELECT id FROM warehouses WHERE code = 'W5'").Scan(&one); err != nil {
				b.Fatal(err)
			}
			for _, c := range []struct {
				name string
				f    store.StockFilter
				want int
			}{{"all-50000", store.StockFilter{}, 50_000}, {"warehouse-5000", store.StockFilter{WarehouseID: one}, 5000}} {
				b.Run(c.name, func(b *testing.B) {
					var times []time.Duration
					cpu0 := cpuTime()
					for b.Loop() {
						t0 := time.Now()
						rows, err := s.StockOnHand(ctx, c.f)
						times = append(times, time.Since(t0))
						if err != nil || len(rows) != c.want {
							b.Fatalf("%d rows, %v", len(rows), err)
						}
					}
					reportLatency(b, times, cpu0)
				})
			}
			// The pages read 50 balances of the 50,000, the first and the
			// 500th (by the cursor of the 499th, and by its number).
			ks := &store.Keyset{}
			after := ""
			for range 499 {
				ks = &store.Keyset{}
				if _, _, err := s.StockOnHandPage(ctx, store.StockFilter{}, store.RecordFilter{After: after, Keyset: ks}); err != nil {
					b.Fatal(err)
				}
				after = ks.Next
			}
			for _, c := range []struct {
				name string
				page store.RecordFilter
			}{{"page1-of-50000", store.RecordFilter{}}, {"page500-by-cursor", store.RecordFilter{After: after, Page: 500}},
				{"page500-by-number", store.RecordFilter{Page: 500}}} {
				b.Run(c.name, func(b *testing.B) {
					var times []time.Duration
					cpu0 := cpuTime()
					for b.Loop() {
						t0 := time.Now()
						rows, total, err := s.StockOnHandPage(ctx, store.StockFilter{}, c.page)
						times = append(times, time.Since(t0))
						if err != nil || len(rows) != 50 || total != 50_000 {
							b.Fatalf("%d rows of %d, %v", len(rows), total, err)
						}
					}
					reportLatency(b, times, cpu0)
				})
			}
			b.Run("verify-1000000", func(b *testing.B) {
				for b.Loop() {
					if diff, n, err := s.VerifyStock(ctx); diff != nil || err != nil || n != 50_000 {
						b.Fatalf("%v %d %v", diff, n, err)
					}
				}
			})
		})
	}
}

// BenchmarkDistributionFromStock saves a distribution of three items taken
// from a warehouse: the distribution, its items, three issues with their
// guarded balance updates, statistics and audit in one transaction.
func BenchmarkDistributionFromStock(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			var main int64
			if err := s.QueryRow(ctx, "SELECT id FROM warehouses WHERE code = 'MAIN'").Scan(&main); err != nil {
				b.Fatal(err)
			}
			receive(b, s, main, line("rice", "10000000"), line("blanket", "10000000"), line("salt", "10000000"))
			items := []leoc.ItemInput{item("rice", 30), item("blanket", 2), item("salt", 1)}
			var times []time.Duration
			i := 0
			cpu0 := cpuTime()
			for b.Loop() {
				i++
				d := stockDistribution(b, s, fmt.Sprintf("BENCH-%d", i), main, items...)
				t0 := time.Now()
				_, err := s.CreateDistribution(ctx, admin, storeKeeper, d)
				times = append(times, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			reportLatency(b, times, cpu0)
		})
	}
}

// benchLedgerRows is the ledger's size in BenchmarkStockOnHand.
var benchLedgerRows = 1_000_000

// BenchmarkBinCardPage reads pages of the bin card of an item with 100,000
// movements (ten items in two stores over a ledger of 1,000,000): the first
// page, the middle one (by number), the last (by the cursor of the one
// before, with its number as the pages' links send it and without as the
// API's next does, and by number), in one store and in all. W2's movements
// all lie in the ledger's first half and MAIN's in its second, so neither
// store's pages are found by walking the ledger in id order. The balance
// brought forward comes from the covering index and the count from the
// balances, so a page costs about the same wherever it is.
func BenchmarkBinCardPage(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			seedStock(b, s, 10, 2, benchLedgerRows)
			stores := []struct {
				name string
				id   int64
				n    int
			}{{"one-store", 0, benchLedgerRows / 20}, {"other-store", 0, benchLedgerRows / 20}, {"all-stores", 0, benchLedgerRows / 10}}
			for i, code := range []string{"W2", "MAIN"} {
				if err := s.QueryRow(ctx, "SELECT id FROM warehouses WHERE code = ?", code).Scan(&stores[i].id); err != nil {
					b.Fatal(err)
				}
			}
			for _, w := range stores {
				last := (w.n + 49) / 50
				// The cursor of the page before the last, read once.
				ks := &store.Keyset{}
				if _, _, err := s.BinCardPage(ctx, "B5", w.id, store.RecordFilter{Page: last - 1, Keyset: ks}); err != nil || ks.Next == "" {
					b.Fatalf("page %d: %v", last-1, err)
				}
				for _, c := range []struct {
					name string
					page store.RecordFilter
				}{{"page1", store.RecordFilter{}}, {"middle-by-number", store.RecordFilter{Page: last / 2}},
					{"last-by-cursor", store.RecordFilter{After: ks.Next, Page: last}}, {"last-by-cursor-api", store.RecordFilter{After: ks.Next}},
					{"last-by-number", store.RecordFilter{Page: last}}} {
					b.Run(w.name+"/"+c.name, func(b *testing.B) {
						var times []time.Duration
						cpu0 := cpuTime()
						for b.Loop() {
							t0 := time.Now()
							card, total, err := s.BinCardPage(ctx, "B5", w.id, c.page)
							times = append(times, time.Since(t0))
							if err != nil || len(card.Entries) == 0 || total != w.n {
								b.Fatalf("%d entries of %d (want %d), %v", len(card.Entries), total, w.n, err)
							}
						}
						reportLatency(b, times, cpu0)
					})
				}
			}
		})
	}
}
