package leoc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"time"

	"leoc/internal/bs"
)

// The relief store's documents (भण्डार). Each moves stock through the
// ledger (store/stock.go); a posted document is never edited — a mistake is
// corrected by an adjustment, so the bin card shows what happened.
const (
	DocReceipt    = "receipt"    // goods received into a warehouse (दाखिला)
	DocTransfer   = "transfer"   // from one warehouse to another: sent, then received
	DocAdjustment = "adjustment" // damaged, expired or a count correction; moves stock when an admin approves
	DocDispatch   = "dispatch"   // goods sent to an incident site, with a waybill
	// DocDistribution is not a store document: a distribution's relief items
	// are issued (and returned) under its own id in the ledger.
	DocDistribution = "distribution"
)

// StockDocumentKinds are the four documents, in menu order.
var StockDocumentKinds = []string{DocReceipt, DocTransfer, DocAdjustment, DocDispatch}

// Statuses of a document.
const (
	StatusPosted   = "posted"   // receipt, dispatch: stock moved when saved
	StatusSent     = "sent"     // transfer: out of the sending warehouse, in transit
	StatusReceived = "received" // transfer: into the receiving warehouse
	StatusPending  = "pending"  // adjustment: waiting for an admin
	StatusApproved = "approved" // adjustment: stock moved
)

// Choices of the documents.
var (
	ReceiptSources  = []string{"purchase", "donation", "district", "province"}
	AdjustmentKinds = []string{"damaged", "expired", "count_correction"}
)

// Movement kinds of the ledger (stock_movements.kind).
const (
	MoveReceipt     = "receipt"
	MoveIssue       = "issue"  // to a distribution
	MoveReturn      = "return" // from a distribution edited or deleted
	MoveTransferOut = "transfer_out"
	MoveTransferIn  = "transfer_in"
	MoveAdjustment  = "adjustment"
	MoveDispatch    = "dispatch"
)

// Limits of a document.
const (
	MaxStockLines = 200
	// MaxLineQuantity bounds one line: a million crore thousandths is far
	// beyond any delivery, and sums of many lines cannot overflow.
	MaxLineQuantity = Quantity(1_000_000_000 * QuantityScale)
	MaxUnitCost     = Money(100_000_000 * 100) // ten crore rupees a unit
)

// StockDocument is a receipt, transfer, adjustment or dispatch with its
// lines. Fields that belong to one kind are empty in the others.
type StockDocument struct {
	Record
	Dated
	Kind   string // one of StockDocumentKinds
	Number int    // per kind and fiscal year, from 1
	// WarehouseID is where the goods are received, sent from, adjusted or
	// dispatched from; ToWarehouseID is a transfer's receiving warehouse.
	WarehouseID   int64
	ToWarehouseID int64
	Source        string // receipt: one of ReceiptSources
	Party         string // receipt: supplier or donor; dispatch: receiver
	PartyPhone    string // dispatch: the receiver's phone
	Reference     string // letter, invoice or challan number
	IncidentID    int64  // dispatch: the incident the goods go to (0 = none)
	Site          string // dispatch: the place
	Vehicle       string // dispatch: vehicle number
	Driver        string // dispatch: driver
	AdjustKind    string // adjustment: one of AdjustmentKinds
	Reason        string // adjustment: why (required)
	Status        string
	// DoneDate, DoneBy and DoneAt record the second step: a transfer
	// received or an adjustment approved (zero before).
	DoneDate bs.Date
	DoneBy   string
	DoneAt   time.Time
	Notes    string
	Lines    []StockLine
}

// StockLine is one item of a document.
type StockLine struct {
	ItemID   int64
	Item     string // catalogue code
	Batch    string // "" when not tracked or not chosen (an issue then takes the first to expire)
	Expiry   bs.Date
	ExpiryAD time.Time
	// Quantity is what the line moves: positive, except an adjustment's
	// signed change.
	Quantity Quantity
	UnitCost *Money // receipt: cost of one unit, when known
	// Received is what arrived of a transfer's line (nil until received);
	// DifferenceReason explains a difference.
	Received         *Quantity
	DifferenceReason string
}

// Difference is what arrived minus what was sent (0 before receipt).
func (l StockLine) Difference() Quantity {
	if l.Received == nil {
		return 0
	}
	return *l.Received - l.Quantity
}

// HasDifferences reports whether a received transfer has a line whose
// received quantity differs from the sent one (flagged on its pages).
func (d *StockDocument) HasDifferences() bool {
	for _, l := range d.Lines {
		if l.Difference() != 0 {
			return true
		}
	}
	return false
}

// CanApproveAdjustment reports whether u may approve an adjustment: only
// an administrator, because it changes stock without goods moving.
func CanApproveAdjustment(u *User) bool {
	return u != nil && !u.Disabled && u.Role == RoleAdmin
}

