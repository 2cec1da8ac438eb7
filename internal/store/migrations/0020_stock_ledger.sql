-- The stock ledger (मौज्दात खाता) of the relief store: every change of
-- stock is one immutable row of stock_movements, and stock_balances holds the
-- current quantity per item x warehouse x batch x expiry, moved in the same
-- transaction by a guarded update
--   UPDATE stock_balances SET quantity = quantity + ? WHERE … AND quantity + ? >= 0
-- (0 rows = not enough in stock), as the fund balance is. `leoc stock verify`
-- recomputes the balances from the ledger. Quantities are thousandths of the
-- item's unit (leoc.Quantity); costs are paisa per unit.

-- The documents of the store, one table for the four kinds (their header
-- fields differ little; one number sequence per kind and fiscal year):
--   receipt    goods in (purchase, donation, from the district or province)
--   transfer   from one warehouse to another: sent, then received
--   adjustment damaged, expired or a count correction; stock moves on approval
--   dispatch   goods out to an incident site (the waybill)
-- A posted document is never edited: a mistake is corrected by an adjustment,
-- so the bin card always shows what happened.
CREATE TABLE stock_documents (
    id                 {{id}},
    kind               TEXT NOT NULL CHECK (kind IN ('receipt', 'transfer', 'adjustment', 'dispatch')),
    number             INTEGER NOT NULL CHECK (number > 0),
    date_bs            TEXT NOT NULL,
    date_ad            TEXT NOT NULL,
    fiscal_year        INTEGER NOT NULL,
    warehouse_id       {{bigint}} NOT NULL REFERENCES warehouses (id),
    -- the receiving warehouse of a transfer
    to_warehouse_id    {{bigint}} REFERENCES warehouses (id),
    -- receipt: purchase | donation | district | province
    source             TEXT NOT NULL DEFAULT '',
    -- receipt: supplier or donor; dispatch: who received the goods
    party              TEXT NOT NULL DEFAULT '',
    party_phone        TEXT NOT NULL DEFAULT '',
    -- letter, invoice or challan number
    reference          TEXT NOT NULL DEFAULT '',
    -- dispatch: the incident and the site the goods go to, the vehicle
    incident_id        {{bigint}} REFERENCES incidents (id),
    site               TEXT NOT NULL DEFAULT '',
    vehicle            TEXT NOT NULL DEFAULT '',
    driver             TEXT NOT NULL DEFAULT '',
    -- adjustment: damaged | expired | count_correction, and why
    adjustment_kind    TEXT NOT NULL DEFAULT '',
    reason             TEXT NOT NULL DEFAULT '',
    -- posted (receipt, dispatch), sent | received (transfer),
    -- pending | approved (adjustment)
    status             TEXT NOT NULL CHECK (status IN ('posted', 'sent', 'received', 'pending', 'approved')),
    done_date_bs       TEXT NOT NULL DEFAULT '',
    done_by            TEXT NOT NULL DEFAULT '',
    done_at            {{timestamp}},
    notes              TEXT NOT NULL DEFAULT '',
    locked             BOOLEAN NOT NULL DEFAULT TRUE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         {{timestamp}} NOT NULL,
    created_by         TEXT NOT NULL,
    updated_at         {{timestamp}} NOT NULL,
    updated_by         TEXT NOT NULL,
    UNIQUE (kind, fiscal_year, number),
    CHECK ((kind = 'transfer') = (to_warehouse_id IS NOT NULL)),
    CHECK (to_warehouse_id IS NULL OR to_warehouse_id <> warehouse_id),
    CHECK (kind <> 'receipt' OR source IN ('purchase', 'donation', 'district', 'province')),
    CHECK (kind <> 'adjustment' OR (adjustment_kind IN ('damaged', 'expired', 'count_correction') AND reason <> '')),
    CHECK ((kind IN ('receipt', 'dispatch') AND status = 'posted') OR (kind = 'transfer' AND status IN ('sent', 'received'))
        OR (kind = 'adjustment' AND status IN ('pending', 'approved')))
);
CREATE INDEX stock_documents_kind ON stock_documents (kind, date_ad, id);
CREATE INDEX stock_documents_warehouse ON stock_documents (warehouse_id, date_ad);
CREATE INDEX stock_documents_to_warehouse ON stock_documents (to_warehouse_id);
CREATE INDEX stock_documents_incident ON stock_documents (incident_id);

