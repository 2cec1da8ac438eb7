package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const distributionBody = `{"household_name":"राम बहादुर थापा","household_id":"12-34/567","father_name":"हरि थापा","phone":"9848000001",
	"disaster_type":"landslide","disaster_date_bs":"2082-10-01","date_bs":"2082-10-05","ward":3,"tole":"खोली",
	"members":[{"name":"राम","relation":"self","age":45,"sex":"male"},{"name":"Sita","relation":"wife","age":"४०","sex":"female"}],
	"items":[{"item":"rice","quantity":30},{"item":"tarpaulin","quantity":"1","unit":"piece"}],"cash":"1500.50"}`

func TestDistributionAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, finance := e.tokens["officer"], e.tokens["viewer"], e.tokens["finance"]
		// No money yet: 409 with the balance in the message, nothing written.
		w := e.do(req{method: "POST", path: "/api/v1/distributions", body: distributionBody, token: officer})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "रु. ०.०० मात्र उपलब्ध") {
			t.Fatalf("without balance: %d %s", w.Code, w.Body)
		}
		// Only finance (and admins) record income.
		income := `{"kind":"income","amount":"5000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: officer}); w.Code != http.StatusForbidden {
			t.Fatalf("officer income: %d", w.Code)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: finance}); w.Code != http.StatusCreated {
			t.Fatalf("finance income: %d %s", w.Code, w.Body)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: distributionBody, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}
		w = e.do(req{method: "POST", path: "/api/v1/distributions", body: distributionBody, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		m := decodeBody(t, w)
		for k, want := range map[string]any{"cash": "1500.50", "fiscal_year": "2082/83", "locked": true, "incident_id": nil, "disaster_type": "landslide",
			"male": float64(1), "female": float64(1)} {
			if m[k] != want {
				t.Errorf("%s = %v, want %v", k, m[k], want)
			}
		}
		id := int64(m["id"].(float64))
		items := m["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["unit"] != "केजी" || len(m["members"].([]any)) != 2 {
			t.Fatalf("rows %v %v", m["items"], m["members"])
		}
		sum := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/funds/summary", token: viewer}))
		if sum["income"] != "5000.00" || sum["expenditure"] != "1500.50" || sum["balance"] != "3499.50" {
			t.Fatalf("summary %v", sum)
		}
		// The same household again: 409 with the existing record.
		w = e.do(req{method: "POST", path: "/api/v1/distributions", body: strings.Replace(distributionBody, "12-34/567", "1234567", 1), token: officer})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `"url":"/distributions/`+idString(id)+`"`) {
			t.Fatalf("duplicate: %d %s", w.Code, w.Body)
		}
		// Another household, same phone: saved with a warning.
		w = e.do(req{method: "POST", path: "/api/v1/distributions", body: strings.Replace(strings.Replace(distributionBody, "12-34/567", "999", 1), `"1500.50"`, `"0"`, 1), token: officer})
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"kind":"phone"`) {
			t.Fatalf("warning: %d %s", w.Code, w.Body)
		}
		// Locked: 403.
		if w := e.do(req{method: "PUT", path: "/api/v1/distributions/" + idString(id), body: distributionBody, token: officer}); w.Code != http.StatusForbidden {
			t.Fatalf("locked update: %d", w.Code)
		}
		// Bad input: 400 per field, nothing written.
		bad := `{"household_name":"","household_id":"","ward":42,"date_bs":"2082-13-40","disaster_type":"flood","disaster_date_bs":"2082-02-32",
			"members":[{"name":"a","age":5,"sex":"male"},{"name":"","age":"-3","sex":"x"}],
			"items":[{"item":"rice","quantity":"1.5"},{"item":"nothing","quantity":0}],"cash":"10.005"}`
		w = e.do(req{method: "POST", path: "/api/v1/distributions", body: bad, token: officer})
		if w.Code != http.StatusBadRequest {
			t.Fatalf("bad input: %d %s", w.Code, w.Body)
		}
		fields := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		for _, f := range []string{"household_name", "household_id", "ward", "date_bs", "members[1].name", "members[1].age", "members[1].sex",
			"items[0].quantity", "items[1].item", "items[1].quantity", "cash"} {
			if fields[f] == nil {
				t.Errorf("no message for %s: %v", f, fields)
			}
		}
		list := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/distributions?q=SITA", token: finance}))
		if list["total"] != float64(2) {
			t.Fatalf("list %v", list["total"])
		}
		st := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/stats/distributions?fy=2082/83", token: viewer}))
		if tot := st["totals"].(map[string]any); tot["distributions"] != float64(2) || tot["cash"] != "1500.50" || st["source"] != "aggregates" {
			t.Fatalf("stats %v", st)
		}
		// System entries cannot be changed directly.
		tx := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/funds/transactions", token: viewer}))["items"].([]any)[0].(map[string]any)
		if tx["system"] != true || tx["distribution_id"] != float64(id) {
			t.Fatalf("ledger %v", tx)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/funds/transactions/" + idString(int64(tx["id"].(float64))), token: e.tokens["admin"]}); w.Code != http.StatusConflict {
			t.Fatalf("delete system entry: %d", w.Code)
		}
		// Pages and exports.
		for _, p := range []string{"/distributions", "/distributions?q=थापा&fy=2082/83", "/distributions/new", "/distributions/" + idString(id),
			"/distributions/" + idString(id) + "/print", "/distributions/stats", "/funds", "/distributions/export.csv"} {
			if w := e.do(req{method: "GET", path: p, token: viewer}); w.Code != http.StatusOK && !(p == "/distributions/new" && w.Code == http.StatusForbidden) {
				t.Errorf("GET %s: %d", p, w.Code)
			}
		}
		csv := e.do(req{method: "GET", path: "/api/v1/distributions/export.csv?lang=en", token: finance}).Body.String()
		if !strings.HasPrefix(csv, "\uFEFF") || !strings.Contains(csv, "राम (self, 45, male); Sita (wife, 40, female)") {
			t.Fatalf("csv %q", csv[:min(len(csv), 600)])
		}
		if w := e.do(req{method: "GET", path: "/api/v1/distributions/export.xlsx", token: viewer}); w.Code != http.StatusOK {
			t.Fatalf("xlsx %d", w.Code)
		}
		receipt := e.do(req{method: "GET", path: "/distributions/" + idString(id) + "/print", token: viewer}).Body.String()
		for _, want := range []string{"राहत हस्तान्तरण भरपाई", "बायाँ ल्याप्चे", "बुझाउनेको सही", "प्रमाणित गर्ने", "छाप्नुहोस्", "Ctrl&#43;P", "रु. १,५००.५०", "चामल"} {
			if !strings.Contains(receipt, want) {
				t.Errorf("receipt lacks %q", want)
			}
		}
	})
}

