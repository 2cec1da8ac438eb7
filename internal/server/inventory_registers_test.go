package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// TestInventoryItemAPI: the catalogue through the API on both databases:
// create (min_stock as a string or a number), a taken code 409, bad input by
// field in the user's language with nothing written, viewers read only, and
// an item a distribution uses cannot be deleted.
func TestInventoryItemAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		en := map[string]string{"Accept-Language": "en"}
		body := `{"code":"ORS-1","name_ne":"जीवनजल","name_en":"Oral rehydration salts","unit":"packet","category":"medical","min_stock":12.5}`
		w := e.do(req{method: "POST", path: "/api/v1/inventory/items", body: body, token: officer})
		m := decodeBody(t, w)
		if w.Code != http.StatusCreated || m["id"] == nil || m["code"] != "ORS-1" || m["min_stock"] != "12.5" || m["unit"] != "packet" ||
			m["distributable"] != false || m["locked"] != true || m["created_by"] != "officer1" {
			t.Fatalf("create: %d %v", w.Code, m)
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w := e.do(req{method: "GET", path: "/api/v1/inventory/items/" + id, token: viewer}); w.Code != 200 || decodeBody(t, w)["name_en"] != "Oral rehydration salts" {
			t.Fatalf("get: %d", w.Code)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/inventory/items", body: body, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}
		w = e.do(req{method: "POST", path: "/api/v1/inventory/items", body: body, token: officer, header: en})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "This code belongs to another item.") {
			t.Fatalf("taken code: %d %s", w.Code, w.Body.String())
		}

		for _, c := range []struct{ body, field string }{
			{`{"code":"a b","name_ne":"क","name_en":"x","unit":"kg","category":"food"}`, "code"},
			{`{"code":"x1","name_ne":"क","name_en":"x","unit":"furlong","category":"food"}`, "unit"},
			{`{"code":"x1","name_ne":"क","name_en":"x","unit":"kg","category":"weapons"}`, "category"},
			{`{"code":"x1","name_ne":"क","name_en":"x","unit":"kg","category":"food","min_stock":"1.2345"}`, "min_stock"},
			{`{"code":"x1","name_ne":"क","name_en":"x","unit":"kg","category":"food","min_stock":"-1"}`, "min_stock"},
			{`{"code":"x1","name_ne":"","name_en":"x","unit":"kg","category":"food"}`, "name_ne"},
		} {
			w := e.do(req{method: "POST", path: "/api/v1/inventory/items", body: c.body, token: officer, header: en})
			fields := errorFields(decodeBody(t, w))
			if w.Code != http.StatusBadRequest || fields[c.field] == nil || len(fields) != 1 {
				t.Errorf("%s: %d %v, want a message for %s", c.body, w.Code, fields, c.field)
			}
		}
		w = e.do(req{method: "GET", path: "/api/v1/inventory/items?q=x1", token: viewer})
		if decodeBody(t, w)["total"] != float64(0) {
			t.Fatalf("a refused item was written: %s", w.Body.String())
		}
		for q, want := range map[string]float64{"q=rice": 1, "q=Oral": 1, "q=जीवनजल": 1, "category=food": 4, "category=medical&category=food": 6} {
			w := e.do(req{method: "GET", path: "/api/v1/inventory/items?" + q, token: viewer})
			if got := decodeBody(t, w)["total"]; got != want {
				t.Errorf("%s: %v items, want %v", q, got, want)
			}
		}

		// An item a distribution names stays (409, in use), an unused one goes.
		must.OK(t, e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "inventory_items", 1, false, "try"))
		w = e.do(req{method: "POST", path: "/api/v1/funds/transactions", token: e.tokens[leoc.RoleAdmin],
			body: `{"kind":"income","amount":"1000000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`})
		if w.Code != http.StatusCreated {
			t.Fatalf("fund: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "POST", path: "/api/v1/distributions", token: officer, body: distributionBody})
		if w.Code != http.StatusCreated {
			t.Fatalf("distribution: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "DELETE", path: "/api/v1/inventory/items/1", token: officer, header: en})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "In use: Relief distribution (1)") {
			t.Fatalf("delete of rice in use: %d %s", w.Code, w.Body.String())
		}
		must.OK(t, e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "inventory_items", int64(m["id"].(float64)), false, "x"))
		if w := e.do(req{method: "DELETE", path: "/api/v1/inventory/items/" + id, token: officer}); w.Code != http.StatusNoContent {
			t.Fatalf("delete unused: %d %s", w.Code, w.Body.String())
		}
	})
}

