package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The stock pages read the ledger's balance table through the store
// (StockOnHand, LowStock, Expiring, BinCard): stock on hand grouped by
// warehouse or by item, the low-stock and expiring lists, and an item's bin
// card; each with its CSV and XLSX.

// expiringDays is how far ahead the expiring list looks unless ?days= says.
const expiringDays = 30

func (s *Server) stockViewRoutes() []route {
	read := leoc.PermRead
	rs := []route{
		{pattern: "GET /inventory/stock", access: authenticated, perm: read, h: s.stockPage},
		{pattern: "GET /inventory/stock/low", access: authenticated, perm: read, h: s.lowStockPage},
		{pattern: "GET /inventory/stock/expiring", access: authenticated, perm: read, h: s.expiringPage},
		{pattern: "GET /inventory/items/{code}/card", access: authenticated, perm: read, h: s.binCardPage},
	}
	for _, ext := range []string{"csv", "xlsx"} {
		rs = append(rs,
			route{pattern: "GET /inventory/stock/export." + ext, access: authenticated, perm: read, h: s.stockExport(ext)},
			route{pattern: "GET /inventory/stock/low/export." + ext, access: authenticated, perm: read, h: s.lowStockExport(ext)},
			route{pattern: "GET /inventory/stock/expiring/export." + ext, access: authenticated, perm: read, h: s.expiringExport(ext)},
			route{pattern: "GET /inventory/items/{code}/card/export." + ext, access: authenticated, perm: read, h: s.binCardExport(ext)},
		)
	}
	return rs
}

// StockQty writes a quantity in the page's digits with lakh grouping.
func (p *page) StockQty(q leoc.Quantity) string {
	if p.Lang == "ne" {
		return q.Nepali()
	}
	return q.English()
}

// stockNames are the labels a stock page needs: items by code, warehouses
// by id, units by key, in the page's language.
type stockNames struct {
	items      map[string]string
	warehouses map[int64]string
	units      map[string]string
	// choices for the filters
	Items, Warehouses []choice
}

func (s *Server) stockNames(r *http.Request) (*stockNames, error) {
	lang := state(r).lang
	n := &stockNames{items: map[string]string{}, warehouses: map[int64]string{}, units: map[string]string{}}
	items, err := s.store.ListValues(r.Context(), store.ListReliefItem)
	if err != nil {
		return nil, err
	}
	for _, v := range items {
		n.items[v.Key] = v.Label(lang)
		n.Items = append(n.Items, choice{v.Key, v.Key + " – " + v.Label(lang)})
	}
	whs, _, err := s.store.Warehouses().List(r.Context(), store.RecordFilter{PerPage: store.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, w := range whs {
		n.warehouses[w.ID] = w.Name(lang)
		n.Warehouses = append(n.Warehouses, choice{strconv.FormatInt(w.ID, 10), w.Code + " – " + w.Name(lang)})
	}
	for _, c := range s.listChoices(r, store.ListItemUnit) {
		n.units[c.Value] = c.Label
	}
	return n, nil
}

// stockRow is one balance as the pages show it.
type stockRow struct {
	leoc.StockBalance
	Name, WarehouseName, UnitLabel string
}

type stockPageData struct {
	Groups             []group[stockRow]
	Totals             map[string]leoc.Quantity // by item code, when grouped by item
	Names              *stockNames
	Warehouse, Item    string
	ByItem             bool
	Query              string // the filters, for the exports
	Low, Expiring, Due int
	Pager              *pager
}

// stockFilter reads ?warehouse_id= and ?item=; a warehouse id that is not a
// number is refused.
func stockFilter(r *http.Request) (store.StockFilter, error) {
	q := r.URL.Query()
	f := store.StockFilter{Item: strings.TrimSpace(q.Get("item"))}
	if raw := strings.TrimSpace(bs.ASCIIDigits(q.Get("warehouse_id"))); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return f, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
				Fields: map[string]leoc.Msg{"warehouse_id": leoc.M("field.number")}}
		}
		f.WarehouseID = id
	}
	return f, nil
}

// stockRows reads every balance of the filter (the exports).
func (s *Server) stockRows(r *http.Request) ([]stockRow, *stockNames, error) {
	f, err := stockFilter(r)
	if err != nil {
		return nil, nil, err
	}
	names, err := s.stockNames(r)
	if err != nil {
		return nil, nil, err
	}
	f.ByWarehouse = r.URL.Query().Get("group") != "item"
	bal, err := s.store.StockOnHand(r.Context(), f)
	if err != nil {
		return nil, nil, err
	}
	return names.rows(bal), names, nil
}

func (n *stockNames) rows(bal []leoc.StockBalance) []stockRow {
	rows := make([]stockRow, len(bal))
	for i, b := range bal {
		rows[i] = stockRow{b, n.items[b.Item], n.warehouses[b.WarehouseID], n.units[b.Unit]}
	}
	return rows
}

