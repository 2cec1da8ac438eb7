package store_test

import (
	"fmt"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

var storeKeeper = &leoc.User{Username: "ram", Role: leoc.RoleOfficer}

// addItem adds a catalogue item (SQL: the catalogue's own API belongs to
// the register) and returns its code.
func addItem(t *testing.T, s *store.Store, code string, trackBatch, trackExpiry bool, minStock leoc.Quantity) string {
	t.Helper()
	must.OK(t, s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO inventory_items (code, name_ne, name_en, category, unit, min_stock, track_batch, track_expiry,
			distributable, locked, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, 'medical', 'piece', ?, ?, ?, TRUE, TRUE, ?, 'admin', ?, 'admin')`,
			code, "सामग्री "+code, "Item "+code, int64(minStock), trackBatch, trackExpiry, s.Now(), s.Now())
		return err
	}))
	return code
}

// addWarehouse adds a warehouse of ward (0 = municipality) and returns its id.
func addWarehouse(t *testing.T, s *store.Store, code string, ward int) int64 {
	t.Helper()
	var w any
	if ward != 0 {
		w = ward
	}
	must.OK(t, s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO warehouses (code, name_ne, name_en, ward, locked, created_at, created_by, updated_at, updated_by)
			VALUES (?, ?, ?, ?, TRUE, ?, 'admin', ?, 'admin')`, code, "भण्डार "+code, "Store "+code, w, s.Now(), s.Now())
		return err
	}))
	return warehouseID(t, s, code)
}

func warehouseID(t *testing.T, s *store.Store, code string) int64 {
	t.Helper()
	var id int64
	must.OK(t, s.QueryRow(ctx, "SELECT id FROM warehouses WHERE code = ?", code).Scan(&id))
	return id
}

func line(item, quantity string) leoc.StockLineInput {
	return leoc.StockLineInput{Item: item, Quantity: leoc.QuantityText(quantity)}
}

func receive(t testing.TB, s *store.Store, warehouse int64, lines ...leoc.StockLineInput) *leoc.StockDocument {
	t.Helper()
	in := leoc.ReceiptInput{WarehouseID: warehouse, DateBS: "2082-04-01", Source: "donation", Supplier: "नेपाल रेडक्रस", Lines: lines}
	d := &leoc.StockDocument{}
	must.OK(t, in.Apply(bs.Default(), d))
	must.OK(t, s.CreateStockDocument(ctx, admin, storeKeeper, d))
	return d
}

func dispatch(s *store.Store, u *leoc.User, warehouse int64, lines ...leoc.StockLineInput) (*leoc.StockDocument, error) {
	in := leoc.DispatchInput{WarehouseID: warehouse, DateBS: "2082-04-03", Site: "खोली", Receiver: "वडा अध्यक्ष", Lines: lines}
	d := &leoc.StockDocument{}
	if err := in.Apply(bs.Default(), d); err != nil {
		return nil, err
	}
	return d, s.CreateStockDocument(ctx, admin, u, d)
}

// onHand is the stock of an item in a warehouse over its batches.
func onHand(t *testing.T, s *store.Store, item string, warehouse int64) leoc.Quantity {
	t.Helper()
	rows := must.Get(s.StockOnHand(ctx, store.StockFilter{Item: item, WarehouseID: warehouse}))(t)
	var q leoc.Quantity
	for _, r := range rows {
		q += r.Quantity
	}
	return q
}

func verifyStock(t *testing.T, s *store.Store) {
	t.Helper()
	diff, _, err := s.VerifyStock(ctx)
	if err != nil || diff != nil {
		t.Fatalf("ledger and balances differ: %v %v", diff, err)
	}
}

func count(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	must.OK(t, s.QueryRow(ctx, q, args...).Scan(&n))
	return n
}

func fieldOf(err error, field string) string {
	if e, ok := leoc.AsError(err); ok {
		return e.Fields[field].Key
	}
	return ""
}

