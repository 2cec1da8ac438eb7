package leoc

import (
	"fmt"
	"strings"

	"leoc/internal/bs"
)

// StockLineInput is one line as typed or sent. The item is a catalogue
// code; the store resolves it (unknown → a field error on the line) and
// checks the item's batch and expiry tracking.
type StockLineInput struct {
	Item     string        `json:"item"`
	Quantity QuantityInput `json:"quantity"`
	UnitCost AmountInput   `json:"unit_cost"`
	Batch    string        `json:"batch"`
	ExpiryBS string        `json:"expiry_bs"`
}

// ReceiptInput is a stock receipt: goods into a warehouse.
type ReceiptInput struct {
	WarehouseID int64            `json:"warehouse_id"`
	DateBS      string           `json:"date_bs"`
	Source      string           `json:"source"`   // one of ReceiptSources
	Supplier    string           `json:"supplier"` // supplier or donor
	Reference   string           `json:"reference"`
	Notes       string           `json:"notes"`
	Lines       []StockLineInput `json:"lines"`
}

// TransferInput sends goods from one warehouse to another.
type TransferInput struct {
	FromWarehouseID int64            `json:"from_warehouse_id"`
	ToWarehouseID   int64            `json:"to_warehouse_id"`
	DateBS          string           `json:"date_bs"`
	Reference       string           `json:"reference"`
	Notes           string           `json:"notes"`
	Lines           []StockLineInput `json:"lines"`
}

// AdjustmentInput corrects stock; its lines are signed changes.
type AdjustmentInput struct {
	WarehouseID int64            `json:"warehouse_id"`
	DateBS      string           `json:"date_bs"`
	Kind        string           `json:"kind"` // one of AdjustmentKinds
	Reason      string           `json:"reason"`
	Notes       string           `json:"notes"`
	Lines       []StockLineInput `json:"lines"`
}

// DispatchInput sends goods to an incident site.
type DispatchInput struct {
	WarehouseID   int64            `json:"warehouse_id"`
	DateBS        string           `json:"date_bs"`
	IncidentID    *int64           `json:"incident_id"`
	Site          string           `json:"site"`
	Receiver      string           `json:"receiver"`
	ReceiverPhone string           `json:"receiver_phone"`
	Vehicle       string           `json:"vehicle"`
	Driver        string           `json:"driver"`
	Reference     string           `json:"reference"`
	Notes         string           `json:"notes"`
	Lines         []StockLineInput `json:"lines"`
}

// TransferReceiptInput records what arrived of a sent transfer: one entry
// per line, in the transfer's order.
type TransferReceiptInput struct {
	DateBS  string                     `json:"date_bs"`
	Lines   []TransferReceiptLineInput `json:"lines"`
	Version int                        `json:"version"`
}

// TransferReceiptLineInput is what arrived of one line, and why it differs.
type TransferReceiptLineInput struct {
	Received         QuantityInput `json:"received"`
	DifferenceReason string        `json:"difference_reason"`
}

// Limits of the documents' texts.
const (
	stockTextMax  = 200
	stockNotesMax = 4000
)

// Apply validates a receipt and fills d (a new document).
func (in *ReceiptInput) Apply(cal *bs.Calendar, d *StockDocument) error {
	var v Validation
	*d = StockDocument{Kind: DocReceipt, Status: StatusPosted}
	d.WarehouseID = checkWarehouse(&v, "warehouse_id", in.WarehouseID)
	d.SetDate(&v, cal, "date_bs", in.DateBS)
	in.Source = strings.TrimSpace(in.Source)
	CheckChoice(&v, "source", in.Source, ReceiptSources)
	CheckText(&v, "supplier", &in.Supplier, false, stockTextMax)
	CheckText(&v, "reference", &in.Reference, false, stockTextMax)
	CheckText(&v, "notes", &in.Notes, false, stockNotesMax)
	d.Source, d.Party, d.Reference, d.Notes = in.Source, in.Supplier, in.Reference, in.Notes
	d.Lines = checkLines(&v, cal, in.Lines, lineRules{costs: true, expiryAfter: d.DateBS})
	return v.Err()
}