// TestWarehouseAPI: warehouses through the API: coordinates as numbers, a
// ward-limited officer writes their ward's warehouse only, bad input by
// field.
func TestWarehouseAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		limited := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
		must.OK(t, e.st.CreateUser(t.Context(), store.SystemActor, limited, "x"))
		wardTok := e.newToken(limited)
		body := `{"code":"W3","name_ne":"वडा ३ भण्डार","name_en":"Ward 3 store","ward":3,"latitude":29.45,"longitude":"८१.०१","keeper":"हरि","phone":"९८४८०००००२"}`
		w := e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", body: body, token: wardTok})
		m := decodeBody(t, w)
		if w.Code != http.StatusCreated || m["ward"] != float64(3) || m["latitude"] != 29.45 || m["longitude"] != 81.01 || m["phone"] != "9848000002" {
			t.Fatalf("create: %d %v", w.Code, m)
		}
		other := strings.Replace(strings.Replace(body, `"ward":3`, `"ward":5`, 1), "W3", "W5", 1)
		if w := e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", body: other, token: wardTok}); w.Code != http.StatusForbidden {
			t.Fatalf("ward-3 officer, ward-5 warehouse: %d", w.Code)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", body: body, token: officer}); w.Code != http.StatusConflict {
			t.Fatalf("taken code: %d", w.Code)
		}
		for _, c := range []struct{ body, field string }{
			{`{"code":"W9","name_ne":"क","name_en":"x","ward":42}`, "ward"},
			{`{"code":"W9","name_ne":"क","name_en":"x","latitude":29.4}`, "longitude"},
			{`{"code":"W9","name_ne":"क","name_en":"x","latitude":"north","longitude":81}`, "latitude"},
			{`{"code":"W9","name_ne":"क","name_en":"x","phone":"12ab"}`, "phone"},
			{`{"code":"","name_ne":"क","name_en":"x"}`, "code"},
		} {
			w := e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", body: c.body, token: officer})
			if fields := errorFields(decodeBody(t, w)); w.Code != http.StatusBadRequest || fields[c.field] == nil {
				t.Errorf("%s: %d %v, want a message for %s", c.body, w.Code, fields, c.field)
			}
		}
		w = e.do(req{method: "GET", path: "/api/v1/inventory/warehouses?ward=3", token: e.tokens[leoc.RoleViewer]})
		if decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("ward 3: %s", w.Body.String())
		}
	})
}

