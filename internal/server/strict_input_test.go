package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
)

// fieldsOf returns error.fields of a JSON error answer.
func fieldsOf(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	e, _ := body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

// TestStrictJSON: control characters, invalid UTF-8 and duplicate keys in a
// JSON body are a 400 naming the field, on both databases, and nothing is
// written. PostgreSQL answered a NUL with a 500; SQLite stored it.
func TestStrictJSON(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		en := map[string]string{"Accept-Language": "en"}
		const valid = `{"date_bs":"2082-10-15","type":"assessment","description":"DESC","location":"Kholi"}`
		body := func(desc string) string { return strings.Replace(valid, "DESC", desc, 1) }
		for _, tc := range []struct {
			name, body, field, msg string
		}{
			{"NUL escaped", body(`a\u0000b`), "description", "control character"},
			{"escape character", body(`a\u001bb`), "description", "control character"},
			{"carriage return", body(`a\rb`), "description", "control character"},
			{"DEL", body(`a\u007fb`), "description", "control character"},
			{"C1 control", body(`a\u0085b`), "description", "control character"},
			{"NUL in a key", `{"date_bs":"2082-10-15","type":"assessment","description":"x","a\u0000":1}`, `a\x00`, ""},
			{"duplicate key", `{"date_bs":"2082-10-15","type":"assessment","description":"x","description":"y"}`, "description", "more than once"},
			{"invalid UTF-8", body("a\xffb"), "body", "UTF-8"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := e.do(req{method: "POST", path: "/api/v1/event-logs", body: tc.body, token: officer, header: en})
				if w.Code != http.StatusBadRequest {
					t.Fatalf("got %d %s, want 400", w.Code, w.Body.String())
				}
				m := decodeBody(t, w)
				if tc.field != "body" {
					if got := fieldsOf(t, m)[tc.field]; got == nil {
						t.Errorf("fields %v do not name %q", fieldsOf(t, m), tc.field)
					}
				}
				msg, _ := m["error"].(map[string]any)["message"].(string)
				if !strings.Contains(msg, tc.msg) || (tc.field != `a\x00` && !strings.Contains(msg, tc.field)) {
					t.Errorf("message %q: want it to name %q and say %q", msg, tc.field, tc.msg)
				}
			})
		}
		w := e.do(req{method: "GET", path: "/api/v1/event-logs", token: officer})
		if total := decodeBody(t, w)["total"]; total != float64(0) {
			t.Fatalf("refused bodies wrote %v records", total)
		}
		// Tab and newline are text; a JSON newline is stored as it came.
		w = e.do(req{method: "POST", path: "/api/v1/event-logs", body: body(`line one\n\tline two`), token: officer})
		if w.Code != http.StatusCreated || decodeBody(t, w)["description"] != "line one\n\tline two" {
			t.Fatalf("tab and newline: %d %s", w.Code, w.Body.String())
		}
		// The message is in the user's language too.
		w = e.do(req{method: "POST", path: "/api/v1/event-logs", body: body(`\u0000`), token: officer, header: map[string]string{"Accept-Language": "ne"}})
		if msg := decodeBody(t, w)["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "नियन्त्रण वर्ण") || !strings.Contains(msg, "description") {
			t.Errorf("Nepali message: %q", msg)
		}
	})
}

// TestStrictQuery: a NUL or other control character, or invalid UTF-8, in
// any list filter is a 400 naming the parameter, on both databases.
func TestStrictQuery(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		viewer := e.tokens[leoc.RoleViewer]
		en := map[string]string{"Accept-Language": "en"}
		for _, path := range []string{
			"/api/v1/event-logs?q=%00", "/api/v1/incidents?q=a%00b", "/api/v1/incidents?type=%00",
			"/api/v1/situation-reports?q=%1b", "/api/v1/advisories?q=%00", "/api/v1/distributions?q=%00",
			"/api/v1/ssf-beneficiaries?q=%00", "/api/v1/audit?username=%00", "/api/v1/funds/transactions?kind=%00",
			"/api/v1/event-logs?q=%ff", "/api/v1/event-logs?q=%c2%85", "/api/v1/event-logs?q=a%0db",
		} {
			w := e.do(req{method: "GET", path: path, token: e.tokens[leoc.RoleAdmin], header: en})
			if w.Code != http.StatusBadRequest {
				t.Errorf("GET %s: %d %s, want 400", path, w.Code, w.Body.String())
				continue
			}
			u := must.Get(url.Parse(path))(t)
			var name string
			for k := range u.Query() {
				name = k
			}
			if fieldsOf(t, decodeBody(t, w))[name] == nil {
				t.Errorf("GET %s: the answer does not name %q: %s", path, name, w.Body.String())
			}
		}
		// The HTML list pages refuse the same, as a page in the user's language.
		cookies, _ := e.login("viewer1")
		w := e.do(req{method: "GET", path: "/incidents?q=%00", cookies: cookies, header: en})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "control character") {
			t.Errorf("HTML list with NUL: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents?q=%zz", token: viewer}); w.Code != http.StatusBadRequest {
			t.Errorf("bad percent-encoding: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents?q=" + url.QueryEscape("भूकम्प\tx"), token: viewer}); w.Code != http.StatusOK {
			t.Errorf("Devanagari and tab: %d %s", w.Code, w.Body.String())
		}
	})
}

