package server

import (
	"math/big"
	"net/http"
	"strconv"

	"leoc/internal/leoc"
)

// stockDocView is a document as one page shows it, in that page's language:
// its header facts and its lines' table are built here once, for the
// detail page, the print page, the waybill and the PDF alike.
type stockDocView struct {
	*leoc.StockDocument
	Kind                           *stockDocKind
	WarehouseName, ToWarehouseName string
	Facts                          []docFact
	Table                          docTable
	Receivable                     bool // a sent transfer the user may receive
	ReceiveRows                    []receiveRow
	AwaitingApproval, CanApprove   bool
	// The print page: which print-out, its title, the number's label, a
	// statement above the signatures, the signature boxes.
	PrintName, PrintTitle, NumberLabel, Statement string
	Signatures                                    []string
}

// docFact is one header fact; Link, when set, is the page of what it names
// (a store, the incident).
type docFact struct{ Label, Value, Link string }

type docTable struct {
	Head []docHead
	Rows [][]string
}

type docHead struct {
	Text  string
	Right bool
}

// receiveRow is one line of the receive form.
type receiveRow struct {
	Item, Unit, Sent, Received, Reason string
}

// DocNumber is the document's number in its fiscal year: "12/2082-83".
func (v *stockDocView) DocNumber() string {
	return leocDocNumber(v.StockDocument)
}

func leocDocNumber(d *leoc.StockDocument) string {
	fy := d.FiscalYear.Label()
	if len(fy) == 7 { // 2082/83 → 082/83, as offices write a number
		fy = fy[1:]
	}
	return strconv.Itoa(d.Number) + "/" + fy
}

// newStockDocView is what a list row shows.
func (s *Server) newStockDocView(r *http.Request, k *stockDocKind, d *leoc.StockDocument, names warehouseNames) *stockDocView {
	u := state(r).user
	v := &stockDocView{StockDocument: d, Kind: k, WarehouseName: names.name(d.WarehouseID),
		PrintName: "print", PrintTitle: "invdoc." + k.Name + ".print_title", NumberLabel: "invdoc." + k.Name + ".number"}
	if d.ToWarehouseID != 0 {
		v.ToWarehouseName = names.name(d.ToWarehouseID)
	}
	// Received by whoever may write for the receiving store.
	v.Receivable = k.Name == leoc.DocTransfer && d.Status == leoc.StatusSent && u.Can(leoc.PermWriteRecords) &&
		u.CanWriteWard(names.wards[d.ToWarehouseID])
	v.AwaitingApproval = k.Name == leoc.DocAdjustment && d.Status == leoc.StatusPending
	v.CanApprove = v.AwaitingApproval && leoc.CanApproveAdjustment(u)
	return v
}

// fullStockDocView adds the facts, the lines' table and the signatures (in
// the request's language); f, when a receive form was refused, refills it.
func (s *Server) fullStockDocView(r *http.Request, k *stockDocKind, d *leoc.StockDocument, f *form) (*stockDocView, error) {
	names, err := s.warehouseNames(r)
	if err != nil {
		return nil, err
	}
	head, err := k.head(r)
	if err != nil {
		return nil, err
	}
	_, items, err := s.itemOptions(r)
	if err != nil {
		return nil, err
	}
	v := s.newStockDocView(r, k, d, names)
	p := &page{s: s, Lang: state(r).lang}
	for _, key := range k.signatures {
		v.Signatures = append(v.Signatures, p.T(key))
	}
	v.Facts = s.docFacts(p, v, head)
	v.Table = linesTable(p, v, items)
	if v.Receivable {
		v.ReceiveRows = receiveRows(p, d, items, f)
	}
	return v, nil
}

