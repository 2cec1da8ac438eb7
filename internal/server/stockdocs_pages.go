package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The stock documents' list, form, detail, receive and approve handlers.

type stockDocListData struct {
	Kind        *stockDocKind
	Items       []*stockDocView
	Pager       *pager
	Query       url.Values
	Export      string
	FiscalYears []bs.FiscalYear
	Warehouses  []choice
}

func (s *Server) stockDocList(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		names, err := s.warehouseNames(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		d := &stockDocListData{Kind: k, Query: q, Export: exportQuery(q), Pager: &pager{}, Warehouses: names.choices,
			FiscalYears: s.fiscalYearOptions(r, store.StockDocumentRegister.Name)}
		f, err := s.stockDocumentFilter(q, k.Name)
		if err != nil {
			fm, status := s.formFromError(r, q, err)
			s.renderPageForm(w, r, status, "stockdoc_list", d, fm)
			return
		}
		docs, total, err := s.stockDocPage(r, f)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		for _, doc := range docs {
			d.Items = append(d.Items, s.newStockDocView(r, k, doc, names))
		}
		d.Pager = newPager(k.Path, q, store.RecordFilter{Page: f.Page, PerPage: f.PerPage, After: f.After, Keyset: f.Keyset}, total)
		s.renderPage(w, r, http.StatusOK, "stockdoc_list", d)
	}
}

// stockDocPage is one page of documents with their line counts (the list
// leaves the lines out; LineCount fills Lines with empty lines).
func (s *Server) stockDocPage(r *http.Request, f store.StockDocumentFilter) ([]*leoc.StockDocument, int, error) {
	docs, total, err := s.store.StockDocuments(r.Context(), f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	counts, err := s.store.StockDocumentLineCounts(r.Context(), ids)
	if err != nil {
		return nil, 0, err
	}
	for _, d := range docs {
		if d.Lines == nil {
			d.Lines = make([]leoc.StockLine, counts[d.ID])
		}
	}
	return docs, total, nil
}

// Form.

type stockDocFormData struct {
	Kind  *stockDocKind
	Head  []docField
	Items []itemOption
	Rows  []formRow
}

// blankLines is how many empty lines a new form offers without JavaScript.
const blankLines = 3

func (s *Server) renderStockDocForm(w http.ResponseWriter, r *http.Request, status int, k *stockDocKind, f *form) {
	head, err := k.head(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, _, err := s.itemOptions(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if f = s.reshown(r, f); f == nil {
		f = &form{Values: url.Values{}}
		if today, err := s.today(); err == nil {
			f.Values.Set("date_bs", today.String())
		}
		if q := r.URL.Query(); k.Name == leoc.DocDispatch && q.Get("incident") != "" {
			f.Values.Set("incident_id", q.Get("incident"))
		}
	}
	d := &stockDocFormData{Kind: k, Head: head, Items: items, Rows: formRows(f.Values, "line", lineColNames(k), blankLines)}
	s.renderPageForm(w, r, status, "stockdoc_form", d, f)
}

func lineColNames(k *stockDocKind) []string {
	cols := make([]string, len(k.LineCols))
	for i, c := range k.LineCols {
		cols[i] = c.Name
	}
	return cols
}

// stockDocBody turns a posted form into the JSON body of the API. An id
// that is not a number is refused here, by field, since the JSON decoder
// could only refuse the whole body; quantities and costs go on as text for
// the Input to check.
func stockDocBody(k *stockDocKind, head []docField, v url.Values) ([]byte, error) {
	var bad leoc.Validation
	body := map[string]any{"date_bs": strings.TrimSpace(v.Get("date_bs"))}
	for _, fd := range head {
		raw := strings.TrimSpace(v.Get(fd.Name))
		if !strings.HasSuffix(fd.Name, "_id") {
			body[fd.Name] = v.Get(fd.Name)
			continue
		}
		if raw == "" {
			continue
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(bs.ASCIIDigits(raw), "#"), 10, 64)
		if err != nil || id <= 0 {
			bad.Add(fd.Name, "field.choice")
			continue
		}
		body[fd.Name] = id
	}
	lines := []map[string]any{}
	for _, row := range formRows(v, "line", lineColNames(k), 0) {
		if len(row.Fields) == 0 {
			continue
		}
		line := map[string]any{}
		for col, raw := range row.Fields {
			line[col] = strings.TrimSpace(raw)
		}
		// An adjustment's line is a signed change: the form asks "take out"
		// or "add" beside a plain quantity.
		if dir, ok := line["direction"]; ok {
			if q := line["quantity"].(string); dir != "in" && q != "" {
				line["quantity"] = "-" + q
			}
			delete(line, "direction")
		}
		lines = append(lines, line)
	}
	body["lines"] = lines
	if err := bad.Err(); err != nil {
		return nil, err
	}
	return json.Marshal(body)
}

func (s *Server) stockDocNew(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.renderStockDocForm(w, r, http.StatusOK, k, nil) }
}

func (s *Server) stockDocCreate(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := &leoc.StockDocument{}
		err := s.decodeStockDoc(r, k, d)
		if err == nil {
			err = s.store.CreateStockDocument(r.Context(), actor(r), state(r).user, d)
		}
		if err == nil {
			s.setFlash(w, "success", "record.saved")
			s.redirect(w, r, k.Path+"/"+idString(d.ID))
			return
		}
		if c := leoc.ErrorCode(err); c == leoc.EForbidden || c == leoc.EInternal {
			s.renderError(w, r, err)
			return
		}
		// Everything else the form can fix; stock that is not there too,
		// so it comes back as 422 with the line's message, not 409.
		f, status := s.formFromError(r, r.PostForm, err)
		if c := leoc.ErrorCode(err); c == leoc.EConflict && len(f.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		}
		s.renderStockDocForm(w, r, status, k, f)
	}
}

// decodeStockDoc reads a posted form into a new document of kind k.
func (s *Server) decodeStockDoc(r *http.Request, k *stockDocKind, d *leoc.StockDocument) error {
	if err := r.ParseForm(); err != nil {
		return leoc.Errorf(leoc.EInvalid, "error.bad_form")
	}
	head, err := k.head(r)
	if err != nil {
		return err
	}
	body, err := stockDocBody(k, head, r.PostForm)
	if err != nil {
		return err
	}
	return k.decode(body, s, d)
}

// Detail, receive, approve.

func (s *Server) stockDocDetail(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.showStockDoc(w, r, k, http.StatusOK, nil) }
}