// TestPageBounds: page runs from 1 to a million; a number near 2^63 (whose
// offset overflowed into a PostgreSQL 500) is a 400.
func TestPageBounds(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		tok := e.tokens[leoc.RoleAdmin]
		for _, list := range []string{"/api/v1/event-logs", "/api/v1/incidents", "/api/v1/distributions", "/api/v1/ssf-beneficiaries",
			"/api/v1/situation-reports", "/api/v1/advisories", "/api/v1/audit", "/api/v1/funds/transactions"} {
			for page, want := range map[string]int{"1": 200, "1000000": 200, "1000001": 400, "9223372036854775807": 400,
				"9223372036854775808": 400, "0": 400, "-1": 400, "x": 400} {
				if w := e.do(req{method: "GET", path: list + "?page=" + page, token: tok}); w.Code != want {
					t.Errorf("GET %s?page=%s: %d %s, want %d", list, page, w.Code, w.Body.String(), want)
				}
			}
		}
		cookies, _ := e.login("admin1")
		for _, p := range []string{"/incidents", "/audit", "/distributions", "/event-logs"} {
			if w := e.do(req{method: "GET", path: p + "?page=9223372036854775807", cookies: cookies}); w.Code >= 500 {
				t.Errorf("GET %s with a huge page: %d", p, w.Code)
			}
		}
	})
}

// TestStrictForm: form posts refuse control characters with a 400 naming the
// field, and a textarea's CRLF line ends are stored as LF.
func TestStrictForm(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		en := map[string]string{"Accept-Language": "en"}
		form := url.Values{"csrf_token": {csrf}, "date_bs": {"2082-10-15"}, "type": {"assessment"}, "location": {"Kholi"}}
		form.Set("description", "bad\x00value")
		w := e.do(req{method: "POST", path: "/event-logs", body: form.Encode(), cookies: cookies, header: en})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "description") || !strings.Contains(w.Body.String(), "control character") {
			t.Fatalf("NUL in a form: %d", w.Code)
		}
		form.Set("description", "first line\r\nsecond line\rthird")
		w = e.do(req{method: "POST", path: "/event-logs", body: form.Encode(), cookies: cookies})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("CRLF form: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "GET", path: "/api/v1/event-logs", token: e.tokens[leoc.RoleOfficer]})
		items, _ := decodeBody(t, w)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["description"] != "first line\nsecond line\nthird" {
			t.Fatalf("stored: %v", items)
		}
		// The login form is checked before the password is.
		w = e.do(req{method: "POST", path: "/login", body: "username=admin1%00&password=x", header: en})
		if w.Code != http.StatusBadRequest {
			t.Errorf("NUL in login form: %d", w.Code)
		}
	})
}

// TestBearerSchemeAnyCase: RFC 7235 makes the scheme case-insensitive.
func TestBearerSchemeAnyCase(t *testing.T) {
	e := newEnv(t, backendSQLite())
	tok := e.tokens[leoc.RoleViewer]
	for _, h := range []string{"Bearer " + tok, "bearer " + tok, "BEARER " + tok, "bEaReR  " + tok} {
		if w := e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": h}}); w.Code != http.StatusOK {
			t.Errorf("Authorization %q: %d", h[:8], w.Code)
		}
	}
	for _, h := range []string{"Bearer", "Bearer ", "Basic " + tok, "Bearer" + tok, "Bearerx " + tok} {
		if w := e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": h}}); w.Code != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", h, w.Code)
		}
	}
}
