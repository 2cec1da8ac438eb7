package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestMoneyFieldsEverywhere: every amount a person types — a fund entry, the
// cash of a distribution, the estimated loss of an incident — reads ".50" as
// fifty paisa and answers malformed commas with 400 and a message naming
// that field, in Nepali and English, without writing anything.
func TestMoneyFieldsEverywhere(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		finance, officer := e.tokens["finance"], e.tokens["officer"]
		callers := []struct {
			name, path, token, field, body string
		}{
			{"fund entry", "/api/v1/funds/transactions", finance, "amount",
				`{"kind":"income","amount":AMOUNT,"description":"दान","date_bs":"2082-10-01"}`},
			{"distribution cash", "/api/v1/distributions", officer, "cash",
				strings.Replace(distributionBody, `"cash":"1500.50"`, `"cash":AMOUNT`, 1)},
			{"estimated loss", "/api/v1/incidents", officer, "estimated_loss",
				strings.Replace(incidentBody, `"estimated_loss":"1,25,000.50"`, `"estimated_loss":AMOUNT`, 1)},
		}
		if w := e.do(req{method: "POST", path: callers[0].path, token: finance, body: strings.Replace(callers[0].body, "AMOUNT", `"10,000"`, 1)}); w.Code != http.StatusCreated {
			t.Fatalf("seed income: %d %s", w.Code, w.Body)
		}
		for _, c := range callers {
			for _, bad := range []struct{ amount, ne, en string }{
				{`"1,2.5"`, "अल्पविराम", "Put commas only between groups of digits"},
				{`"10,00"`, "अल्पविराम", "Put commas only between groups of digits"},
				{`"0.505"`, "दुई दशमलव", "two decimals"},
				{`"1+1"`, "चिह्न", "sign"},
				{`"99999999999999999999"`, "धेरै ठूलो", "Too large"},
			} {
				for lang, want := range map[string]string{"ne": bad.ne, "en": bad.en} {
					w := e.do(req{method: "POST", path: c.path, token: c.token, header: map[string]string{"Accept-Language": lang},
						body: strings.Replace(c.body, "AMOUNT", bad.amount, 1)})
					fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
					msg, _ := fields[c.field].(string)
					if w.Code != http.StatusBadRequest || !strings.Contains(msg, want) {
						t.Errorf("%s %s (%s): %d, field %s = %q; want 400 with %q\n%s", c.name, bad.amount, lang, w.Code, c.field, msg, want, w.Body)
					}
				}
			}
			w := e.do(req{method: "POST", path: c.path, token: c.token, body: strings.Replace(c.body, "AMOUNT", `".50"`, 1)})
			if w.Code != http.StatusCreated {
				t.Fatalf("%s .50: %d %s", c.name, w.Code, w.Body)
			}
			if got := decodeBody(t, w)[c.field]; got != "0.50" {
				t.Errorf("%s: .50 stored as %v; want 0.50 (fifty paisa)", c.name, got)
			}
		}
		// The fund holds the seed income, the .50 income and the .50 paid out: nothing from the refused requests.
		sum := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/funds/summary", token: finance}))
		if sum["balance"] != "10000.00" {
			t.Errorf("balance after refused amounts: %v; want 10000.00", sum["balance"])
		}
	})
}

// TestMoneyFieldsInForms: the HTML forms show the same field message (422,
// the typed text kept) and write nothing.
func TestMoneyFieldsInForms(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("admin1")
	post := func(path string, v url.Values) *httptest.ResponseRecorder {
		v.Set("csrf_token", csrf)
		return e.do(req{method: "POST", path: path, body: v.Encode(), cookies: cookies, header: map[string]string{"Origin": "http://example.com"}})
	}
	w := post("/funds", url.Values{"kind": {"income"}, "amount": {"1,2.5"}, "description": {"दान"}, "date_bs": {"2082-10-01"}})
	if b := w.Body.String(); w.Code != http.StatusUnprocessableEntity || !strings.Contains(b, "अल्पविराम 1,00,000 वा 100,000") || !strings.Contains(b, `value="1,2.5"`) {
		t.Fatalf("fund form with 1,2.5: %d", w.Code)
	}
	if w := post("/funds", url.Values{"kind": {"income"}, "amount": {"रु. .50"}, "description": {"दान"}, "date_bs": {"2082-10-01"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("fund form with रु. .50: %d", w.Code)
	}
	sum := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/funds/summary", token: e.tokens["finance"]}))
	if sum["balance"] != "0.50" {
		t.Errorf("balance %v; want 0.50 (only the fifty paisa)", sum["balance"])
	}
}
