package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func loginBody(user, pass string) string {
	return url.Values{"username": {user}, "password": {pass}}.Encode()
}

func TestLogin(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.do(req{method: "POST", path: "/login", body: loginBody("officer1", testPassword) + "&next=%2Faccount"})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account" {
			t.Fatalf("login: %d %q", w.Code, w.Header().Get("Location"))
		}
		c := w.Result().Cookies()[0]
		if c.Name != "leoc_session" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || len(c.Value) < 40 {
			t.Fatalf("session cookie %+v", c)
		}
		// Logged in: the home page greets, the API knows who it is.
		if w := e.do(req{method: "GET", path: "/", cookies: []*http.Cookie{c}}); w.Code != 200 || !strings.Contains(w.Body.String(), "officer1") {
			t.Fatalf("home: %d", w.Code)
		}
		// A second login issues a different session ID (rotation).
		w2 := e.do(req{method: "POST", path: "/login", body: loginBody("officer1", testPassword), cookies: []*http.Cookie{c}})
		c2 := w2.Result().Cookies()[0]
		if c2.Value == c.Value {
			t.Fatal("session ID not rotated at login")
		}
		if w := e.do(req{method: "GET", path: "/", cookies: []*http.Cookie{c}}); w.Code != http.StatusSeeOther {
			t.Fatalf("old session still valid after re-login: %d", w.Code)
		}
		// Open redirects are refused.
		w = e.do(req{method: "POST", path: "/login", body: loginBody("officer1", testPassword) + "&next=%2F%2Fevil.example"})
		if w.Header().Get("Location") != "/" {
			t.Fatalf("next=//evil.example redirected to %q", w.Header().Get("Location"))
		}
		// Logout ends the session.
		cookies, csrf := e.login("officer1")
		w = e.do(req{method: "POST", path: "/logout", body: "csrf_token=" + csrf, cookies: cookies})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
			t.Fatalf("logout: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/me", cookies: cookies}); w.Code != http.StatusUnauthorized {
			t.Fatalf("session alive after logout: %d", w.Code)
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "login.success", Username: "officer1"}))(t)
		if len(entries) != 4 || entries[0].IP == "" {
			t.Fatalf("login audit: %d entries", len(entries))
		}
	})
}

func TestLoginFailures(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		for _, c := range []struct{ user, pass string }{{"officer1", "wrong-password-1"}, {"nobody", "whatever-123"}} {
			w := e.do(req{method: "POST", path: "/login", body: loginBody(c.user, c.pass), header: map[string]string{"Accept-Language": "en"}})
			if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "The username or password is not correct.") {
				t.Fatalf("bad login %s: %d", c.user, w.Code)
			}
			if len(w.Result().Cookies()) != 0 && w.Result().Cookies()[0].Name == "leoc_session" && w.Result().Cookies()[0].Value != "" {
				t.Fatal("failed login set a session")
			}
		}
		// The same message in Nepali by default.
		w := e.do(req{method: "POST", path: "/login", body: loginBody("officer1", "wrong-password-2")})
		if !strings.Contains(w.Body.String(), "प्रयोगकर्ता नाम वा पासवर्ड मिलेन") {
			t.Fatal("failure message not in Nepali")
		}
		failures, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "login.failure"}))(t)
		if len(failures) != 3 {
			t.Fatalf("%d failures audited, want 3", len(failures))
		}
		// A disabled account cannot log in.
		v := e.users[leoc.RoleViewer]
		v.Disabled = true
		if err := e.st.UpdateUser(t.Context(), store.SystemActor, v); err != nil {
			t.Fatal(err)
		}
		if w := e.do(req{method: "POST", path: "/login", body: loginBody("viewer1", testPassword), remote: "192.0.2.11:1"}); w.Code != http.StatusUnauthorized {
			t.Fatalf("disabled login: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/me", token: e.tokens[leoc.RoleViewer]}); w.Code != http.StatusUnauthorized {
			t.Fatalf("disabled user's token works: %d", w.Code)
		}
	})
}

func TestLoginRateLimitPerIP(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		var last int
		for i := range 12 {
			w := e.do(req{method: "POST", path: "/login", body: loginBody("nobody"+string(rune('a'+i)), "x-password-1"), remote: "198.51.100.7:4000"})
			last = w.Code
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("12th attempt from one IP: %d; want 429", last)
		}
		// Another address is not affected.
		if w := e.do(req{method: "POST", path: "/login", body: loginBody("officer1", testPassword), remote: "198.51.100.8:4000"}); w.Code != http.StatusSeeOther {
			t.Fatalf("other IP: %d", w.Code)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, _ := e.login("viewer1")
		me := func() int { return e.do(req{method: "GET", path: "/api/v1/me", cookies: cookies}).Code }
		// Activity keeps the session alive past the idle timeout...
		for range 3 {
			e.clock.Add(90 * time.Minute)
			if c := me(); c != 200 {
				t.Fatalf("active session ended: %d", c)
			}
		}
		// ...but not past the idle timeout without activity.
		e.clock.Add(2*time.Hour + time.Minute)
		if c := me(); c != http.StatusUnauthorized {
			t.Fatalf("idle session still valid: %d", c)
		}
		// The absolute timeout ends even an active session.
		cookies, _ = e.login("viewer1")
		for range 10 {
			e.clock.Add(80 * time.Minute)
			me()
		}
		if c := me(); c != http.StatusUnauthorized {
			t.Fatalf("session older than 12h still valid: %d", c)
		}
	})
}

func TestChangeOwnPassword(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("finance1")
		form := func(cur, next, confirm string) string {
			return url.Values{"csrf_token": {csrf}, "current_password": {cur}, "new_password": {next}, "confirm_password": {confirm}}.Encode()
		}
		w := e.do(req{method: "POST", path: "/account/password", body: form("wrong-one-123", "a-new-password-9", "a-new-password-9"), cookies: cookies})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "हालको पासवर्ड मिलेन") {
			t.Fatalf("wrong current password: %d", w.Code)
		}
		w = e.do(req{method: "POST", path: "/account/password", body: form(testPassword, "short", "short"), cookies: cookies})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "१० अक्षर") {
			t.Fatalf("short password: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "POST", path: "/account/password", body: form(testPassword, "a-new-password-9", "a-new-password-9"), cookies: cookies})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("change: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "POST", path: "/login", body: loginBody("finance1", "a-new-password-9")}); w.Code != http.StatusSeeOther {
			t.Fatalf("new password refused: %d", w.Code)
		}
	})
}
