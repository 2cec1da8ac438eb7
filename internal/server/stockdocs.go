package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The four stock documents on screen — receipts, transfers between stores,
// adjustments and dispatches to an incident site — share one set of pages:
// list, form with repeated lines, detail, print page, PDF, CSV/XLSX. A kind
// declares what is its own (its header fields, its line columns, its Input);
// everything else is written once, in stockdocs_*.go.
//
// The form is turned into the same JSON body the API takes (the names of
// issue 14) and decoded into the same Input, so a form and an API call go
// through one decoder and one validation (leoc/stock_input.go). A posted
// document is never edited (the ledger corrects by adjustment), so there is
// no edit form; its second steps are receiving a transfer and approving an
// adjustment.

// docField is a header field of a kind's form; Name is its JSON name.
type docField struct {
	Name, Label, Kind, Hint string
	Options                 []choice
}

// lineCol is a column of a kind's lines on the form.
type lineCol struct{ Name, Label string }

// stockDocKind declares one kind of stock document.
type stockDocKind struct {
	Name     string // leoc.DocReceipt …; catalog keys invdoc.<Name>.…
	Path     string // "/inventory/receipts"
	LineCols []lineCol
	// head is the form's header fields for this request (choices in the
	// page's language).
	head func(r *http.Request) ([]docField, error)
	// decode reads the API body into the kind's Input and applies it to a
	// new document.
	decode func(body []byte, s *Server, d *leoc.StockDocument) error
	// signatures are the boxes at the foot of the print page (catalog keys).
	signatures []string
}

var (
	colItem     = lineCol{"item", "invdoc.item"}
	colQuantity = lineCol{"quantity", "invdoc.quantity"}
	colUnitCost = lineCol{"unit_cost", "invdoc.unit_cost"}
	colBatch    = lineCol{"batch", "invdoc.batch"}
	colExpiry   = lineCol{"expiry_bs", "invdoc.expiry"}
	colDir      = lineCol{"direction", "invdoc.direction"}
)

// applyInput decodes body into a new I and applies it to d.
func applyInput[I any, PI interface {
	*I
	Apply(*bs.Calendar, *leoc.StockDocument) error
}](body []byte, s *Server, d *leoc.StockDocument) error {
	var in I
	if err := json.Unmarshal(body, &in); err != nil {
		return leoc.Errorf(leoc.EInvalid, "error.bad_form")
	}
	return PI(&in).Apply(s.cal, d)
}

func (s *Server) stockDocKinds() []*stockDocKind {
	return []*stockDocKind{
		{Name: leoc.DocReceipt, Path: "/inventory/receipts", LineCols: []lineCol{colItem, colQuantity, colUnitCost, colBatch, colExpiry},
			head: s.receiptHead, decode: applyInput[leoc.ReceiptInput],
			signatures: []string{"invdoc.sign.prepared", "invdoc.sign.keeper", "invdoc.sign.approved"}},
		{Name: leoc.DocTransfer, Path: "/inventory/transfers", LineCols: []lineCol{colItem, colQuantity, colBatch, colExpiry},
			head: s.transferHead, decode: applyInput[leoc.TransferInput],
			signatures: []string{"invdoc.sign.sender", "invdoc.sign.receiver", "invdoc.sign.approved"}},
		{Name: leoc.DocAdjustment, Path: "/inventory/adjustments", LineCols: []lineCol{colItem, colDir, colQuantity, colBatch, colExpiry},
			head: s.adjustmentHead, decode: applyInput[leoc.AdjustmentInput],
			signatures: []string{"invdoc.sign.prepared", "invdoc.sign.keeper", "invdoc.sign.approved"}},
		{Name: leoc.DocDispatch, Path: "/inventory/dispatches", LineCols: []lineCol{colItem, colQuantity, colBatch, colExpiry},
			head: s.dispatchHead, decode: applyInput[leoc.DispatchInput],
			signatures: []string{"invdoc.sign.sender", "invdoc.sign.driver", "invdoc.sign.receiver"}},
	}
}

