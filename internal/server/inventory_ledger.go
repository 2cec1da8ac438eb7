package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief store's ledger in the JSON API: the four documents (receipts,
// transfers, adjustments, dispatches), the transfer's receive step, the
// adjustment's approval, stock on hand, the bin card, low stock and
// expiring stock. The store does the work in one transaction each
// (store/stock*.go); handlers decode, apply the domain input and answer.

// stockDocumentPaths maps the API's collection names to document kinds.
var stockDocumentPaths = map[string]string{
	"receipts": leoc.DocReceipt, "transfers": leoc.DocTransfer, "adjustments": leoc.DocAdjustment, "dispatches": leoc.DocDispatch,
}

// inventoryLedgerRoutes are the ledger's API routes.
func (s *Server) inventoryLedgerRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	var r []route
	for path, kind := range stockDocumentPaths {
		base := "/api/v1/inventory/" + path
		r = append(r,
			route{pattern: "GET " + base, access: authenticated, perm: read, h: s.apiStockDocuments(kind)},
			route{pattern: "POST " + base, access: authenticated, perm: write, h: s.apiStockDocumentCreate(kind)},
			route{pattern: "GET " + base + "/{id}", access: authenticated, perm: read, h: s.apiStockDocument(kind)},
		)
	}
	return append(r,
		route{pattern: "POST /api/v1/inventory/transfers/{id}/receive", access: authenticated, perm: write, h: s.apiTransferReceive},
		// The store refuses anyone but an admin; write_records lets the route be reached.
		route{pattern: "POST /api/v1/inventory/adjustments/{id}/approve", access: authenticated, perm: write, h: s.apiAdjustmentApprove},
		route{pattern: "GET /api/v1/inventory/stock", access: authenticated, perm: read, h: s.apiStock},
		route{pattern: "GET /api/v1/inventory/items/{code}/card", access: authenticated, perm: read, h: s.apiBinCard},
		route{pattern: "GET /api/v1/inventory/low-stock", access: authenticated, perm: read, h: s.apiLowStock},
		route{pattern: "GET /api/v1/inventory/expiring", access: authenticated, perm: read, h: s.apiExpiring},
	)
}

// stockDocumentJSON is a document in the API, with its lines when loaded.
func stockDocumentJSON(d *leoc.StockDocument) *jsonObject {
	o := &jsonObject{}
	o.add("id", d.ID)
	o.add("kind", d.Kind)
	o.add("number", d.Number)
	o.add("fiscal_year", d.FiscalYear.Label())
	o.add("date_bs", d.DateBS.String())
	o.add("date_ad", d.DateAD.Format(time.DateOnly))
	o.add("status", d.Status)
	switch d.Kind {
	case leoc.DocTransfer:
		o.add("from_warehouse_id", d.WarehouseID)
		o.add("to_warehouse_id", d.ToWarehouseID)
		o.add("received_date_bs", dateOrNil(d.DoneDate))
		o.add("received_by", d.DoneBy)
		o.add("has_differences", d.HasDifferences())
	default:
		o.add("warehouse_id", d.WarehouseID)
	}
	switch d.Kind {
	case leoc.DocReceipt:
		o.add("source", d.Source)
		o.add("supplier", d.Party)
	case leoc.DocAdjustment:
		o.add("adjustment_kind", d.AdjustKind)
		o.add("reason", d.Reason)
		o.add("approved_by", d.DoneBy)
		o.add("approved_date_bs", dateOrNil(d.DoneDate))
	case leoc.DocDispatch:
		if d.IncidentID != 0 {
			o.add("incident_id", d.IncidentID)
		} else {
			o.add("incident_id", nil)
		}
		o.add("site", d.Site)
		o.add("receiver", d.Party)
		o.add("receiver_phone", d.PartyPhone)
		o.add("vehicle", d.Vehicle)
		o.add("driver", d.Driver)
	}
	o.add("reference", d.Reference)
	o.add("notes", d.Notes)
	if d.Lines != nil {
		lines := make([]*jsonObject, len(d.Lines))
		for i, l := range d.Lines {
			lines[i] = stockLineJSON(d.Kind, l)
		}
		o.add("lines", lines)
	}
	rec := toRecordJSON(d.Record)
	o.add("locked", rec.Locked)
	o.add("version", rec.Version)
	o.add("created_at", rec.CreatedAt)
	o.add("created_by", rec.CreatedBy)
	o.add("updated_at", rec.UpdatedAt)
	o.add("updated_by", rec.UpdatedBy)
	return o
}

