package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// StockDocumentRegister plugs the store's documents into the audit trail
// and the lock: a document is saved locked and never edited (a mistake is
// corrected by an adjustment); receiving a transfer and approving an
// adjustment are steps of its own, not edits, and are allowed on a locked
// document.
var StockDocumentRegister = Register{Name: "stock_documents", Table: "stock_documents"}

const stockDocumentColumns = `id, kind, number, date_bs, date_ad, fiscal_year, warehouse_id, to_warehouse_id, source, party, party_phone,
	reference, incident_id, site, vehicle, driver, adjustment_kind, reason, status, done_date_bs, done_by, done_at, notes, ` + recordColumns

func (s *Store) scanStockDocument(r rowScanner) (*leoc.StockDocument, error) {
	var d leoc.StockDocument
	var dateBS, dateAD, doneBS string
	var to, incident sql.NullInt64
	var doneAt sql.NullTime
	dest := append([]any{&d.ID, &d.Kind, &d.Number, &dateBS, &dateAD, &d.FiscalYear.Start, &d.WarehouseID, &to, &d.Source, &d.Party,
		&d.PartyPhone, &d.Reference, &incident, &d.Site, &d.Vehicle, &d.Driver, &d.AdjustKind, &d.Reason, &d.Status, &doneBS,
		&d.DoneBy, &doneAt, &d.Notes}, recordDest(&d.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if d.DateBS, err = storedDate(dateBS); err != nil {
		return nil, fmt.Errorf("store: stock document %d has a bad date: %w", d.ID, err)
	}
	if d.DateAD, err = time.Parse(time.DateOnly, dateAD); err != nil {
		return nil, fmt.Errorf("store: stock document %d has a bad AD date: %w", d.ID, err)
	}
	d.ToWarehouseID, d.IncidentID = to.Int64, incident.Int64
	d.DoneDate = storedDateOrZero(doneBS)
	if doneAt.Valid {
		d.DoneAt = doneAt.Time.UTC()
	}
	s.settle(&d.Record)
	return &d, nil
}

// nextDocumentNumber takes the next number of a kind in a fiscal year, in
// the document's transaction: numbers have no gaps, and a rolled-back
// document gives its number back.
func (t *Tx) nextDocumentNumber(ctx context.Context, kind string, fy int) (int, error) {
	var n int
	err := t.queryRow(ctx, `INSERT INTO stock_document_numbers (kind, fiscal_year, last_number) VALUES (?, ?, 1)
		ON CONFLICT (kind, fiscal_year) DO UPDATE SET last_number = stock_document_numbers.last_number + 1 RETURNING last_number`,
		kind, fy).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: document number: %w", err)
	}
	return n, nil
}

// CreateStockDocument saves a new receipt, transfer (sent), adjustment
// (pending) or dispatch with its lines, and moves its stock, in one
// transaction with its number and its audit entry.
func (s *Store) CreateStockDocument(ctx context.Context, actor Actor, u *leoc.User, d *leoc.StockDocument) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateStockDocument(ctx, actor, u, d) })
}

// CreateStockDocument saves a document inside a larger transaction (the
// demo data).
func (t *Tx) CreateStockDocument(ctx context.Context, actor Actor, u *leoc.User, d *leoc.StockDocument) error {
	if err := t.checkDocumentPlaces(ctx, u, d); err != nil {
		return err
	}
	items, err := t.documentItems(ctx, d)
	if err != nil {
		return err
	}
	moves, err := t.documentMoves(ctx, d, items)
	if err != nil {
		return err
	}
	if d.Number, err = t.nextDocumentNumber(ctx, d.Kind, d.FiscalYear.Start); err != nil {
		return err
	}
	t.s.stamp(&d.Record, actor)
	err = t.queryRow(ctx, `INSERT INTO stock_documents (kind, number, date_bs, date_ad, fiscal_year, warehouse_id, to_warehouse_id, source,
		party, party_phone, reference, incident_id, site, vehicle, driver, adjustment_kind, reason, status, notes, `+recordColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.Kind, d.Number, d.DateBS.String(), dateText(d.DateAD), d.FiscalYear.Start, d.WarehouseID, nullable(d.ToWarehouseID), d.Source,
		d.Party, d.PartyPhone, d.Reference, nullable(d.IncidentID), d.Site, d.Vehicle, d.Driver, d.AdjustKind, d.Reason, d.Status, d.Notes,
		d.Locked, d.Version, d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.UpdatedBy).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: create stock document: %w", translate(err))
	}
	t.s.settle(&d.Record)
	if err := t.writeDocumentLines(ctx, d); err != nil {
		return err
	}
	if err := t.moveStock(ctx, actor, stockSource{Kind: d.Kind, ID: d.ID, Date: d.Dated}, moves); err != nil {
		return err
	}
	return t.Audit(ctx, actor, "record.create", StockDocumentRegister.Name, strconv.FormatInt(d.ID, 10), map[string]any{"after": d.Fields()})
}