// stockDocRoutes are the pages of the four documents.
func (s *Server) stockDocRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	var rs []route
	for _, k := range s.stockDocKinds() {
		p := k.Path
		rs = append(rs,
			route{pattern: "GET " + p, access: authenticated, perm: read, h: s.stockDocList(k)},
			route{pattern: "GET " + p + "/export.csv", access: authenticated, perm: read, h: s.stockDocExport(k, "csv")},
			route{pattern: "GET " + p + "/export.xlsx", access: authenticated, perm: read, h: s.stockDocExport(k, "xlsx")},
			route{pattern: "GET " + p + "/new", access: authenticated, perm: write, h: s.stockDocNew(k)},
			route{pattern: "POST " + p, access: authenticated, perm: write, h: s.stockDocCreate(k)},
			route{pattern: "GET " + p + "/{id}", access: authenticated, perm: read, h: s.stockDocDetail(k)},
			route{pattern: "GET " + p + "/{id}/print", access: authenticated, perm: read, h: s.stockDocPrint(k, "print")},
			route{pattern: "GET " + p + "/{id}/print.pdf", access: authenticated, perm: read, h: s.stockDocPDF(k, "print")},
		)
		switch k.Name {
		case leoc.DocTransfer:
			rs = append(rs, route{pattern: "POST " + p + "/{id}/receive", access: authenticated, perm: write, h: s.transferReceive(k)})
		case leoc.DocAdjustment:
			// Admins only: the store refuses anyone else (leoc.CanApproveAdjustment).
			rs = append(rs, route{pattern: "POST " + p + "/{id}/approve", access: authenticated, perm: write, h: s.adjustmentApprove(k)})
		case leoc.DocDispatch:
			rs = append(rs, route{pattern: "GET " + p + "/{id}/waybill", access: authenticated, perm: read, h: s.stockDocPrint(k, "waybill")},
				route{pattern: "GET " + p + "/{id}/waybill.pdf", access: authenticated, perm: read, h: s.stockDocPDF(k, "waybill")})
		}
	}
	// The audit trail links a document as /<register>/<id>; the kind's page
	// is its address.
	return append(rs, route{pattern: "GET /" + store.StockDocumentRegister.Name + "/{id}", access: authenticated, perm: read, h: s.stockDocRedirect})
}

// stockDocPagePath is the address of a document's page ("" for a kind
// without pages): /inventory/dispatches/7.
func stockDocPagePath(kind string, id int64) string {
	plural := map[string]string{leoc.DocReceipt: "receipts", leoc.DocTransfer: "transfers", leoc.DocAdjustment: "adjustments",
		leoc.DocDispatch: "dispatches"}[kind]
	if plural == "" {
		return ""
	}
	return "/inventory/" + plural + "/" + idString(id)
}

