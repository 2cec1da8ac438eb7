package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"leoc/internal/leoc"
)

// StockFilter selects rows of the stock on hand.
type StockFilter struct {
	WarehouseID int64
	Item        string // catalogue code
	// Empty keeps balances that are at zero (an item once held); the stock
	// on hand leaves them out.
	Empty bool
	// ByWarehouse orders by warehouse first (the page grouped by
	// warehouse), else by item.
	ByWarehouse bool
}

const stockBalanceSelect = `SELECT b.item_id, i.code, i.name_ne, i.name_en, i.unit, b.warehouse_id, w.code, b.batch, b.expiry_bs, b.quantity
	FROM stock_balances b JOIN inventory_items i ON i.id = b.item_id JOIN warehouses w ON w.id = b.warehouse_id`

func scanStockBalances(rows *sql.Rows) ([]leoc.StockBalance, error) {
	defer rows.Close()
	var out []leoc.StockBalance
	for rows.Next() {
		var b leoc.StockBalance
		var exp string
		if err := rows.Scan(&b.ItemID, &b.Item, &b.ItemNameNe, &b.ItemNameEn, &b.Unit, &b.WarehouseID, &b.Warehouse, &b.Batch, &exp,
			(*int64)(&b.Quantity)); err != nil {
			return nil, fmt.Errorf("store: stock balances: %w", err)
		}
		b.Expiry = storedDateOrZero(exp)
		out = append(out, b)
	}
	return out, rows.Err()
}

// StockOnHand reads the balance table (never a sum over the ledger): one
// row per item, warehouse, batch and expiry, in catalogue order (item id),
// then warehouse. The balances are read as integers alone and the names
// filled in from one read of the catalogue and the warehouses, so a whole
// store of 50,000 balances costs no string per row. It reads every row:
// the exports; the pages and the API read StockOnHandPage.
func (s *Store) StockOnHand(ctx context.Context, f StockFilter) ([]leoc.StockBalance, error) {
	names, w, err := s.stockQuery(ctx, f)
	if err != nil || names == nil {
		return nil, err
	}
	rows, err := s.query(ctx, "SELECT "+stockOnHandColumns+" FROM stock_balances"+w.sql()+stockOrder(f), w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: stock on hand: %w", err)
	}
	defer rows.Close()
	var out []leoc.StockBalance
	for rows.Next() {
		b, err := names.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// StockOnHandPage reads one page of the stock on hand (page's Page,
// PerPage, After and Keyset, as every list), in the order the rows are
// grouped — by item, or by warehouse when f.ByWarehouse — and counts the
// rows of the whole filter. A page of a store of 50,000 balances reads 50
// balances and the names of their items, not the catalogue.
func (s *Store) StockOnHandPage(ctx context.Context, f StockFilter, page RecordFilter) ([]leoc.StockBalance, int, error) {
	var items map[int64]itemName
	if f.Item != "" {
		var err error
		if items, err = s.stockItemNames(ctx, f.Item); err != nil || len(items) == 0 {
			return nil, 0, err
		}
	}
	w := stockWhere(f, items)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM stock_balances"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count stock on hand: %w", err)
	}
	var out []leoc.StockBalance
	raw := &stockNameMaps{}
	err := s.readPage(ctx, listPage{table: "stock_balances", read: stockOnHandColumns, w: w, order: stockOrder(f), unique: true, total: total}, page,
		func(r rowScanner) error {
			b, err := raw.scan(r)
			out = append(out, b)
			return err
		})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	if items == nil {
		ids := map[int64]bool{}
		for _, b := range out {
			ids[b.ItemID] = true
		}
		if items, err = s.stockItemNamesByID(ctx, slices.Collect(maps.Keys(ids))); err != nil {
			return nil, 0, err
		}
	}
	names := &stockNameMaps{items: items}
	if names.whs, err = s.warehouseCodes(ctx); err != nil {
		return nil, 0, err
	}
	for i := range out {
		names.name(&out[i])
	}
	return out, total, nil
}