// checkDocumentPlaces checks the warehouses (they exist; a user limited to
// wards writes only for warehouses of those wards) and a dispatch's incident.
func (t *Tx) checkDocumentPlaces(ctx context.Context, u *leoc.User, d *leoc.StockDocument) error {
	var v leoc.Validation
	fields := map[string]int64{"warehouse_id": d.WarehouseID}
	if d.Kind == leoc.DocTransfer {
		fields = map[string]int64{"from_warehouse_id": d.WarehouseID, "to_warehouse_id": d.ToWarehouseID}
	}
	for field, id := range fields {
		ward, err := t.warehouseWard(ctx, id)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add(field, "stock.warehouse_unknown")
			continue
		}
		if err != nil {
			return err
		}
		// The receiving side of a transfer is written by whoever receives it.
		if field != "to_warehouse_id" {
			if err := u.WardWriteError(ward); err != nil {
				return err
			}
		}
	}
	if d.IncidentID != 0 {
		var one int
		err := t.queryRow(ctx, "SELECT 1 FROM incidents WHERE id = ?", d.IncidentID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			v.Add("incident_id", "distribution.incident_unknown")
		} else if err != nil {
			return fmt.Errorf("store: dispatch incident: %w", err)
		}
	}
	return v.Err()
}

// warehouseWard is a warehouse's ward (0 = the whole municipality).
func (t *Tx) warehouseWard(ctx context.Context, id int64) (int, error) {
	var ward sql.NullInt64
	err := t.queryRow(ctx, "SELECT ward FROM warehouses WHERE id = ?", id).Scan(&ward)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: warehouse %d: %w", id, err)
	}
	return int(ward.Int64), err
}

// documentItems resolves the lines' items and checks their tracking: a
// receipt or an adjustment names the batch and expiry of a tracked item; no
// line gives a batch or expiry to an item that does not track it.
func (t *Tx) documentItems(ctx context.Context, d *leoc.StockDocument) (map[string]stockItem, error) {
	codes := make([]string, len(d.Lines))
	for i, l := range d.Lines {
		codes[i] = l.Item
	}
	items, err := t.stockItems(ctx, codes)
	if err != nil {
		return nil, err
	}
	var v leoc.Validation
	exact := d.Kind == leoc.DocReceipt || d.Kind == leoc.DocAdjustment
	for i := range d.Lines {
		l := &d.Lines[i]
		it, ok := items[l.Item]
		if !ok {
			v.Add(lineField(i, "item"), "stock.item_unknown", l.Item)
			continue
		}
		l.ItemID = it.ID
		switch {
		case l.Batch != "" && !it.TrackBatch:
			v.Add(lineField(i, "batch"), "stock.batch_not_tracked")
		case l.Batch == "" && it.TrackBatch && exact:
			v.Add(lineField(i, "batch"), "field.required")
		}
		switch {
		case !l.Expiry.IsZero() && !it.TrackExpiry:
			v.Add(lineField(i, "expiry_bs"), "stock.expiry_not_tracked")
		case l.Expiry.IsZero() && it.TrackExpiry && exact:
			v.Add(lineField(i, "expiry_bs"), "field.required")
		}
	}
	return items, v.Err()
}

func lineField(i int, field string) string { return fmt.Sprintf("lines[%d].%s", i, field) }

