package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

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
			for _, want := range []string{"२५.५", "नेपाल रेडक्रस", "सहयोग", "रु. २,०४०.००", "दाखिला"} {
				if !strings.Contains(detail, want) {
					t.Errorf("detail lacks %q", want)
				}
			}
		})
		t.Run("a dispatch beyond the stock names the item and what is there", func(t *testing.T) {
			dispatch := url.Values{"date_bs": {"2082-10-11"}, "warehouse_id": {"1"}, "site": {"बिष्खेत"}, "receiver": {"हरि थापा"},
				"vehicle": {"से १ ख ४५६७"}, "line_item": {"rice"}, "line_quantity": {"30"}}
			w := postForm(e, "/inventory/dispatches", cookies, csrf, dispatch, "en")
			os.WriteFile("/tmp/invp/t.html", w.Body.Bytes(), 0o644)
			if body := w.Body.String(); w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "25.5") || !strings.Contains(body, `value="30"`) {
				t.Fatalf("got %d\n%s", w.Code, body)
			}
			dispatch["line_quantity"] = []string{"5.5"}
			w = postForm(e, "/inventory/dispatches", cookies, csrf, dispatch, "en")
			if w.Code != http.StatusSeeOther {
				t.Fatalf("dispatch: %d %s", w.Code, w.Body)
			}
			if got := stockOf(t, e, "rice"); got != leoc.Units(20) {
				t.Errorf("rice after the dispatch %s, want 20", got)
			}
			waybill := e.do(req{method: "GET", path: w.Header().Get("Location") + "/waybill", cookies: cookies}).Body.String()
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