// Apply validates a transfer and fills d (a new document, sent).
func (in *TransferInput) Apply(cal *bs.Calendar, d *StockDocument) error {
	var v Validation
	*d = StockDocument{Kind: DocTransfer, Status: StatusSent}
	d.WarehouseID = checkWarehouse(&v, "from_warehouse_id", in.FromWarehouseID)
	d.ToWarehouseID = checkWarehouse(&v, "to_warehouse_id", in.ToWarehouseID)
	if d.WarehouseID != 0 && d.WarehouseID == d.ToWarehouseID {
		v.Add("to_warehouse_id", "stock.same_warehouse")
	}
	d.SetDate(&v, cal, "date_bs", in.DateBS)
	CheckText(&v, "reference", &in.Reference, false, stockTextMax)
	CheckText(&v, "notes", &in.Notes, false, stockNotesMax)
	d.Reference, d.Notes = in.Reference, in.Notes
	d.Lines = checkLines(&v, cal, in.Lines, lineRules{})
	return v.Err()
}

// Apply validates an adjustment and fills d (a new document, pending).
func (in *AdjustmentInput) Apply(cal *bs.Calendar, d *StockDocument) error {
	var v Validation
	*d = StockDocument{Kind: DocAdjustment, Status: StatusPending}
	d.WarehouseID = checkWarehouse(&v, "warehouse_id", in.WarehouseID)
	d.SetDate(&v, cal, "date_bs", in.DateBS)
	in.Kind = strings.TrimSpace(in.Kind)
	CheckChoice(&v, "kind", in.Kind, AdjustmentKinds)
	CheckText(&v, "reason", &in.Reason, true, stockNotesMax)
	CheckText(&v, "notes", &in.Notes, false, stockNotesMax)
	d.AdjustKind, d.Reason, d.Notes = in.Kind, in.Reason, in.Notes
	d.Lines = checkLines(&v, cal, in.Lines, lineRules{signed: true})
	// Damaged or expired goods only leave the store; only a count may find more.
	if in.Kind != "count_correction" {
		for i, l := range d.Lines {
			if l.Quantity > 0 {
				v.Add(row("lines", i, "quantity"), "stock.adjustment_removes")
			}
		}
	}
	return v.Err()
}

// Apply validates a dispatch and fills d (a new document). The incident,
// when given, is checked by the store.
func (in *DispatchInput) Apply(cal *bs.Calendar, d *StockDocument) error {
	var v Validation
	*d = StockDocument{Kind: DocDispatch, Status: StatusPosted}
	d.WarehouseID = checkWarehouse(&v, "warehouse_id", in.WarehouseID)
	d.SetDate(&v, cal, "date_bs", in.DateBS)
	if in.IncidentID != nil && *in.IncidentID != 0 {
		if *in.IncidentID < 0 {
			v.Add("incident_id", "distribution.incident_unknown")
		}
		d.IncidentID = *in.IncidentID
	}
	CheckText(&v, "site", &in.Site, true, stockTextMax)
	CheckText(&v, "receiver", &in.Receiver, true, stockTextMax)
	in.ReceiverPhone = strings.TrimSpace(bs.ASCIIDigits(in.ReceiverPhone))
	CheckText(&v, "receiver_phone", &in.ReceiverPhone, false, 30)
	if in.ReceiverPhone != "" && strings.Trim(in.ReceiverPhone, "0123456789+- ") != "" {
		v.Add("receiver_phone", "distribution.phone_invalid")
	}
	CheckText(&v, "vehicle", &in.Vehicle, false, stockTextMax)
	CheckText(&v, "driver", &in.Driver, false, stockTextMax)
	CheckText(&v, "reference", &in.Reference, false, stockTextMax)
	CheckText(&v, "notes", &in.Notes, false, stockNotesMax)
	d.Site, d.Party, d.PartyPhone, d.Vehicle, d.Driver = in.Site, in.Receiver, in.ReceiverPhone, in.Vehicle, in.Driver
	d.Reference, d.Notes = in.Reference, in.Notes
	d.Lines = checkLines(&v, cal, in.Lines, lineRules{})
	return v.Err()
}

