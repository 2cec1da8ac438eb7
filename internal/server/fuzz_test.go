package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// FuzzDecodeJSON: whatever arrives, decoding never panics and every failure
// is a domain error a client can be shown (400 or 413), never an internal one.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"username":"a","role":"admin","wards":[1,2]}`, `{"wards":"x"}`, `[`, `{"a":1} {}`, `null`, `{"display_name":"\u0000"}`, ``} {
		f.Add(s, "application/json")
	}
	f.Add(`{}`, "text/plain")
	f.Add(`{}`, "application/json; charset=utf-8")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		r := httptest.NewRequest("POST", "/api/v1/users", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		var in userInput
		err := decodeJSON(r, &in)
		if err == nil {
			return
		}
		e, ok := leoc.AsError(err)
		if !ok || (e.Code != leoc.EInvalid && e.Code != leoc.ETooLarge) {
			t.Fatalf("decode error %v is not a client error", err)
		}
	})
}

// FuzzLoginForm: the login handler answers any form with a 4xx or a
// redirect, never a 500.
func FuzzLoginForm(f *testing.F) {
	f.Add("username=admin1&password=x")
	f.Add("username=%ff%fe&password=")
	f.Add("a=%zz")
	f.Add(strings.Repeat("username=", 100))
	e := newEnv(f, backendSQLite())
	f.Fuzz(func(t *testing.T, body string) {
		e.t = t
		w := e.do(req{method: "POST", path: "/login", body: body, contentType: "application/x-www-form-urlencoded", remote: "192.0.2.1:1"})
		if w.Code >= 500 {
			t.Fatalf("POST /login %q: %d", body, w.Code)
		}
	})
}