// documentMoves are the movements a new document makes: a receipt adds, a
// transfer and a dispatch take (each line allocated to batches, and the
// document's lines become the batches taken, so a transfer is received
// batch by batch); an adjustment moves nothing until approved.
func (t *Tx) documentMoves(ctx context.Context, d *leoc.StockDocument, items map[string]stockItem) ([]stockMove, error) {
	var moves []stockMove
	switch d.Kind {
	case leoc.DocReceipt:
		for i, l := range d.Lines {
			moves = append(moves, lineMove(leoc.MoveReceipt, d.WarehouseID, l, l.Quantity, i))
		}
	case leoc.DocTransfer, leoc.DocDispatch:
		kind := map[string]string{leoc.DocTransfer: leoc.MoveTransferOut, leoc.DocDispatch: leoc.MoveDispatch}[d.Kind]
		var lines []leoc.StockLine
		for i, l := range d.Lines {
			taken, err := t.allocate(ctx, items[l.Item], lineMove(kind, d.WarehouseID, l, -l.Quantity, i))
			if err != nil {
				return nil, err
			}
			for _, m := range taken {
				moves = append(moves, m)
				lines = append(lines, leoc.StockLine{ItemID: l.ItemID, Item: l.Item, Batch: m.Batch, Expiry: m.Expiry, ExpiryAD: m.ExpiryAD,
					Quantity: -m.Quantity})
			}
		}
		d.Lines = lines
	}
	return moves, nil
}

func lineMove(kind string, warehouse int64, l leoc.StockLine, q leoc.Quantity, i int) stockMove {
	return stockMove{stockKey: stockKey{ItemID: l.ItemID, WarehouseID: warehouse, Batch: l.Batch, Expiry: l.Expiry, ExpiryAD: l.ExpiryAD},
		Kind: kind, Quantity: q, UnitCost: l.UnitCost, Item: l.Item, Field: lineField(i, "quantity")}
}

func (t *Tx) writeDocumentLines(ctx context.Context, d *leoc.StockDocument) error {
	rows := make([][]any, 0, len(d.Lines))
	for i, l := range d.Lines {
		var cost, received any
		if l.UnitCost != nil {
			cost = int64(*l.UnitCost)
		}
		if l.Received != nil {
			received = int64(*l.Received)
		}
		exp := ""
		if !l.Expiry.IsZero() {
			exp = l.Expiry.String()
		}
		rows = append(rows, []any{d.ID, i, l.ItemID, l.Batch, exp, int64(l.Quantity), cost, received, l.DifferenceReason})
	}
	for chunk := range slices.Chunk(rows, 50) {
		if err := t.insertRows(ctx, `stock_document_lines (document_id, position, item_id, batch, expiry_bs, quantity, unit_cost,
			received, difference_reason)`, chunk); err != nil {
			return err
		}
	}
	return nil
}