func TestStockReceipt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		first := receive(t, s, main, line("rice", "25.5"), line("tarpaulin", "१०"))
		second := receive(t, s, main, line("rice", "0.125"))
		if first.Number != 1 || second.Number != 2 || first.FiscalYear.Start != 2082 || first.Status != leoc.StatusPosted {
			t.Fatalf("numbers %d, %d in %d", first.Number, second.Number, first.FiscalYear.Start)
		}
		if got := onHand(t, s, "rice", main); got != 25625 {
			t.Fatalf("rice on hand %s, want 25.625", got)
		}
		got := must.Get(s.StockDocument(ctx, first.ID))(t)
		if len(got.Lines) != 2 || got.Lines[1].Item != "tarpaulin" || got.Lines[1].Quantity != leoc.Units(10) || got.Party != "नेपाल रेडक्रस" {
			t.Fatalf("stored %+v", got)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'stock_documents' AND action = 'record.create'"); n != 2 {
			t.Fatalf("%d audit entries", n)
		}

		t.Run("unknown item and untracked batch are field errors, nothing written", func(t *testing.T) {
			in := leoc.ReceiptInput{WarehouseID: main, DateBS: "2082-04-01", Source: "purchase",
				Lines: []leoc.StockLineInput{line("rice", "1"), line("gold", "1"), {Item: "salt", Quantity: leoc.QuantityText("2"), Batch: "B1"}}}
			d := &leoc.StockDocument{}
			must.OK(t, in.Apply(bs.Default(), d))
			err := s.CreateStockDocument(ctx, admin, storeKeeper, d)
			if code(err) != leoc.EInvalid || fieldOf(err, "lines[1].item") != "stock.item_unknown" || fieldOf(err, "lines[2].batch") != "stock.batch_not_tracked" {
				t.Fatalf("got %v", err)
			}
			if n := count(t, s, "SELECT COUNT(*) FROM stock_documents"); n != 2 {
				t.Fatalf("%d documents after a refused one", n)
			}
		})
		t.Run("a tracked item needs its batch and expiry", func(t *testing.T) {
			addItem(t, s, "ors", true, true, 0)
			in := leoc.ReceiptInput{WarehouseID: main, DateBS: "2082-04-01", Source: "purchase", Lines: []leoc.StockLineInput{line("ors", "5")}}
			d := &leoc.StockDocument{}
			must.OK(t, in.Apply(bs.Default(), d))
			err := s.CreateStockDocument(ctx, admin, storeKeeper, d)
			if fieldOf(err, "lines[0].batch") != "field.required" || fieldOf(err, "lines[0].expiry_bs") != "field.required" {
				t.Fatalf("got %v", err)
			}
		})
		t.Run("an unknown warehouse and another ward's warehouse are refused", func(t *testing.T) {
			ward5 := addWarehouse(t, s, "W5", 5)
			in := leoc.ReceiptInput{WarehouseID: 999, DateBS: "2082-04-01", Source: "purchase", Lines: []leoc.StockLineInput{line("rice", "1")}}
			d := &leoc.StockDocument{}
			must.OK(t, in.Apply(bs.Default(), d))
			if err := s.CreateStockDocument(ctx, admin, storeKeeper, d); fieldOf(err, "warehouse_id") != "stock.warehouse_unknown" {
				t.Fatalf("unknown warehouse: %v", err)
			}
			ward3 := &leoc.User{Username: "hari", Role: leoc.RoleOfficer, Wards: []int{3}}
			in.WarehouseID = ward5
			must.OK(t, in.Apply(bs.Default(), d))
			if err := s.CreateStockDocument(ctx, admin, ward3, d); code(err) != leoc.EForbidden {
				t.Fatalf("a ward-3 user receives into ward 5's store: %v", err)
			}
		})
		verifyStock(t, s)
	})
}