func TestDistributionForm(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("admin1")
	post := func(path string, v url.Values) *httptest.ResponseRecorder {
		v.Set("csrf_token", csrf)
		return e.do(req{method: "POST", path: path, body: v.Encode(), cookies: cookies, header: map[string]string{"Origin": "http://example.com"}})
	}
	if w := post("/funds", url.Values{"kind": {"income"}, "amount": {"१०,०००"}, "description": {"दान"}, "date_bs": {"2082-10-01"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("fund form: %d %s", w.Code, w.Body)
	}
	form := url.Values{"household_name": {"सीता देवी"}, "household_id": {"55"}, "disaster_type": {"flood"}, "disaster_date_bs": {"2082-10-01"},
		"date_bs": {"2082-10-02"}, "ward": {"2"}, "member_name": {"सीता", "", "गीता"}, "member_relation": {"self", "", "daughter"},
		"member_age": {"३०", "", "abc"}, "member_sex": {"female", "", "female"}, "item_item": {"rice", ""}, "item_quantity": {"10", ""},
		"item_unit": {"", ""}, "cash": {"2000"}, "status": {"distributed"}}
	w := post("/distributions", form)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `name="member_age" inputmode="numeric" value="abc" class="invalid"`) {
		t.Fatalf("bad member row: %d", w.Code)
	}
	// The limits declared once (leoc.DistributionLimits) reach the inputs.
	for _, want := range []string{`name="household_name" value="सीता देवी"  autocomplete="off" maxlength="200" required`,
		`name="bank_account_number" value=""  autocomplete="off" maxlength="40" >`, `name="notes" rows="3" maxlength="4000"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("form lacks %s", want)
		}
	}
	form["member_age"] = []string{"३०", "", "8"}
	if w := post("/distributions", form); w.Code != http.StatusSeeOther {
		t.Fatalf("form create: %d %s", w.Code, w.Body)
	}
	page := e.do(req{method: "GET", path: "/funds", cookies: cookies}).Body.String()
	if !strings.Contains(page, "रु. ८,०००.००") {
		t.Fatalf("balance not shown after cash distribution")
	}
}