func stockLineJSON(kind string, l leoc.StockLine) *jsonObject {
	o := &jsonObject{}
	o.add("item", l.Item)
	o.add("quantity", l.Quantity)
	o.add("batch", l.Batch)
	o.add("expiry_bs", dateOrNil(l.Expiry))
	switch kind {
	case leoc.DocReceipt:
		if l.UnitCost != nil {
			o.add("unit_cost", *l.UnitCost)
		} else {
			o.add("unit_cost", nil)
		}
	case leoc.DocTransfer:
		if l.Received != nil {
			o.add("received", *l.Received)
			o.add("difference", l.Difference())
		} else {
			o.add("received", nil)
			o.add("difference", nil)
		}
		o.add("difference_reason", l.DifferenceReason)
	}
	return o
}

func dateOrNil(d bs.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// applyStockInput decodes the JSON of a new document of kind into d.
func (s *Server) applyStockInput(r *http.Request, kind string, d *leoc.StockDocument) error {
	var in interface {
		Apply(*bs.Calendar, *leoc.StockDocument) error
	}
	switch kind {
	case leoc.DocReceipt:
		in = &leoc.ReceiptInput{}
	case leoc.DocTransfer:
		in = &leoc.TransferInput{}
	case leoc.DocAdjustment:
		in = &leoc.AdjustmentInput{}
	default:
		in = &leoc.DispatchInput{}
	}
	if err := decodeJSON(r, in); err != nil {
		return err
	}
	return in.Apply(s.cal, d)
}

func (s *Server) apiStockDocumentCreate(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := &leoc.StockDocument{}
		if err := s.applyStockInput(r, kind, d); err != nil {
			s.renderError(w, r, err)
			return
		}
		if err := s.store.CreateStockDocument(r.Context(), actor(r), state(r).user, d); err != nil {
			s.renderError(w, r, err)
			return
		}
		w.Header().Set("Location", r.URL.Path+"/"+idString(d.ID))
		s.writeJSON(w, r, http.StatusCreated, stockDocumentJSON(d))
	}
}

// loadStockDocument loads the document of the path, of kind; another
// kind's id is not found.
func (s *Server) loadStockDocument(w http.ResponseWriter, r *http.Request, kind string) *leoc.StockDocument {
	id, err := idParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return nil
	}
	d, err := s.store.StockDocument(r.Context(), id)
	if err == nil && d.Kind != kind {
		err = leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	if err != nil {
		s.renderError(w, r, err)
		return nil
	}
	return d
}

func (s *Server) apiStockDocument(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if d := s.loadStockDocument(w, r, kind); d != nil {
			s.writeJSON(w, r, http.StatusOK, stockDocumentJSON(d))
		}
	}
}

// StockDocumentFilter reads a documents list's query: warehouse_id,
// status, fy, page and per_page.
func (s *Server) stockDocumentFilter(q url.Values, kind string) (store.StockDocumentFilter, error) {
	var v leoc.Validation
	f := store.StockDocumentFilter{Kind: kind, Status: strings.TrimSpace(q.Get("status"))}
	rf, err := s.recordFilter(url.Values{"fy": q["fy"], "page": q["page"], "per_page": q["per_page"], "after": q["after"]}, &leoc.User{})
	if e, ok := leoc.AsError(err); ok {
		v.Fields = e.Fields
	} else if err != nil {
		return f, err
	}
	f.FiscalYears, f.Page, f.PerPage, f.After, f.Keyset = rf.FiscalYears, rf.Page, rf.PerPage, rf.After, rf.Keyset
	f.WarehouseID = positiveParam(&v, q, "warehouse_id")
	if f.Status != "" {
		leoc.CheckChoice(&v, "status", f.Status, []string{leoc.StatusPosted, leoc.StatusSent, leoc.StatusReceived, leoc.StatusPending, leoc.StatusApproved})
	}
	return f, v.Err()
}

