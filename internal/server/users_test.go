package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

type responseRecorder = httptest.ResponseRecorder

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
func newRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}

func TestUsersAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		tok := e.tokens[leoc.RoleAdmin]
		w := e.do(req{method: "POST", path: "/api/v1/users", token: tok, body: `{"username":"Sita.W3","password":"ward-three-pass","role":"officer","wards":[3],"display_name":"सीता"}`})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		if m["username"] != "sita.w3" || m["password"] != nil || strings.Contains(w.Body.String(), "argon2") {
			t.Fatalf("created user JSON: %v", m)
		}
		// Nepali field messages by default; English when asked.
		w = e.do(req{method: "POST", path: "/api/v1/users", token: tok, body: `{"username":"x","password":"short","role":"chief"}`})
		if w.Code != http.StatusBadRequest {
			t.Fatalf("bad user: %d", w.Code)
		}
		fields := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		if !strings.Contains(fields["password"].(string), "१०") || fields["username"] == nil {
			t.Fatalf("fields: %v", fields)
		}
		w = e.do(req{method: "POST", path: "/api/v1/users", token: tok, body: `{"username":"sita.w3","password":"ward-three-pass","role":"officer"}`,
			header: map[string]string{"Accept-Language": "en-GB,en;q=0.8"}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "already taken") {
			t.Fatalf("duplicate: %d %s", w.Code, w.Body.String())
		}
		// The new user can log in; an admin can disable them.
		if w := e.do(req{method: "POST", path: "/login", body: loginBody("sita.w3", "ward-three-pass")}); w.Code != http.StatusSeeOther {
			t.Fatalf("new user login: %d", w.Code)
		}
		id := int64(m["id"].(float64))
		w = e.do(req{method: "PUT", path: "/api/v1/users/" + idString(id), token: tok, body: `{"role":"viewer","wards":[],"disabled":true}`})
		if w.Code != 200 || decodeBody(t, w)["disabled"] != true {
			t.Fatalf("disable: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/users/" + idString(id), token: tok, body: `{"username":"other","role":"viewer"}`}); w.Code != http.StatusBadRequest {
			t.Fatalf("rename: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/users/999", token: tok}); w.Code != http.StatusNotFound {
			t.Fatalf("missing user: %d", w.Code)
		}
		w = e.do(req{method: "GET", path: "/api/v1/users", token: tok})
		if int(decodeBody(t, w)["total"].(float64)) != 5 {
			t.Fatalf("list: %s", w.Body.String())
		}
	})
}

func TestUserPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("admin1")
		form := url.Values{"csrf_token": {csrf}, "username": {"hari"}, "role": {"officer"}, "wards": {"2", "4"}, "password": {"short"}, "confirm_password": {"short"}}
		w := e.do(req{method: "POST", path: "/users", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `value="hari"`) {
			t.Fatalf("refused form must keep input: %d", w.Code)
		}
		form.Set("password", "pahad-ko-bato-22")
		form.Set("confirm_password", "pahad-ko-bato-22")
		w = e.do(req{method: "POST", path: "/users", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create via form: %d %s", w.Code, w.Body.String())
		}
		u, err := e.st.UserByUsername(t.Context(), "hari")
		if err != nil || len(u.Wards) != 2 {
			t.Fatalf("created: %+v %v", u, err)
		}
		page := e.do(req{method: "GET", path: w.Header().Get("Location"), cookies: append(cookies, w.Result().Cookies()...)})
		if page.Code != 200 || !strings.Contains(page.Body.String(), "प्रयोगकर्ता बनाइयो") {
			t.Fatalf("edit page with flash: %d", page.Code)
		}
		list := e.do(req{method: "GET", path: "/users", cookies: cookies})
		if !strings.Contains(list.Body.String(), "hari") || !strings.Contains(list.Body.String(), "२, ४") {
			t.Fatalf("users list lacks hari and wards in Devanagari")
		}
		// The last admin cannot demote themselves.
		w = e.do(req{method: "POST", path: "/users/" + idString(e.users[leoc.RoleAdmin].ID), cookies: cookies,
			body: url.Values{"csrf_token": {csrf}, "role": {"viewer"}}.Encode()})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "अन्तिम सक्रिय प्रशासक") {
			t.Fatalf("last admin: %d", w.Code)
		}
		// Audit page shows the creation.
		a := e.do(req{method: "GET", path: "/audit?action=user", cookies: cookies})
		if a.Code != 200 || !strings.Contains(a.Body.String(), "user.create") {
			t.Fatalf("audit page: %d", a.Code)
		}
		if a := e.do(req{method: "GET", path: "/audit?from=2082-13-01", cookies: cookies}); a.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad audit date: %d", a.Code)
		}
		if a := e.do(req{method: "GET", path: "/api/v1/audit?from=2082-10-15&to=2082-10-15&per_page=5", token: e.tokens[leoc.RoleAdmin]}); a.Code != 200 {
			t.Fatalf("audit api: %d %s", a.Code, a.Body.String())
		}
	})
}
