package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// stockOf is the stock of an item in the municipal store (warehouse 1).
func stockOf(t *testing.T, e *testEnv, item string) leoc.Quantity {
	t.Helper()
	var sum leoc.Quantity
	for _, b := range must.Get(e.st.StockOnHand(t.Context(), store.StockFilter{WarehouseID: 1, Item: item}))(t) {
		sum += b.Quantity
	}
	return sum
}

// postForm sends a form as the logged-in user, the CSRF token added.
func postForm(e *testEnv, path string, cookies []*http.Cookie, csrf string, v url.Values, lang string) *httptest.ResponseRecorder {
	v.Set("csrf_token", csrf)
	return e.do(req{method: "POST", path: path, cookies: cookies, body: v.Encode(), header: map[string]string{"Accept-Language": lang}})
}

// lineError is the first message under a line of a document's form.
var lineError = regexp.MustCompile(`data-col="quantity">(?s:.*?)<p class="field-error">([^<]*)</p>`)

func TestStockDocumentForms(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		newForm := e.do(req{method: "GET", path: "/inventory/receipts/new", cookies: cookies})
		if newForm.Code != 200 || !strings.Contains(newForm.Body.String(), `<option value="rice"`) ||
			!strings.Contains(newForm.Body.String(), `name="line_expiry_bs"`) {
			t.Fatalf("new receipt form: %d %s", newForm.Code, newForm.Body)
		}

		receipt := url.Values{"date_bs": {"2082-10-10"}, "warehouse_id": {"1"}, "source": {"donation"}, "supplier": {"नेपाल रेडक्रस"},
			"reference": {"पत्र ४५"}, "line_item": {"rice", "tarpaulin", ""}, "line_quantity": {"२५.५", "10", ""},
			"line_unit_cost": {"80", "", ""}, "line_batch": {"", "", ""}, "line_expiry_bs": {"", "", ""}}
		t.Run("a refused receipt comes back filled in, nothing written", func(t *testing.T) {
			bad := url.Values{}
			for k, v := range receipt {
				bad[k] = append([]string(nil), v...)
			}
			bad["line_quantity"] = []string{"25.5001", "0", ""}
			w := postForm(e, "/inventory/receipts", cookies, csrf, bad, "en")
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="25.5001"`) || !strings.Contains(body, "नेपाल रेडक्रस") ||
				strings.Count(body, `class="field-error"`) < 2 {
				t.Fatalf("got %d\n%s", w.Code, body)
			}
			if got := stockOf(t, e, "rice"); got != 0 {
				t.Errorf("stock after a refused receipt: %s", got)
			}
		})
		t.Run("a receipt through the form moves the stock", func(t *testing.T) {
			w := postForm(e, "/inventory/receipts", cookies, csrf, receipt, "ne")
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/inventory/receipts/") {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
			if got, want := stockOf(t, e, "rice"), must.Get(leoc.ParseQuantity("25.5"))(t); got != want {
				t.Errorf("rice in stock %s, want %s", got, want)
			}
			detail := e.do(req{method: "GET", path: w.Header().Get("Location"), cookies: cookies}).Body.String()
			for _, want := range []string{"२५.५", "नेपाल रेडक्रस", "सहयोग", "रु. २,०४०.००", "दाखिला", `<a href="/inventory/warehouses/1">`} {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q", want)
				}
			}
		})
		var dispatchPath string
		t.Run("a dispatch beyond the stock names the item and what is there", func(t *testing.T) {
			dispatch := url.Values{"date_bs": {"2082-10-11"}, "warehouse_id": {"1"}, "site": {"बिष्खेत"}, "receiver": {"हरि थापा"},
				"vehicle": {"से १ ख ४५६७"}, "line_item": {"rice"}, "line_quantity": {"30"}}
			w := postForm(e, "/inventory/dispatches", cookies, csrf, dispatch, "en")
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="30" autocomplete="off" inputmode="decimal" class="invalid" aria-invalid="true"`) {
				t.Fatalf("got %d\n%s", w.Code, body)
			}
			// The line's message names the item and what the store holds.
			if msg := lineError.FindStringSubmatch(body); msg == nil || !strings.Contains(msg[1], "rice") || !strings.Contains(msg[1], "25.5") {
				t.Errorf("the line's message: %q", msg)
			}
			dispatch["line_quantity"] = []string{"5.5"}
			w = postForm(e, "/inventory/dispatches", cookies, csrf, dispatch, "en")
			if w.Code != http.StatusSeeOther {
				t.Fatalf("dispatch: %d %s", w.Code, w.Body)
			}
			if got := stockOf(t, e, "rice"); got != leoc.Units(20) {
				t.Errorf("rice after the dispatch %s, want 20", got)
			}
			dispatchPath = w.Header().Get("Location")
			waybill := e.do(req{method: "GET", path: dispatchPath + "/waybill", cookies: cookies}).Body.String()
			for _, want := range []string{"ढुवानी चलान", "से १ ख ४५६७", "हरि थापा", "चालकको सही", "बिष्खेत"} {
				if !strings.Contains(waybill, want) {
					t.Errorf("waybill lacks %q", want)
				}
			}
		})
		t.Run("an adjustment waits for an admin", func(t *testing.T) {
			adj := url.Values{"date_bs": {"2082-10-12"}, "warehouse_id": {"1"}, "kind": {"damaged"}, "reason": {"मुसाले खायो"},
				"line_item": {"rice"}, "line_direction": {"out"}, "line_quantity": {"2"}}
			w := postForm(e, "/inventory/adjustments", cookies, csrf, adj, "ne")
			if w.Code != http.StatusSeeOther {
				t.Fatalf("adjustment: %d %s", w.Code, w.Body)
			}
			loc := w.Header().Get("Location")
			page := e.do(req{method: "GET", path: loc, cookies: cookies}).Body.String()
			if !strings.Contains(page, "data-awaiting-approval") || strings.Contains(page, loc+"/approve") {
				t.Fatalf("officer's page: %s", page)
			}
			if got := stockOf(t, e, "rice"); got != leoc.Units(20) {
				t.Errorf("rice before approval %s", got)
			}
			if w := postForm(e, loc+"/approve", cookies, csrf, url.Values{"version": {"1"}}, "en"); w.Code != http.StatusForbidden {
				t.Errorf("officer approves: %d", w.Code)
			}
			admin, adminCSRF := e.login("admin1")
			if page := e.do(req{method: "GET", path: loc, cookies: admin}).Body.String(); !strings.Contains(page, loc+"/approve") {
				t.Fatalf("admin sees no approve button")
			}
			if w := postForm(e, loc+"/approve", admin, adminCSRF, url.Values{"version": {"1"}}, "en"); w.Code != http.StatusSeeOther {
				t.Fatalf("admin approves: %d %s", w.Code, w.Body)
			}
			if got := stockOf(t, e, "rice"); got != leoc.Units(18) {
				t.Errorf("rice after approval %s, want 18", got)
			}
		})
		t.Run("a transfer is sent, then received with its difference", func(t *testing.T) {
			w := e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", token: e.tokens[leoc.RoleAdmin],
				body: `{"code":"W3","name_ne":"वडा ३ भण्डार","name_en":"Ward 3 store","ward":3}`})
			if w.Code != http.StatusCreated {
				t.Fatalf("warehouse: %d %s", w.Code, w.Body)
			}
			to := strconv.Itoa(int(decodeBody(t, w)["id"].(float64)))
			tr := url.Values{"date_bs": {"2082-10-13"}, "from_warehouse_id": {"1"}, "to_warehouse_id": {"1"}, "line_item": {"rice"}, "line_quantity": {"4"}}
			if w := postForm(e, "/inventory/transfers", cookies, csrf, tr, "en"); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="to_warehouse_id-error"`) {
				t.Fatalf("same store: %d %s", w.Code, w.Body)
			}
			tr.Set("to_warehouse_id", to)
			w = postForm(e, "/inventory/transfers", cookies, csrf, tr, "en")
			if w.Code != http.StatusSeeOther {
				t.Fatalf("transfer: %d %s", w.Code, w.Body)
			}
			loc := w.Header().Get("Location")
			if got := stockOf(t, e, "rice"); got != leoc.Units(14) {
				t.Errorf("rice in the sending store %s, want 14", got)
			}
			page := e.do(req{method: "GET", path: loc, cookies: cookies}).Body.String()
			if !strings.Contains(page, `action="`+loc+`/receive"`) || !strings.Contains(page, `name="received" inputmode="decimal" autocomplete="off" value="4"`) {
				t.Fatalf("no receive form: %s", page)
			}
			// More than was sent needs a reason: the page again, with the message on the line.
			more := url.Values{"version": {"1"}, "date_bs": {"2082-10-14"}, "received": {"५"}, "difference_reason": {""}}
			if w := postForm(e, loc+"/receive", cookies, csrf, more, "en"); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `value="५"`) {
				t.Fatalf("more than sent without a reason: %d %s", w.Code, w.Body)
			}
			less := url.Values{"version": {"1"}, "date_bs": {"2082-10-14"}, "received": {"3.5"}, "difference_reason": {"बोरा फाट्यो"}}
			if w := postForm(e, loc+"/receive", cookies, csrf, less, "en"); w.Code != http.StatusSeeOther {
				t.Fatalf("receive: %d %s", w.Code, w.Body)
			}
			page = e.do(req{method: "GET", path: loc + "?lang=en", cookies: cookies, header: map[string]string{"Accept-Language": "en"}}).Body.String()
			for _, want := range []string{"Received", "3.5", "-0.5", "बोरा फाट्यो"} {
				if !strings.Contains(page, want) {
					t.Errorf("received transfer lacks %q", want)
				}
			}
			if strings.Contains(page, loc+"/receive") {
				t.Error("a received transfer still offers the receive form")
			}
		})
		t.Run("a ward officer writes for the stores of their ward", func(t *testing.T) {
			limited := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
			must.OK(t, e.st.CreateUser(t.Context(), store.SystemActor, limited, must.Get(auth.HashPassword(testPassword))(t)))
			ward, wardCSRF := e.login("ward3")
			form := e.do(req{method: "GET", path: "/inventory/receipts/new", cookies: ward}).Body.String()
			if strings.Contains(form, "(MAIN)") || !strings.Contains(form, "(W3)") {
				t.Errorf("the ward officer's stores: %s", form)
			}
			r := url.Values{"date_bs": {"2082-10-15"}, "warehouse_id": {"1"}, "source": {"purchase"}, "line_item": {"salt"}, "line_quantity": {"1"}}
			if w := postForm(e, "/inventory/receipts", ward, wardCSRF, r, "en"); w.Code != http.StatusForbidden {
				t.Errorf("into the municipal store: %d", w.Code)
			}
			if got := stockOf(t, e, "salt"); got != 0 {
				t.Errorf("salt after a refused receipt: %s", got)
			}
		})
		t.Run("print-outs and PDFs", func(t *testing.T) {
			for path, want := range map[string][]string{
				dispatchPath + "/waybill.pdf":             {"ढुवानी चलान", "से १ ख ४५६७", "हरि थापा", "चालकको सही", "बुझिलिनेको सही", "५.५"},
				dispatchPath + "/waybill.pdf?lang=en":     {"Waybill", "Driver", "5.5"},
				"/inventory/receipts/1/print.pdf":         {"थलारा गाउँपालिका", "सामग्री दाखिला प्रतिवेदन", "चामल", "२५.५", "नेपाल रेडक्रस", "तयार गर्ने"},
				"/inventory/receipts/1/print.pdf?lang=en": {"Stock receipt", "Rice", "25.5", "2,040.00"},
			} {
				w := e.do(req{method: "GET", path: path, cookies: cookies})
				if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" {
					t.Fatalf("%s: %d %s", path, w.Code, w.Body)
				}
				text := pdfText(t, w.Body.Bytes())
				for _, s := range want {
					if !strings.Contains(text, s) {
						t.Errorf("%s lacks %q:\n%s", path, s, text)
					}
				}
			}
			// The bin card leads to every document that moved the item.
			card := e.do(req{method: "GET", path: "/inventory/items/rice/card", cookies: cookies}).Body.String()
			for _, href := range []string{`href="/inventory/receipts/1"`, `href="` + dispatchPath + `"`} {
				if !strings.Contains(card, href) {
					t.Errorf("the bin card has no %s", href)
				}
			}
			// Another kind's number is not found under this kind's path.
			if w := e.do(req{method: "GET", path: "/inventory/transfers/1", cookies: cookies}); w.Code != http.StatusNotFound {
				t.Errorf("a receipt as a transfer: %d", w.Code)
			}
			csv := e.do(req{method: "GET", path: "/inventory/receipts/export.csv?lang=en", cookies: cookies}).Body.String()
			if !strings.Contains(csv, "rice,25.5,kg,80.00") || !strings.Contains(csv, "Document no.") {
				t.Errorf("csv: %s", csv)
			}
			if x := e.do(req{method: "GET", path: "/inventory/dispatches/export.xlsx", cookies: cookies}); x.Code != 200 || !strings.HasPrefix(x.Body.String(), "PK") {
				t.Errorf("xlsx: %d", x.Code)
			}
		})
		t.Run("the audit trail's link leads to the document", func(t *testing.T) {
			w := e.do(req{method: "GET", path: "/stock_documents/1", cookies: cookies})
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/inventory/receipts/1" {
				t.Errorf("got %d %q", w.Code, w.Header().Get("Location"))
			}
			if w := e.do(req{method: "GET", path: "/stock_documents/99", cookies: cookies}); w.Code != http.StatusNotFound {
				t.Errorf("unknown document: %d", w.Code)
			}
		})
		t.Run("viewers read but do not write", func(t *testing.T) {
			viewer, viewerCSRF := e.login("viewer1")
			if w := e.do(req{method: "GET", path: "/inventory/receipts", cookies: viewer}); w.Code != 200 || !strings.Contains(w.Body.String(), "२५.५") && !strings.Contains(w.Body.String(), "१/०८२/८३") {
				t.Errorf("viewer list: %d %s", w.Code, w.Body)
			}
			if w := e.do(req{method: "GET", path: "/inventory/receipts/new", cookies: viewer}); w.Code != http.StatusForbidden {
				t.Errorf("viewer new form: %d", w.Code)
			}
			if w := postForm(e, "/inventory/receipts", viewer, viewerCSRF, receipt, "en"); w.Code != http.StatusForbidden {
				t.Errorf("viewer posts: %d", w.Code)
			}
		})
	})
}

// stockDocumentsForPages makes one document of every kind and state with
// every optional field — a receipt with a batch-tracked item, a transfer
// sent and one received with a difference, an adjustment, a dispatch to
// incident 1 — through the domain's Inputs and the store, for the every-page
// test. It needs the warehouse (2) and the tracked item (ORS-1) of
// fullRecords.
func stockDocumentsForPages(t *testing.T, e *testEnv) map[string][]string {
	t.Helper()
	ctx, admin := t.Context(), e.users[leoc.RoleAdmin]
	act := store.Actor{Username: admin.Username}
	cal := e.s.cal
	ids := map[string][]string{}
	line := func(item, q, batch, expiry string) leoc.StockLineInput {
		return leoc.StockLineInput{Item: item, Quantity: leoc.QuantityText(q), Batch: batch, ExpiryBS: expiry}
	}
	save := func(path string, apply func(d *leoc.StockDocument) error) *leoc.StockDocument {
		d := &leoc.StockDocument{}
		must.OK(t, apply(d))
		must.OK(t, e.st.CreateStockDocument(ctx, act, admin, d))
		ids[path] = append(ids[path], idString(d.ID))
		return d
	}
	receipt := &leoc.ReceiptInput{WarehouseID: 1, DateBS: "2082-10-10", Source: "donation", Supplier: "नेपाल रेडक्रस सोसाइटी",
		Reference: "च.नं. ४५", Notes: "राम्रो अवस्थामा", Lines: []leoc.StockLineInput{line("rice", "100.5", "", ""), line("ORS-1", "40", "B-7", "2083-04-01")}}
	receipt.Lines[0].UnitCost = leoc.Amount("80.25")
	save("inventory/receipts", func(d *leoc.StockDocument) error { return receipt.Apply(cal, d) })
	transfer := func() *leoc.StockDocument {
		in := &leoc.TransferInput{FromWarehouseID: 1, ToWarehouseID: 2, DateBS: "2082-10-11", Reference: "प.सं. ७", Notes: "वडा ३ लाई",
			Lines: []leoc.StockLineInput{line("rice", "10", "", ""), line("ORS-1", "5", "B-7", "2083-04-01")}}
		return save("inventory/transfers", func(d *leoc.StockDocument) error { return in.Apply(cal, d) })
	}
	transfer()
	sent := transfer()
	got := &leoc.TransferReceiptInput{DateBS: "2082-10-12", Version: sent.Version, Lines: []leoc.TransferReceiptLineInput{
		{Received: leoc.QuantityText("9.5"), DifferenceReason: "बाटोमा बोरा फाट्यो"}, {Received: leoc.QuantityText("5")}}}
	lines, date, err := got.Apply(cal, sent)
	must.OK(t, err)
	sent.Lines, sent.DoneDate = lines, date
	must.OK(t, e.st.ReceiveTransfer(ctx, act, admin, sent))
	adj := &leoc.AdjustmentInput{WarehouseID: 1, DateBS: "2082-10-12", Kind: "damaged", Reason: "पानी पसेर कुहियो", Notes: "फोटो फाइलमा",
		Lines: []leoc.StockLineInput{line("rice", "-2.25", "", "")}}
	save("inventory/adjustments", func(d *leoc.StockDocument) error { return adj.Apply(cal, d) })
	approved := save("inventory/adjustments", func(d *leoc.StockDocument) error { return adj.Apply(cal, d) })
	_, err = e.st.ApproveAdjustment(ctx, act, admin, approved.ID, approved.Version)
	must.OK(t, err)
	incident := int64(1)
	dispatch := &leoc.DispatchInput{WarehouseID: 1, DateBS: "2082-10-13", IncidentID: &incident, Site: "बिष्खेत", Receiver: "हरि थापा",
		ReceiverPhone: "९८४८०००००३", Vehicle: "से १ ख ४५६७", Driver: "राम बोहरा", Reference: "च.नं. ९", Notes: "तुरुन्त",
		Lines: []leoc.StockLineInput{line("rice", "20", "", ""), line("ORS-1", "10", "B-7", "")}}
	save("inventory/dispatches", func(d *leoc.StockDocument) error { return dispatch.Apply(cal, d) })
	return ids
}