// stockDocRedirect sends /stock_documents/{id} to the page of its kind.
func (s *Server) stockDocRedirect(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	var d *leoc.StockDocument
	if err == nil {
		d, err = s.store.StockDocument(r.Context(), id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, stockDocPagePath(d.Kind, d.ID), http.StatusSeeOther)
}

// Header fields of each kind, by their JSON names (leoc/stock_input.go).

func (s *Server) receiptHead(r *http.Request) ([]docField, error) {
	wh, err := s.warehouseNames(r)
	if err != nil {
		return nil, err
	}
	return []docField{
		{Name: "warehouse_id", Label: "invdoc.warehouse", Kind: "select", Options: wh.writable},
		{Name: "source", Label: "invdoc.source", Kind: "select", Options: s.codeChoices(r, "invdoc.source.", leoc.ReceiptSources)},
		{Name: "supplier", Label: "invdoc.supplier"},
		{Name: "reference", Label: "invdoc.reference"},
		{Name: "notes", Label: "invdoc.notes", Kind: "textarea"},
	}, nil
}

func (s *Server) transferHead(r *http.Request) ([]docField, error) {
	wh, err := s.warehouseNames(r)
	if err != nil {
		return nil, err
	}
	return []docField{
		{Name: "from_warehouse_id", Label: "invdoc.from_warehouse", Kind: "select", Options: wh.writable},
		{Name: "to_warehouse_id", Label: "invdoc.to_warehouse", Kind: "select", Options: wh.choices},
		{Name: "reference", Label: "invdoc.reference"},
		{Name: "notes", Label: "invdoc.notes", Kind: "textarea"},
	}, nil
}

func (s *Server) adjustmentHead(r *http.Request) ([]docField, error) {
	wh, err := s.warehouseNames(r)
	if err != nil {
		return nil, err
	}
	return []docField{
		{Name: "warehouse_id", Label: "invdoc.warehouse", Kind: "select", Options: wh.writable},
		{Name: "kind", Label: "invdoc.kind", Kind: "select", Options: s.codeChoices(r, "invdoc.kind.", leoc.AdjustmentKinds)},
		{Name: "reason", Label: "invdoc.reason", Kind: "textarea"},
		{Name: "notes", Label: "invdoc.notes", Kind: "textarea"},
	}, nil
}

func (s *Server) dispatchHead(r *http.Request) ([]docField, error) {
	wh, err := s.warehouseNames(r)
	if err != nil {
		return nil, err
	}
	return []docField{
		{Name: "warehouse_id", Label: "invdoc.warehouse", Kind: "select", Options: wh.writable},
		{Name: "incident_id", Label: "invdoc.incident", Hint: "invdoc.incident_hint"},
		{Name: "site", Label: "invdoc.destination"},
		{Name: "receiver", Label: "invdoc.receiver"},
		{Name: "receiver_phone", Label: "invdoc.receiver_phone"},
		{Name: "vehicle", Label: "invdoc.vehicle"},
		{Name: "driver", Label: "invdoc.driver"},
		{Name: "reference", Label: "invdoc.reference"},
		{Name: "notes", Label: "invdoc.notes", Kind: "textarea"},
	}, nil
}

// headValue is a stored document's value of a header field, as the form
// holds it.
func headValue(d *leoc.StockDocument, name string) string {
	switch name {
	case "warehouse_id", "from_warehouse_id":
		return idText(d.WarehouseID)
	case "to_warehouse_id":
		return idText(d.ToWarehouseID)
	case "incident_id":
		return idText(d.IncidentID)
	case "source":
		return d.Source
	case "supplier", "receiver":
		return d.Party
	case "receiver_phone":
		return d.PartyPhone
	case "reference":
		return d.Reference
	case "site":
		return d.Site
	case "vehicle":
		return d.Vehicle
	case "driver":
		return d.Driver
	case "kind":
		return d.AdjustKind
	case "reason":
		return d.Reason
	case "notes":
		return d.Notes
	}
	return ""
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// codeChoices are fixed codes with their catalog labels (prefix+code).
func (s *Server) codeChoices(r *http.Request, prefix string, codes []string) []choice {
	out := make([]choice, len(codes))
	for i, c := range codes {
		out[i] = choice{c, s.cat.T(state(r).lang, prefix+c)}
	}
	return out
}

// warehouseNames are the stores' names in the request's language.
type warehouseNames struct {
	byID    map[int64]string
	wards   map[int64]int // 0 = the whole municipality
	choices []choice
	// writable are the stores the user may take goods out of or count
	// (a ward-limited user: those of their wards).
	writable []choice
}

func (n warehouseNames) name(id int64) string {
	if v, ok := n.byID[id]; ok {
		return v
	}
	return idText(id)
}

func (s *Server) warehouseNames(r *http.Request) (warehouseNames, error) {
	list, err := s.store.DocumentWarehouses(r.Context())
	if err != nil {
		return warehouseNames{}, err
	}
	n := warehouseNames{byID: map[int64]string{}, wards: map[int64]int{}}
	u := state(r).user
	for _, w := range list {
		name := w.NameNe
		if state(r).lang == "en" {
			name = w.NameEn
		}
		n.byID[w.ID], n.wards[w.ID] = name, w.Ward
		c := choice{strconv.FormatInt(w.ID, 10), name + " (" + w.Code + ")"}
		n.choices = append(n.choices, c)
		if u.CanWriteWard(w.Ward) {
			n.writable = append(n.writable, c)
		}
	}
	return n, nil
}

// itemOption is a catalogue item as forms and documents name it, in the
// request's language.
type itemOption struct {
	Code, Label, Unit       string
	TrackBatch, TrackExpiry bool
}

func (s *Server) itemOptions(r *http.Request) ([]itemOption, map[string]itemOption, error) {
	list, err := s.store.DocumentItems(r.Context())
	if err != nil {
		return nil, nil, err
	}
	out, byCode := make([]itemOption, len(list)), make(map[string]itemOption, len(list))
	for i, it := range list {
		o := itemOption{Code: it.Code, Label: it.NameNe, Unit: it.UnitNe, TrackBatch: it.TrackBatch, TrackExpiry: it.TrackExpiry}
		if state(r).lang == "en" {
			o.Label, o.Unit = it.NameEn, it.UnitEn
		}
		out[i], byCode[it.Code] = o, o
	}
	return out, byCode, nil
}
