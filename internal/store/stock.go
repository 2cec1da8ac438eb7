package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// The stock ledger (migration 0020). Every change of stock — a document's
// line, a distribution's relief item — goes through moveStock: in the
// caller's write transaction it moves each balance with a guarded update and
// appends the movements. Nothing reads a balance and decides in Go: on
// PostgreSQL the row lock makes concurrent takers wait and re-check the new
// quantity; on SQLite there is one writer. Stock can never go negative, and
// the CHECK on stock_balances.quantity would refuse it if code ever tried.

// stockKey names one balance: an item in a warehouse, of a batch and expiry
// ("" when not tracked).
type stockKey struct {
	ItemID, WarehouseID int64
	Batch               string
	Expiry              bs.Date
	ExpiryAD            time.Time
}

func (k stockKey) expiryBS() string {
	if k.Expiry.IsZero() {
		return ""
	}
	return k.Expiry.String()
}

func (k stockKey) expiryAD() any {
	if k.Expiry.IsZero() {
		return nil
	}
	return dateText(k.ExpiryAD)
}

func compareKeys(a, b stockKey) int {
	return cmp.Or(cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.WarehouseID, b.WarehouseID),
		cmp.Compare(a.Batch, b.Batch), cmp.Compare(a.expiryBS(), b.expiryBS()))
}

// stockMove is one movement to write.
type stockMove struct {
	stockKey
	Kind     string        // one of leoc.Move…
	Quantity leoc.Quantity // signed: in positive, out negative
	UnitCost *leoc.Money
	Item     string // the item's code, for the message when stock is short
	Field    string // the input field a shortage is reported on
}

// stockSource is what moved the stock: a document or a distribution, and
// the date the movements carry.
type stockSource struct {
	Kind string // leoc.Doc…
	ID   int64
	Date leoc.Dated
}

// moveStock writes moves in the transaction: balances first, in one order
// (item, warehouse, batch, expiry) so concurrent writers on PostgreSQL
// cannot deadlock, then the ledger rows. A take the balance does not cover
// is a conflict naming the item and what is available.
func (t *Tx) moveStock(ctx context.Context, actor Actor, src stockSource, moves []stockMove) error {
	ordered := slices.Clone(moves)
	slices.SortStableFunc(ordered, func(a, b stockMove) int { return compareKeys(a.stockKey, b.stockKey) })
	for _, m := range ordered {
		if err := t.shiftBalance(ctx, m); err != nil {
			return err
		}
	}
	now := t.s.Now()
	rows := make([][]any, 0, len(moves))
	for _, m := range moves {
		var cost any
		if m.UnitCost != nil {
			cost = int64(*m.UnitCost)
		}
		rows = append(rows, []any{m.Kind, m.ItemID, m.WarehouseID, m.Batch, m.expiryBS(), m.expiryAD(), int64(m.Quantity), cost,
			src.Kind, src.ID, src.Date.DateBS.String(), dateText(src.Date.DateAD), now, actor.Username})
	}
	for chunk := range slices.Chunk(rows, 50) {
		if err := t.insertRows(ctx, `stock_movements (kind, item_id, warehouse_id, batch, expiry_bs, expiry_ad, quantity, unit_cost,
			document_kind, document_id, date_bs, date_ad, created_at, created_by)`, chunk); err != nil {
			return err
		}
	}
	return nil
}

// shiftBalance moves one balance: an addition creates the row on the first
// receipt; a take succeeds only if the row covers it. The balance counts its
// movements too (a bin card's count, migration 0030).
func (t *Tx) shiftBalance(ctx context.Context, m stockMove) error {
	if m.Quantity > 0 {
		_, err := t.exec(ctx, `INSERT INTO stock_balances (item_id, warehouse_id, batch, expiry_bs, expiry_ad, quantity, movements) VALUES (?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT (item_id, warehouse_id, batch, expiry_bs) DO UPDATE SET quantity = stock_balances.quantity + excluded.quantity,
				movements = stock_balances.movements + 1`,
			m.ItemID, m.WarehouseID, m.Batch, m.expiryBS(), m.expiryAD(), int64(m.Quantity))
		if err != nil {
			return fmt.Errorf("store: stock balance: %w", translate(err))
		}
		return nil
	}
	res, err := t.exec(ctx, `UPDATE stock_balances SET quantity = quantity + ?, movements = movements + 1
		WHERE item_id = ? AND warehouse_id = ? AND batch = ? AND expiry_bs = ? AND quantity + ? >= 0`,
		int64(m.Quantity), m.ItemID, m.WarehouseID, m.Batch, m.expiryBS(), int64(m.Quantity))
	if err != nil {
		return fmt.Errorf("store: stock balance: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: stock balance: %w", err)
	} else if n == 0 {
		avail, err := t.available(ctx, m.stockKey)
		if err != nil {
			return err
		}
		return t.shortage(ctx, m, avail)
	}
	return nil
}

