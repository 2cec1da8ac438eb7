-- Bin card pages (issue 15): a page shows "page n of m", and counting an
-- item's movements read its whole range of the card index on every page
-- (50,000 entries, 5 ms on PostgreSQL, for one store at 1,000,000 ledger
-- rows; 100,000 over all stores). Each balance now counts the movements it
-- is the sum of, kept by the same guarded update that moves its quantity
-- (store/stock.go), so a card's count is the sum over its few balances;
-- leoc stock verify recomputes both.
ALTER TABLE stock_balances ADD COLUMN movements BIGINT NOT NULL DEFAULT 0;
UPDATE stock_balances SET movements = m.n
    FROM (SELECT item_id, warehouse_id, batch, expiry_bs, COUNT(*) AS n FROM stock_movements
          GROUP BY item_id, warehouse_id, batch, expiry_bs) m
    WHERE m.item_id = stock_balances.item_id AND m.warehouse_id = stock_balances.warehouse_id
      AND m.batch = stock_balances.batch AND m.expiry_bs = stock_balances.expiry_bs;
