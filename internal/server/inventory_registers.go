package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief store's two registers, the item catalogue and the warehouses,
// on the shared lifecycle. Their stock pages are inventory_stock.go.

type itemLifecycle = lifecycle[*leoc.InventoryItem, leoc.InventoryItemInput, *leoc.InventoryItemInput]
type warehouseLifecycle = lifecycle[*leoc.Warehouse, leoc.WarehouseInput, *leoc.WarehouseInput]

func (s *Server) inventoryItems() *itemLifecycle {
	return (&itemLifecycle{
		s: s, Path: "/inventory/items", Template: "inventory_item",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.InventoryItemLimits,
		Store: s.store.InventoryItems(),
		// An item that distributions or stock movements use stays.
		Delete: func(r *http.Request, id int64) error {
			return s.store.DeleteInventoryItem(r.Context(), actor(r), state(r).user, id)
		},
		New:   func() *leoc.InventoryItem { return &leoc.InventoryItem{} },
		Input: (*leoc.InventoryItem).Input,
		JSON: func(it *leoc.InventoryItem) any {
			return itemJSON{it.Input().InventoryItemFields, it.MinStock, toRecordJSON(it.Record)}
		},
		// A new item is most often relief to hand out.
		Defaults: func(*http.Request) url.Values { return url.Values{"distributable": {"1"}} },
		FormData: func(r *http.Request, edit *leoc.InventoryItem, _ *form) any {
			return &itemForm{Edit: edit, Categories: s.listChoices(r, store.ListItemCategory), Units: s.listChoices(r, store.ListItemUnit)}
		},
		Detail:   func(r *http.Request, it *leoc.InventoryItem) any { return s.itemRows(r, []*leoc.InventoryItem{it})[0] },
		ListData: func(r *http.Request, items []*leoc.InventoryItem) any { return s.itemRows(r, items) },
		Bar: func(r *http.Request) *filterBar {
			return &filterBar{Action: "/inventory/items", Types: s.listChoices(r, store.ListItemCategory), Query: r.URL.Query(),
				TypeParam: "category"}
		},
		Narrow: func(q url.Values, f *store.RecordFilter) { f.Types = slices.DeleteFunc(q["category"], isBlank) },
		ExportFields: []string{"id", "code", "name_ne", "name_en", "category", "unit", "min_stock", "track_expiry", "track_batch",
			"distributable"},
		Export: func(r *http.Request, all []*leoc.InventoryItem) (rows [][]any) {
			for _, it := range s.itemRows(r, all) {
				rows = append(rows, []any{it.ID, it.Code, it.NameNe, it.NameEn, it.CategoryLabel, it.UnitLabel, it.MinStock.String(),
					s.yesNo(r, it.TrackExpiry), s.yesNo(r, it.TrackBatch), s.yesNo(r, it.Distributable)})
			}
			return rows
		},
	}).bind()
}

func (s *Server) warehouses() *warehouseLifecycle {
	return (&warehouseLifecycle{
		s: s, Path: "/inventory/warehouses", Template: "warehouse",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.WarehouseLimits,
		Store: s.store.Warehouses(),
		Delete: func(r *http.Request, id int64) error {
			return s.store.DeleteWarehouse(r.Context(), actor(r), state(r).user, id)
		},
		New:   func() *leoc.Warehouse { return &leoc.Warehouse{} },
		Input: (*leoc.Warehouse).Input,
		JSON:  func(w *leoc.Warehouse) any { return toWarehouseJSON(w) },
		Ward:  func(w *leoc.Warehouse) int { return w.Ward },
		FormData: func(r *http.Request, edit *leoc.Warehouse, _ *form) any {
			wards, _ := s.wardChoices(r)
			return &warehouseForm{Edit: edit, Wards: wards}
		},
		Bar: func(r *http.Request) *filterBar {
			_, wards := s.wardChoices(r)
			return &filterBar{Action: "/inventory/warehouses", Wards: wards, Query: r.URL.Query()}
		},
		ExportFields: []string{"id", "code", "name_ne", "name_en", "ward", "latitude", "longitude", "keeper", "phone"},
		Export: func(r *http.Request, all []*leoc.Warehouse) (rows [][]any) {
			for _, w := range all {
				var lat, lon any = "", ""
				if w.Coords != nil {
					lat, lon = w.Coords.Latitude, w.Coords.Longitude
				}
				rows = append(rows, []any{w.ID, w.Code, w.NameNe, w.NameEn, w.Ward, lat, lon, w.Keeper, w.Phone})
			}
			return rows
		},
	}).bind()
}