// pageParams reads a list's page, per_page and after from the query.
func (s *Server) pageParams(q url.Values) (store.RecordFilter, error) {
	return s.recordFilter(url.Values{"page": q["page"], "per_page": q["per_page"], "after": q["after"]}, &leoc.User{})
}

// stockPage shows one page of the stock on hand (50 balances), grouped by
// warehouse or by item; an item's total is over all its balances, also
// those on other pages.
func (s *Server) stockPage(w http.ResponseWriter, r *http.Request) {
	f, err := stockFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	pf, err := s.pageParams(q)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	names, err := s.stockNames(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	byItem := q.Get("group") == "item"
	f.ByWarehouse = !byItem
	bal, total, err := s.store.StockOnHandPage(r.Context(), f, pf)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows := names.rows(bal)
	d := &stockPageData{Names: names, Warehouse: q.Get("warehouse_id"), Item: q.Get("item"), ByItem: byItem,
		Query: exportQuery(q), Pager: newPager("/inventory/stock", q, pf, total)}
	if d.ByItem {
		d.Groups = groupBy(rows, func(r stockRow) string { return r.Item + " – " + r.Name })
		var ids []int64
		for _, g := range d.Groups {
			ids = append(ids, g.Rows[0].ItemID)
		}
		if d.Totals, err = s.store.StockTotals(r.Context(), f, ids); err != nil {
			s.renderError(w, r, err)
			return
		}
	} else {
		d.Groups = groupBy(rows, func(r stockRow) string { return r.Warehouse + " – " + r.WarehouseName })
	}
	if d.Low, d.Expiring, err = s.stockAlerts(r.Context()); err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Due = expiringDays
	s.renderPage(w, r, http.StatusOK, "stock_list", d)
}

// stockAlerts counts the items below their minimum and the balances that
// expire within expiringDays: the stock page's and the dashboard's cards.
func (s *Server) stockAlerts(ctx context.Context) (low, expiring int, err error) {
	lows, err := s.store.LowStock(ctx)
	if err != nil {
		return 0, 0, err
	}
	exp, err := s.store.Expiring(ctx, s.now().AddDate(0, 0, expiringDays))
	if err != nil {
		return 0, 0, err
	}
	return len(lows), len(exp), nil
}

func (s *Server) stockExport(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, _, err := s.stockRows(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		cells := make([][]any, len(rows))
		for i, b := range rows {
			cells[i] = []any{b.Warehouse, b.WarehouseName, b.Item, b.Name, b.Batch, dateText(b.Expiry), b.Quantity.String(), b.UnitLabel}
		}
		s.sendStock(w, r, ext, "stock", "stockview.title",
			[]string{"stockview.warehouse_code", "stockview.warehouse", "stockview.item_code", "stockview.item", "stockview.batch", "stockview.expiry", "stockview.quantity", "stockview.unit"}, cells)
	}
}

func (s *Server) sendStock(w http.ResponseWriter, r *http.Request, ext, name, title string, headKeys []string, rows [][]any) {
	lang := state(r).lang
	head := make([]string, len(headKeys))
	for i, k := range headKeys {
		head[i] = s.cat.T(lang, k)
	}
	s.sendRows(w, r, ext, name, s.cat.T(lang, title), head, rows)
}

func dateText(d bs.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// lowRow is an item below its minimum.
type lowRow struct {
	leoc.LowStock
	Name, UnitLabel string
}

func (s *Server) lowRows(r *http.Request) ([]lowRow, error) {
	names, err := s.stockNames(r)
	if err != nil {
		return nil, err
	}
	lows, err := s.store.LowStock(r.Context())
	if err != nil {
		return nil, err
	}
	rows := make([]lowRow, len(lows))
	for i, l := range lows {
		rows[i] = lowRow{l, names.items[l.Item], names.units[l.Unit]}
	}
	return rows, nil
}

func (s *Server) lowStockPage(w http.ResponseWriter, r *http.Request) {
	rows, err := s.lowRows(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "stock_low", map[string]any{"Rows": rows})
}

func (s *Server) lowStockExport(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.lowRows(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		cells := make([][]any, len(rows))
		for i, l := range rows {
			cells[i] = []any{l.Item, l.Name, l.Quantity.String(), l.MinStock.String(), l.UnitLabel}
		}
		s.sendStock(w, r, ext, "low-stock", "stockview.low_title",
			[]string{"stockview.item_code", "stockview.item", "stockview.quantity", "stockview.min_stock", "stockview.unit"}, cells)
	}
}

// expiringWithin reads ?days= (default expiringDays, 0–3650; Devanagari
// digits accepted).
func expiringWithin(r *http.Request) (int, error) {
	raw := strings.TrimSpace(bs.ASCIIDigits(r.URL.Query().Get("days")))
	if raw == "" {
		return expiringDays, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 3650 {
		return 0, &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("stockview.days_invalid"),
			Fields: map[string]leoc.Msg{"days": leoc.M("stockview.days_invalid")}}
	}
	return n, nil
}

func (s *Server) expiringRows(r *http.Request) ([]stockRow, int, error) {
	days, err := expiringWithin(r)
	if err != nil {
		return nil, 0, err
	}
	names, err := s.stockNames(r)
	if err != nil {
		return nil, 0, err
	}
	bal, err := s.store.Expiring(r.Context(), s.now().AddDate(0, 0, days))
	if err != nil {
		return nil, 0, err
	}
	rows := make([]stockRow, len(bal))
	for i, b := range bal {
		rows[i] = stockRow{b, names.items[b.Item], names.warehouses[b.WarehouseID], names.units[b.Unit]}
	}
	return rows, days, nil
}

func (s *Server) expiringPage(w http.ResponseWriter, r *http.Request) {
	rows, days, err := s.expiringRows(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	today, _ := s.cal.Today(s.now())
	s.renderPage(w, r, http.StatusOK, "stock_expiring", map[string]any{"Rows": rows, "Days": days, "Today": today})
}

func (s *Server) expiringExport(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rows, _, err := s.expiringRows(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		cells := make([][]any, len(rows))
		for i, b := range rows {
			cells[i] = []any{dateText(b.Expiry), b.Warehouse, b.WarehouseName, b.Item, b.Name, b.Batch, b.Quantity.String(), b.UnitLabel}
		}
		s.sendStock(w, r, ext, "expiring-stock", "stockview.expiring_title",
			[]string{"stockview.expiry", "stockview.warehouse_code", "stockview.warehouse", "stockview.item_code", "stockview.item", "stockview.batch", "stockview.quantity", "stockview.unit"}, cells)
	}
}

// binCardData is an item's bin card as the page shows it: one page of it.
type binCardData struct {
	Card      *leoc.BinCard
	Name      string
	Unit      string
	Names     *stockNames
	Warehouse string
	Query     string // the filters, for the exports
	Pager     *pager
}

func (s *Server) binCard(r *http.Request) (*binCardData, error) {
	f, err := stockFilter(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	pf, err := s.pageParams(q)
	if err != nil {
		return nil, err
	}
	names, err := s.stockNames(r)
	if err != nil {
		return nil, err
	}
	card, total, err := s.store.BinCardPage(r.Context(), r.PathValue("code"), f.WarehouseID, pf)
	if err != nil {
		return nil, err
	}
	name := card.ItemNameNe
	if state(r).lang == "en" {
		name = card.ItemNameEn
	}
	return &binCardData{Card: card, Name: name, Unit: names.units[card.Unit], Names: names,
		Warehouse: q.Get("warehouse_id"), Query: exportQuery(q), Pager: newPager("/inventory/items/"+url.PathEscape(card.Item)+"/card", q, pf, total)}, nil
}

// FirstPage: the page starts the card (no balance brought forward row).
func (d *binCardData) FirstPage() bool { return d.Pager.Page <= 1 && d.Card.BroughtForward == 0 }

func (s *Server) binCardPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.binCard(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "stock_card", d)
}

func (s *Server) binCardExport(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := s.binCard(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		lang := state(r).lang
		cells := make([][]any, len(d.Card.Entries))
		for i, e := range d.Card.Entries {
			cells[i] = []any{dateText(e.DateBS), s.cat.T(lang, "stockview.kind."+e.Kind), s.documentLabel(lang, e), e.Warehouse, e.Batch,
				dateText(e.Expiry), e.Quantity.String(), e.Balance.String(), e.CreatedBy}
		}
		s.sendStock(w, r, ext, "bin-card-"+d.Card.Item, "stockview.bin_card",
			[]string{"stockview.date", "stockview.movement", "stockview.document", "stockview.warehouse_code", "stockview.batch", "stockview.expiry",
				"stockview.quantity", "stockview.balance", "stockview.by"}, cells)
	}
}

// DocumentLink is where a bin-card line's document is read.
func (d *binCardData) DocumentLink(e leoc.BinCardEntry) string { return documentPath(e) }

func documentPath(e leoc.BinCardEntry) string {
	id := strconv.FormatInt(e.DocumentID, 10)
	switch e.DocumentKind {
	case leoc.DocDistribution:
		return "/distributions/" + id
	case "receipt", "transfer", "adjustment", "dispatch":
		return stockDocPagePath(e.DocumentKind, e.DocumentID)
	}
	return ""
}

// documentLabel names a bin-card line's document: its kind and number
// within its fiscal year, or the distribution's record number.
func (s *Server) documentLabel(lang string, e leoc.BinCardEntry) string {
	if e.DocumentKind == leoc.DocDistribution {
		return s.cat.T(lang, "stockview.doc.distribution", e.DocumentID)
	}
	fy := bs.FiscalYear{Start: e.FiscalYear}.String()
	return s.cat.T(lang, "stockview.doc."+e.DocumentKind, e.DocumentNumber, fy)
}

// DocumentLabel is documentLabel in the page's language.
func (p *page) DocumentLabel(e leoc.BinCardEntry) string {
	l := p.s.documentLabel(p.Lang, e)
	return p.digits(l)
}