// positiveParam reads an optional id from the query (0 when absent).
func positiveParam(v *leoc.Validation, q url.Values, name string) int64 {
	raw := strings.TrimSpace(bs.ASCIIDigits(q.Get(name)))
	if raw == "" {
		return 0
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n <= 0 {
		v.Add(name, "field.choice")
		return 0
	}
	return n
}

func (s *Server) apiStockDocuments(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.stockDocumentFilter(r.URL.Query(), kind)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		docs, total, err := s.store.StockDocuments(r.Context(), f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		out := make([]*jsonObject, len(docs))
		for i, d := range docs {
			out[i] = stockDocumentJSON(d)
		}
		writeList(s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
	}
}

func (s *Server) apiTransferReceive(w http.ResponseWriter, r *http.Request) {
	d := s.loadStockDocument(w, r, leoc.DocTransfer)
	if d == nil {
		return
	}
	var in leoc.TransferReceiptInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.receiveTransfer(r, d, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, stockDocumentJSON(d))
}

// receiveTransfer records what arrived of transfer d (as loaded) and
// reloads it; the pages use it too.
func (s *Server) receiveTransfer(r *http.Request, d *leoc.StockDocument, in *leoc.TransferReceiptInput) error {
	if d.Status != leoc.StatusSent {
		return leoc.Errorf(leoc.EConflict, "stock.step_done")
	}
	if in.Version <= 0 {
		return errVersionRequired()
	}
	lines, date, err := in.Apply(s.cal, d)
	if err != nil {
		return err
	}
	d.Lines, d.DoneDate, d.Version = lines, date, in.Version
	if err := s.store.ReceiveTransfer(r.Context(), actor(r), state(r).user, d); err != nil {
		return err
	}
	saved, err := s.store.StockDocument(r.Context(), d.ID)
	if err != nil {
		return err
	}
	*d = *saved
	return nil
}

func (s *Server) apiAdjustmentApprove(w http.ResponseWriter, r *http.Request) {
	d := s.loadStockDocument(w, r, leoc.DocAdjustment)
	if d == nil {
		return
	}
	var in struct {
		Version int `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if in.Version <= 0 {
		s.renderError(w, r, errVersionRequired())
		return
	}
	saved, err := s.store.ApproveAdjustment(r.Context(), actor(r), state(r).user, d.ID, in.Version)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, stockDocumentJSON(saved))
}

func stockBalanceJSON(b leoc.StockBalance) *jsonObject {
	o := &jsonObject{}
	o.add("item", b.Item)
	o.add("name_ne", b.ItemNameNe)
	o.add("name_en", b.ItemNameEn)
	o.add("unit", b.Unit)
	o.add("warehouse_id", b.WarehouseID)
	o.add("warehouse", b.Warehouse)
	o.add("batch", b.Batch)
	o.add("expiry_bs", dateOrNil(b.Expiry))
	o.add("quantity", b.Quantity)
	return o
}

// apiStock is the stock on hand from the balance table:
// ?warehouse_id=&item= narrow it.
func (s *Server) apiStock(w http.ResponseWriter, r *http.Request) {
	var v leoc.Validation
	q := r.URL.Query()
	f := store.StockFilter{WarehouseID: positiveParam(&v, q, "warehouse_id"), Item: strings.TrimSpace(q.Get("item"))}
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	f.ByWarehouse = q.Get("group") == "warehouse"
	pf, err := s.pageParams(q)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows, total, err := s.store.StockOnHandPage(r.Context(), f, pf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]*jsonObject, len(rows))
	for i, b := range rows {
		out[i] = stockBalanceJSON(b)
	}
	writeList(s, w, r, out, total, pf.Page, pf.PerPage, pf.Keyset)
}

// apiBinCard is an item's bin card: ?warehouse_id= for one warehouse.
func (s *Server) apiBinCard(w http.ResponseWriter, r *http.Request) {
	var v leoc.Validation
	warehouse := positiveParam(&v, r.URL.Query(), "warehouse_id")
	if err := v.Err(); err != nil {
		s.renderError(w, r, err)
		return
	}
	pf, err := s.pageParams(r.URL.Query())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	card, total, err := s.store.BinCardPage(r.Context(), r.PathValue("code"), warehouse, pf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	entries := make([]*jsonObject, len(card.Entries))
	for i, e := range card.Entries {
		o := &jsonObject{}
		o.add("movement_id", e.MovementID)
		o.add("kind", e.Kind)
		o.add("date_bs", e.DateBS.String())
		o.add("warehouse_id", e.WarehouseID)
		o.add("warehouse", e.Warehouse)
		o.add("batch", e.Batch)
		o.add("expiry_bs", dateOrNil(e.Expiry))
		o.add("quantity", e.Quantity)
		if e.UnitCost != nil {
			o.add("unit_cost", *e.UnitCost)
		} else {
			o.add("unit_cost", nil)
		}
		o.add("balance", e.Balance)
		o.add("document_kind", e.DocumentKind)
		o.add("document_id", e.DocumentID)
		if e.DocumentNumber != 0 {
			o.add("document_number", e.DocumentNumber)
			o.add("fiscal_year", bs.FiscalYear{Start: e.FiscalYear}.Label())
		}
		o.add("created_at", e.CreatedAt)
		o.add("created_by", e.CreatedBy)
		entries[i] = o
	}
	o := &jsonObject{}
	o.add("item", card.Item)
	o.add("name_ne", card.ItemNameNe)
	o.add("name_en", card.ItemNameEn)
	o.add("unit", card.Unit)
	if card.WarehouseID != 0 {
		o.add("warehouse_id", card.WarehouseID)
	} else {
		o.add("warehouse_id", nil)
	}
	o.add("entries", entries)
	o.add("brought_forward", card.BroughtForward)
	o.add("balance", card.Balance)
	// The list envelope's paging, beside the card's own fields.
	per, _ := pageSize(pf.PerPage)
	o.add("total", total)
	o.add("page", max(pf.Page, 1))
	o.add("per_page", per)
	if pf.Keyset.Next != "" {
		o.add("next", pf.Keyset.Next)
	} else {
		o.add("next", nil)
	}
	s.writeJSON(w, r, http.StatusOK, o)
}

func (s *Server) apiLowStock(w http.ResponseWriter, r *http.Request) {
	rows, err := s.store.LowStock(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]*jsonObject, len(rows))
	for i, l := range rows {
		o := &jsonObject{}
		o.add("item", l.Item)
		o.add("name_ne", l.ItemNameNe)
		o.add("name_en", l.ItemNameEn)
		o.add("unit", l.Unit)
		o.add("min_stock", l.MinStock)
		o.add("quantity", l.Quantity)
		out[i] = o
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out})
}

// maxExpiringDays bounds ?days= of the expiring list (five years).
const maxExpiringDays = 5 * 366

// apiExpiring lists stock expiring within ?days= (default 30) of today,
// the already expired included.
func (s *Server) apiExpiring(w http.ResponseWriter, r *http.Request) {
	days := 30
	if raw := strings.TrimSpace(bs.ASCIIDigits(r.URL.Query().Get("days"))); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > maxExpiringDays {
			s.renderError(w, r, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
				Fields: map[string]leoc.Msg{"days": leoc.M("distribution.range", 0, maxExpiringDays)}})
			return
		}
		days = n
	}
	rows, err := s.store.Expiring(r.Context(), bs.NepalTime(s.store.Now()).AddDate(0, 0, days))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]*jsonObject, len(rows))
	for i, b := range rows {
		out[i] = stockBalanceJSON(b)
	}
	s.writeJSON(w, r, http.StatusOK, map[string]any{"items": out, "days": days})
}

// nullableID is an id in the API, null for none.
func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
