package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

func TestCSRF(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("admin1")
		ward := `{"name_ne":"वडा नं. १०","name_en":"Ward 10"}`
		cases := []struct {
			name   string
			r      req
			status int
		}{
			{"cookie without token", req{method: "PUT", path: "/api/v1/wards/10", body: ward, cookies: cookies}, http.StatusForbidden},
			{"cookie with wrong token", req{method: "PUT", path: "/api/v1/wards/10", body: ward, cookies: cookies, header: map[string]string{"X-CSRF-Token": "nope"}}, http.StatusForbidden},
			{"cookie with token, cross-site", req{method: "PUT", path: "/api/v1/wards/10", body: ward, cookies: cookies,
				header: map[string]string{"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden},
			{"cookie with token, foreign Origin", req{method: "PUT", path: "/api/v1/wards/10", body: ward, cookies: cookies,
				header: map[string]string{"X-CSRF-Token": csrf, "Origin": "http://evil.example"}}, http.StatusForbidden},
			{"form without token", req{method: "POST", path: "/settings/wards", body: "number=11&name_ne=x&name_en=y", cookies: cookies}, http.StatusForbidden},
			{"login from a foreign origin", req{method: "POST", path: "/login", body: loginBody("admin1", testPassword), header: map[string]string{"Origin": "http://evil.example"}}, http.StatusForbidden},
			{"cookie with token, same origin", req{method: "PUT", path: "/api/v1/wards/10", body: ward, cookies: cookies,
				header: map[string]string{"X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin"}}, http.StatusOK},
			{"form with token", req{method: "POST", path: "/settings/wards", body: "number=11&name_ne=x&name_en=y&csrf_token=" + csrf, cookies: cookies}, http.StatusSeeOther},
			{"bearer token needs no CSRF token", req{method: "PUT", path: "/api/v1/wards/12", body: ward, token: e.tokens[leoc.RoleAdmin]}, http.StatusOK},
		}
		for _, c := range cases {
			w := e.do(c.r)
			if w.Code != c.status {
				t.Errorf("%s: %d %s; want %d", c.name, w.Code, w.Body.String(), c.status)
			}
		}
		wards := must.Get(e.st.Wards(t.Context()))(t)
		if len(wards) != 12 {
			t.Errorf("%d wards; refused requests must write nothing", len(wards))
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	for _, path := range []string{"/login", "/health", "/nope", "/api/v1/me", e.s.assets.URL("app.css")} {
		w := e.do(req{method: "GET", path: path})
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-ID") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	// No inline scripts or styles in the pages themselves.
	body := e.do(req{method: "GET", path: "/login"}).Body.String()
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") || strings.Contains(body, "<style") || strings.Contains(body, "onclick") {
		t.Error("login page has inline script or style")
	}
}

func TestProxyAndHTTPS(t *testing.T) {
	b := storetest.Backends()[0]
	e := newEnv(t, b, func(c *config.Config) {
		c.Env = config.Production
		c.BaseURL = "https://leoc.thalara.gov.np"
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	// Plain HTTP from a client is redirected to LEOC_BASE_URL, whatever Host
	// the client names; health checks are not redirected.
	for _, host := range []string{"example.com", "attacker.example", "leoc.thalara.gov.np.attacker.example:443"} {
		w := e.withHost(host, req{method: "GET", path: "/login?x=1", remote: "203.0.113.5:999"})
		if w.Code != http.StatusPermanentRedirect || w.Header().Get("Location") != "https://leoc.thalara.gov.np/login?x=1" {
			t.Fatalf("http redirect with Host %q: %d %q", host, w.Code, w.Header().Get("Location"))
		}
	}
	w := e.do(req{method: "GET", path: "/login?x=1", remote: "203.0.113.5:999"})
	if w := e.do(req{method: "GET", path: "/health", remote: "203.0.113.5:999"}); w.Code != 200 {
		t.Fatalf("health over http: %d", w.Code)
	}
	// X-Forwarded-Proto is believed from a trusted proxy only.
	https := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.23"}
	w = e.do(req{method: "GET", path: "/login", remote: "10.1.2.3:5555", header: https})
	if w.Code != 200 || !strings.Contains(w.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("behind trusted proxy: %d, HSTS %q", w.Code, w.Header().Get("Strict-Transport-Security"))
	}
	w = e.do(req{method: "GET", path: "/login", remote: "203.0.113.5:999", header: https})
	if w.Code != http.StatusPermanentRedirect {
		t.Fatalf("forged X-Forwarded-Proto believed: %d", w.Code)
	}
	// The client IP in the audit trail comes from X-Forwarded-For only via a trusted proxy.
	e.do(req{method: "POST", path: "/login", body: loginBody("admin1", "wrong-password-x"), remote: "10.1.2.3:5555", header: https})
	e.do(req{method: "POST", path: "/login", body: loginBody("admin1", "wrong-password-y"), remote: "203.0.113.5:999",
		header: map[string]string{"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"}})
	entries, _ := must.Get2(e.st.ListAudit(t.Context(), auditFilterAction("login.failure")))(t)
	if len(entries) != 1 || entries[0].IP != "198.51.100.23" {
		t.Fatalf("audited IPs: %+v", entries)
	}
	// Production cookies are Secure and __Host- prefixed.
	w = e.do(req{method: "POST", path: "/login", body: loginBody("admin1", testPassword), remote: "10.1.2.3:5555", header: https})
	c := w.Result().Cookies()[0]
	if c.Name != "__Host-leoc_session" || !c.Secure {
		t.Fatalf("production cookie %+v", c)
	}
}

// withHost sends r with the Host header a client chose.
func (e *testEnv) withHost(host string, r req) *httptest.ResponseRecorder {
	e.t.Helper()
	hr := httptest.NewRequest(r.method, r.path, nil)
	hr.Host = host
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	w := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(w, hr)
	return w
}

// TestProductionNeedsBaseURL: a production server cannot be built without
// LEOC_BASE_URL (config.Load refuses it first; this is the second line).
func TestProductionNeedsBaseURL(t *testing.T) {
	cfg := testConfig(func(c *config.Config) { c.Env = config.Production })
	if _, err := New(Options{Config: cfg, Store: storetest.Open(t, storetest.Backends()[0]), Logger: slog.New(slog.DiscardHandler), Version: "test"}); err == nil {
		t.Fatal("a production server started without LEOC_BASE_URL")
	}
}

func TestBodyLimitAndBadJSON(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	tok := e.tokens[leoc.RoleAdmin]
	big := `{"name_ne":"` + strings.Repeat("क", 1<<20) + `","name_en":"x"}`
	w := e.do(req{method: "PUT", path: "/api/v1/wards/20", body: big, token: tok})
	if w.Code != http.StatusRequestEntityTooLarge || errorCode(t, w) != leoc.ETooLarge {
		t.Fatalf("oversized body: %d %s", w.Code, w.Body.String())
	}
	cases := []struct {
		name, body, ctype, field string
	}{
		{"malformed", `{"name_ne":`, "", ""},
		{"not an object", `[1,2]`, "", ""},
		{"unknown field", `{"name_ne":"a","name_en":"b","colour":"red"}`, "", "colour"},
		{"wrong type", `{"name_ne":5,"name_en":"b"}`, "", "name_ne"},
		{"trailing data", `{"name_ne":"a","name_en":"b"} {}`, "", ""},
		{"wrong content type", `{"name_ne":"a","name_en":"b"}`, "text/plain", ""},
		{"empty name", `{"name_ne":" ","name_en":"b"}`, "", "name_ne"},
	}
	for _, c := range cases {
		w := e.do(req{method: "PUT", path: "/api/v1/wards/21", body: c.body, contentType: c.ctype, token: tok,
			header: map[string]string{"Accept-Language": "en"}})
		if w.Code != http.StatusBadRequest || errorCode(t, w) != leoc.EInvalid {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body.String())
			continue
		}
		m := decodeBody(t, w)["error"].(map[string]any)
		if msg, _ := m["message"].(string); msg == "" || strings.Contains(msg, ".") && strings.Contains(msg, "_") && !strings.Contains(msg, " ") {
			t.Errorf("%s: message %q is a key, not a sentence", c.name, msg)
		}
		if c.field != "" {
			fields, _ := m["fields"].(map[string]any)
			if fields[c.field] == nil {
				t.Errorf("%s: no message for field %s: %v", c.name, c.field, m)
			}
		}
	}
	if wards := must.Get(e.st.Wards(t.Context()))(t); len(wards) != 9 {
		t.Errorf("bad requests wrote wards: %d", len(wards))
	}
}

func TestPanicIsRecovered(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	e.s.routes = append(e.s.routes, route{pattern: "GET /api/v1/boom", access: authenticated, h: func(http.ResponseWriter, *http.Request) {
		panic("kaboom secret-detail")
	}})
	e.s.handler = e.s.buildHandler()
	w := e.do(req{method: "GET", path: "/api/v1/boom", token: e.tokens[leoc.RoleViewer]})
	if w.Code != 500 || errorCode(t, w) != leoc.EInternal {
		t.Fatalf("panic: %d %s", w.Code, w.Body.String())
	}
	id := w.Header().Get("X-Request-ID")
	if strings.Contains(w.Body.String(), "kaboom") || strings.Contains(w.Body.String(), "goroutine") || !strings.Contains(w.Body.String(), id) {
		t.Fatalf("panic answer leaks or lacks the request id: %s", w.Body.String())
	}
	if !strings.Contains(e.logs.String(), "kaboom") || !strings.Contains(e.logs.String(), "request_id="+id) || !strings.Contains(e.logs.String(), "goroutine") {
		t.Fatal("panic not logged with stack and request id")
	}
}

func TestAccessLogNeverHoldsSecrets(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	tok := e.tokens[leoc.RoleViewer]
	if w := e.do(req{method: "GET", path: "/api/v1/me?token=" + tok, token: tok}); w.Code != http.StatusOK {
		t.Fatalf("me: %d", w.Code)
	}
	if w := e.do(req{method: "POST", path: "/login", body: loginBody("admin1", testPassword)}); w.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", w.Code)
	}
	logs := e.logs.String()
	if strings.Contains(logs, tok) || strings.Contains(logs, testPassword) || strings.Contains(logs, "leoc_session=") {
		t.Fatal("a secret reached the log")
	}
	if !strings.Contains(logs, "route=\"GET /api/v1/me\"") || !strings.Contains(logs, "user=viewer1") || !strings.Contains(logs, "status=200") {
		t.Fatalf("access log line incomplete:\n%s", logs)
	}
}

func TestHealthAndReady(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	w := e.do(req{method: "GET", path: "/health"})
	m := decodeBody(t, w)
	if w.Code != 200 || m["status"] != "healthy" || m["version"] != "test" || m["timestamp"] == nil {
		t.Fatalf("health: %d %v", w.Code, m)
	}
	if w := e.do(req{method: "GET", path: "/ready"}); w.Code != 200 {
		t.Fatalf("ready: %d", w.Code)
	}
	e.st.Close()
	if w := e.do(req{method: "GET", path: "/ready"}); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("ready with closed database: %d", w.Code)
	}
}

// A browser form over the size limit gets 413 even when the CSRF token sits
// in the oversized body (no Content-Length: the limit trips while reading).
func TestOversizedFormIs413(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	cookies, csrf := e.login("officer1")
	body := "csrf_token=" + csrf + "&notes=" + strings.Repeat("x", 2<<20)
	hr := httptest.NewRequest("POST", "/event-logs", strings.NewReader(body))
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.ContentLength = -1 // chunked: the size is only known while reading
	for _, c := range cookies {
		hr.AddCookie(c)
	}
	w := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(w, hr)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized chunked form: %d", w.Code)
	}
}