// available is the stock of one balance (0 when there is none).
func (t *Tx) available(ctx context.Context, k stockKey) (leoc.Quantity, error) {
	var q int64
	err := t.queryRow(ctx, "SELECT quantity FROM stock_balances WHERE item_id = ? AND warehouse_id = ? AND batch = ? AND expiry_bs = ?",
		k.ItemID, k.WarehouseID, k.Batch, k.expiryBS()).Scan(&q)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: stock balance: %w", err)
	}
	return leoc.Quantity(q), nil
}

// shortage is the 409 of a take the stock does not cover: the item, what
// is available and what was asked, on the line's field.
func (t *Tx) shortage(ctx context.Context, m stockMove, avail leoc.Quantity) error {
	var warehouse string
	if err := t.queryRow(ctx, "SELECT code FROM warehouses WHERE id = ?", m.WarehouseID).Scan(&warehouse); err != nil {
		return fmt.Errorf("store: stock shortage: %w", err)
	}
	msg := leoc.M("stock.insufficient", m.Item, warehouse, leoc.Number(avail.English()), leoc.Number((-m.Quantity).English()))
	e := &leoc.Error{Code: leoc.EConflict, Message: msg}
	if m.Field != "" {
		e.Fields = map[string]leoc.Msg{m.Field: msg}
	}
	return e
}

// stockItem is what a document or a distribution needs of a catalogue item.
type stockItem struct {
	ID                      int64
	Code                    string
	TrackBatch, TrackExpiry bool
	Distributable           bool
}

func (i stockItem) tracked() bool { return i.TrackBatch || i.TrackExpiry }

// stockItems resolves catalogue codes; unknown codes are absent.
func (t *Tx) stockItems(ctx context.Context, codes []string) (map[string]stockItem, error) {
	out := make(map[string]stockItem, len(codes))
	for _, c := range codes {
		if _, done := out[c]; done || c == "" {
			continue
		}
		var it stockItem
		err := t.queryRow(ctx, "SELECT id, code, track_batch, track_expiry, distributable FROM inventory_items WHERE code = ?", c).
			Scan(&it.ID, &it.Code, &it.TrackBatch, &it.TrackExpiry, &it.Distributable)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: stock item %q: %w", c, err)
		}
		out[c] = it
	}
	return out, nil
}

// allocate turns a take of q of an item from a warehouse into takes from
// its balances: of the batch and expiry asked for, or — when the item
// tracks them and the line names none — first to expire, first out
// (undated stock last). What the balances do not cover is a conflict.
func (t *Tx) allocate(ctx context.Context, it stockItem, want stockMove) ([]stockMove, error) {
	if !it.tracked() || (want.Batch != "" || !it.TrackBatch) && (!want.Expiry.IsZero() || !it.TrackExpiry) {
		return []stockMove{want}, nil
	}
	q := `SELECT batch, expiry_bs, expiry_ad, quantity FROM stock_balances
		WHERE item_id = ? AND warehouse_id = ? AND quantity > 0`
	args := []any{want.ItemID, want.WarehouseID}
	if want.Batch != "" {
		q, args = q+" AND batch = ?", append(args, want.Batch)
	}
	if !want.Expiry.IsZero() {
		q, args = q+" AND expiry_bs = ?", append(args, want.expiryBS())
	}
	rows, err := t.query(ctx, q+" ORDER BY expiry_ad IS NULL, expiry_ad, batch", args...)
	if err != nil {
		return nil, fmt.Errorf("store: allocate stock: %w", err)
	}
	defer rows.Close()
	need, total := -want.Quantity, leoc.Quantity(0)
	var out []stockMove
	for rows.Next() {
		var batch, expBS string
		var expAD sql.NullString
		var have int64
		if err := rows.Scan(&batch, &expBS, &expAD, &have); err != nil {
			return nil, fmt.Errorf("store: allocate stock: %w", err)
		}
		total += leoc.Quantity(have)
		if need == 0 {
			continue
		}
		take := min(need, leoc.Quantity(have))
		m := want
		m.Batch, m.Quantity, m.Expiry, m.ExpiryAD = batch, -take, storedDateOrZero(expBS), time.Time{}
		if expAD.Valid {
			m.ExpiryAD, _ = time.Parse(time.DateOnly, expAD.String)
		}
		out = append(out, m)
		need -= take
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: allocate stock: %w", err)
	}
	if need > 0 {
		return nil, t.shortage(ctx, want, total)
	}
	return out, nil
}