// Apply validates what arrived of transfer t and returns its lines with the
// received quantities and the date of arrival. Receiving more than was sent
// needs a reason; less is recorded and flagged (the goods were lost or
// damaged on the way, and the reason is asked for but not required).
func (in *TransferReceiptInput) Apply(cal *bs.Calendar, t *StockDocument) ([]StockLine, bs.Date, error) {
	var v Validation
	var when Dated
	when.SetDate(&v, cal, "date_bs", in.DateBS)
	if !v.Has("date_bs") && when.DateBS.Before(t.DateBS) {
		v.Add("date_bs", "stock.received_before_sent")
	}
	if len(in.Lines) != len(t.Lines) {
		v.Add("lines", "stock.receive_every_line", len(t.Lines))
		return nil, bs.Date{}, v.Err()
	}
	lines := make([]StockLine, len(t.Lines))
	for i, l := range t.Lines {
		li := &in.Lines[i]
		CheckText(&v, row("lines", i, "difference_reason"), &li.DifferenceReason, false, stockTextMax)
		got := checkReceived(&v, row("lines", i, "received"), li.Received)
		if got > l.Quantity && li.DifferenceReason == "" {
			v.Add(row("lines", i, "difference_reason"), "stock.more_than_sent")
		}
		l.Received, l.DifferenceReason = &got, li.DifferenceReason
		lines[i] = l
	}
	return lines, when.DateBS, v.Err()
}

// checkReceived reads a received quantity: zero is allowed (nothing arrived).
func checkReceived(v *Validation, field string, q QuantityInput) Quantity {
	if n, err := ParseQuantity(q.Text); err == nil && n == 0 && !q.bad {
		return 0
	}
	return q.check(v, field, false)
}

func checkWarehouse(v *Validation, field string, id int64) int64 {
	if id <= 0 {
		v.Add(field, "field.required")
		return 0
	}
	return id
}

// lineRules are what differs between the documents' lines.
type lineRules struct {
	signed      bool    // an adjustment's change may be negative
	costs       bool    // a receipt records unit costs
	expiryAfter bs.Date // a receipt's goods must not have expired when received
}

func checkLines(v *Validation, cal *bs.Calendar, in []StockLineInput, r lineRules) []StockLine {
	switch {
	case len(in) == 0:
		v.Add("lines", "stock.no_lines")
		return nil
	case len(in) > MaxStockLines:
		v.Add("lines", "distribution.too_many_rows", MaxStockLines)
		return nil
	}
	out := make([]StockLine, len(in))
	seen := map[string]int{}
	for i := range in {
		li := &in[i]
		l := &out[i]
		li.Item = strings.TrimSpace(li.Item)
		CheckText(v, row("lines", i, "item"), &li.Item, true, 60)
		CheckText(v, row("lines", i, "batch"), &li.Batch, false, 60)
		l.Item, l.Batch = li.Item, li.Batch
		l.Quantity = li.Quantity.check(v, row("lines", i, "quantity"), r.signed)
		if strings.TrimSpace(li.ExpiryBS) != "" {
			var exp Dated
			exp.SetDate(v, cal, row("lines", i, "expiry_bs"), li.ExpiryBS)
			l.Expiry, l.ExpiryAD = exp.DateBS, exp.DateAD
			if !v.Has(row("lines", i, "expiry_bs")) && !r.expiryAfter.IsZero() && l.Expiry.Before(r.expiryAfter) {
				v.Add(row("lines", i, "expiry_bs"), "stock.expired_on_receipt")
			}
		}
		if strings.TrimSpace(li.UnitCost.Text) != "" {
			if !r.costs {
				v.Add(row("lines", i, "unit_cost"), "stock.cost_only_on_receipt")
			} else if c := li.UnitCost.check(v, row("lines", i, "unit_cost"), MaxUnitCost); !v.Has(row("lines", i, "unit_cost")) {
				l.UnitCost = &c
			}
		}
		key := fmt.Sprintf("%s\x1f%s\x1f%s", l.Item, l.Batch, dateOrEmpty(l.Expiry))
		if j, dup := seen[key]; dup && l.Item != "" {
			v.Add(row("lines", i, "item"), "stock.line_twice", j+1)
		}
		seen[key] = i
	}
	return out
}
