package store

import (
	"context"
	"database/sql"

	"leoc/internal/leoc"
)

// The relief store's registers: the item catalogue and the warehouses
// (migration 0019). Stock itself is the ledger's (inv-ledger).

// InventoryItemRegister and WarehouseRegister plug the registers into
// locking, ward limits and settings.
var (
	InventoryItemRegister = inventoryItems.Register
	WarehouseRegister     = warehouses.Register
)

// InventoryItems is the item catalogue.
func (s *Store) InventoryItems() Records[*leoc.InventoryItem] { return inventoryItems.In(s) }

// Warehouses are the relief store's warehouses.
func (s *Store) Warehouses() Records[*leoc.Warehouse] { return warehouses.In(s) }

var inventoryItems = Table[*leoc.InventoryItem]{
	Register: Register{Name: "inventory_items", Table: "inventory_items",
		ListColumns: []ListColumn{
			{List: ListItemCategory, Table: "inventory_items", Column: "category"},
			{List: ListItemUnit, Table: "inventory_items", Column: "unit"},
		}},
	Read: "id, code, name_ne, name_en, category, unit, min_stock, track_expiry, track_batch, distributable, " + recordColumns,
	Write: []string{"code", "name_ne", "name_en", "category", "unit", "min_stock", "track_expiry", "track_batch",
		"distributable"},
	Scan: func(s *Store, r rowScanner) (*leoc.InventoryItem, error) {
		var it leoc.InventoryItem
		dest := append([]any{&it.ID, &it.Code, &it.NameNe, &it.NameEn, &it.Category, &it.Unit, &it.MinStock,
			&it.TrackExpiry, &it.TrackBatch, &it.Distributable}, recordDest(&it.Record)...)
		if err := r.Scan(dest...); err != nil {
			return nil, err
		}
		s.settle(&it.Record)
		return &it, nil
	},
	Args: func(it *leoc.InventoryItem) []any {
		return []any{it.Code, it.NameNe, it.NameEn, it.Category, it.Unit, int64(it.MinStock), it.TrackExpiry, it.TrackBatch,
			it.Distributable}
	},
	// Unknown categories and units are named by their field, not left to
	// the foreign key, so that the only key a write can still break is a
	// code that stock or distributions use (changed: in use).
	Check: func(ctx context.Context, tx *Tx, _ *leoc.User, it *leoc.InventoryItem) error {
		var v leoc.Validation
		for field, lv := range map[string][2]string{"category": {ListItemCategory, it.Category}, "unit": {ListItemUnit, it.Unit}} {
			n, err := tx.count(ctx, "SELECT COUNT(*) FROM list_values WHERE list = ? AND key = ?", lv[0], lv[1])
			if err != nil {
				return err
			}
			v.Check(n > 0, field, "field.choice")
		}
		return v.Err()
	},
	WriteError: inventoryWriteError("inventory.item_code_taken"),
	Search:     []string{"code", "name_ne", "name_en"},
	Narrow: func(w *where, f RecordFilter) {
		w.in("category", len(f.Types), func(i int) any { return f.Types[i] })
	},
	Sort:  map[string]string{"code": "code", "name": "name_en", "category": "category"},
	Order: "category, code, id",
}

var warehouses = Table[*leoc.Warehouse]{
	Register: Register{Name: "warehouses", Table: "warehouses", WardColumn: "ward"},
	Read:     "id, code, name_ne, name_en, ward, latitude, longitude, keeper, phone, " + recordColumns,
	Write:    []string{"code", "name_ne", "name_en", "ward", "latitude", "longitude", "keeper", "phone"},
	Scan: func(s *Store, r rowScanner) (*leoc.Warehouse, error) {
		var w leoc.Warehouse
		var ward sql.NullInt64
		var lat, lon sql.NullFloat64
		dest := append([]any{&w.ID, &w.Code, &w.NameNe, &w.NameEn, &ward, &lat, &lon, &w.Keeper, &w.Phone},
			recordDest(&w.Record)...)
		if err := r.Scan(dest...); err != nil {
			return nil, err
		}
		w.Ward = int(ward.Int64)
		if lat.Valid && lon.Valid {
			w.Coords = &leoc.Coordinates{Latitude: lat.Float64, Longitude: lon.Float64}
		}
		s.settle(&w.Record)
		return &w, nil
	},
	Args: func(w *leoc.Warehouse) []any {
		var lat, lon any
		if w.Coords != nil {
			lat, lon = w.Coords.Latitude, w.Coords.Longitude
		}
		return []any{w.Code, w.NameNe, w.NameEn, nullWard(w.Ward), lat, lon, w.Keeper, w.Phone}
	},
	// The ward must exist and be the user's to write.
	Check: func(ctx context.Context, tx *Tx, u *leoc.User, w *leoc.Warehouse) error {
		if err := u.WardWriteError(w.Ward); err != nil {
			return err
		}
		return tx.checkEventLogWard(ctx, w.Ward)
	},
	WriteError: inventoryWriteError("inventory.warehouse_code_taken"),
	Search:     []string{"code", "name_ne", "name_en", "keeper"},
	Narrow: func(w *where, f RecordFilter) {
		w.in("ward", len(f.Wards), func(i int) any { return f.Wards[i] })
	},
	Sort:  map[string]string{"code": "code", "name": "name_en", "ward": "ward"},
	Order: "code, id",
}