// StockTotals sums the balances of the given items over the filter's
// warehouses, by item code: a group's total when the page shows part of it.
func (s *Store) StockTotals(ctx context.Context, f StockFilter, itemIDs []int64) (map[string]leoc.Quantity, error) {
	out := map[string]leoc.Quantity{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var w where
	w.in("b.item_id", len(itemIDs), func(i int) any { return itemIDs[i] })
	if f.WarehouseID != 0 {
		w.add("b.warehouse_id = ?", f.WarehouseID)
	}
	rows, err := s.query(ctx, "SELECT i.code, SUM(b.quantity) FROM stock_balances b JOIN inventory_items i ON i.id = b.item_id"+w.sql()+
		" GROUP BY i.code", w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: stock totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var q int64
		if err := rows.Scan(&code, &q); err != nil {
			return nil, fmt.Errorf("store: stock totals: %w", err)
		}
		out[code] = leoc.Quantity(q)
	}
	return out, rows.Err()
}

const stockOnHandColumns = "item_id, warehouse_id, batch, expiry_bs, quantity"

// stockOrder is the balance table's key in the order of the grouping; an
// index covers each (stock_balances_on_hand, stock_balances_warehouse).
func stockOrder(f StockFilter) string {
	if f.ByWarehouse {
		return " ORDER BY warehouse_id, item_id, batch, expiry_bs"
	}
	return " ORDER BY item_id, warehouse_id, batch, expiry_bs"
}

// stockNameMaps are the catalogue's and the warehouses' names by id, read
// once per answer.
type stockNameMaps struct {
	items map[int64]itemName
	whs   map[int64]string
}

func (n *stockNameMaps) scan(r rowScanner) (leoc.StockBalance, error) {
	var b leoc.StockBalance
	var exp string
	if err := r.Scan(&b.ItemID, &b.WarehouseID, &b.Batch, &exp, (*int64)(&b.Quantity)); err != nil {
		return b, fmt.Errorf("store: stock on hand: %w", err)
	}
	if exp != "" {
		b.Expiry = storedDateOrZero(exp)
	}
	n.name(&b)
	return b, nil
}

// name fills in the item's and the warehouse's names (none before they
// are read).
func (n *stockNameMaps) name(b *leoc.StockBalance) {
	it := n.items[b.ItemID]
	b.Item, b.ItemNameNe, b.ItemNameEn, b.Unit, b.Warehouse = it.Code, it.NameNe, it.NameEn, it.Unit, n.whs[b.WarehouseID]
}

// stockQuery reads the names and builds the filter's conditions; nil names
// when the filter names an item the catalogue does not have (no rows).
func (s *Store) stockQuery(ctx context.Context, f StockFilter) (*stockNameMaps, *where, error) {
	items, err := s.stockItemNames(ctx, f.Item)
	if err != nil {
		return nil, nil, err
	}
	whs, err := s.warehouseCodes(ctx)
	if err != nil {
		return nil, nil, err
	}
	if f.Item != "" && len(items) == 0 {
		return nil, nil, nil
	}
	return &stockNameMaps{items: items, whs: whs}, stockWhere(f, items), nil
}

// stockWhere is the filter's conditions; items are the catalogue's rows of
// f.Item when it names one.
func stockWhere(f StockFilter, items map[int64]itemName) *where {
	w := &where{}
	if !f.Empty {
		w.add("quantity > 0")
	}
	if f.WarehouseID != 0 {
		w.add("warehouse_id = ?", f.WarehouseID)
	}
	if f.Item != "" {
		for id := range items {
			w.add("item_id = ?", id)
		}
	}
	return w
}

// itemName is what the stock views show of a catalogue item.
type itemName struct{ Code, NameNe, NameEn, Unit string }

// stockItemNames reads the catalogue by id: every item, or the one of code.
func (s *Store) stockItemNames(ctx context.Context, code string) (map[int64]itemName, error) {
	var w where
	if code != "" {
		w.add("code = ?", code)
	}
	return s.itemNames(ctx, &w)
}

// stockItemNamesByID reads the catalogue's rows of ids.
func (s *Store) stockItemNamesByID(ctx context.Context, ids []int64) (map[int64]itemName, error) {
	var w where
	w.in("id", len(ids), func(i int) any { return ids[i] })
	return s.itemNames(ctx, &w)
}

func (s *Store) itemNames(ctx context.Context, w *where) (map[int64]itemName, error) {
	rows, err := s.query(ctx, "SELECT id, code, name_ne, name_en, unit FROM inventory_items"+w.sql(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: stock items: %w", err)
	}
	defer rows.Close()
	out := map[int64]itemName{}
	for rows.Next() {
		var id int64
		var n itemName
		if err := rows.Scan(&id, &n.Code, &n.NameNe, &n.NameEn, &n.Unit); err != nil {
			return nil, fmt.Errorf("store: stock items: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

func (s *Store) warehouseCodes(ctx context.Context) (map[int64]string, error) {
	rows, err := s.query(ctx, "SELECT id, code FROM warehouses")
	if err != nil {
		return nil, fmt.Errorf("store: warehouses: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("store: warehouses: %w", err)
		}
		out[id] = code
	}
	return out, rows.Err()
}

// Expiring lists stock that expires on or before the AD date until (the
// already expired included), first to expire first.
func (s *Store) Expiring(ctx context.Context, until time.Time) ([]leoc.StockBalance, error) {
	rows, err := s.query(ctx, stockBalanceSelect+" WHERE b.quantity > 0 AND b.expiry_ad IS NOT NULL AND b.expiry_ad <= ?"+
		" ORDER BY b.expiry_ad, i.code, w.code, b.batch", dateText(until))
	if err != nil {
		return nil, fmt.Errorf("store: expiring stock: %w", err)
	}
	return scanStockBalances(rows)
}

// LowStock lists the items whose stock over all warehouses is below their
// minimum (items without a minimum are never low).
func (s *Store) LowStock(ctx context.Context) ([]leoc.LowStock, error) {
	rows, err := s.query(ctx, `SELECT i.id, i.code, i.name_ne, i.name_en, i.unit, i.min_stock, COALESCE(SUM(b.quantity), 0) AS have
		FROM inventory_items i LEFT JOIN stock_balances b ON b.item_id = i.id
		WHERE i.min_stock > 0 GROUP BY i.id, i.code, i.name_ne, i.name_en, i.unit, i.min_stock
		HAVING COALESCE(SUM(b.quantity), 0) < i.min_stock ORDER BY i.code`)
	if err != nil {
		return nil, fmt.Errorf("store: low stock: %w", err)
	}
	defer rows.Close()
	var out []leoc.LowStock
	for rows.Next() {
		var l leoc.LowStock
		if err := rows.Scan(&l.ItemID, &l.Item, &l.ItemNameNe, &l.ItemNameEn, &l.Unit, (*int64)(&l.MinStock), (*int64)(&l.Quantity)); err != nil {
			return nil, fmt.Errorf("store: low stock: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// BinCard is an item's movements with their documents and the running
// balance, in one warehouse (warehouseID) or all (0), oldest first.
func (s *Store) BinCard(ctx context.Context, code string, warehouseID int64) (*leoc.BinCard, error) {
	c := leoc.BinCard{Item: code, WarehouseID: warehouseID}
	err := s.queryRow(ctx, "SELECT id, name_ne, name_en, unit FROM inventory_items WHERE code = ?", code).
		Scan(&c.ItemID, &c.ItemNameNe, &c.ItemNameEn, &c.Unit)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &leoc.Error{Code: leoc.ENotFound, Message: leoc.M("stock.item_unknown", code), Err: err}
		}
		return nil, fmt.Errorf("store: bin card: %w", err)
	}
	q := `SELECT m.id, m.kind, m.date_bs, m.warehouse_id, w.code, m.batch, m.expiry_bs, m.quantity, m.unit_cost, m.document_kind,
		m.document_id, COALESCE(d.number, 0), COALESCE(d.fiscal_year, 0), m.created_at, m.created_by
		FROM stock_movements m JOIN warehouses w ON w.id = m.warehouse_id
		LEFT JOIN stock_documents d ON m.document_kind <> 'distribution' AND d.id = m.document_id
		WHERE m.item_id = ?`
	args := []any{c.ItemID}
	if warehouseID != 0 {
		q, args = q+" AND m.warehouse_id = ?", append(args, warehouseID)
	}
	rows, err := s.query(ctx, q+" ORDER BY m.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: bin card: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e leoc.BinCardEntry
		var dateBS, exp string
		var cost sql.NullInt64
		if err := rows.Scan(&e.MovementID, &e.Kind, &dateBS, &e.WarehouseID, &e.Warehouse, &e.Batch, &exp, (*int64)(&e.Quantity), &cost,
			&e.DocumentKind, &e.DocumentID, &e.DocumentNumber, &e.FiscalYear, &e.CreatedAt, &e.CreatedBy); err != nil {
			return nil, fmt.Errorf("store: bin card: %w", err)
		}
		e.DateBS, e.Expiry = storedDateOrZero(dateBS), storedDateOrZero(exp)
		if cost.Valid {
			m := leoc.Money(cost.Int64)
			e.UnitCost = &m
		}
		e.CreatedAt = e.CreatedAt.UTC()
		c.Balance += e.Quantity
		e.Balance = c.Balance
		c.Entries = append(c.Entries, e)
	}
	return &c, rows.Err()
}

// BinCardPage reads one page of an item's bin card (page's Page, PerPage,
// After and Keyset), oldest first, in one warehouse (warehouseID) or all
// (0), and counts its movements (the count its balances keep). The running
// balance starts from the balance brought forward, which an index holding
// item, warehouse, id and quantity answers without reading the ledger's
// rows: a page by number sums the movements it skips while it skips them
// (pageCarry), any other page asks broughtForward. Balance is the stock now.
func (s *Store) BinCardPage(ctx context.Context, code string, warehouseID int64, page RecordFilter) (*leoc.BinCard, int, error) {
	c := leoc.BinCard{Item: code, WarehouseID: warehouseID}
	err := s.queryRow(ctx, "SELECT id, name_ne, name_en, unit FROM inventory_items WHERE code = ?", code).
		Scan(&c.ItemID, &c.ItemNameNe, &c.ItemNameEn, &c.Unit)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, &leoc.Error{Code: leoc.ENotFound, Message: leoc.M("stock.item_unknown", code), Err: err}
		}
		return nil, 0, fmt.Errorf("store: bin card: %w", err)
	}
	whs, err := s.warehouseCodes(ctx)
	if err != nil {
		return nil, 0, err
	}
	w, order, fixed := s.cardFilter(c.ItemID, warehouseID)
	// The balance now and the number of movements are the balance table's
	// (the ledger's sum and count, kept in the same transaction as every
	// movement; leoc stock verify checks both).
	var now, total sql.NullInt64
	if err := s.queryRow(ctx, "SELECT SUM(quantity), SUM(movements) FROM stock_balances"+w.sql(), w.args...).Scan(&now, &total); err != nil {
		return nil, 0, fmt.Errorf("store: bin card: %w", err)
	}
	c.Balance = leoc.Quantity(now.Int64)
	docs := map[int64]bool{}
	carry := &pageCarry{col: "quantity", fixed: fixed}
	err = s.readPage(ctx, listPage{table: "stock_movements", w: w, order: order, keysFirst: true, total: int(total.Int64), carry: carry,
		read: "id, kind, date_bs, warehouse_id, batch, expiry_bs, quantity, unit_cost, document_kind, document_id, created_at, created_by"}, page,
		func(r rowScanner) error {
			var e leoc.BinCardEntry
			var dateBS, exp string
			var cost sql.NullInt64
			if err := r.Scan(&e.MovementID, &e.Kind, &dateBS, &e.WarehouseID, &e.Batch, &exp, (*int64)(&e.Quantity), &cost,
				&e.DocumentKind, &e.DocumentID, &e.CreatedAt, &e.CreatedBy); err != nil {
				return err
			}
			e.DateBS, e.Expiry, e.Warehouse, e.CreatedAt = storedDateOrZero(dateBS), storedDateOrZero(exp), whs[e.WarehouseID], e.CreatedAt.UTC()
			if cost.Valid {
				m := leoc.Money(cost.Int64)
				e.UnitCost = &m
			}
			if e.DocumentKind != "distribution" {
				docs[e.DocumentID] = true
			}
			c.Entries = append(c.Entries, e)
			return nil
		})
	if err != nil || len(c.Entries) == 0 {
		return &c, int(total.Int64), err
	}
	switch {
	case carry.done && carry.after:
		// The stock now less the movements after the page and on it.
		c.BroughtForward = c.Balance - leoc.Quantity(carry.sum)
		for _, e := range c.Entries {
			c.BroughtForward -= e.Quantity
		}
	case carry.done:
		c.BroughtForward = leoc.Quantity(carry.sum)
	default:
		c.BroughtForward, err = s.broughtForward(ctx, w, order, page, int(total.Int64), c.Entries[0].MovementID, c.Balance)
		if err != nil {
			return nil, 0, err
		}
	}
	numbers, err := s.documentNumbers(ctx, slices.Collect(maps.Keys(docs)))
	if err != nil {
		return nil, 0, err
	}
	run := c.BroughtForward
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.DocumentKind != "distribution" {
			n := numbers[e.DocumentID]
			e.DocumentNumber, e.FiscalYear = n[0], n[1]
		}
		run += e.Quantity
		e.Balance = run
	}
	return &c, int(total.Int64), nil
}

// cardFilter selects an item's movements in one warehouse (or all: 0) and
// orders them by id. On PostgreSQL item and warehouse are bounds, not
// equalities, and the order names them: with item_id = ? the planner drops
// the constant from ORDER BY item_id, id, and may then walk the primary key
// in id order and filter, betting that the card's movements are spread
// evenly over the ledger — for a card whose movements lie late in the
// ledger (or before a cursor) it reads the rest of the ledger for one page
// (500,000 rows, ~0.5 s), which it does whenever the card index cannot be
// read alone (rows not yet all-visible: a bulk load while another
// transaction runs). Bounds keep the order, which only the card index
// gives. SQLite keeps equalities: a range on the first column would stop it
// using the second in the index. fixed are the values the filter fixes of
// the order's columns before id (a page by number's bound, pageCarry).
func (s *Store) cardFilter(itemID, warehouseID int64) (w *where, order string, fixed []any) {
	w = &where{}
	if s.dialect != Postgres {
		w.add("item_id = ?", itemID)
		if warehouseID != 0 {
			w.add("warehouse_id = ?", warehouseID)
		}
		return w, " ORDER BY id", nil
	}
	w.add("item_id >= ? AND item_id <= ?", itemID, itemID)
	if warehouseID == 0 {
		return w, " ORDER BY item_id, id", []any{itemID}
	}
	w.add("warehouse_id >= ? AND warehouse_id <= ?", warehouseID, warehouseID)
	return w, " ORDER BY item_id, warehouse_id, id", []any{itemID, warehouseID}
}

// broughtForward is the balance before the movement first (the page's
// first) on the card w selects, for a page that skipped no movements by
// number (the first, the last, one after a cursor): the sum of the
// movements before it, or the balance now less those from it on, whichever
// is shorter (both give the same figure). The page number says which; a
// page after a cursor without one (the API's next page) is placed by where
// first lies between the card's first and last movement, two probes of the
// card index (each read in the card's order: a MIN(id) is planned as ORDER
// BY id LIMIT 1, which PostgreSQL may answer by walking the primary key;
// SQLite would scan the range for both in one SELECT).
func (s *Store) broughtForward(ctx context.Context, w *where, order string, page RecordFilter, total int, first int64, now leoc.Quantity) (leoc.Quantity, error) {
	limit, offset := pageBounds(page.Page, page.PerPage)
	fromEnd := offset+limit/2 > total/2
	if page.After != "" && page.Page <= 1 {
		var lo, hi sql.NullInt64
		o, _ := parseOrder(order, false)
		q := "SELECT (SELECT id FROM stock_movements" + w.sql() + order + " LIMIT 1), (SELECT id FROM stock_movements" + w.sql() + o.reversed() + " LIMIT 1)"
		if err := s.queryRow(ctx, q, append(slices.Clone(w.args), w.args...)...).Scan(&lo, &hi); err != nil {
			return 0, fmt.Errorf("store: bin card: %w", err)
		}
		fromEnd = first-lo.Int64 > hi.Int64-first
	}
	bw := &where{parts: slices.Clone(w.parts), args: slices.Clone(w.args)}
	if fromEnd {
		bw.add("id >= ?", first)
	} else {
		bw.add("id < ?", first)
	}
	var part sql.NullInt64
	if err := s.queryRow(ctx, "SELECT SUM(quantity) FROM stock_movements"+bw.sql(), bw.args...).Scan(&part); err != nil {
		return 0, fmt.Errorf("store: bin card: %w", err)
	}
	if fromEnd {
		return now - leoc.Quantity(part.Int64), nil
	}
	return leoc.Quantity(part.Int64), nil
}

// documentNumbers reads the number and fiscal year of stock documents by id.
func (s *Store) documentNumbers(ctx context.Context, ids []int64) (map[int64][2]int, error) {
	out := map[int64][2]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	w.in("id", len(ids), func(i int) any { return ids[i] })
	rows, err := s.query(ctx, "SELECT id, number, fiscal_year FROM stock_documents"+w.sql(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: document numbers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n [2]int
		if err := rows.Scan(&id, &n[0], &n[1]); err != nil {
			return nil, fmt.Errorf("store: document numbers: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// StockDifference is where ledger and balances disagree.
type StockDifference struct {
	ItemID, WarehouseID int64
	Item, Warehouse     string
	Batch, ExpiryBS     string
	Ledger, Balance     leoc.Quantity
	// LedgerMovements are the movements the ledger holds; Movements, the
	// count the balance keeps of them.
	LedgerMovements, Movements int64
}

func (d *StockDifference) String() string {
	return fmt.Sprintf("item %s, warehouse %s, batch %q, expiry %q: ledger %s, balance %s; movements: ledger %d, balance %d",
		d.Item, d.Warehouse, d.Batch, d.ExpiryBS, d.Ledger, d.Balance, d.LedgerMovements, d.Movements)
}

// VerifyStock recomputes every balance from the ledger and returns the
// first difference (nil when they are equal) and the number of balances
// compared. It reads in one transaction, so a concurrent write is seen
// whole or not at all.
func (s *Store) VerifyStock(ctx context.Context) (*StockDifference, int, error) {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: s.snapshotIsolation()})
	if err != nil {
		return nil, 0, fmt.Errorf("store: verify stock: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	// Both sides summed once and joined on the key (a full outer join
	// written as a union of keys, which both databases run): a balance
	// without movements and movements without a balance both show.
	rows, err := tx.QueryContext(ctx, s.rebind(`WITH l AS (SELECT item_id, warehouse_id, batch, expiry_bs, SUM(quantity) AS q, COUNT(*) AS n FROM stock_movements
			GROUP BY item_id, warehouse_id, batch, expiry_bs),
		k AS (SELECT item_id, warehouse_id, batch, expiry_bs FROM l UNION SELECT item_id, warehouse_id, batch, expiry_bs FROM stock_balances)
		SELECT k.item_id, k.warehouse_id, k.batch, k.expiry_bs, i.code, w.code, COALESCE(l.q, 0), COALESCE(b.quantity, 0),
			COALESCE(l.n, 0), COALESCE(b.movements, 0)
		FROM k JOIN inventory_items i ON i.id = k.item_id JOIN warehouses w ON w.id = k.warehouse_id
		LEFT JOIN l ON l.item_id = k.item_id AND l.warehouse_id = k.warehouse_id AND l.batch = k.batch AND l.expiry_bs = k.expiry_bs
		LEFT JOIN stock_balances b ON b.item_id = k.item_id AND b.warehouse_id = k.warehouse_id AND b.batch = k.batch AND b.expiry_bs = k.expiry_bs
		ORDER BY k.item_id, k.warehouse_id, k.batch, k.expiry_bs`))
	if err != nil {
		return nil, 0, fmt.Errorf("store: verify stock: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var d StockDifference
		if err := rows.Scan(&d.ItemID, &d.WarehouseID, &d.Batch, &d.ExpiryBS, &d.Item, &d.Warehouse, (*int64)(&d.Ledger),
			(*int64)(&d.Balance), &d.LedgerMovements, &d.Movements); err != nil {
			return nil, 0, fmt.Errorf("store: verify stock: %w", err)
		}
		n++
		if d.Ledger != d.Balance || d.LedgerMovements != d.Movements {
			return &d, n, nil
		}
	}
	return nil, n, rows.Err()
}

// snapshotIsolation reads the ledger and the balances as of one moment:
// repeatable read on PostgreSQL (its snapshot for the whole transaction);
// SQLite's read transaction is a snapshot already.
func (s *Store) snapshotIsolation() sql.IsolationLevel {
	if s.dialect == Postgres {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault
}