func TestStockCannotGoNegative(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		receive(t, s, main, line("rice", "10"), line("salt", "3"))
		_, err := dispatch(s, storeKeeper, main, line("salt", "1"), line("rice", "10.5"))
		e, ok := leoc.AsError(err)
		if !ok || e.Code != leoc.EConflict || e.Message.Key != "stock.insufficient" || fieldOf(err, "lines[1].quantity") != "stock.insufficient" {
			t.Fatalf("got %v", err)
		}
		if avail := fmt.Sprint(e.Message.Args[2]); avail != "10" {
			t.Fatalf("available %s in %v", avail, e.Message.Args)
		}
		// Nothing half written: the salt line's take, the document and its number are rolled back.
		if onHand(t, s, "salt", main) != leoc.Units(3) || count(t, s, "SELECT COUNT(*) FROM stock_documents WHERE kind = 'dispatch'") != 0 {
			t.Fatal("a refused dispatch left something behind")
		}
		d := must.Get(dispatch(s, storeKeeper, main, line("rice", "10")))(t)
		if d.Number != 1 || onHand(t, s, "rice", main) != 0 {
			t.Fatalf("dispatch number %d, rice left %s", d.Number, onHand(t, s, "rice", main))
		}
		if _, err := dispatch(s, storeKeeper, main, line("rice", "0.001")); code(err) != leoc.EConflict {
			t.Fatalf("a take from an empty balance: %v", err)
		}
		if _, err := dispatch(s, storeKeeper, main, line("lentils", "1")); code(err) != leoc.EConflict {
			t.Fatalf("a take of an item never received: %v", err)
		}
		verifyStock(t, s)
	})
}

func TestStockMovementsAreAppendOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		receive(t, s, warehouseID(t, s, "MAIN"), line("rice", "10"))
		for _, q := range []string{"UPDATE stock_movements SET quantity = 1", "DELETE FROM stock_movements"} {
			err := s.WithTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, q); return err })
			if err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM stock_movements WHERE quantity = 10000"); n != 1 {
			t.Fatalf("%d movements", n)
		}
	})
}

func TestStockTransfer(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main, ward := warehouseID(t, s, "MAIN"), addWarehouse(t, s, "W3", 3)
		receive(t, s, main, line("rice", "100"), line("blanket", "20"))
		in := leoc.TransferInput{FromWarehouseID: main, ToWarehouseID: main, DateBS: "2082-04-02", Lines: []leoc.StockLineInput{line("rice", "40")}}
		d := &leoc.StockDocument{}
		if err := in.Apply(bs.Default(), d); fieldOf(err, "to_warehouse_id") != "stock.same_warehouse" {
			t.Fatalf("same warehouse: %v", err)
		}
		in.ToWarehouseID, in.Lines = ward, append(in.Lines, line("blanket", "10"))
		must.OK(t, in.Apply(bs.Default(), d))
		must.OK(t, s.CreateStockDocument(ctx, admin, storeKeeper, d))
		if d.Status != leoc.StatusSent || onHand(t, s, "rice", main) != leoc.Units(60) || onHand(t, s, "rice", ward) != 0 {
			t.Fatalf("after sending: %s, rice %s / %s", d.Status, onHand(t, s, "rice", main), onHand(t, s, "rice", ward))
		}

		sent := must.Get(s.StockDocument(ctx, d.ID))(t)
		rec := leoc.TransferReceiptInput{DateBS: "2082-04-03", Version: sent.Version, Lines: []leoc.TransferReceiptLineInput{
			{Received: leoc.QuantityText("38.5"), DifferenceReason: "बोरा फाटेको"}, {Received: leoc.QuantityText("11")}}}
		if _, _, err := rec.Apply(bs.Default(), sent); fieldOf(err, "lines[1].difference_reason") != "stock.more_than_sent" {
			t.Fatalf("more than sent without a reason: %v", err)
		}
		rec.Lines[1].DifferenceReason = "अघिल्लो पटक छुटेको"
		lines, date := must.Get2(rec.Apply(bs.Default(), sent))(t)
		sent.Lines, sent.DoneDate, sent.Version = lines, date, rec.Version
		ward5 := &leoc.User{Username: "hari", Role: leoc.RoleOfficer, Wards: []int{5}}
		if err := s.ReceiveTransfer(ctx, admin, ward5, sent); code(err) != leoc.EForbidden {
			t.Fatalf("a ward-5 user receives into ward 3: %v", err)
		}
		must.OK(t, s.ReceiveTransfer(ctx, admin, storeKeeper, sent))
		got := must.Get(s.StockDocument(ctx, d.ID))(t)
		if got.Status != leoc.StatusReceived || !got.HasDifferences() || got.Lines[0].Difference() != -1500 || got.DoneDate.String() != "2082-04-03" {
			t.Fatalf("received %+v", got)
		}
		if onHand(t, s, "rice", ward) != 38500 || onHand(t, s, "blanket", ward) != leoc.Units(11) || onHand(t, s, "blanket", main) != leoc.Units(10) {
			t.Fatal("balances after receipt")
		}
		if err := s.ReceiveTransfer(ctx, admin, storeKeeper, sent); code(err) != leoc.EConflict {
			t.Fatalf("received twice: %v", err)
		}
		verifyStock(t, s)
	})
}