// inventoryWriteError answers a taken code with 409 on the code field, and a
// foreign key a write breaks (a code changed while stock or distributions
// use it) as "in use".
func inventoryWriteError(taken string) func(error) error {
	return func(err error) error {
		switch {
		case IsUnique(err):
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M(taken), Fields: map[string]leoc.Msg{"code": leoc.M(taken)}, Err: err}
		case IsForeignKey(err):
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("inventory.in_use"), Err: err}
		}
		return err
	}
}

// CreateInventoryItem adds an item inside a larger transaction (the legacy
// import adds the old relief items it finds no code for).
func (t *Tx) CreateInventoryItem(ctx context.Context, actor Actor, it *leoc.InventoryItem) error {
	if err := inventoryItems.Check(ctx, t, nil, it); err != nil {
		return err
	}
	return inventoryItems.insert(ctx, t, actor, it)
}

// inUse is how a record of the relief store is used elsewhere: a table and
// its column holding the record's code (byCode) or id, under the register's
// name its users read.
type inUse struct {
	register, table, column string
	byCode                  bool
}

// itemUses and warehouseUses are where items and warehouses are referenced;
// a reference added later that is not listed here is still caught by its
// foreign key (deleteInUse answers it as "in use" too).
var (
	itemUses = []inUse{
		{"distributions", "distribution_items", "item", true},
		{"stock_movements", "stock_movements", "item_id", false},
		{"stock_documents", "stock_document_lines", "item_id", false},
	}
	warehouseUses = []inUse{
		{"distributions", "distributions", "warehouse_id", false},
		{"stock_movements", "stock_movements", "warehouse_id", false},
		{"stock_documents", "stock_documents", "warehouse_id", false},
		{"stock_documents", "stock_documents", "to_warehouse_id", false},
	}
)

// DeleteInventoryItem deletes an item nothing uses; one in use is refused
// with 409 naming where it is used.
func (s *Store) DeleteInventoryItem(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return deleteInUse(ctx, s, actor, u, &inventoryItems, id, itemUses, func(it *leoc.InventoryItem) (string, int64) { return it.Code, it.ID })
}

// DeleteWarehouse deletes a warehouse nothing uses.
func (s *Store) DeleteWarehouse(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return deleteInUse(ctx, s, actor, u, &warehouses, id, warehouseUses, func(w *leoc.Warehouse) (string, int64) { return w.Code, w.ID })
}

func deleteInUse[T Recorded](ctx context.Context, s *Store, actor Actor, u *leoc.User, t *Table[T], id int64, uses []inUse,
	key func(T) (string, int64)) error {
	err := s.WithTx(ctx, func(tx *Tx) error {
		rec, err := t.getTx(ctx, tx, id)
		if err != nil {
			return err
		}
		code, recID := key(rec)
		counts := map[string]int{}
		var order []string
		for _, use := range uses {
			var k any = recID
			if use.byCode {
				k = code
			}
			n, err := tx.count(ctx, "SELECT COUNT(*) FROM "+use.table+" WHERE "+use.column+" = ?", k)
			if err != nil {
				return err
			}
			if n > 0 && counts[use.register] == 0 {
				order = append(order, use.register)
			}
			counts[use.register] += n
		}
		var where leoc.MsgList
		for _, r := range order {
			where = append(where, leoc.Usage(r, counts[r]))
		}
		if len(where) > 0 {
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("inventory.in_use_by", where)}
		}
		old, err := t.remove(ctx, tx, u, id)
		if err != nil {
			return err
		}
		return t.audit(ctx, tx, actor, "record.delete", id, map[string]any{"before": old.Fields()})
	})
	if IsForeignKey(err) {
		if _, ok := leoc.AsError(err); !ok {
			return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("inventory.in_use"), Err: err}
		}
	}
	return err
}
