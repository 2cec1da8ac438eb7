package server

import (
	"io"
	"net/http"

	"leoc/internal/leoc"
	"leoc/internal/report"
	"leoc/internal/store"
)

// The stock documents' print-outs: the A4 print page and its PDF, and the
// dispatch's waybill (ढुवानी चलान), Nepali unless ?lang=en.

// printStockDoc loads the document and builds the print-out's view in the
// print language; name is "print" or "waybill".
func (s *Server) printStockDoc(w http.ResponseWriter, r *http.Request, k *stockDocKind, name string) *stockDocView {
	state(r).lang = printLang(r)
	d := s.loadStockDocument(w, r, k.Name)
	if d == nil {
		return nil
	}
	v, err := s.fullStockDocView(r, k, d, nil)
	if err != nil {
		s.renderError(w, r, err)
		return nil
	}
	if name == "waybill" {
		p := &page{s: s, Lang: state(r).lang}
		v.PrintName, v.PrintTitle, v.NumberLabel = "waybill", "invdoc.waybill_title", "invdoc.waybill_number"
		v.Statement = p.T("invdoc.waybill.statement", d.Site)
		v.Signatures = []string{p.T("invdoc.sign.sender"), p.T("invdoc.sign.driver"), p.T("invdoc.sign.receiver")}
	}
	return v
}

func (s *Server) stockDocPrint(k *stockDocKind, name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v := s.printStockDoc(w, r, k, name); v != nil {
			s.renderPage(w, r, http.StatusOK, "stockdoc_print", v)
		}
	}
}

func (s *Server) stockDocPDF(k *stockDocKind, name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := s.printStockDoc(w, r, k, name)
		if v == nil {
			return
		}
		office, err := s.store.Settings(r.Context())
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		lang := state(r).lang
		doc := stockDocPrint(&page{s: s, Lang: lang}, v)
		s.sendPDF(w, r, name+"-"+k.Name+"-"+idString(v.ID)+".pdf", func(out io.Writer) error {
			return report.StockDocPDF(out, lang, s.translator(lang), office, doc)
		})
	}
}

// stockDocPrint is the view as the PDF takes it: the same facts, lines and
// signatures as the print page.
func stockDocPrint(p *page, v *stockDocView) *report.StockDocPrint {
	num, _ := p.Num(v.DocNumber())
	doc := &report.StockDocPrint{Title: p.T(v.PrintTitle), Number: p.T(v.NumberLabel) + " " + num + " · " + p.T("invdoc.date") + ": " + p.LongDate(v.DateBS),
		Rows: v.Table.Rows, Statement: v.Statement, Signatures: v.Signatures,
		EnteredBy: p.T("invdoc.entered_by") + ": " + v.CreatedBy + ", " + p.When(v.CreatedAt)}
	if v.Status != "" {
		doc.Number += " · " + p.T("invdoc.status."+v.Status)
	}
	for _, f := range v.Facts {
		doc.Facts = append(doc.Facts, [2]string{f.Label, f.Value})
	}
	for _, h := range v.Table.Head {
		doc.Head, doc.Right = append(doc.Head, h.Text), append(doc.Right, h.Right)
	}
	return doc
}

// Exports: one row per line of every document the list's filters select,
// so a spreadsheet can sum quantities by item; quantities exact.

var stockExportFields = []string{"number", "date", "fiscal_year", "status", "warehouse", "to_warehouse", "party", "reference",
	"item", "quantity", "unit", "unit_cost", "batch", "expiry", "received"}

func (s *Server) stockDocExport(k *stockDocKind, ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state(r).lang = exportLang(r)
		f, err := s.stockDocumentFilter(r.URL.Query(), k.Name)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		names, err := s.warehouseNames(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		_, items, err := s.itemOptions(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		rows, err := s.stockExportRows(r, f, names, items)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		lang := state(r).lang
		head := make([]string, len(stockExportFields))
		for i, name := range stockExportFields {
			head[i] = s.cat.T(lang, "invdoc.export."+name)
		}
		s.sendRows(w, r, ext, "stock-"+k.Name+"s", s.cat.T(lang, "invdoc."+k.Name+".title"), head, rows)
	}
}

// stockExportRows loads every selected document with its lines (documents
// are hundreds a year, not the hundred thousand of distributions).
func (s *Server) stockExportRows(r *http.Request, f store.StockDocumentFilter, names warehouseNames, items map[string]itemOption) ([][]any, error) {
	lang := state(r).lang
	var out [][]any
	for f.Page, f.PerPage = 1, store.MaxPerPage; ; f.Page++ {
		docs, total, err := s.store.StockDocuments(r.Context(), f)
		if err != nil {
			return nil, err
		}
		for _, listed := range docs {
			d, err := s.store.StockDocument(r.Context(), listed.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, stockExportLines(s, lang, d, names, items)...)
		}
		if len(docs) == 0 || f.Page*f.PerPage >= total {
			return out, nil
		}
	}
}

func stockExportLines(s *Server, lang string, d *leoc.StockDocument, names warehouseNames, items map[string]itemOption) [][]any {
	var rows [][]any
	to := ""
	if d.ToWarehouseID != 0 {
		to = names.name(d.ToWarehouseID)
	}
	for _, l := range d.Lines {
		var cost, received, expiry any
		if l.UnitCost != nil {
			cost = *l.UnitCost
		}
		if l.Received != nil {
			received = *l.Received
		}
		if !l.Expiry.IsZero() {
			expiry = l.Expiry.String()
		}
		rows = append(rows, []any{leocDocNumber(d), d.DateBS.String(), d.FiscalYear.Label(), s.cat.T(lang, "invdoc.status."+d.Status),
			names.name(d.WarehouseID), to, d.Party, d.Reference, l.Item, l.Quantity, items[l.Item].Unit, cost, l.Batch, expiry, received})
	}
	return rows
}
