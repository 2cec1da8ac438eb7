package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"leoc/internal/leoc"
)

// A distribution with a warehouse takes its relief items from stock in its
// own transaction. An item's whole-number quantity is that many units of
// the catalogue item's unit (leoc.Units). What the distribution holds is
// read from the ledger (its issues minus its returns, per balance), so an
// edit moves only the difference and a delete returns exactly what was
// taken, batch by batch, whatever the record said before.

// issuedStock is what a distribution holds of one balance (positive).
type issuedStock struct {
	stockKey
	Item     string
	Quantity leoc.Quantity
}

// distributionHoldings reads what distribution id holds, by item code.
func (t *Tx) distributionHoldings(ctx context.Context, id int64) (map[string][]issuedStock, error) {
	rows, err := t.query(ctx, `SELECT m.item_id, i.code, m.warehouse_id, m.batch, m.expiry_bs, MAX(m.expiry_ad), SUM(m.quantity)
		FROM stock_movements m JOIN inventory_items i ON i.id = m.item_id
		WHERE m.document_kind = 'distribution' AND m.document_id = ?
		GROUP BY m.item_id, i.code, m.warehouse_id, m.batch, m.expiry_bs HAVING SUM(m.quantity) <> 0`, id)
	if err != nil {
		return nil, fmt.Errorf("store: distribution stock: %w", err)
	}
	defer rows.Close()
	out := map[string][]issuedStock{}
	for rows.Next() {
		var h issuedStock
		var exp string
		var expAD sql.NullString
		var sum int64
		if err := rows.Scan(&h.ItemID, &h.Item, &h.WarehouseID, &h.Batch, &exp, &expAD, &sum); err != nil {
			return nil, fmt.Errorf("store: distribution stock: %w", err)
		}
		h.Expiry, h.Quantity = storedDateOrZero(exp), leoc.Quantity(-sum)
		if expAD.Valid {
			h.ExpiryAD, _ = time.Parse(time.DateOnly, expAD.String)
		}
		out[h.Item] = append(out[h.Item], h)
	}
	return out, rows.Err()
}

// syncDistributionStock makes the stock a distribution holds match its
// items: old is the distribution before (nil on create), updated after (nil
// on delete). Items it holds beyond what it lists go back (return); items it
// lists beyond what it holds are issued from its warehouse, first to expire
// first; a warehouse changed returns everything to the old one and issues
// from the new. Not enough in stock is a conflict with what is available.
func (t *Tx) syncDistributionStock(ctx context.Context, actor Actor, old, updated *leoc.Distribution) error {
	var held map[string][]issuedStock
	if old != nil {
		var err error
		if held, err = t.distributionHoldings(ctx, old.ID); err != nil {
			return err
		}
	}
	var want []leoc.ReliefItem
	var warehouse int64
	if updated != nil && updated.WarehouseID != 0 {
		want, warehouse = updated.Items, updated.WarehouseID
	}
	if len(held) == 0 && len(want) == 0 {
		return nil
	}
	codes := make([]string, 0, len(want))
	for _, it := range want {
		codes = append(codes, it.Item)
	}
	items, err := t.stockItems(ctx, codes)
	if err != nil {
		return err
	}
	var moves []stockMove
	for i, it := range want {
		si, ok := items[it.Item]
		if !ok {
			return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
				Fields: map[string]leoc.Msg{fmt.Sprintf("items[%d].item", i): leoc.M("stock.item_unknown", it.Item)}}
		}
		need := leoc.Units(it.Quantity)
		var back []stockMove
		need, back = giveBack(held[it.Item], warehouse, need)
		moves = append(moves, back...)
		delete(held, it.Item)
		if need > 0 {
			take := stockMove{stockKey: stockKey{ItemID: si.ID, WarehouseID: warehouse}, Kind: leoc.MoveIssue, Quantity: -need,
				Item: it.Item, Field: fmt.Sprintf("items[%d].quantity", i)}
			taken, err := t.allocate(ctx, si, take)
			if err != nil {
				return err
			}
			moves = append(moves, taken...)
		}
	}
	for _, hs := range held { // items no longer listed
		_, back := giveBack(hs, -1, 0)
		moves = append(moves, back...)
	}
	if len(moves) == 0 {
		return nil
	}
	src := stockSource{Kind: leoc.DocDistribution}
	if updated != nil {
		src.ID, src.Date = updated.ID, updated.Dated
	} else {
		src.ID, src.Date = old.ID, old.Dated
	}
	return t.moveStock(ctx, actor, src, moves)
}

// giveBack decides what of an item's holdings returns to stock when the
// distribution now needs need of it from warehouse: holdings in another
// warehouse all return; of those in the warehouse, what exceeds need returns,
// latest expiry first (so what stays issued is what expires first). It
// gives what is still to be issued.
func giveBack(hs []issuedStock, warehouse int64, need leoc.Quantity) (leoc.Quantity, []stockMove) {
	hs = slices.Clone(hs)
	slices.SortFunc(hs, func(a, b issuedStock) int {
		return cmp.Or(-cmp.Compare(a.ExpiryAD.Unix(), b.ExpiryAD.Unix()), -cmp.Compare(a.Batch, b.Batch))
	})
	var kept leoc.Quantity
	for _, h := range hs {
		if h.WarehouseID == warehouse {
			kept += h.Quantity
		}
	}
	excess := max(kept-need, 0)
	var back []stockMove
	for _, h := range hs {
		q := h.Quantity
		if h.WarehouseID == warehouse {
			q = min(q, excess)
			excess -= q
		}
		if q > 0 {
			back = append(back, stockMove{stockKey: h.stockKey, Kind: leoc.MoveReturn, Quantity: q, Item: h.Item})
		}
	}
	return max(need-kept, 0), back
}

func (t *Tx) checkDistributionWarehouse(ctx context.Context, id int64) error {
	_, err := t.warehouseWard(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{"warehouse_id": leoc.M("stock.warehouse_unknown")}}
	}
	return err
}
