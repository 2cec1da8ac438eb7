package store_test

import (
	"testing"

	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestBinCardCountMigration: a ledger written before migration 0030 gets
// its balances' movement counts, so the bin card counts its movements and
// leoc stock verify finds ledger and balances equal; a count that drifts is
// a difference.
func TestBinCardCountMigration(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := must.Get(store.Open(ctx, b.URL(t)))(t)
			t.Cleanup(func() { s.Close() })
			s.SetAuditKeys(storetest.AuditKeys(t))
			must.OK(t, s.MigrateToForTest(ctx, 29))
			for _, q := range []string{
				`INSERT INTO inventory_items (code, name_ne, name_en, category, unit, min_stock, locked, created_at, created_by, updated_at, updated_by)
					VALUES ('T1', 'सामग्री', 'Item', 'food', 'kg', 0, TRUE, '2026-12-04 10:00:00', 'test', '2026-12-04 10:00:00', 'test')`,
				`INSERT INTO stock_movements (kind, item_id, warehouse_id, batch, quantity, document_kind, document_id, date_bs, date_ad, created_at, created_by)
					SELECT k.kind, i.id, w.id, k.batch, k.q, k.kind, 1, '2082-04-01', '2025-07-17', '2026-12-04 10:00:00', 'test'
					FROM inventory_items i, warehouses w,
						(SELECT 'receipt' AS kind, 'A' AS batch, 2000 AS q UNION ALL SELECT 'receipt', 'A', 2000
						 UNION ALL SELECT 'dispatch', 'A', -1000 UNION ALL SELECT 'receipt', 'B', 500) k
					WHERE i.code = 'T1' AND w.code = 'MAIN'`,
				`INSERT INTO stock_balances (item_id, warehouse_id, batch, expiry_bs, quantity)
					SELECT item_id, warehouse_id, batch, expiry_bs, SUM(quantity) FROM stock_movements GROUP BY item_id, warehouse_id, batch, expiry_bs`,
			} {
				must.OK(t, s.ExecForTest(ctx, q))
			}
			must.Get(s.Migrate(ctx))(t)

			verifyStock(t, s)
			card, total, err := s.BinCardPage(ctx, "T1", 0, store.RecordFilter{})
			if err != nil || total != 4 || len(card.Entries) != 4 || card.Balance != 3500 {
				t.Fatalf("bin card: %d of %d movements, balance %s, %v; want 4 of 4, 3.5", len(card.Entries), total, card.Balance, err)
			}

			must.OK(t, s.ExecForTest(ctx, "UPDATE stock_balances SET movements = movements + 1 WHERE batch = 'B'"))
			diff, _, err := s.VerifyStock(ctx)
			if err != nil || diff == nil || diff.Batch != "B" || diff.LedgerMovements != 1 || diff.Movements != 2 || diff.Ledger != diff.Balance {
				t.Fatalf("a drifted count: %v, %v; want batch B with 1 movement in the ledger and 2 counted", diff, err)
			}
		})
	}
}
