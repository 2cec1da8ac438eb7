package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func mainWarehouse(t *testing.T, e *testEnv) int64 {
	t.Helper()
	var id int64
	must.OK(t, e.st.QueryRow(t.Context(), "SELECT id FROM warehouses WHERE code = 'MAIN'").Scan(&id))
	return id
}

// errorFields are the field messages of a refused request.
func errorFields(m map[string]any) map[string]any {
	e, _ := m["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

func TestStockDocumentAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, admin := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		main := mainWarehouse(t, e)
		post := func(path, body, token string) (int, map[string]any) {
			t.Helper()
			w := e.do(req{method: "POST", path: path, body: body, token: token, header: en})
			return w.Code, decodeBody(t, w)
		}

		receipt := fmt.Sprintf(`{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","supplier":"Nepal Red Cross","reference":"पत्र १२",
			"lines":[{"item":"rice","quantity":"100.5","unit_cost":"85.50"},{"item":"blanket","quantity":20}]}`, main)
		code, m := post("/api/v1/inventory/receipts", receipt, officer)
		if code != http.StatusCreated || m["number"] != float64(1) || m["fiscal_year"] != "2082/83" || m["status"] != "posted" {
			t.Fatalf("receipt: %d %v", code, m)
		}
		lines, _ := m["lines"].([]any)
		if len(lines) != 2 || lines[0].(map[string]any)["quantity"] != "100.5" || lines[0].(map[string]any)["unit_cost"] != "85.50" {
			t.Fatalf("receipt lines %v", lines)
		}
		if code, _ := post("/api/v1/inventory/receipts", receipt, viewer); code != http.StatusForbidden {
			t.Fatalf("viewer receives: %d", code)
		}

		t.Run("bad input is a 400 naming each field, nothing written", func(t *testing.T) {
			for _, c := range []struct{ path, body, field string }{
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","lines":[{"item":"rice","quantity":"0"}]}`, "lines[0].quantity"},
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","lines":[{"item":"rice","quantity":"-3"}]}`, "lines[0].quantity"},
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","lines":[{"item":"rice","quantity":"1.2345"}]}`, "lines[0].quantity"},
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","lines":[{"item":"gold","quantity":"1"}]}`, "lines[0].item"},
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"gift","lines":[{"item":"rice","quantity":"1"}]}`, "source"},
				{"receipts", `{"warehouse_id":%d,"date_bs":"2082-10-01","source":"donation","lines":[]}`, "lines"},
				{"transfers", `{"from_warehouse_id":%[1]d,"to_warehouse_id":%[1]d,"date_bs":"2082-10-02","lines":[{"item":"rice","quantity":"1"}]}`, "to_warehouse_id"},
				{"adjustments", `{"warehouse_id":%d,"date_bs":"2082-10-02","kind":"damaged","reason":"","lines":[{"item":"rice","quantity":"-1"}]}`, "reason"},
				{"dispatches", `{"warehouse_id":%d,"date_bs":"2082-10-02","site":"","receiver":"x","lines":[{"item":"rice","quantity":"1"}]}`, "site"},
			} {
				code, m := post("/api/v1/inventory/"+c.path, fmt.Sprintf(c.body, main), officer)
				if f := errorFields(m); code != http.StatusBadRequest || f[c.field] == nil {
					t.Errorf("%s %s: %d %v", c.path, c.body, code, m)
				}
			}
			var n int
			must.OK(t, e.st.QueryRow(t.Context(), "SELECT COUNT(*) FROM stock_documents").Scan(&n))
			if n != 1 {
				t.Fatalf("%d documents after refusals", n)
			}
		})

		t.Run("a take the stock does not cover is a 409 with what is available", func(t *testing.T) {
			body := fmt.Sprintf(`{"warehouse_id":%d,"date_bs":"2082-10-02","site":"Kholi","receiver":"Ward chair","vehicle":"बा २ च ४५६७",
				"lines":[{"item":"rice","quantity":"101"}]}`, main)
			code, m := post("/api/v1/inventory/dispatches", body, officer)
			msg, _ := m["error"].(map[string]any)["message"].(string)
			if code != http.StatusConflict || !strings.Contains(msg, "100.5 available") {
				t.Fatalf("dispatch: %d %v", code, m)
			}
			body = strings.Replace(body, `"101"`, `"40.25"`, 1)
			if code, m := post("/api/v1/inventory/dispatches", body, officer); code != http.StatusCreated || m["vehicle"] != "बा २ च ४५६७" {
				t.Fatalf("dispatch: %d %v", code, m)
			}
		})

		t.Run("a transfer is sent, then received with its differences", func(t *testing.T) {
			must.OK(t, e.st.WithTx(t.Context(), func(tx *store.Tx) error {
				_, err := tx.Exec(t.Context(), `INSERT INTO warehouses (code, name_ne, name_en, ward, created_at, created_by, updated_at, updated_by)
					VALUES ('W3', 'वडा ३ भण्डार', 'Ward 3 store', 3, ?, 'admin', ?, 'admin')`, e.st.Now(), e.st.Now())
				return err
			}))
			var ward int64
			must.OK(t, e.st.QueryRow(t.Context(), "SELECT id FROM warehouses WHERE code = 'W3'").Scan(&ward))
			body := fmt.Sprintf(`{"from_warehouse_id":%d,"to_warehouse_id":%d,"date_bs":"2082-10-02","lines":[{"item":"rice","quantity":"10"}]}`, main, ward)
			code, m := post("/api/v1/inventory/transfers", body, officer)
			if code != http.StatusCreated || m["status"] != "sent" || m["has_differences"] != false {
				t.Fatalf("transfer: %d %v", code, m)
			}
			path := fmt.Sprintf("/api/v1/inventory/transfers/%d/receive", int64(m["id"].(float64)))
			code, m = post(path, `{"date_bs":"2082-10-03","version":1,"lines":[{"received":"12"}]}`, officer)
			if f := errorFields(m); code != http.StatusBadRequest || f["lines[0].difference_reason"] == nil {
				t.Fatalf("more than sent without a reason: %d %v", code, m)
			}
			code, m = post(path, `{"date_bs":"2082-10-03","version":1,"lines":[{"received":"9.5","difference_reason":"बोरा फाटेको"}]}`, officer)
			lines, _ := m["lines"].([]any)
			if code != http.StatusOK || m["status"] != "received" || m["has_differences"] != true || len(lines) != 1 ||
				lines[0].(map[string]any)["difference"] != "-0.5" {
				t.Fatalf("receive: %d %v", code, m)
			}
			if code, _ := post(path, `{"date_bs":"2082-10-03","version":2,"lines":[{"received":"9.5"}]}`, officer); code != http.StatusConflict {
				t.Fatalf("received twice: %d", code)
			}
			w := e.do(req{method: "GET", path: fmt.Sprintf("/api/v1/inventory/stock?warehouse_id=%d", ward), token: viewer})
			if items, _ := decodeBody(t, w)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["quantity"] != "9.5" {
				t.Fatalf("ward store: %s", w.Body)
			}
		})

		t.Run("stock on hand and the bin card", func(t *testing.T) {
			w := e.do(req{method: "GET", path: fmt.Sprintf("/api/v1/inventory/stock?warehouse_id=%d&item=rice", main), token: viewer})
			items, _ := decodeBody(t, w)["items"].([]any)
			if w.Code != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["quantity"] != "50.25" {
				t.Fatalf("stock: %d %s", w.Code, w.Body)
			}
			w = e.do(req{method: "GET", path: fmt.Sprintf("/api/v1/inventory/items/rice/card?warehouse_id=%d", main), token: viewer})
			card := decodeBody(t, w)
			entries, _ := card["entries"].([]any)
			if w.Code != http.StatusOK || len(entries) != 3 || card["balance"] != "50.25" ||
				entries[1].(map[string]any)["document_kind"] != "dispatch" || entries[1].(map[string]any)["balance"] != "60.25" {
				t.Fatalf("bin card: %d %s", w.Code, w.Body)
			}
			if w := e.do(req{method: "GET", path: "/api/v1/inventory/items/gold/card", token: viewer}); w.Code != http.StatusNotFound {
				t.Fatalf("unknown item's card: %d", w.Code)
			}
			if w := e.do(req{method: "GET", path: "/api/v1/inventory/stock?warehouse_id=x", token: viewer}); w.Code != http.StatusBadRequest {
				t.Fatalf("bad warehouse filter: %d", w.Code)
			}
		})

		t.Run("an adjustment moves stock when an admin approves it", func(t *testing.T) {
			body := fmt.Sprintf(`{"warehouse_id":%d,"date_bs":"2082-10-03","kind":"damaged","reason":"पानी पस्यो","lines":[{"item":"blanket","quantity":"-2"}]}`, main)
			code, m := post("/api/v1/inventory/adjustments", body, officer)
			if code != http.StatusCreated || m["status"] != "pending" {
				t.Fatalf("adjustment: %d %v", code, m)
			}
			path := fmt.Sprintf("/api/v1/inventory/adjustments/%d/approve", int64(m["id"].(float64)))
			if code, _ := post(path, `{"version":1}`, officer); code != http.StatusForbidden {
				t.Fatalf("officer approves: %d", code)
			}
			if code, _ := post(path, `{}`, admin); code != http.StatusBadRequest {
				t.Fatalf("approval without a version: %d", code)
			}
			code, m = post(path, `{"version":1}`, admin)
			if code != http.StatusOK || m["status"] != "approved" || m["approved_by"] != "admin1" {
				t.Fatalf("approve: %d %v", code, m)
			}
			w := e.do(req{method: "GET", path: "/api/v1/inventory/stock?item=blanket", token: viewer})
			if items, _ := decodeBody(t, w)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["quantity"] != "18" {
				t.Fatalf("blankets after approval: %s", w.Body)
			}
			w = e.do(req{method: "GET", path: "/api/v1/inventory/adjustments?status=approved", token: viewer})
			if list := decodeBody(t, w); w.Code != http.StatusOK || list["total"] != float64(1) {
				t.Fatalf("list: %d %s", w.Code, w.Body)
			}
			if w := e.do(req{method: "GET", path: path[:strings.LastIndex(path, "/")], token: viewer}); w.Code != http.StatusOK {
				t.Fatalf("get: %d", w.Code)
			}
			if w := e.do(req{method: "GET", path: strings.Replace(path[:strings.LastIndex(path, "/")], "adjustments", "receipts", 1), token: viewer}); w.Code != http.StatusNotFound {
				t.Fatalf("an adjustment read as a receipt: %d", w.Code)
			}
		})

		t.Run("a distribution takes its items from the warehouse", func(t *testing.T) {
			body := strings.Replace(distributionBody, `"cash":"1500.50"`, fmt.Sprintf(`"warehouse_id":%d`, main), 1)
			body = strings.Replace(body, `{"item":"tarpaulin","quantity":"1","unit":"piece"}`, `{"item":"blanket","quantity":"19"}`, 1)
			code, m := post("/api/v1/distributions", body, officer)
			msg, _ := m["error"].(map[string]any)["message"].(string)
			if code != http.StatusConflict || !strings.Contains(msg, "18 available") {
				t.Fatalf("more blankets than in store: %d %v", code, m)
			}
			body = strings.Replace(body, `"quantity":"19"`, `"quantity":"18"`, 1)
			code, m = post("/api/v1/distributions", body, officer)
			if code != http.StatusCreated || m["warehouse_id"] != float64(main) {
				t.Fatalf("distribution: %d %v", code, m)
			}
			w := e.do(req{method: "GET", path: "/api/v1/inventory/stock?item=blanket", token: viewer})
			if items, _ := decodeBody(t, w)["items"].([]any); len(items) != 0 {
				t.Fatalf("blankets left: %s", w.Body)
			}
		})
	})
}