-- The lines of a document. quantity is what the document moves: received,
-- sent, dispatched (positive) or, for an adjustment, the signed change. A
-- transfer's line records what arrived (received) and why it differs.
CREATE TABLE stock_document_lines (
    document_id        {{bigint}} NOT NULL REFERENCES stock_documents (id),
    position           INTEGER NOT NULL,
    item_id            {{bigint}} NOT NULL REFERENCES inventory_items (id),
    batch              TEXT NOT NULL DEFAULT '',
    expiry_bs          TEXT NOT NULL DEFAULT '',
    quantity           BIGINT NOT NULL CHECK (quantity <> 0),
    unit_cost          BIGINT CHECK (unit_cost >= 0),
    received           BIGINT CHECK (received >= 0),
    difference_reason  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, position)
);
CREATE INDEX stock_document_lines_item ON stock_document_lines (item_id);

-- The number last given per kind and fiscal year, taken in the write
-- transaction of the document (an upsert that returns the new number), so
-- numbers have no gaps and no two documents share one.
CREATE TABLE stock_document_numbers (
    kind         TEXT NOT NULL,
    fiscal_year  INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (kind, fiscal_year)
);

-- Current stock. expiry_bs and batch are '' when the item does not track
-- them (they are part of the key, and NULL would not be equal to NULL);
-- expiry_ad, the same date in AD for the expiring list, is NULL then.
CREATE TABLE stock_balances (
    item_id       {{bigint}} NOT NULL REFERENCES inventory_items (id),
    warehouse_id  {{bigint}} NOT NULL REFERENCES warehouses (id),
    batch         TEXT NOT NULL DEFAULT '',
    expiry_bs     TEXT NOT NULL DEFAULT '',
    expiry_ad     TEXT,
    quantity      BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (item_id, warehouse_id, batch, expiry_bs)
);
-- The stock on hand reads the balances in key order with their quantities
-- from these indexes alone (no sort, no lookup of each row in the table).
CREATE INDEX stock_balances_on_hand ON stock_balances (item_id, warehouse_id, batch, expiry_bs, quantity);
CREATE INDEX stock_balances_warehouse ON stock_balances (warehouse_id, item_id, batch, expiry_bs, quantity);
CREATE INDEX stock_balances_expiry ON stock_balances (expiry_ad);

-- The ledger. kind says what moved the stock; document_kind and document_id
-- name the document or distribution (no foreign key: a deleted distribution
-- keeps its issue and its return here). A transfer moves out of one warehouse
-- when sent and into the other when received.
CREATE TABLE stock_movements (
    id             {{id}},
    kind           TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'return', 'transfer_out', 'transfer_in', 'adjustment', 'dispatch')),
    item_id        {{bigint}} NOT NULL REFERENCES inventory_items (id),
    warehouse_id   {{bigint}} NOT NULL REFERENCES warehouses (id),
    batch          TEXT NOT NULL DEFAULT '',
    expiry_bs      TEXT NOT NULL DEFAULT '',
    expiry_ad      TEXT,
    quantity       BIGINT NOT NULL CHECK (quantity <> 0),
    unit_cost      BIGINT CHECK (unit_cost >= 0),
    document_kind  TEXT NOT NULL CHECK (document_kind IN ('receipt', 'transfer', 'adjustment', 'dispatch', 'distribution')),
    document_id    {{bigint}} NOT NULL,
    date_bs        TEXT NOT NULL,
    date_ad        TEXT NOT NULL,
    created_at     {{timestamp}} NOT NULL,
    created_by     TEXT NOT NULL,
    CHECK (kind = 'adjustment' OR (quantity > 0) = (kind IN ('receipt', 'return', 'transfer_in')))
);
-- The bin card: one item in one warehouse (or all), in the order it moved.
CREATE INDEX stock_movements_card ON stock_movements (item_id, warehouse_id, id);
CREATE INDEX stock_movements_document ON stock_movements (document_kind, document_id);

-- @sqlite
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END;
-- @postgres
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock_movements is append-only';
END;
$$;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE OR DELETE ON stock_movements
FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();
CREATE TRIGGER stock_movements_no_truncate BEFORE TRUNCATE ON stock_movements
FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_append_only();
-- @end

-- A distribution may take its relief items from a warehouse; NULL keeps the
-- behaviour of distributions recorded before the store existed (no stock
-- moves).
ALTER TABLE distributions ADD COLUMN warehouse_id {{bigint}} REFERENCES warehouses (id);
CREATE INDEX distributions_warehouse ON distributions (warehouse_id);
