package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// The stock page, the bin card and their API answers come a page at a time:
// the next link (and next in the API) follows the cursor, the second page of
// the card starts with the balance brought forward, the exports keep every
// row, and a bad cursor or page size is a 400 in the user's language.
func TestStockViewsComeInPages(t *testing.T) {
	e := newEnv(t, backendSQLite())
	officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
	main := mainWarehouse(t, e)
	kit := `{"code":"KIT","name_ne":"स्वच्छता किट","name_en":"Hygiene kit","unit":"piece","category":"non_food","track_batch":true}`
	if w := e.do(req{method: "POST", path: "/api/v1/inventory/items", token: officer, body: kit}); w.Code != http.StatusCreated {
		t.Fatalf("item: %d %s", w.Code, w.Body.String())
	}
	// Rice received six times: a card of six entries, 10 + 20 + … + 60.
	for i := 1; i <= 6; i++ {
		body := fmt.Sprintf(`{"warehouse_id":%d,"date_bs":"2082-10-10","source":"donation","lines":[{"item":"rice","quantity":"%d"},{"item":"KIT","quantity":"%d","batch":"B%d"}]}`,
			main, 10*i, i, i)
		if w := e.do(req{method: "POST", path: "/api/v1/inventory/receipts", body: body, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("receipt: %d %s", w.Code, w.Body.String())
		}
	}
	// The API: two pages of the card, the second bringing 30 forward.
	w := e.do(req{method: "GET", path: "/api/v1/inventory/items/rice/card?per_page=2", token: viewer})
	card := decodeBody(t, w)
	next, _ := card["next"].(string)
	if w.Code != http.StatusOK || len(card["entries"].([]any)) != 2 || card["total"] != float64(6) || card["balance"] != "210" ||
		card["brought_forward"] != "0" || next == "" {
		t.Fatalf("card, page 1: %d %s", w.Code, w.Body)
	}
	w = e.do(req{method: "GET", path: "/api/v1/inventory/items/rice/card?per_page=2&page=2&after=" + url.QueryEscape(next), token: viewer})
	card = decodeBody(t, w)
	entries, _ := card["entries"].([]any)
	if w.Code != http.StatusOK || len(entries) != 2 || card["brought_forward"] != "30" || entries[0].(map[string]any)["balance"] != "60" ||
		entries[1].(map[string]any)["balance"] != "100" || card["page"] != float64(2) {
		t.Fatalf("card, page 2: %d %s", w.Code, w.Body)
	}
	// Stock on hand: seven balances (rice and six batches of kits).
	w = e.do(req{method: "GET", path: "/api/v1/inventory/stock?per_page=3", token: viewer})
	list := decodeBody(t, w)
	if w.Code != http.StatusOK || len(list["items"].([]any)) != 3 || list["total"] != float64(7) || list["next"] == nil {
		t.Fatalf("stock, page 1: %d %s", w.Code, w.Body)
	}
	seen := 3
	for list["next"] != nil {
		w = e.do(req{method: "GET", path: "/api/v1/inventory/stock?per_page=3&after=" + url.QueryEscape(list["next"].(string)), token: viewer})
		if list = decodeBody(t, w); w.Code != http.StatusOK {
			t.Fatalf("stock, next page: %d %s", w.Code, w.Body)
		}
		seen += len(list["items"].([]any))
	}
	if seen != 7 {
		t.Fatalf("the pages hold %d balances, want 7", seen)
	}
	for _, path := range []string{"/api/v1/inventory/stock?after=forged", "/api/v1/inventory/items/rice/card?per_page=100000", "/api/v1/inventory/items/rice/card?after=x"} {
		if w := e.do(req{method: "GET", path: path, token: viewer}); w.Code != http.StatusBadRequest {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}

	// The pages.
	cookies, _ := e.login("viewer1")
	get := func(path string) string {
		t.Helper()
		w := e.do(req{method: "GET", path: path, cookies: cookies, header: map[string]string{"Accept-Language": "ne"}})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	first := get("/inventory/items/rice/card?per_page=4")
	if strings.Contains(first, "data-brought-forward") || !strings.Contains(first, `rel="next"`) || !strings.Contains(first, "पृष्ठ १ / २") {
		t.Fatalf("card page 1: %s", first)
	}
	second := get("/inventory/items/rice/card?per_page=4&page=2")
	if !strings.Contains(second, "अघिल्लो पृष्ठबाट सारिएको मौज्दात") || !strings.Contains(second, `data-balance="100"`) ||
		!strings.Contains(second, `data-balance="210"`) || strings.Contains(second, `data-balance="10"`) {
		t.Fatalf("card page 2: %s", second)
	}
	// The export link leaves the paging out: the export is the whole card.
	if !strings.Contains(second, `/inventory/items/rice/card/export.csv"`) {
		t.Fatalf("the export link carries the paging: %s", second)
	}
	csv := e.do(req{method: "GET", path: "/inventory/items/rice/card/export.csv", cookies: cookies}).Body.String()
	if n := strings.Count(csv, "\n"); n < 7 {
		t.Fatalf("the card's export has %d lines, want every movement: %s", n, csv)
	}
	stock := get("/inventory/stock?per_page=3&group=item")
	if strings.Count(stock, "<tr data-item=") != 3 || !strings.Contains(stock, `rel="next"`) {
		t.Fatalf("stock page 1: %s", stock)
	}
	// The kits' six batches run over pages; its total is all six (21).
	if !strings.Contains(get("/inventory/stock?per_page=3&group=item&page=2"), `<th class="num">२१</th>`) {
		t.Fatalf("the item's total on page 2 is not over all its balances")
	}
}