// showStockDoc renders the detail page; f carries a refused receive form.
func (s *Server) showStockDoc(w http.ResponseWriter, r *http.Request, k *stockDocKind, status int, f *form) {
	d := s.loadStockDocument(w, r, k.Name)
	if d == nil {
		return
	}
	v, err := s.fullStockDocView(r, k, d, f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if f == nil && v.Receivable {
		f = &form{Values: url.Values{}}
		if today, err := s.today(); err == nil {
			f.Values.Set("date_bs", today.String())
		}
	}
	s.renderPageForm(w, r, status, "stockdoc_detail", v, f)
}

// transferReceive records what arrived of a sent transfer: one received
// quantity and reason per line, in the lines' order.
func (s *Server) transferReceive(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := s.loadStockDocument(w, r, k.Name)
		if d == nil {
			return
		}
		if err := r.ParseForm(); err != nil {
			s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
			return
		}
		err := s.receiveTransfer(r, d, receiveInput(r.PostForm))
		if err == nil {
			s.setFlash(w, "success", "invdoc.receive.done")
			s.redirect(w, r, k.Path+"/"+idString(d.ID))
			return
		}
		if c := leoc.ErrorCode(err); c == leoc.EForbidden || c == leoc.EInternal {
			s.renderError(w, r, err)
			return
		}
		f, status := s.formFromError(r, r.PostForm, err)
		s.showStockDoc(w, r, k, status, f)
	}
}

// receiveInput reads the receive form: received and difference_reason are
// repeated, one per line in the transfer's order.
func receiveInput(v url.Values) *leoc.TransferReceiptInput {
	version, _ := strconv.Atoi(v.Get("version"))
	in := &leoc.TransferReceiptInput{DateBS: v.Get("date_bs"), Version: version}
	reasons := v["difference_reason"]
	for i, raw := range v["received"] {
		line := leoc.TransferReceiptLineInput{Received: leoc.QuantityText(raw)}
		if i < len(reasons) {
			line.DifferenceReason = reasons[i]
		}
		in.Lines = append(in.Lines, line)
	}
	return in
}

func (s *Server) adjustmentApprove(k *stockDocKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := s.loadStockDocument(w, r, k.Name)
		if d == nil {
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue("version"))
		if _, err := s.store.ApproveAdjustment(r.Context(), actor(r), state(r).user, d.ID, version); err != nil {
			if leoc.ErrorCode(err) != leoc.EConflict {
				s.renderError(w, r, err)
				return
			}
			// Stock the approval would take is no longer there: the
			// detail page again, with the message.
			f, status := s.formFromError(r, r.PostForm, err)
			s.showStockDoc(w, r, k, status, f)
			return
		}
		s.setFlash(w, "success", "invdoc.approve.done")
		s.redirect(w, r, k.Path+"/"+idString(d.ID))
	}
}