// TestStockPages: after a receipt, the stock page shows the quantity in the
// page's digits under its warehouse (or item), the low-stock and expiring
// lists and the dashboard cards count what they should, the bin card links
// its document with the running balance, and the exports carry the rows.
func TestStockPages(t *testing.T) {
	e := newEnv(t, backendSQLite())
	officer := e.tokens[leoc.RoleOfficer]
	main := mainWarehouse(t, e)
	for _, body := range []string{
		`{"code":"ORS","name_ne":"जीवनजल","name_en":"ORS","unit":"packet","category":"medical","track_expiry":true,"min_stock":10}`,
		`{"code":"SOAP","name_ne":"साबुन","name_en":"Soap","unit":"piece","category":"non_food","min_stock":"50"}`,
	} {
		if w := e.do(req{method: "POST", path: "/api/v1/inventory/items", token: officer, body: body}); w.Code != http.StatusCreated {
			t.Fatalf("item: %d %s", w.Code, w.Body.String())
		}
	}
	receipt := fmt.Sprintf(`{"warehouse_id":%d,"date_bs":"2082-10-10","source":"donation","reference":"पत्र १",
		"lines":[{"item":"rice","quantity":"1250.5"},{"item":"ORS","quantity":40,"expiry_bs":"2082-10-25"}]}`, main)
	if w := e.do(req{method: "POST", path: "/api/v1/inventory/receipts", body: receipt, token: officer}); w.Code != http.StatusCreated {
		t.Fatalf("receipt: %d %s", w.Code, w.Body.String())
	}
	cookies, _ := e.login("viewer1")
	get := func(path, lang string) string {
		t.Helper()
		w := e.do(req{method: "GET", path: path, cookies: cookies, header: map[string]string{"Accept-Language": lang}})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	ne := get("/inventory/stock", "ne")
	if !strings.Contains(ne, "१,२५०.५") || !strings.Contains(ne, "MAIN – पालिका भण्डार") || !strings.Contains(ne, "चामल") {
		t.Fatalf("stock page (ne): %s", ne)
	}
	if en := get("/inventory/stock?group=item&item=rice", "en"); !strings.Contains(en, "1,250.5") || strings.Contains(en, `data-item="ORS"`) ||
		!strings.Contains(en, "rice – Rice") {
		t.Fatalf("stock page by item, rice only (en): %s", en)
	}
	// Soap (min 50, none held) is low; ORS (40 ≥ 10) and rice (no minimum) are not.
	if low := get("/inventory/stock/low", "en"); !strings.Contains(low, `data-item="SOAP"`) || strings.Contains(low, `data-item="ORS"`) ||
		strings.Contains(low, `data-item="rice"`) {
		t.Fatalf("low stock: %s", low)
	}
	// The clock is 2026-01-29 (BS 2082-10-15): ORS expires in ten days.
	if exp := get("/inventory/stock/expiring?days=5", "en"); strings.Contains(exp, `data-item="ORS"`) {
		t.Fatalf("expiring in 5 days lists ORS: %s", exp)
	}
	if exp := get("/inventory/stock/expiring", "en"); !strings.Contains(exp, `data-item="ORS"`) {
		t.Fatalf("expiring in 30 days: %s", exp)
	}
	if w := e.do(req{method: "GET", path: "/inventory/stock/expiring?days=many", cookies: cookies}); w.Code != http.StatusBadRequest {
		t.Fatalf("bad days: %d", w.Code)
	}
	home := get("/", "en")
	for _, want := range []string{`data-figure="low_stock" data-value="1"`, `data-figure="expiring_soon" data-value="1"`} {
		if !strings.Contains(home, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}
	card := get("/inventory/items/rice/card?warehouse_id="+strconv.FormatInt(main, 10), "en")
	if !strings.Contains(card, `href="/inventory/receipts/`) || !strings.Contains(card, `data-balance="1250.5"`) || !strings.Contains(card, "Receipt no. 1 (FY 2082/83)") {
		t.Fatalf("bin card: %s", card)
	}
	if w := e.do(req{method: "GET", path: "/inventory/items/nothing/card", cookies: cookies}); w.Code != http.StatusNotFound {
		t.Fatalf("bin card of an unknown item: %d", w.Code)
	}
	csv := e.do(req{method: "GET", path: "/inventory/stock/export.csv", cookies: cookies, header: map[string]string{"Accept-Language": "en"}}).Body.String()
	if !strings.Contains(csv, "Warehouse code") || !strings.Contains(csv, "MAIN,Municipal store,rice,Rice,,,1250.5,kg") {
		t.Fatalf("stock csv: %s", csv)
	}
	for _, p := range []string{"/inventory/stock/export.xlsx", "/inventory/stock/low/export.xlsx", "/inventory/stock/expiring/export.xlsx", "/inventory/items/rice/card/export.xlsx"} {
		if w := e.do(req{method: "GET", path: p, cookies: cookies}); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "PK") {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
	if w := e.do(req{method: "GET", path: "/inventory/stock?warehouse_id=x", cookies: cookies}); w.Code != http.StatusBadRequest {
		t.Fatalf("bad warehouse filter: %d", w.Code)
	}
}

// TestInventoryItemPages: the catalogue's form round trip (a refused form
// comes back filled in, 422), the list's filters, the distribution form's
// warehouse proposal.
func TestInventoryItemPages(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("officer1")
	if w := e.do(req{method: "GET", path: "/inventory/items/new", cookies: cookies}); w.Code != 200 ||
		!strings.Contains(w.Body.String(), `name="distributable" value="1" checked`) || !strings.Contains(w.Body.String(), `<option value="packet"`) {
		t.Fatalf("new form: %d", w.Code)
	}
	form := url.Values{"csrf_token": {csrf}, "code": {"soap bar"}, "name_ne": {"साबुन"}, "name_en": {"Soap"}, "category": {"non_food"},
		"unit": {"piece"}, "min_stock": {"१०"}, "distributable": {"1"}}
	w := e.do(req{method: "POST", path: "/inventory/items", cookies: cookies, body: form.Encode()})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="code-error"`) || !strings.Contains(w.Body.String(), `value="साबुन"`) {
		t.Fatalf("refused form: %d %s", w.Code, w.Body.String())
	}
	form.Set("code", "soap")
	w = e.do(req{method: "POST", path: "/inventory/items", cookies: cookies, body: form.Encode()})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	it := must.Get2(e.st.InventoryItems().List(t.Context(), store.RecordFilter{Query: "soap"}))
	items, _ := it(t)
	if len(items) != 1 || items[0].MinStock != leoc.Units(10) || !items[0].Distributable {
		t.Fatalf("stored: %+v", items)
	}
	// The audit trail's and the unlock form's address of the record.
	if w := e.do(req{method: "GET", path: "/inventory_items/" + strconv.FormatInt(items[0].ID, 10), cookies: cookies}); w.Code != http.StatusSeeOther ||
		w.Header().Get("Location") != "/inventory/items/"+strconv.FormatInt(items[0].ID, 10) {
		t.Fatalf("audit link: %d %s", w.Code, w.Header().Get("Location"))
	}
	if list := e.do(req{method: "GET", path: "/inventory/items?category=non_food", cookies: cookies}).Body.String(); !strings.Contains(list, "साबुन") || strings.Contains(list, "चामल") {
		t.Fatalf("list by category: %s", list)
	}
	// A ward-3 warehouse is proposed for a ward-3 household, MAIN otherwise.
	w = e.do(req{method: "POST", path: "/api/v1/inventory/warehouses", token: e.tokens[leoc.RoleOfficer],
		body: `{"code":"W3","name_ne":"वडा ३ भण्डार","name_en":"Ward 3 store","ward":3}`})
	w3 := strconv.Itoa(int(decodeBody(t, w)["id"].(float64)))
	newForm := e.do(req{method: "GET", path: "/distributions/new", cookies: cookies}).Body.String()
	main := strconv.FormatInt(mainWarehouse(t, e), 10)
	if !strings.Contains(newForm, `<option value="`+main+`" data-ward="" data-main selected>`) || !strings.Contains(newForm, `data-ward="3"`) {
		t.Fatalf("distribution form proposes MAIN: %s", newForm)
	}
	limited := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
	must.OK(t, e.st.CreateUser(t.Context(), store.SystemActor, limited, must.Get(auth.HashPassword(testPassword))(t)))
	wardCookies, _ := e.login("ward3")
	if f := e.do(req{method: "GET", path: "/distributions/new", cookies: wardCookies}).Body.String(); !strings.Contains(f, `<option value="`+w3+`" data-ward="3"  selected>`) {
		t.Fatalf("distribution form of a ward-3 officer proposes W3: %s", f)
	}
}