// StockDocument loads one document with its lines.
func (s *Store) StockDocument(ctx context.Context, id int64) (*leoc.StockDocument, error) {
	d, err := s.scanStockDocument(s.queryRow(ctx, "SELECT "+stockDocumentColumns+" FROM stock_documents WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return d, s.loadDocumentLines(ctx, s.query, d)
}

func (t *Tx) stockDocument(ctx context.Context, id int64) (*leoc.StockDocument, error) {
	d, err := t.s.scanStockDocument(t.queryRow(ctx, "SELECT "+stockDocumentColumns+" FROM stock_documents WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return d, t.s.loadDocumentLines(ctx, t.query, d)
}

func (s *Store) loadDocumentLines(ctx context.Context, query queryFunc, d *leoc.StockDocument) error {
	rows, err := query(ctx, `SELECT i.id, i.code, l.batch, l.expiry_bs, l.quantity, l.unit_cost, l.received, l.difference_reason
		FROM stock_document_lines l JOIN inventory_items i ON i.id = l.item_id WHERE l.document_id = ? ORDER BY l.position`, d.ID)
	if err != nil {
		return fmt.Errorf("store: document lines: %w", err)
	}
	defer rows.Close()
	d.Lines = nil
	for rows.Next() {
		var l leoc.StockLine
		var exp string
		var cost, received sql.NullInt64
		if err := rows.Scan(&l.ItemID, &l.Item, &l.Batch, &exp, (*int64)(&l.Quantity), &cost, &received, &l.DifferenceReason); err != nil {
			return fmt.Errorf("store: document lines: %w", err)
		}
		l.Expiry = storedDateOrZero(exp)
		if cost.Valid {
			c := leoc.Money(cost.Int64)
			l.UnitCost = &c
		}
		if received.Valid {
			r := leoc.Quantity(received.Int64)
			l.Received = &r
		}
		d.Lines = append(d.Lines, l)
	}
	return rows.Err()
}

// StockDocumentFilter selects documents for a list.
type StockDocumentFilter struct {
	Kind        string // required: one of leoc.StockDocumentKinds
	WarehouseID int64  // either side of a transfer
	Status      string
	FiscalYears []int
	From, To    string // AD dates, inclusive
	Page        int
	PerPage     int
	After       string  // as RecordFilter.After
	Keyset      *Keyset // as RecordFilter.Keyset
}

// StockDocuments lists one page of documents of a kind, newest first, and
// the total; their lines are not loaded.
func (s *Store) StockDocuments(ctx context.Context, f StockDocumentFilter) ([]*leoc.StockDocument, int, error) {
	var w where
	w.add("kind = ?", f.Kind)
	if f.WarehouseID != 0 {
		w.add("(warehouse_id = ? OR to_warehouse_id = ?)", f.WarehouseID, f.WarehouseID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if len(f.FiscalYears) > 0 {
		w.in("fiscal_year", len(f.FiscalYears), func(i int) any { return f.FiscalYears[i] })
	}
	if f.From != "" {
		w.add("date_ad >= ?", f.From)
	}
	if f.To != "" {
		w.add("date_ad <= ?", f.To)
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM stock_documents"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count stock documents: %w", err)
	}
	var out []*leoc.StockDocument
	page := RecordFilter{Page: f.Page, PerPage: f.PerPage, After: f.After, Keyset: f.Keyset}
	err := s.readPage(ctx, listPage{table: "stock_documents", read: stockDocumentColumns, w: &w, order: " ORDER BY date_ad DESC, id DESC"}, page,
		func(r rowScanner) error {
			d, err := s.scanStockDocument(r)
			out = append(out, d)
			return err
		})
	return out, total, err
}

// ReceiveTransfer records what arrived of a sent transfer (d as loaded,
// with Lines' Received and DifferenceReason, DoneDate and the client's
// Version set): the received quantities go into the receiving warehouse,
// batch by batch, in one transaction with the audit entry. A difference
// stays on the document, flagged; nothing moves back to the sender.
func (s *Store) ReceiveTransfer(ctx context.Context, actor Actor, u *leoc.User, d *leoc.StockDocument) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.stockDocument(ctx, d.ID)
		if err != nil {
			return err
		}
		if old.Kind != leoc.DocTransfer {
			return leoc.Errorf(leoc.ENotFound, "record.not_found")
		}
		if err := tx.documentStep(ctx, u, old, d.Version, leoc.StatusSent, old.ToWarehouseID); err != nil {
			return err
		}
		if len(d.Lines) != len(old.Lines) {
			return leoc.Errorf(leoc.EInvalid, "stock.receive_every_line", len(old.Lines))
		}
		var moves []stockMove
		for i, l := range old.Lines {
			got := d.Lines[i]
			if got.Received == nil {
				return leoc.Errorf(leoc.EInvalid, "stock.receive_every_line", len(old.Lines))
			}
			if _, err := tx.exec(ctx, "UPDATE stock_document_lines SET received = ?, difference_reason = ? WHERE document_id = ? AND position = ?",
				int64(*got.Received), got.DifferenceReason, d.ID, i); err != nil {
				return fmt.Errorf("store: receive transfer: %w", err)
			}
			if *got.Received > 0 {
				moves = append(moves, lineMove(leoc.MoveTransferIn, old.ToWarehouseID, l, *got.Received, i))
			}
		}
		var when leoc.Dated
		when.DateBS = d.DoneDate
		if when.DateAD, err = tx.adDate(ctx, d.DoneDate); err != nil {
			return err
		}
		if err := tx.finishStep(ctx, actor, d.ID, leoc.StatusReceived, d.DoneDate); err != nil {
			return err
		}
		if err := tx.moveStock(ctx, actor, stockSource{Kind: leoc.DocTransfer, ID: d.ID, Date: when}, moves); err != nil {
			return err
		}
		return tx.auditStep(ctx, actor, "stock.receive", old, d)
	})
}

// ApproveAdjustment approves a pending adjustment (admins only): its lines
// move the stock, and a take the stock does not cover refuses the approval.
func (s *Store) ApproveAdjustment(ctx context.Context, actor Actor, u *leoc.User, id int64, version int) (*leoc.StockDocument, error) {
	var out *leoc.StockDocument
	err := s.WithTx(ctx, func(tx *Tx) error {
		if !leoc.CanApproveAdjustment(u) {
			return leoc.Errorf(leoc.EForbidden, "stock.approve_admin_only")
		}
		old, err := tx.stockDocument(ctx, id)
		if err != nil {
			return err
		}
		if old.Kind != leoc.DocAdjustment {
			return leoc.Errorf(leoc.ENotFound, "record.not_found")
		}
		if err := tx.documentStep(ctx, u, old, version, leoc.StatusPending, old.WarehouseID); err != nil {
			return err
		}
		moves := make([]stockMove, len(old.Lines))
		for i, l := range old.Lines {
			moves[i] = lineMove(leoc.MoveAdjustment, old.WarehouseID, l, l.Quantity, i)
			if !l.Expiry.IsZero() {
				if moves[i].ExpiryAD, err = tx.adDate(ctx, l.Expiry); err != nil {
					return err
				}
			}
		}
		// The approval's date is today in Nepal; a calendar that does not
		// reach today leaves it empty rather than refusing the approval.
		today := bs.Date{}
		if cal, err := tx.s.Calendar(ctx); err == nil {
			today, _ = cal.FromAD(bs.NepalTime(tx.s.Now()))
		}
		if err := tx.finishStep(ctx, actor, id, leoc.StatusApproved, today); err != nil {
			return err
		}
		if err := tx.moveStock(ctx, actor, stockSource{Kind: leoc.DocAdjustment, ID: id, Date: old.Dated}, moves); err != nil {
			return err
		}
		if out, err = tx.stockDocument(ctx, id); err != nil {
			return err
		}
		return tx.auditStep(ctx, actor, "stock.approve", old, out)
	})
	return out, err
}

// documentStep checks that a document may take its second step: still in
// status want, not saved since version, and the user may write for the
// warehouse the step concerns.
func (t *Tx) documentStep(ctx context.Context, u *leoc.User, d *leoc.StockDocument, version int, want string, warehouse int64) error {
	if d.Status != want {
		return leoc.Errorf(leoc.EConflict, "stock.step_done")
	}
	if version == 0 {
		return leoc.Errorf(leoc.EInvalid, "record.version_required")
	}
	if version != d.Version {
		return leoc.Errorf(leoc.EConflict, "record.stale")
	}
	ward, err := t.warehouseWard(ctx, warehouse)
	if err != nil {
		return err
	}
	return u.WardWriteError(ward)
}

func (t *Tx) finishStep(ctx context.Context, actor Actor, id int64, status string, date bs.Date) error {
	now := t.s.Now()
	done := ""
	if !date.IsZero() {
		done = date.String()
	}
	_, err := t.exec(ctx, `UPDATE stock_documents SET status = ?, done_date_bs = ?, done_by = ?, done_at = ?, version = version + 1,
		updated_at = ?, updated_by = ? WHERE id = ?`, status, done, actor.Username, now, now, actor.Username, id)
	if err != nil {
		return fmt.Errorf("store: %s stock document: %w", status, err)
	}
	return nil
}

func (t *Tx) auditStep(ctx context.Context, actor Actor, action string, old, updated *leoc.StockDocument) error {
	after := *updated
	after.Status = map[string]string{"stock.receive": leoc.StatusReceived, "stock.approve": leoc.StatusApproved}[action]
	return t.Audit(ctx, actor, action, StockDocumentRegister.Name, strconv.FormatInt(old.ID, 10),
		map[string]any{"changes": Changes(old.Fields(), after.Fields())})
}

// adDate is the AD date of a BS date by the office's calendar.
func (t *Tx) adDate(ctx context.Context, d bs.Date) (time.Time, error) {
	cal, err := t.s.Calendar(ctx)
	if err != nil {
		return time.Time{}, err
	}
	ad, err := cal.ToAD(d)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: AD date of %s: %w", d, err)
	}
	return ad, nil
}