func TestStockAdjustmentNeedsAnAdmin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		receive(t, s, main, line("rice", "10"))
		in := leoc.AdjustmentInput{WarehouseID: main, DateBS: "2082-04-04", Kind: "damaged", Lines: []leoc.StockLineInput{line("rice", "2")}}
		d := &leoc.StockDocument{}
		err := in.Apply(bs.Default(), d)
		if fieldOf(err, "reason") != "field.required" || fieldOf(err, "lines[0].quantity") != "stock.adjustment_removes" {
			t.Fatalf("damaged without a reason, adding: %v", err)
		}
		in.Reason, in.Lines = "पानी पसेर कुहिएको", []leoc.StockLineInput{line("rice", "-2.5")}
		must.OK(t, in.Apply(bs.Default(), d))
		must.OK(t, s.CreateStockDocument(ctx, admin, storeKeeper, d))
		if d.Status != leoc.StatusPending || onHand(t, s, "rice", main) != leoc.Units(10) {
			t.Fatal("a pending adjustment moved stock")
		}
		if _, err := s.ApproveAdjustment(ctx, admin, storeKeeper, d.ID, d.Version); code(err) != leoc.EForbidden {
			t.Fatalf("an officer approves: %v", err)
		}
		boss := &leoc.User{Username: "admin", Role: leoc.RoleAdmin}
		if _, err := s.ApproveAdjustment(ctx, admin, boss, d.ID, d.Version+1); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		got := must.Get(s.ApproveAdjustment(ctx, admin, boss, d.ID, d.Version))(t)
		if got.Status != leoc.StatusApproved || got.DoneBy != "admin" || onHand(t, s, "rice", main) != 7500 {
			t.Fatalf("approved %+v, rice %s", got, onHand(t, s, "rice", main))
		}
		if _, err := s.ApproveAdjustment(ctx, admin, boss, d.ID, got.Version); code(err) != leoc.EConflict {
			t.Fatalf("approved twice: %v", err)
		}

		// A count that finds less than there is cannot be approved past zero.
		in = leoc.AdjustmentInput{WarehouseID: main, DateBS: "2082-04-04", Kind: "count_correction", Reason: "गणना",
			Lines: []leoc.StockLineInput{line("rice", "-8")}}
		must.OK(t, in.Apply(bs.Default(), d))
		must.OK(t, s.CreateStockDocument(ctx, admin, storeKeeper, d))
		if _, err := s.ApproveAdjustment(ctx, admin, boss, d.ID, d.Version); code(err) != leoc.EConflict {
			t.Fatalf("approval below zero: %v", err)
		}
		verifyStock(t, s)
	})
}

func TestStockFirstToExpireFirstOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		addItem(t, s, "ors", true, true, 0)
		batch := func(b, expiry, q string) leoc.StockLineInput {
			return leoc.StockLineInput{Item: "ors", Batch: b, ExpiryBS: expiry, Quantity: leoc.QuantityText(q)}
		}
		receive(t, s, main, batch("LATE", "2084-01-01", "10"), batch("SOON", "2083-01-01", "4"))
		in := leoc.ReceiptInput{WarehouseID: main, DateBS: "2082-04-01", Source: "purchase", Lines: []leoc.StockLineInput{batch("OLD", "2082-03-01", "1")}}
		if err := in.Apply(bs.Default(), &leoc.StockDocument{}); fieldOf(err, "lines[0].expiry_bs") != "stock.expired_on_receipt" {
			t.Fatalf("expired on receipt: %v", err)
		}
		d := must.Get(dispatch(s, storeKeeper, main, line("ors", "6")))(t)
		if len(d.Lines) != 2 || d.Lines[0].Batch != "SOON" || d.Lines[0].Quantity != leoc.Units(4) || d.Lines[1].Batch != "LATE" ||
			d.Lines[1].Quantity != leoc.Units(2) {
			t.Fatalf("dispatched %+v", d.Lines)
		}
		exp := must.Get(s.Expiring(ctx, must.Get(bs.Default().ToAD(bs.Date{Year: 2083, Month: 6, Day: 1}))(t)))(t)
		if len(exp) != 0 {
			t.Fatalf("expiring before 2083-06: %+v", exp)
		}
		exp = must.Get(s.Expiring(ctx, must.Get(bs.Default().ToAD(bs.Date{Year: 2084, Month: 1, Day: 1}))(t)))(t)
		if len(exp) != 1 || exp[0].Batch != "LATE" || exp[0].Quantity != leoc.Units(8) {
			t.Fatalf("expiring by 2084-01-01: %+v", exp)
		}
		verifyStock(t, s)
	})
}

func TestLowStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		addItem(t, s, "masks", false, false, leoc.Units(100))
		addItem(t, s, "gloves", false, false, leoc.Units(10))
		receive(t, s, main, line("masks", "99.999"), line("gloves", "10"))
		low := must.Get(s.LowStock(ctx))(t)
		if len(low) != 1 || low[0].Item != "masks" || low[0].Quantity != 99999 || low[0].MinStock != leoc.Units(100) {
			t.Fatalf("low stock %+v", low)
		}
	})
}

// Every unit received can be followed on the bin card to where it went.
func TestBinCardTracesEveryUnit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main, ward := warehouseID(t, s, "MAIN"), addWarehouse(t, s, "W3", 3)
		r := receive(t, s, main, line("rice", "100"), line("tarpaulin", "5"))
		must.Get(dispatch(s, storeKeeper, main, line("rice", "30")))(t)
		tr := leoc.TransferInput{FromWarehouseID: main, ToWarehouseID: ward, DateBS: "2082-04-02", Lines: []leoc.StockLineInput{line("rice", "20")}}
		d := &leoc.StockDocument{}
		must.OK(t, tr.Apply(bs.Default(), d))
		must.OK(t, s.CreateStockDocument(ctx, admin, storeKeeper, d))
		dist := newDistribution(t, s, "HH-1", func(in *leoc.DistributionInput) {
			in.Cash, in.WarehouseID = leoc.Amount(""), &main
		})
		must.Get(s.CreateDistribution(ctx, admin, storeKeeper, dist))(t)

		card := must.Get(s.BinCard(ctx, "rice", main))(t)
		want := []struct {
			kind, doc string
			q         leoc.Quantity
			balance   leoc.Quantity
		}{{leoc.MoveReceipt, leoc.DocReceipt, leoc.Units(100), leoc.Units(100)}, {leoc.MoveDispatch, leoc.DocDispatch, -leoc.Units(30), leoc.Units(70)},
			{leoc.MoveTransferOut, leoc.DocTransfer, -leoc.Units(20), leoc.Units(50)}, {leoc.MoveIssue, leoc.DocDistribution, -leoc.Units(30), leoc.Units(20)}}
		if len(card.Entries) != len(want) {
			t.Fatalf("bin card %+v", card.Entries)
		}
		for i, w := range want {
			e := card.Entries[i]
			if e.Kind != w.kind || e.DocumentKind != w.doc || e.Quantity != w.q || e.Balance != w.balance {
				t.Errorf("entry %d = %s %s %s (balance %s); want %s %s %s (%s)", i, e.Kind, e.DocumentKind, e.Quantity, e.Balance, w.kind, w.doc, w.q, w.balance)
			}
		}
		if card.Entries[0].DocumentID != r.ID || card.Entries[0].DocumentNumber != 1 || card.Entries[3].DocumentID != dist.ID {
			t.Fatalf("documents on the card: %+v", card.Entries)
		}
		if card.Balance != onHand(t, s, "rice", main) {
			t.Fatalf("card ends at %s, stock is %s", card.Balance, onHand(t, s, "rice", main))
		}
		if _, err := s.BinCard(ctx, "gold", 0); code(err) != leoc.ENotFound {
			t.Fatalf("unknown item: %v", err)
		}
	})
}