// Fields is the audit view of a document.
func (d *StockDocument) Fields() map[string]any {
	lines := make([]map[string]any, len(d.Lines))
	for i, l := range d.Lines {
		m := map[string]any{"item": l.Item, "quantity": l.Quantity.String(), "batch": l.Batch, "expiry_bs": dateOrEmpty(l.Expiry)}
		if l.UnitCost != nil {
			m["unit_cost"] = l.UnitCost.String()
		}
		if l.Received != nil {
			m["received"], m["difference_reason"] = l.Received.String(), l.DifferenceReason
		}
		lines[i] = m
	}
	return map[string]any{
		"kind": d.Kind, "number": d.Number, "fiscal_year": d.FiscalYear.Start, "date_bs": d.DateBS.String(),
		"warehouse_id": d.WarehouseID, "to_warehouse_id": d.ToWarehouseID, "source": d.Source, "party": d.Party,
		"party_phone": d.PartyPhone, "reference": d.Reference, "incident_id": d.IncidentID, "site": d.Site,
		"vehicle": d.Vehicle, "driver": d.Driver, "adjustment_kind": d.AdjustKind, "reason": d.Reason,
		"status": d.Status, "done_date_bs": dateOrEmpty(d.DoneDate), "done_by": d.DoneBy, "notes": d.Notes, "lines": lines,
	}
}

func dateOrEmpty(d bs.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// QuantityInput is a quantity as typed or sent, checked by Apply so that a
// bad quantity is a field error like any other (Quantity's own decoder
// would fail the whole request). JSON accepts a decimal string, a number
// (read from its digits) or null.
type QuantityInput struct {
	Text string
	bad  bool
}

// QuantityText makes a QuantityInput from typed text.
func QuantityText(text string) QuantityInput { return QuantityInput{Text: text} }

// QuantityOf makes a QuantityInput from a quantity (tests, the demo).
func QuantityOf(q Quantity) QuantityInput { return QuantityInput{Text: q.String()} }

// UnmarshalJSON keeps what was sent for Apply to check.
func (q *QuantityInput) UnmarshalJSON(b []byte) error {
	text, literal, _, err := jsonNumberText(b, reflect.TypeFor[QuantityInput]())
	*q = QuantityInput{Text: text, bad: literal && strings.ContainsAny(text, "eE")}
	return err
}

// MarshalJSON writes the text back (tests building input).
func (q QuantityInput) MarshalJSON() ([]byte, error) {
	if strings.TrimSpace(q.Text) == "" {
		return []byte("null"), nil
	}
	return json.Marshal(q.Text)
}

// check reads a required quantity. signed allows a leading minus (an
// adjustment's change); zero is always refused.
func (q QuantityInput) check(v *Validation, field string, signed bool) Quantity {
	t := strings.TrimSpace(bs.ASCIIDigits(q.Text))
	if t == "" {
		v.Add(field, "field.required")
		return 0
	}
	negative := false
	if signed && (strings.HasPrefix(t, "-") || strings.HasPrefix(t, "−")) {
		negative, t = true, strings.TrimPrefix(strings.TrimPrefix(t, "-"), "−")
	}
	n, err := ParseQuantity(t)
	switch {
	case q.bad:
		v.Add(field, "stock.quantity_invalid")
	case errors.Is(err, ErrQuantityDecimals):
		v.Add(field, "stock.quantity_decimals")
	case errors.Is(err, ErrQuantitySign):
		v.Add(field, "stock.quantity_positive")
	case errors.Is(err, ErrQuantityTooLarge) || (err == nil && n > MaxLineQuantity):
		v.Add(field, "number.too_large", Grouped(int64(MaxLineQuantity/QuantityScale)))
	case err != nil:
		v.Add(field, "stock.quantity_invalid")
	case n == 0 && signed:
		v.Add(field, "stock.quantity_nonzero")
	case n == 0:
		v.Add(field, "stock.quantity_positive")
	case negative:
		return -n
	default:
		return n
	}
	return 0
}

// StockBalance is the stock of one item in one warehouse, of one batch and
// expiry when the item tracks them: a row of the stock on hand.
type StockBalance struct {
	ItemID      int64
	Item        string // catalogue code
	ItemNameNe  string
	ItemNameEn  string
	Unit        string // key of the item_unit list
	WarehouseID int64
	Warehouse   string // warehouse code
	Batch       string
	Expiry      bs.Date // zero when not tracked
	Quantity    Quantity
}

// LowStock is an item whose stock, over all warehouses, is below its
// minimum.
type LowStock struct {
	ItemID     int64
	Item       string
	ItemNameNe string
	ItemNameEn string
	Unit       string
	MinStock   Quantity
	Quantity   Quantity
}

// BinCardEntry is one movement of an item on its bin card (स्टक कार्ड),
// with the balance after it (of the warehouse asked for, or of all).
type BinCardEntry struct {
	MovementID     int64
	Kind           string // one of the Move… kinds
	DateBS         bs.Date
	WarehouseID    int64
	Warehouse      string
	Batch          string
	Expiry         bs.Date
	Quantity       Quantity // signed: in positive, out negative
	UnitCost       *Money
	Balance        Quantity
	DocumentKind   string // one of StockDocumentKinds or DocDistribution
	DocumentID     int64
	DocumentNumber int // 0 for a distribution (its id is its number)
	FiscalYear     int
	CreatedAt      time.Time
	CreatedBy      string
}

// BinCard is an item's movements, oldest first.
type BinCard struct {
	ItemID      int64
	Item        string
	ItemNameNe  string
	ItemNameEn  string
	Unit        string
	WarehouseID int64 // 0 = every warehouse
	Entries     []BinCardEntry
	Balance     Quantity // after the last entry of the card
	// BroughtForward is the balance before the first entry of a page of
	// the card (0 on the first page).
	BroughtForward Quantity
}