// docFacts are the header's fields with their values, empty ones left out.
func (s *Server) docFacts(p *page, v *stockDocView, head []docField) []docFact {
	facts := []docFact{{Label: p.T("invdoc.date"), Value: p.LongDate(v.DateBS)}, {Label: p.T("filter.fiscal_year"), Value: p.FY(v.FiscalYear)}}
	for _, fd := range head {
		val, link := headValue(v.StockDocument, fd.Name), ""
		switch {
		case fd.Name == "warehouse_id" || fd.Name == "from_warehouse_id":
			val, link = v.WarehouseName, "/inventory/warehouses/"+idString(v.WarehouseID)
		case fd.Name == "to_warehouse_id":
			val, link = v.ToWarehouseName, "/inventory/warehouses/"+idString(v.ToWarehouseID)
		case fd.Name == "incident_id" && val != "":
			link = "/incidents/" + val
			val, _ = p.RecNo(val)
		case fd.Name == "receiver_phone":
			val = p.digits(val)
		case fd.Kind == "select":
			val = choiceLabel(fd.Options, val)
		}
		if val != "" {
			facts = append(facts, docFact{p.T(fd.Label), val, link})
		}
	}
	if !v.DoneDate.IsZero() {
		key := "invdoc.received_on"
		by := "invdoc.received_by"
		if v.Kind.Name == leoc.DocAdjustment {
			key, by = "invdoc.approved_on", "invdoc.approved_by"
		}
		facts = append(facts, docFact{Label: p.T(key), Value: p.LongDate(v.DoneDate)}, docFact{Label: p.T(by), Value: v.DoneBy})
	}
	return facts
}

// linesTable is the lines as a table: the columns the kind has, and for a
// received transfer what arrived, the difference and why.
func linesTable(p *page, v *stockDocView, items map[string]itemOption) docTable {
	has := map[string]bool{}
	for _, c := range v.Kind.LineCols {
		has[c.Name] = true
	}
	received := v.Kind.Name == leoc.DocTransfer && v.Status == leoc.StatusReceived
	t := docTable{}
	add := func(key string, right bool) { t.Head = append(t.Head, docHead{p.T(key), right}) }
	add("invdoc.item", false)
	add("invdoc.quantity", true)
	add("invdoc.unit", false)
	if has["unit_cost"] {
		add("invdoc.unit_cost", true)
		add("invdoc.line_value", true)
	}
	add("invdoc.batch", false)
	add("invdoc.expiry", false)
	if received {
		add("invdoc.receive.received", true)
		add("invdoc.receive.difference", true)
		add("invdoc.receive.reason", false)
	}
	for _, l := range v.Lines {
		it := items[l.Item]
		name := it.Label
		if name == "" {
			name = l.Item
		}
		row := []string{name, quantityText(p, l.Quantity), it.Unit}
		if has["unit_cost"] {
			cost, value := "", ""
			if l.UnitCost != nil {
				cost, value = p.Money(*l.UnitCost), p.Money(lineValueMoney(*l.UnitCost, l.Quantity))
			}
			row = append(row, cost, value)
		}
		exp := ""
		if !l.Expiry.IsZero() {
			exp = p.Date(l.Expiry)
		}
		row = append(row, l.Batch, exp)
		if received {
			got := ""
			if l.Received != nil {
				got = quantityText(p, *l.Received)
			}
			row = append(row, got, quantityText(p, l.Difference()), l.DifferenceReason)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// receiveRows are the receive form's lines: what was sent, and what the
// person typed (a refused form) or the sent quantity to start from.
func receiveRows(p *page, d *leoc.StockDocument, items map[string]itemOption, f *form) []receiveRow {
	var rows []receiveRow
	for i, l := range d.Lines {
		it := items[l.Item]
		row := receiveRow{Item: it.Label, Unit: it.Unit, Sent: quantityText(p, l.Quantity), Received: l.Quantity.String()}
		if row.Item == "" {
			row.Item = l.Item
		}
		if l.Batch != "" {
			row.Item += " · " + l.Batch
		}
		if f != nil && f.Values != nil {
			if got := f.Values["received"]; i < len(got) {
				row.Received = got[i]
			}
			if got := f.Values["difference_reason"]; i < len(got) {
				row.Reason = got[i]
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// quantityText writes a quantity with lakh grouping in the page's digits.
func quantityText(p *page, q leoc.Quantity) string {
	if p.Lang == "ne" {
		return q.Nepali()
	}
	return q.English()
}

// lineValueMoney is unit cost × quantity, rounded half up to the paisa
// (quantities have three decimals, money two). Big integers, since paisa ×
// thousandths can pass int64.
func lineValueMoney(cost leoc.Money, q leoc.Quantity) leoc.Money {
	milli := new(big.Int).Mul(big.NewInt(int64(cost)), big.NewInt(int64(q)))
	milli.Add(milli, big.NewInt(leoc.QuantityScale/2))
	return leoc.Money(milli.Quo(milli, big.NewInt(leoc.QuantityScale)).Int64())
}