// inventoryRegisterRoutes are the catalogue's and the warehouses' pages and
// API, and the stock views.
func (s *Server) inventoryRegisterRoutes() []route {
	rs := append(s.inventoryItems().routes(), s.warehouses().routes()...)
	// The audit trail and the unlock form link a record as /<register>/{id};
	// these registers' pages live under /inventory/.
	rs = append(rs,
		route{pattern: "GET /inventory_items/{id}", access: authenticated, perm: leoc.PermRead, h: s.redirectID("/inventory/items/")},
		route{pattern: "GET /warehouses/{id}", access: authenticated, perm: leoc.PermRead, h: s.redirectID("/inventory/warehouses/")})
	return append(rs, s.stockViewRoutes()...)
}

// redirectID answers 303 to prefix + the path's id (a number only).
func (s *Server) redirectID(prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "record.not_found"))
			return
		}
		http.Redirect(w, r, prefix+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
}

// itemJSON is the item's fields and the record's metadata; min_stock is a
// decimal string like every quantity.
type itemJSON struct {
	leoc.InventoryItemFields
	MinStock leoc.Quantity `json:"min_stock"`
	recordJSON
}

// warehouseJSON gives the coordinates as numbers (or null).
type warehouseJSON struct {
	Code      string   `json:"code"`
	NameNe    string   `json:"name_ne"`
	NameEn    string   `json:"name_en"`
	Ward      *int     `json:"ward"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	Keeper    string   `json:"keeper"`
	Phone     string   `json:"phone"`
	recordJSON
}

func toWarehouseJSON(w *leoc.Warehouse) warehouseJSON {
	in := w.Input()
	j := warehouseJSON{Code: w.Code, NameNe: w.NameNe, NameEn: w.NameEn, Ward: in.Ward, Keeper: w.Keeper, Phone: w.Phone,
		recordJSON: toRecordJSON(w.Record)}
	if w.Coords != nil {
		lat, lon := w.Coords.Latitude, w.Coords.Longitude
		j.Latitude, j.Longitude = &lat, &lon
	}
	return j
}

type itemForm struct {
	Edit              *leoc.InventoryItem
	Categories, Units []choice
}

type warehouseForm struct {
	Edit  *leoc.Warehouse
	Wards []choice
}

// itemRow is an item with its name, category and unit in the page's
// language.
type itemRow struct {
	*leoc.InventoryItem
	Label, CategoryLabel, UnitLabel string
}

func (s *Server) itemRows(r *http.Request, items []*leoc.InventoryItem) []itemRow {
	lang := state(r).lang
	cats, units := s.listChoices(r, store.ListItemCategory), s.listChoices(r, store.ListItemUnit)
	rows := make([]itemRow, len(items))
	for i, it := range items {
		rows[i] = itemRow{it, it.Name(lang), choiceLabel(cats, it.Category), choiceLabel(units, it.Unit)}
	}
	return rows
}

// yesNo is a flag in the page's language, for exports.
func (s *Server) yesNo(r *http.Request, b bool) string {
	if b {
		return s.cat.T(state(r).lang, "inventory.yes")
	}
	return s.cat.T(state(r).lang, "inventory.no")
}
